//===- quant-run.cpp - Run a qnn model on .npy/.npz data in the JIT ---------===//
//
// Part of quant-opt.
//
//   quant-run model.mlir --input x.npy [--output y.npy]
//   quant-run model.mlir --dataset data.npz --input-key X --label-key y
//             --indices-key eval_idx [--reference-key ref_logits_fp32]
//             [--save-outputs outputs.npy]
//   quant-run model.mlir --calibrate --dataset data.npz --input-key X
//             --indices-key cal_idx -o stats.json
//
//===----------------------------------------------------------------------===//

#include "Evaluate.h"

#include "qnn/CalibrationIO/CalibrationFormats.h"
#include "qnn/Execution/Calibrate.h"
#include "qnn/Execution/ModelRunner.h"
#include "qnn/InitAll.h"
#include "qnn/Runtime/NumpyIO.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>

using namespace mlir;
using namespace qnn;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-run options");

static cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string>
    entry("entry", cl::desc("Function to run (default: main)"),
          cl::init("main"), cl::cat(category));
static cl::list<std::string>
    inputPaths("input",
               cl::desc("A .npy file per function argument, in order "
                        "(repeat the flag or separate with commas)"),
               cl::CommaSeparated, cl::cat(category));
static cl::list<std::string>
    outputPaths("output",
                cl::desc("A .npy file per function result, written whole or "
                         "not at all; without it the results are printed"),
                cl::CommaSeparated, cl::cat(category));
static cl::opt<std::string>
    datasetPath("dataset",
                cl::desc("Dataset mode: run every selected sample of this "
                         ".npz and print accuracy/agreement lines"),
                cl::cat(category));
static cl::opt<std::string> inputKey("input-key",
                                     cl::desc("Dataset key of the samples "
                                              "(N x the model input without "
                                              "its batch dimension)"),
                                     cl::cat(category));
static cl::opt<std::string>
    labelKey("label-key", cl::desc("Dataset key of the integer labels"),
             cl::cat(category));
static cl::opt<std::string>
    indicesKey("indices-key",
               cl::desc("Dataset key of the sample indices to run (default: "
                        "all samples)"),
               cl::cat(category));
static cl::opt<std::string> referenceKey(
    "reference-key",
    cl::desc("Dataset key of reference outputs (N x the model output): "
             "prints argmax agreement and max-abs-diff"),
    cl::cat(category));
static cl::opt<std::string> saveOutputs(
    "save-outputs",
    cl::desc("Dataset mode: write the single result of every selected "
             "sample, stacked ([N, result shape], the result's dtype), to "
             "this .npy file (whole or not at all)"),
    cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<int64_t> limit("limit",
                              cl::desc("Run at most this many samples"),
                              cl::init(-1), cl::cat(category));
static cl::opt<bool> noProgress("no-progress",
                                cl::desc("Do not report progress on stderr"),
                                cl::cat(category));
static cl::opt<bool> calibrateMode(
    "calibrate",
    cl::desc("Calibration mode: run the selected samples of --dataset and "
             "write the statistics of every named tensor to -o (the "
             "project's JSON, docs/CalibrationStats.md)"),
    cl::cat(category));
static cl::opt<std::string> statsPath("o",
                                      cl::desc("Statistics file written by "
                                               "--calibrate (whole or not at "
                                               "all)"),
                                      cl::value_desc("stats.json"),
                                      cl::cat(category));
static cl::opt<unsigned> bins("bins",
                              cl::desc("Histogram bins per tensor in "
                                       "--calibrate (default 2048)"),
                              cl::init(2048), cl::cat(category));
static cl::opt<unsigned>
    repeat("repeat",
           cl::desc("Single-input mode: run the model this many times and "
                    "print the latency per call (min and median, ms; the "
                    "calls write into the same output buffers)"),
           cl::init(0), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<Int8Kernels> int8Kernels(
    "int8-kernels",
    cl::desc("Kernels of the integer dense/conv2d layers (--lower-to-cpu "
             "int8-kernels)"),
    cl::init(Int8Kernels::Auto),
    cl::values(clEnumValN(Int8Kernels::Auto, "auto",
                          "the kernels of --target-features or, without it, "
                          "of the host CPU: vnni with avx512vnni, avx2 with "
                          "avx2, else vector (default)"),
               clEnumValN(Int8Kernels::Generic, "generic",
                          "linalg.generic lowered to scalar loops"),
               clEnumValN(Int8Kernels::Vnni, "vnni",
                          "AVX-512 VNNI micro-kernels"),
               clEnumValN(Int8Kernels::Avx2, "avx2",
                          "AVX2 micro-kernels (vpmaddwd)"),
               clEnumValN(Int8Kernels::Vector, "vector",
                          "the micro-kernels in portable vector arithmetic")),
    cl::cat(category));
static cl::opt<FloatKernels> floatKernels(
    "float-kernels",
    cl::desc("Kernels of the float dense/conv2d layers (--lower-to-cpu "
             "float-kernels)"),
    cl::init(FloatKernels::Auto),
    cl::values(clEnumValN(FloatKernels::Auto, "auto", "vector (default)"),
               clEnumValN(FloatKernels::Generic, "generic",
                          "linalg.generic lowered to scalar loops"),
               clEnumValN(FloatKernels::Vector, "vector",
                          "vector.fma micro-kernels")),
    cl::cat(category));
static cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("LLVM CPU name put on the compiled functions (default: none; "
             "the JIT compiles for the host)"),
    cl::cat(category));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("LLVM feature string put on the compiled functions, e.g. "
             "+avx512f,+avx512vnni (default: none; the JIT compiles for the "
             "host)"),
    cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "quant-run") << message << "\n";
  return 1;
}

