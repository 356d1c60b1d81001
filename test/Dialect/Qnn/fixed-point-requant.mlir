// --fixed-point-requant: float requantize scales to TFLite QuantizeMultiplier
// (m0, shift) pairs, M = m0 * 2^(shift - 31); values from
// reference/algorithms.md section 1.1 and unittests/Dialect/Qnn/FixedPointTest.cpp.
// RUN: quant-opt %s -split-input-file --fixed-point-requant | FileCheck %s --check-prefixes=CHECK,DOUBLE
// RUN: quant-opt %s -split-input-file --fixed-point-requant="rounding=double" | FileCheck %s --check-prefixes=CHECK,DOUBLE
// RUN: quant-opt %s -split-input-file --fixed-point-requant="rounding=single" | FileCheck %s --check-prefixes=CHECK,SINGLE

// The worked table, one channel each: 1.0, 0.5, 0.9999999999 (carry to
// 2^31), 1/3, 3.0, 2^-31, 2^-32 (smallest shift), 1e-10 (flushed).
// CHECK-LABEL: func.func @worked_table
// CHECK: qnn.requantize %{{.*}} fixed_point = <m0 = [1073741824, 1073741824, 1073741824, 1431655765, 1610612736, 1073741824, 1073741824, 0], shift = [1, 0, 1, -1, 2, -30, -31, 0]> axis = 0 input_zero_point = 0 output_zero_point = -128 clamp = [-128, 127]
// DOUBLE-SAME: rounding = double
// SINGLE-SAME: rounding = single
// CHECK-NOT: scale =
func.func @worked_table(%acc: tensor<8xi32>) -> tensor<8xi8> {
  %0 = qnn.requantize %acc scale = [1.0, 0.5, 0.9999999999, 0.3333333333333333, 3.0, 4.656612873077393e-10, 2.3283064365386963e-10, 1.0e-10] axis = 0 input_zero_point = 0 output_zero_point = -128 clamp = [-128, 127] rounding = double : tensor<8xi32> -> tensor<8xi8>
  return %0 : tensor<8xi8>
}

// -----

// Per-channel along axis 3, zero points and clamp kept; a single-rounding op
// takes the option's rounding too.
// CHECK-LABEL: func.func @per_channel
// CHECK-SAME: (%[[ACC:.*]]: tensor<1x2x2x3xi32>)
// CHECK: qnn.requantize %[[ACC]] fixed_point = <m0 = [1690499128, 1566804070, 0], shift = [-6, -4, 0]> axis = 3 input_zero_point = 0 output_zero_point = 5 clamp = [0, 255]
// DOUBLE-SAME: rounding = double
// SINGLE-SAME: rounding = single
// CHECK-SAME: tensor<1x2x2x3xi32> -> tensor<1x2x2x3xui8>
func.func @per_channel(%acc: tensor<1x2x2x3xi32>) -> tensor<1x2x2x3xui8> {
  %0 = qnn.requantize %acc scale = [0.0123, 0.0456, 0.0] axis = 3 input_zero_point = 0 output_zero_point = 5 clamp = [0, 255] rounding = single : tensor<1x2x2x3xi32> -> tensor<1x2x2x3xui8>
  return %0 : tensor<1x2x2x3xui8>
}

// -----

// The largest representable multipliers, and an op already in fixed-point
// form, which is left alone (its rounding included).
// CHECK-LABEL: func.func @bounds_and_fixed
// CHECK: qnn.requantize %{{.*}} fixed_point = <m0 = [2147483646, 2147483647], shift = [30, 30]>
// CHECK: qnn.requantize %{{.*}} fixed_point = <m0 = [1073741824], shift = [0]> axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = single
func.func @bounds_and_fixed(%acc: tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi8>) {
  %0 = qnn.requantize %acc scale = [1073741823.0, 1073741823.5] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-2147483648, 2147483647] rounding = double : tensor<2xi32> -> tensor<2xi32>
  %1 = qnn.requantize %acc fixed_point = <m0 = [1073741824], shift = [0]> axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = single : tensor<2xi32> -> tensor<2xi8>
  return %0, %1 : tensor<2xi32>, tensor<2xi8>
}
