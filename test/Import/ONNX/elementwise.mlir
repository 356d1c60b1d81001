// Add, Sub and Mul with NumPy broadcasting, computed in the layout of their
// operands (NHWC after a Conv); Relu, Clip, Identity and Dropout.

// A [C, 1, 1] constant broadcast over NCHW is a [C] vector in NHWC.
// RUN: %python %S/make_model.py add_channel_const %t.addc.onnx
// RUN: quant-import-onnx %t.addc.onnx --func-name=add_channel_const --mlir-print-local-scope | FileCheck %s --check-prefix=ADDC
// ADDC-LABEL: func.func @add_channel_const(
// ADDC: %[[CONV:.*]] = qnn.conv2d {{.*}} -> tensor<1x4x4x3xf32> loc("c")
// ADDC: %[[B:.*]] = arith.constant dense_resource<b> : tensor<3xf32> loc("b")
// ADDC: %[[Y:.*]] = qnn.add %[[CONV]], %[[B]] : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32> loc("y")
// ADDC: qnn.transpose %[[Y]] permutation = [0, 3, 1, 2]

// RUN: %python %S/make_model.py add_scalar_const %t.adds.onnx
// RUN: quant-import-onnx %t.adds.onnx --func-name=add_scalar_const | FileCheck %s --check-prefix=ADDS
// ADDS-LABEL: func.func @add_scalar_const(
// ADDS: %[[B:.*]] = arith.constant dense<2.000000e+00> : tensor<f32>
// ADDS: qnn.add %{{.*}}, %[[B]] : (tensor<1x4x4x3xf32>, tensor<f32>) -> tensor<1x4x4x3xf32>

// A [W] constant broadcasts along the last ONNX dimension, which is the
// third NHWC dimension: [W, 1].
// RUN: %python %S/make_model.py add_width_const %t.addw.onnx
// RUN: quant-import-onnx %t.addw.onnx --func-name=add_width_const | FileCheck %s --check-prefix=ADDW
// ADDW-LABEL: func.func @add_width_const(
// ADDW: %[[B:.*]] = arith.constant dense_resource<b> : tensor<4x1xf32>
// ADDW: qnn.add %{{.*}}, %[[B]] : (tensor<1x4x4x3xf32>, tensor<4x1xf32>) -> tensor<1x4x4x3xf32>

// Two activations: the function argument is converted at the top.
// RUN: %python %S/make_model.py add_two_activations %t.add2.onnx
// RUN: quant-import-onnx %t.add2.onnx --func-name=add_two_activations --mlir-print-local-scope | FileCheck %s --check-prefix=ADD2
// ADD2-LABEL: func.func @add_two_activations(
// ADD2-SAME: %[[X:[^:]*]]: tensor<1x2x4x4xf32> loc("x"), %[[B:[^:]*]]: tensor<1x3x4x4xf32> loc("b")
// ADD2: %[[XT:.*]] = qnn.transpose %[[X]] permutation = [0, 2, 3, 1]
// ADD2: %[[BT:.*]] = qnn.transpose %[[B]] permutation = [0, 2, 3, 1] : tensor<1x3x4x4xf32> -> tensor<1x4x4x3xf32> loc("b#nhwc")
// ADD2: %[[CONV:.*]] = qnn.conv2d %[[XT]]
// ADD2: qnn.add %[[CONV]], %[[BT]] : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> loc("y")

// A rank-2 activation [H, W] broadcast against NHWC becomes [1, H, W, 1].
// RUN: %python %S/make_model.py add_rank2_input %t.addr2.onnx
// RUN: quant-import-onnx %t.addr2.onnx --func-name=add_rank2_input --mlir-print-local-scope | FileCheck %s --check-prefix=ADDR2
// ADDR2-LABEL: func.func @add_rank2_input(
// ADDR2-SAME: %[[B:[^:]*]]: tensor<4x4xf32> loc("b")
// ADDR2: %[[CONV:.*]] = qnn.conv2d
// ADDR2: %[[BB:.*]] = qnn.reshape %[[B]] : tensor<4x4xf32> -> tensor<1x4x4x1xf32> loc("b#broadcast")
// ADDR2: qnn.add %[[CONV]], %[[BB]] : (tensor<1x4x4x3xf32>, tensor<1x4x4x1xf32>) -> tensor<1x4x4x3xf32>

// Without a layout change the operands keep their ONNX shapes.
// RUN: %python %S/make_model.py add_2d %t.add2d.onnx
// RUN: quant-import-onnx %t.add2d.onnx --func-name=add_2d | FileCheck %s --check-prefix=ADD2D
// ADD2D-LABEL: func.func @add_2d(
// ADD2D-SAME: %[[A:.*]]: tensor<2x5xf32>
// ADD2D: %[[B:.*]] = arith.constant dense_resource<b> : tensor<5xf32>
// ADD2D: qnn.add %[[A]], %[[B]] : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>

// Sub of a constant adds the negated constant (arange(3) negated).
// RUN: %python %S/make_model.py sub_const %t.subc.onnx
// RUN: quant-import-onnx %t.subc.onnx --func-name=sub_const | FileCheck %s --check-prefix=SUBC
// SUBC-LABEL: func.func @sub_const(
// SUBC: %[[B:.*]] = arith.constant dense_resource<b> : tensor<3xf32>
// SUBC: qnn.add %{{.*}}, %[[B]] : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
// SUBC: b: "0x0400000000000080000080BF000000C0"

