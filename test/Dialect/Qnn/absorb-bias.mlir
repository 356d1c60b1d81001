// --absorb-bias: c_i = max(0, mean_i - 3 std_i) moves from the first
// layer's bias into the next layer's.
// RUN: quant-opt %s -split-input-file --absorb-bias | FileCheck %s

// Channel 0: mean 5, std 1 -> c = 2; channel 1: mean 0.5 -> c = 0.
// b1 = [1, 1] - [2, 0] = [-1, 1]; the next layer (1x1 conv, weights [3, 7],
// bias 1) adds 3 * 2: b2 = 7. relu stays relu; the mean shifts to [3, 0.5].
// CHECK-LABEL: func.func @relu
// CHECK: %[[B1:.*]] = arith.constant dense<[-1.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %[[B1]] {{.*}} activation = relu {qnn.preactivation_mean = array<f64: 3.000000e+00, 5.000000e-01>, qnn.preactivation_std = array<f64: 1.000000e+00, 1.000000e+00>}
// CHECK: %[[B2:.*]] = arith.constant dense<7.000000e+00> : tensor<1xf32>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %[[B2]] strides
func.func @relu(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %c1 = qnn.conv2d %x, %w1, %b1 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 activation = relu {qnn.preactivation_mean = array<f64: 5.0, 0.5>, qnn.preactivation_std = array<f64: 1.0, 1.0>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %w2 = arith.constant dense<[[[[3.0, 7.0]]]]> : tensor<1x1x1x2xf32>
  %b2 = arith.constant dense<1.0> : tensor<1xf32>
  %c2 = qnn.conv2d %c1, %w2, %b2 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  return %c2 : tensor<1x2x2x1xf32>
}

// -----

// relu6 becomes clamp(0, 6 - c): c = [4 - 3 * 0.5, 0] = [2.5, 0] gives
// [3.5, 6]. A 3x3 consumer adds every tap reading the channel: 9 taps of
// 0.5 times 2.5 = 11.25 (exact away from the zero-padded border only).
// Without batch-norm statistics, the calibrated per-channel minimum of the
// output is used instead (second function): c = [0.25, 0].
// CHECK-LABEL: func.func @relu6_3x3
// CHECK: activation = clamp(min = [0.000000e+00, 0.000000e+00], max = [3.500000e+00, 6.000000e+00])
// CHECK: %[[B2:.*]] = arith.constant dense<1.125000e+01> : tensor<1xf32>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %[[B2]] strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1]
func.func @relu6_3x3(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = arith.constant dense<[[[[1.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %c1 = qnn.conv2d %x, %w1 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 activation = relu6 {qnn.preactivation_mean = array<f64: 4.0, 0.0>, qnn.preactivation_std = array<f64: 0.5, 1.0>} : (tensor<1x3x3x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x3x3x2xf32>
  %w2 = arith.constant dense<0.5> : tensor<1x3x3x2xf32>
  %c2 = qnn.conv2d %c1, %w2 strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 : (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) -> tensor<1x3x3x1xf32>
  return %c2 : tensor<1x3x3x1xf32>
}

// CHECK-LABEL: func.func @from_statistics
// CHECK: %[[B1:.*]] = arith.constant dense<[-2.500000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK: qnn.dense %{{.*}}, %{{.*}}, %[[B1]] activation = relu
// CHECK: qnn.stats %{{.*}} <count = 4, min = 0.000000e+00, max = 2.750000e+00, channel_min = [0.000000e+00, 0.000000e+00], channel_max = [2.750000e+00, 1.000000e+00], channel_mean = [7.500000e-01, 5.000000e-01]>
// CHECK: %[[B2:.*]] = arith.constant dense<5.000000e-01> : tensor<1xf32>
func.func @from_statistics(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %w1 = arith.constant dense<[[1.0], [1.0]]> : tensor<2x1xf32>
  %d1 = qnn.dense %x, %w1 activation = relu : (tensor<1x1xf32>, tensor<2x1xf32>) -> tensor<1x2xf32>
  %s = qnn.stats %d1 <count = 4, min = 0.0, max = 3.0, channel_min = [0.25, 0.0], channel_max = [3.0, 1.0], channel_mean = [1.0, 0.5]> : tensor<1x2xf32>
  %w2 = arith.constant dense<[[2.0, 1.0]]> : tensor<1x2xf32>
  %d2 = qnn.dense %s, %w2 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  return %d2 : tensor<1x1xf32>
}
