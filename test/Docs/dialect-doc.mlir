// The generated dialect reference (from ODS, built into the build tree)
// documents every op and attribute.
// RUN: FileCheck %s < %qnn_obj_root/docs/Dialects/Qnn.md

// CHECK: Quantizable neural-network ops
// CHECK-DAG: ### `qnn.activation`
// CHECK-DAG: ### `qnn.add`
// CHECK-DAG: ### `qnn.avg_pool2d`
// CHECK-DAG: ### `qnn.batch_norm`
// CHECK-DAG: ### `qnn.concat`
// CHECK-DAG: ### `qnn.conv2d`
// CHECK-DAG: ### `qnn.dense`
// CHECK-DAG: ### `qnn.global_avg_pool`
// CHECK-DAG: ### `qnn.matmul`
// CHECK-DAG: ### `qnn.max_pool2d`
// CHECK-DAG: ### `qnn.mul`
// CHECK-DAG: ### `qnn.pad`
// CHECK-DAG: ### `qnn.requantize`
// CHECK-DAG: ### `qnn.reshape`
// CHECK-DAG: ### `qnn.softmax`
// CHECK-DAG: ### `qnn.stats`
// CHECK-DAG: ### `qnn.transpose`
// CHECK-DAG: ### ActivationAttr
// CHECK-DAG: ### FixedPointMultiplierAttr
// CHECK-DAG: ### PaddingAttr
// CHECK-DAG: ### TensorStatsAttr
// CHECK-DAG: ### RoundingModeAttr
// Every op states its constraints.
// CHECK-DAG: Constraints:
