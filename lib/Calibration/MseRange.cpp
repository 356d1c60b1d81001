//===- MseRange.cpp - Ranges minimizing the squared quantization error ----===//
//
// Part of quant-opt.
//
// Asymmetric schemes: PyTorch 1.13's HistogramObserver._non_linear_param_search
// (a port of Caffe2's NormMinimization::NonlinearQuantizationParamsSearch),
// reproduced step by step in PyTorch's float32 arithmetic, so that on the
// same histogram our MSE range is PyTorch's HistogramObserver range. The
// only generalization: PyTorch's destination grid always has 256 levels
// (2^8 of its dtype); ours has the scheme's qmax - qmin + 1 (256 for 8-bit
// full range). selectRange then clips the range to the observed [min, max]
// (PyTorch's histogram max is relaxed beyond it).
//
// Symmetric schemes: t minimizing the exact expected squared error
// E[(x - Q_t(x))^2] (rounding and clipping), the histogram's mass uniform
// within each bin, Q_t the scheme's symmetric grid of step t / ((qmax -
// qmin) / 2). Candidates are the bin edges of the |x| histogram
// (foldAbsolute): t = k * amax / bins, k = 1..bins; the first minimum wins.
// The error is integrated in closed form per bin (symmetricSquaredError).
//
//===----------------------------------------------------------------------===//

#include "RangeSearch.h"

#include <algorithm>
#include <cmath>
#include <limits>

// Mirrors PyTorch's float32 tensor arithmetic one rounding at a time.
#pragma STDC FP_CONTRACT OFF

using namespace qnn::calib;

namespace {

/// torch.div(a, b, rounding_mode='floor') on float32 (Python semantics).
float floorDivide(float a, float b) {
  if (b == 0)
    return a / b;
  float mod = std::fmod(a, b);
  float div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0)))
    div -= 1.0f;
  if (div == 0)
    return std::copysign(0.0f, a / b);
  float floored = std::floor(div);
  if (div - floored > 0.5f)
    floored += 1.0f;
  return floored;
}

/// HistogramObserver._get_norm: density * (end^3 - begin^3) / 3.
float getNorm(float begin, float end, float density) {
  float endCube = end * end * end;
  float beginCube = begin * begin * begin;
  float norm = (endCube - beginCube) / 3.0f;
  return density * norm;
}

/// HistogramObserver._compute_quantization_error(startBin, endBin). Bins
/// without counts contribute exactly zero and are skipped.
double l2Error(const std::vector<float> &hist,
               const std::vector<int64_t> &nonEmpty, double binWidth,
               int64_t startBin, int64_t endBin, int64_t dstBins) {
  const double dstBinWidth = binWidth *
                             static_cast<double>(endBin - startBin + 1) /
                             static_cast<double>(dstBins);
  if (dstBinWidth == 0.0)
    return 0.0;
  const float bw = static_cast<float>(binWidth);
  const float dbw = static_cast<float>(dstBinWidth);
  const float half = static_cast<float>(dstBinWidth / 2);
  const float negHalf = static_cast<float>(-dstBinWidth / 2);
  const float lastDst = static_cast<float>(dstBins - 1);
  double sum = 0;
  for (int64_t i : nonEmpty) {
    float srcBegin = static_cast<float>(i - startBin) * bw;
    float srcEnd = srcBegin + bw;
    float dstOfBegin = std::clamp(floorDivide(srcBegin, dbw), 0.0f, lastDst);
    float dstOfBeginCenter = (dstOfBegin + 0.5f) * dbw;
    float dstOfEnd = std::clamp(floorDivide(srcEnd, dbw), 0.0f, lastDst);
    float density = hist[i] / bw;

    float norm = 0;
    norm = norm + getNorm(srcBegin - dstOfBeginCenter, half, density);
    float between = dstOfEnd - dstOfBegin - 1.0f;
    norm = norm + between * getNorm(negHalf, half, density);
    float dstOfEndCenter = dstOfEnd * dbw;
    dstOfEndCenter = dstOfEndCenter + half;
    norm = norm + getNorm(negHalf, srcEnd - dstOfEndCenter, density);
    sum += norm;
  }
  return sum;
}

/// H(u) = integral from kmin - 1/2 to u of (v - clamp(round(v), kmin,
/// kmax))^2 dv, in grid steps: n/12 per whole step inside the grid, cubic
/// outside it.
double roundingErrorIntegral(double u, double kmin, double kmax) {
  const double low = kmin - 0.5, high = kmax + 0.5;
  if (u <= low) {
    double d = u - kmin;
    return (d * d * d + 0.125) / 3;
  }
  if (u >= high) {
    double d = u - kmax;
    return (kmax - kmin + 1) / 12 + (d * d * d - 0.125) / 3;
  }
  double steps = std::floor(u - low);
  double f = u - low - steps - 0.5;
  return steps / 12 + (f * f * f + 0.125) / 3;
}

} // namespace

