// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Verifier errors of qnn.avg_pool2d, qnn.max_pool2d, qnn.global_avg_pool,
// qnn.activation, qnn.batch_norm, qnn.reshape, qnn.transpose, qnn.concat,
// qnn.pad and qnn.softmax: one case per numbered constraint of QnnOps.td (and
// per distinct check inside a constraint).

//===----------------------------------------------------------------------===//
// qnn.avg_pool2d
//===----------------------------------------------------------------------===//

// avg_pool2d constraint 1: the kernel is positive.
func.func @avg_pool_zero_kernel(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op kernel must be positive, got [0, 2]}}
  %y = qnn.avg_pool2d %x kernel = [0, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// avg_pool2d constraint 1: the strides are positive.
func.func @avg_pool_negative_stride(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op strides must be positive, got [2, -1]}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, -1] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// avg_pool2d constraint 2: each padding amount is smaller than the kernel.
func.func @avg_pool_padding_as_large_as_kernel(%x: tensor<1x8x8x4xf32>) -> tensor<1x5x4x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op padding [2, 0, 0, 0] must be smaller than the kernel [2, 2] so that every window overlaps the input}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [2, 0, 0, 0] divisor = include_pad
         : tensor<1x8x8x4xf32> -> tensor<1x5x4x4xf32>
  return %y : tensor<1x5x4x4xf32>
}

// -----

// avg_pool2d constraint 3: the padded input is at least as large as the
// kernel.
func.func @avg_pool_input_smaller_than_kernel(%x: tensor<1x1x8x4xf32>) -> tensor<1x1x8x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op padded input size 3 in dimension H is smaller than the kernel 4}}
  %y = qnn.avg_pool2d %x kernel = [4, 1] strides = [1, 1] padding = [1, 0, 1, 0] divisor = exclude_pad
         : tensor<1x1x8x4xf32> -> tensor<1x1x8x4xf32>
  return %y : tensor<1x1x8x4xf32>
}

// -----

// avg_pool2d constraint 4: the result shape is [N, OH, OW, C].
func.func @avg_pool_result_shape(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x3x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op result shape [1, 4, 3, 4] does not match the expected shape [1, 4, 4, 4]}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xf32> -> tensor<1x4x3x4xf32>
  return %y : tensor<1x4x3x4xf32>
}

// -----

// avg_pool2d constraint 4: the result shape is [N, OH, OW, C] (channels).
func.func @avg_pool_result_channels(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x2xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op result shape [1, 4, 4, 2] does not match the expected shape [1, 4, 4, 4]}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// avg_pool2d constraint 5: one integer type on input and result.
func.func @avg_pool_int_form(%x: tensor<1x8x8x4xi8>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op integer input and result types must be equal, got 'i8' and 'i32'}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xi8> -> tensor<1x4x4x4xi32>
  return %y : tensor<1x4x4x4xi32>
}

// -----

// avg_pool2d constraint 5: integers of at most 32 bits.
func.func @avg_pool_int_wide(%x: tensor<1x8x8x4xi64>) -> tensor<1x4x4x4xi64> {
  // expected-error @+1 {{'qnn.avg_pool2d' op input must have at most 32 bits in the integer form, got 'i64'}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4xi64> -> tensor<1x4x4x4xi64>
  return %y : tensor<1x4x4x4xi64>
}

// -----

// avg_pool2d constraint 5: input and result are in one form.
!q = !quant.uniform<i8:f32, 0.5>
func.func @avg_pool_mixed(%x: tensor<1x8x8x4x!q>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.avg_pool2d' op mixes numeric forms: input is quantized ('!quant.uniform<i8:f32, 5.000000e-01>') but result is float ('f32')}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4x!q> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// avg_pool2d constraint 5: in the Q form input and result types are equal.
!qx = !quant.uniform<i8:f32, 0.5>
!qy = !quant.uniform<i8:f32, 0.25:3>
func.func @avg_pool_quant_types_differ(%x: tensor<1x8x8x4x!qx>) -> tensor<1x4x4x4x!qy> {
  // expected-error @+1 {{'qnn.avg_pool2d' op quantized input and result types must be equal, got '!quant.uniform<i8:f32, 5.000000e-01>' and '!quant.uniform<i8:f32, 2.500000e-01:3>'}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x8x8x4x!qx> -> tensor<1x4x4x4x!qy>
  return %y : tensor<1x4x4x4x!qy>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.max_pool2d
//===----------------------------------------------------------------------===//

// max_pool2d constraint 1: the kernel is positive.
func.func @max_pool_negative_kernel(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op kernel must be positive, got [2, -2]}}
  %y = qnn.max_pool2d %x kernel = [2, -2] strides = [2, 2] padding = [0, 0, 0, 0]
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// max_pool2d constraint 1: the strides are positive.
func.func @max_pool_zero_stride(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op strides must be positive, got [0, 0]}}
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [0, 0] padding = [0, 0, 0, 0]
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// max_pool2d constraint 2: each padding amount is smaller than the kernel
// (right padding of a 1-wide kernel).
func.func @max_pool_padding_as_large_as_kernel(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x9x4xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op padding [0, 0, 0, 1] must be smaller than the kernel [1, 1] so that every window overlaps the input}}
  %y = qnn.max_pool2d %x kernel = [1, 1] strides = [1, 1] padding = [0, 0, 0, 1]
         : tensor<1x8x8x4xf32> -> tensor<1x8x9x4xf32>
  return %y : tensor<1x8x9x4xf32>
}

