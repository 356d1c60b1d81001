// RUN: quant-opt %s --lower-to-linalg --split-input-file | FileCheck %s

// A grouped, strided, dilated convolution with asymmetric padding: zero
// padding, a split into groups, one reduction generic whose input map carries
// stride and dilation, the bias as initial value, a per-channel clamp.
// CHECK-DAG: #[[$XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5 * 3, d2 + d6, d3, d7)>
// CHECK-DAG: #[[$WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d4, d5, d6, d7)>
// CHECK-DAG: #[[$OMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x9x8x4xf32>, %[[W:.*]]: tensor<6x3x2x2xf32>, %[[B:.*]]: tensor<6xf32>)
// CHECK: %[[PADDED:.*]] = tensor.pad %[[X]] low[0, 1, 0, 0] high[0, 2, 1, 0]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[PADDED]] {{\[\[}}0], [1], [2], [3, 4]] {{.*}} : tensor<1x12x9x4xf32> into tensor<1x12x9x2x2xf32>
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] {{.*}} into tensor<2x3x3x2x2xf32>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$XMAP]], #[[$WMAP]], #[[$OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[XG]], %[[WG]] : {{.*}}) outs(%[[INIT]] : tensor<1x3x8x2x3xf32>)
// CHECK:   arith.mulf
// CHECK:   arith.addf
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[ACC]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x3x8x2x3xf32> into tensor<1x3x8x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[OUT]], %{{.*}}, %{{.*}} : tensor<1x3x8x6xf32>, tensor<6xf32>, tensor<6xf32>)
// CHECK:   arith.maximumf
// CHECK:   arith.minimumf
func.func @conv(%x: tensor<1x9x8x4xf32>, %w: tensor<6x3x2x2xf32>, %b: tensor<6xf32>) -> tensor<1x3x8x6xf32> {
  %y = qnn.conv2d %x, %w, %b strides = [2, 1] dilations = [3, 1] padding = [1, 0, 2, 1] groups = 2
      activation = clamp(min = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], max = [6.0, 6.0, 3.0, 3.0, 1.0, 1.0])
      : (tensor<1x9x8x4xf32>, tensor<6x3x2x2xf32>, tensor<6xf32>) -> tensor<1x3x8x6xf32>
  return %y : tensor<1x3x8x6xf32>
}

// -----

// Exclusive average pooling divides by a compile-time table of the window
// sizes inside the input: corners of a 3x3 window padded by 1 see 4 values.
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[DIV:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[DIV]] : tensor<1x2x2x1xf32>, tensor<2x2xf32>)
// CHECK:   arith.divf
func.func @avg_pool(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %y = qnn.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] divisor = exclude_pad
      : tensor<1x4x4x1xf32> -> tensor<1x2x2x1xf32>
  return %y : tensor<1x2x2x1xf32>
}

// -----

// Statistics are dropped; quantize casts round half to even and saturate.
// x / 0.5 is x * 2 exactly (qnn::exactQuantizeReciprocal).
// CHECK-LABEL: func.func @qdq
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: qnn.stats
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK:   %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK:   arith.mulf %{{.*}}, %[[TWO]] : f32
// CHECK:   math.roundeven
// CHECK:   arith.addf
// CHECK:   arith.maximumf
// CHECK:   arith.minimumf
// CHECK:   arith.fptosi {{.*}} : f32 to i8
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<4xi8>) outs(%{{.*}} : tensor<4xf32>)
// CHECK:   arith.sitofp
// CHECK:   arith.subf
// CHECK:   arith.mulf
func.func @qdq(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qnn.stats %x <count = 1, min = 0.0, max = 1.0> : tensor<4xf32>
  %q = quant.qcast %s : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %y = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.5:-3>> to tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The image scale 1/255 (f32 0.0039215689): no single f32 reciprocal gives
// round(x / s) for every x, the pair 1/s = 254.999985 + 1.78349154e-7 does:
// fma(x, high, x * low) instead of a division.
// CHECK-LABEL: func.func @qcast_image_scale
// CHECK: linalg.generic
// CHECK-DAG: %[[HIGH:.*]] = arith.constant 254.999985 : f32
// CHECK-DAG: %[[LOW:.*]] = arith.constant 1.78349154E-7 : f32
// CHECK: %[[XL:.*]] = arith.mulf %[[IN:.*]], %[[LOW]] : f32
// CHECK: math.fma %[[IN]], %[[HIGH]], %[[XL]] : f32
// CHECK-NOT: arith.divf
func.func @qcast_image_scale(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
  %i = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>> to tensor<4xi8>
  return %i : tensor<4xi8>
}
