//===- StatsConversion.h - TensorStatistics <-> #qnn.stats ------*- C++ -*-===//
//
// Part of quant-opt. The calibration data model (plain C++,
// qnn/Calibration/TensorStatistics.h) and the IR attribute #qnn.stats hold
// the same facts; these convert one into the other exactly (doubles are
// stored as f64 in the attribute).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_STATSCONVERSION_H
#define QNN_DIALECT_QNN_TRANSFORMS_STATSCONVERSION_H

#include "qnn/Calibration/TensorStatistics.h"
#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"

#include "mlir/IR/Diagnostics.h"

namespace qnn {

/// The attribute holding `stats` (its name is not part of it). Returns null
/// after reporting through `emitError` when `stats` breaks a constraint of
/// #qnn.stats.
TensorStatsAttr
getTensorStatsAttr(mlir::MLIRContext *context,
                   const calib::TensorStatistics &stats,
                   llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// The statistics `attr` holds, named `name`.
calib::TensorStatistics getTensorStatistics(TensorStatsAttr attr,
                                            llvm::StringRef name);

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_STATSCONVERSION_H
