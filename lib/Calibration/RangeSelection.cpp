//===- RangeSelection.cpp - Choosing quantization ranges ------------------===//
//
// Part of quant-opt. The integer grids, (scale, zero point) from a range,
// and the dispatch of selectRange to the methods (Percentile.cpp,
// MseRange.cpp, KlRange.cpp).
//
// Conventions (algorithms.md §4.1, §4.7):
//  - Zero is always in the range; every method's range is clipped to the
//    observed [min, max] (with zero forced in), so no method ever widens it.
//  - Symmetric: scale = amax / ((qmax - qmin) / 2), zero point = the grid's
//    centre rounded half to even (0 for signed storage, 2^(bits-1) for
//    unsigned). Signed int8 full range gives amax / 127.5 (PyTorch, PPQ),
//    narrow range amax / 127 (TensorRT, TFLite, ORT).
//  - Asymmetric: scale = (max - min) / (qmax - qmin), zero point = qmin -
//    round_half_even(min / scale) (PyTorch, ORT), clamped to the grid.
//  - The scale is at least kMinScale = 2^-23 (float32 epsilon: PyTorch's
//    observer eps). A dead tensor (all zeros, or no elements) gets the
//    range of that scale, [0, kMinScale * (qmax - qmin)] or its symmetric
//    counterpart, so that zero is exact and the scale stays positive.
//
//===----------------------------------------------------------------------===//

#include "RangeSearch.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

using namespace llvm;
using namespace qnn::calib;

static constexpr double kMinScale = 1.0 / (1 << 23);

std::optional<CalibrationMethod>
qnn::calib::parseCalibrationMethod(StringRef name) {
  return StringSwitch<std::optional<CalibrationMethod>>(name)
      .Case("minmax", CalibrationMethod::MinMax)
      .Case("percentile", CalibrationMethod::Percentile)
      .Case("mse", CalibrationMethod::MSE)
      .Case("kl", CalibrationMethod::KL)
      .Default(std::nullopt);
}

StringRef qnn::calib::stringifyCalibrationMethod(CalibrationMethod method) {
  switch (method) {
  case CalibrationMethod::MinMax:
    return "minmax";
  case CalibrationMethod::Percentile:
    return "percentile";
  case CalibrationMethod::MSE:
    return "mse";
  case CalibrationMethod::KL:
    return "kl";
  }
  llvm_unreachable("unknown calibration method");
}

//===----------------------------------------------------------------------===//
// QuantScheme and computeQuantParams
//===----------------------------------------------------------------------===//

int64_t QuantScheme::qmin() const {
  assert(bits >= 2 && bits <= 16 && "bits out of range");
  int64_t lowest = isSigned ? -(int64_t(1) << (bits - 1)) : 0;
  return narrowRange ? lowest + 1 : lowest;
}

int64_t QuantScheme::qmax() const {
  assert(bits >= 2 && bits <= 16 && "bits out of range");
  return isSigned ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
}

Error QuantScheme::validate() const {
  if (bits < 2 || bits > 16)
    return createStringError(inconvertibleErrorCode(),
                             "bits must be in [2, 16], got %u", bits);
  return Error::success();
}

/// The zero point of a symmetric grid: its centre, rounded half to even.
static int64_t symmetricZeroPoint(int64_t qmin, int64_t qmax) {
  return static_cast<int64_t>(
      std::nearbyint((static_cast<double>(qmin) + qmax) / 2));
}

QuantParams qnn::calib::computeQuantParams(Range range,
                                           const QuantScheme &scheme) {
  QuantParams params;
  params.qmin = scheme.qmin();
  params.qmax = scheme.qmax();
  const double levels = static_cast<double>(params.qmax - params.qmin);
  const double min = std::min(range.min, 0.0);
  const double max = std::max(range.max, 0.0);
  if (scheme.symmetric) {
    params.scale = std::max(-min, max) / (levels / 2);
    params.zeroPoint = symmetricZeroPoint(params.qmin, params.qmax);
  } else {
    params.scale = (max - min) / levels;
  }
  if (!(params.scale >= kMinScale))
    params.scale = kMinScale;
  if (!scheme.symmetric) {
    double zeroPoint = params.qmin - std::nearbyint(min / params.scale);
    params.zeroPoint = static_cast<int64_t>(
        std::clamp<double>(zeroPoint, params.qmin, params.qmax));
  }
  return params;
}