// -----

// max_pool2d constraint 3: the padded input is at least as large as the
// kernel.
func.func @max_pool_input_smaller_than_kernel(%x: tensor<1x8x2x4xf32>) -> tensor<1x8x1x4xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op padded input size 2 in dimension W is smaller than the kernel 3}}
  %y = qnn.max_pool2d %x kernel = [1, 3] strides = [1, 1] padding = [0, 0, 0, 0]
         : tensor<1x8x2x4xf32> -> tensor<1x8x1x4xf32>
  return %y : tensor<1x8x1x4xf32>
}

// -----

// max_pool2d constraint 4: the result shape is [N, OH, OW, C].
func.func @max_pool_result_shape(%x: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op result shape [1, 4, 4, 4] does not match the expected shape [1, 5, 5, 4]}}
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [1, 1, 1, 1]
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// max_pool2d constraint 5: one integer type on input and result.
func.func @max_pool_int_form(%x: tensor<1x8x8x4xui8>) -> tensor<1x4x4x4xi8> {
  // expected-error @+1 {{'qnn.max_pool2d' op integer input and result types must be equal, got 'ui8' and 'i8'}}
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         : tensor<1x8x8x4xui8> -> tensor<1x4x4x4xi8>
  return %y : tensor<1x4x4x4xi8>
}

// -----

