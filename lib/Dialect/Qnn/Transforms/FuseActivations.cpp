//===- FuseActivations.cpp - Fold standalone activations into producers ---===//
//
// Part of quant-opt. qnn.activation after a float conv2d, dense or add
// becomes that op's fused activation, so that quantization sees one tensor
// (the activation's) instead of two.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallVector.h"

namespace qnn {
#define GEN_PASS_DEF_FUSEACTIVATIONS
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// The producer `activation` can fuse into, with the pre-activation
/// qnn.stats in between (if any); null when there is none.
static std::pair<Operation *, StatsOp> getFusableProducer(ActivationOp op) {
  Value input = op.getInput();
  StatsOp stats = input.getDefiningOp<StatsOp>();
  if (stats) {
    if (!stats->hasOneUse())
      return {nullptr, nullptr};
    input = stats.getInput();
  }
  Operation *producer = input.getDefiningOp();
  if (!producer || !input.hasOneUse() ||
      !isa<Conv2DOp, DenseOp, AddOp>(producer) ||
      !getElementTypeOrSelf(input.getType()).isF32() ||
      input.getType() != op.getType())
    return {nullptr, nullptr};
  auto existing = producer->getAttrOfType<ActivationAttr>("activation");
  if (existing && existing.getKind() != ActivationKind::None)
    return {nullptr, nullptr};
  return {producer, stats};
}

namespace {
struct FuseActivationsPass
    : qnn::impl::FuseActivationsBase<FuseActivationsPass> {
  using FuseActivationsBase::FuseActivationsBase;

  void runOnOperation() override {
    SmallVector<ActivationOp> activations;
    getOperation()->walk([&](ActivationOp op) { activations.push_back(op); });
    for (ActivationOp op : activations) {
      auto [producer, stats] = getFusableProducer(op);
      if (!producer)
        continue;
      producer->setAttr("activation", op.getKind());
      producer->setLoc(op.getLoc());
      Value fused = producer->getResult(0);
      op.getResult().replaceAllUsesWith(fused);
      op.erase();
      if (stats) {
        stats.getResult().replaceAllUsesWith(stats.getInput());
        stats.erase();
      }
      ++numFused;
    }
  }
};
} // namespace
