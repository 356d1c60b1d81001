//===- quant-compile.cpp - qnn MLIR to LLVM IR, assembly, objects, .so ----===//
//
// Part of quant-opt. `quant-compile model.mlir --emit=shared -o model.so`
// lowers a qnn module (any numeric form) with the --lower-to-cpu pipeline
// and writes it for a target triple / CPU / feature set. The output is
// written whole or not at all.
//
//===----------------------------------------------------------------------===//

#include "qnn/CalibrationIO/CalibrationFormats.h"
#include "qnn/Emit/CHeader.h"
#include "qnn/Emit/Emit.h"
#include "qnn/Execution/Calibrate.h"
#include "qnn/Import/ONNX/ImportONNX.h"
#include "qnn/InitAll.h"
#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Report/Report.h"
#include "qnn/Runtime/NumpyIO.h"

#include "llvm/ADT/StringSwitch.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-compile options");

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<model.mlir>"),
                                          cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::Required,
                                           cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: mlir (the LLVM-dialect module), llvm-ir, "
                  "asm, obj or shared (a shared library linked by the C "
                  "compiler driver, with libm)"),
         cl::init("obj"), cl::cat(category));
static cl::opt<std::string>
    entry("entry",
          cl::desc("Function that gets a C interface (_mlir_ciface_<entry>, "
                   "memref descriptors by pointer; default: main)"),
          cl::init("main"), cl::cat(category));
static cl::opt<std::string>
    targetTriple("target-triple",
                 cl::desc("Target triple (default: the host's)"),
                 cl::cat(category));
static cl::opt<std::string>
    targetCPU("target-cpu",
              cl::desc("Target CPU, e.g. znver4, skylake-avx512, x86-64-v3 "
                       "(default: native, the host CPU and its features)"),
              cl::cat(category));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("Comma-separated LLVM target features added to the CPU's, "
             "e.g. +avx512vnni or -avx512f"),
    cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<std::string> headerFilename(
    "header",
    cl::desc("Also write a C header for the entry: its C interface, the "
             "shapes, element types and quantization parameters of inputs "
             "and outputs, and a wrapper on plain pointers"),
    cl::value_desc("filename"), cl::cat(category));
// Quantization: with --calibration-data or --calibration-stats the input is
// a float model (ONNX or MLIR) that quant-compile quantizes first.
static cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Quantize first: calibrate on the samples of this .npz "
             "(with --input-key, --indices-key)"),
    cl::cat(category));
static cl::opt<std::string> calibrationStats(
    "calibration-stats",
    cl::desc("Quantize first, with the statistics of this file (any format "
             "of --import-calibration: qnn JSON, AIMET, TensorRT, ONNX "
             "Runtime)"),
    cl::cat(category));
static cl::opt<std::string> inputKey("input-key",
                                     cl::desc("Dataset key of the samples"),
                                     cl::cat(category));
static cl::opt<std::string> indicesKey(
    "indices-key", cl::desc("Dataset key of the calibration sample indices"),
    cl::cat(category));
static cl::opt<std::string> weightsOpt(
    "weights", cl::desc("Weight quantization: per-tensor or per-channel"),
    cl::init("per-tensor"), cl::cat(category));
static cl::opt<unsigned> weightBits("weight-bits", cl::desc("Weight bits"),
                                    cl::init(8), cl::cat(category));
static cl::opt<unsigned> activationBits("activation-bits",
                                        cl::desc("Activation bits"),
                                        cl::init(8), cl::cat(category));
static cl::opt<std::string> activations(
    "activations", cl::desc("Activation grid: asymmetric or symmetric"),
    cl::init("asymmetric"), cl::cat(category));
static cl::opt<std::string> calibration(
    "calibration",
    cl::desc("Activation range method: minmax, percentile, mse or kl"),
    cl::init("minmax"), cl::cat(category));
static cl::opt<bool> equalize("equalize",
                              cl::desc("Cross-layer equalization (default on)"),
                              cl::init(true), cl::cat(category));
