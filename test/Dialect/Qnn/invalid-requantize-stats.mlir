// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Verifier errors of qnn.requantize and qnn.stats, of the qnn attributes
// (QnnAttrs.td: padding, activation, fixed_point, stats) and of the
// quantized-type checks of Utils/QuantTypeUtils.cpp that the op verifiers run
// on every !quant element type.

//===----------------------------------------------------------------------===//
// qnn.requantize
//===----------------------------------------------------------------------===//

// requantize constraint 1: not both of scale and fixed_point.
func.func @requantize_both(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op needs exactly one of 'scale' and 'fixed_point', got both}}
  %y = qnn.requantize %x scale = [0.5] fixed_point = <m0 = [1073741824], shift = [0]> axis = 0
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 1: at least one of scale and fixed_point.
func.func @requantize_neither(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op needs exactly one of 'scale' and 'fixed_point', got neither}}
  %y = qnn.requantize %x axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127]
         rounding = double : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 2: the number of scales is 1 or the size of
// dimension axis.
func.func @requantize_scale_count(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op has 3 multipliers but dimension 3 has size 2 (expected 1 or 2)}}
  %y = qnn.requantize %x scale = [0.5, 0.25, 0.125] axis = 3 input_zero_point = 0
         output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 2: an empty scale list has no multiplier.
func.func @requantize_scale_empty(%x: tensor<4x2xi32>) -> tensor<4x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op has 0 multipliers but dimension 0 has size 4 (expected 1 or 4)}}
  %y = qnn.requantize %x scale = [] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<4x2xi32> -> tensor<4x2xi8>
  return %y : tensor<4x2xi8>
}

// -----

// requantize constraint 2: the number of fixed-point multipliers is 1 or the
// size of dimension axis.
func.func @requantize_fixed_point_count(%x: tensor<1x8x8x4xi32>) -> tensor<1x8x8x4xi8> {
  // expected-error @+1 {{'qnn.requantize' op has 2 multipliers but dimension 3 has size 4 (expected 1 or 4)}}
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824, 1431655765], shift = [0, -1]> axis = 3
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = single
         : tensor<1x8x8x4xi32> -> tensor<1x8x8x4xi8>
  return %y : tensor<1x8x8x4xi8>
}

// -----

// requantize constraint 3: axis is in [0, rank) (too large).
func.func @requantize_axis_large(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op axis 4 is out of range [0, 4)}}
  %y = qnn.requantize %x scale = [0.5] axis = 4 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 3: axis is in [0, rank) (negative).
func.func @requantize_axis_negative(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op axis -1 is out of range [0, 4)}}
  %y = qnn.requantize %x scale = [0.5, 0.25] axis = -1 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 3: a rank-0 tensor only has axis 0.
func.func @requantize_axis_scalar(%x: tensor<i32>) -> tensor<i8> {
  // expected-error @+1 {{'qnn.requantize' op axis 1 is out of range [0, 0)}}
  %y = qnn.requantize %x scale = [0.5] axis = 1 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<i32> -> tensor<i8>
  return %y : tensor<i8>
}

// -----

// requantize constraint 4: every scale is non-negative.
func.func @requantize_negative_scale(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale must be positive and finite, or zero, got -0.25 at index 1}}
  %y = qnn.requantize %x scale = [0.5, -0.25] axis = 3 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 4: every scale is finite (infinity).
func.func @requantize_inf_scale(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale must be positive and finite, or zero, got inf at index 0}}
  %y = qnn.requantize %x scale = [0x7FF0000000000000] axis = 0 input_zero_point = 0
         output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 4: every scale is finite (NaN).
func.func @requantize_nan_scale(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x8x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op scale must be positive and finite, or zero, got nan at index 0}}
  %y = qnn.requantize %x scale = [0x7FF8000000000000] axis = 0 input_zero_point = 0
         output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
  return %y : tensor<1x8x8x2xi8>
}

// -----

// requantize constraint 5: input and result shapes are equal.
func.func @requantize_shape(%x: tensor<1x8x8x2xi32>) -> tensor<1x8x2x8xi8> {
  // expected-error @+1 {{'qnn.requantize' op result shape [1, 8, 2, 8] does not match the expected shape [1, 8, 8, 2]}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<1x8x8x2xi32> -> tensor<1x8x2x8xi8>
  return %y : tensor<1x8x2x8xi8>
}

// -----

