//===- Passes.h - qnn dialect transformations -------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace qnn {

/// Discardable attributes of a conv2d/dense whose batch norm was folded
/// (--fold-batchnorm): the per-channel mean (beta) and standard deviation
/// (|gamma|) the batch norm implies for the layer's pre-activation output.
/// --equalize rescales them, --absorb-bias shifts the mean, and the
/// analytic --correct-bias reads them.
inline constexpr llvm::StringLiteral kPreactivationMeanAttr =
    "qnn.preactivation_mean";
inline constexpr llvm::StringLiteral kPreactivationStdAttr =
    "qnn.preactivation_std";

/// Discardable attributes --quantize leaves for --correct-bias (and
/// --fold-scales drops): the float weights on the weight's quant.scast, and
/// the calibrated per-channel mean of a conv2d/dense input.
inline constexpr llvm::StringLiteral kFloatWeightAttr = "qnn.float_weight";
inline constexpr llvm::StringLiteral kInputMeanAttr = "qnn.input_mean";

#define GEN_PASS_DECL
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