// max_pool2d constraint 5: in the Q form input and result types are equal.
!qx = !quant.uniform<i8:f32, 0.5>
!qy = !quant.uniform<u8:f32, 0.5:128>
func.func @max_pool_quant_types_differ(%x: tensor<1x8x8x4x!qx>) -> tensor<1x4x4x4x!qy> {
  // expected-error @+1 {{'qnn.max_pool2d' op quantized input and result types must be equal, got '!quant.uniform<i8:f32, 5.000000e-01>' and '!quant.uniform<u8:f32, 5.000000e-01:128>'}}
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         : tensor<1x8x8x4x!qx> -> tensor<1x4x4x4x!qy>
  return %y : tensor<1x4x4x4x!qy>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.global_avg_pool
//===----------------------------------------------------------------------===//

// global_avg_pool constraint 1: the result shape is [N, 1, 1, C].
func.func @global_avg_pool_result(%x: tensor<2x7x7x64xf32>) -> tensor<2x1x7x64xf32> {
  // expected-error @+1 {{'qnn.global_avg_pool' op result shape [2, 1, 7, 64] does not match the expected shape [2, 1, 1, 64]}}
  %y = qnn.global_avg_pool %x : tensor<2x7x7x64xf32> -> tensor<2x1x7x64xf32>
  return %y : tensor<2x1x7x64xf32>
}

// -----

// global_avg_pool constraint 2: the integer form sums into i32.
func.func @global_avg_pool_int(%x: tensor<1x7x7x64xi8>) -> tensor<1x1x1x64xi8> {
  // expected-error @+1 {{'qnn.global_avg_pool' op result must be i32 in the integer form, got 'i8'}}
  %y = qnn.global_avg_pool %x : tensor<1x7x7x64xi8> -> tensor<1x1x1x64xi8>
  return %y : tensor<1x1x1x64xi8>
}

// -----

// global_avg_pool constraint 2: integer inputs of at most 16 bits.
func.func @global_avg_pool_int_wide(%x: tensor<1x7x7x64xi32>) -> tensor<1x1x1x64xi32> {
  // expected-error @+1 {{'qnn.global_avg_pool' op input must have at most 16 bits in the integer form, got 'i32'}}
  %y = qnn.global_avg_pool %x : tensor<1x7x7x64xi32> -> tensor<1x1x1x64xi32>
  return %y : tensor<1x1x1x64xi32>
}

// -----

// global_avg_pool constraint 3: the i32 sum cannot overflow.
func.func @global_avg_pool_int_overflow(%x: tensor<1x256x256x64xi16>) -> tensor<1x1x1x64xi32> {
  // expected-error @+1 {{'qnn.global_avg_pool' op the i32 sum of 256 x 256 values of 16 bits may overflow}}
  %y = qnn.global_avg_pool %x : tensor<1x256x256x64xi16> -> tensor<1x1x1x64xi32>
  return %y : tensor<1x1x1x64xi32>
}

// -----

// global_avg_pool constraint 2: the same form for input and result.
!q = !quant.uniform<i8:f32, 0.5>
func.func @global_avg_pool_mixed(%x: tensor<1x7x7x64xf32>) -> tensor<1x1x1x64x!q> {
  // expected-error @+1 {{'qnn.global_avg_pool' op mixes numeric forms: input is float ('f32') but result is quantized ('!quant.uniform<i8:f32, 5.000000e-01>')}}
  %y = qnn.global_avg_pool %x : tensor<1x7x7x64xf32> -> tensor<1x1x1x64x!q>
  return %y : tensor<1x1x1x64x!q>
}

// -----

// global_avg_pool constraint 2: per-tensor only.
!qx = !quant.uniform<i8:f32:0, {0.5}>
!qy = !quant.uniform<i8:f32, 0.5>
func.func @global_avg_pool_per_axis(%x: tensor<1x7x7x64x!qx>) -> tensor<1x1x1x64x!qy> {
  // expected-error @+1 {{'qnn.global_avg_pool' op input must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01}>'}}
  %y = qnn.global_avg_pool %x : tensor<1x7x7x64x!qx> -> tensor<1x1x1x64x!qy>
  return %y : tensor<1x1x1x64x!qy>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.activation
//===----------------------------------------------------------------------===//

// activation constraint 1: the kind is not none.
func.func @activation_none(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'qnn.activation' op activation kind must not be none}}
  %y = qnn.activation %x kind = none : tensor<1x4xf32> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// activation constraint 2: per-channel bounds number the input's last
// dimension.
func.func @activation_bounds(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  // expected-error @+1 {{'qnn.activation' op activation has 3 per-channel bounds but the result has 2 channels}}
  %y = qnn.activation %x kind = clamp(min = [0.0, 0.0, 0.0], max = [6.0, 2.5, 1.0])
         : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// activation constraint 3: input and result shapes are equal.
func.func @activation_shape(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x2x4xf32> {
  // expected-error @+1 {{'qnn.activation' op result shape [1, 4, 2, 4] does not match the expected shape [1, 4, 4, 2]}}
  %y = qnn.activation %x kind = relu : tensor<1x4x4x2xf32> -> tensor<1x4x2x4xf32>
  return %y : tensor<1x4x2x4xf32>
}

// -----

// activation constraint 4: the form is F or Q (no integer form).
func.func @activation_int(%x: tensor<8xi8>) -> tensor<8xi8> {
  // expected-error @+1 {{'qnn.activation' op does not accept the integer form (input is 'i8')}}
  %y = qnn.activation %x kind = relu6 : tensor<8xi8> -> tensor<8xi8>
  return %y : tensor<8xi8>
}

// -----

// activation constraint 4: the same form for input and result.
!q = !quant.uniform<i8:f32, 0.5>
func.func @activation_mixed(%x: tensor<8x!q>) -> tensor<8xf32> {
  // expected-error @+1 {{'qnn.activation' op mixes numeric forms: input is quantized ('!quant.uniform<i8:f32, 5.000000e-01>') but result is float ('f32')}}
  %y = qnn.activation %x kind = relu : tensor<8x!q> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// activation constraint 4: equal storage types in the Q form.
!qx = !quant.uniform<i8:f32, 0.5>
!qy = !quant.uniform<u8:f32, 0.5:128>
func.func @activation_storage(%x: tensor<8x!qx>) -> tensor<8x!qy> {
  // expected-error @+1 {{'qnn.activation' op quantized input and result must share a storage type, got '!quant.uniform<i8:f32, 5.000000e-01>' and '!quant.uniform<u8:f32, 5.000000e-01:128>'}}
  %y = qnn.activation %x kind = relu : tensor<8x!qx> -> tensor<8x!qy>
  return %y : tensor<8x!qy>
}

// -----

// activation constraint 4: per-tensor in the Q form.
!qx = !quant.uniform<i8:f32:0, {0.5, 0.25}>
!qy = !quant.uniform<i8:f32, 0.5>
func.func @activation_per_axis(%x: tensor<2x4x!qx>) -> tensor<2x4x!qy> {
  // expected-error @+1 {{'qnn.activation' op input must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.activation %x kind = relu : tensor<2x4x!qx> -> tensor<2x4x!qy>
  return %y : tensor<2x4x!qy>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.batch_norm
//===----------------------------------------------------------------------===//

// batch_norm constraint 1: the input has rank 2 to 4 (rank 1).
func.func @batch_norm_rank1(%x: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op input must have rank 2 to 4, got [4]}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = 1.0e-03
         : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// batch_norm constraint 1: the input has rank 2 to 4 (rank 5).
func.func @batch_norm_rank5(%x: tensor<1x2x2x2x4xf32>, %p: tensor<4xf32>) -> tensor<1x2x2x2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op input must have rank 2 to 4, got [1, 2, 2, 2, 4]}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = 1.0e-03
         : (tensor<1x2x2x2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x2x2x2x4xf32>
  return %y : tensor<1x2x2x2x4xf32>
}

// -----

// batch_norm constraint 1: the result has the input's shape.
func.func @batch_norm_result(%x: tensor<1x8x8x4xf32>, %p: tensor<4xf32>) -> tensor<1x8x4x8xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op result shape [1, 8, 4, 8] does not match the expected shape [1, 8, 8, 4]}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = 1.0e-03
         : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x4x8xf32>
  return %y : tensor<1x8x4x8xf32>
}

// -----

// batch_norm constraint 2: scale has shape [C].
func.func @batch_norm_scale(%x: tensor<1x8x8x4xf32>, %s: tensor<3xf32>, %p: tensor<4xf32>) -> tensor<1x8x8x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op scale shape [3] does not match the 4 channels of the input}}
  %y = qnn.batch_norm %x scale %s offset %p mean %p variance %p epsilon = 1.0e-03
         : (tensor<1x8x8x4xf32>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

// batch_norm constraint 2: offset has shape [C].
func.func @batch_norm_offset(%x: tensor<2x4xf32>, %o: tensor<8xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op offset shape [8] does not match the 4 channels of the input}}
  %y = qnn.batch_norm %x scale %p offset %o mean %p variance %p epsilon = 1.0e-03
         : (tensor<2x4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// batch_norm constraint 2: mean has shape [C].
func.func @batch_norm_mean(%x: tensor<2x4xf32>, %m: tensor<1xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op mean shape [1] does not match the 4 channels of the input}}
  %y = qnn.batch_norm %x scale %p offset %p mean %m variance %p epsilon = 1.0e-03
         : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// batch_norm constraint 2: variance has shape [C].
