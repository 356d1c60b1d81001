// A batch norm that cannot be folded is warned about and left float.
// RUN: quant-opt %s --fold-batchnorm -verify-diagnostics | FileCheck %s
// CHECK: qnn.batch_norm

// Batch-norm parameters that are not constants: warned, left as it is.
func.func @bn_not_constant(%x: tensor<1x2xf32>, %g: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %z = arith.constant dense<0.0> : tensor<2xf32>
  %d = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-warning @+1 {{batch norm not folded: the producing layer's weights or the batch norm parameters are not f32 constants of matching size}}
  %n = qnn.batch_norm %d scale %g offset %z mean %z variance %g epsilon = 0.001 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %n : tensor<1x2xf32>
}
