//===- quant-translate.cpp - MLIR (LLVM dialect) to LLVM IR ---------------===//
//
// Part of quant-opt. mlir-translate with the translations the pipeline
// needs: `quant-translate --mlir-to-llvmir model.llvm.mlir` prints the LLVM
// IR of a module lowered with --lower-to-cpu.
//
//===----------------------------------------------------------------------===//

#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

namespace mlir {
void registerToLLVMIRTranslation();
} // namespace mlir

int main(int argc, char **argv) {
  mlir::registerToLLVMIRTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "quant-translate: MLIR (LLVM dialect) to LLVM IR"));
}