static cl::opt<bool> absorbBias("absorb-bias",
                                cl::desc("High-bias absorption (default off)"),
                                cl::init(false), cl::cat(category));
static cl::opt<std::string> correctBias(
    "correct-bias",
    cl::desc("Bias correction: none, empirical or analytic (default)"),
    cl::init("analytic"), cl::cat(category));
static cl::opt<std::string> rounding(
    "rounding", cl::desc("Fixed-point rounding: double (TFLite) or single (TOSA)"),
    cl::init("double"), cl::cat(category));
static cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("Print the equivalent quant-import-onnx / quant-opt / quant-run "
             "commands and exit"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> int8Kernels(
    "int8-kernels",
    cl::desc("Kernels of the integer dense/conv2d layers: auto (vnni when "
             "the target has avx512vnni, avx2 when it has avx2, else vector; "
             "default), vnni, avx2, vector, or generic (linalg loops)"),
    cl::init("auto"), cl::cat(category));
static cl::opt<std::string> floatKernels(
    "float-kernels",
    cl::desc("Kernels of the float dense/conv2d layers: auto (vector, "
             "default), vector (vector.fma micro-kernels) or generic (linalg "
             "loops)"),
    cl::init("auto"), cl::cat(category));
static cl::opt<std::string> reportFilename(
    "report",
    cl::desc("Also write a per-layer quantization report (one self-contained "
             "HTML page: weight ranges before/after equalization, activation "
             "histograms with the clipping range, SQNR per layer, accuracy); "
             "needs --calibration-data"),
    cl::value_desc("report.html"), cl::cat(category));
static cl::opt<std::string> labelKey(
    "label-key",
    cl::desc("--report: dataset key of the integer labels (FP32 and INT8 "
             "accuracy)"),
    cl::cat(category));
static cl::opt<std::string> evalIndicesKey(
    "eval-indices-key",
    cl::desc("--report: dataset key of the sample indices the report runs "
             "(default: the calibration samples of --indices-key)"),
    cl::cat(category));
static cl::opt<bool> printTiming(
    "print-timing",
    cl::desc("Print the seconds spent parsing, lowering and emitting"),
    cl::init(false), cl::cat(category));

namespace {

/// "file:line:col" of a location, the file alone for the whole-file
/// locations (line 0) of importers and passes, "tensor 'name'" for the
/// tensor names of the IR; empty when unknown.
std::string describeLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    if (file.getLine() == 0)
      return file.getFilename().str();
    return (file.getFilename().getValue() + ":" +
            llvm::Twine(file.getLine()) + ":" + llvm::Twine(file.getColumn()))
        .str();
  }
  if (auto name = dyn_cast<NameLoc>(loc))
    return "tensor '" + name.getName().str() + "'";
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string text = describeLocation(inner); !text.empty())
        return text;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return describeLocation(callSite.getCallee());
  return "";
}

/// Collects the errors of the MLIR stages so that a failure is one message,
/// `stage 'X' failed: <cause>`, instead of diagnostics followed by a
/// summary. Warnings and remarks go on to the usual handler.
class ErrorCollector {
public:
  explicit ErrorCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) -> LogicalResult {
          if (diag.getSeverity() != DiagnosticSeverity::Error)
            return failure();
          std::string text = describeLocation(diag.getLocation());
          if (!text.empty())
            text += ": ";
          text += diag.str();
          for (const Diagnostic &note : diag.getNotes()) {
            std::string where = describeLocation(note.getLocation());
            text += "\n  note: " + (where.empty() ? "" : where + ": ") +
                    note.str();
          }
          errors.push_back(std::move(text));
          return success();
        }) {}

  /// The collected errors, one per line, and forgets them.
  std::string take() {
    std::string text = llvm::join(errors, "\n  ");
    errors.clear();
    return text;
  }