func.func @batch_norm_variance(%x: tensor<1x8x4xf32>, %v: tensor<5xf32>, %p: tensor<4xf32>) -> tensor<1x8x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op variance shape [5] does not match the 4 channels of the input}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %v epsilon = 1.0e-03
         : (tensor<1x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<5xf32>) -> tensor<1x8x4xf32>
  return %y : tensor<1x8x4xf32>
}

// -----

// batch_norm constraint 3: epsilon is non-negative.
func.func @batch_norm_negative_epsilon(%x: tensor<2x4xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op epsilon must be non-negative and finite, got -0.001}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = -1.0e-03
         : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// batch_norm constraint 3: epsilon is finite (infinity).
func.func @batch_norm_inf_epsilon(%x: tensor<2x4xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op epsilon must be non-negative and finite, got inf}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = 0x7FF0000000000000
         : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// batch_norm constraint 3: epsilon is finite (NaN).
func.func @batch_norm_nan_epsilon(%x: tensor<2x4xf32>, %p: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.batch_norm' op epsilon must be non-negative and finite, got nan}}
  %y = qnn.batch_norm %x scale %p offset %p mean %p variance %p epsilon = 0x7FF8000000000000
         : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.reshape
//===----------------------------------------------------------------------===//

// reshape constraint 1: input and result have the same element type.
func.func @reshape_element_type(%x: tensor<1x1x1x64xf32>) -> tensor<1x64xi8> {
  // expected-error @+1 {{'qnn.reshape' op input and result element types differ: 'f32' vs 'i8'}}
  %y = qnn.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xi8>
  return %y : tensor<1x64xi8>
}

// -----

// reshape constraint 1: the same element type, including the quantization
// parameters.
!qx = !quant.uniform<i8:f32, 0.5>
!qy = !quant.uniform<i8:f32, 0.5:1>
func.func @reshape_quant_params(%x: tensor<2x4x!qx>) -> tensor<8x!qy> {
  // expected-error @+1 {{'qnn.reshape' op input and result element types differ: '!quant.uniform<i8:f32, 5.000000e-01>' vs '!quant.uniform<i8:f32, 5.000000e-01:1>'}}
  %y = qnn.reshape %x : tensor<2x4x!qx> -> tensor<8x!qy>
  return %y : tensor<8x!qy>
}

// -----

// reshape constraint 2: both shapes are static.
func.func @reshape_dynamic(%x: tensor<?x4xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'qnn.reshape' op reshape needs static shapes, got [?, 4] -> [8]}}
  %y = qnn.reshape %x : tensor<?x4xf32> -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// reshape constraint 2: both shapes hold the same number of elements.
