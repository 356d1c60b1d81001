// The function's interface: name, argument and result locations, the
// layout of 4-D inputs and outputs, the batch size, how the output is
// printed and written.

// Default: @main, NCHW in and out, ONNX input names on the arguments,
// locations printed (op locations as aliases unless
// --mlir-print-local-scope).
// RUN: %python %S/make_model.py mixed_io %t.mixed.onnx
// RUN: quant-import-onnx %t.mixed.onnx | FileCheck %s --check-prefix=DEFAULT
// DEFAULT-LABEL: func.func @main(
// DEFAULT-SAME: %[[X:[^:]*]]: tensor<1x3x4x4xf32> loc("x"), %[[V:[^:]*]]: tensor<1x7xf32> loc("v")) -> (tensor<1x3x4x4xf32>, tensor<1x7xf32>)
// DEFAULT: qnn.activation %{{.*}} kind = relu : tensor<1x4x4x3xf32> -> tensor<1x4x4x3xf32> loc([[YLOC:#loc[0-9]+]])
// DEFAULT: [[YLOC]] = loc("y")

// RUN: quant-import-onnx %t.mixed.onnx --func-name=mixed_io --mlir-print-local-scope | FileCheck %s --check-prefix=NCHW
// NCHW-LABEL: func.func @mixed_io(
// NCHW-SAME: %[[X:[^:]*]]: tensor<1x3x4x4xf32> loc("x"), %[[V:[^:]*]]: tensor<1x7xf32> loc("v")) -> (tensor<1x3x4x4xf32>, tensor<1x7xf32>)
// NCHW: %[[XT:.*]] = qnn.transpose %[[X]] permutation = [0, 2, 3, 1] : tensor<1x3x4x4xf32> -> tensor<1x4x4x3xf32> loc("x#nhwc")
// NCHW: %[[Y:.*]] = qnn.activation %[[XT]] kind = relu : tensor<1x4x4x3xf32> -> tensor<1x4x4x3xf32> loc("y")
// NCHW: %[[Z:.*]] = qnn.activation %[[V]] kind = relu : tensor<1x7xf32> -> tensor<1x7xf32> loc("z")
// NCHW: %[[YT:.*]] = qnn.transpose %[[Y]] permutation = [0, 3, 1, 2] : tensor<1x4x4x3xf32> -> tensor<1x3x4x4xf32> loc("y#nchw")
// NCHW: return %[[YT]], %[[Z]]

// --nhwc-io: 4-D tensors enter and leave as NHWC, no transpose at all;
// other ranks keep their ONNX shapes.
// RUN: quant-import-onnx %t.mixed.onnx --func-name=mixed_io --nhwc-io | FileCheck %s --check-prefix=NHWC
// NHWC-LABEL: func.func @mixed_io(
// NHWC-SAME: %[[X:[^:]*]]: tensor<1x4x4x3xf32> {{.*}}, %[[V:[^:]*]]: tensor<1x7xf32> {{.*}}) -> (tensor<1x4x4x3xf32>, tensor<1x7xf32>)
// NHWC-NOT: qnn.transpose
// NHWC: %[[Y:.*]] = qnn.activation %[[X]] kind = relu : tensor<1x4x4x3xf32> -> tensor<1x4x4x3xf32>
// NHWC: %[[Z:.*]] = qnn.activation %[[V]] kind = relu : tensor<1x7xf32> -> tensor<1x7xf32>
// NHWC-NOT: qnn.transpose
// NHWC: return %[[Y]], %[[Z]]

// A symbolic batch dimension becomes 1, or --batch-size.
// RUN: %python %S/make_model.py symbolic_batch %t.batch.onnx
// RUN: quant-import-onnx %t.batch.onnx --func-name=batch1 | FileCheck %s --check-prefix=BATCH1
// BATCH1-LABEL: func.func @batch1(
// BATCH1-SAME: tensor<1x3x4x4xf32> {{.*}}) -> tensor<1x3x4x4xf32>
// RUN: quant-import-onnx %t.batch.onnx --func-name=batch8 --batch-size=8 | FileCheck %s --check-prefix=BATCH8
// BATCH8-LABEL: func.func @batch8(
// BATCH8-SAME: tensor<8x3x4x4xf32> {{.*}}) -> tensor<8x3x4x4xf32>
// BATCH8: qnn.activation %{{.*}} kind = relu : tensor<8x4x4x3xf32> -> tensor<8x4x4x3xf32>

// Static batch dimensions are kept whatever --batch-size says.
// RUN: quant-import-onnx %t.mixed.onnx --func-name=static --batch-size=8 | FileCheck %s --check-prefix=STATIC
// STATIC-LABEL: func.func @static(
// STATIC-SAME: tensor<1x3x4x4xf32> {{.*}}, %{{.*}}: tensor<1x7xf32>

// --print-locations=false drops the names.
// RUN: quant-import-onnx %t.mixed.onnx --func-name=noloc --print-locations=false | FileCheck %s --check-prefix=NOLOC
// NOLOC-LABEL: func.func @noloc(
// NOLOC-NOT: loc(

// -o writes the file; quant-opt reads it back with its locations.
// RUN: quant-import-onnx %t.mixed.onnx -o %t.mixed.mlir
// RUN: quant-opt %t.mixed.mlir --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=REPARSE
// REPARSE-LABEL: func.func @main(
// REPARSE: qnn.transpose {{.*}} loc("x#nhwc")
// REPARSE: qnn.activation {{.*}} loc("y")

// --help describes the tool and its options.
// RUN: quant-import-onnx --help | FileCheck %s --check-prefix=HELP
// HELP: quant-import-onnx: ONNX model to the qnn dialect
// HELP: USAGE: quant-import-onnx [options] <model.onnx>
// HELP-DAG: --batch-size=<long>
// HELP-DAG: --func-name=<string>
// HELP-DAG: --nhwc-io
// HELP-DAG: -o <filename>
// HELP-DAG: --print-locations
