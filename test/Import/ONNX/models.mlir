// The real networks of ../shared/models import, verify, read back into
// quant-opt, and keep their weights out of line (dense_resource blobs, no
// long inline dense<...> constants).
// REQUIRES: shared-models

// RUN: quant-import-onnx %shared_models/kws_dscnn/model_bn.onnx -o %t.kws_bn.mlir
// RUN: quant-opt %t.kws_bn.mlir --mlir-print-local-scope --mlir-print-debuginfo | FileCheck %s --check-prefix=KWS
// RUN: not grep -E 'dense<[^>]{64}' %t.kws_bn.mlir
// KWS-LABEL: func.func @main(
// KWS-SAME: tensor<1x1x49x10xf32> loc("input")) -> tensor<1x12xf32>
// A single input channel: NCHW -> NHWC is a reshape.
// KWS: qnn.reshape %{{.*}} : tensor<1x1x49x10xf32> -> tensor<1x49x10x1xf32> loc("input#nhwc")
// KWS: qnn.conv2d {{.*}} strides = [2, 2] dilations = [1, 1] padding = [4, 1, 5, 1] groups = 1 : (tensor<1x49x10x1xf32>, tensor<64x10x4x1xf32>, tensor<64xf32>) -> tensor<1x25x5x64xf32> loc("conv0")
// KWS: qnn.batch_norm {{.*}} loc("conv0_bn")
// KWS: qnn.activation {{.*}} kind = relu {{.*}} loc("conv0_relu")
// KWS: qnn.conv2d {{.*}} groups = 64 : (tensor<1x25x5x64xf32>, tensor<64x3x3x1xf32>, tensor<64xf32>) -> tensor<1x25x5x64xf32> loc("dw0")
// KWS-NOT: qnn.transpose
// KWS: qnn.global_avg_pool %{{.*}} : tensor<1x25x5x64xf32> -> tensor<1x1x1x64xf32> loc("pool")
// KWS: qnn.reshape %{{.*}} : tensor<1x1x1x64xf32> -> tensor<1x64xf32> loc("flatten")
// KWS: qnn.dense %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x64xf32>, tensor<12x64xf32>, tensor<12xf32>) -> tensor<1x12xf32> loc("dense")
// RUN: FileCheck %s --check-prefix=KWSBLOB < %t.kws_bn.mlir
// KWSBLOB: arith.constant dense_resource<conv0.W> : tensor<64x10x4x1xf32>
// KWSBLOB: dialect_resources: {
// KWSBLOB: conv0.W: "0x04000000

// RUN: quant-import-onnx %shared_models/kws_dscnn/model_folded.onnx -o %t.kws_folded.mlir
// RUN: quant-opt %t.kws_folded.mlir | FileCheck %s --check-prefix=KWSFOLDED
// RUN: not grep -E 'dense<[^>]{64}' %t.kws_folded.mlir
// KWSFOLDED-LABEL: func.func @main(
// KWSFOLDED-COUNT-9: qnn.conv2d
// KWSFOLDED-NOT: qnn.batch_norm
// KWSFOLDED: qnn.dense

// ResNet-8: asymmetric 'SAME' padding on the stride-2 layers, residual adds
// in NHWC.
// RUN: quant-import-onnx %shared_models/ic_resnet8/model_bn.onnx -o %t.resnet_bn.mlir
// RUN: quant-opt %t.resnet_bn.mlir --mlir-print-local-scope --mlir-print-debuginfo | FileCheck %s --check-prefix=RESNET
// RUN: not grep -E 'dense<[^>]{64}' %t.resnet_bn.mlir
// RESNET-LABEL: func.func @main(
// RESNET-SAME: tensor<1x3x32x32xf32> loc("input_1")) -> tensor<1x10xf32>
// RESNET: qnn.transpose %{{.*}} permutation = [0, 2, 3, 1] : tensor<1x3x32x32xf32> -> tensor<1x32x32x3xf32> loc("input_1#nhwc")
// RESNET-NOT: qnn.transpose
// RESNET: qnn.conv2d {{.*}} strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 : (tensor<1x32x32x16xf32>, tensor<32x3x3x16xf32>, tensor<32xf32>) -> tensor<1x16x16x32xf32>
// RESNET: qnn.add %{{.*}}, %{{.*}} : (tensor<1x16x16x32xf32>, tensor<1x16x16x32xf32>) -> tensor<1x16x16x32xf32> loc("add_1")
// RESNET-NOT: qnn.transpose
// RESNET: qnn.dense {{.*}} -> tensor<1x10xf32> loc("dense")

