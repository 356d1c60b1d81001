// --quantize: float network with qnn.stats -> Q form on !quant.uniform.
// Expected values are derived by hand in the comments (RangeSelection.cpp:
// asymmetric scale = (max - min) / (qmax - qmin), zero point = qmin -
// round_half_even(min / scale); weights scale = max|w| / qmax).
// RUN: quant-opt %s -split-input-file --quantize | FileCheck %s
// RUN: quant-opt %s -split-input-file --quantize="weights=per-tensor integer-io" | FileCheck %s --check-prefix=IO
// RUN: quant-opt %s -split-input-file --quantize="keep-float=c1" | FileCheck %s --check-prefix=KF
// RUN: quant-opt %s -split-input-file --quantize="weight-bits=4 activation-bits=4 activations=symmetric narrow-range=false" | FileCheck %s --check-prefix=B4
// RUN: quant-opt %s -split-input-file --quantize="weight-bits=16 activation-bits=16" | FileCheck %s --check-prefix=B16

// x in [-1, 1]: scale 2/255 = 0.0078431372549019607, zero point
//   -128 - round_half_even(-127.5) = -128 + 128 = 0.
// y in [0, 6]: scale 6/255 = 0.023529411764705882, zero point -128.
// Weight row 0, max|w| = 1: scale 1/127; 0.5*127 = 63.5 -> 64 (half to
//   even), -0.25*127 = -31.75 -> -32, 0.125*127 = 15.875 -> 16, 1 -> 127.
// Weight row 1 is dead: scale 2^-23 = 1.1920928955078125E-7, codes 0.
// The bias stays f32; softmax stays float behind a quant.dcast.
// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>) -> tensor<1x2xf32>
// CHECK: %[[XQ:.*]] = quant.qcast %[[X]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.0078431372549019607>>
// CHECK: %[[WI:.*]] = arith.constant dense<{{\[}}[64, -32, 16, 127], [0, 0, 0, 0]]> : tensor<2x4xi8>
// The float weights stay on the scast for --correct-bias, and the
// calibrated input mean (when the statistics have one) on the layer.
// CHECK: %[[WQ:.*]] = quant.scast %[[WI]] {qnn.float_weight = dense<{{\[}}[5.000000e-01, -2.500000e-01, 1.250000e-01, 1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>} : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959,1.1920928955078125E-7}>>
// CHECK: %[[B:.*]] = arith.constant dense<[5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = qnn.dense %[[XQ]], %[[WQ]], %[[B]] activation = relu
// CHECK-SAME: -> tensor<1x2x!quant.uniform<i8:f32, 0.023529411764705882:-128>>
// CHECK: %[[YF:.*]] = quant.dcast %[[Y]] : {{.*}} to tensor<1x2xf32>
// CHECK: %[[P:.*]] = qnn.softmax %[[YF]]
// CHECK: return %[[P]] : tensor<1x2xf32>
// CHECK-NOT: qnn.stats
// Per-tensor weights (max|w| = 1 over the tensor: scale 1/127) and integer
// I/O: the argument keeps the quantized type, no qcast.
// IO-LABEL: func.func @dense
// IO-SAME: (%[[X:.*]]: tensor<1x4x!quant.uniform<i8:f32, 0.0078431372549019607>>) -> tensor<1x2xf32>
// IO-NOT: quant.qcast
// IO: %[[WI:.*]] = arith.constant dense<{{\[}}[64, -32, 16, 127], [0, 0, 0, 0]]> : tensor<2x4xi8>
// IO: quant.scast %[[WI]] {{.*}}: tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.0078740157480314959>>
// IO: qnn.dense %[[X]]
// 4 bits, symmetric activations: x scale = 1 / (15 / 2) = 0.13333333333333333
// zero point 0; y scale 6 / 7.5 = 0.8; weights [-8, 7] storage (full
// range), scale 1/7: 0.5*7 = 3.5 -> 4, -1.75 -> -2, 0.875 -> 1, 7.
// B4-LABEL: func.func @dense
// B4: quant.qcast {{.*}} to tensor<1x4x!quant.uniform<i4:f32, 0.13333333333333333>>
// B4: arith.constant dense<{{\[}}[4, -2, 1, 7], [0, 0, 0, 0]]> : tensor<2x4xi4>
// B4: tensor<2x4x!quant.uniform<i4:f32:0, {0.14285714285714285,1.1920928955078125E-7}>>
// B4: -> tensor<1x2x!quant.uniform<i4:f32, 8.000000e-01>>
// 16 bits: x scale 2/65535 = 3.0518043793392844E-5, zero point
//   -32768 + round_half_even(32767.5) = 0; y scale 6/65535, zero point
//   -32768; weights scale 1/32767: 0.5*32767 = 16383.5 -> 16384,
//   -8191.75 -> -8192, 4095.875 -> 4096. The dead channel 1 (bias 1.0)
//   gets the bias floor |b| / (s_x 2^30) = 1 / (3.0518043793392844E-5 *
//   1073741824) = 3.0517112463712692E-5 instead of 2^-23, so that its i32
//   bias 1 / (s_x s_w) = 2^30 fits.
// B16-LABEL: func.func @dense
// B16: quant.qcast {{.*}} to tensor<1x4x!quant.uniform<i16:f32, 3.0518043793392844E-5>>
// B16: arith.constant dense<{{\[}}[16384, -8192, 4096, 32767], [0, 0, 0, 0]]> : tensor<2x4xi16>
// B16: tensor<2x4x!quant.uniform<i16<-32767:32767>:f32:0, {3.0518509475997192E-5,3.0517112463712692E-5}>>
// B16: -> tensor<1x2x!quant.uniform<i16:f32, 9.1554131380178531E-5:-32768>>
func.func @dense(%x: tensor<1x4xf32> loc("x")) -> tensor<1x2xf32> {
  %xs = qnn.stats %x <count = 1, min = -1.0, max = 1.0> : tensor<1x4xf32> loc("x")
  %w = arith.constant dense<[[0.5, -0.25, 0.125, 1.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<2x4xf32> loc("w")
  %b = arith.constant dense<[0.5, 1.0]> : tensor<2xf32> loc("b")
  %y = qnn.dense %xs, %w, %b activation = relu : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("y")
  %ys = qnn.stats %y <count = 1, min = 0.0, max = 6.0> : tensor<1x2xf32> loc("y")
  %p = qnn.softmax %ys axis = 1 : tensor<1x2xf32> -> tensor<1x2xf32> loc("p")
  return %p : tensor<1x2xf32>
}

// -----

// x in [0, 1]: scale 1/255 = 0.0039215686274509803, zero point -128.
// c1 in [-0.5, 2]: scale 2.5/255 = 0.0098039215686274508, zero point
//   -128 - round_half_even(-51) = -77.
// max_pool2d and reshape take c1's type; a in [0, 2]: 2/255, zero point
// -128. The add has no statistics on its result: it stays float, both
// inputs dequantized.
// CHECK-LABEL: func.func @conv_pool
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x1xf32>)
// CHECK: %[[XQ:.*]] = quant.qcast %[[X]] : tensor<1x4x4x1xf32> to tensor<1x4x4x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>
// CHECK: %[[WI:.*]] = arith.constant dense<{{\[}}[{{\[}}[127]]], {{\[}}[{{\[}}-127]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[WQ:.*]] = quant.scast %[[WI]]
// CHECK: %[[C:.*]] = qnn.conv2d %[[XQ]], %[[WQ]] {{.*}} -> tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0098039215686274508:-77>>
// CHECK: %[[P:.*]] = qnn.max_pool2d %[[C]] {{.*}} -> tensor<1x2x2x2x!quant.uniform<i8:f32, 0.0098039215686274508:-77>>
// CHECK: %[[R:.*]] = qnn.reshape %[[P]] {{.*}} -> tensor<1x8x!quant.uniform<i8:f32, 0.0098039215686274508:-77>>
// CHECK: %[[RF:.*]] = quant.dcast %[[R]]
// CHECK: %[[A:.*]] = qnn.activation %[[R]] kind = relu {{.*}} -> tensor<1x8x!quant.uniform<i8:f32, 0.0078431372549019607:-128>>
// CHECK: %[[AF:.*]] = quant.dcast %[[A]]
// CHECK: %[[S:.*]] = qnn.add %[[AF]], %[[RF]] : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: return %[[S]]
// keep-float=c1: the conv stays float on the float input and weight; its
// result is quantized (qcast) with its own statistics for max_pool2d.
// KF-LABEL: func.func @conv_pool
// KF-SAME: (%[[X:.*]]: tensor<1x4x4x1xf32>)
// KF: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x1x1x1xf32>
// KF: %[[C:.*]] = qnn.conv2d %[[X]], %[[W]] {{.*}} -> tensor<1x4x4x2xf32>
// KF: %[[CQ:.*]] = quant.qcast %[[C]] : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<i8:f32, 0.0098039215686274508:-77>>
// KF: qnn.max_pool2d %[[CQ]]
// KF-NOT: quant.scast
// Symmetric 4-bit: x scale 1/7.5, c1 scale 2/7.5, shared by the pool.
// B4-LABEL: func.func @conv_pool
// B4: qnn.conv2d {{.*}} -> tensor<1x4x4x2x!quant.uniform<i4:f32, 0.26666666666666666>>
// B4: qnn.max_pool2d {{.*}} -> tensor<1x2x2x2x!quant.uniform<i4:f32, 0.26666666666666666>>
// B16-LABEL: func.func @conv_pool
// IO-LABEL: func.func @conv_pool
// IO-SAME: (%{{.*}}: tensor<1x4x4x1x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>) -> tensor<1x8xf32>
func.func @conv_pool(%x: tensor<1x4x4x1xf32> loc("x")) -> tensor<1x8xf32> {
  %xs = qnn.stats %x <count = 1, min = 0.0, max = 1.0> : tensor<1x4x4x1xf32> loc("x")
  %w = arith.constant dense<[[[[1.0]]], [[[-0.3]]]]> : tensor<2x1x1x1xf32> loc("w")
  %c = qnn.conv2d %xs, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x4x4x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x4x4x2xf32> loc("c1")
  %cs = qnn.stats %c <count = 1, min = -0.5, max = 2.0> : tensor<1x4x4x2xf32> loc("c1")
  %p = qnn.max_pool2d %cs kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x4x4x2xf32> -> tensor<1x2x2x2xf32> loc("p")
  %r = qnn.reshape %p : tensor<1x2x2x2xf32> -> tensor<1x8xf32> loc("r")
  %a = qnn.activation %r kind = relu : tensor<1x8xf32> -> tensor<1x8xf32> loc("a")
  %as = qnn.stats %a <count = 1, min = 0.0, max = 2.0> : tensor<1x8xf32> loc("a")
  %s = qnn.add %as, %r : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32> loc("s")
  return %s : tensor<1x8xf32>
}

// -----

// Integer I/O with a quantized result: the return keeps the Q type and
// the signature says so. Default run: dcast before return.
// CHECK-LABEL: func.func @add_io
// CHECK: %[[S:.*]] = qnn.add {{.*}} -> tensor<4x!quant.uniform<i8:f32, 0.011764705882352941:-43>>
// CHECK: %[[SF:.*]] = quant.dcast %[[S]]
// CHECK: return %[[SF]] : tensor<4xf32>
// IO-LABEL: func.func @add_io
// IO-SAME: (%[[A:.*]]: tensor<4x!quant.uniform<i8:f32, 0.0078431372549019607>>, %[[B:.*]]: tensor<4x!quant.uniform<i8:f32, 0.0039215686274509803:-128>>) -> tensor<4x!quant.uniform<i8:f32, 0.011764705882352941:-43>>
// IO: %[[S:.*]] = qnn.add %[[A]], %[[B]]
// IO-NEXT: return %[[S]]
// s in [-1, 2]: scale 3/255 = 0.011764705882352941, zero point
//   -128 - round_half_even(-85) = -43.
// KF-LABEL: func.func @add_io
// B4-LABEL: func.func @add_io
// B16-LABEL: func.func @add_io
func.func @add_io(%a: tensor<4xf32> loc("a"), %b: tensor<4xf32> loc("b")) -> tensor<4xf32> {
  %as = qnn.stats %a <count = 1, min = -1.0, max = 1.0> : tensor<4xf32> loc("a")
  %bs = qnn.stats %b <count = 1, min = 0.0, max = 1.0> : tensor<4xf32> loc("b")
  %s = qnn.add %as, %bs : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> loc("s")
  %ss = qnn.stats %s <count = 1, min = -1.0, max = 2.0> : tensor<4xf32> loc("s")
  return %ss : tensor<4xf32>
}

// -----

// Weights in a dense_resource blob are read through the elements API:
// [1.0, -0.5], scale 1/127: 127 and -63.5 -> -64 (half to even).
// CHECK-LABEL: func.func @resource_weight
// CHECK: arith.constant dense<{{\[}}[127, -64]]> : tensor<1x2xi8>
func.func @resource_weight(%x: tensor<1x2xf32> loc("x")) -> tensor<1x1xf32> {
  %xs = qnn.stats %x <count = 1, min = -1.0, max = 1.0> : tensor<1x2xf32> loc("x")
  %w = arith.constant dense_resource<wblob> : tensor<1x2xf32> loc("w")
  %y = qnn.dense %xs, %w : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32> loc("y")
  %ys = qnn.stats %y <count = 1, min = 0.0, max = 6.0> : tensor<1x1xf32> loc("y")
  return %ys : tensor<1x1xf32>
}
{-#
  dialect_resources: {
    builtin: {
      wblob: "0x040000000000803F000000BF"
    }
  }
#-}
