//===- StackBuffers.cpp - Small temporaries on the stack ------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace qnn {
#define GEN_PASS_DEF_STACKBUFFERS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {

/// Whether `alloc`'s buffer (or a view of it) is returned or passed to a
/// call: then it must outlive the frame.
bool escapes(memref::AllocOp alloc) {
  SmallVector<Value> worklist{alloc.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isa<func::ReturnOp, CallOpInterface>(user))
        return true;
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          llvm::append_range(worklist, user->getResults());
    }
  }
  return false;
}

struct StackBuffersPass : qnn::impl::StackBuffersBase<StackBuffersPass> {
  using StackBuffersBase::StackBuffersBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || budget <= 0)
      return;
    // Entry-block allocations only: an alloca in a loop would grow the
    // frame on every iteration.
    SmallVector<memref::AllocOp> allocs;
    for (Operation &op : func.getBody().front())
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(alloc);
    // Smallest first (a malloc costs about the same at any size: the most
    // calls saved within the budget); ties in program order.
    SmallVector<std::pair<int64_t, memref::AllocOp>> candidates;
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      Type element = type.getElementType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !element.isIntOrFloat() || escapes(alloc))
        continue;
      int64_t bytes =
          type.getNumElements() * ((element.getIntOrFloatBitWidth() + 7) / 8);
      if (bytes <= maxSize)
        candidates.push_back({bytes, alloc});
    }
    llvm::stable_sort(candidates, [](const auto &a, const auto &b) {
      return a.first < b.first;
    });
    IRRewriter rewriter(&getContext());
    int64_t total = 0;
    for (auto [bytes, alloc] : candidates) {
      if (total + bytes > budget)
        break;
      MemRefType type = alloc.getType();
      total += bytes;
      rewriter.setInsertionPoint(alloc);
      rewriter.replaceOpWithNewOp<memref::AllocaOp>(alloc, type,
                                                    alloc.getAlignmentAttr());
    }
  }
};

} // namespace
