// Flatten, Reshape, Transpose, Concat, Pad, Softmax and Constant, whose
// meaning depends on the ONNX dimension order.

// Flatten of an NHWC [1, 4, 4, 3] tensor: back to NCHW first (ONNX order).
// RUN: %python %S/make_model.py flatten_spatial %t.fs.onnx
// RUN: quant-import-onnx %t.fs.onnx --func-name=flatten_spatial --mlir-print-local-scope | FileCheck %s --check-prefix=FSPATIAL
// FSPATIAL-LABEL: func.func @flatten_spatial(
// FSPATIAL: %[[C:.*]] = qnn.conv2d {{.*}} -> tensor<1x4x4x3xf32> loc("c")
// FSPATIAL: %[[NCHW:.*]] = qnn.transpose %[[C]] permutation = [0, 3, 1, 2] : tensor<1x4x4x3xf32> -> tensor<1x3x4x4xf32> loc("c#nchw")
// FSPATIAL: %[[Y:.*]] = qnn.reshape %[[NCHW]] : tensor<1x3x4x4xf32> -> tensor<1x48xf32> loc("y")
// FSPATIAL: return %[[Y]]

// Flatten of [1, 1, 1, C] (H = W = 1): the same order, no transpose.
// RUN: %python %S/make_model.py flatten_pooled %t.fp.onnx
// RUN: quant-import-onnx %t.fp.onnx --func-name=flatten_pooled --mlir-print-local-scope | FileCheck %s --check-prefix=FPOOLED
// FPOOLED-LABEL: func.func @flatten_pooled(
// FPOOLED: %[[P:.*]] = qnn.global_avg_pool %{{.*}} : tensor<1x4x4x3xf32> -> tensor<1x1x1x3xf32> loc("p")
// FPOOLED-NEXT: %[[Y:.*]] = qnn.reshape %[[P]] : tensor<1x1x1x3xf32> -> tensor<1x3xf32> loc("y")
// FPOOLED-NEXT: return %[[Y]]

// Flatten of a function argument in ONNX order, axis = 2.
// RUN: %python %S/make_model.py flatten_input_axis2 %t.fa2.onnx
// RUN: quant-import-onnx %t.fa2.onnx --func-name=flatten_input_axis2 | FileCheck %s --check-prefix=FAXIS2
// FAXIS2-LABEL: func.func @flatten_input_axis2(
// FAXIS2-SAME: %[[X:[^:]*]]: tensor<2x3x4x5xf32>
// FAXIS2-NEXT: %[[Y:.*]] = qnn.reshape %[[X]] : tensor<2x3x4x5xf32> -> tensor<6x20xf32>
// FAXIS2-NEXT: return %[[Y]]

// RUN: %python %S/make_model.py flatten_axis0 %t.fa0.onnx
// RUN: quant-import-onnx %t.fa0.onnx --func-name=flatten_axis0 | FileCheck %s --check-prefix=FAXIS0
// FAXIS0-LABEL: func.func @flatten_axis0(
// FAXIS0: qnn.reshape %{{.*}} : tensor<2x3xf32> -> tensor<1x6xf32>

// Reshape to [0, -1]: 0 copies the input dimension, -1 is inferred.
// RUN: %python %S/make_model.py reshape %t.reshape.onnx
// RUN: quant-import-onnx %t.reshape.onnx --func-name=reshape --mlir-print-local-scope | FileCheck %s --check-prefix=RESHAPE
// RESHAPE-LABEL: func.func @reshape(
// RESHAPE: qnn.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<2x12xf32> loc("y")
// RESHAPE-NOT: arith.constant

// RUN: %python %S/make_model.py reshape_allowzero %t.allowzero.onnx
// RUN: quant-import-onnx %t.allowzero.onnx --func-name=reshape_allowzero | FileCheck %s --check-prefix=ALLOWZERO
// ALLOWZERO-LABEL: func.func @reshape_allowzero(
// ALLOWZERO: qnn.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<4x6xf32>

