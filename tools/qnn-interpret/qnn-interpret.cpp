//===- qnn-interpret.cpp - Run the integer qnn program in the reference ----===//
//
// Part of quant-opt. Test tool: runs a module's entry function in the plain
// C++ reference interpreter (qnn/Reference/IntegerInterpreter.h), to be
// compared bit for bit with quant-run's JIT (docs/Reference.md).
//
//   qnn-interpret model.mlir --input x.npy [--output y.npy]
//   qnn-interpret model.mlir --dataset data.npz --input-key X
//       [--indices-key eval_idx] [--limit N] [--label-key y]
//       [--save-outputs all.npy]
//
//===----------------------------------------------------------------------===//

#include "qnn/Execution/Dataset.h"
#include "qnn/InitAll.h"
#include "qnn/Reference/IntegerInterpreter.h"
#include "qnn/Runtime/NumpyIO.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <cstring>

using namespace mlir;
using namespace qnn;
using qnn::reference::ElementKind;
using qnn::reference::IntegerInterpreter;
using qnn::reference::Tensor;
using qnn::reference::TensorSignature;
using qnn::runtime::DType;
using qnn::runtime::NDArray;
namespace cl = llvm::cl;

static cl::OptionCategory category("qnn-interpret options");

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
                         ".npz (the model takes one sample, batch 1)"),
                cl::cat(category));
static cl::opt<std::string> inputKey("input-key",
                                     cl::desc("Dataset key of the samples"),
                                     cl::cat(category));
static cl::opt<std::string>
    indicesKey("indices-key",
               cl::desc("Dataset key of the sample indices to run (default: "
                        "all samples)"),
               cl::cat(category));
static cl::opt<std::string>
    labelKey("label-key",
             cl::desc("Dataset key of integer labels: prints the accuracy of "
                      "the argmax of result 0"),
             cl::cat(category));
static cl::opt<int64_t> limit("limit",
                              cl::desc("Run at most this many samples"),
                              cl::init(-1), cl::cat(category));
static cl::opt<std::string> saveOutputs(
    "save-outputs",
    cl::desc("Dataset mode: write the entry's single result of every "
             "selected sample, stacked ([N, result shape], the result's "
             "dtype), to this .npy file (whole or not at all)"),
    cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<bool> noProgress("no-progress",
                                cl::desc("Do not report progress on stderr"),
                                cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qnn-interpret") << message << "\n";
  return 1;
}

static int fail(llvm::Error err) { return fail(llvm::toString(std::move(err))); }

static DType toDType(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return DType::F32;
  case ElementKind::I8:
    return DType::I8;
  case ElementKind::U8:
    return DType::U8;
  case ElementKind::I16:
    return DType::I16;
  case ElementKind::I32:
    return DType::I32;
  case ElementKind::I64:
    return DType::I64;
  }
  return DType::F32;
}

static TensorSpec toSpec(const TensorSignature &sig) {
  TensorSpec spec;
  spec.dtype = toDType(sig.kind);
  spec.shape = sig.shape;
  return spec;
}

/// A tensor of `sig` from `count` elements of dtype toDType(sig.kind) at
/// `bytes`.
static Tensor tensorFromBytes(const TensorSignature &sig, const uint8_t *bytes) {
  int64_t n = sig.numElements();
  auto load = [&](auto tag) {
    using T = decltype(tag);
    std::vector<int64_t> values(n);
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, bytes + i * sizeof(T), sizeof(T));
      values[i] = v;
    }
    return Tensor::makeInt(sig.kind, sig.shape, std::move(values));
  };
  switch (sig.kind) {
  case ElementKind::F32: {
    std::vector<float> values(n);
    std::memcpy(values.data(), bytes, n * sizeof(float));
    return Tensor::makeFloat(sig.shape, std::move(values));
  }
  case ElementKind::I8:
    return load(int8_t());
  case ElementKind::U8:
    return load(uint8_t());
  case ElementKind::I16:
    return load(int16_t());
  case ElementKind::I32:
    return load(int32_t());
  case ElementKind::I64:
    return load(int64_t());
  }
  return Tensor();
}