func.func @reshape_count(%x: tensor<1x1x1x64xf32>) -> tensor<1x32xf32> {
  // expected-error @+1 {{'qnn.reshape' op input [1, 1, 1, 64] has 64 elements but result [1, 32] has 32}}
  %y = qnn.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.transpose
//===----------------------------------------------------------------------===//

// transpose constraint 1: the permutation has one entry per dimension.
func.func @transpose_perm_length(%x: tensor<1x3x96x96xf32>) -> tensor<1x96x96x3xf32> {
  // expected-error @+1 {{'qnn.transpose' op permutation [0, 2, 1] is not a permutation of [0, 4)}}
  %y = qnn.transpose %x permutation = [0, 2, 1] : tensor<1x3x96x96xf32> -> tensor<1x96x96x3xf32>
  return %y : tensor<1x96x96x3xf32>
}

// -----

// transpose constraint 1: the permutation has no repeated entry.
func.func @transpose_perm_repeat(%x: tensor<1x3x96x96xf32>) -> tensor<1x96x96x3xf32> {
  // expected-error @+1 {{'qnn.transpose' op permutation [0, 2, 2, 1] is not a permutation of [0, 4)}}
  %y = qnn.transpose %x permutation = [0, 2, 2, 1] : tensor<1x3x96x96xf32> -> tensor<1x96x96x3xf32>
  return %y : tensor<1x96x96x3xf32>
}

// -----

// transpose constraint 1: the permutation entries are in [0, rank).
func.func @transpose_perm_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'qnn.transpose' op permutation [-1, 0] is not a permutation of [0, 2)}}
  %y = qnn.transpose %x permutation = [-1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// transpose constraint 2: the result shape is the permuted input shape.
func.func @transpose_result(%x: tensor<1x3x96x96xf32>) -> tensor<1x3x96x96xf32> {
  // expected-error @+1 {{'qnn.transpose' op result shape [1, 3, 96, 96] does not match the expected shape [1, 96, 96, 3]}}
  %y = qnn.transpose %x permutation = [0, 2, 3, 1] : tensor<1x3x96x96xf32> -> tensor<1x3x96x96xf32>
  return %y : tensor<1x3x96x96xf32>
}

// -----

// transpose constraint 3: input and result have the same element type.
func.func @transpose_element_type(%x: tensor<2x3xi8>) -> tensor<3x2xui8> {
  // expected-error @+1 {{'qnn.transpose' op input and result element types differ: 'i8' vs 'ui8'}}
  %y = qnn.transpose %x permutation = [1, 0] : tensor<2x3xi8> -> tensor<3x2xui8>
  return %y : tensor<3x2xui8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.concat
//===----------------------------------------------------------------------===//

// concat constraint 1: there is at least one input.
func.func @concat_no_input() -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.concat' op needs at least one input}}
  %y = qnn.concat axis = 0 : () -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// concat constraint 2: axis is in [0, rank) (too large).
func.func @concat_axis_large(%a: tensor<1x8x8x4xf32>, %b: tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32> {
  // expected-error @+1 {{'qnn.concat' op axis 4 is out of range [0, 4)}}
  %y = qnn.concat %a, %b axis = 4 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// -----

// concat constraint 2: axis is in [0, rank) (negative).
func.func @concat_axis_negative(%a: tensor<1x8x8x4xf32>, %b: tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32> {
  // expected-error @+1 {{'qnn.concat' op axis -1 is out of range [0, 4)}}
  %y = qnn.concat %a, %b axis = -1 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// -----

// concat constraint 3: all inputs and the result have the same rank.
func.func @concat_rank(%a: tensor<1x8x8x4xf32>, %b: tensor<8x8x12xf32>) -> tensor<1x8x8x16xf32> {
  // expected-error @+1 {{'qnn.concat' op input #1 [8, 8, 12] has rank 3 but the result has rank 4}}
  %y = qnn.concat %a, %b axis = 3 : (tensor<1x8x8x4xf32>, tensor<8x8x12xf32>) -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// -----

// concat constraint 4: all dimensions but axis agree.
func.func @concat_other_dim(%a: tensor<1x8x8x4xf32>, %b: tensor<1x4x8x12xf32>) -> tensor<1x8x8x16xf32> {
  // expected-error @+1 {{'qnn.concat' op input #1 [1, 4, 8, 12] differs from the result [1, 8, 8, 16] in dimension 1}}
  %y = qnn.concat %a, %b axis = 3 : (tensor<1x8x8x4xf32>, tensor<1x4x8x12xf32>) -> tensor<1x8x8x16xf32>
  return %y : tensor<1x8x8x16xf32>
}

// -----

// concat constraint 4: the result's axis dimension is the sum of the inputs'.
func.func @concat_sum(%a: tensor<1x8x8x4xf32>, %b: tensor<1x8x8x12xf32>) -> tensor<1x8x8x15xf32> {
  // expected-error @+1 {{'qnn.concat' op result dimension 3 is 15 but the inputs' sizes along it add up to 16}}
  %y = qnn.concat %a, %b axis = 3 : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x15xf32>
  return %y : tensor<1x8x8x15xf32>
}

// -----

// concat constraint 5: one numeric form.
!q = !quant.uniform<i8:f32, 0.5>
func.func @concat_mixed(%a: tensor<2x4xf32>, %b: tensor<2x4x!q>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'qnn.concat' op mixes numeric forms: input #0 is float ('f32') but input #1 is quantized ('!quant.uniform<i8:f32, 5.000000e-01>')}}
  %y = qnn.concat %a, %b axis = 1 : (tensor<2x4xf32>, tensor<2x4x!q>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// concat constraint 5: one integer type in the I form.
func.func @concat_int_types(%a: tensor<2x4xi8>, %b: tensor<2x4xi16>) -> tensor<2x8xi8> {
  // expected-error @+1 {{'qnn.concat' op input #1 element type 'i16' differs from the result's 'i8'}}
  %y = qnn.concat %a, %b axis = 1 : (tensor<2x4xi8>, tensor<2x4xi16>) -> tensor<2x8xi8>
  return %y : tensor<2x8xi8>
}

// -----

// concat constraint 5: one storage type in the Q form (scales may differ).
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<u8:f32, 0.5:128>
func.func @concat_storage(%a: tensor<2x4x!qa>, %b: tensor<2x4x!qb>) -> tensor<2x8x!qy> {
  // expected-error @+1 {{'qnn.concat' op input #0 storage type differs from the result's: '!quant.uniform<i8:f32, 5.000000e-01>' vs '!quant.uniform<u8:f32, 5.000000e-01:128>'}}
  %y = qnn.concat %a, %b axis = 1 : (tensor<2x4x!qa>, tensor<2x4x!qb>) -> tensor<2x8x!qy>
  return %y : tensor<2x8x!qy>
}

// -----

// concat constraint 5: per-tensor in the Q form.
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @concat_per_axis(%a: tensor<2x4x!qa>, %b: tensor<2x4x!qb>) -> tensor<2x8x!qa> {
  // expected-error @+1 {{'qnn.concat' op input #1 must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.concat %a, %b axis = 1 : (tensor<2x4x!qa>, tensor<2x4x!qb>) -> tensor<2x8x!qa>
  return %y : tensor<2x8x!qa>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.pad
//===----------------------------------------------------------------------===//

// pad constraint 1: low and high have one entry per dimension.
func.func @pad_entries(%x: tensor<1x8x8x4xf32>) -> tensor<1x10x10x4xf32> {
  // expected-error @+1 {{'qnn.pad' op low and high need one entry per dimension (4), got 3 and 4}}
  %y = qnn.pad %x low = [0, 1, 1] high = [0, 1, 1, 0] mode = constant value = 0.0
         : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
  return %y : tensor<1x10x10x4xf32>
}

// -----

// pad constraint 1: the entries are non-negative.
func.func @pad_negative(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x10x4xf32> {
  // expected-error @+1 {{'qnn.pad' op padding must be non-negative, got low [0, -1, 1, 0] high [0, 1, 1, 0]}}
  %y = qnn.pad %x low = [0, -1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.0
         : tensor<1x8x8x4xf32> -> tensor<1x8x10x4xf32>
  return %y : tensor<1x8x10x4xf32>
}

// -----

// pad constraint 2: the result shape is low + input shape + high.
func.func @pad_result(%x: tensor<1x8x8x4xf32>) -> tensor<1x10x10x4xf32> {
  // expected-error @+1 {{'qnn.pad' op result shape [1, 10, 10, 4] does not match the expected shape [1, 10, 11, 4]}}
  %y = qnn.pad %x low = [0, 1, 1, 0] high = [0, 1, 2, 0] mode = constant value = 0.0
         : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
  return %y : tensor<1x10x10x4xf32>
}

// -----

// pad constraint 3: in reflect mode every pad is smaller than its dimension.
func.func @pad_reflect(%x: tensor<1x3x8x4xf32>) -> tensor<1x6x8x4xf32> {
  // expected-error @+1 {{'qnn.pad' op reflect padding of dimension 1 needs pads smaller than its size 3, got low 0 high 3}}
  %y = qnn.pad %x low = [0, 0, 0, 0] high = [0, 3, 0, 0] mode = reflect value = 0.0
         : tensor<1x3x8x4xf32> -> tensor<1x6x8x4xf32>
  return %y : tensor<1x6x8x4xf32>
}

// -----

// pad constraint 3: in edge mode padded dimensions are non-empty.
func.func @pad_edge_empty(%x: tensor<0x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'qnn.pad' op edge padding of the empty dimension 0}}
  %y = qnn.pad %x low = [1, 0] high = [1, 0] mode = edge value = 0.0
         : tensor<0x4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// pad constraint 4: input and result have the same element type.
func.func @pad_element_type(%x: tensor<4xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'qnn.pad' op input and result element types differ: 'f32' vs 'i32'}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0.0 : tensor<4xf32> -> tensor<6xi32>
  return %y : tensor<6xi32>
}

// -----

// pad constraint 5: value is finite.
func.func @pad_value_inf(%x: tensor<4xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{'qnn.pad' op pad value must be finite, got -inf}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0xFFF0000000000000 : tensor<4xf32> -> tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

// pad constraint 5: in the Q form value is a point of the quantization grid.
!q = !quant.uniform<i8:f32, 0.5:-1>
func.func @pad_value_off_grid(%x: tensor<4x!q>) -> tensor<6x!q> {
  // expected-error @+1 {{'qnn.pad' op pad value 0.25 is not a point of the grid of '!quant.uniform<i8:f32, 5.000000e-01:-1>' (it would be stored as -0.5)}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0.25 : tensor<4x!q> -> tensor<6x!q>
  return %y : tensor<6x!q>
}

// -----

// pad constraint 5: in the Q form value is inside the storage range.
!q = !quant.uniform<i8:f32, 0.5:-1>
func.func @pad_value_out_of_storage(%x: tensor<4x!q>) -> tensor<6x!q> {
  // expected-error @+1 {{'qnn.pad' op pad value 64.5 is not a point of the grid of '!quant.uniform<i8:f32, 5.000000e-01:-1>' (it would be stored as 128)}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 64.5 : tensor<4x!q> -> tensor<6x!q>
  return %y : tensor<6x!q>
}

// -----

// pad constraint 5: per-tensor in the Q form.
!q = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @pad_per_axis(%x: tensor<2x!q>) -> tensor<4x!q> {
  // expected-error @+1 {{'qnn.pad' op input must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0.0 : tensor<2x!q> -> tensor<4x!q>
  return %y : tensor<4x!q>
}

// -----

// pad constraint 5: in the I form value is an integer.
func.func @pad_value_fraction(%x: tensor<4xi8>) -> tensor<6xi8> {
  // expected-error @+1 {{'qnn.pad' op pad value 0.5 is not an integer of 'i8'}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0.5 : tensor<4xi8> -> tensor<6xi8>
  return %y : tensor<6xi8>
}

// -----

// pad constraint 5: in the I form value is in the range of the element type.
func.func @pad_value_range(%x: tensor<4xui8>) -> tensor<6xui8> {
  // expected-error @+1 {{'qnn.pad' op pad value -1 is not an integer of 'ui8'}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = -1.0 : tensor<4xui8> -> tensor<6xui8>
  return %y : tensor<6xui8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.softmax
//===----------------------------------------------------------------------===//

// softmax constraint 1: axis is in [0, rank) (too large).
func.func @softmax_axis_large(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'qnn.softmax' op axis 2 is out of range [0, 2)}}
  %y = qnn.softmax %x axis = 2 : tensor<1x10xf32> -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

// softmax constraint 1: axis is in [0, rank) (negative).
func.func @softmax_axis_negative(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'qnn.softmax' op axis -1 is out of range [0, 2)}}
  %y = qnn.softmax %x axis = -1 : tensor<1x10xf32> -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

// softmax constraint 2: input and result types are equal.
func.func @softmax_types(%x: tensor<1x10xf32>) -> tensor<10x1xf32> {
  // expected-error @+1 {{'qnn.softmax' op input and result types differ: 'tensor<1x10xf32>' vs 'tensor<10x1xf32>'}}
  %y = qnn.softmax %x axis = 1 : tensor<1x10xf32> -> tensor<10x1xf32>
  return %y : tensor<10x1xf32>
}

// -----

!perAxis = !quant.uniform<i8:f32:3, {0.5, 0.25}>

// avg_pool2d constraint 5: the quantized form is per-tensor.
func.func @avg_pool_per_axis(%x: tensor<1x4x4x2x!perAxis>) -> tensor<1x2x2x2x!perAxis> {
  // expected-error @+1 {{'qnn.avg_pool2d' op input must be quantized per tensor}}
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad
         : tensor<1x4x4x2x!perAxis> -> tensor<1x2x2x2x!perAxis>
  return %y : tensor<1x2x2x2x!perAxis>
}

// -----

!perAxis = !quant.uniform<i8:f32:3, {0.5, 0.25}>

// max_pool2d constraint 5: the quantized form is per-tensor.
func.func @max_pool_per_axis(%x: tensor<1x4x4x2x!perAxis>) -> tensor<1x2x2x2x!perAxis> {
  // expected-error @+1 {{'qnn.max_pool2d' op input must be quantized per tensor}}
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         : tensor<1x4x4x2x!perAxis> -> tensor<1x2x2x2x!perAxis>
  return %y : tensor<1x2x2x2x!perAxis>
}

// -----

// max_pool2d constraint 3: a size near INT64_MAX overflows the window
// arithmetic instead of wrapping.
func.func @max_pool_overflow(%x: tensor<1x9223372036854775807x1x1xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{'qnn.max_pool2d' op window arithmetic in dimension H overflows int64}}
  %y = qnn.max_pool2d %x kernel = [2, 1] strides = [1, 1] padding = [1, 0, 1, 0]
         : tensor<1x9223372036854775807x1x1xf32> -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

!perAxis = !quant.uniform<i8:f32:0, {0.5, 0.25}>

// reshape constraint 1: a per-axis tensor cannot be reshaped (the axis
// would lose its meaning).
func.func @reshape_per_axis(%x: tensor<2x4x!perAxis>) -> tensor<8x!perAxis> {
  // expected-error @+1 {{'qnn.reshape' op input must be quantized per tensor}}
  %y = qnn.reshape %x : tensor<2x4x!perAxis> -> tensor<8x!perAxis>
  return %y : tensor<8x!perAxis>
}

// -----

// reshape constraint 2: element counts that overflow int64 are an error, not
// a wrap-around to 0.
func.func @reshape_overflow(%x: tensor<4294967296x4294967296xf32>) -> tensor<0xf32> {
  // expected-error @+1 {{'qnn.reshape' op element count of [4294967296, 4294967296] overflows int64}}
  %y = qnn.reshape %x : tensor<4294967296x4294967296xf32> -> tensor<0xf32>
  return %y : tensor<0xf32>
}

// -----

!perAxis = !quant.uniform<i8:f32:0, {0.5, 0.25}>

// transpose constraint 3: a per-axis tensor cannot be transposed.
func.func @transpose_per_axis(%x: tensor<2x4x!perAxis>) -> tensor<4x2x!perAxis> {
  // expected-error @+1 {{'qnn.transpose' op input must be quantized per tensor}}
  %y = qnn.transpose %x permutation = [1, 0] : tensor<2x4x!perAxis> -> tensor<4x2x!perAxis>
  return %y : tensor<4x2x!perAxis>
}

// -----

// concat constraint 4: sizes that add up past int64 are an error (they used
// to wrap to the dynamic-size marker).
func.func @concat_overflow(%a: tensor<4611686018427387904xf32>, %b: tensor<4611686018427387904xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'qnn.concat' op the inputs' sizes along dimension 0 add up to more than int64 holds}}
  %y = qnn.concat %a, %b axis = 0 : (tensor<4611686018427387904xf32>, tensor<4611686018427387904xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}

// -----

// pad constraint 2: a padded size past int64 is an error, not a wrap-around.
func.func @pad_overflow(%x: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qnn.pad' op padded size of dimension 0 overflows int64 (low 9223372036854775807, size 4, high 9223372036854775807)}}
  %y = qnn.pad %x low = [9223372036854775807] high = [9223372036854775807] mode = constant value = 0.0
         : tensor<4xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// pad constraint 5: an integer pad value far outside the type is an error
// (it used to go through an undefined double-to-int64 cast).
func.func @pad_integer_huge(%x: tensor<4xi64>) -> tensor<5xi64> {
  // expected-error @+1 {{'qnn.pad' op pad value 1e+30 is not an integer of 'i64'}}
  %y = qnn.pad %x low = [1] high = [0] mode = constant value = 1.0e30 : tensor<4xi64> -> tensor<5xi64>
  return %y : tensor<5xi64>
}
