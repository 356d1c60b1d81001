// RUN: quant-opt %s -split-input-file --fold-scales -verify-diagnostics

func.func @weight_not_constant(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{weight must be an integer constant behind a quant.scast}}
  %c = qnn.dense %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  return %c : tensor<1x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

// mul has no integer rule: the error names the op and the way out.
func.func @mul(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>, %b: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{'qnn.mul' op has no integer rule in --fold-scales (supported: conv2d, dense, matmul, add, activation, avg_pool2d, max_pool2d, global_avg_pool, concat, pad, reshape, transpose); keep it in float with --quantize="keep-float=..."}}
  %y = qnn.mul %a, %b : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %y : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

// include_pad average pooling with padding counts padded positions as real
// 0, which is the zero point: the integer form (which adds nothing there)
// is exact only for zero point 0.
func.func @avg_include_pad(%x: tensor<1x4x4x1x!quant.uniform<i8:f32, 0.5:3>>) -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.5:3>> {
  // expected-error @+1 {{'qnn.avg_pool2d' op include_pad average pooling with padding needs zero point 0 (the integer form adds nothing for padded positions), got 3}}
  %y = qnn.avg_pool2d %x kernel = [3, 3] strides = [1, 1] padding = [1, 1, 1, 1] divisor = include_pad : tensor<1x4x4x1x!quant.uniform<i8:f32, 0.5:3>> -> tensor<1x4x4x1x!quant.uniform<i8:f32, 0.5:3>>
  return %y : tensor<1x4x4x1x!quant.uniform<i8:f32, 0.5:3>>
}
