// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Malformed qnn IR: parse errors and ODS type/attribute constraint errors.
// Each case must be diagnosed at the right place, and quant-opt must not
// crash on any of them (a crash fails -verify-diagnostics).

// Unknown op.
func.func @unknown_op(%x: tensor<1x8x8x8x4xf32>) {
  // expected-error @+1 {{custom op 'qnn.conv3d' is unknown}}
  %y = qnn.conv3d %x : tensor<1x8x8x8x4xf32>
  return
}

// -----

// Unknown op, generic form.
func.func @unknown_op_generic(%x: tensor<4xf32>) {
  // expected-error @+1 {{unregistered operation 'qnn.sub' found in dialect ('qnn') that does not allow unknown operations}}
  %y = "qnn.sub"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Missing required keyword: conv2d without `dilations = [...]`.
func.func @missing_dilations(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) {
  // expected-error @+1 {{custom op 'qnn.conv2d' expected 'dilations'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return
}

// -----

// Missing required keyword: batch_norm cut short before `scale`.
func.func @missing_scale(%x: tensor<2x4xf32>) {
  %y = qnn.batch_norm %x
// expected-error @+1 {{custom op 'qnn.batch_norm' expected 'scale'}}
}

// -----

// Missing required keyword: requantize without `clamp = [...]`.
func.func @missing_clamp(%x: tensor<4xi32>) {
  // expected-error @+1 {{custom op 'qnn.requantize' expected 'clamp'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0 rounding = double
         : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

// Unterminated attribute: the padding list lacks its `]`.
func.func @unterminated_padding(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) {
  // expected-error @+1 {{expected ']'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0 groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return
}

// -----

// Unterminated attribute: the statistics lack their `>`.
func.func @unterminated_stats(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected '>'}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0 : tensor<4xf32>
  return
}

// -----

// Unterminated attribute: the clamp bounds lack their `)`.
func.func @unterminated_clamp(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected ')'}}
  %y = qnn.activation %x kind = clamp(min = 0.0, max = 1.0 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// Bad activation keyword.
func.func @bad_activation(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{unknown activation kind 'gelu', expected none, relu, relu6 or clamp}}
  %y = qnn.dense %x, %w activation = gelu : (tensor<2x16xf32>, tensor<10x16xf32>) -> tensor<2x10xf32>
  return
}

// -----

// Bad activation: not a keyword at all.
func.func @activation_not_keyword(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected activation kind: none, relu, relu6 or clamp}}
  %y = qnn.activation %x kind = 3 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// Bad activation: clamp bounds need `max`.
func.func @clamp_missing_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected ','}}
  %y = qnn.activation %x kind = clamp(min = 0.0) : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// Unknown statistics key.
func.func @unknown_stats_key(%x: tensor<4xf32>) {
  // expected-error @+1 {{unknown statistics key 'mean', expected count, min, max, hist_range, hist, channel_min, channel_max or channel_mean}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, mean = 0.5> : tensor<4xf32>
  return
}

// -----

// Duplicate statistics key.
func.func @duplicate_stats_key(%x: tensor<4xf32>) {
  // expected-error @+1 {{duplicate statistics key 'min'}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, min = 0.5> : tensor<4xf32>
  return
}

// -----

// Missing required statistics key.
func.func @missing_stats_key(%x: tensor<4xf32>) {
  // expected-error @+1 {{statistics need 'count', 'min' and 'max'}}
  %y = qnn.stats %x <count = 1, max = 1.0> : tensor<4xf32>
  return
}

// -----

// Bad enum keyword: pad mode.
func.func @bad_pad_mode(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::qnn::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse Qnn_PadModeAttr parameter 'value'}}
  %y = qnn.pad %x low = [1] high = [1] mode = wrap value = 0.0 : tensor<4xf32> -> tensor<6xf32>
  return
}

// -----

// Bad enum keyword: rounding mode.
func.func @bad_rounding(%x: tensor<4xi32>) {
  // expected-error @+2 {{expected ::qnn::RoundingMode to be one of: double, single}}
  // expected-error @+1 {{failed to parse Qnn_RoundingModeAttr parameter 'value'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = nearest : tensor<4xi32> -> tensor<4xi8>
  return
}

// -----

// Wrong operand count: the custom form lists three types for two operands.
func.func @operand_type_count(%x: tensor<2x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{custom op 'qnn.dense' number of operands and types do not match: got 2 operands and 3 types}}
  %y = qnn.dense %x, %w : (tensor<2x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return
}

// -----

// Wrong operand count: a binary op with one operand (custom form).
func.func @add_one_operand(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected ','}}
  %y = qnn.add %x : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Wrong operand count: a binary op with one operand (generic form).
func.func @add_one_operand_generic(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.add' op expected 2 operands, but found 1}}
  %y = "qnn.add"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Type error: f16 elements are in no numeric form.
func.func @f16_elements(%x: tensor<4xf16>) {
  // expected-error @+1 {{'qnn.add' op operand #0 must be ranked tensor of 32-bit float or quantized type or integer values, but got 'tensor<4xf16>'}}
  %y = qnn.add %x, %x : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return
}

// -----

// Type error: f16 filter of a convolution.
func.func @f16_filter(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf16>) {
  // expected-error @+1 {{'qnn.conv2d' op operand #1 must be 4D tensor of 32-bit float or quantized type or integer values, but got 'tensor<8x3x3x4xf16>'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf16>) -> tensor<1x6x6x8xf32>
  return
}

// -----

// Type error: softmax is float only.
!q = !quant.uniform<i8:f32, 0.5>
func.func @softmax_quantized(%x: tensor<1x10x!q>) {
  // expected-error @+1 {{'qnn.softmax' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<1x10x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %y = qnn.softmax %x axis = 1 : tensor<1x10x!q> -> tensor<1x10x!q>
  return
}

// -----

// Type error: requantize takes integers only.
func.func @requantize_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qnn.requantize' op operand #0 must be ranked tensor of integer values, but got 'tensor<4xf32>'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

// Type error: unranked tensors are rejected.
func.func @unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'qnn.reshape' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %y = qnn.reshape %x : tensor<*xf32> -> tensor<4xf32>
  return
}

// -----

// Type error: global_avg_pool needs a 4-D input.
func.func @global_avg_pool_rank3(%x: tensor<8x8x4xf32>) {
  // expected-error @+1 {{'qnn.global_avg_pool' op operand #0 must be 4D tensor of 32-bit float or quantized type or integer values, but got 'tensor<8x8x4xf32>'}}
  %y = qnn.global_avg_pool %x : tensor<8x8x4xf32> -> tensor<1x1x4xf32>
  return
}

// -----

// Attribute constraint: kernel is a pair.
func.func @kernel_three_entries(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{'qnn.max_pool2d' op attribute 'kernel' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %y = qnn.max_pool2d %x kernel = [2, 2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

// Bad type syntax: unterminated tensor type.
func.func @unterminated_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected '>' in tensor type}}
  %y = qnn.reshape %x : tensor<4xf32> -> tensor<2x2xf32
}

// -----

// Missing result type of a unary op.
func.func @missing_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{expected '->'}}
  %y = qnn.softmax %x axis = 0 : tensor<4xf32>
  return
}
