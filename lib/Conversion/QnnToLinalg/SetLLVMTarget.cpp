//===- SetLLVMTarget.cpp - target-cpu / target-features on llvm.func ------===//
//
// Part of quant-opt. The LLVM IR of a lowered module names the CPU it was
// compiled for, so that any target machine (the JIT's, llc's, an emitted
// object's) selects the instructions the kernels use.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace qnn {
#define GEN_PASS_DEF_SETLLVMTARGETATTRIBUTES
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {
struct SetLLVMTargetAttributesPass
    : qnn::impl::SetLLVMTargetAttributesBase<SetLLVMTargetAttributesPass> {
  using SetLLVMTargetAttributesBase::SetLLVMTargetAttributesBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    getOperation().walk([&](LLVM::LLVMFuncOp func) {
      if (func.isExternal())
        return;
      if (!cpu.empty())
        func.setTargetCpuAttr(StringAttr::get(ctx, cpu));
      if (!features.empty())
        func.setTargetFeaturesAttr(
            LLVM::TargetFeaturesAttr::get(ctx, StringRef(features)));
    });
  }
};
} // namespace
