//===- FixedPointRequant.h - Float scales to fixed point ---------*- C++ -*-===//
//
// Part of quant-opt. The rewrite behind --fixed-point-requant.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_FIXEDPOINTREQUANT_H
#define QNN_DIALECT_QNN_TRANSFORMS_FIXEDPOINTREQUANT_H

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/IR/PatternMatch.h"

namespace qnn {

/// Emits an error on `op` for the first `scale` entry the fixed-point form
/// cannot hold (see qnn::isRepresentableMultiplier); success when there is
/// none or `op` has no float scale.
mlir::LogicalResult verifyFixedPointScales(RequantizeOp op);

/// Replaces the float `scale` of `op` by `fixed_point` multipliers from
/// qnn::quantizeMultiplier and sets `rounding`. Fails, without touching the
/// IR, when `op` has no float scale or one is not representable.
mlir::FailureOr<RequantizeOp>
convertRequantizeToFixedPoint(mlir::RewriterBase &rewriter, RequantizeOp op,
                              RoundingMode rounding);

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_FIXEDPOINTREQUANT_H
