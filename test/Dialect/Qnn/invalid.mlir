// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the layer ops: qnn.conv2d, qnn.dense, qnn.matmul,
// qnn.add and qnn.mul. One case per numbered constraint of QnnOps.td (and
// per distinct check inside a constraint). Pooling, activation and shape ops
// are in invalid-pool-shape.mlir; requantize, stats, the attributes and the
// quantized-type checks in invalid-requantize-stats.mlir.

//===----------------------------------------------------------------------===//
// qnn.conv2d
//===----------------------------------------------------------------------===//

// conv2d constraint 1: strides are positive.
func.func @conv2d_zero_stride(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op strides must be positive, got [0, 1]}}
  %y = qnn.conv2d %x, %w strides = [0, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 1: dilations are positive.
func.func @conv2d_negative_dilation(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op dilations must be positive, got [1, -2]}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, -2] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 2: groups is positive.
func.func @conv2d_zero_groups(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op groups must be positive, got 0}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 0
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 2: groups divides the input channels C.
func.func @conv2d_groups_not_dividing_c(%x: tensor<1x8x8x4xf32>, %w: tensor<6x3x3x1xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'qnn.conv2d' op input channels (4) must be divisible by groups (3)}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 3
         : (tensor<1x8x8x4xf32>, tensor<6x3x3x1xf32>) -> tensor<1x6x6x6xf32>
  return %y : tensor<1x6x6x6xf32>
}

// -----

// conv2d constraint 2: groups divides the output channels O.
func.func @conv2d_groups_not_dividing_o(%x: tensor<1x8x8x4xf32>, %w: tensor<5x3x3x2xf32>) -> tensor<1x6x6x5xf32> {
  // expected-error @+1 {{'qnn.conv2d' op output channels (5) must be divisible by groups (2)}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 2
         : (tensor<1x8x8x4xf32>, tensor<5x3x3x2xf32>) -> tensor<1x6x6x5xf32>
  return %y : tensor<1x6x6x5xf32>
}

// -----

// conv2d constraint 3: the filter's last dimension is C / groups (groups = 1).
func.func @conv2d_filter_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x2xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op filter [8, 3, 3, 2] has 2 input channels per group, expected input channels / groups = 4 / 1 = 4}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x2xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 3: the filter's last dimension is C / groups (depthwise).
func.func @conv2d_depthwise_filter_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op filter [8, 3, 3, 4] has 4 input channels per group, expected input channels / groups = 4 / 4 = 1}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 4
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 4: the bias has shape [O].
func.func @conv2d_bias_shape(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>, %b: tensor<4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op bias shape [4] does not match the 8 output channels}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>, tensor<4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 5: the padded input is at least as large as the kernel (H).
func.func @conv2d_input_smaller_than_kernel(%x: tensor<1x2x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x1x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op padded input size 2 in dimension H is smaller than the dilated kernel 3}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x2x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x1x6x8xf32>
  return %y : tensor<1x1x6x8xf32>
}

// -----

// conv2d constraint 5: the padded input is at least as large as the dilated
// kernel (W, dilation 2 makes a 3-wide kernel span 5).
func.func @conv2d_input_smaller_than_dilated_kernel(%x: tensor<1x8x3x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x1x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op padded input size 4 in dimension W is smaller than the dilated kernel 5}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 2] padding = [0, 0, 0, 1] groups = 1
         : (tensor<1x8x3x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x1x8xf32>
  return %y : tensor<1x6x1x8xf32>
}

// -----

// conv2d constraint 6: the result shape is [N, OH, OW, O] (spatial sizes).
func.func @conv2d_result_spatial(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x8x8x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op result shape [1, 8, 8, 8] does not match the expected shape [1, 6, 6, 8]}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}

// -----

