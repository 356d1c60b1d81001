// --fold-batchnorm: W' = W gamma / sigma, b' = beta + (b - mean) gamma /
// sigma, per output channel; the layer keeps N(beta, gamma^2) and the batch
// norm's name.
// RUN: quant-opt %s -split-input-file --fold-batchnorm --mlir-print-debuginfo | FileCheck %s

// sigma = sqrt(var + 0) = [2, 0.5]; gamma / sigma = [2, -0.5].
// Row 0: [1, 2] * 2 = [2, 4]; b'0 = 1 + (0.5 - 0.5) * 2 = 1.
// Row 1: [3, 4] * -0.5 = [-1.5, -2]; b'1 = -1 + (-1 - 1) * -0.5 = 0.
// std = |gamma| = [4, 0.25]. The batch-norm constants are gone.
// CHECK-LABEL: func.func @dense_bn
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [-1.500000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: %[[B:.*]] = arith.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[Y:.*]] = qnn.dense %{{.*}}, %[[W]], %[[B]] {qnn.preactivation_mean = array<f64: 1.000000e+00, -1.000000e+00>, qnn.preactivation_std = array<f64: 4.000000e+00, 2.500000e-01>} : {{.*}} loc(#[[BN:.*]])
// CHECK-NEXT: return %[[Y]]
// CHECK: #[[BN]] = loc("bn")
func.func @dense_bn(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %d = qnn.dense %x, %w, %b : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %g = arith.constant dense<[4.0, -0.25]> : tensor<2xf32>
  %be = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = arith.constant dense<[4.0, 0.25]> : tensor<2xf32>
  %n = qnn.batch_norm %d scale %g offset %be mean %m variance %v epsilon = 0.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("bn")
  return %n : tensor<1x2xf32>
}

// -----

// A conv without bias gets one: b' = beta - mean * gamma / sigma =
// 0.5 - 1 * 3 / 1.5 = -1.5 (sigma = sqrt(2.24 + 0.01) = 1.5); W' = 2 * 2 = 4.
// CHECK-LABEL: func.func @conv_no_bias
// CHECK: %[[W:.*]] = arith.constant dense<4.000000e+00> : tensor<1x1x1x1xf32>
// CHECK: %[[B:.*]] = arith.constant dense<-1.500000e+00> : tensor<1xf32>
// CHECK: qnn.conv2d %{{.*}}, %[[W]], %[[B]] strides
func.func @conv_no_bias(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %c = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x2x1xf32>
  %g = arith.constant dense<3.0> : tensor<1xf32>
  %be = arith.constant dense<0.5> : tensor<1xf32>
  %m = arith.constant dense<1.0> : tensor<1xf32>
  %v = arith.constant dense<2.24> : tensor<1xf32>
  %n = qnn.batch_norm %c scale %g offset %be mean %m variance %v epsilon = 0.01 : (tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  return %n : tensor<1x2x2x1xf32>
}

// -----

// Not folded: a batch norm on a function argument, after an activated
// layer, or after a layer with another user.
// CHECK-LABEL: func.func @not_folded
// CHECK-COUNT-3: qnn.batch_norm
func.func @not_folded(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %g = arith.constant dense<1.0> : tensor<2xf32>
  %z = arith.constant dense<0.0> : tensor<2xf32>
  %n0 = qnn.batch_norm %x scale %g offset %z mean %z variance %g epsilon = 0.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d1 = qnn.dense %x, %w activation = relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %n1 = qnn.batch_norm %d1 scale %g offset %z mean %z variance %g epsilon = 0.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %n2 = qnn.batch_norm %d2 scale %g offset %z mean %z variance %g epsilon = 0.0 : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %n0, %n1, %n2, %d2 : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>
}