// requantize constraint 6: input_zero_point fits the input type.
func.func @requantize_input_zero_point(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op input_zero_point 200 does not fit 'i8'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 200 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<4xi8> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// requantize constraint 6: output_zero_point fits the result type.
func.func @requantize_output_zero_point(%x: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.requantize' op output_zero_point 256 does not fit 'ui8'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 256
         clamp = [0, 255] rounding = double : tensor<4xi32> -> tensor<4xui8>
  return %y : tensor<4xui8>
}

// -----

// requantize constraint 6: the zero points are checked on types of at most
// 32 bits.
func.func @requantize_wide_input(%x: tensor<4xi64>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op input and result must have at most 32 bits, got 'i64' and 'i8'}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<4xi64> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// requantize constraint 7: clamp is a pair [min, max] or one per channel.
func.func @requantize_clamp_size(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op clamp must be [min, max] or one [min, max] pair per channel of dimension 0 (8 values), got 3 values}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 0, 127] rounding = double : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// requantize constraint 7: per-channel clamp pairs are ordered too.
func.func @requantize_clamp_channel_order(%x: tensor<1x2xi32>) -> tensor<1x2xi8> {
  // expected-error @+1 {{'qnn.requantize' op clamp [5, 4] of channel 1 must be ordered and inside 'i8' [-128, 127]}}
  %y = qnn.requantize %x scale = [0.5] axis = 1 input_zero_point = 0 output_zero_point = 0
         clamp = [0, 127, 5, 4] rounding = double : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

// -----

// requantize constraint 7: clamp_min <= clamp_max.
func.func @requantize_clamp_order(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qnn.requantize' op clamp [10, -10] must be ordered and inside 'i8' [-128, 127]}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [10, -10] rounding = double : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// requantize constraint 7: the clamp bounds are inside the result type's
// range.
func.func @requantize_clamp_range(%x: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{'qnn.requantize' op clamp [-1, 255] must be ordered and inside 'ui8' [0, 255]}}
  %y = qnn.requantize %x scale = [0.5] axis = 0 input_zero_point = 0 output_zero_point = 0
         clamp = [-1, 255] rounding = double : tensor<4xi32> -> tensor<4xui8>
  return %y : tensor<4xui8>
}

// -----

//===----------------------------------------------------------------------===//
// qnn.stats
//===----------------------------------------------------------------------===//

// stats constraint 1: input and result types are equal (AllTypesMatch; the
// custom form infers the result type, so only the generic form can differ).
func.func @stats_types(%x: tensor<4xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'qnn.stats' op failed to verify that all of {input, result} have same type}}
  %y = "qnn.stats"(%x) {stats = #qnn.stats<count = 1, min = 0.0, max = 1.0>} : (tensor<4xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// stats constraint 2: per-channel statistics number the last dimension.
func.func @stats_channels(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  // expected-error @+1 {{'qnn.stats' op has per-channel statistics for 3 channels but the value has 4}}
  %y = qnn.stats %x <count = 10, min = 0.0, max = 5.5, channel_min = [0.0, 0.0, 0.0],
                     channel_max = [1.0, 1.0, 1.0], channel_mean = [0.5, 0.5, 0.5]>
         : tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// #qnn.padding
//===----------------------------------------------------------------------===//

// padding attribute constraint 1: every amount is non-negative (in an op).
func.func @padding_negative(%x: tensor<1x8x8x4xf32>, %w: tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32> {
  // expected-error @+1 {{padding must be non-negative, got [0, -1, 0, 1]}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, -1, 0, 1] groups = 1
         : (tensor<1x8x8x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// padding attribute constraint 1: every amount is non-negative (full form).
// expected-error @+1 {{padding must be non-negative, got [0, 0, 0, -2]}}
func.func @padding_negative_full() attributes {p = #qnn<padding [0, 0, 0, -2]>} {
  return
}

// -----

//===----------------------------------------------------------------------===//
// #qnn.activation
//===----------------------------------------------------------------------===//

// activation attribute constraint 1: relu carries no bounds.
func.func @activation_attr_relu_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{activation 'relu' takes no bounds, got min [0] max [1]}}
  %y = qnn.activation %x kind = relu(min = 0.0, max = 1.0) : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// activation attribute constraint 1: none carries no bounds.
func.func @activation_attr_none_bounds(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{activation 'none' takes no bounds, got min [] max [1]}}
  %y = qnn.add %a, %b activation = none(min = [], max = [1.0]) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// activation attribute constraint 1: clamp carries both bounds.
func.func @activation_attr_clamp_no_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{clamp activation needs both min and max bounds}}
  %y = qnn.activation %x kind = clamp : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// activation attribute constraint 1: clamp carries both bounds (empty min).
func.func @activation_attr_clamp_empty_min(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{clamp activation needs both min and max bounds}}
  %y = qnn.activation %x kind = clamp(min = [], max = [6.0]) : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// activation attribute constraint 2: both bound lists have the same length.
func.func @activation_attr_lengths(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{clamp activation has 2 min bounds but 1 max bounds}}
  %y = qnn.activation %x kind = clamp(min = [0.0, 0.0], max = 6.0) : tensor<1x2xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// activation attribute constraint 3: every bound is finite (infinity).
func.func @activation_attr_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{clamp bounds must be finite, got [0, inf] for channel 0}}
  %y = qnn.activation %x kind = clamp(min = 0.0, max = 1.0e400) : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// activation attribute constraint 3: every bound is finite (NaN, channel 1).
func.func @activation_attr_nan(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{clamp bounds must be finite, got [nan, 1] for channel 1}}
  %y = qnn.activation %x kind = clamp(min = [0.0, 0x7FF8000000000000], max = [1.0, 1.0])
         : tensor<1x2xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// activation attribute constraint 4: min <= max for every channel.
func.func @activation_attr_order(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{clamp min 2.5 exceeds max 1 for channel 1}}
  %y = qnn.activation %x kind = clamp(min = [0.0, 2.5], max = [6.0, 1.0]) : tensor<1x2xf32> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// #qnn.fixed_point
//===----------------------------------------------------------------------===//

// fixed_point attribute constraint 1: m0 and shift have the same length.
func.func @fixed_point_lengths(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{fixed-point multiplier has 2 m0 values but 1 shifts}}
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824, 1073741824], shift = [0]> axis = 0
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// fixed_point attribute constraint 2: every m0 is 0 or in [2^30, 2^31)
// (below 2^30).
func.func @fixed_point_m0_small(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{m0 must be 0 or in [2^30, 2^31), got 1073741823 at index 1}}
  %y = qnn.requantize %x fixed_point = <m0 = [0, 1073741823], shift = [0, 0]> axis = 0
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// fixed_point attribute constraint 2: every m0 is 0 or in [2^30, 2^31)
// (negative).
// expected-error @+1 {{m0 must be 0 or in [2^30, 2^31), got -1073741824 at index 0}}
func.func @fixed_point_m0_negative() attributes {f = #qnn.fixed_point<m0 = [-1073741824], shift = [0]>} {
  return
}

// -----

// fixed_point attribute constraint 3: every shift is in [-31, 30] (above).
func.func @fixed_point_shift_large(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{shift must be in [-31, 30], got 31 at index 0}}
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824], shift = [31]> axis = 0
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

