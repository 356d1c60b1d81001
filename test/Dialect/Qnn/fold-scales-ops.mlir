// --fold-scales on the ops other than conv2d/dense: add, activation,
// global_avg_pool, matmul, concat and the same-grid ops. Every multiplier is
// worked by hand in the comments (docs/Numerics.md, "--fold-scales").
// RUN: quant-opt %s -split-input-file --fold-scales | FileCheck %s

// add: a (0.5, 1), b (0.25, -2) -> y (1.0, 3) with relu. 8-bit inputs: left
// shift 20, common grid s_c = 2 * max(0.5, 0.25) / 2^20 = 2^-20.
// a: 0.5 / 2^-20 = 524288, b: 0.25 / 2^-20 = 262144, both to i32 with the
// full i32 clamp; the i32 sum goes to y with 2^-20 / 1.0 =
// 9.5367431640625E-7; relu clamps at z_y: [3, 127].
// CHECK-LABEL: func.func @add_relu
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x2x4x!quant.uniform<i8:f32, 5.000000e-01:1>>, %[[B:.*]]: tensor<1x2x2x4x!quant.uniform<i8:f32, 2.500000e-01:-2>>)
// CHECK: %[[AI:.*]] = quant.scast %[[A]] : {{.*}} to tensor<1x2x2x4xi8>
// CHECK: %[[A32:.*]] = qnn.requantize %[[AI]] scale = [5.242880e+05] axis = 0 input_zero_point = 1 output_zero_point = 0 clamp = [-2147483648, 2147483647] rounding = double : tensor<1x2x2x4xi8> -> tensor<1x2x2x4xi32>
// CHECK: %[[BI:.*]] = quant.scast %[[B]] : {{.*}} to tensor<1x2x2x4xi8>
// CHECK: %[[B32:.*]] = qnn.requantize %[[BI]] scale = [2.621440e+05] axis = 0 input_zero_point = -2 output_zero_point = 0 clamp = [-2147483648, 2147483647]
// CHECK: %[[SUM:.*]] = qnn.add %[[A32]], %[[B32]] : (tensor<1x2x2x4xi32>, tensor<1x2x2x4xi32>) -> tensor<1x2x2x4xi32>
// CHECK: %[[YI:.*]] = qnn.requantize %[[SUM]] scale = [9.5367431640625E-7] axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [3, 127] rounding = double : tensor<1x2x2x4xi32> -> tensor<1x2x2x4xi8>
// CHECK: quant.scast %[[YI]] : tensor<1x2x2x4xi8> to tensor<1x2x2x4x!quant.uniform<i8:f32, 1.000000e+00:3>>
func.func @add_relu(%a: tensor<1x2x2x4x!quant.uniform<i8:f32, 0.5:1>>, %b: tensor<1x2x2x4x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<1x2x2x4x!quant.uniform<i8:f32, 1.0:3>> {
  %y = qnn.add %a, %b activation = relu : (tensor<1x2x2x4x!quant.uniform<i8:f32, 0.5:1>>, tensor<1x2x2x4x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<1x2x2x4x!quant.uniform<i8:f32, 1.0:3>>
  return %y : tensor<1x2x2x4x!quant.uniform<i8:f32, 1.0:3>>
}

// -----

// Standalone relu6 from (0.1, -10) to (0.05, -128): multiplier 2. The input
// is narrow (|q - z| <= 138), so it is first widened exactly by 2^20 (the
// cap; 138 * 2^20 < 2^30), then requantized with 2 / 2^20 =
// 1.9073486328125E-6. relu6 on the output grid: [-128 + 0, -128 + 6 / 0.05]
// = [-128, -8].
// CHECK-LABEL: func.func @standalone_relu6
// CHECK: %[[W:.*]] = qnn.requantize %{{.*}} scale = [1048576.0] axis = 0 input_zero_point = -10 output_zero_point = 0 clamp = [-2147483648, 2147483647] rounding = double : tensor<1x4xi8> -> tensor<1x4xi32>
// CHECK: qnn.requantize %[[W]] scale = [1.9073486328125E-6] axis = 1 input_zero_point = 0 output_zero_point = -128 clamp = [-128, -8] rounding = double : tensor<1x4xi32> -> tensor<1x4xi8>
func.func @standalone_relu6(%x: tensor<1x4x!quant.uniform<i8:f32, 0.1:-10>>) -> tensor<1x4x!quant.uniform<i8:f32, 0.05:-128>> {
  %y = qnn.activation %x kind = relu6 : tensor<1x4x!quant.uniform<i8:f32, 0.1:-10>> -> tensor<1x4x!quant.uniform<i8:f32, 0.05:-128>>
  return %y : tensor<1x4x!quant.uniform<i8:f32, 0.05:-128>>
}

// -----

// global_avg_pool over 2x2 from (0.2, 5) to (0.1, -1): the I form sums into
// i32; mean = 0.2 (sum - 4 * 5) / 4 on grid 0.1: multiplier 0.2 / (0.1 * 4)
// = 0.5, input_zero_point 20. |sum - 20| <= 4 * 133 = 532, widened by 2^20
// (532 * 2^20 < 2^30), then 0.5 / 2^20 = 4.76837158203125E-7.
// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[S:.*]] = qnn.global_avg_pool %{{.*}} : tensor<1x2x2x3xi8> -> tensor<1x1x1x3xi32>
// CHECK: %[[W:.*]] = qnn.requantize %[[S]] scale = [1048576.0] axis = 0 input_zero_point = 20 output_zero_point = 0
// CHECK: qnn.requantize %[[W]] scale = [4.76837158203125E-7] axis = 0 input_zero_point = 0 output_zero_point = -1 clamp = [-128, 127] rounding = double : tensor<1x1x1x3xi32> -> tensor<1x1x1x3xi8>
func.func @global_avg_pool(%x: tensor<1x2x2x3x!quant.uniform<i8:f32, 0.2:5>>) -> tensor<1x1x1x3x!quant.uniform<i8:f32, 0.1:-1>> {
  %y = qnn.global_avg_pool %x : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.2:5>> -> tensor<1x1x1x3x!quant.uniform<i8:f32, 0.1:-1>>
  return %y : tensor<1x1x1x3x!quant.uniform<i8:f32, 0.1:-1>>
}

// -----

// matmul of two activations: (0.5, 3) x (0.25, -1) -> (0.1, 0): the I form
// carries both zero points; multiplier 0.5 * 0.25 / 0.1 = 1.25.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[ACC:.*]] = qnn.matmul %{{.*}}, %{{.*}} lhs_zero_point = 3 rhs_zero_point = -1 : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi32>
// CHECK: qnn.requantize %[[ACC]] scale = [1.250000e+00] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127]
func.func @matmul(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:3>>, %b: tensor<3x2x!quant.uniform<i8:f32, 0.25:-1>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.1>> {
  %y = qnn.matmul %a, %b : (tensor<2x3x!quant.uniform<i8:f32, 0.5:3>>, tensor<3x2x!quant.uniform<i8:f32, 0.25:-1>>) -> tensor<2x2x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<2x2x!quant.uniform<i8:f32, 0.1>>
}

// -----

// concat: the input already on the result grid (0.5, 0) is used as is; the
// other (0.25, 4) is rescaled by 0.25 / 0.5 = 0.5 (widened by 2^20 first:
// |q - 4| <= 132), saturating to the storage range.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01>>, %[[B:.*]]: tensor<1x3x!quant.uniform<i8:f32, 2.500000e-01:4>>)
// CHECK: %[[AI:.*]] = quant.scast %[[A]] : {{.*}} to tensor<1x2xi8>
// CHECK: %[[BI:.*]] = quant.scast %[[B]] : {{.*}} to tensor<1x3xi8>
// CHECK: %[[W:.*]] = qnn.requantize %[[BI]] scale = [1048576.0] axis = 0 input_zero_point = 4 output_zero_point = 0
// CHECK: %[[BR:.*]] = qnn.requantize %[[W]] scale = [4.76837158203125E-7] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double : tensor<1x3xi32> -> tensor<1x3xi8>
// CHECK: qnn.concat %[[AI]], %[[BR]] axis = 1 : (tensor<1x2xi8>, tensor<1x3xi8>) -> tensor<1x5xi8>
func.func @concat(%a: tensor<1x2x!quant.uniform<i8:f32, 0.5>>, %b: tensor<1x3x!quant.uniform<i8:f32, 0.25:4>>) -> tensor<1x5x!quant.uniform<i8:f32, 0.5>> {
  %y = qnn.concat %a, %b axis = 1 : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x3x!quant.uniform<i8:f32, 0.25:4>>) -> tensor<1x5x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<1x5x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Same-grid ops become the same op on the stored integers, chained without
// casts in between; the pad value real 0 becomes the zero point 5.
// CHECK-LABEL: func.func @same_grid
// CHECK: %[[XI:.*]] = quant.scast %{{.*}} : tensor<1x4x4x2x!quant.uniform<i8:f32, 1.000000e-01:5>> to tensor<1x4x4x2xi8>
// CHECK: %[[P:.*]] = qnn.pad %[[XI]] low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 5.000000e+00 : tensor<1x4x4x2xi8> -> tensor<1x6x6x2xi8>
// CHECK: %[[M:.*]] = qnn.max_pool2d %[[P]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x6x6x2xi8> -> tensor<1x3x3x2xi8>
// CHECK: %[[A:.*]] = qnn.avg_pool2d %[[M]] kernel = [3, 3] strides = [1, 1] padding = [0, 0, 0, 0] divisor = exclude_pad : tensor<1x3x3x2xi8> -> tensor<1x1x1x2xi8>
// CHECK: %[[R:.*]] = qnn.reshape %[[A]] : tensor<1x1x1x2xi8> -> tensor<1x2xi8>
// CHECK: %[[T:.*]] = qnn.transpose %[[R]] permutation = [1, 0] : tensor<1x2xi8> -> tensor<2x1xi8>
// CHECK: quant.scast %[[T]] : tensor<2x1xi8> to tensor<2x1x!quant.uniform<i8:f32, 1.000000e-01:5>>
!q = !quant.uniform<i8:f32, 0.1:5>
func.func @same_grid(%x: tensor<1x4x4x2x!q>) -> tensor<2x1x!q> {
  %p = qnn.pad %x low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.0 : tensor<1x4x4x2x!q> -> tensor<1x6x6x2x!q>
  %m = qnn.max_pool2d %p kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x6x6x2x!q> -> tensor<1x3x3x2x!q>
  %a = qnn.avg_pool2d %m kernel = [3, 3] strides = [1, 1] padding = [0, 0, 0, 0] divisor = exclude_pad : tensor<1x3x3x2x!q> -> tensor<1x1x1x2x!q>
  %r = qnn.reshape %a : tensor<1x1x1x2x!q> -> tensor<1x2x!q>
  %t = qnn.transpose %r permutation = [1, 0] : tensor<1x2x!q> -> tensor<2x1x!q>
  return %t : tensor<2x1x!q>
}

// -----

// Per-channel bounds that map to different integers (an equalized relu6)
// give one clamp pair per channel. Dense: [0, 1] / 0.25 -> [0, 4] and
// [0, 2] -> [0, 8]. Standalone clamp on grid 0.5: [0, 2] and [0, 4].
// CHECK-LABEL: func.func @per_channel_clamp
// CHECK: qnn.requantize {{.*}} axis = 1 input_zero_point = 0 output_zero_point = 0 clamp = [0, 4, 0, 8] rounding = double : tensor<1x2xi32> -> tensor<1x2xi8>
// CHECK: qnn.requantize {{.*}} axis = 1 input_zero_point = 0 output_zero_point = 0 clamp = [0, 2, 0, 4] rounding = double : tensor<1x2xi32> -> tensor<1x2xi8>
func.func @per_channel_clamp(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x2x!quant.uniform<i8:f32, 0.5>>) {
  %wi = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %c = qnn.dense %x, %w activation = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  %y = qnn.activation %x kind = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : tensor<1x2x!quant.uniform<i8:f32, 0.5>> -> tensor<1x2x!quant.uniform<i8:f32, 0.5>>
  return %c, %y : tensor<1x2x!quant.uniform<i8:f32, 0.25>>, tensor<1x2x!quant.uniform<i8:f32, 0.5>>
}
