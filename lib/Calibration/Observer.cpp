//===- Observer.cpp - Accumulating statistics over samples ----------------===//
//
// Part of quant-opt.
//
// HistogramAccumulator follows PyTorch 1.13's HistogramObserver
// (torch/ao/quantization/observer.py: forward, _adjust_min_max,
// _combine_histograms) operation by operation, in float32 where PyTorch
// computes on float32 tensors, so that the histogram matches PyTorch's
// within float rounding. Where we deliberately differ:
//
//  1. PyTorch 1.13 calls torch.histc(x, min=int(min_val), max=int(max_val)):
//     the range is truncated toward zero, so the elements outside the
//     truncated range are dropped and the rest land in the wrong bins of a
//     histogram labelled with the real range. The maintainers call the cast
//     a mistake (pytorch/pytorch#83672). We histogram over the real range.
//  2. After a batch whose values were all equal (min == max), PyTorch throws
//     the old counts away and starts again from the next batch (its
//     `same_values` path). We keep them: the old histogram is a point mass at
//     that value, added to the bin of the new histogram that holds it.
//  3. PyTorch materializes the old histogram upsampled to
//     bins * downsample_rate entries (which can exhaust memory when the
//     range grows a lot); we integrate the same piecewise-constant density
//     interval by interval in O(bins).
//  4. PyTorch subtracts a float32 copy of a float64 cumulative sum when it
//     re-bins, which loses up to half a float32 ulp of (mass seen so far *
//     upsample_rate) / upsample_rate per bin and re-binning, and can leave
//     slightly negative counts; we move the exact mass. The difference
//     stays within that bound, but it is enough to move the stopping point
//     of PyTorch's L2 search (MseRange.cpp), whose error curve is flat
//     near its minimum; compare searches on the same histogram.
//
// The per-element loops are written so that clang vectorizes them without
// fast-math: min/max reductions and channel statistics update small lane
// arrays element-wise, bin indices are computed in float32 exactly as
// histc does, and counting uses four interleaved sub-histograms so that runs
// of equal values (the zeros after a ReLU) do not serialize on one counter.
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Observer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

// The float32 expressions below mirror PyTorch's tensor operations one
// rounding at a time; fusing a multiply and an add would change them.
#pragma STDC FP_CONTRACT OFF

using namespace qnn::calib;

// The hot loops are also compiled for AVX2 and picked at load time (an
// ifunc) where the CPU has it; the results are the same, only wider.
#if defined(__x86_64__) && defined(__ELF__) && defined(__clang__)
#define QNN_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define QNN_VECTOR_CLONES
#endif

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

/// Minimum, maximum and finiteness of a batch.
struct Extrema {
  float min = kInf, max = -kInf;
  bool allFinite = true;
};

constexpr size_t kLanes = 16;

/// One pass: lane-wise min and max (NaNs do not take part: `x < m ? x : m`
/// is false for a NaN) and whether every element is finite. Lanes keep the
/// reductions element-wise so that the loop vectorizes.
QNN_VECTOR_CLONES void scanExtremaLanes(const float *__restrict data,
                                        size_t size, float *__restrict lmin,
                                        float *__restrict lmax,
                                        int32_t *__restrict lfinite) {
  size_t i = 0;
  for (; i + kLanes <= size; i += kLanes) {
    for (size_t j = 0; j < kLanes; ++j) {
      float v = data[i + j];
      lmin[j] = v < lmin[j] ? v : lmin[j];
      lmax[j] = v > lmax[j] ? v : lmax[j];
      lfinite[j] &= std::fabs(v) <= std::numeric_limits<float>::max();
    }
  }
  for (size_t j = 0; i < size; ++i, ++j) {
    float v = data[i];
    lmin[j] = v < lmin[j] ? v : lmin[j];
    lmax[j] = v > lmax[j] ? v : lmax[j];
    lfinite[j] &= std::fabs(v) <= std::numeric_limits<float>::max();
  }
}

Extrema scanExtrema(const float *data, size_t size) {
  float lmin[kLanes], lmax[kLanes];
  int32_t lfinite[kLanes];
  for (size_t j = 0; j < kLanes; ++j) {
    lmin[j] = kInf;
    lmax[j] = -kInf;
    lfinite[j] = 1;
  }
  scanExtremaLanes(data, size, lmin, lmax, lfinite);
  Extrema result;
  for (size_t j = 0; j < kLanes; ++j) {
    result.min = std::min(result.min, lmin[j]);
    result.max = std::max(result.max, lmax[j]);
    result.allFinite &= lfinite[j] != 0;
  }
  return result;
}

/// Round half to even, as torch.round.
double roundHalfEven(double x) { return std::nearbyint(x); }