//===----------------------------------------------------------------------===//
// selectRange
//===----------------------------------------------------------------------===//

/// `value` in the shortest form that reads back ("2", "0.1", "1e-07").
static std::string str(double value) {
  std::string text;
  for (int precision = 1; precision <= 17; ++precision) {
    text = formatv("{0}", format("%.*g", precision, value)).str();
    if (std::strtod(text.c_str(), nullptr) == value || std::isnan(value))
      break;
  }
  return text;
}

static Error tensorError(const TensorStatistics &stats, const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           "tensor '" + stats.name + "': " + message);
}

/// The range of a dead tensor: the smallest scale, zero exact.
static Range deadRange(const QuantScheme &scheme) {
  double width = kMinScale * static_cast<double>(scheme.qmax() - scheme.qmin());
  if (scheme.symmetric)
    return {-width / 2, width / 2};
  return {0, width};
}

Expected<Range> qnn::calib::selectRange(const TensorStatistics &stats,
                                        const QuantScheme &scheme,
                                        const RangeOptions &options) {
  if (Error error = scheme.validate())
    return tensorError(stats, toString(std::move(error)));
  if (!std::isfinite(stats.min) || !std::isfinite(stats.max))
    return tensorError(stats, "range [" + str(stats.min) + ", " +
                                  str(stats.max) + "] is not finite");
  if (stats.min > stats.max)
    return tensorError(stats, "min " + str(stats.min) +
                                  " is greater than max " + str(stats.max));
  StringRef methodName = stringifyCalibrationMethod(options.method);
  if (options.method == CalibrationMethod::Percentile &&
      !(options.percentile > 0 && options.percentile <= 100))
    return tensorError(stats, "percentile must be in (0, 100], got " +
                                  str(options.percentile));

  const double obsMin = std::min(stats.min, 0.0);
  const double obsMax = std::max(stats.max, 0.0);
  Range range{obsMin, obsMax};
  if (options.method != CalibrationMethod::MinMax) {
    if (!stats.histogram || stats.histogram->empty())
      return tensorError(stats, "method '" + methodName +
                                    "' needs a histogram and there is none");
    const Histogram &hist = *stats.histogram;
    if (!std::isfinite(hist.lo) || !std::isfinite(hist.hi) || hist.lo > hist.hi)
      return tensorError(stats, "histogram range [" + str(hist.lo) + ", " +
                                    str(hist.hi) + "] is invalid");
    if (options.method == CalibrationMethod::KL &&
        (options.klLevels < 2 || options.klLevels > hist.counts.size()))
      return tensorError(
          stats, formatv("kl levels must be in [2, {0}] (the histogram bins), "
                         "got {1}",
                         hist.counts.size(), options.klLevels));
    // A histogram without mass or width says no more than min/max.
    double total = hist.total();
    if (total > 0 && hist.hi > hist.lo && obsMax > obsMin) {
      switch (options.method) {
      case CalibrationMethod::Percentile:
        range = detail::selectPercentileRange(
            hist, obsMin, obsMax, scheme.symmetric, options.percentile);
        break;
      case CalibrationMethod::MSE:
        range = detail::selectMseRange(hist, obsMin, obsMax, scheme);
        break;
      case CalibrationMethod::KL:
        range = detail::selectKlRange(hist, obsMin, obsMax, scheme,
                                      options.klLevels);
        break;
      case CalibrationMethod::MinMax:
        break;
      }
    }
  }
  range.min = std::clamp(range.min, obsMin, 0.0);
  range.max = std::clamp(range.max, 0.0, obsMax);
  if (range.min == 0 && range.max == 0)
    return deadRange(scheme);
  return range;
}
