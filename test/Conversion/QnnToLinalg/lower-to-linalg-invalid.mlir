// RUN: quant-opt %s --lower-to-linalg --split-input-file --verify-diagnostics

// The quantized form is lowered after --fold-scales; until then the pass
// names the op and the type it cannot lower.
func.func @quantized_dense(%x: tensor<1x4x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>> {
  // expected-error @+1 {{'qnn.dense' op lower-to-linalg handles the float and integer forms only, got 'tensor<1x4x!quant.uniform<i8:f32, 5.000000e-01>>'}}
  %y = qnn.dense %x, %w
      : (tensor<1x4x!quant.uniform<i8:f32, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<1x2x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x2x!quant.uniform<i8:f32, 1.0>>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'qnn.activation' op lower-to-linalg needs static shapes, got 'tensor<?x4xf32>'}}
  %y = qnn.activation %x kind = relu : tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
