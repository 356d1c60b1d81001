//===- Observer.h - Accumulating statistics over samples ---------*- C++ -*-===//
//
// Part of quant-opt. Observers see a tensor once per sample (quant-run runs
// batch size 1) and keep O(bins + channels) memory whatever the number of
// samples.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_OBSERVER_H
#define QNN_CALIBRATION_OBSERVER_H

#include "qnn/Calibration/TensorStatistics.h"

#include "llvm/ADT/ArrayRef.h"

namespace qnn::calib {

/// A histogram accumulated batch by batch exactly as PyTorch 1.13's
/// torch.ao.quantization.HistogramObserver does: the first batch is
/// histogrammed over its own [min, max]; a later batch that widens the range
/// triggers PyTorch's re-binning (upsample the old histogram by
/// `upsampleRate`, align it on the new range whose max is relaxed to a whole
/// number of old bins, integrate, downsample), so thresholds computed from it
/// can be compared with PyTorch's bit for bit in spirit and within float
/// rounding in fact.
class HistogramAccumulator {
public:
  explicit HistogramAccumulator(unsigned bins = 2048,
                                unsigned upsampleRate = 128);

  /// Adds one batch. NaNs are ignored; infinities are an error the caller
  /// checks beforehand (observe() below reports them).
  void add(llvm::ArrayRef<float> batch);

  bool empty() const { return counts.empty(); }
  double getMin() const { return min; }
  double getMax() const { return max; }
  llvm::ArrayRef<double> getCounts() const { return counts; }
  Histogram getHistogram() const;

private:
  friend class TensorObserver;
  /// add() once the batch is known to be finite with these extremes.
  void addFinite(llvm::ArrayRef<float> batch, float batchMin, float batchMax);

  unsigned bins, upsampleRate;
  double min = 0, max = 0;
  std::vector<double> counts;
};

/// Everything calibration records of one tensor: sample count, min, max, the
/// histogram and, when `channels` > 0, per-channel min/max/mean along the
/// innermost dimension (NHWC channels).
class TensorObserver {
public:
  TensorObserver(std::string name, int64_t channels, unsigned bins = 2048);

  /// Observes one sample of `numElements` floats (row-major, channel
  /// innermost). Returns false, observing nothing, if the sample holds an
  /// infinity or NaN (the caller reports the tensor and the sample).
  bool observe(const float *data, int64_t numElements);

  TensorStatistics finish() const;
  llvm::StringRef getName() const { return name; }

private:
  std::string name;
  int64_t channels;
  uint64_t samples = 0;
  HistogramAccumulator histogram;
  std::vector<double> channelMin, channelMax, channelSum;
  uint64_t elementsPerChannel = 0;
  /// The observed range (the histogram's max is relaxed beyond it) and the
  /// number of elements it covers.
  double observedMin = 0, observedMax = 0;
  uint64_t elements = 0;
};

} // namespace qnn::calib

#endif // QNN_CALIBRATION_OBSERVER_H