// RUN: %python %S/make_model.py reshape_after_conv %t.rconv.onnx
// RUN: quant-import-onnx %t.rconv.onnx --func-name=reshape_after_conv | FileCheck %s --check-prefix=RCONV
// RCONV-LABEL: func.func @reshape_after_conv(
// RCONV: %[[C:.*]] = qnn.conv2d {{.*}} -> tensor<1x2x2x3xf32>
// RCONV: %[[NCHW:.*]] = qnn.transpose %[[C]] permutation = [0, 3, 1, 2] : tensor<1x2x2x3xf32> -> tensor<1x3x2x2xf32>
// RCONV: qnn.reshape %[[NCHW]] : tensor<1x3x2x2xf32> -> tensor<1x3x4xf32>

// Transpose relabels the held dimensions; the transpose is emitted where a
// consumer (here the return) needs the ONNX order.
// RUN: %python %S/make_model.py transpose %t.transpose.onnx
// RUN: quant-import-onnx %t.transpose.onnx --func-name=transpose --mlir-print-local-scope | FileCheck %s --check-prefix=TRANSPOSE
// TRANSPOSE-LABEL: func.func @transpose(
// TRANSPOSE-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>
// TRANSPOSE: %[[Y:.*]] = qnn.transpose %[[X]] permutation = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32> loc("y#onnx")
// TRANSPOSE: return %[[Y]]

// RUN: %python %S/make_model.py transpose_default %t.tdefault.onnx
// RUN: quant-import-onnx %t.tdefault.onnx --func-name=transpose_default | FileCheck %s --check-prefix=TDEFAULT
// TDEFAULT-LABEL: func.func @transpose_default(
// TDEFAULT: qnn.transpose %{{.*}} permutation = [2, 1, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>

// An NHWC model wraps its Conv in NHWC -> NCHW -> NHWC transposes: they
// cancel against the NHWC convolution, no qnn.transpose is left.
// RUN: %python %S/make_model.py transpose_nhwc_model %t.tnhwc.onnx
// RUN: quant-import-onnx %t.tnhwc.onnx --func-name=transpose_nhwc_model | FileCheck %s --check-prefix=TNHWC
// TNHWC-LABEL: func.func @transpose_nhwc_model(
// TNHWC-SAME: %[[X:[^:]*]]: tensor<1x5x5x2xf32>
// TNHWC-NOT: qnn.transpose
// TNHWC: %[[Y:.*]] = qnn.conv2d %[[X]], %{{.*}} : (tensor<1x5x5x2xf32>, tensor<3x1x1x2xf32>) -> tensor<1x5x5x3xf32>
// TNHWC-NOT: qnn.transpose
// TNHWC: return %[[Y]]

// Concat along ONNX axis 1 (channels) is NHWC axis 3.
// RUN: %python %S/make_model.py concat_channels %t.concat.onnx
// RUN: quant-import-onnx %t.concat.onnx --func-name=concat_channels --mlir-print-local-scope | FileCheck %s --check-prefix=CONCAT
// CONCAT-LABEL: func.func @concat_channels(
// CONCAT: %[[C1:.*]] = qnn.conv2d {{.*}} loc("c1")
// CONCAT: %[[C2:.*]] = qnn.conv2d {{.*}} loc("c2")
// CONCAT: qnn.concat %[[C1]], %[[C2]] axis = 3 : (tensor<1x4x4x3xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x5xf32> loc("y")

// RUN: %python %S/make_model.py concat_negative_axis %t.concatneg.onnx
// RUN: quant-import-onnx %t.concatneg.onnx --func-name=concat_negative_axis | FileCheck %s --check-prefix=CONCATNEG
// CONCATNEG-LABEL: func.func @concat_negative_axis(
// CONCATNEG: qnn.concat %{{.*}}, %{{.*}} axis = 1 : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>

// Pad of NCHW pads [0, 0, 1, 2, 0, 0, 3, 0] (begins, then ends), held
// NHWC: low [0, 1, 2, 0], high [0, 3, 0, 0].
// RUN: %python %S/make_model.py pad_constant %t.padc.onnx
// RUN: quant-import-onnx %t.padc.onnx --func-name=pad_constant --mlir-print-local-scope | FileCheck %s --check-prefix=PADC
// PADC-LABEL: func.func @pad_constant(
// PADC: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1]
// PADC: %[[Y:.*]] = qnn.pad %[[IN]] low = [0, 1, 2, 0] high = [0, 3, 0, 0] mode = constant value = 1.500000e+00 : tensor<1x4x4x2xf32> -> tensor<1x8x6x2xf32> loc("y")
// PADC: qnn.transpose %[[Y]] permutation = [0, 3, 1, 2] : tensor<1x8x6x2xf32> -> tensor<1x2x8x6xf32>

