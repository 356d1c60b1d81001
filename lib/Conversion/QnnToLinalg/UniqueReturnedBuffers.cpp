//===- UniqueReturnedBuffers.cpp - One buffer per returned memref ---------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace qnn {
#define GEN_PASS_DEF_UNIQUERETURNEDBUFFERS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {
struct UniqueReturnedBuffersPass
    : qnn::impl::UniqueReturnedBuffersBase<UniqueReturnedBuffersPass> {
  void runOnOperation() override {
    SmallVector<func::ReturnOp> returns;
    getOperation().walk([&](func::ReturnOp op) { returns.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (func::ReturnOp ret : returns) {
      llvm::SmallPtrSet<Value, 8> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        // Only allocations are hoisted into out-parameters (and erased);
        // other repeated values are copied twice, which is fine.
        if (seen.insert(v).second || !v.getDefiningOp<memref::AllocOp>() ||
            !cast<MemRefType>(v.getType()).hasStaticShape())
          continue;
        rewriter.setInsertionPoint(ret);
        Value copy = memref::AllocOp::create(
            rewriter, ret.getLoc(), cast<MemRefType>(v.getType()),
            v.getDefiningOp<memref::AllocOp>().getAlignmentAttr());
        memref::CopyOp::create(rewriter, ret.getLoc(), v, copy);
        rewriter.modifyOpInPlace(ret, [&] { operand.set(copy); });
      }
    }
  }
};
} // namespace