/// Writes the elements of `t` (kind toDType(t.kind)) to `bytes`.
static void tensorToBytes(const Tensor &t, uint8_t *bytes) {
  auto store = [&](auto tag) {
    using T = decltype(tag);
    for (size_t i = 0; i < t.ints.size(); ++i) {
      T v = static_cast<T>(t.ints[i]);
      std::memcpy(bytes + i * sizeof(T), &v, sizeof(T));
    }
  };
  switch (t.kind) {
  case ElementKind::F32:
    std::memcpy(bytes, t.floats.data(), t.floats.size() * sizeof(float));
    return;
  case ElementKind::I8:
    return store(int8_t());
  case ElementKind::U8:
    return store(uint8_t());
  case ElementKind::I16:
    return store(int16_t());
  case ElementKind::I32:
    return store(int32_t());
  case ElementKind::I64:
    return store(int64_t());
  }
}

static NDArray toNDArray(const Tensor &t) {
  NDArray array;
  array.dtype = toDType(t.kind);
  array.shape.assign(t.shape.begin(), t.shape.end());
  array.data.resize(t.numElements() * runtime::getDTypeSize(array.dtype));
  tensorToBytes(t, array.data.data());
  return array;
}

static void printTensor(const Tensor &t, size_t index) {
  llvm::outs() << "result " << index << ": " << t.describe() << "\n";
  int64_t n = std::min<int64_t>(t.numElements(), 64);
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      llvm::outs() << (i % 8 ? " " : "\n");
    if (t.isFloat())
      llvm::outs() << llvm::format("%.6g", t.floats[i]);
    else
      llvm::outs() << t.ints[i];
  }
  if (n < t.numElements())
    llvm::outs() << " ...";
  llvm::outs() << "\n";
}

/// Index of the largest element of `t` (the first on ties).
static int64_t argmax(const Tensor &t) {
  int64_t best = 0;
  for (int64_t i = 1; i < t.numElements(); ++i)
    if (t.isFloat() ? t.floats[i] > t.floats[best] : t.ints[i] > t.ints[best])
      best = i;
  return best;
}