// RUN: quant-import-onnx %shared_models/ic_resnet8/model_folded.onnx -o %t.resnet_folded.mlir
// RUN: quant-opt %t.resnet_folded.mlir | FileCheck %s --check-prefix=RESNETFOLDED
// RUN: not grep -E 'dense<[^>]{64}' %t.resnet_folded.mlir
// RESNETFOLDED-LABEL: func.func @main(
// RESNETFOLDED-COUNT-9: qnn.conv2d
// RESNETFOLDED-NOT: qnn.batch_norm

// MobileNet V1: 27 convolutions, depthwise and pointwise.
// RUN: quant-import-onnx %shared_models/vww_mobilenetv1_025/model_bn.onnx -o %t.vww_bn.mlir
// RUN: quant-opt %t.vww_bn.mlir | FileCheck %s --check-prefix=VWW
// RUN: not grep -E 'dense<[^>]{64}' %t.vww_bn.mlir
// VWW-LABEL: func.func @main(
// VWW-SAME: tensor<1x3x96x96xf32>{{.*}}) -> tensor<1x2xf32>
// VWW: qnn.conv2d {{.*}} strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 : (tensor<1x96x96x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x48x48x8xf32>
// VWW: qnn.conv2d {{.*}} groups = 8 : (tensor<1x48x48x8xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x48x48x8xf32>
// VWW-COUNT-25: qnn.conv2d
// VWW-NOT: qnn.conv2d
// VWW: qnn.dense {{.*}} -> tensor<1x2xf32>

// RUN: quant-import-onnx %shared_models/vww_mobilenetv1_025/model_folded.onnx --nhwc-io --batch-size=4 -o %t.vww_folded.mlir
// RUN: quant-opt %t.vww_folded.mlir | FileCheck %s --check-prefix=VWWFOLDED
// RUN: not grep -E 'dense<[^>]{64}' %t.vww_folded.mlir
// VWWFOLDED-LABEL: func.func @main(
// VWWFOLDED-SAME: tensor<4x96x96x3xf32>{{.*}}) -> tensor<4x2xf32>
// VWWFOLDED-NOT: qnn.transpose
// VWWFOLDED-COUNT-27: qnn.conv2d
// VWWFOLDED-NOT: qnn.batch_norm

// The QDQ reference file: per-channel i8 weights, i32 bias, u8 activations.
// RUN: quant-import-onnx %shared_models/../reference/formats-examples/qdq_conv_perchannel.onnx | quant-opt --mlir-print-local-scope --mlir-print-debuginfo | FileCheck %s --check-prefix=QDQ
// QDQ-LABEL: func.func @main(
// QDQ: quant.qcast %{{.*}} : tensor<1x8x8x3xf32> to tensor<1x8x8x3x!quant.uniform<u8:f32, 0.019999999552965164:128>> loc("x_q")
// QDQ: quant.scast %{{.*}} : tensor<2x3x3x3xi8> to tensor<2x3x3x3x!quant.uniform<i8:f32:0, {0.0020102281123399734,0.0015596823068335652}>> loc("W_q")
// QDQ: quant.scast %{{.*}} : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {{.*}}>> loc("B_q")
// QDQ: qnn.conv2d {{.*}} padding = [1, 1, 1, 1] groups = 1 : (tensor<1x8x8x3xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x8x8x2xf32> loc("y")
// QDQ: quant.qcast %{{.*}} : tensor<1x8x8x2xf32> to tensor<1x8x8x2x!quant.uniform<u8:f32, 0.05000000074505806:120>> loc("y_q")
