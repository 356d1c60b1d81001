//===- Evaluate.h - quant-run's dataset mode --------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_TOOLS_QUANT_RUN_EVALUATE_H
#define QNN_TOOLS_QUANT_RUN_EVALUATE_H

#include "qnn/Execution/ModelRunner.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace qnn {

struct DatasetOptions {
  std::string path;
  std::string inputKey;
  std::string labelKey;     // empty: no accuracy
  std::string indicesKey;   // empty: every sample
  std::string referenceKey; // empty: no agreement / max-abs-diff
  int64_t limit = -1;       // at most this many samples (-1: all)
  bool progress = true;
  /// Non-empty: write the single result of every selected sample, stacked
  /// ([N, result shape], the result's dtype), to this .npy file.
  std::string saveOutputsPath;
};

/// The figures dataset mode prints.
struct DatasetResult {
  int64_t samples = 0;
  std::optional<double> accuracy;
  std::optional<double> agreement;
  std::optional<double> maxAbsDiff;
  double seconds = 0;
};

/// Runs `runner` (one input, output 0 = logits) on the selected samples.
/// With `saveOutputsPath` the model must have a single result, which may be
/// of any dtype when no labels or reference are asked for.
/// Errors name the file, the key and the offending value.
llvm::Expected<DatasetResult> evaluateDataset(ModelRunner &runner,
                                              const DatasetOptions &options);

/// Prints the machine-readable lines: `samples: 900`, `accuracy: 0.8600`,
/// `agreement: 1.0000`, `max-abs-diff: 3.1e-05`, `samples-per-second: 42.0`.
void printDatasetResult(const DatasetResult &result, llvm::raw_ostream &os);

} // namespace qnn

#endif // QNN_TOOLS_QUANT_RUN_EVALUATE_H
