//===- TensorStatistics.h - Calibration statistics of tensors ----*- C++ -*-===//
//
// Part of quant-opt. The in-memory form of calibration statistics, shared by
// the observers (quant-run --calibrate), the file formats (our JSON, AIMET,
// TensorRT, ONNX Runtime), the IR attribute #qnn.stats and range selection.
// Plain C++: no IR.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATION_TENSORSTATISTICS_H
#define QNN_CALIBRATION_TENSORSTATISTICS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qnn::calib {

/// Equal-width bins over [lo, hi]: bin i covers
/// [lo + i * w, lo + (i + 1) * w), w = (hi - lo) / counts.size(); the last
/// bin includes hi. Counts are real numbers: re-binning spreads counts.
struct Histogram {
  double lo = 0, hi = 0;
  std::vector<double> counts;

  bool empty() const { return counts.empty(); }
  double binWidth() const {
    return counts.empty() ? 0 : (hi - lo) / counts.size();
  }
  double total() const;
};

/// What calibration knows about one tensor (a value named by its ONNX
/// tensor name).
struct TensorStatistics {
  std::string name;
  /// Number of samples (batches) observed; 0 for imported encodings that do
  /// not say.
  uint64_t count = 0;
  double min = 0, max = 0;
  std::optional<Histogram> histogram;
  /// Per-channel (last, NHWC channel dimension) minimum, maximum and mean;
  /// all empty or all of one length.
  std::vector<double> channelMin, channelMax, channelMean;

  bool hasChannelStats() const { return !channelMin.empty(); }
};

/// Statistics of a whole model, sorted by name (the file order).
struct CalibrationTable {
  /// Who wrote them ("quant-run", "aimet 0.6.1", "tensorrt 8601 ...").
  std::string producer;
  std::vector<TensorStatistics> tensors;

  /// The entry named `name`, or null.
  const TensorStatistics *lookup(llvm::StringRef name) const;
  /// Sorts by name; returns the first duplicated name, if any.
  std::optional<std::string> sortAndCheckUnique();
};

} // namespace qnn::calib

#endif // QNN_CALIBRATION_TENSORSTATISTICS_H
