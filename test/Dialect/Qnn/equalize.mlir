// --equalize: s_i = sqrt(r1_i / r2_i), output channel i of the first layer
// divided by s_i, the weights reading it in the next multiplied by s_i.
// RUN: quant-opt %s -split-input-file --equalize | FileCheck %s
// RUN: quant-opt %s -split-input-file --equalize=report 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// r1 = [4, 1], r2 = [1, 4]: s = [2, 0.5]. W1 = [4, 1] / s = [2, 2],
// b1 = [2, 1] / s = [1, 2], W2 = [1, 4] * s = [2, 2]; relu6 becomes a
// per-channel clamp at 6 / s = [3, 12] (never relu); the batch-norm
// statistics follow: mean [2, 1] / s = [1, 2], std [4, 1] / s = [2, 2].
// The second round finds s = 1: converged.
// CHECK-LABEL: func.func @pair
// CHECK: %[[W1:.*]] = arith.constant dense<2.000000e+00> : tensor<2x1x1x1xf32>
// CHECK: %[[B1:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C1:.*]] = qnn.conv2d %{{.*}}, %[[W1]], %[[B1]] {{.*}} activation = clamp(min = [0.000000e+00, 0.000000e+00], max = [3.000000e+00, 1.200000e+01]) {qnn.preactivation_mean = array<f64: 1.000000e+00, 2.000000e+00>, qnn.preactivation_std = array<f64: 2.000000e+00, 2.000000e+00>}
// CHECK: %[[W2:.*]] = arith.constant dense<2.000000e+00> : tensor<1x1x1x2xf32>
// CHECK: qnn.conv2d %[[C1]], %[[W2]] strides
// REMARK: remark: weight range spread (max / median live channel range) 4 -> 1
func.func @pair(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w1 = arith.constant dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %c1 = qnn.conv2d %x, %w1, %b1 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 activation = relu6 {qnn.preactivation_mean = array<f64: 2.0, 1.0>, qnn.preactivation_std = array<f64: 4.0, 1.0>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %w2 = arith.constant dense<[[[[1.0, 4.0]]]]> : tensor<1x1x1x2xf32>
  %c2 = qnn.conv2d %c1, %w2 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x1xf32>
  return %c2 : tensor<1x2x2x1xf32>
}

// -----

// Channel 0 is dead (1e-31, its output is its bias 5): s = 1, its bias is
// not inflated. Channel 1 is ignored by the next layer (weight 0): s =
// max-scale = 100, W1 = 2 / 100, b1 = 3 / 100. Channel 2 is equalized:
// r1 = 8, r2 = 2, s = 2. The dense layers (relu) cross the flatten-free
// [N, C] link directly.
// CHECK-LABEL: func.func @dead_and_ignored
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[}}[9.99999979E-32], [2.000000e-02], [4.000000e+00]]> : tensor<3x1xf32>
// CHECK: %[[B1:.*]] = arith.constant dense<[5.000000e+00, 3.000000e-02, 5.000000e-01]> : tensor<3xf32>
// CHECK: qnn.dense %{{.*}}, %[[W1]], %[[B1]] activation = relu
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00, 4.000000e+00]]> : tensor<1x3xf32>
// REMARK: remark: 1 of 3 channels dead (kept at scale 1), 1 ignored by the next layer (scaled by max-scale)
func.func @dead_and_ignored(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %w1 = arith.constant dense<[[1.0e-31], [2.0], [8.0]]> : tensor<3x1xf32>
  %b1 = arith.constant dense<[5.0, 3.0, 1.0]> : tensor<3xf32>
  %d1 = qnn.dense %x, %w1, %b1 activation = relu : (tensor<1x1xf32>, tensor<3x1xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %w2 = arith.constant dense<[[1.0, 0.0, 2.0]]> : tensor<1x3xf32>
  %d2 = qnn.dense %d1, %w2 : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<1x1xf32>
  return %d2 : tensor<1x1xf32>
}

// -----

// Through global average pooling and a flatten into a dense layer, with
// statistics on the way rescaled per channel (histogram dropped, global
// range recomputed). r1 = [2, 8], r2 = [8, 2] (dense reads channel c at
// inputs c): s = [0.5, 2].
// CHECK-LABEL: func.func @gap_flatten_dense
// CHECK: arith.constant dense<4.000000e+00> : tensor<2x1x1x1xf32>
// CHECK: qnn.stats %{{.*}} <count = 10, min = -2.000000e+00, max = 1.000000e+00, channel_min = [-2.000000e+00, 0.000000e+00], channel_max = [1.000000e+00, 5.000000e-01], channel_mean = [0.000000e+00, 2.500000e-01]>
// CHECK: arith.constant dense<4.000000e+00> : tensor<1x2xf32>
func.func @gap_flatten_dense(%x: tensor<1x2x2x1xf32>) -> tensor<1x1xf32> {
  %w1 = arith.constant dense<[[[[2.0]]], [[[8.0]]]]> : tensor<2x1x1x1xf32>
  %c1 = qnn.conv2d %x, %w1 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %g = qnn.global_avg_pool %c1 : tensor<1x2x2x2xf32> -> tensor<1x1x1x2xf32>
  %r = qnn.reshape %g : tensor<1x1x1x2xf32> -> tensor<1x2xf32>
  %s = qnn.stats %r <count = 10, min = -1.0, max = 2.0, hist_range = [-1.0, 2.0], hist = [5.0, 5.0], channel_min = [-1.0, 0.0], channel_max = [0.5, 1.0], channel_mean = [0.0, 0.5]> : tensor<1x2xf32>
  %w2 = arith.constant dense<[[8.0, 2.0]]> : tensor<1x2xf32>
  %d = qnn.dense %s, %w2 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  return %d : tensor<1x1xf32>
}

// -----

// A branch into anything but a layer input stops the pair: a residual add
// would see the rescaled tensor. Nothing changes.
// CHECK-LABEL: func.func @branch
// CHECK: arith.constant dense<{{\[}}[4.000000e+00], [1.000000e+00]]> : tensor<2x1xf32>
// REMARK: remark: not equalized with its successor: its output reaches 'qnn.add', which is not the input of a float conv2d or dense
func.func @branch(%x: tensor<1x1xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[4.0], [1.0]]> : tensor<2x1xf32>
  %d1 = qnn.dense %x, %w1 activation = relu : (tensor<1x1xf32>, tensor<2x1xf32>) -> tensor<1x2xf32>
  %w2 = arith.constant dense<[[1.0, 4.0], [1.0, 1.0]]> : tensor<2x2xf32>
  %d2 = qnn.dense %d1, %w2 : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %s = qnn.add %d1, %d2 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %s : tensor<1x2xf32>
}