// Sub of an activation multiplies it by -1 first.
// RUN: %python %S/make_model.py sub_activations %t.suba.onnx
// RUN: quant-import-onnx %t.suba.onnx --func-name=sub_activations --mlir-print-local-scope | FileCheck %s --check-prefix=SUBA
// SUBA-LABEL: func.func @sub_activations(
// SUBA: %[[BT:.*]] = qnn.transpose %{{.*}} loc("b#nhwc")
// SUBA: %[[CONV:.*]] = qnn.conv2d
// SUBA: %[[M1:.*]] = arith.constant dense<-1.000000e+00> : tensor<f32> loc("y#neg")
// SUBA: %[[NEG:.*]] = qnn.mul %[[BT]], %[[M1]] : (tensor<1x4x4x3xf32>, tensor<f32>) -> tensor<1x4x4x3xf32> loc("y#neg")
// SUBA: qnn.add %[[CONV]], %[[NEG]] : (tensor<1x4x4x3xf32>, tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> loc("y")

// RUN: %python %S/make_model.py mul_const %t.mul.onnx
// RUN: quant-import-onnx %t.mul.onnx --func-name=mul_const --mlir-print-local-scope | FileCheck %s --check-prefix=MUL
// MUL-LABEL: func.func @mul_const(
// MUL: %[[B:.*]] = arith.constant dense_resource<b> : tensor<3xf32>
// MUL: qnn.mul %{{.*}}, %[[B]] : (tensor<1x4x4x3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32> loc("y")

// RUN: %python %S/make_model.py relu %t.relu.onnx
// RUN: quant-import-onnx %t.relu.onnx --func-name=relu --mlir-print-local-scope | FileCheck %s --check-prefix=RELU
// RELU-LABEL: func.func @relu(
// RELU: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1]
// RELU: qnn.activation %[[IN]] kind = relu : tensor<1x4x4x3xf32> -> tensor<1x4x4x3xf32> loc("y")

// Clip: [0, 6] is relu6, [0, inf) relu, anything else a clamp (an absent
// bound is the largest float).
// RUN: %python %S/make_model.py clip_relu6 %t.relu6.onnx
// RUN: quant-import-onnx %t.relu6.onnx --func-name=clip_relu6 | FileCheck %s --check-prefix=RELU6
// RELU6-LABEL: func.func @clip_relu6(
// RELU6: qnn.activation %{{.*}} kind = relu6 : tensor<1x4x4x3xf32> -> tensor<1x4x4x3xf32>

// RUN: %python %S/make_model.py clip_relu %t.cliprelu.onnx
// RUN: quant-import-onnx %t.cliprelu.onnx --func-name=clip_relu | FileCheck %s --check-prefix=CLIPRELU
// CLIPRELU-LABEL: func.func @clip_relu(
// CLIPRELU: qnn.activation %{{.*}} kind = relu :

// RUN: %python %S/make_model.py clip_clamp %t.clamp.onnx
// RUN: quant-import-onnx %t.clamp.onnx --func-name=clip_clamp | FileCheck %s --check-prefix=CLAMP
// CLAMP-LABEL: func.func @clip_clamp(
// CLAMP: qnn.activation %{{.*}} kind = clamp(min = -1.000000e+00, max = 2.500000e+00) : tensor<2x5xf32> -> tensor<2x5xf32>

// RUN: %python %S/make_model.py clip_max_only %t.clipmax.onnx
// RUN: quant-import-onnx %t.clipmax.onnx --func-name=clip_max_only | FileCheck %s --check-prefix=CLIPMAX
// CLIPMAX-LABEL: func.func @clip_max_only(
// CLIPMAX: qnn.activation %{{.*}} kind = clamp(min = -3.4028234663852886E+38, max = 3.000000e+00)

// Opset 6 gives the bounds as attributes.
// RUN: %python %S/make_model.py clip_attrs %t.clipattr.onnx
// RUN: quant-import-onnx %t.clipattr.onnx --func-name=clip_attrs | FileCheck %s --check-prefix=CLIPATTR
// CLIPATTR-LABEL: func.func @clip_attrs(
// CLIPATTR: qnn.activation %{{.*}} kind = relu6

// Identity and Dropout (with an unused mask) emit nothing: the Relu reads
// the argument.
// RUN: %python %S/make_model.py identity_dropout %t.ident.onnx
// RUN: quant-import-onnx %t.ident.onnx --func-name=identity_dropout --mlir-print-local-scope | FileCheck %s --check-prefix=IDENT
// IDENT-LABEL: func.func @identity_dropout(
// IDENT-SAME: %[[X:[^:]*]]: tensor<2x3xf32>
// IDENT-NEXT: %[[Y:.*]] = qnn.activation %[[X]] kind = relu : tensor<2x3xf32> -> tensor<2x3xf32> loc("y")
// IDENT-NEXT: return %[[Y]]

// RUN: %python %S/make_model.py dropout_ratio_input %t.drop.onnx
// RUN: quant-import-onnx %t.drop.onnx --func-name=dropout_ratio_input | FileCheck %s --check-prefix=DROP
// DROP-LABEL: func.func @dropout_ratio_input(
// DROP-SAME: %[[X:[^:]*]]: tensor<2x3xf32>
// DROP-NEXT: return %[[X]]
