// The README demo's model parses, verifies and keeps its structure and tensor
// names through a print/parse round trip.
// RUN: quant-opt %qnn_src_root/examples/tiny_dscnn.mlir --mlir-print-debuginfo | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK: %[[NHWC:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1] {{.*}}loc(#[[LOC_IN:.*]])
// CHECK: %[[STEM:.*]] = qnn.conv2d %[[NHWC]], {{.*}} strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1
// CHECK: %[[BN1:.*]] = qnn.batch_norm %[[STEM]]
// CHECK: %[[ACT1:.*]] = qnn.activation %[[BN1]] kind = relu6
// CHECK: %[[DW:.*]] = qnn.conv2d %[[ACT1]], {{.*}} groups = 8
// CHECK: %[[BN2:.*]] = qnn.batch_norm %[[DW]]
// CHECK: %[[ACT2:.*]] = qnn.activation %[[BN2]] kind = relu6
// CHECK: %[[PW:.*]] = qnn.conv2d %[[ACT2]], {{.*}} activation = relu6
// CHECK: %[[POOL:.*]] = qnn.global_avg_pool %[[PW]]
// CHECK: %[[FLAT:.*]] = qnn.reshape %[[POOL]]
// CHECK: %[[LOGITS:.*]] = qnn.dense %[[FLAT]]
// CHECK: qnn.softmax %[[LOGITS]] axis = 1
// CHECK-DAG: #[[LOC_IN]] = loc("input_nhwc")
// CHECK-DAG: loc("depthwise")