// RUN: %python %S/make_model.py pad_reflect %t.padr.onnx
// RUN: quant-import-onnx %t.padr.onnx --func-name=pad_reflect | FileCheck %s --check-prefix=PADR
// PADR-LABEL: func.func @pad_reflect(
// PADR: qnn.pad %{{.*}} low = [0, 1, 2, 0] high = [0, 3, 0, 0] mode = reflect value = 0.000000e+00

// RUN: %python %S/make_model.py pad_edge %t.pade.onnx
// RUN: quant-import-onnx %t.pade.onnx --func-name=pad_edge | FileCheck %s --check-prefix=PADE
// PADE-LABEL: func.func @pad_edge(
// PADE: qnn.pad %{{.*}} low = [0, 1, 2, 0] high = [0, 3, 0, 0] mode = edge

// Opset 10 gives pads and value as attributes.
// RUN: %python %S/make_model.py pad_attrs %t.padattr.onnx
// RUN: quant-import-onnx %t.padattr.onnx --func-name=pad_attrs | FileCheck %s --check-prefix=PADATTR
// PADATTR-LABEL: func.func @pad_attrs(
// PADATTR: qnn.pad %{{.*}} low = [0, 1, 2, 0] high = [0, 3, 0, 0] mode = constant value = -2.000000e+00 : tensor<1x4x4x2xf32> -> tensor<1x8x6x2xf32>

// RUN: %python %S/make_model.py pad_2d %t.pad2d.onnx
// RUN: quant-import-onnx %t.pad2d.onnx --func-name=pad_2d | FileCheck %s --check-prefix=PAD2D
// PAD2D-LABEL: func.func @pad_2d(
// PAD2D: qnn.pad %{{.*}} low = [1, 0] high = [0, 2] mode = constant value = 0.000000e+00 : tensor<3x4xf32> -> tensor<4x6xf32>

// RUN: %python %S/make_model.py softmax_13 %t.sm13.onnx
// RUN: quant-import-onnx %t.sm13.onnx --func-name=softmax_13 --mlir-print-local-scope | FileCheck %s --check-prefix=SM13
// SM13-LABEL: func.func @softmax_13(
// SM13: qnn.softmax %{{.*}} axis = 1 : tensor<2x10xf32> -> tensor<2x10xf32> loc("y")

// Opset 11 defaults to axis 1 and normalizes over all later dimensions:
// accepted where those have size 1.
// RUN: %python %S/make_model.py softmax_11 %t.sm11.onnx
// RUN: quant-import-onnx %t.sm11.onnx --func-name=softmax_11 | FileCheck %s --check-prefix=SM11
// SM11-LABEL: func.func @softmax_11(
// SM11: qnn.softmax %{{.*}} axis = 1 : tensor<2x10xf32> -> tensor<2x10xf32>

// RUN: %python %S/make_model.py softmax_11_4d %t.sm114d.onnx
// RUN: quant-import-onnx %t.sm114d.onnx --func-name=softmax_11_4d | FileCheck %s --check-prefix=SM114D
// SM114D-LABEL: func.func @softmax_11_4d(
// SM114D: qnn.softmax %{{.*}} axis = 3 : tensor<1x1x1x10xf32> -> tensor<1x1x1x10xf32>

// RUN: %python %S/make_model.py softmax_channels %t.smc.onnx
// RUN: quant-import-onnx %t.smc.onnx --func-name=softmax_channels | FileCheck %s --check-prefix=SMC
// SMC-LABEL: func.func @softmax_channels(
// SMC: qnn.softmax %{{.*}} axis = 3 : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32>

// RUN: %python %S/make_model.py constant_node %t.const.onnx
// RUN: quant-import-onnx %t.const.onnx --func-name=constant_node --mlir-print-local-scope | FileCheck %s --check-prefix=CONST
// CONST-LABEL: func.func @constant_node(
// CONST: %[[K:.*]] = arith.constant dense_resource<k> : tensor<3xf32> loc("k")
// CONST: qnn.add %{{.*}}, %[[K]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32> loc("y")
