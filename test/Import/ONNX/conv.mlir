// Conv: NCHW input transposed to NHWC at the function entry, OIHW filter
// permuted to [O, KH, KW, I/groups] on the host, result transposed back at
// the return. Padding, strides, dilations, groups and auto_pad.

// RUN: %python %S/make_model.py conv_basic %t.basic.onnx
// RUN: quant-import-onnx %t.basic.onnx --func-name=conv_basic --mlir-print-local-scope | FileCheck %s --check-prefix=BASIC
// BASIC-LABEL: func.func @conv_basic(
// BASIC-SAME: %[[X:.*]]: tensor<1x3x8x8xf32> loc("x")) -> tensor<1x4x4x4xf32>
// BASIC: %[[NHWC:.*]] = qnn.transpose %[[X]] permutation = [0, 2, 3, 1] : tensor<1x3x8x8xf32> -> tensor<1x8x8x3xf32> loc("x#nhwc")
// BASIC: %[[W:.*]] = arith.constant dense_resource<w> : tensor<4x3x3x3xf32> loc("w")
// BASIC: %[[B:.*]] = arith.constant dense_resource<b> : tensor<4xf32> loc("b")
// BASIC: %[[Y:.*]] = qnn.conv2d %[[NHWC]], %[[W]], %[[B]] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32> loc("y")
// BASIC: %[[NCHW:.*]] = qnn.transpose %[[Y]] permutation = [0, 3, 1, 2] : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32> loc("y#nchw")
// BASIC: return %[[NCHW]]

// RUN: %python %S/make_model.py conv_nobias %t.nobias.onnx
// RUN: quant-import-onnx %t.nobias.onnx --func-name=conv_nobias --mlir-print-local-scope | FileCheck %s --check-prefix=NOBIAS
// NOBIAS-LABEL: func.func @conv_nobias(
// NOBIAS: %[[W:.*]] = arith.constant dense_resource<w> : tensor<3x1x1x2xf32>
// NOBIAS: qnn.conv2d %{{.*}}, %[[W]] strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x5x5x2xf32>, tensor<3x1x1x2xf32>) -> tensor<1x5x5x3xf32>

// The filter data is permuted: OIHW [1, 2, 1, 2] holding 0, 1, 2, 3 becomes
// [1, 1, 2, 2] holding 0, 2, 1, 3 (after the 4-byte alignment prefix).
// RUN: %python %S/make_model.py conv_weight_layout %t.layout.onnx
// RUN: quant-import-onnx %t.layout.onnx --func-name=conv_weight_layout | FileCheck %s --check-prefix=LAYOUT
// LAYOUT-LABEL: func.func @conv_weight_layout(
// LAYOUT: arith.constant dense_resource<w> : tensor<1x1x2x2xf32>
// LAYOUT: w: "0x0400000000000000000000400000803F00004040"

// RUN: %python %S/make_model.py conv_depthwise %t.dw.onnx
// RUN: quant-import-onnx %t.dw.onnx --func-name=conv_depthwise | FileCheck %s --check-prefix=DEPTHWISE
// DEPTHWISE-LABEL: func.func @conv_depthwise(
// DEPTHWISE: qnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 4 : (tensor<1x6x6x4xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>

// RUN: %python %S/make_model.py conv_group %t.group.onnx
// RUN: quant-import-onnx %t.group.onnx --func-name=conv_group | FileCheck %s --check-prefix=GROUP
// GROUP-LABEL: func.func @conv_group(
// GROUP: qnn.conv2d {{.*}} groups = 2 : (tensor<1x6x6x4xf32>, tensor<6x3x3x2xf32>, tensor<6xf32>) -> tensor<1x4x4x6xf32>

// RUN: %python %S/make_model.py conv_dilation %t.dilation.onnx
// RUN: quant-import-onnx %t.dilation.onnx --func-name=conv_dilation | FileCheck %s --check-prefix=DILATION
// DILATION-LABEL: func.func @conv_dilation(
// DILATION: qnn.conv2d {{.*}} strides = [1, 1] dilations = [2, 2] padding = [2, 1, 2, 1] groups = 1 : (tensor<1x9x9x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>) -> tensor<1x9x7x2xf32>

// SAME_UPPER puts the odd row and column of padding at the end, SAME_LOWER
// at the beginning; VALID pads nothing; NOTSET takes explicit pads.
// RUN: %python %S/make_model.py conv_same_upper %t.upper.onnx
// RUN: quant-import-onnx %t.upper.onnx --func-name=conv_same_upper | FileCheck %s --check-prefix=UPPER
// UPPER-LABEL: func.func @conv_same_upper(
// UPPER: qnn.conv2d {{.*}} strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 : (tensor<1x6x7x1xf32>, tensor<1x3x2x1xf32>, tensor<1xf32>) -> tensor<1x3x4x1xf32>

