//===- Calibrate.h - Collecting statistics by running the model -*- C++ -*-===//
//
// Part of quant-opt. Calibration runs the float model in the JIT with every
// named activation exposed as an extra result, and feeds each one, sample
// by sample, to an observer (min/max, a histogram, per-channel min/max/mean
// for the inputs of convolutions and dense layers).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_EXECUTION_CALIBRATE_H
#define QNN_EXECUTION_CALIBRATE_H

#include "qnn/Calibration/TensorStatistics.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qnn {

/// One tensor calibration observes.
struct ObservedTensor {
  std::string name;
  /// Channels of the innermost dimension when per-channel statistics are
  /// kept (the value feeds a conv2d or dense input), else 0.
  int64_t channels = 0;
};

/// Makes every named f32 tensor of `entry` an extra result, after the
/// original ones: its arguments and the results of qnn ops located at a
/// tensor name (`loc("name")`, including the importer's `name#role`
/// helpers), each once, in program order. Returns what was exposed.
llvm::Expected<std::vector<ObservedTensor>>
exposeNamedTensors(mlir::ModuleOp module, llvm::StringRef entry);

struct CalibrateOptions {
  std::string datasetPath;
  std::string inputKey;
  std::string indicesKey; // empty: every sample
  int64_t limit = -1;
  unsigned bins = 2048;
  bool progress = true;
  unsigned optLevel = 3;
  /// When set, receives the wall time of the sample loop (running the model
  /// and observing), without compilation and dataset loading.
  double *loopSeconds = nullptr;
};

/// Runs `entry` of `module` over the selected samples and returns the
/// statistics of every named tensor. Errors name the file, key and value.
llvm::Expected<calib::CalibrationTable>
calibrate(mlir::OwningOpRef<mlir::ModuleOp> module, llvm::StringRef entry,
          const CalibrateOptions &options);

} // namespace qnn

#endif // QNN_EXECUTION_CALIBRATE_H