// conv2d constraint 6: the result shape is [N, OH, OW, O] (strided, padded).
func.func @conv2d_result_strided(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x3x3x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op result shape [1, 3, 3, 8] does not match the expected shape [1, 4, 4, 8]}}
  %y = qnn.conv2d %x, %w strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x3x3x8xf32>
  return %y : tensor<1x3x3x8xf32>
}

// -----

// conv2d constraint 6: the result shape is [N, OH, OW, O] (channels and batch).
func.func @conv2d_result_channels(%x: tensor<2x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{'qnn.conv2d' op result shape [1, 6, 6, 4] does not match the expected shape [2, 6, 6, 8]}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<2x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

// conv2d constraint 7: one numeric form (float input, quantized filter).
!qw = !quant.uniform<i8:f32, 0.25>
func.func @conv2d_mixed_float_quant(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op mixes numeric forms: input is float ('f32') but filter is quantized ('!quant.uniform<i8:f32, 2.500000e-01>')}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 7: one numeric form (quantized input and filter, integer
// result).
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @conv2d_mixed_quant_int(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op mixes numeric forms: input is quantized ('!quant.uniform<i8:f32, 5.000000e-01:-1>') but result is integer ('i32')}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 7: a float bias is allowed only in the Q form; in the I
// form it mixes forms.
func.func @conv2d_float_bias_in_int_form(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi8>, %b: tensor<8xf32>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op mixes numeric forms: input is integer ('i8') but bias is float ('f32')}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi8>, tensor<8xf32>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 7: Q form, an integer bias mixes forms.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @conv2d_int_bias_in_quant_form(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>, %b: tensor<8xi32>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op mixes numeric forms: input is quantized ('!quant.uniform<i8:f32, 5.000000e-01:-1>') but bias is integer ('i32')}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>, tensor<8xi32>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// conv2d constraint 7: Q form, a quantized bias has i32 storage.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qb = !quant.uniform<i16:f32, 0.125>
func.func @conv2d_quant_bias_storage(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>, %b: tensor<8x!qb>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op quantized bias must have 32-bit storage, got '!quant.uniform<i16:f32, 1.250000e-01>'}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>, tensor<8x!qb>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// conv2d constraint 7: Q form, the input is per-tensor.
!qx = !quant.uniform<i8:f32:0, {0.5}>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.5:-1>
func.func @conv2d_per_axis_input(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qy> {
  // expected-error @+1 {{'qnn.conv2d' op input must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01}>'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qy>
  return %y : tensor<1x6x6x8x!qy>
}

// -----

// conv2d constraint 7: Q form, the result is per-tensor.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32:0, {0.5}>
func.func @conv2d_per_axis_result(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qy> {
  // expected-error @+1 {{'qnn.conv2d' op result must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01}>'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qy>
  return %y : tensor<1x6x6x8x!qy>
}

// -----

// conv2d constraint 7: I form, the input has at most 16 bits.
func.func @conv2d_int_input_width(%x: tensor<1x8x8x4xi32>, %w: tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op input must have at most 16 bits in the integer form, got 'i32'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xi32>, tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 7: I form, the filter has at most 16 bits.
func.func @conv2d_int_filter_width(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi17>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op filter must have at most 16 bits in the integer form, got 'i17'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi17>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 7: I form, the bias is i32.
func.func @conv2d_int_bias_width(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi8>, %b: tensor<8xi16>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op bias must be i32 in the integer form, got 'i16'}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi8>, tensor<8xi16>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 7: I form, the result is i32 (not ui32).
func.func @conv2d_int_result_unsigned(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xui32> {
  // expected-error @+1 {{'qnn.conv2d' op result must be i32 in the integer form, got 'ui32'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xui32>
  return %y : tensor<1x6x6x8xui32>
}

// -----

// conv2d constraint 7: an element type of no numeric form (!quant.any).
func.func @conv2d_no_form(%x: tensor<1x8x8x4x!quant.any<i8:f32>>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op input element type '!quant.any<i8:f32>' is in no numeric form (f32, !quant.uniform or integer)}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!quant.any<i8:f32>>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 8: a per-axis filter is quantized along axis 0.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:1, {0.25, 0.25, 0.25}>
func.func @conv2d_per_axis_filter_axis1(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op per-axis filter must be quantized along axis 0 (output channels), got axis 1}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// conv2d constraint 8: a per-axis filter has O scales.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.25, 0.5}>
func.func @conv2d_per_axis_filter_scales(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op per-axis filter has 4 scales but 8 output channels}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// conv2d constraint 8 (bias): a per-axis bias has O scales.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.5}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.25, 0.125}>
func.func @conv2d_per_axis_bias_scales(%x: tensor<1x8x8x4x!qx>, %w: tensor<2x3x3x4x!qw>, %b: tensor<2x!qb>) -> tensor<1x6x6x2x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op per-axis bias has 3 scales but 2 output channels}}
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<2x3x3x4x!qw>, tensor<2x!qb>) -> tensor<1x6x6x2x!qx>
  return %y : tensor<1x6x6x2x!qx>
}

// -----

// conv2d constraint 9: the I form has no fused activation.
func.func @conv2d_int_fused_activation(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op the integer form has no fused activation (it belongs to qnn.requantize), got relu6}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 activation = relu6
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 9: input_zero_point fits the input's integer type.
func.func @conv2d_input_zero_point_range(%x: tensor<1x8x8x4xi8>, %w: tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32> {
  // expected-error @+1 {{'qnn.conv2d' op input_zero_point 128 does not fit 'i8' [-128, 127]}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 input_zero_point = 128
         : (tensor<1x8x8x4xi8>, tensor<8x3x3x4xi8>) -> tensor<1x6x6x8xi32>
  return %y : tensor<1x6x6x8xi32>
}

// -----

// conv2d constraint 9: input_zero_point is absent in the F form.
func.func @conv2d_input_zero_point_float(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op input_zero_point is only allowed in the integer form, got the float form}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 input_zero_point = 0
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// conv2d constraint 9: input_zero_point is absent in the Q form.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @conv2d_input_zero_point_quant(%x: tensor<1x8x8x4x!qx>, %w: tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op input_zero_point is only allowed in the integer form, got the quantized form}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 input_zero_point = -1
         : (tensor<1x8x8x4x!qx>, tensor<8x3x3x4x!qw>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// conv2d constraint 10: per-channel activation bounds number O.
func.func @conv2d_activation_bounds(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{'qnn.conv2d' op activation has 4 per-channel bounds but the result has 8 channels}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         activation = clamp(min = [0.0, 0.0, 0.0, 0.0], max = [6.0, 6.0, 6.0, 6.0])
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.dense
//===----------------------------------------------------------------------===//

// dense constraint 1: the weight's second dimension equals the input's K.
func.func @dense_k_mismatch(%x: tensor<2x16xf32>, %w: tensor<10x8xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op weight [10, 8] has K = 8 but the input [2, 16] has K = 16}}
  %y = qnn.dense %x, %w : (tensor<2x16xf32>, tensor<10x8xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// dense constraint 2: the bias has shape [O].
func.func @dense_bias_shape(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>, %b: tensor<5xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op bias shape [5] does not match the 10 output channels}}
  %y = qnn.dense %x, %w, %b : (tensor<2x16xf32>, tensor<10x16xf32>, tensor<5xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// dense constraint 3: the result shape is [N, O] (O).
func.func @dense_result_o(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{'qnn.dense' op result shape [2, 16] does not match the expected shape [2, 10]}}
  %y = qnn.dense %x, %w : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

// -----

// dense constraint 3: the result shape is [N, O] (N).
func.func @dense_result_n(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'qnn.dense' op result shape [1, 10] does not match the expected shape [2, 10]}}
  %y = qnn.dense %x, %w : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<1x10xf32>
  return %y : tensor<1x10xf32>
}

// -----

// dense constraint 4: one numeric form (float input, integer weight).
func.func @dense_mixed_float_int(%x: tensor<2x16xf32>, %w: tensor<10x16xi8>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op mixes numeric forms: input is float ('f32') but weight is integer ('i8')}}
  %y = qnn.dense %x, %w : (tensor<2x16xf32>, tensor<10x16xi8>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// dense constraint 4: one numeric form (quantized bias in the F form).
!qb = !quant.uniform<i32:f32, 0.125>
func.func @dense_quant_bias_in_float_form(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>, %b: tensor<10x!qb>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op mixes numeric forms: input is float ('f32') but bias is quantized ('!quant.uniform<i32:f32, 1.250000e-01>')}}
  %y = qnn.dense %x, %w, %b : (tensor<2x16xf32>, tensor<10x16xf32>, tensor<10x!qb>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// dense constraint 4: Q form, a quantized bias has i32 storage.
!qx = !quant.uniform<u8:f32, 0.5:128>
!qw = !quant.uniform<i8:f32, 0.25>
!qb = !quant.uniform<i8:f32, 0.125>
func.func @dense_quant_bias_storage(%x: tensor<2x16x!qx>, %w: tensor<10x16x!qw>, %b: tensor<10x!qb>) -> tensor<2x10x!qx> {
  // expected-error @+1 {{'qnn.dense' op quantized bias must have 32-bit storage, got '!quant.uniform<i8:f32, 1.250000e-01>'}}
  %y = qnn.dense %x, %w, %b : (tensor<2x16x!qx>, tensor<10x16x!qw>, tensor<10x!qb>) -> tensor<2x10x!qx>
  return %y : tensor<2x10x!qx>
}

// -----

// dense constraint 4: Q form, the input is per-tensor.
!qx = !quant.uniform<i8:f32:0, {0.5, 0.25}>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 0.5>
func.func @dense_per_axis_input(%x: tensor<2x16x!qx>, %w: tensor<10x16x!qw>) -> tensor<2x10x!qy> {
  // expected-error @+1 {{'qnn.dense' op input must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.dense %x, %w : (tensor<2x16x!qx>, tensor<10x16x!qw>) -> tensor<2x10x!qy>
  return %y : tensor<2x10x!qy>
}

// -----

// dense constraint 4: I form, the weight has at most 16 bits.
func.func @dense_int_weight_width(%x: tensor<2x16xi8>, %w: tensor<10x16xi32>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.dense' op weight must have at most 16 bits in the integer form, got 'i32'}}
  %y = qnn.dense %x, %w : (tensor<2x16xi8>, tensor<10x16xi32>) -> tensor<2x10xi32>
  return %y : tensor<2x10xi32>
}

// -----

// dense constraint 4: I form, the result is i32.
func.func @dense_int_result_width(%x: tensor<2x16xi8>, %w: tensor<10x16xi8>) -> tensor<2x10xi16> {
  // expected-error @+1 {{'qnn.dense' op result must be i32 in the integer form, got 'i16'}}
  %y = qnn.dense %x, %w : (tensor<2x16xi8>, tensor<10x16xi8>) -> tensor<2x10xi16>
  return %y : tensor<2x10xi16>
}

// -----

// dense constraint 5: a per-axis weight is quantized along axis 0.
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:1, {0.25, 0.25}>
func.func @dense_per_axis_weight_axis1(%x: tensor<2x16x!qx>, %w: tensor<10x16x!qw>) -> tensor<2x10x!qx> {
  // expected-error @+1 {{'qnn.dense' op per-axis weight must be quantized along axis 0 (output channels), got axis 1}}
  %y = qnn.dense %x, %w : (tensor<2x16x!qx>, tensor<10x16x!qw>) -> tensor<2x10x!qx>
  return %y : tensor<2x10x!qx>
}

// -----

// dense constraint 5: a per-axis weight has O scales.
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.5, 0.25}>
func.func @dense_per_axis_weight_scales(%x: tensor<2x16x!qx>, %w: tensor<2x16x!qw>) -> tensor<2x2x!qx> {
  // expected-error @+1 {{'qnn.dense' op per-axis weight has 3 scales but 2 output channels}}
  %y = qnn.dense %x, %w : (tensor<2x16x!qx>, tensor<2x16x!qw>) -> tensor<2x2x!qx>
  return %y : tensor<2x2x!qx>
}

// -----

// dense constraint 6: the I form has no fused activation.
func.func @dense_int_fused_activation(%x: tensor<2x16xi8>, %w: tensor<10x16xi8>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.dense' op the integer form has no fused activation (it belongs to qnn.requantize), got clamp}}
  %y = qnn.dense %x, %w activation = clamp(min = -1.0, max = 1.0) : (tensor<2x16xi8>, tensor<10x16xi8>) -> tensor<2x10xi32>
  return %y : tensor<2x10xi32>
}

// -----

// dense constraint 6: input_zero_point fits the input's integer type (ui8).
func.func @dense_input_zero_point_unsigned(%x: tensor<2x16xui8>, %w: tensor<10x16xi8>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'qnn.dense' op input_zero_point -1 does not fit 'ui8' [0, 255]}}
  %y = qnn.dense %x, %w input_zero_point = -1 : (tensor<2x16xui8>, tensor<10x16xi8>) -> tensor<2x10xi32>
  return %y : tensor<2x10xi32>
}

// -----

// dense constraint 6: input_zero_point is absent in the F form.
func.func @dense_input_zero_point_float(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op input_zero_point is only allowed in the integer form, got the float form}}
  %y = qnn.dense %x, %w input_zero_point = 3 : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// dense constraint 7: per-channel activation bounds number O.
