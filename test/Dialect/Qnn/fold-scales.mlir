// --fold-scales: Q-form conv2d/dense -> I form + qnn.requantize. Expected
// values are worked by hand in the comments (docs/Numerics.md).
// RUN: quant-opt %s -split-input-file --fold-scales | FileCheck %s

// x: scale 0.5, zero point 1. Weights per channel {0.25, 0.125}, codes
// [[1, 2, 3, 4], [-1, 0, 1, 2]] (sums 10 and 2). y: scale 0.25, zp -3.
// Bias channel 0: 0.3125 / (0.5 * 0.25) = 2.5 -> 2 (half to even), minus
//   z_x * sum = 1 * 10 -> -8.
// Bias channel 1: -0.5 / (0.5 * 0.125) = -8, minus 1 * 2 -> -10.
// Multipliers: 0.125 / 0.25 = 0.5, 0.0625 / 0.25 = 0.25.
// relu: clamp [z_y, qmax] = [-3, 127].
// CHECK-LABEL: func.func @dense_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:1>>)
// CHECK: %[[WI:.*]] = arith.constant dense<{{\[}}[1, 2, 3, 4], [-1, 0, 1, 2]]> : tensor<2x4xi8>
// CHECK: %[[XI:.*]] = quant.scast %[[X]] : tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01:1>> to tensor<1x4xi8>
// CHECK: %[[BIAS:.*]] = arith.constant dense<[-8, -10]> : tensor<2xi32>
// CHECK: %[[ACC:.*]] = qnn.dense %[[XI]], %[[WI]], %[[BIAS]] input_zero_point = 1 : (tensor<1x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<1x2xi32>
// CHECK: %[[YI:.*]] = qnn.requantize %[[ACC]] scale = [5.000000e-01, 2.500000e-01] axis = 1 input_zero_point = 0 output_zero_point = -3 clamp = [-3, 127] rounding = double : tensor<1x2xi32> -> tensor<1x2xi8>
// CHECK: %[[Y:.*]] = quant.scast %[[YI]] : tensor<1x2xi8> to tensor<1x2x!quant.uniform<i8:f32, 2.500000e-01:-3>>
// CHECK: return %[[Y]]
func.func @dense_relu(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5:1>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25:-3>> {
  %wi = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 1, 2]]> : tensor<2x4xi8>
  %w = quant.scast %wi : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>
  %b = arith.constant dense<[0.3125, -0.5]> : tensor<2xf32>
  %y = qnn.dense %x, %w, %b activation = relu : (tensor<1x4x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>, tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25:-3>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 0.25:-3>>
}

// -----

// Per-tensor weights, scale 0.5, codes [1, 2] and [3, -4]; no bias: the
// bias is the zero-point term alone, -z_x * sum = -1 * 3 = -3 and
// -1 * -1 = 1. Multiplier 0.5 * 0.5 / 0.03 = 8.3333333333333339 (17 digits) for both
// channels. relu6: 6 / 0.03 = 200, clamp [-128, min(127, -128 + 200)] =
// [-128, 72]. The I-form conv keeps strides and padding.
// CHECK-LABEL: func.func @conv_relu6
// CHECK: %[[WI:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1, 2]]], {{\[}}{{\[}}[3, -4]]]]> : tensor<2x1x1x2xi8>
// CHECK: %[[XI:.*]] = quant.scast %{{.*}} : tensor<1x3x3x2x!quant.uniform<i8:f32, 5.000000e-01:1>> to tensor<1x3x3x2xi8>
// CHECK: %[[BIAS:.*]] = arith.constant dense<[-3, 1]> : tensor<2xi32>
// CHECK: %[[ACC:.*]] = qnn.conv2d %[[XI]], %[[WI]], %[[BIAS]] strides = [2, 2] dilations = [1, 1] padding = [0, 1, 1, 0] groups = 1 input_zero_point = 1 : {{.*}} -> tensor<1x2x2x2xi32>
// CHECK: qnn.requantize %[[ACC]] scale = [8.3333333333333339, 8.3333333333333339] axis = 3 input_zero_point = 0 output_zero_point = -128 clamp = [-128, 72] rounding = double
func.func @conv_relu6(%x: tensor<1x3x3x2x!quant.uniform<i8:f32, 0.5:1>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.03:-128>> {
  %wi = arith.constant dense<[[[[1, 2]]], [[[3, -4]]]]> : tensor<2x1x1x2xi8>
  %w = quant.scast %wi : tensor<2x1x1x2xi8> to tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %y = qnn.conv2d %x, %w strides = [2, 2] dilations = [1, 1] padding = [0, 1, 1, 0] groups = 1 activation = relu6 : (tensor<1x3x3x2x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32, 0.5>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.03:-128>>
  return %y : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.03:-128>>
}

// -----

// No activation: full storage range. Per-channel clamp bounds that agree on
// the grid (scale 0.25, zp 0: [-1, 2] -> [-4, 8] on both channels) fold.
// CHECK-LABEL: func.func @none_and_clamp
// CHECK: qnn.requantize {{.*}} output_zero_point = 0 clamp = [-128, 127]
// CHECK: qnn.requantize {{.*}} output_zero_point = 0 clamp = [-4, 8]
func.func @none_and_clamp(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x2x!quant.uniform<i8:f32, 0.25>>) {
  %wi = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %a = qnn.dense %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  %c = qnn.dense %x, %w activation = clamp(min = [-1.0, -1.0], max = [2.0, 2.0]) : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  return %a, %c : tensor<1x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// Float ops are left alone.
// CHECK-LABEL: func.func @float
// CHECK: qnn.dense %{{.*}} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
// CHECK-NOT: qnn.requantize
func.func @float(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %y = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
