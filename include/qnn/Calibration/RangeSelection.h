//===- RangeSelection.h - Choosing quantization ranges -----------*- C++ -*-===//
//
// Part of quant-opt. Pure C++ (no IR): from statistics to a clipping range
// and from a range to (scale, zero point). algorithms.md §4 has the
// conventions of other tools; docs/CalibrationStats.md says which we follow
// and where we differ.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_RANGESELECTION_H
#define QNN_CALIBRATION_RANGESELECTION_H

#include "qnn/Calibration/TensorStatistics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace qnn::calib {

enum class CalibrationMethod { MinMax, Percentile, MSE, KL };

/// "minmax", "percentile", "mse", "kl".
std::optional<CalibrationMethod> parseCalibrationMethod(llvm::StringRef name);
llvm::StringRef stringifyCalibrationMethod(CalibrationMethod method);

/// An integer grid: `bits` in [2, 16]; signed or unsigned storage;
/// symmetric (zero point at the grid's centre: 0 for signed storage) or
/// asymmetric; narrow range drops the most negative code (e.g. [-127, 127]).
struct QuantScheme {
  unsigned bits = 8;
  bool isSigned = true;
  bool symmetric = false;
  bool narrowRange = false;

  int64_t qmin() const;
  int64_t qmax() const;
  /// Checks bits in [2, 16].
  llvm::Error validate() const;
};

/// A real interval [min, max] with min <= 0 <= max (zero is always
/// representable so that zero padding and ReLU are exact).
struct Range {
  double min = 0, max = 0;
};

struct QuantParams {
  double scale = 1;
  int64_t zeroPoint = 0;
  int64_t qmin = 0, qmax = 0;
};

struct RangeOptions {
  CalibrationMethod method = CalibrationMethod::MinMax;
  /// Percentile method: the fraction of mass kept, in percent (0, 100].
  double percentile = 99.99;
  /// KL method: the number of quantized levels the candidate distributions
  /// are merged into (TensorRT: 128 for int8).
  unsigned klLevels = 128;
};

/// Chooses the clipping range of a tensor. MinMax uses min/max; the other
/// methods need a histogram (an error names the tensor otherwise). A tensor
/// that is constant or empty gets a range around zero that still yields a
/// positive scale.
llvm::Expected<Range> selectRange(const TensorStatistics &stats,
                                  const QuantScheme &scheme,
                                  const RangeOptions &options);

/// The scale and zero point of `range` on `scheme` (zero forced into the
/// range; symmetric: scale = max(|min|, |max|) / ((qmax - qmin) / 2);
/// asymmetric: scale = (max - min) / (qmax - qmin), zero point = qmin -
/// round_half_even(min / scale), clamped). Never a zero scale.
QuantParams computeQuantParams(Range range, const QuantScheme &scheme);

} // namespace qnn::calib

#endif // QNN_CALIBRATION_RANGESELECTION_H
