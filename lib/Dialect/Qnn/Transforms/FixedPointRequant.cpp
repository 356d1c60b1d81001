//===- FixedPointRequant.cpp - The fixed-point-requant pass ---------------===//
//
// Part of quant-opt. Turns the float multipliers of qnn.requantize into
// TFLite/TOSA fixed-point multipliers (Jacob et al. 2018, section 2.2). The
// arithmetic lives in Utils/FixedPoint.{h,cpp}, unit-tested against gemmlowp.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Transforms/FixedPointRequant.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"

#include <cmath>

namespace qnn {
#define GEN_PASS_DEF_FIXEDPOINTREQUANT
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// A double with enough digits to round-trip, so the message names the
/// value that was rejected.
static std::string exactReal(double v) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.17g", v);
  return text;
}

LogicalResult qnn::verifyFixedPointScales(RequantizeOp op) {
  std::optional<ArrayRef<double>> scales = op.getScale();
  if (!scales)
    return success();
  for (auto [channel, scale] : llvm::enumerate(*scales)) {
    if (isRepresentableMultiplier(scale))
      continue;
    InFlightDiagnostic diag = op.emitOpError()
                              << "scale " << exactReal(scale) << " of channel " << channel
                              << " is not representable as a fixed-point "
                                 "multiplier m0 * 2^(shift - 31)";
    if (scale >= 0 && !std::isnan(scale))
      diag << " (the largest is "
           << exactReal(kMaxFixedPointMultiplier) << ")";
    else
      diag << " (it must be non-negative and not NaN)";
    return failure();
  }
  return success();
}

FailureOr<RequantizeOp>
qnn::convertRequantizeToFixedPoint(RewriterBase &rewriter, RequantizeOp op,
                                   RoundingMode rounding) {
  std::optional<ArrayRef<double>> scales = op.getScale();
  if (!scales)
    return rewriter.notifyMatchFailure(op, "already in fixed-point form");
  SmallVector<int32_t> m0, shift;
  for (double scale : *scales) {
    if (!isRepresentableMultiplier(scale))
      return rewriter.notifyMatchFailure(op, "scale not representable");
    FixedPointMultiplier fp = quantizeMultiplier(scale);
    m0.push_back(fp.m0);
    shift.push_back(fp.shift);
  }
  auto attr = FixedPointMultiplierAttr::get(op.getContext(), m0, shift);
  rewriter.modifyOpInPlace(op, [&] {
    op.removeScaleAttr();
    op.setFixedPointAttr(attr);
    op.setRounding(rounding);
  });
  return op;
}

namespace {
struct FixedPointRequantPass
    : qnn::impl::FixedPointRequantBase<FixedPointRequantPass> {
  using FixedPointRequantBase::FixedPointRequantBase;

  void runOnOperation() override {
    // Check everything first so that an error leaves the IR untouched.
    SmallVector<RequantizeOp> ops;
    bool failed = false;
    getOperation()->walk([&](RequantizeOp op) {
      if (!op.getScale())
        return;
      if (mlir::failed(verifyFixedPointScales(op)))
        failed = true;
      ops.push_back(op);
    });
    if (failed)
      return signalPassFailure();

    IRRewriter rewriter(&getContext());
    for (RequantizeOp op : ops) {
      for (double scale : *op.getScale())
        numFlushed += scale != 0 && quantizeMultiplier(scale).m0 == 0;
      rewriter.setInsertionPoint(op);
      if (mlir::failed(convertRequantizeToFixedPoint(rewriter, op, rounding))) {
        op.emitOpError("could not be converted to fixed point");
        return signalPassFailure();
      }
      ++numRewritten;
    }
  }
};
} // namespace
