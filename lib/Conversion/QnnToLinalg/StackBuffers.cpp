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

#include <tuple>

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
    struct Candidate {
      int64_t bytes, order;
      memref::AllocOp alloc;
    };
    SmallVector<Candidate> candidates;
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      Type element = type.getElementType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !element.isIntOrFloat() || escapes(alloc))
        continue;
      int64_t bytes =
          type.getNumElements() * ((element.getIntOrFloatBitWidth() + 7) / 8);
      if (bytes <= maxSize)
        candidates.push_back(
            {bytes, static_cast<int64_t>(candidates.size()), alloc});
    }
    llvm::sort(candidates, [](const Candidate &a, const Candidate &b) {
      return std::tie(a.bytes, a.order) < std::tie(b.bytes, b.order);
    });
    IRRewriter rewriter(&getContext());
    int64_t total = 0;
    for (const Candidate &c : candidates) {
      if (total + c.bytes > budget)
        break;
      memref::AllocOp alloc = c.alloc;
      MemRefType type = alloc.getType();
      total += c.bytes;
      rewriter.setInsertionPoint(alloc);
      rewriter.replaceOpWithNewOp<memref::AllocaOp>(alloc, type,
                                                    alloc.getAlignmentAttr());
    }
  }
};

} // namespace