// -----

// conv -> depthwise -> conv: two pairs iterated to convergence. The
// product of the ranges along each channel's path is invariant, and at the
// fixed point all three ranges of a channel are equal: channel 0 ranges
// (8, 1, 1) -> 2 each (8 * 1 * 1 = 2^3), channel 1 (1, 1, 8) -> 2 each,
// within the default threshold (1e-4 relative per round).
// CHECK-LABEL: func.func @triplet
// CHECK: arith.constant dense<{{\[}}[{{\[}}[{{2.0000[0-9]+|1.9999[0-9]+}}]]], [{{\[}}[{{2.0000[0-9]+|1.9999[0-9]+}}]]]]> : tensor<2x1x1x1xf32>
// CHECK: arith.constant dense<{{\[}}[{{\[}}[{{2.0000[0-9]+|1.9999[0-9]+}}]]], [{{\[}}[{{2.0000[0-9]+|1.9999[0-9]+}}]]]]> : tensor<2x1x1x1xf32>
// CHECK: arith.constant dense<{{\[}}[{{\[}}[{{2.0000[0-9]+|1.9999[0-9]+}}, {{2.0000[0-9]+|1.9999[0-9]+}}]]]]> : tensor<1x1x1x2xf32>
func.func @triplet(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
  %w1 = arith.constant dense<[[[[8.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %c1 = qnn.conv2d %x, %w1 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 activation = relu : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %wd = arith.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c2 = qnn.conv2d %c1, %wd strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 2 activation = relu : (tensor<1x2x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %w3 = arith.constant dense<[[[[1.0, 8.0]]]]> : tensor<1x1x1x2xf32>
  %c3 = qnn.conv2d %c2, %w3 strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x2x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x2x2x1xf32>
  return %c3 : tensor<1x2x2x1xf32>
}