static int fail(llvm::Error err) {
  std::string message = llvm::toString(std::move(err));
  return fail(message);
}

/// Prints a result array: its type, then its values (at most 64).
static void printArray(const runtime::NDArray &array, size_t index) {
  llvm::outs() << "result " << index << ": " << array.describe() << "\n";
  int64_t n = std::min<int64_t>(array.numElements(), 64);
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      llvm::outs() << (i % 8 ? " " : "\n");
    switch (array.dtype) {
    case runtime::DType::F32:
      llvm::outs() << llvm::format("%.6g", array.as<float>()[i]);
      break;
    case runtime::DType::F64:
      llvm::outs() << llvm::format("%.9g", array.as<double>()[i]);
      break;
    case runtime::DType::I8:
      llvm::outs() << int(array.as<int8_t>()[i]);
      break;
    case runtime::DType::U8:
    case runtime::DType::Bool:
      llvm::outs() << unsigned(array.as<uint8_t>()[i]);
      break;
    case runtime::DType::I16:
      llvm::outs() << array.as<int16_t>()[i];
      break;
    case runtime::DType::I32:
      llvm::outs() << array.as<int32_t>()[i];
      break;
    case runtime::DType::I64:
      llvm::outs() << array.as<int64_t>()[i];
      break;
    }
  }
  if (n < array.numElements())
    llvm::outs() << " ...";
  llvm::outs() << "\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-run: run a qnn model on NumPy data in the MLIR JIT\n\n"
      "Lowers the model with --lower-to-cpu, compiles it for the host CPU "
      "and runs it once on .npy inputs, over a labelled .npz dataset, or "
      "over calibration samples to collect statistics (--calibrate).\n");

  if (calibrateMode) {
    if (datasetPath.empty() || inputKey.empty() || statsPath.empty())
      return fail("--calibrate needs --dataset, --input-key and -o stats.json");
    if (!inputPaths.empty() || !outputPaths.empty() || !labelKey.empty() ||
        !referenceKey.empty())
      return fail("--calibrate takes --dataset, --input-key, --indices-key "
                  "and -o only");
    if (bins < 1)
      return fail("--bins must be positive");
  } else if (!statsPath.empty()) {
    return fail("-o is the statistics file of --calibrate; use --output for "
                "results");
  }
  bool datasetMode = !datasetPath.empty() && !calibrateMode;
  if (datasetMode && (!inputPaths.empty() || !outputPaths.empty()))
    return fail("--dataset cannot be combined with --input/--output");
  if (datasetMode && inputKey.empty())
    return fail("--dataset needs --input-key (the key of the samples)");
  if (datasetPath.empty() && (!inputKey.empty() || !labelKey.empty() ||
                               !indicesKey.empty() || !referenceKey.empty()))
    return fail("--input-key, --label-key, --indices-key and --reference-key "
                "need --dataset");
  if (!saveOutputs.empty() && !datasetMode)
    return fail("--save-outputs needs --dataset (without --calibrate); use "
                "--output in single-input mode");
  if (!datasetMode && !calibrateMode && inputPaths.empty())
    return fail("give --input x.npy (one per argument) or --dataset data.npz");

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  std::string errorMessage;
  auto file = openInputFile(modelPath, &errorMessage);
  if (!file)
    return fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1; // The parser reported the error with its location.

  if (calibrateMode) {
    CalibrateOptions options;
    options.datasetPath = datasetPath;
    options.inputKey = inputKey;
    options.indicesKey = indicesKey;
    options.limit = limit;
    options.bins = bins;
    options.progress = !noProgress;
    options.optLevel = optLevel;
    double loopSeconds = 0;
    options.loopSeconds = &loopSeconds;
    auto start = std::chrono::steady_clock::now();
    auto table = calibrate(std::move(module), entry, options);
    if (!table)
      return fail(table.takeError());
    if (llvm::Error err = calib::writeQnnStatsFile(statsPath, *table))
      return fail(std::move(err));
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    int64_t samples = table->tensors.empty() ? 0 : table->tensors[0].count;
    llvm::outs() << "samples: " << samples << "\n"
                 << "tensors: " << table->tensors.size() << "\n"
                 << llvm::format("seconds: %.2f\n", seconds);
    if (loopSeconds > 0)
      llvm::outs() << llvm::format("samples-per-second: %.1f\n",
                                   samples / loopSeconds);
    return 0;
  }

  if (int8Kernels == Int8Kernels::Vnni && targetFeatures.empty() &&
      !hostHasAvx512Vnni())
    return fail("--int8-kernels=vnni needs a CPU with avx512vnni; this host "
                "has none");
  if (int8Kernels == Int8Kernels::Avx2 && targetFeatures.empty() &&
      !hostHasAvx2())
    return fail("--int8-kernels=avx2 needs a CPU with avx2; this host has "
                "none");
  CodegenOptions codegen;
  codegen.int8Kernels = int8Kernels;
  codegen.floatKernels = floatKernels;
  codegen.targetCpu = targetCpu;
  codegen.targetFeatures = targetFeatures;
  auto runner =
      ModelRunner::create(std::move(module), entry, optLevel, codegen);
  if (!runner)
    return fail(runner.takeError());

  if (datasetMode) {
    DatasetOptions options;
    options.path = datasetPath;
    options.inputKey = inputKey;
    options.labelKey = labelKey;
    options.indicesKey = indicesKey;
    options.referenceKey = referenceKey;
    options.limit = limit;
    options.progress = !noProgress;
    options.saveOutputsPath = saveOutputs;
    auto result = evaluateDataset(**runner, options);
    if (!result)
      return fail(result.takeError());
    printDatasetResult(*result, llvm::outs());
    return 0;
  }

  if (inputPaths.size() != (*runner)->getInputs().size())
    return fail("@" + entry + " takes " +
                llvm::Twine((*runner)->getInputs().size()) +
                " arguments but " + llvm::Twine(inputPaths.size()) +
                " --input files were given");
  if (!outputPaths.empty() &&
      outputPaths.size() != (*runner)->getOutputs().size())
    return fail("@" + entry + " returns " +
                llvm::Twine((*runner)->getOutputs().size()) +
                " results but " + llvm::Twine(outputPaths.size()) +
                " --output files were given");
  std::vector<runtime::NDArray> args;
  for (const std::string &path : inputPaths) {
    auto array = runtime::readNpy(path);
    if (!array)
      return fail(array.takeError());
    args.push_back(std::move(*array));
  }
  std::vector<const runtime::NDArray *> argPtrs;
  for (const runtime::NDArray &a : args)
    argPtrs.push_back(&a);
  auto results = (*runner)->run(argPtrs, inputPaths);
  if (!results)
    return fail(results.takeError());
  if (repeat > 0) {
    // Every timed call reads and writes the same cache-line aligned
    // buffers, as a caller owning them would (and as oneDNN's benchmarks
    // do): the latency is the model's, not that of allocating and
    // zero-filling fresh outputs, nor of vectors straddling cache lines.
    auto aligned = [](const std::vector<uint8_t> &data) {
      size_t bytes = (data.size() + 63) / 64 * 64;
      std::unique_ptr<uint8_t, decltype(&std::free)> buffer(
          static_cast<uint8_t *>(std::aligned_alloc(64, bytes ? bytes : 64)),
          &std::free);
      std::copy(data.begin(), data.end(), buffer.get());
      return buffer;
    };
    std::vector<std::unique_ptr<uint8_t, decltype(&std::free)>> owned;
    std::vector<const void *> inputBuffers;
    for (const runtime::NDArray &a : args)
      inputBuffers.push_back(owned.emplace_back(aligned(a.data)).get());
    std::vector<void *> outputBuffers;
    for (runtime::NDArray &r : *results)
      outputBuffers.push_back(owned.emplace_back(aligned(r.data)).get());
    std::vector<double> ms;
    for (unsigned i = 0; i < repeat; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error err = (*runner)->run(inputBuffers, outputBuffers))
        return fail(std::move(err));
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start)
                       .count());
    }
    std::sort(ms.begin(), ms.end());
    llvm::outs() << llvm::format("latency-ms: min %.4f median %.4f (%u runs)\n",
                                 ms.front(), ms[ms.size() / 2], repeat.getValue());
  }
  if (outputPaths.empty()) {
    for (auto [i, r] : llvm::enumerate(*results))
      printArray(r, i);
    return 0;
  }
  for (auto [path, r] : llvm::zip_equal(outputPaths, *results))
    if (llvm::Error err = runtime::writeNpy(path, r))
      return fail(std::move(err));
  return 0;
}