// RUN: %python %S/make_model.py conv_same_lower %t.lower.onnx
// RUN: quant-import-onnx %t.lower.onnx --func-name=conv_same_lower | FileCheck %s --check-prefix=LOWER
// LOWER-LABEL: func.func @conv_same_lower(
// LOWER: qnn.conv2d {{.*}} strides = [2, 2] dilations = [1, 1] padding = [1, 1, 0, 0] groups = 1 : (tensor<1x6x7x1xf32>, tensor<1x3x2x1xf32>, tensor<1xf32>) -> tensor<1x3x4x1xf32>

// RUN: %python %S/make_model.py conv_same_dilated %t.samedil.onnx
// RUN: quant-import-onnx %t.samedil.onnx --func-name=conv_same_dilated | FileCheck %s --check-prefix=SAMEDIL
// SAMEDIL-LABEL: func.func @conv_same_dilated(
// SAMEDIL: qnn.conv2d {{.*}} strides = [1, 1] dilations = [2, 2] padding = [2, 2, 2, 2] groups = 1 : {{.*}} -> tensor<1x5x5x1xf32>

// RUN: %python %S/make_model.py conv_valid %t.valid.onnx
// RUN: quant-import-onnx %t.valid.onnx --func-name=conv_valid | FileCheck %s --check-prefix=VALID
// VALID-LABEL: func.func @conv_valid(
// VALID: qnn.conv2d {{.*}} padding = [0, 0, 0, 0] groups = 1 : {{.*}} -> tensor<1x5x5x1xf32>

// RUN: %python %S/make_model.py conv_notset %t.notset.onnx
// RUN: quant-import-onnx %t.notset.onnx --func-name=conv_notset | FileCheck %s --check-prefix=NOTSET
// NOTSET-LABEL: func.func @conv_notset(
// NOTSET: qnn.conv2d {{.*}} padding = [1, 2, 0, 1] groups = 1 : {{.*}} -> tensor<1x4x6x1xf32>

// A single-channel NCHW tensor holds the same element order as NHWC: the
// layout changes at the boundary are reshapes.
// NOTSET: %[[IN:.*]] = qnn.reshape %{{.*}} : tensor<1x4x6x1xf32> -> tensor<1x1x4x6xf32>
// NOTSET: return %[[IN]]

// Between two convolutions the tensor stays NHWC: one transpose at each end.
// RUN: %python %S/make_model.py conv_chain %t.chain.onnx
// RUN: quant-import-onnx %t.chain.onnx --func-name=conv_chain --mlir-print-local-scope | FileCheck %s --check-prefix=CHAIN
// CHAIN-LABEL: func.func @conv_chain(
// CHAIN: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1]
// CHAIN: %[[C1:.*]] = qnn.conv2d %[[IN]], {{.*}} loc("c1")
// CHAIN: %[[R1:.*]] = qnn.activation %[[C1]] kind = relu : tensor<1x6x6x4xf32> -> tensor<1x6x6x4xf32> loc("r1")
// CHAIN: %[[C2:.*]] = qnn.conv2d %[[R1]], {{.*}} loc("c2")
// CHAIN: %[[OUT:.*]] = qnn.transpose %[[C2]] permutation = [0, 3, 1, 2] : tensor<1x6x6x2xf32> -> tensor<1x2x6x6xf32> loc("c2#nchw")
// CHAIN: return %[[OUT]]
// CHAIN-NOT: qnn.transpose

// A computed filter (a function argument) is transposed in the IR.
// RUN: %python %S/make_model.py conv_activation_weight %t.actw.onnx
// RUN: quant-import-onnx %t.actw.onnx --func-name=conv_activation_weight --mlir-print-local-scope | FileCheck %s --check-prefix=ACTW
// ACTW-LABEL: func.func @conv_activation_weight(
// ACTW-SAME: %[[X:[^:]*]]: tensor<1x2x5x5xf32> loc("x"), %[[W:[^:]*]]: tensor<3x2x3x3xf32> loc("w")
// ACTW-DAG: %[[XT:.*]] = qnn.transpose %[[X]] permutation = [0, 2, 3, 1] : tensor<1x2x5x5xf32> -> tensor<1x5x5x2xf32> loc("x#nhwc")
// ACTW-DAG: %[[WT:.*]] = qnn.transpose %[[W]] permutation = [0, 2, 3, 1] : tensor<3x2x3x3xf32> -> tensor<3x3x3x2xf32> loc("w#nhwc")
// ACTW: qnn.conv2d %[[XT]], %[[WT]] strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x5x5x2xf32>, tensor<3x3x3x2xf32>) -> tensor<1x3x3x3xf32> loc("y")