func.func @dense_activation_bounds(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{'qnn.dense' op activation has 2 per-channel bounds but the result has 10 channels}}
  %y = qnn.dense %x, %w activation = clamp(min = [0.0, 0.0], max = [6.0, 3.5]) : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.matmul
//===----------------------------------------------------------------------===//

// matmul constraint 1: the operands have rank at least 2.
func.func @matmul_rank1(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<f32> {
  // expected-error @+1 {{'qnn.matmul' op operands must have the same rank, at least 2, got [8] and [8]}}
  %c = qnn.matmul %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return %c : tensor<f32>
}

// -----

// matmul constraint 1: both operands have the same rank.
func.func @matmul_rank_mismatch(%a: tensor<4x8x16xf32>, %b: tensor<16x32xf32>) -> tensor<4x8x32xf32> {
  // expected-error @+1 {{'qnn.matmul' op operands must have the same rank, at least 2, got [4, 8, 16] and [16, 32]}}
  %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<16x32xf32>) -> tensor<4x8x32xf32>
  return %c : tensor<4x8x32xf32>
}

// -----

// matmul constraint 2: the batch dimensions agree.
func.func @matmul_batch(%a: tensor<4x8x16xf32>, %b: tensor<2x16x32xf32>) -> tensor<4x8x32xf32> {
  // expected-error @+1 {{'qnn.matmul' op batch dimensions [4] and [2] differ}}
  %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<2x16x32xf32>) -> tensor<4x8x32xf32>
  return %c : tensor<4x8x32xf32>
}

