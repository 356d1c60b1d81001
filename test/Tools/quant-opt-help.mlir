// quant-opt registers qnn and the upstream dialects and passes the pipeline
// needs, and keeps MlirOptMain's standard flags.
// RUN: quant-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS
// RUN: quant-opt --help | FileCheck %s --check-prefix=HELP

// DIALECTS-DAG: arith
// DIALECTS-DAG: bufferization
// DIALECTS-DAG: func
// DIALECTS-DAG: linalg
// DIALECTS-DAG: llvm
// DIALECTS-DAG: qnn
// DIALECTS-DAG: quant
// DIALECTS-DAG: tensor
// DIALECTS-DAG: vector
// DIALECTS-DAG: x86vector

// HELP: quant-opt: post-training quantization compiler driver
// HELP-DAG: --canonicalize
// HELP-DAG: --convert-func-to-llvm
// HELP-DAG: --lower-quant-ops
// HELP-DAG: --one-shot-bufferize
// HELP-DAG: --split-input-file
// HELP-DAG: --verify-diagnostics
// HELP-DAG: --mlir-print-ir-after-all
// HELP-DAG: --pass-pipeline
// HELP-DAG: --mlir-timing