// fixed_point attribute constraint 3: every shift is in [-31, 30] (below).
func.func @fixed_point_shift_small(%x: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{shift must be in [-31, 30], got -32 at index 1}}
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824, 0], shift = [-31, -32]> axis = 0
         input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double
         : tensor<4xi32> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

//===----------------------------------------------------------------------===//
// #qnn.stats
//===----------------------------------------------------------------------===//

// stats attribute constraint 1: min is finite.
func.func @stats_attr_min_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics entry 'min' must be finite, got nan at index 0}}
  %y = qnn.stats %x <count = 1, min = 0x7FF8000000000000, max = 1.0> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 1: max is finite.
func.func @stats_attr_max_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics entry 'max' must be finite, got inf at index 0}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0e400> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 1: every list entry is finite (hist_range).
func.func @stats_attr_hist_range_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics entry 'hist_range' must be finite, got -inf at index 0}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist_range = [-1.0e400, 1.0], hist = [1.0]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 1: every list entry is finite (hist).
func.func @stats_attr_hist_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics entry 'hist' must be finite, got inf at index 1}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist_range = [0.0, 1.0], hist = [1.0, 1.0e400]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 1: every list entry is finite (channel_mean).
func.func @stats_attr_channel_mean_nan(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{statistics entry 'channel_mean' must be finite, got nan at index 1}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, channel_min = [0.0, 0.0], channel_max = [1.0, 1.0],
                     channel_mean = [0.5, 0x7FF8000000000000]> : tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// stats attribute constraint 2: min <= max.
func.func @stats_attr_order(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics min 3.25 exceeds max -1.5}}
  %y = qnn.stats %x <count = 100, min = 3.25, max = -1.5> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 2: min <= max (full form, as a function
// attribute).
// expected-error @+1 {{statistics min 2 exceeds max 1}}
func.func @stats_attr_order_full() attributes {s = #qnn.stats<count = 1, min = 2.0, max = 1.0>} {
  return
}

// -----

// stats attribute constraint 3: a histogram has at least one bin (a range
// without bins).
func.func @stats_attr_hist_no_bins(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a histogram needs both 'hist' and 'hist_range', 'hist' is missing}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist_range = [0.0, 1.0], hist = []> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 3: a histogram has a range (bins without range).
func.func @stats_attr_hist_no_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a histogram needs both 'hist' and 'hist_range', 'hist_range' is missing}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist = [1.0, 2.0]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 3: the histogram range is [lo, hi].
func.func @stats_attr_hist_range_size(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hist_range' must be [lo, hi], got 3 values}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist_range = [0.0, 0.5, 1.0], hist = [1.0]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 3: the histogram range has lo < hi.
func.func @stats_attr_hist_range_order(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'hist_range' must have lo < hi, got [1.5, 1.5]}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, hist_range = [1.5, 1.5], hist = [1.0]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 3: no negative bin count.
func.func @stats_attr_hist_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{histogram bin 2 has a negative count -12.5}}
  %y = qnn.stats %x <count = 100, min = -1.5, max = 3.25, hist_range = [-1.5, 3.25],
                     hist = [10.0, 80.0, -12.5]> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats attribute constraint 4: the per-channel lists are all present.
