// --correct-bias: b <- b - sum f_k (W^ - W) E[x], after --quantize.
// RUN: quant-opt %s -split-input-file --correct-bias | FileCheck %s
// RUN: quant-opt %s -split-input-file --correct-bias="mode=analytic" | FileCheck %s --check-prefix=ANALYTIC

// Dense: W = [0.26, -0.17], scale 0.1, codes [3, -2]: error [0.04, -0.03];
// calibrated input mean [2, 4]: shift 0.08 - 0.12 = -0.04, b = 1 + 0.04.
// CHECK-LABEL: func.func @dense_empirical
// CHECK: %[[B:.*]] = arith.constant dense<1.040000e+00> : tensor<1xf32>
// CHECK: qnn.dense %{{.*}}, %{{.*}}, %[[B]]
// Without a producer carrying batch-norm statistics, analytic mode leaves
// the bias alone.
// ANALYTIC-LABEL: func.func @dense_empirical
// ANALYTIC: arith.constant dense<1.000000e+00> : tensor<1xf32>
!qx = !quant.uniform<i8:f32, 0.1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
func.func @dense_empirical(%x: tensor<1x2x!qx>) -> tensor<1x1x!qx> {
  %wi = arith.constant dense<[[3, -2]]> : tensor<1x2xi8>
  %w = quant.scast %wi {qnn.float_weight = dense<[[0.26, -0.17]]> : tensor<1x2xf32>} : tensor<1x2xi8> to tensor<1x2x!qw>
  %b = arith.constant dense<1.0> : tensor<1xf32>
  %y = qnn.dense %x, %w, %b {qnn.input_mean = array<f64: 2.0, 4.0>} : (tensor<1x2x!qx>, tensor<1x2x!qw>, tensor<1xf32>) -> tensor<1x1x!qx>
  return %y : tensor<1x1x!qx>
}

// -----

// A 3x3 convolution with padding 1 on a 2x2 input: tap (0, 0) reads the
// input at one of the four outputs only (f = 1/4). Its error 0.04 (other
// taps exact) with E[x] = 2: shift 0.25 * 0.04 * 2 = 0.02, b = -0.02. The
// layer had no bias: one is added.
// CHECK-LABEL: func.func @conv_tap_fractions
// CHECK: %[[B:.*]] = arith.constant dense<-0.0200000{{[0-9]*}}> : tensor<1xf32>
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %[[B]] strides
!qx = !quant.uniform<i8:f32, 0.1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
func.func @conv_tap_fractions(%x: tensor<1x2x2x1x!qx>) -> tensor<1x2x2x1x!qx> {
  %wi = arith.constant dense<[[[[3], [0], [0]], [[0], [0], [0]], [[0], [0], [0]]]]> : tensor<1x3x3x1xi8>
  %w = quant.scast %wi {qnn.float_weight = dense<[[[[0.26], [0.0], [0.0]], [[0.0], [0.0], [0.0]], [[0.0], [0.0], [0.0]]]]> : tensor<1x3x3x1xf32>} : tensor<1x3x3x1xi8> to tensor<1x3x3x1x!qw>
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 {qnn.input_mean = array<f64: 2.0>} : (tensor<1x2x2x1x!qx>, tensor<1x3x3x1x!qw>) -> tensor<1x2x2x1x!qx>
  return %y : tensor<1x2x2x1x!qx>
}

// -----

// Analytic: the input comes from a dense with relu whose pre-activation is
// N(0, 1): E[relu(h)] = phi(0) = 0.3989423; error [0.04, -0.03] gives
// shift 0.3989423 * 0.01 = 0.003989423, b = 1 - 0.003989423 = 0.996010577.
// Empirical mode has no input mean here and leaves the bias.
// ANALYTIC-LABEL: func.func @dense_analytic
// ANALYTIC: %[[B:.*]] = arith.constant dense<0.99601{{[0-9]*}}> : tensor<1xf32>
// ANALYTIC: qnn.dense %{{.*}}, %{{.*}}, %[[B]]
// CHECK-LABEL: func.func @dense_analytic
// CHECK: %[[B:.*]] = arith.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: qnn.dense %{{.*}}, %{{.*}}, %[[B]]
!qx = !quant.uniform<i8:f32, 0.1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.1>
func.func @dense_analytic(%x: tensor<1x2x!qx>) -> tensor<1x1x!qx> {
  %w0i = arith.constant dense<[[1, 1], [1, 1]]> : tensor<2x2xi8>
  %w0 = quant.scast %w0i : tensor<2x2xi8> to tensor<2x2x!qw>
  %h = qnn.dense %x, %w0 activation = relu {qnn.preactivation_mean = array<f64: 0.0, 0.0>, qnn.preactivation_std = array<f64: 1.0, 1.0>} : (tensor<1x2x!qx>, tensor<2x2x!qw>) -> tensor<1x2x!qx>
  %wi = arith.constant dense<[[3, -2]]> : tensor<1x2xi8>
  %w = quant.scast %wi {qnn.float_weight = dense<[[0.26, -0.17]]> : tensor<1x2xf32>} : tensor<1x2xi8> to tensor<1x2x!qw>
  %b = arith.constant dense<1.0> : tensor<1xf32>
  %y = qnn.dense %h, %w, %b : (tensor<1x2x!qx>, tensor<1x2x!qw>, tensor<1xf32>) -> tensor<1x1x!qx>
  return %y : tensor<1x1x!qx>
}
