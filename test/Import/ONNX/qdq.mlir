// QuantizeLinear / DequantizeLinear on upstream quant types: quant.qcast to
// !quant.uniform, quant.dcast back to f32; an integer initializer read by
// DequantizeLinear is an integer constant viewed through quant.scast, laid
// out (and its quantized axis moved) the way its user needs it.

// Per-channel weights (axis 0 stays 0 in [O, KH, KW, I]), i32 per-channel
// bias, u8 activations quantized in NHWC.
// RUN: %python %S/make_model.py qdq_conv_per_axis %t.conv.onnx
// RUN: quant-import-onnx %t.conv.onnx --func-name=qdq_conv_per_axis --mlir-print-local-scope | FileCheck %s --check-prefix=CONV
// CONV-LABEL: func.func @qdq_conv_per_axis(
// CONV-SAME: %[[X:[^:]*]]: tensor<1x3x4x4xf32> loc("x")) -> tensor<1x2x4x4xf32>
// CONV: %[[NHWC:.*]] = qnn.transpose %[[X]] permutation = [0, 2, 3, 1] : tensor<1x3x4x4xf32> -> tensor<1x4x4x3xf32> loc("x#nhwc")
// CONV: %[[XQ:.*]] = quant.qcast %[[NHWC]] : tensor<1x4x4x3xf32> to tensor<1x4x4x3x!quant.uniform<u8:f32, 5.000000e-01:128>> loc("xq")
// CONV: %[[XDQ:.*]] = quant.dcast %[[XQ]] : tensor<1x4x4x3x!quant.uniform<u8:f32, 5.000000e-01:128>> to tensor<1x4x4x3xf32> loc("xdq")
// CONV: %[[WI:.*]] = arith.constant dense_resource<wq> : tensor<2x3x3x3xi8> loc("wq")
// CONV: %[[WQ:.*]] = quant.scast %[[WI]] : tensor<2x3x3x3xi8> to tensor<2x3x3x3x!quant.uniform<i8:f32:0, {0.019999999552965164,0.0099999997764825821}>> loc("wq")
// CONV: %[[W:.*]] = quant.dcast %[[WQ]] : {{.*}} to tensor<2x3x3x3xf32> loc("wdq")
// CONV: %[[BI:.*]] = arith.constant dense_resource<bq> : tensor<2xi32> loc("bq")
// CONV: %[[BQ:.*]] = quant.scast %[[BI]] : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {0.0099999997764825821,0.004999999888241291}>> loc("bq")
// CONV: %[[B:.*]] = quant.dcast %[[BQ]] : {{.*}} to tensor<2xf32> loc("bdq")
// CONV: %[[Y:.*]] = qnn.conv2d %[[XDQ]], %[[W]], %[[B]] strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 : (tensor<1x4x4x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32> loc("y")
// CONV: %[[YQ:.*]] = quant.qcast %[[Y]] : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<u8:f32, 2.500000e-01:120>> loc("yq")
// CONV: %[[YDQ:.*]] = quant.dcast %[[YQ]] : {{.*}} loc("ydq")
// CONV: %[[OUT:.*]] = qnn.transpose %[[YDQ]] permutation = [0, 3, 1, 2] : tensor<1x4x4x2xf32> -> tensor<1x2x4x4xf32> loc("ydq#nchw")
// CONV: return %[[OUT]]

// Per-tensor i8 weights, u8 activations.
// RUN: %python %S/make_model.py qdq_per_tensor %t.tensor.onnx
// RUN: quant-import-onnx %t.tensor.onnx --func-name=qdq_per_tensor | FileCheck %s --check-prefix=TENSOR
// TENSOR-LABEL: func.func @qdq_per_tensor(
// TENSOR: quant.qcast %{{.*}} : tensor<1x4x4x3xf32> to tensor<1x4x4x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
// TENSOR: %[[WI:.*]] = arith.constant dense_resource<wq> : tensor<2x2x2x3xi8>
// TENSOR: %[[WQ:.*]] = quant.scast %[[WI]] : tensor<2x2x2x3xi8> to tensor<2x2x2x3x!quant.uniform<i8:f32, 2.500000e-01>>
// TENSOR: %[[W:.*]] = quant.dcast %[[WQ]] : tensor<2x2x2x3x!quant.uniform<i8:f32, 2.500000e-01>> to tensor<2x2x2x3xf32>
// TENSOR: qnn.conv2d %{{.*}}, %[[W]] strides

// Without a zero point, QuantizeLinear means u8 with zero point 0.
// RUN: %python %S/make_model.py qdq_default_zp %t.defzp.onnx
// RUN: quant-import-onnx %t.defzp.onnx --func-name=qdq_default_zp | FileCheck %s --check-prefix=DEFZP
// DEFZP-LABEL: func.func @qdq_default_zp(
// DEFZP: %[[Q:.*]] = quant.qcast %{{.*}} : tensor<2x3xf32> to tensor<2x3x!quant.uniform<u8:f32, 0.10000000149011612>>
// DEFZP: quant.dcast %[[Q]] : tensor<2x3x!quant.uniform<u8:f32, 0.10000000149011612>> to tensor<2x3xf32>