Range detail::searchL2Range(const Histogram &hist, int64_t dstBins) {
  const int64_t bins = static_cast<int64_t>(hist.counts.size());
  const float minVal = static_cast<float>(hist.lo);
  const float maxVal = static_cast<float>(hist.hi);
  // bin_width = (self.max_val - self.min_val) / self.bins (a float32
  // tensor); _compute_quantization_error recomputes it from .item() values
  // in double.
  const float binWidth32 = (maxVal - minVal) / static_cast<float>(bins);
  const double binWidth64 = (static_cast<double>(maxVal) - minVal) / bins;

  std::vector<float> hist32(bins);
  std::vector<int64_t> nonEmpty;
  double sum = 0;
  for (int64_t i = 0; i < bins; ++i) {
    hist32[i] = static_cast<float>(hist.counts[i]);
    sum += hist32[i];
    if (hist32[i] != 0)
      nonEmpty.push_back(i);
  }
  const double total = static_cast<float>(sum);
  // torch.cumsum on float32 accumulates in double and stores float32.
  std::vector<float> cSum(bins);
  double running = 0;
  for (int64_t i = 0; i < bins; ++i) {
    running += hist32[i];
    cSum[i] = static_cast<float>(running);
  }

  const double stepsize = 1e-5;
  double alpha = 0.0, beta = 1.0;
  int64_t startBin = 0, endBin = bins - 1;
  double normMin = std::numeric_limits<double>::infinity();
  // l depends only on (startBin, endBin, next_alpha), r on (startBin,
  // endBin, next_beta): remember them while those do not change.
  int64_t l = -1, r = -1;
  float lTarget = 0, rTarget = 0;
  int64_t lKey[2] = {-1, -1}, rKey[2] = {-1, -1};
  while (alpha < beta) {
    const double nextAlpha = alpha + stepsize;
    const double nextBeta = beta - stepsize;
    // cSum[l] < next_alpha * total compares in float32.
    const float alphaTarget = static_cast<float>(nextAlpha * total);
    const float betaTarget = static_cast<float>(nextBeta * total);
    if (l < 0 || alphaTarget != lTarget || lKey[0] != startBin ||
        lKey[1] != endBin) {
      l = startBin;
      while (l < endBin && cSum[l] < alphaTarget)
        ++l;
      lTarget = alphaTarget;
      lKey[0] = startBin;
      lKey[1] = endBin;
    }
    if (r < 0 || betaTarget != rTarget || rKey[0] != startBin ||
        rKey[1] != endBin) {
      r = endBin;
      while (r > startBin && cSum[r] > betaTarget)
        --r;
      rTarget = betaTarget;
      rKey[0] = startBin;
      rKey[1] = endBin;
    }

    int64_t nextStartBin = startBin, nextEndBin = endBin;
    if ((l - startBin) > (endBin - r)) {
      nextStartBin = l;
      alpha = nextAlpha;
    } else {
      nextEndBin = r;
      beta = nextBeta;
    }
    if (nextStartBin == startBin && nextEndBin == endBin)
      continue;
    double norm = l2Error(hist32, nonEmpty, binWidth64, nextStartBin,
                          nextEndBin, dstBins);
    if (norm > normMin)
      break;
    normMin = norm;
    startBin = nextStartBin;
    endBin = nextEndBin;
  }
  float newMin = minVal + binWidth32 * static_cast<float>(startBin);
  float newMax = minVal + binWidth32 * static_cast<float>(endBin + 1);
  return {newMin, newMax};
}

double detail::symmetricSquaredError(const Histogram &hist,
                                     const QuantScheme &scheme,
                                     double threshold) {
  const int64_t qmin = scheme.qmin(), qmax = scheme.qmax();
  const double zeroPoint =
      std::nearbyint((static_cast<double>(qmin) + qmax) / 2);
  const double kmin = qmin - zeroPoint, kmax = qmax - zeroPoint;
  const double step = threshold / (static_cast<double>(qmax - qmin) / 2);
  const size_t bins = hist.counts.size();
  const double width = hist.binWidth();
  auto edge = [&](size_t k) {
    return k == bins ? hist.hi : hist.lo + static_cast<double>(k) * width;
  };
  double error = 0;
  bool havePrevious = false;
  double previous = 0;
  for (size_t i = 0; i < bins; ++i) {
    double mass = hist.counts[i];
    if (mass == 0) {
      havePrevious = false;
      continue;
    }
    double a = edge(i), b = edge(i + 1);
    double ha =
        havePrevious ? previous : roundingErrorIntegral(a / step, kmin, kmax);
    double hb = roundingErrorIntegral(b / step, kmin, kmax);
    // Mean of (x - Q(x))^2 over the bin: step^3 * (H(b) - H(a)) / (b - a).
    error += mass * step * step * step * (hb - ha) / (b - a);
    previous = hb;
    havePrevious = true;
  }
  return error;
}

Range detail::selectMseRange(const Histogram &hist, double obsMin,
                             double obsMax, const QuantScheme &scheme) {
  if (!scheme.symmetric)
    return searchL2Range(hist, scheme.qmax() - scheme.qmin() + 1);

  const double amax = std::max(-obsMin, obsMax);
  const size_t candidates = hist.counts.size();
  double bestError = std::numeric_limits<double>::infinity();
  double best = amax;
  for (size_t k = 1; k <= candidates; ++k) {
    double t = amax * static_cast<double>(k) / static_cast<double>(candidates);
    double error = symmetricSquaredError(hist, scheme, t);
    if (error < bestError) {
      bestError = error;
      best = t;
    }
  }
  return {-best, best};
}
