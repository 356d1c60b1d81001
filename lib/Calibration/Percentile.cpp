//===- Percentile.cpp - Percentile ranges and the |x| histogram -----------===//
//
// Part of quant-opt.
//
// Percentile range, defined on bin edges so that at least `percentile` % of
// the histogram's mass stays inside the range:
//  - symmetric: on the |x| histogram (foldAbsolute: 2048-bin-like, bins of
//    the signed histogram over [0, amax]), t = the smallest |x| bin edge
//    with mass(|x| <= t) >= p% of the total, i.e. the upper edge of the bin
//    where the cumulative mass reaches the target; the range is [-t, t].
//  - asymmetric: on the signed histogram, the largest lower edge with at
//    most (100 - p) / 2 % of the mass below it and the smallest upper edge
//    with at most that much above it.
// pytorch-quantization (_compute_amax_percentile) and ORT take
// edges[searchsorted(cdf, p / 100)], the lower edge of that bin, which
// keeps slightly less than p %; ours is one bin width above theirs.
// Comparisons allow 1e-9 of the total for rounding in re-binned counts.
//
//===----------------------------------------------------------------------===//

#include "RangeSearch.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace qnn::calib;

std::vector<double> detail::foldAbsolute(const Histogram &hist, double amax,
                                         size_t bins) {
  assert(amax > 0 && bins > 0 && "folding needs a positive range");
  std::vector<double> folded(bins, 0.0);
  const double width = amax / static_cast<double>(bins);
  // Spreads `mass`, uniform on [from, to] (0 <= from <= to), over the bins.
  auto spread = [&](double from, double to, double mass) {
    if (mass == 0)
      return;
    if (to >= amax) {
      // The part beyond amax goes to the last bin.
      double beyond =
          to > from ? mass * (to - std::max(from, amax)) / (to - from) : mass;
      folded.back() += beyond;
      mass -= beyond;
      to = amax;
      if (from >= amax || mass <= 0)
        return;
    }
    if (to <= from) {
      size_t bin = std::min(static_cast<size_t>(from / width), bins - 1);
      folded[bin] += mass;
      return;
    }
    const double density = mass / (to - from);
    size_t bin = std::min(static_cast<size_t>(from / width), bins - 1);
    double at = from;
    while (at < to) {
      double binEnd = bin + 1 == bins ? to : std::min(to, (bin + 1) * width);
      folded[bin] += density * (binEnd - at);
      at = binEnd;
      ++bin;
    }
  };
  const double srcWidth = hist.binWidth();
  for (size_t i = 0; i < hist.counts.size(); ++i) {
    double mass = hist.counts[i];
    if (mass == 0)
      continue;
    double a = hist.lo + static_cast<double>(i) * srcWidth;
    double b = i + 1 == hist.counts.size() ? hist.hi : a + srcWidth;
    if (b <= 0) {
      spread(-b, -a, mass);
    } else if (a >= 0) {
      spread(a, b, mass);
    } else {
      double negative = mass * (-a) / (b - a);
      spread(0, -a, negative);
      spread(0, b, mass - negative);
    }
  }
  return folded;
}

Range detail::selectPercentileRange(const Histogram &hist, double obsMin,
                                    double obsMax, bool symmetric,
                                    double percentile) {
  const double total = hist.total();
  const double slack = 1e-9 * total;
  if (symmetric) {
    const double amax = std::max(-obsMin, obsMax);
    const size_t bins = hist.counts.size();
    std::vector<double> folded = foldAbsolute(hist, amax, bins);
    const double target = percentile * total / 100;
    double cumulative = 0;
    size_t bin = 0;
    for (; bin + 1 < bins; ++bin) {
      cumulative += folded[bin];
      if (cumulative >= target - slack)
        break;
    }
    double t = amax * static_cast<double>(bin + 1) / static_cast<double>(bins);
    return {-t, t};
  }

  const double cut = (100 - percentile) * total / 200;
  const size_t bins = hist.counts.size();
  const double width = hist.binWidth();
  auto edge = [&](size_t k) {
    return k == bins ? hist.hi : hist.lo + static_cast<double>(k) * width;
  };
  // Lower: the largest k with mass(bins < k) <= cut.
  size_t lower = 0;
  double below = 0;
  while (lower < bins && below + hist.counts[lower] <= cut + slack)
    below += hist.counts[lower++];
  // Upper: the smallest k with mass(bins >= k) <= cut.
  size_t upper = bins;
  double above = 0;
  while (upper > lower && above + hist.counts[upper - 1] <= cut + slack)
    above += hist.counts[--upper];
  return {edge(lower), edge(upper)};
}
