//===- RangeSearch.h - Histogram searches of selectRange --------*- C++ -*-===//
//-*-===//
//
// Part of quant-opt. Library-private: the histogram methods of
// selectRange (RangeSelection.cpp), one file each. Every function here gets
// a histogram with mass and a positive width and the observed range
// [obsMin, obsMax] (zero included); selectRange clips what they return to
// that range.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CALIBRATION_RANGESEARCH_H
#define QNN_LIB_CALIBRATION_RANGESEARCH_H

#include "qnn/Calibration/RangeSelection.h"

#include <vector>

namespace qnn::calib::detail {

/// The histogram of |x| with `bins` equal bins over [0, amax], folded from
/// the signed histogram `hist` with its mass spread uniformly inside each
/// bin: a bin straddling zero is split at zero, a negative part [a, b] moves
/// to [-b, -a], and each part's mass goes to the |x| bins in proportion to
/// overlap. Mass beyond amax (the relaxed top of a PyTorch-style
/// histogram) goes to the last bin. Requires amax > 0.
std::vector<double> foldAbsolute(const Histogram &hist, double amax,
                                 size_t bins);

/// Percentile.cpp.
Range selectPercentileRange(const Histogram &hist, double obsMin, double obsMax,
                            bool symmetric, double percentile);

/// MseRange.cpp: PyTorch's non-linear L2 search (asymmetric schemes) or an
/// exact expected-squared-error search over symmetric thresholds.
Range selectMseRange(const Histogram &hist, double obsMin, double obsMax,
                     const QuantScheme &scheme);

/// The range HistogramObserver._non_linear_param_search of PyTorch 1.13
/// finds on `hist` for a grid of `dstBins` levels (PyTorch: 256), computed
/// in PyTorch's float32 arithmetic.
Range searchL2Range(const Histogram &hist, int64_t dstBins);

/// The expected squared quantization error (rounding and clipping) of the
/// mass of `hist`, uniform within each bin, on the symmetric grid of
/// `scheme` with threshold `threshold`.
double symmetricSquaredError(const Histogram &hist, const QuantScheme &scheme,
                             double threshold);

/// KlRange.cpp: TensorRT's entropy calibration.
Range selectKlRange(const Histogram &hist, double obsMin, double obsMax,
                    const QuantScheme &scheme, unsigned klLevels);

/// The |x| threshold TensorRT's entropy calibration (pytorch-quantization's
/// _compute_amax_entropy) picks on the |x| histogram `absHist` over
/// [0, amax], merging into `levels` levels, candidates from `startBin`.
double klThreshold(std::vector<double> absHist, double amax, unsigned levels,
                   unsigned startBin);

} // namespace qnn::calib::detail

#endif // QNN_LIB_CALIBRATION_RANGESEARCH_H
