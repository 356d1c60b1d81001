// MlirOptMain's standard flags work on qnn IR: --pass-pipeline, --mlir-timing,
// --mlir-print-ir-after-all. Canonicalization erases an unused (Pure) qnn op.
// RUN: quant-opt %s --pass-pipeline="builtin.module(func.func(canonicalize))" | FileCheck %s
// RUN: quant-opt %s --canonicalize --mlir-timing 2>&1 >/dev/null | FileCheck %s --check-prefix=TIMING
// RUN: quant-opt %s --canonicalize --mlir-print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=DUMP

// CHECK-LABEL: func.func @dead_op
// CHECK-NOT: qnn.activation
// CHECK: return %[[ARG:.*]] : tensor<1x4xf32>
// TIMING: Execution time report
// TIMING: Canonicalizer
// DUMP: IR Dump After Canonicalizer
// DUMP: func.func @dead_op
func.func @dead_op(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %unused = qnn.activation %x kind = relu : tensor<1x4xf32> -> tensor<1x4xf32>
  return %x : tensor<1x4xf32>
}