// -----

// matmul constraint 3: the contraction dimensions agree.
func.func @matmul_contraction(%a: tensor<4x8x16xf32>, %b: tensor<4x12x32xf32>) -> tensor<4x8x32xf32> {
  // expected-error @+1 {{'qnn.matmul' op contraction dimensions differ: lhs [4, 8, 16] has K = 16, rhs [4, 12, 32] has K = 12}}
  %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<4x12x32xf32>) -> tensor<4x8x32xf32>
  return %c : tensor<4x8x32xf32>
}

// -----

// matmul constraint 4: the result shape is [b..., M, N].
func.func @matmul_result(%a: tensor<4x8x16xf32>, %b: tensor<4x16x32xf32>) -> tensor<4x8x16xf32> {
  // expected-error @+1 {{'qnn.matmul' op result shape [4, 8, 16] does not match the expected shape [4, 8, 32]}}
  %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<4x16x32xf32>) -> tensor<4x8x16xf32>
  return %c : tensor<4x8x16xf32>
}

// -----

// matmul constraint 4: the result shape is [b..., M, N] (rank).
func.func @matmul_result_rank(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<1x8x32xf32> {
  // expected-error @+1 {{'qnn.matmul' op result shape [1, 8, 32] does not match the expected shape [8, 32]}}
  %c = qnn.matmul %a, %b : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<1x8x32xf32>
  return %c : tensor<1x8x32xf32>
}

// -----

// matmul constraint 5: one numeric form.
!q = !quant.uniform<i8:f32, 0.5>
func.func @matmul_mixed(%a: tensor<8x16x!q>, %b: tensor<16x32xf32>) -> tensor<8x32x!q> {
  // expected-error @+1 {{'qnn.matmul' op mixes numeric forms: lhs is quantized ('!quant.uniform<i8:f32, 5.000000e-01>') but rhs is float ('f32')}}
  %c = qnn.matmul %a, %b : (tensor<8x16x!q>, tensor<16x32xf32>) -> tensor<8x32x!q>
  return %c : tensor<8x32x!q>
}

// -----

// matmul constraint 5: per-tensor only (per-axis rhs).
!q = !quant.uniform<i8:f32, 0.5>
!qa = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @matmul_per_axis(%a: tensor<8x16x!q>, %b: tensor<16x32x!qa>) -> tensor<8x32x!q> {
  // expected-error @+1 {{'qnn.matmul' op rhs must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %c = qnn.matmul %a, %b : (tensor<8x16x!q>, tensor<16x32x!qa>) -> tensor<8x32x!q>
  return %c : tensor<8x32x!q>
}

// -----

// matmul constraint 5: I form, the operands have at most 16 bits.
func.func @matmul_int_width(%a: tensor<8x16xi32>, %b: tensor<16x32xi8>) -> tensor<8x32xi32> {
  // expected-error @+1 {{'qnn.matmul' op lhs must have at most 16 bits in the integer form, got 'i32'}}
  %c = qnn.matmul %a, %b : (tensor<8x16xi32>, tensor<16x32xi8>) -> tensor<8x32xi32>
  return %c : tensor<8x32xi32>
}

// -----

// matmul constraint 5: I form, the result is i32.
func.func @matmul_int_result(%a: tensor<8x16xi8>, %b: tensor<16x32xi8>) -> tensor<8x32xi64> {
  // expected-error @+1 {{'qnn.matmul' op result must be i32 in the integer form, got 'i64'}}
  %c = qnn.matmul %a, %b : (tensor<8x16xi8>, tensor<16x32xi8>) -> tensor<8x32xi64>
  return %c : tensor<8x32xi64>
}

// -----

// matmul constraint 6: zero points are given only in the I form.
func.func @matmul_zero_point_float(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<8x32xf32> {
  // expected-error @+1 {{'qnn.matmul' op lhs_zero_point is only allowed in the integer form, got the float form}}
  %c = qnn.matmul %a, %b lhs_zero_point = 0 : (tensor<8x16xf32>, tensor<16x32xf32>) -> tensor<8x32xf32>
  return %c : tensor<8x32xf32>
}

// -----

// matmul constraint 6: zero points are given only in the I form (Q form, rhs).
!q = !quant.uniform<i8:f32, 0.5>
func.func @matmul_zero_point_quant(%a: tensor<8x16x!q>, %b: tensor<16x32x!q>) -> tensor<8x32x!q> {
  // expected-error @+1 {{'qnn.matmul' op rhs_zero_point is only allowed in the integer form, got the quantized form}}
  %c = qnn.matmul %a, %b rhs_zero_point = 1 : (tensor<8x16x!q>, tensor<16x32x!q>) -> tensor<8x32x!q>
  return %c : tensor<8x32x!q>
}

// -----

// matmul constraint 6: lhs_zero_point fits the lhs type.
func.func @matmul_lhs_zero_point_range(%a: tensor<8x16xi8>, %b: tensor<16x32xi8>) -> tensor<8x32xi32> {
  // expected-error @+1 {{'qnn.matmul' op lhs_zero_point -129 does not fit 'i8' [-128, 127]}}
  %c = qnn.matmul %a, %b lhs_zero_point = -129 rhs_zero_point = 0 : (tensor<8x16xi8>, tensor<16x32xi8>) -> tensor<8x32xi32>
  return %c : tensor<8x32xi32>
}

// -----

// matmul constraint 6: rhs_zero_point fits the rhs type.
func.func @matmul_rhs_zero_point_range(%a: tensor<8x16xi8>, %b: tensor<16x32xui8>) -> tensor<8x32xi32> {
  // expected-error @+1 {{'qnn.matmul' op rhs_zero_point 256 does not fit 'ui8' [0, 255]}}
  %c = qnn.matmul %a, %b lhs_zero_point = 0 rhs_zero_point = 256 : (tensor<8x16xi8>, tensor<16x32xui8>) -> tensor<8x32xi32>
  return %c : tensor<8x32xi32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.add
//===----------------------------------------------------------------------===//

// add constraint 1: the operand shapes broadcast.
func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'qnn.add' op operand shapes [2, 3] and [4, 3] do not broadcast}}
  %c = qnn.add %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %c : tensor<4x3xf32>
}