static int runDataset(const IntegerInterpreter &interp) {
  if (interp.getInputs().size() != 1)
    return fail("dataset mode needs a model with one input, @" + entry +
                " takes " + llvm::Twine(interp.getInputs().size()));
  if (!saveOutputs.empty() && interp.getOutputs().size() != 1)
    return fail("--save-outputs needs a model with a single result, @" +
                entry + " returns " +
                llvm::Twine(interp.getOutputs().size()));
  if (interp.getOutputs().empty())
    return fail("@" + entry + " returns nothing");
  const TensorSignature &inSig = interp.getInputs()[0];
  const TensorSignature &outSig = interp.getOutputs()[0];

  auto npz = runtime::NpzFile::open(datasetPath);
  if (!npz)
    return fail(npz.takeError());
  auto samples = loadDatasetSamples(*npz, inputKey, indicesKey, limit,
                                    toSpec(inSig));
  if (!samples)
    return fail(samples.takeError());
  std::vector<int64_t> labels;
  if (!labelKey.empty()) {
    auto arr = npz->get(labelKey);
    if (!arr)
      return fail(arr.takeError());
    auto values =
        runtime::toInt64(*arr, datasetPath + ": key '" + labelKey + "'");
    if (!values)
      return fail(values.takeError());
    labels = std::move(*values);
    if (int64_t(labels.size()) != samples->numSamples())
      return fail(datasetPath + ": key '" + labelKey + "' has " +
                  llvm::Twine(labels.size()) + " labels for " +
                  llvm::Twine(samples->numSamples()) + " samples");
  }

  const std::vector<int64_t> &indices = samples->indices;
  int64_t total = indices.size();
  NDArray stacked;
  size_t outBytes = 0;
  if (!saveOutputs.empty()) {
    stacked.dtype = toDType(outSig.kind);
    stacked.shape.push_back(total);
    stacked.shape.append(outSig.shape.begin(), outSig.shape.end());
    outBytes = outSig.numElements() * runtime::getDTypeSize(stacked.dtype);
    stacked.data.resize(total * outBytes);
  }
  int64_t correct = 0;
  ProgressReporter progress("interpreted", total, !noProgress,
                            "qnn-interpret");
  auto start = std::chrono::steady_clock::now();
  for (int64_t done = 0; done < total; ++done) {
    int64_t sample = indices[done];
    Tensor input = tensorFromBytes(inSig, samples->sample(sample));
    auto results = interp.run({input});
    if (!results)
      return fail("sample " + llvm::Twine(sample) + ": " +
                  llvm::toString(results.takeError()));
    if (!labels.empty() && argmax((*results)[0]) == labels[sample])
      ++correct;
    if (!saveOutputs.empty())
      tensorToBytes((*results)[0], stacked.data.data() + done * outBytes);
    progress.update(done + 1);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!saveOutputs.empty())
    if (llvm::Error err = runtime::writeNpy(saveOutputs, stacked))
      return fail(std::move(err));
  llvm::outs() << "samples: " << total << "\n";
  if (!labels.empty() && total)
    llvm::outs() << llvm::format("accuracy: %.4f\n", double(correct) / total);
  if (seconds > 0)
    llvm::outs() << llvm::format("samples-per-second: %.1f\n",
                                 total / seconds);
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qnn-interpret: run a qnn integer program in the plain C++ reference "
      "interpreter\n\n"
      "Runs the entry function once on .npy inputs, or over the selected "
      "samples of an .npz dataset; the arithmetic follows docs/Numerics.md "
      "without the MLIR lowering (docs/Reference.md).\n");

  bool datasetMode = !datasetPath.empty();
  if (datasetMode) {
    if (!inputPaths.empty() || !outputPaths.empty())
      return fail("--dataset cannot be combined with --input/--output");
    if (inputKey.empty())
      return fail("--dataset needs --input-key (the key of the samples)");
  } else {
    if (!inputKey.empty() || !indicesKey.empty() || !labelKey.empty() ||
        !saveOutputs.empty() || limit >= 0)
      return fail("--input-key, --indices-key, --label-key, --limit and "
                  "--save-outputs need --dataset");
    if (inputPaths.empty())
      return fail("give --input x.npy (one per argument) or --dataset "
                  "data.npz");
  }

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

  auto interp = IntegerInterpreter::create(*module, entry);
  if (!interp)
    return fail(interp.takeError());

  if (datasetMode)
    return runDataset(**interp);

  llvm::ArrayRef<TensorSignature> inSigs = (*interp)->getInputs();
  llvm::ArrayRef<TensorSignature> outSigs = (*interp)->getOutputs();
  if (inputPaths.size() != inSigs.size())
    return fail("@" + entry + " takes " + llvm::Twine(inSigs.size()) +
                " arguments but " + llvm::Twine(inputPaths.size()) +
                " --input files were given");
  if (!outputPaths.empty() && outputPaths.size() != outSigs.size())
    return fail("@" + entry + " returns " + llvm::Twine(outSigs.size()) +
                " results but " + llvm::Twine(outputPaths.size()) +
                " --output files were given");
  std::vector<Tensor> args;
  for (auto [path, sig] : llvm::zip_equal(inputPaths, inSigs)) {
    auto array = runtime::readNpy(path);
    if (!array)
      return fail(array.takeError());
    if (array->dtype != toDType(sig.kind) ||
        llvm::ArrayRef<int64_t>(array->shape) !=
            llvm::ArrayRef<int64_t>(sig.shape))
      return fail(path + ": holds " + array->describe() + ", but @" + entry +
                  " takes " + sig.describe());
    args.push_back(tensorFromBytes(sig, array->data.data()));
  }
  auto results = (*interp)->run(args);
  if (!results)
    return fail(results.takeError());
  if (outputPaths.empty()) {
    for (auto [i, r] : llvm::enumerate(*results))
      printTensor(r, i);
    return 0;
  }
  // Every result is converted before any file is written.
  std::vector<NDArray> arrays;
  for (const Tensor &r : *results)
    arrays.push_back(toNDArray(r));
  for (auto [path, a] : llvm::zip_equal(outputPaths, arrays))
    if (llvm::Error err = runtime::writeNpy(path, a))
      return fail(std::move(err));
  return 0;
}
