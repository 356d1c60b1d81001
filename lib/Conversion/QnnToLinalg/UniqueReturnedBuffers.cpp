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
  /// A returned reshape (expand_shape or collapse_shape) of a static
  /// identity-layout allocation becomes an allocation of the returned shape
  /// itself, the old allocation's users reading it through the reverse
  /// reshape: buffer-results-to-out-params then writes the kernel's output
  /// straight into the caller's buffer instead of copying it there (a
  /// kernel that writes a flat view of its NHWC result, as the int8
  /// depthwise kernels do, would otherwise pay a whole extra pass).
  static void returnAllocationsDirectly(IRRewriter &rewriter,
                                        func::ReturnOp ret) {
    for (OpOperand &operand : ret->getOpOperands()) {
      Operation *reshape = operand.get().getDefiningOp();
      if (!reshape ||
          !isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(reshape))
        continue;
      auto alloc = reshape->getOperand(0).getDefiningOp<memref::AllocOp>();
      auto type = cast<MemRefType>(operand.get().getType());
      if (!alloc || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !alloc.getType().getLayout().isIdentity() ||
          !llvm::hasSingleElement(reshape->getUses()))
        continue;
      rewriter.setInsertionPoint(alloc);
      Value direct = memref::AllocOp::create(rewriter, alloc.getLoc(), type,
                                             alloc.getAlignmentAttr());
      Value view;
      if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape))
        view = memref::CollapseShapeOp::create(
            rewriter, alloc.getLoc(), alloc.getType(), direct,
            expand.getReassociationIndices());
      else
        view = memref::ExpandShapeOp::create(
            rewriter, alloc.getLoc(), alloc.getType().getShape(), direct,
            cast<memref::CollapseShapeOp>(reshape).getReassociationIndices());
      rewriter.modifyOpInPlace(ret, [&] { operand.set(direct); });
      rewriter.eraseOp(reshape);
      rewriter.replaceOp(alloc, view);
    }
  }

  void runOnOperation() override {
    SmallVector<func::ReturnOp> returns;
    getOperation().walk([&](func::ReturnOp op) { returns.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (func::ReturnOp ret : returns)
      returnAllocationsDirectly(rewriter, ret);
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
