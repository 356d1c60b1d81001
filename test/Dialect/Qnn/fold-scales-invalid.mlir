// RUN: quant-opt %s -split-input-file --fold-scales -verify-diagnostics

// Channel 0: [0, 1] / 0.25 -> [0, 4]; channel 1: [0, 2] -> [0, 8].
func.func @per_channel_clamp(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>> {
  %wi = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %w = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{per-channel activation bounds give different integer clamps: channel 1 gets [0, 8], channel 0 gets [0, 4]}}
  %c = qnn.dense %x, %w activation = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  return %c : tensor<1x2x!quant.uniform<i8:f32, 0.25>>
}

// -----

func.func @weight_not_constant(%x: tensor<1x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>> {
  // expected-error @+1 {{weight must be an integer constant behind a quant.scast}}
  %c = qnn.dense %x, %w : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25>>
  return %c : tensor<1x2x!quant.uniform<i8:f32, 0.25>>
}