private:
  std::vector<std::string> errors;
  ScopedDiagnosticHandler handler;
};

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  qnn::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-compile: compile a model to LLVM IR, assembly, an object file "
      "or a shared library\n\n"
      "With --calibration-data (or --calibration-stats) the input, an ONNX "
      "or float qnn MLIR model, is quantized first: fold-batchnorm, "
      "fuse-activations, equalize, [absorb-bias], calibration, quantize, "
      "correct-bias, fold-scales, fixed-point-requant (--print-pipeline "
      "shows the equivalent commands). Then it is lowered with "
      "--lower-to-cpu (docs/Pipelines.md), optimized and emitted for the "
      "target (default: the host CPU). --report writes a per-layer HTML "
      "report of the quantization (docs/Report.md).\n");
  auto tool = [](llvm::StringRef message) {
    llvm::WithColor::error(llvm::errs(), "quant-compile") << message << "\n";
    return 1;
  };
  auto stageFailed = [&](llvm::StringRef stage, llvm::StringRef cause) {
    return tool(("stage '" + stage + "' failed: " + cause).str());
  };

  std::optional<qnn::EmitKind> kind;
  if (emit != "mlir") {
    kind = qnn::parseEmitKind(emit);
    if (!kind)
      return tool("unknown --emit='" + emit +
                  "', expected mlir, llvm-ir, asm, obj or shared");
  }
  if (optLevel > 3)
    return tool("-O" + std::to_string(optLevel) + " is not in 0-3");

  bool quantizeFirst = !calibrationData.empty() || !calibrationStats.empty();
  if (!calibrationData.empty() && !calibrationStats.empty())
    return tool("give --calibration-data or --calibration-stats, not both");
  if (!calibrationData.empty() && inputKey.empty())
    return tool("--calibration-data needs --input-key");
  if (correctBias != "none" && correctBias != "empirical" &&
      correctBias != "analytic")
    return tool("unknown --correct-bias='" + correctBias +
                "', expected none, empirical or analytic");
  bool isONNX = llvm::StringRef(inputFilename).ends_with(".onnx");
  if (isONNX && !quantizeFirst)
    return tool("an ONNX model needs --calibration-data or "
                "--calibration-stats (quant-compile compiles quantized "
                "models; use quant-import-onnx for the float form)");
  bool report = !reportFilename.empty();
  if (report && calibrationData.empty())
    return tool("--report needs --calibration-data: the report runs the "
                "float and the quantized model on its samples");
  if (!report && (!labelKey.empty() || !evalIndicesKey.empty()))
    return tool("--label-key and --eval-indices-key are options of --report");
  // Every output names a different file: one must not overwrite another.
  if ((!headerFilename.empty() && headerFilename == outputFilename) ||
      (report && (reportFilename == outputFilename ||
                  reportFilename == headerFilename)))
    return tool("-o, --header and --report must name different files");

  // Outputs go to existing directories: a wrong path is reported before
  // anything runs.
  for (const std::string &path : {outputFilename.getValue(),
                                  headerFilename.getValue(),
                                  reportFilename.getValue()}) {
    if (path.empty() || path == "-")
      continue;
    llvm::StringRef dir = llvm::sys::path::parent_path(path);
    if (!llvm::sys::fs::is_directory(dir.empty() ? "." : dir))
      return tool("cannot write '" + path + "': no directory '" + dir.str() +
                  "'");
  }

  // The steps, as quant-opt pass pipelines (also what --print-pipeline
  // shows). Option values are checked by the passes themselves. The report
  // looks at the weights between the first two and at the quantized (Q)
  // form between the last two.
  std::string foldPasses = "fold-batchnorm,fuse-activations";
  std::string equalizePasses;
  if (equalize)
    equalizePasses = "equalize";
  if (absorbBias)
    equalizePasses += equalizePasses.empty() ? "absorb-bias" : ",absorb-bias";
  std::string floatPasses =
      foldPasses + (equalizePasses.empty() ? "" : "," + equalizePasses);
  std::string quantizeOptions =
      "weights=" + weightsOpt + " weight-bits=" + std::to_string(weightBits) +
      " activation-bits=" + std::to_string(activationBits) +
      " activations=" + activations + " calibration=" + calibration;
  std::string quantizePasses = "quantize{" + quantizeOptions + "}";
  if (correctBias != "none")
    quantizePasses += ",correct-bias{mode=" + correctBias + "}";
  std::string integerPasses =
      "fold-scales,fixed-point-requant{rounding=" + rounding + "}";
  auto quantPasses = [&](llvm::StringRef stats) {
    return "import-calibration{file=" + stats.str() + "}," + quantizePasses +
           "," + integerPasses;
  };
  if (printPipeline) {
    llvm::raw_ostream &os = llvm::outs();
    std::string model = inputFilename;
    if (isONNX) {
      os << "quant-import-onnx " << inputFilename << " -o model.mlir\n";
      model = "model.mlir";
    }
    if (quantizeFirst) {
      os << "quant-opt " << model << " --mlir-print-debuginfo --pass-pipeline='builtin.module("
         << floatPasses << ")' -o prepared.mlir\n";
      std::string stats = calibrationStats;
      if (!calibrationData.empty()) {
        stats = "stats.json";
        os << "quant-run prepared.mlir --calibrate --dataset "
           << calibrationData << " --input-key " << inputKey
           << (indicesKey.empty() ? "" : " --indices-key " + indicesKey)
           << " -o stats.json\n";
      }
      os << "quant-opt prepared.mlir --pass-pipeline='builtin.module("
         << quantPasses(stats) << ")' -o quantized.mlir\n";
      model = "quantized.mlir";
    }
    os << "quant-compile " << model << " --emit=" << emit << " -o "
       << outputFilename << "\n";
    return 0;
  }

  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  };
  // The report's keys are checked before anything runs: a wrong key is
  // reported in a second, not after calibration.
  // (A file that cannot be read is calibration's error.)
  if (report) {
    auto npz = qnn::runtime::NpzFile::open(calibrationData);
    if (!npz)
      llvm::consumeError(npz.takeError());
    else
      for (const std::string &key : {labelKey.getValue(),
                                   evalIndicesKey.getValue()})
      if (!key.empty())
          if (auto array = npz->get(key); !array)
            return stageFailed("report", llvm::toString(array.takeError()));
  }

  auto start = Clock::now();
  DialectRegistry registry;
  qnn::registerAllDialects(registry);
  qnn::registerImportONNXDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  ErrorCollector errors(&context);
  OwningOpRef<ModuleOp> module;
  if (isONNX) {
    qnn::ImportOptions importOptions;
    importOptions.funcName = entry;
    module = qnn::importONNXModel(inputFilename, &context, importOptions);
    if (!module)
      return stageFailed("import", errors.take());
  } else {
    std::string error;
    auto file = mlir::openInputFile(inputFilename, &error);
    if (!file)
      return stageFailed("parse", error);
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return stageFailed("parse", errors.take());
  }
  double parseTime = seconds(start);

  // What the report needs from the steps.
  std::vector<qnn::report::LayerWeights> weightsBefore;
  std::optional<std::vector<qnn::report::LayerWeights>> weightsAfter;
  std::optional<qnn::calib::CalibrationTable> statistics;
  OwningOpRef<ModuleOp> floatModule, quantizedModule;

  double quantizeTime = 0;
  if (quantizeFirst) {
    start = Clock::now();
    auto runPasses = [&](const std::string &passes,
                         llvm::StringRef stage) -> bool {
      // The elements only: the pass manager is already anchored on
      // builtin.module (a "builtin.module(...)" string would nest one).
      PassManager passManager(&context);
      std::string message;
      llvm::raw_string_ostream os(message);
      if (failed(parsePassPipeline(passes, passManager, os))) {
        stageFailed(stage, message);
        return false;
      }
      if (failed(passManager.run(*module))) {
        stageFailed(stage, errors.take());
        return false;
      }
      return true;
    };
    auto layerWeights = [&]() -> bool {
      auto layers = qnn::report::collectLayerWeights(*module, entry);
      if (!layers) {
        stageFailed("report", llvm::toString(layers.takeError()));
        return false;
      }
      if (weightsBefore.empty())
        weightsBefore = std::move(*layers);
      else
        weightsAfter = std::move(*layers);
      return true;
    };
    if (!runPasses(foldPasses, "float passes"))
      return 1;
    if (report && !layerWeights())
      return 1;
    if (!equalizePasses.empty() && !runPasses(equalizePasses, "float passes"))
      return 1;
    if (report && equalize && !layerWeights())
      return 1;
    if (report)
      floatModule = module->clone();
    std::string statsPath = calibrationStats;
    llvm::SmallString<128> tempStats;
    std::optional<llvm::FileRemover> remover;
    if (!calibrationData.empty()) {
      qnn::CalibrateOptions calibrateOptions;
      calibrateOptions.datasetPath = calibrationData;
      calibrateOptions.inputKey = inputKey;
      calibrateOptions.indicesKey = indicesKey;
      calibrateOptions.progress = false;
      auto table = qnn::calibrate(OwningOpRef<ModuleOp>(module->clone()),
                                  entry, calibrateOptions);
      if (!table) {
        std::string cause = llvm::toString(table.takeError());
        if (std::string more = errors.take(); !more.empty())
          cause += "\n  " + more;
        return stageFailed("calibration", cause);
      }
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
              "qnn-stats", "json", tempStats))
        return stageFailed("calibration",
                           "cannot create a temporary file: " + ec.message());
      remover.emplace(tempStats);
      if (llvm::Error err = qnn::calib::writeQnnStatsFile(tempStats, *table))
        return stageFailed("calibration", llvm::toString(std::move(err)));
      statsPath = tempStats.str().str();
      if (report)
        statistics = std::move(*table);
    }
    if (!runPasses("import-calibration{file=" + statsPath + "}," +
                       quantizePasses,
                   "quantization"))
      return 1;
    if (report)
      quantizedModule = module->clone();
    if (!runPasses(integerPasses, "quantization"))
      return 1;
    quantizeTime = seconds(start);
  }

  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return tool("'" + inputFilename + "' has no function @" + entry);
  // The header describes the signature before lowering (tensor and
  // quantized types); it is written only once the model is.
  std::string header;
  if (!headerFilename.empty()) {
    auto text = qnn::buildCHeader(func, llvm::sys::path::filename(inputFilename));
    if (!text)
      return stageFailed("header", "cannot write a C header for @" + entry +
                                       ": " + llvm::toString(text.takeError()));
    header = std::move(*text);
  }

  // The report runs both models now, so that its failure leaves no output.
  std::string reportText;
  double reportTime = 0;
  if (report) {
    start = Clock::now();
    qnn::report::ReportOptions options;
    options.entry = entry;
    options.datasetPath = calibrationData;
    options.inputKey = inputKey;
    options.indicesKey = evalIndicesKey.empty() ? indicesKey : evalIndicesKey;
    options.labelKey = labelKey;
    options.integerPasses = integerPasses;
    options.optLevel = optLevel;
    options.modelName = llvm::sys::path::filename(inputFilename).str();
    std::string dataset = llvm::sys::path::filename(calibrationData).str();
    auto selection = [&](llvm::StringRef key) {
      return dataset + ", key '" + inputKey + "'" +
             (key.empty() ? ", every sample"
                          : ", the samples of '" + key.str() + "'");
    };
    options.settings = {
        {"model", options.modelName},
        {"float passes", floatPasses},
        {"calibration data", selection(indicesKey)},
        {"quantization passes", quantizePasses + "," + integerPasses},
        {"report data (SQNR, accuracy)",
         selection(options.indicesKey) +
             (labelKey.empty() ? "" : ", labels '" + labelKey + "'")}};
    qnn::report::ReportInputs inputs;
    inputs.weightsBefore = std::move(weightsBefore);
    inputs.weightsAfter = std::move(weightsAfter);
    inputs.statistics = &*statistics;
    inputs.floatModule = *floatModule;
    inputs.quantizedModule = *quantizedModule;
    auto text = qnn::report::buildReport(inputs, options);
    if (!text) {
      std::string cause = llvm::toString(text.takeError());
      if (std::string more = errors.take(); !more.empty())
        cause += "\n  " + more;
      return stageFailed("report", cause);
    }
    reportText = std::move(*text);
    reportTime = seconds(start);
  }

  func->setAttr("llvm.emit_c_interface", UnitAttr::get(&context));
  start = Clock::now();
  PassManager pm(&context);
  qnn::LowerToCPUOptions options;
  // The kernels follow the target: VNNI micro-kernels when it has
  // avx512vnni (docs/Pipelines.md).
  qnn::EmitOptions target;
  target.triple = targetTriple;
  target.cpu = targetCPU;
  target.features = targetFeatures;
  auto vnni = qnn::targetHasFeature(target, "avx512vnni");
  if (!vnni)
    return tool(llvm::toString(vnni.takeError()));
  if (int8Kernels == "vnni" && !*vnni)
    return tool("--int8-kernels=vnni needs a target with avx512vnni");
  if (int8Kernels != "auto" && int8Kernels != "vnni" &&
      int8Kernels != "generic")
    return tool("unknown --int8-kernels='" + int8Kernels +
                "', expected auto, generic or vnni");
  options.int8Kernels = int8Kernels == "generic" || !*vnni
                            ? qnn::Int8Kernels::Generic
                            : qnn::Int8Kernels::Vnni;
  if (floatKernels != "auto" && floatKernels != "vector" &&
      floatKernels != "generic")
    return tool("unknown --float-kernels='" + floatKernels +
                "', expected auto, generic or vector");
  options.floatKernels = floatKernels == "generic"
                             ? qnn::FloatKernels::Generic
                             : qnn::FloatKernels::Vector;
  qnn::buildLowerToCPUPipeline(pm, options);
  if (failed(pm.run(*module)))
    return stageFailed("lowering", errors.take());
  double lowerTime = seconds(start);

  // The outputs: the model, then the header and the report, each written
  // whole (a temporary renamed into place); when one cannot be written,
  // those written before are removed again.
  start = Clock::now();
  std::vector<std::string> written;
  auto undo = [&](llvm::StringRef stage, llvm::StringRef cause) {
    for (const std::string &path : written)
      llvm::sys::fs::remove(path);
    return stageFailed(stage, cause);
  };
  if (!kind) {
    std::string printed;
    llvm::raw_string_ostream os(printed);
    module->print(os);
    if (llvm::Error err = llvm::writeToOutput(
            outputFilename, [&](llvm::raw_ostream &out) {
              out << printed;
              return llvm::Error::success();
            }))
      return stageFailed("emission", "cannot write '" + outputFilename +
                                         "': " +
                                         llvm::toString(std::move(err)));
  } else {
    qnn::EmitOptions emitOptions;
    emitOptions.triple = targetTriple;
    emitOptions.cpu = targetCPU;
    emitOptions.features = targetFeatures;
    emitOptions.optLevel = optLevel;
    emitOptions.kind = *kind;
    if (llvm::Error err = qnn::emitModule(*module, emitOptions, outputFilename))
      return stageFailed("emission", llvm::toString(std::move(err)));
  }
  written.push_back(outputFilename);
  struct Extra {
    llvm::StringRef path, text, stage;
  };
  for (const Extra &extra : {Extra{headerFilename, header, "header"},
                             Extra{reportFilename, reportText, "report"}}) {
    if (extra.path.empty())
      continue;
    if (llvm::Error err =
            llvm::writeToOutput(extra.path, [&](llvm::raw_ostream &out) {
              out << extra.text;
              return llvm::Error::success();
            }))
      return undo(extra.stage, "cannot write '" + extra.path.str() +
                                   "': " + llvm::toString(std::move(err)));
    written.push_back(extra.path.str());
  }
  if (printTiming)
    llvm::errs() << llvm::format("parse: %.3f s\nquantize: %.3f s\n"
                                 "report: %.3f s\nlower: %.3f s\n"
                                 "emit: %.3f s\n",
                                 parseTime, quantizeTime, reportTime,
                                 lowerTime, seconds(start));
  return 0;
}
