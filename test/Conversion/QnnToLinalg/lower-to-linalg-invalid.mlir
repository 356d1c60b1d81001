// RUN: quant-opt %s --lower-to-linalg --split-input-file --verify-diagnostics

// The quantized and integer forms are lowered after --fold-scales; until
// then the pass names the op and the type it cannot lower.
func.func @integer_conv(%x: tensor<1x4x4x2xi8>, %w: tensor<4x1x1x2xi8>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{'qnn.conv2d' op lower-to-linalg handles the float form only, got 'tensor<1x4x4x2xi8>'}}
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
      : (tensor<1x4x4x2xi8>, tensor<4x1x1x2xi8>) -> tensor<1x4x4x4xi32>
  return %y : tensor<1x4x4x4xi32>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'qnn.activation' op lower-to-linalg needs static shapes, got 'tensor<?x4xf32>'}}
  %y = qnn.activation %x kind = relu : tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
