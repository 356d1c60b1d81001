// Pooling and batch normalization work on NHWC; results stay NHWC.

// count_include_pad = 0 divides by the window's elements inside the input.
// RUN: %python %S/make_model.py avgpool_exclude %t.exclude.onnx
// RUN: quant-import-onnx %t.exclude.onnx --func-name=avgpool_exclude --mlir-print-local-scope | FileCheck %s --check-prefix=EXCLUDE
// EXCLUDE-LABEL: func.func @avgpool_exclude(
// EXCLUDE: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1]
// EXCLUDE: %[[Y:.*]] = qnn.avg_pool2d %[[IN]] kernel = [3, 3] strides = [2, 2] padding = [1, 1, 0, 0] divisor = exclude_pad : tensor<1x6x6x2xf32> -> tensor<1x3x3x2xf32> loc("y")
// EXCLUDE: qnn.transpose %[[Y]] permutation = [0, 3, 1, 2]

// RUN: %python %S/make_model.py avgpool_include %t.include.onnx
// RUN: quant-import-onnx %t.include.onnx --func-name=avgpool_include | FileCheck %s --check-prefix=INCLUDE
// INCLUDE-LABEL: func.func @avgpool_include(
// INCLUDE: qnn.avg_pool2d %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1, 0, 0] divisor = include_pad : tensor<1x6x6x2xf32> -> tensor<1x3x3x2xf32>

// RUN: %python %S/make_model.py avgpool_same %t.same.onnx
// RUN: quant-import-onnx %t.same.onnx --func-name=avgpool_same | FileCheck %s --check-prefix=SAME
// SAME-LABEL: func.func @avgpool_same(
// SAME: qnn.avg_pool2d %{{.*}} kernel = [2, 2] strides = [2, 2] padding = [0, 0, 1, 1] divisor = exclude_pad : tensor<1x5x5x2xf32> -> tensor<1x3x3x2xf32>

// ceil_mode = 1 is accepted where every window fits exactly.
// RUN: %python %S/make_model.py avgpool_ceil_exact %t.ceil.onnx
// RUN: quant-import-onnx %t.ceil.onnx --func-name=avgpool_ceil_exact | FileCheck %s --check-prefix=CEIL
// CEIL-LABEL: func.func @avgpool_ceil_exact(
// CEIL: qnn.avg_pool2d %{{.*}} kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] divisor = exclude_pad : tensor<1x6x6x2xf32> -> tensor<1x3x3x2xf32>

// RUN: %python %S/make_model.py maxpool %t.max.onnx
// RUN: quant-import-onnx %t.max.onnx --func-name=maxpool --mlir-print-local-scope | FileCheck %s --check-prefix=MAX
// MAX-LABEL: func.func @maxpool(
// MAX: qnn.max_pool2d %{{.*}} kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32> loc("y")

// RUN: %python %S/make_model.py maxpool_pads %t.maxpads.onnx
// RUN: quant-import-onnx %t.maxpads.onnx --func-name=maxpool_pads | FileCheck %s --check-prefix=MAXPADS
// MAXPADS-LABEL: func.func @maxpool_pads(
// MAXPADS: qnn.max_pool2d %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : tensor<1x7x7x3xf32> -> tensor<1x4x4x3xf32>

// The [N, C, 1, 1] result is NHWC [N, 1, 1, C]: the same element order, so
// the return converts it with a reshape.
// RUN: %python %S/make_model.py global_avgpool %t.global.onnx
// RUN: quant-import-onnx %t.global.onnx --func-name=global_avgpool --mlir-print-local-scope | FileCheck %s --check-prefix=GLOBAL
// GLOBAL-LABEL: func.func @global_avgpool(
// GLOBAL: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1] : tensor<1x5x4x3xf32> -> tensor<1x4x3x5xf32>
// GLOBAL: %[[Y:.*]] = qnn.global_avg_pool %[[IN]] : tensor<1x4x3x5xf32> -> tensor<1x1x1x5xf32> loc("y")
// GLOBAL: %[[OUT:.*]] = qnn.reshape %[[Y]] : tensor<1x1x1x5xf32> -> tensor<1x5x1x1xf32> loc("y#nchw")
// GLOBAL: return %[[OUT]]

// BatchNormalization normalizes the channel, held last; momentum is ignored.
// RUN: %python %S/make_model.py batchnorm %t.bn.onnx
// RUN: quant-import-onnx %t.bn.onnx --func-name=batchnorm --mlir-print-local-scope | FileCheck %s --check-prefix=BN
// BN-LABEL: func.func @batchnorm(
// BN: %[[IN:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1]
// BN: %[[SCALE:.*]] = arith.constant dense_resource<s> : tensor<3xf32> loc("s")
// BN: %[[OFFSET:.*]] = arith.constant dense_resource<bias> : tensor<3xf32> loc("bias")
// BN: %[[MEAN:.*]] = arith.constant dense_resource<mean> : tensor<3xf32> loc("mean")
// BN: %[[VAR:.*]] = arith.constant dense_resource<var> : tensor<3xf32> loc("var")
// BN: qnn.batch_norm %[[IN]] scale %[[SCALE]] offset %[[OFFSET]] mean %[[MEAN]] variance %[[VAR]] epsilon = 0.0010000000474974513 : (tensor<1x4x4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32> loc("y")

// RUN: %python %S/make_model.py batchnorm_2d %t.bn2d.onnx
// RUN: quant-import-onnx %t.bn2d.onnx --func-name=batchnorm_2d | FileCheck %s --check-prefix=BN2D
// BN2D-LABEL: func.func @batchnorm_2d(
// BN2D-SAME: %[[X:.*]]: tensor<2x4xf32>
// BN2D: qnn.batch_norm %[[X]] scale {{.*}} epsilon = 9.9999997473787516E-6 : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>

// RUN: %python %S/make_model.py batchnorm_opset6 %t.bn6.onnx
// RUN: quant-import-onnx %t.bn6.onnx --func-name=batchnorm_opset6 | FileCheck %s --check-prefix=BN6
// BN6-LABEL: func.func @batchnorm_opset6(
// BN6: qnn.batch_norm %{{.*}} epsilon = 0.0010000000474974513 : (tensor<1x4x4x3xf32>