/// The bin torch.histc gives `x` on [lo, hi] with `bins` bins (float32:
/// (x - lo) / (hi - lo) * bins, truncated; x == hi goes to the last bin),
/// or `bins` (out of range: histc ignores it).
inline int32_t histcBin(float x, float lo, float range, float binsF,
                        int32_t last, float hi) {
  float t = (x - lo) / range * binsF;
  int32_t bin = static_cast<int32_t>(t);
  bin = bin > last ? last : bin;
  bool outside = x < lo || x > hi;
  return outside ? last + 1 : bin;
}

/// histcBin over a chunk.
QNN_VECTOR_CLONES void computeBins(const float *__restrict x, size_t len,
                                   int32_t *__restrict index, float lo,
                                   float range, float binsF, int32_t last,
                                   float hi) {
  for (size_t i = 0; i < len; ++i)
    index[i] = histcBin(x[i], lo, range, binsF, last, hi);
}

/// torch.histc(batch, bins, lo, hi) added to `counts` (float32 adds, as
/// PyTorch sums histograms). All elements are finite; lo < hi.
void histcInto(llvm::ArrayRef<float> batch, float lo, float hi,
               std::vector<double> &counts) {
  const size_t bins = counts.size();
  const int32_t last = static_cast<int32_t>(bins) - 1;
  const float range = hi - lo;
  const float binsF = static_cast<float>(bins);
  // Four sub-histograms, plus one overflow slot each for ignored elements.
  const size_t stride = bins + 1;
  std::vector<uint32_t> sub(4 * stride, 0);
  uint32_t *c0 = sub.data(), *c1 = c0 + stride, *c2 = c1 + stride,
           *c3 = c2 + stride;
  constexpr size_t kChunk = 1024;
  int32_t index[kChunk];
  for (size_t begin = 0; begin < batch.size(); begin += kChunk) {
    const size_t len = std::min(kChunk, batch.size() - begin);
    computeBins(batch.data() + begin, len, index, lo, range, binsF, last, hi);
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
      ++c0[index[i]];
      ++c1[index[i + 1]];
      ++c2[index[i + 2]];
      ++c3[index[i + 3]];
    }
    for (; i < len; ++i)
      ++c0[index[i]];
  }
  // histc counts exactly (below 2^24 per bin); the sum with the old
  // histogram is a float32 add.
  for (size_t b = 0; b < bins; ++b) {
    float batchCount = static_cast<float>(static_cast<uint64_t>(c0[b]) + c1[b] +
                                          c2[b] + c3[b]);
    counts[b] = static_cast<float>(counts[b]) + batchCount;
  }
}

