//===- Evaluate.cpp - quant-run's dataset mode ------------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "Evaluate.h"

#include "qnn/Execution/Dataset.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace qnn;
using qnn::runtime::DType;
using qnn::runtime::NDArray;
using qnn::runtime::NpzFile;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message.str());
}

llvm::Expected<DatasetResult>
qnn::evaluateDataset(ModelRunner &runner, const DatasetOptions &options) {
  if (runner.getInputs().size() != 1 || runner.getOutputs().empty())
    return error("dataset mode needs a model with one input and at least one "
                 "output, this one has " +
                 llvm::Twine(runner.getInputs().size()) + " inputs and " +
                 llvm::Twine(runner.getOutputs().size()) + " outputs");
  const TensorSpec &inSpec = runner.getInputs()[0];
  const TensorSpec &outSpec = runner.getOutputs()[0];
  bool saving = !options.saveOutputsPath.empty();
  if (saving && runner.getOutputs().size() != 1)
    return error("--save-outputs needs a model with a single result, this "
                 "one has " +
                 llvm::Twine(runner.getOutputs().size()));
  // Logits are read as float32 for accuracy and agreement; saving alone
  // takes a result of any dtype.
  bool readsLogits = !saving || !options.labelKey.empty() ||
                     !options.referenceKey.empty();
  if (readsLogits && outSpec.dtype != DType::F32)
    return error("dataset mode reads float32 logits, the model returns " +
                 outSpec.describe());

  auto npz = NpzFile::open(options.path);
  if (!npz)
    return npz.takeError();
  auto samples = loadDatasetSamples(*npz, options.inputKey, options.indicesKey,
                                    options.limit, inSpec);
  if (!samples)
    return samples.takeError();
  int64_t numSamples = samples->numSamples();
  const std::vector<int64_t> &indices = samples->indices;

  auto labelsOr = loadDatasetLabels(*npz, options.labelKey, numSamples);
  if (!labelsOr)
    return labelsOr.takeError();
  std::vector<int64_t> labels = std::move(*labelsOr);

  int64_t numOut = outSpec.numElements();
  std::optional<NDArray> reference;
  if (!options.referenceKey.empty()) {
    auto arr = npz->get(options.referenceKey);
    if (!arr)
      return arr.takeError();
    if (arr->dtype != DType::F32 || arr->shape.empty() ||
        arr->shape[0] != numSamples ||
        arr->numElements() != numSamples * numOut)
      return error(options.path + ": key '" + options.referenceKey +
                   "' holds " + arr->describe() + ", expected float32[" +
                   llvm::Twine(numSamples) + ", ...] with " +
                   llvm::Twine(numOut) + " values per sample like " +
                   outSpec.describe());
    reference = std::move(*arr);
  }

  std::vector<std::vector<uint8_t>> outputs;
  std::vector<void *> outputPtrs;
  for (const TensorSpec &spec : runner.getOutputs()) {
    outputs.emplace_back(spec.numBytes());
    outputPtrs.push_back(outputs.back().data());
  }

  NDArray saved;
  if (saving) {
    saved.dtype = outSpec.dtype;
    saved.shape.push_back(static_cast<int64_t>(indices.size()));
    saved.shape.append(outSpec.shape.begin(), outSpec.shape.end());
    saved.data.resize(indices.size() * outSpec.numBytes());
  }

  DatasetResult result;
  int64_t correct = 0, agree = 0;
  double maxAbsDiff = 0;
  int64_t total = indices.size();
  ProgressReporter progress("ran", total, options.progress);
  auto start = std::chrono::steady_clock::now();
  for (int64_t done = 0; done < total; ++done) {
    int64_t sample = indices[done];
    if (llvm::Error err = runner.run({samples->sample(sample)}, outputPtrs))
      return std::move(err);
    if (saving)
      std::copy(outputs[0].begin(), outputs[0].end(),
                saved.data.begin() + done * outSpec.numBytes());
    if (!readsLogits) {
      progress.update(done + 1);
      continue;
    }
    const float *logits = reinterpret_cast<const float *>(outputs[0].data());
    int64_t predicted = qnn::argmax(logits, numOut);
    if (!labels.empty() && predicted == labels[sample])
      ++correct;
    if (reference) {
      const float *ref = reference->as<float>().data() + sample * numOut;
      if (predicted == qnn::argmax(ref, numOut))
        ++agree;
      for (int64_t k = 0; k < numOut; ++k)
        maxAbsDiff = std::max(maxAbsDiff,
                              std::fabs(double(logits[k]) - double(ref[k])));
    }
    progress.update(done + 1);
  }
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  result.samples = total;
  if (saving)
    if (llvm::Error err = runtime::writeNpy(options.saveOutputsPath, saved))
      return std::move(err);
  if (!labels.empty() && total)
    result.accuracy = double(correct) / total;
  if (reference && total) {
    result.agreement = double(agree) / total;
    result.maxAbsDiff = maxAbsDiff;
  }
  return result;
}

void qnn::printDatasetResult(const DatasetResult &result,
                             llvm::raw_ostream &os) {
  os << "samples: " << result.samples << "\n";
  if (result.accuracy)
    os << llvm::format("accuracy: %.4f\n", *result.accuracy);
  if (result.agreement)
    os << llvm::format("agreement: %.4f\n", *result.agreement);
  if (result.maxAbsDiff)
    os << llvm::format("max-abs-diff: %.2g\n", *result.maxAbsDiff);
  if (result.seconds > 0)
    os << llvm::format("samples-per-second: %.1f\n",
                       result.samples / result.seconds);
}