func.func @stats_attr_channel_partial(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{per-channel statistics need equal lengths, got 2 channel_min, 0 channel_max and 0 channel_mean}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, channel_min = [0.0, 0.0]> : tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// stats attribute constraint 4: the per-channel lists have equal lengths.
func.func @stats_attr_channel_lengths(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{per-channel statistics need equal lengths, got 2 channel_min, 2 channel_max and 3 channel_mean}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, channel_min = [0.0, 0.0], channel_max = [1.0, 1.0],
                     channel_mean = [0.5, 0.5, 0.5]> : tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// stats attribute constraint 4: channel_min <= channel_mean.
func.func @stats_attr_channel_mean_low(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{channel 1 needs min <= mean <= max, got 0.5, 0.25, 1}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, channel_min = [0.0, 0.5], channel_max = [1.0, 1.0],
                     channel_mean = [0.5, 0.25]> : tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// stats attribute constraint 4: channel_mean <= channel_max.
func.func @stats_attr_channel_mean_high(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{channel 0 needs min <= mean <= max, got 0, 2, 1}}
  %y = qnn.stats %x <count = 1, min = 0.0, max = 1.0, channel_min = [0.0, 0.0], channel_max = [1.0, 1.0],
                     channel_mean = [2.0, 0.5]> : tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Quantized element types (QuantTypeUtils.cpp, run by every op verifier)
//===----------------------------------------------------------------------===//

// quant type: the zero point lies inside the storage range (per-tensor).
!q = !quant.uniform<i8:f32, 0.5:300>
func.func @quant_zero_point_i8(%x: tensor<4x!q>) -> tensor<2x2x!q> {
  // expected-error @+1 {{'qnn.reshape' op zero point 300 is outside the storage range [-128, 127] in '!quant.uniform<i8:f32, 5.000000e-01:300>'}}
  %y = qnn.reshape %x : tensor<4x!q> -> tensor<2x2x!q>
  return %y : tensor<2x2x!q>
}

// -----

// quant type: the zero point lies inside the storage range (unsigned).
!q = !quant.uniform<u8:f32, 0.5:-1>
func.func @quant_zero_point_u8(%a: tensor<4x!q>, %b: tensor<4x!q>) -> tensor<4x!q> {
  // expected-error @+1 {{'qnn.add' op zero point -1 is outside the storage range [0, 255] in '!quant.uniform<u8:f32, 5.000000e-01:-1>'}}
  %y = qnn.add %a, %b : (tensor<4x!q>, tensor<4x!q>) -> tensor<4x!q>
  return %y : tensor<4x!q>
}

// -----

// quant type: the zero point lies inside a narrowed storage range.
!q = !quant.uniform<i8<-127:127>:f32, 0.5:-128>
func.func @quant_zero_point_narrow(%a: tensor<2x4x!q>, %b: tensor<2x4x!q>) -> tensor<2x8x!q> {
  // expected-error @+1 {{'qnn.concat' op zero point -128 is outside the storage range [-127, 127] in '!quant.uniform<i8<-127:127>:f32, 5.000000e-01:-128>'}}
  %y = qnn.concat %a, %b axis = 1 : (tensor<2x4x!q>, tensor<2x4x!q>) -> tensor<2x8x!q>
  return %y : tensor<2x8x!q>
}

// -----

// quant type: every zero point of a per-axis type lies inside the storage
// range (the channel is named).
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:0, {0.25:0, 0.25:200}>
func.func @quant_zero_point_per_axis(%x: tensor<1x16x!qx>, %w: tensor<2x16x!qw>) -> tensor<1x2x!qx> {
  // expected-error @+1 {{'qnn.dense' op zero point 200 is outside the storage range [-128, 127] (channel 1) in '!quant.uniform<i8:f32:0, {2.500000e-01,2.500000e-01:200}>'}}
  %y = qnn.dense %x, %w : (tensor<1x16x!qx>, tensor<2x16x!qw>) -> tensor<1x2x!qx>
  return %y : tensor<1x2x!qx>
}

// -----

// quant type: the scale is finite (NaN passes the quant dialect; the alias
// makes every use the same type).
!q = !quant.uniform<i8:f32, 0x7FF8000000000000>
func.func @quant_scale_nan(%a: tensor<4x!q>, %b: tensor<4x!q>) -> tensor<4x!q> {
  // expected-error @+1 {{'qnn.add' op quantization scale must be positive and finite, got nan in '!quant.uniform<i8:f32, 0x7FF8000000000000>'}}
  %y = qnn.add %a, %b : (tensor<4x!q>, tensor<4x!q>) -> tensor<4x!q>
  return %y : tensor<4x!q>
}

// -----

// quant type: every scale of a per-axis type is finite.
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:0, {0.25, 0x7FF8000000000000}>
func.func @quant_scale_nan_per_axis(%x: tensor<1x8x8x4x!qx>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op quantization scale must be positive and finite, got nan (channel 1) in '!quant.uniform<i8:f32:0, {2.500000e-01,0x7FF8000000000000}>'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qx>
  return %y : tensor<1x6x6x2x!qx>
}

// -----

// quant type: the expressed type is f32 (f16).
!q = !quant.uniform<i8:f16, 0.5>
func.func @quant_expressed_f16(%x: tensor<1x8x8x4x!q>) -> tensor<1x1x1x4x!q> {
  // expected-error @+1 {{'qnn.global_avg_pool' op quantized type must express f32, got '!quant.uniform<i8:f16, 5.000000e-01>'}}
  %y = qnn.global_avg_pool %x : tensor<1x8x8x4x!q> -> tensor<1x1x1x4x!q>
  return %y : tensor<1x1x1x4x!q>
}

// -----

// quant type: the expressed type is f32 (bf16, per-axis).
!q = !quant.uniform<i8:bf16:0, {0.5, 0.25}>
func.func @quant_expressed_bf16(%x: tensor<2x3x!q>) -> tensor<3x2x!q> {
  // expected-error @+1 {{'qnn.transpose' op quantized type must express f32, got '!quant.uniform<i8:bf16:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.transpose %x permutation = [1, 0] : tensor<2x3x!q> -> tensor<3x2x!q>
  return %y : tensor<3x2x!q>
}

// -----

// quant type: a quantized type other than !quant.uniform is in no numeric
// form.
func.func @quant_any(%x: tensor<4x!quant.any<i8:f32>>) -> tensor<6x!quant.any<i8:f32>> {
  // expected-error @+1 {{'qnn.pad' op input element type '!quant.any<i8:f32>' is in no numeric form (f32, !quant.uniform or integer)}}
  %y = qnn.pad %x low = [1] high = [1] mode = constant value = 0.0 : tensor<4x!quant.any<i8:f32>> -> tensor<6x!quant.any<i8:f32>>
  return %y : tensor<6x!quant.any<i8:f32>>
}

// -----

// quant type: the forms are never mixed (integer input, quantized weight).
!q = !quant.uniform<i8:f32, 0.5>
func.func @quant_mixed_int(%x: tensor<1x16xi8>, %w: tensor<2x16x!q>) -> tensor<1x2xi32> {
  // expected-error @+1 {{'qnn.dense' op mixes numeric forms: input is integer ('i8') but weight is quantized ('!quant.uniform<i8:f32, 5.000000e-01>')}}
  %y = qnn.dense %x, %w : (tensor<1x16xi8>, tensor<2x16x!q>) -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// quant type: a per-axis filter is quantized along axis 0 (axis 3).
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:3, {0.25, 0.25, 0.25, 0.25}>
func.func @quant_per_axis_filter_axis3(%x: tensor<1x8x8x4x!qx>, %w: tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op per-axis filter must be quantized along axis 0 (output channels), got axis 3}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
         : (tensor<1x8x8x4x!qx>, tensor<2x3x3x4x!qw>) -> tensor<1x6x6x2x!qx>
  return %y : tensor<1x6x6x2x!qx>
}

// -----

// quant type: a per-axis filter has one scale per output channel (one scale
// for eight channels).
!qx = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32:0, {0.25}>
func.func @quant_per_axis_filter_one_scale(%x: tensor<1x8x8x8x!qx>, %w: tensor<8x3x3x1x!qw>) -> tensor<1x6x6x8x!qx> {
  // expected-error @+1 {{'qnn.conv2d' op per-axis filter has 1 scales but 8 output channels}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 8
         : (tensor<1x8x8x8x!qx>, tensor<8x3x3x1x!qw>) -> tensor<1x6x6x8x!qx>
  return %y : tensor<1x6x6x8x!qx>
}

// -----

// quant type: a per-axis bias is quantized along axis 0.
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8:f32:0, {0.25, 0.25}>
!qb = !quant.uniform<i32:f32:1, {0.125, 0.125}>
func.func @quant_per_axis_bias_axis(%x: tensor<1x16x!qx>, %w: tensor<2x16x!qw>, %b: tensor<2x!qb>) -> tensor<1x2x!qx> {
  // expected-error @+1 {{'qnn.dense' op per-axis bias must be quantized along axis 0 (output channels), got axis 1}}
  %y = qnn.dense %x, %w, %b : (tensor<1x16x!qx>, tensor<2x16x!qw>, tensor<2x!qb>) -> tensor<1x2x!qx>
  return %y : tensor<1x2x!qx>
}

// -----

// quant type: a per-axis activation where per-tensor is required.
!q = !quant.uniform<i8:f32, 0.5>
!qa = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @quant_per_axis_activation(%a: tensor<2x4x!qa>, %b: tensor<2x4x!q>) -> tensor<2x4x!q> {
  // expected-error @+1 {{'qnn.add' op lhs must be quantized per tensor, got '!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>'}}
  %y = qnn.add %a, %b : (tensor<2x4x!qa>, tensor<2x4x!q>) -> tensor<2x4x!q>
  return %y : tensor<2x4x!q>
}

// -----

// requantize constraint 2: a size-1 axis takes exactly one multiplier.
func.func @requantize_unit_axis(%x: tensor<4x1xi32>) -> tensor<4x1xi8> {
  // expected-error @+1 {{'qnn.requantize' op has 2 multipliers but dimension 1 has size 1 (expected 1)}}
  %y = qnn.requantize %x scale = [0.5, 0.25] axis = 1 input_zero_point = 0 output_zero_point = 0
         clamp = [-128, 127] rounding = double : tensor<4x1xi32> -> tensor<4x1xi8>
  return %y : tensor<4x1xi8>
}

// -----

// stats attribute constraint 1: the sample count is non-negative (it used to
// wrap to 2^64 - 1).
func.func @stats_attr_negative_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{statistics 'count' must be non-negative, got -1}}
  %y = qnn.stats %x <count = -1, min = 0.0, max = 1.0> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// stats op constraint 1: input and result types are equal (reachable only in
// the generic form).
func.func @stats_op_type_mismatch(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'qnn.stats' op failed to verify that all of {input, result} have same type}}
  %y = "qnn.stats"(%x) <{stats = #qnn.stats<count = 1, min = 0.0, max = 1.0>}> : (tensor<4xf32>) -> tensor<5xf32>
  return %y : tensor<5xf32>
}