// A Gemm weight [K, N] quantized along N (axis 1) is transposed on the host
// to [N, K], quantized along axis 0.
// RUN: %python %S/make_model.py qdq_gemm_per_axis %t.gemm.onnx
// RUN: quant-import-onnx %t.gemm.onnx --func-name=qdq_gemm_per_axis | FileCheck %s --check-prefix=GEMM
// GEMM-LABEL: func.func @qdq_gemm_per_axis(
// GEMM: %[[WI:.*]] = arith.constant dense_resource<bq> : tensor<3x4xi8>
// GEMM: %[[WQ:.*]] = quant.scast %[[WI]] : tensor<3x4xi8> to tensor<3x4x!quant.uniform<i8:f32:0, {0.10000000149011612,0.20000000298023224,0.30000001192092896}>>
// GEMM: %[[W:.*]] = quant.dcast %[[WQ]]
// GEMM: qnn.dense %{{.*}}, %[[W]] : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
// B = arange(12) - 6 as [4, 3], transposed: -6, -3, 0, 3 / -5, -2, 1, 4 / ...
// GEMM: bq: "0x01000000FAFD0003FBFE0104FCFF0205"

// Per-channel activation quantization: ONNX axis 1 is NHWC axis 3.
// RUN: %python %S/make_model.py qdq_activation_per_axis %t.act.onnx
// RUN: quant-import-onnx %t.act.onnx --func-name=qdq_activation_per_axis | FileCheck %s --check-prefix=ACT
// ACT-LABEL: func.func @qdq_activation_per_axis(
// ACT: %[[Q:.*]] = quant.qcast %{{.*}} : tensor<1x3x3x2xf32> to tensor<1x3x3x2x!quant.uniform<i8:f32:3, {5.000000e-01:-3,2.500000e-01:4}>>
// ACT: quant.dcast %[[Q]] : tensor<1x3x3x2x!quant.uniform<i8:f32:3, {5.000000e-01:-3,2.500000e-01:4}>> to tensor<1x3x3x2xf32>

// A float weight quantized in the graph stays a constant: permuted first,
// then cast.
// RUN: %python %S/make_model.py qdq_float_weight %t.fw.onnx
// RUN: quant-import-onnx %t.fw.onnx --func-name=qdq_float_weight --mlir-print-local-scope | FileCheck %s --check-prefix=FLOATW
// FLOATW-LABEL: func.func @qdq_float_weight(
// FLOATW: %[[WF:.*]] = arith.constant dense_resource<w> : tensor<2x3x3x2xf32> loc("w")
// FLOATW: %[[WQ:.*]] = quant.qcast %[[WF]] : tensor<2x3x3x2xf32> to tensor<2x3x3x2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>> loc("wq")
// FLOATW: %[[W:.*]] = quant.dcast %[[WQ]] : {{.*}} to tensor<2x3x3x2xf32> loc("wdq")
// FLOATW: qnn.conv2d %{{.*}}, %[[W]] strides

// Max pooling reads a quantized tensor directly (its Q form is exact).
// RUN: %python %S/make_model.py qdq_maxpool %t.maxpool.onnx
// RUN: quant-import-onnx %t.maxpool.onnx --func-name=qdq_maxpool | FileCheck %s --check-prefix=MAXPOOL
// MAXPOOL-LABEL: func.func @qdq_maxpool(
// MAXPOOL: %[[Q:.*]] = quant.qcast %{{.*}} : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-01:10>>
// MAXPOOL: %[[P:.*]] = qnn.max_pool2d %[[Q]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-01:10>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 5.000000e-01:10>>
// MAXPOOL: quant.dcast %[[P]]

// A dequantized i32 bias is the dense layer's bias operand; without zero
// points the storage types are the inputs' (i8, i32).
// RUN: %python %S/make_model.py qdq_gemm_bias %t.gemmbias.onnx
// RUN: quant-import-onnx %t.gemmbias.onnx --func-name=qdq_gemm_bias | FileCheck %s --check-prefix=GEMMBIAS
// GEMMBIAS-LABEL: func.func @qdq_gemm_bias(
// GEMMBIAS: %[[W:.*]] = quant.dcast %{{.*}} : tensor<3x4x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<3x4xf32>
// GEMMBIAS: %[[BQ:.*]] = quant.scast %{{.*}} : tensor<3xi32> to tensor<3x!quant.uniform<i32:f32, 2.500000e-01>>
// GEMMBIAS: %[[B:.*]] = quant.dcast %[[BQ]] : tensor<3x!quant.uniform<i32:f32, 2.500000e-01>> to tensor<3xf32>
// GEMMBIAS: qnn.dense %{{.*}}, %[[W]], %[[B]] : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
