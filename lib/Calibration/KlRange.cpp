//===- KlRange.cpp - TensorRT entropy (KL divergence) calibration ---------===//
//
// Part of quant-opt.
//
// TensorRT's legacy entropy calibration as pytorch-quantization implements
// it (calib/histogram.py, _compute_amax_entropy; algorithms.md §4.5), on
// the |x| histogram folded from our signed histogram (foldAbsolute: as many
// bins as the signed histogram, 2048 by default, over [0, amax] with amax
// the observed max |x|; TensorRT histograms |x| directly):
//
//   bins[0] = bins[1]                      (suppress the spike at zero)
//   for i in startBin .. len(bins):
//     P = bins[:i], P[i-1] += sum(bins[i:])
//     Q: bin j < i belongs to group floor(j * levels / i) (what
//        np.digitize(range(i), np.linspace(0, i, levels + 1)) - 1 gives
//        when levels is a power of two); each group's mass spread evenly
//        over its non-empty bins; empty bins stay 0
//     KL(P || Q) after normalizing both (scipy.stats.entropy): 0 where
//        P = 0, +inf where P > 0 and Q = 0
//   the last minimum wins; amax = edges[i] = i * amax / len(bins)
//
// Differences: our counts are real numbers (folding spreads mass), where
// pytorch-quantization truncates its counts to integers; a candidate whose
// Q has no mass at all is skipped (scipy would give NaN). The divergence is
// computed per group in O(levels) from prefix sums:
//   sum_j p_j log(p_j / q_j) = sum_j p_j log p_j - sum_groups log(q_g) * P_g.
//
// Schemes: symmetric, or a tensor of both signs: levels = klLevels (128 for
// int8: TensorRT's signed grid) and the range [-t, t]. Asymmetric on a
// one-sided tensor (min >= 0, e.g. after ReLU, or max <= 0): the whole grid
// covers one side, so levels = 2 * klLevels (pytorch-quantization's
// unsigned=True: 1 << (bits - 1 + 1)) and the range [0, t] (or [-t, 0]).
// Candidates start at klLevels in both cases (pytorch-quantization's
// start_bin = 128).
//
//===----------------------------------------------------------------------===//

#include "RangeSearch.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace qnn::calib;

double detail::klThreshold(std::vector<double> hist, double amax,
                           unsigned levels, unsigned startBin) {
  const size_t bins = hist.size();
  if (bins >= 2)
    hist[0] = hist[1];
  // Prefix sums: mass, sum of h log h, and the number of non-empty bins.
  std::vector<double> mass(bins + 1, 0.0), hlogh(bins + 1, 0.0);
  std::vector<int64_t> nonEmpty(bins + 1, 0);
  for (size_t j = 0; j < bins; ++j) {
    mass[j + 1] = mass[j] + hist[j];
    hlogh[j + 1] = hlogh[j] + (hist[j] > 0 ? hist[j] * std::log(hist[j]) : 0);
    nonEmpty[j + 1] = nonEmpty[j] + (hist[j] > 0);
  }
  const double total = mass[bins];
  const double logTotal = std::log(total);
  const double inf = std::numeric_limits<double>::infinity();

  double bestDivergence = inf;
  size_t best = bins;
  for (size_t i = std::max<size_t>(startBin, 1); i <= bins; ++i) {
    const double head = mass[i];
    if (!(head > 0))
      continue;
    const double logHead = std::log(head);
    const size_t last = i - 1;
    const double lastP = hist[last] + (total - head);
    double divergence;
    if (lastP > 0 && hist[last] == 0) {
      divergence = inf;
    } else {
      // sum over j < i - 1 of p_j log p_j, p_j = h_j / total.
      double plogp = (hlogh[last] - mass[last] * logTotal) / total;
      // minus sum over j < i - 1 of p_j log q_j, q_j = (G_g / n_g) / head.
      double plogq = 0;
      double lastQ = 0;
      for (size_t g = 0; g < levels; ++g) {
        size_t from = (g * i + levels - 1) / levels;
        size_t to = ((g + 1) * i + levels - 1) / levels;
        int64_t count = nonEmpty[to] - nonEmpty[from];
        if (count == 0)
          continue;
        double groupMass = mass[to] - mass[from];
        double logQ =
            std::log(groupMass / static_cast<double>(count)) - logHead;
        double headMass = groupMass;
        if (to == i) {
          headMass -= hist[last];
          lastQ = logQ;
        }
        plogq += headMass / total * logQ;
      }
      divergence = plogp - plogq;
      if (lastP > 0) {
        double p = lastP / total;
        divergence += p * (std::log(p) - lastQ);
      }
    }
    if (divergence <= bestDivergence) {
      bestDivergence = divergence;
      best = i;
    }
  }
  return amax * static_cast<double>(best) / static_cast<double>(bins);
}

Range detail::selectKlRange(const Histogram &hist, double obsMin, double obsMax,
                            const QuantScheme &scheme, unsigned klLevels) {
  const double amax = std::max(-obsMin, obsMax);
  std::vector<double> folded = foldAbsolute(hist, amax, hist.counts.size());
  const bool oneSided = obsMin == 0 || obsMax == 0;
  if (!scheme.symmetric && oneSided) {
    double t = klThreshold(std::move(folded), amax, 2 * klLevels, klLevels);
    return obsMin == 0 ? Range{0, t} : Range{-t, 0};
  }
  double t = klThreshold(std::move(folded), amax, klLevels, klLevels);
  return {-t, t};
}
