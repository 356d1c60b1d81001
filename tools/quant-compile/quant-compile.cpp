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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "mlir/Support/FileUtilities.h"
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
             "the target has avx512vnni, default), generic or vnni"),
    cl::init("auto"), cl::cat(category));
static cl::opt<bool> printTiming(
    "print-timing",
    cl::desc("Print the seconds spent parsing, lowering and emitting"),
    cl::init(false), cl::cat(category));

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
      "target (default: the host CPU).\n");
  auto tool = [](llvm::StringRef message) {
    llvm::WithColor::error(llvm::errs(), "quant-compile") << message << "\n";
    return 1;
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

  // The steps, as quant-opt pass pipelines (also what --print-pipeline
  // shows). Option values are checked by the passes themselves.
  std::string floatPasses = "fold-batchnorm,fuse-activations";
  if (equalize)
    floatPasses += ",equalize";
  if (absorbBias)
    floatPasses += ",absorb-bias";
  std::string quantizeOptions =
      "weights=" + weightsOpt + " weight-bits=" + std::to_string(weightBits) +
      " activation-bits=" + std::to_string(activationBits) +
      " activations=" + activations + " calibration=" + calibration;
  auto quantPasses = [&](llvm::StringRef stats) {
    std::string passes = "import-calibration{file=" + stats.str() +
                         "},quantize{" + quantizeOptions + "}";
    if (correctBias != "none")
      passes += ",correct-bias{mode=" + correctBias + "}";
    return passes + ",fold-scales,fixed-point-requant{rounding=" + rounding +
           "}";
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
  auto start = Clock::now();
  DialectRegistry registry;
  qnn::registerAllDialects(registry);
  qnn::registerImportONNXDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  if (isONNX) {
    qnn::ImportOptions importOptions;
    importOptions.funcName = entry;
    module = qnn::importONNXModel(inputFilename, &context, importOptions);
    if (!module)
      return tool("importing '" + inputFilename +
                  "' failed (see the message above)");
  } else {
    std::string error;
    auto file = mlir::openInputFile(inputFilename, &error);
    if (!file)
      return tool("cannot open '" + inputFilename + "': " + error);
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return tool("cannot parse '" + inputFilename + "'");
  }
  double parseTime = seconds(start);

  double quantizeTime = 0;
  if (quantizeFirst) {
    start = Clock::now();
    auto runPasses = [&](const std::string &passes,
                         llvm::StringRef stage) -> bool {
      // The elements only: the pass manager is already anchored on
      // builtin.module (a "builtin.module(...)" string would nest one).
      PassManager passManager(&context);
      if (failed(parsePassPipeline(passes, passManager, llvm::errs())) ||
          failed(passManager.run(*module))) {
        tool(("stage '" + stage + "' failed (see the diagnostics above)").str());
        return false;
      }
      return true;
    };
    if (!runPasses(floatPasses, "float passes"))
      return 1;
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
      if (!table)
        return tool("stage 'calibration' failed: " +
                    llvm::toString(table.takeError()));
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
              "qnn-stats", "json", tempStats))
        return tool("cannot create a temporary file: " + ec.message());
      remover.emplace(tempStats);
      if (llvm::Error err = qnn::calib::writeQnnStatsFile(tempStats, *table))
        return tool("stage 'calibration' failed: " +
                    llvm::toString(std::move(err)));
      statsPath = tempStats.str().str();
    }
    if (!runPasses(quantPasses(statsPath), "quantization"))
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
      return tool("cannot write a C header for @" + entry + ": " +
                  llvm::toString(text.takeError()));
    header = std::move(*text);
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
  qnn::buildLowerToCPUPipeline(pm, options);
  if (failed(pm.run(*module)))
    return tool("lowering '" + inputFilename +
                "' failed (see the diagnostics above)");
  double lowerTime = seconds(start);

  start = Clock::now();
  if (!kind) {
    std::string message;
    auto out = mlir::openOutputFile(outputFilename, &message);
    if (!out)
      return tool(message);
    module->print(out->os());
    out->keep();
  } else {
    qnn::EmitOptions emitOptions;
    emitOptions.triple = targetTriple;
    emitOptions.cpu = targetCPU;
    emitOptions.features = targetFeatures;
    emitOptions.optLevel = optLevel;
    emitOptions.kind = *kind;
    if (llvm::Error err = qnn::emitModule(*module, emitOptions, outputFilename))
      return tool(llvm::toString(std::move(err)));
  }
  if (!headerFilename.empty()) {
    std::string message;
    auto out = mlir::openOutputFile(headerFilename, &message);
    if (!out)
      return tool(message);
    out->os() << header;
    out->keep();
  }
  if (printTiming)
    llvm::errs() << llvm::format(
        "parse: %.3f s\nquantize: %.3f s\nlower: %.3f s\nemit: %.3f s\n",
        parseTime, quantizeTime, lowerTime, seconds(start));
  return 0;
}
