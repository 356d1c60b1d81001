//===- quant-opt.cpp - The quant-opt driver ---------------------------------===//
//
// Part of quant-opt. MlirOptMain with the qnn dialect and the upstream
// dialects and passes of the quantization pipeline registered: every standard
// mlir-opt flag works (--split-input-file, --verify-diagnostics,
// --pass-pipeline, --mlir-print-ir-after-all, --mlir-timing, ...).
//
//===----------------------------------------------------------------------===//

#include "qnn/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  qnn::registerAllDialects(registry);
  qnn::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "quant-opt: post-training quantization compiler driver\n\n"
      "Reads MLIR with the qnn dialect (quantizable neural-network ops, see\n"
      "docs/ and build/docs/Dialects/Qnn.md), runs the passes named on the\n"
      "command line and prints the result.\n",
      registry));
}