/// _combine_histograms without the bins * downsampleRate temporary: old bin
/// i covers the fine cells [startIdx + i * upsampleRate, + upsampleRate)
/// of a grid of bins * downsampleRate cells, each holding old[i] /
/// upsampleRate; new bin j sums the cells [j * downsampleRate,
/// (j + 1) * downsampleRate), rounded to float32 and added to the batch
/// histogram. PyTorch takes differences of a float64 cumulative sum whose
/// shifted copy it stores in float32, so each of its moved bins is off by
/// up to half a float32 ulp of the cumulative mass (times upsampleRate),
/// divided by upsampleRate; we move the exact mass.
void combineInto(const std::vector<double> &old, int64_t upsampleRate,
                 int64_t downsampleRate, int64_t startIdx,
                 std::vector<double> &counts) {
  const int64_t bins = static_cast<int64_t>(old.size());
  const int64_t cells = bins * downsampleRate;
  std::vector<double> moved(bins, 0.0);
  for (int64_t i = 0; i < bins; ++i) {
    if (old[i] == 0)
      continue;
    int64_t from = std::max<int64_t>(startIdx + i * upsampleRate, 0);
    int64_t to = std::min<int64_t>(startIdx + (i + 1) * upsampleRate, cells);
    while (from < to) {
      int64_t j = from / downsampleRate;
      int64_t stop = std::min(to, (j + 1) * downsampleRate);
      moved[j] += old[i] * static_cast<double>(stop - from);
      from = stop;
    }
  }
  for (int64_t j = 0; j < bins; ++j) {
    float interpolated =
        static_cast<float>(moved[j] / static_cast<double>(upsampleRate));
    counts[j] = static_cast<float>(counts[j]) + interpolated;
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// HistogramAccumulator
//===----------------------------------------------------------------------===//

HistogramAccumulator::HistogramAccumulator(unsigned bins, unsigned upsampleRate)
    : bins(bins), upsampleRate(upsampleRate) {
  assert(bins > 0 && upsampleRate > 0 && "bins and upsample rate must be > 0");
}

void HistogramAccumulator::add(llvm::ArrayRef<float> batch) {
  if (batch.empty())
    return;
  Extrema extrema = scanExtrema(batch.data(), batch.size());
  if (!extrema.allFinite) {
    // Not the hot path: observe() refuses such samples before this.
    std::vector<float> finite;
    finite.reserve(batch.size());
    for (float v : batch)
      if (std::isfinite(v))
        finite.push_back(v);
    add(finite);
    return;
  }
  addFinite(batch, extrema.min, extrema.max);
}

void HistogramAccumulator::addFinite(llvm::ArrayRef<float> batch, float newMin,
                                     float newMax) {
  if (batch.empty())
    return;

  // First batch: torch.histc over the batch's own range. All-equal values
  // make histc fall back to [v - 1, v + 1], which puts them in the middle
  // bin.
  if (counts.empty()) {
    min = newMin;
    max = newMax;
    counts.assign(bins, 0.0);
    if (newMin == newMax)
      counts[bins / 2] = static_cast<float>(batch.size());
    else
      histcInto(batch, newMin, newMax, counts);
    return;
  }

  const float oldMin = static_cast<float>(min);
  const float oldMax = static_cast<float>(max);
  const float combinedMin = std::min(newMin, oldMin);
  float combinedMax = std::max(newMax, oldMax);

  // The old histogram has zero width (all values so far were equal), or
  // a width float32 cannot subdivide: keep it as a point mass at oldMin.
  const float histBinWidth =
      (oldMax - oldMin) / static_cast<float>(bins * upsampleRate);
  const float coarseWidth = static_cast<float>(bins) * histBinWidth;
  const float ratio = (combinedMax - combinedMin) / coarseWidth;
  constexpr double kMaxDownsampleRate = 1 << 30;
  if (oldMin == oldMax || histBinWidth == 0 || !(ratio <= kMaxDownsampleRate)) {
    double oldTotal = 0;
    for (double c : counts)
      oldTotal += c;
    std::vector<double> fresh(bins, 0.0);
    int32_t pointBin = static_cast<int32_t>(bins / 2);
    if (combinedMin != combinedMax) {
      histcInto(batch, combinedMin, combinedMax, fresh);
      pointBin = histcBin(oldMin, combinedMin, combinedMax - combinedMin,
                          static_cast<float>(bins),
                          static_cast<int32_t>(bins) - 1, combinedMax);
    } else {
      fresh[pointBin] = static_cast<float>(batch.size());
    }
    fresh[pointBin] =
        static_cast<float>(fresh[pointBin]) + static_cast<float>(oldTotal);
    counts = std::move(fresh);
    min = combinedMin;
    max = combinedMax;
    return;
  }

  // _adjust_min_max: a common grid of resolution histBinWidth; relax only
  // the max so that (combinedMax - combinedMin) is a whole number of new
  // bins of downsampleRate fine cells.
  const int64_t downsampleRate = static_cast<int64_t>(std::ceil(ratio));
  const float relaxedWidth = static_cast<float>(downsampleRate) * coarseWidth;
  const float excess = relaxedWidth - (combinedMax - combinedMin);
  combinedMax = combinedMax + excess;
  const int64_t startIdx = static_cast<int64_t>(
      roundHalfEven((oldMin - combinedMin) / histBinWidth));

  std::vector<double> fresh(bins, 0.0);
  histcInto(batch, combinedMin, combinedMax, fresh);
  if (combinedMin == oldMin && combinedMax == oldMax) {
    for (unsigned b = 0; b < bins; ++b)
      fresh[b] = static_cast<float>(fresh[b]) + static_cast<float>(counts[b]);
  } else {
    combineInto(counts, upsampleRate, downsampleRate, startIdx, fresh);
  }
  counts = std::move(fresh);
  min = combinedMin;
  max = combinedMax;
}

Histogram HistogramAccumulator::getHistogram() const {
  // Before any element: no mass over [0, 0] (range selection treats a
  // histogram without mass like a dead tensor).
  if (counts.empty())
    return Histogram{0, 0, std::vector<double>(bins, 0.0)};
  return Histogram{min, max, counts};
}

//===----------------------------------------------------------------------===//
// TensorObserver
//===----------------------------------------------------------------------===//

namespace {

/// Per-sample channel statistics: `lanes` = channels * rowsPerLane entries,
/// so that even narrow tensors give the vectorizer long rows.
struct ChannelScan {
  std::vector<float> min, max;
  std::vector<double> sum;
};

QNN_VECTOR_CLONES void scanLanes(const float *__restrict data, size_t rows,
                                 size_t lanes, float *__restrict lmin,
                                 float *__restrict lmax,
                                 double *__restrict lsum) {
  for (size_t r = 0; r < rows; ++r) {
    const float *__restrict row = data + r * lanes;
    // Two loops: float min/max at the full float vector width, then the
    // float64 sums.
    for (size_t j = 0; j < lanes; ++j) {
      float v = row[j];
      lmin[j] = v < lmin[j] ? v : lmin[j];
      lmax[j] = v > lmax[j] ? v : lmax[j];
    }
    for (size_t j = 0; j < lanes; ++j)
      lsum[j] += static_cast<double>(row[j]);
  }
}

/// Channel min/max/sum of one sample (channel innermost). A NaN or an
/// infinity makes its channel's sum non-finite, which is how observe()
/// detects them without another pass.
ChannelScan scanChannels(const float *data, int64_t numElements,
                         int64_t channels) {
  const int64_t positions = numElements / channels;
  const int64_t rowsPerLane =
      std::max<int64_t>(1, (32 + channels - 1) / channels);
  const int64_t lanes = channels * rowsPerLane;
  ChannelScan scan{std::vector<float>(lanes, kInf),
                   std::vector<float>(lanes, -kInf),
                   std::vector<double>(lanes, 0.0)};
  const int64_t fullRows = positions / rowsPerLane;
  scanLanes(data, fullRows, lanes, scan.min.data(), scan.max.data(),
            scan.sum.data());
  // The remaining positions fill the first lanes of one partial row.
  const int64_t tail = numElements - fullRows * lanes;
  scanLanes(data + fullRows * lanes, 1, tail, scan.min.data(), scan.max.data(),
            scan.sum.data());
  if (rowsPerLane == 1)
    return scan;
  for (int64_t j = channels; j < lanes; ++j) {
    int64_t c = j % channels;
    scan.min[c] = std::min(scan.min[c], scan.min[j]);
    scan.max[c] = std::max(scan.max[c], scan.max[j]);
    scan.sum[c] += scan.sum[j];
  }
  scan.min.resize(channels);
  scan.max.resize(channels);
  scan.sum.resize(channels);
  return scan;
}

} // namespace

TensorObserver::TensorObserver(std::string name, int64_t channels,
                               unsigned bins)
    : name(std::move(name)), channels(std::max<int64_t>(channels, 0)),
      histogram(bins) {
  channelMin.assign(this->channels, std::numeric_limits<double>::infinity());
  channelMax.assign(this->channels, -std::numeric_limits<double>::infinity());
  channelSum.assign(this->channels, 0.0);
}

bool TensorObserver::observe(const float *data, int64_t numElements) {
  assert(numElements >= 0 && "negative element count");
  double sampleMin = 0, sampleMax = 0;
  if (channels > 0) {
    assert(numElements % channels == 0 &&
           "sample size is not a multiple of the channel count");
    ChannelScan scan = scanChannels(data, numElements, channels);
    for (double s : scan.sum)
      if (!std::isfinite(s))
        return false;
    for (int64_t c = 0; c < channels; ++c) {
      channelMin[c] = std::min<double>(channelMin[c], scan.min[c]);
      channelMax[c] = std::max<double>(channelMax[c], scan.max[c]);
      channelSum[c] += scan.sum[c];
    }
    elementsPerChannel += numElements / channels;
    sampleMin = *std::min_element(scan.min.begin(), scan.min.end());
    sampleMax = *std::max_element(scan.max.begin(), scan.max.end());
  } else {
    Extrema extrema = scanExtrema(data, numElements);
    if (!extrema.allFinite)
      return false;
    sampleMin = extrema.min;
    sampleMax = extrema.max;
  }
  if (numElements > 0) {
    observedMin = elements == 0 ? sampleMin : std::min(observedMin, sampleMin);
    observedMax = elements == 0 ? sampleMax : std::max(observedMax, sampleMax);
  }
  ++samples;
  elements += numElements;
  histogram.addFinite(llvm::ArrayRef<float>(data, numElements),
                      static_cast<float>(sampleMin),
                      static_cast<float>(sampleMax));
  return true;
}

TensorStatistics TensorObserver::finish() const {
  TensorStatistics stats;
  stats.name = name;
  stats.count = samples;
  if (elements > 0) {
    stats.min = observedMin;
    stats.max = observedMax;
  }
  if (samples > 0)
    stats.histogram = histogram.getHistogram();
  if (channels > 0 && elementsPerChannel > 0) {
    stats.channelMin = channelMin;
    stats.channelMax = channelMax;
    stats.channelMean.resize(channels);
    for (int64_t c = 0; c < channels; ++c)
      stats.channelMean[c] =
          channelSum[c] / static_cast<double>(elementsPerChannel);
  }
  return stats;
}