// -----

// add constraint 2: the result shape is the broadcast shape.
func.func @add_result_shape(%a: tensor<2x3xf32>, %b: tensor<4x1x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'qnn.add' op result shape [2, 3] does not match the expected shape [4, 2, 3]}}
  %c = qnn.add %a, %b : (tensor<2x3xf32>, tensor<4x1x3xf32>) -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

// add constraint 3: the integer form has one type throughout.
func.func @add_int_form_types(%a: tensor<4xi8>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op integer operands and result must have one type, got 'i8', 'i32' -> 'i32'}}
  %c = qnn.add %a, %b : (tensor<4xi8>, tensor<4xi32>) -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// add constraint 3: no fused activation in the integer form.
func.func @add_int_form_activation(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.add' op has no fused activation in the integer form (the clamp lives in qnn.requantize)}}
  %c = qnn.add %a, %b activation = relu : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// mul constraint 3: F or Q only (no integer form).
func.func @mul_int_form(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.mul' op does not accept the integer form (lhs is 'i32')}}
  %c = qnn.mul %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// add constraint 3: one numeric form.
!q = !quant.uniform<i8:f32, 0.5>
func.func @add_mixed(%a: tensor<4x!q>, %b: tensor<4x!q>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.add' op mixes numeric forms: lhs is quantized ('!quant.uniform<i8:f32, 5.000000e-01>') but result is float ('f32')}}
  %c = qnn.add %a, %b : (tensor<4x!q>, tensor<4x!q>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// add constraint 3: per-tensor only.
!q = !quant.uniform<i8:f32, 0.5>
!qa = !quant.uniform<i8:f32:0, {0.5, 0.25, 0.5, 0.25}>
func.func @add_per_axis(%a: tensor<4x!q>, %b: tensor<4x!qa>) -> tensor<4x!q> {
  // expected-error @+1 {{'qnn.add' op rhs must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,5.000000e-01,2.500000e-01}>'}}
  %c = qnn.add %a, %b : (tensor<4x!q>, tensor<4x!qa>) -> tensor<4x!q>
  return %c : tensor<4x!q>
}

// -----

// add constraint 4: per-channel activation bounds number the result's last
// dimension.
func.func @add_activation_bounds(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'qnn.add' op activation has 2 per-channel bounds but the result has 3 channels}}
  %c = qnn.add %a, %b activation = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.mul
//===----------------------------------------------------------------------===//

// mul constraint 1: the operand shapes broadcast.
func.func @mul_no_broadcast(%a: tensor<1x8x8x4xf32>, %b: tensor<3xf32>) -> tensor<1x8x8x4xf32> {
  // expected-error @+1 {{'qnn.mul' op operand shapes [1, 8, 8, 4] and [3] do not broadcast}}
  %c = qnn.mul %a, %b : (tensor<1x8x8x4xf32>, tensor<3xf32>) -> tensor<1x8x8x4xf32>
  return %c : tensor<1x8x8x4xf32>
}

// -----

// mul constraint 2: the result shape is the broadcast shape.
func.func @mul_result_shape(%a: tensor<1x8x8x4xf32>, %b: tensor<4xf32>) -> tensor<1x8x8x1xf32> {
  // expected-error @+1 {{'qnn.mul' op result shape [1, 8, 8, 1] does not match the expected shape [1, 8, 8, 4]}}
  %c = qnn.mul %a, %b : (tensor<1x8x8x4xf32>, tensor<4xf32>) -> tensor<1x8x8x1xf32>
  return %c : tensor<1x8x8x1xf32>
}

// -----

// mul constraint 3: F or Q only (no integer form).
func.func @mul_int_form(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qnn.mul' op does not accept the integer form (lhs is 'i32')}}
  %c = qnn.mul %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %c : tensor<4xi32>
}

// -----

// mul constraint 3: one numeric form.
!q = !quant.uniform<i8:f32, 0.5>
func.func @mul_mixed(%a: tensor<4xf32>, %b: tensor<4x!q>) -> tensor<4xf32> {
  // expected-error @+1 {{'qnn.mul' op mixes numeric forms: lhs is float ('f32') but rhs is quantized ('!quant.uniform<i8:f32, 5.000000e-01>')}}
  %c = qnn.mul %a, %b : (tensor<4xf32>, tensor<4x!q>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// mul constraint 3: per-tensor only (per-axis result).
!q = !quant.uniform<i8:f32, 0.5>
!qa = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @mul_per_axis_result(%a: tensor<2x!q>, %b: tensor<2x!q>) -> tensor<2x!qa> {
  // expected-error @+1 {{'qnn.mul' op result must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %c = qnn.mul %a, %b : (tensor<2x!q>, tensor<2x!q>) -> tensor<2x!qa>
  return %c : tensor<2x!qa>
}

// -----

// mul constraint 4: per-channel activation bounds number the result's last
// dimension (a rank-0 result has one channel).
func.func @mul_activation_bounds_scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'qnn.mul' op activation has 2 per-channel bounds but the result has 1 channels}}
  %c = qnn.mul %a, %b activation = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %c : tensor<f32>
}

// -----

// conv2d constraint 5: a dilation that overflows the window arithmetic is an
// error (2^62 * (5 - 1) used to wrap to 0 and pass).
func.func @conv2d_dilation_overflow(%x: tensor<1x8x8x1xf32>, %w: tensor<1x5x1x1xf32>) -> tensor<1x8x8x1xf32> {
  // expected-error @+1 {{'qnn.conv2d' op window arithmetic in dimension H overflows int64 (input 8, padding 0 + 0, kernel 5, dilation 4611686018427387904)}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [4611686018427387904, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x1xf32>, tensor<1x5x1x1xf32>) -> tensor<1x8x8x1xf32>
  return %y : tensor<1x8x8x1xf32>
}
