//===- Dataset.h - Selecting samples of an .npz dataset ----------*- C++ -*-===//
//
// Part of quant-opt. What quant-run's dataset and calibration modes share:
// the samples of a key checked against the model's input, the selected
// indices, and progress reporting on stderr.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_EXECUTION_DATASET_H
#define QNN_EXECUTION_DATASET_H

#include "qnn/Execution/ModelRunner.h"
#include "qnn/Runtime/NumpyIO.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qnn {

/// The samples of a dataset selected for a run.
struct DatasetSamples {
  /// All samples, [N, ...] with the model input's shape after its batch
  /// dimension.
  runtime::NDArray x;
  /// The samples to run, in order, each in [0, N).
  std::vector<int64_t> indices;
  /// Bytes of one sample (= the model input's bytes).
  size_t sampleBytes = 0;

  int64_t numSamples() const { return x.shape.empty() ? 0 : x.shape[0]; }
  const uint8_t *sample(int64_t index) const {
    return x.data.data() + index * sampleBytes;
  }
};

/// Reads `inputKey` of `npz` and checks it against `input` (a batch-1
/// model input), then the indices of `indicesKey` (all samples when
/// empty), truncated to `limit` when it is non-negative. Errors name the
/// file, the key and the offending value.
llvm::Expected<DatasetSamples>
loadDatasetSamples(const runtime::NpzFile &npz, const std::string &inputKey,
                   const std::string &indicesKey, int64_t limit,
                   const TensorSpec &input);

/// Index of the largest of `n` values (the first on ties), as NumPy's
/// argmax: the predicted class of a logits vector.
inline int64_t argmax(const float *values, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (values[i] > values[best])
      best = i;
  return best;
}

/// The integer labels of `labelKey` of `npz` (none when the key is empty),
/// one per sample of the `numSamples` the input key holds. Errors name the
/// file and the key.
llvm::Expected<std::vector<int64_t>>
loadDatasetLabels(const runtime::NpzFile &npz, const std::string &labelKey,
                  int64_t numSamples);

/// Reports "<tool>: <verb> 12/900 samples (1%)" on stderr: a line
/// rewritten in place on a terminal, one line per 10 % otherwise.
class ProgressReporter {
public:
  ProgressReporter(std::string verb, int64_t total, bool enabled,
                   std::string tool = "quant-run");
  ~ProgressReporter();
  void update(int64_t done);

private:
  std::string verb, tool;
  int64_t total;
  bool enabled, tty;
  int64_t lastPercent = -1;
};

} // namespace qnn

#endif // QNN_EXECUTION_DATASET_H
