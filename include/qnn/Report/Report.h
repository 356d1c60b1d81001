//===- Report.h - The per-layer quantization report -------------*- C++ -*-===//
//
// Part of quant-opt. `quant-compile --report=report.html` writes one
// self-contained HTML page (inline SVG, no scripts, nothing fetched) that
// shows, per conv2d / dense layer, worst signal-to-quantization-noise ratio
// first: the per-channel weight ranges before and after cross-layer
// equalization (box plots as in Nagel et al. 2019, Fig. 2), the activation
// histogram of the layer's output with the clipping range chosen, and the
// SQNR between the float and the dequantized integer output; and, for the
// whole network, FP32 and INT8 accuracy and their agreement
// (docs/Report.md).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REPORT_REPORT_H
#define QNN_REPORT_REPORT_H

#include "qnn/Calibration/TensorStatistics.h"
#include "qnn/Report/Svg.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace qnn::report {

/// The weights of one conv2d or dense layer, summarized per output channel.
struct LayerWeights {
  /// The tensor name of the layer's result (its location).
  std::string name;
  /// "conv2d 3x3", "depthwise conv2d 3x3 (groups 64)", "dense".
  std::string op;
  std::vector<BoxStats> channels;
  /// The range of all its weights.
  double min = 0, max = 0;
};

/// The conv2d and dense layers of @entry whose weight is a float constant,
/// in program order, named by their result's tensor name (layers without
/// one are skipped).
llvm::Expected<std::vector<LayerWeights>>
collectLayerWeights(mlir::ModuleOp module, llvm::StringRef entry);

/// How far the quantized output of one layer is from the float one over
/// the samples run: SQNR = 10 log10(sum x^2 / sum (x - x_hat)^2).
struct LayerError {
  std::string name;
  /// False when the quantized model has no float or per-tensor quantized
  /// result of that name to compare.
  bool measured = false;
  double signal = 0, noise = 0;
  /// +inf when the outputs are equal; -inf when the float output is zero
  /// and the quantized one is not.
  double sqnrDb() const;
};

/// Float and quantized model run side by side on the same samples.
struct Comparison {
  int64_t samples = 0;
  std::vector<LayerError> layers;
  /// With labels: the accuracy of each model (argmax of result 0).
  std::optional<double> floatAccuracy, quantizedAccuracy;
  /// How often the two models predict the same class.
  double agreement = 0;
};

struct ReportOptions {
  std::string entry = "main";
  /// The .npz whose samples both models run: `inputKey` (model input),
  /// `indicesKey` (the samples; empty: all), `labelKey` (integer labels for
  /// accuracy; empty: none).
  std::string datasetPath, inputKey, indicesKey, labelKey;
  /// Run on an instrumented copy of the quantized (Q form) module to reach
  /// the integer program, e.g. "fold-scales,fixed-point-requant".
  std::string integerPasses;
  unsigned optLevel = 3;
  /// Shown in the page: the model's file name and what was done to it.
  std::string modelName;
  std::vector<std::pair<std::string, std::string>> settings;
};

/// Runs the float and the quantized model of `layers`, instrumented so that
/// every layer output is an extra result (quantized outputs dequantized with
/// quant.dcast, before `options.integerPasses` make them integer), over the
/// samples of the options. Errors name the file, the key and the value.
llvm::Expected<Comparison> compareModels(mlir::ModuleOp floatModule,
                                         mlir::ModuleOp quantizedModule,
                                         llvm::ArrayRef<std::string> layers,
                                         const ReportOptions &options);

struct ReportInputs {
  /// Weights after batch-norm folding, and after equalization (and bias
  /// absorption) when it ran.
  std::vector<LayerWeights> weightsBefore;
  std::optional<std::vector<LayerWeights>> weightsAfter;
  /// Calibration statistics with a histogram per tensor.
  const calib::CalibrationTable *statistics = nullptr;
  /// The float model the statistics describe (after the data-free passes)
  /// and the quantized model in Q form (after --quantize and bias
  /// correction); neither is changed.
  mlir::ModuleOp floatModule, quantizedModule;
};

/// The whole page. Deterministic: the same inputs give the same bytes.
llvm::Expected<std::string> buildReport(const ReportInputs &inputs,
                                        const ReportOptions &options);

} // namespace qnn::report

#endif // QNN_REPORT_REPORT_H
