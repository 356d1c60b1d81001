//===- Dataset.cpp - Selecting samples of an .npz dataset -------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Execution/Dataset.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace qnn;

llvm::Expected<DatasetSamples>
qnn::loadDatasetSamples(const runtime::NpzFile &npz,
                        const std::string &inputKey,
                        const std::string &indicesKey, int64_t limit,
                        const TensorSpec &input) {
  std::string path = npz.getPath().str();
  if (input.shape.empty() || input.shape[0] != 1)
    return llvm::createStringError(
        "the model runs one sample at a time: its input must have batch "
        "size 1, got %s",
        input.describe().c_str());
  DatasetSamples samples;
  auto x = npz.get(inputKey);
  if (!x)
    return x.takeError();
  llvm::ArrayRef<int64_t> sampleShape =
      llvm::ArrayRef<int64_t>(input.shape).drop_front();
  if (x->dtype != input.dtype || x->shape.empty() ||
      llvm::ArrayRef<int64_t>(x->shape).drop_front() != sampleShape)
    return llvm::createStringError(
        "%s: key '%s' holds %s, but the model takes samples of %s (expected "
        "%s[N, ...] with the model's shape after the batch dimension)",
        path.c_str(), inputKey.c_str(), x->describe().c_str(),
        input.describe().c_str(), runtime::getDTypeName(input.dtype).data());
  samples.x = std::move(*x);
  samples.sampleBytes = input.numBytes();
  int64_t numSamples = samples.numSamples();

  if (!indicesKey.empty()) {
    auto arr = npz.get(indicesKey);
    if (!arr)
      return arr.takeError();
    auto values =
        runtime::toInt64(*arr, path + ": key '" + indicesKey + "'");
    if (!values)
      return values.takeError();
    samples.indices = std::move(*values);
    for (int64_t i : samples.indices)
      if (i < 0 || i >= numSamples)
        return llvm::createStringError(
            "%s: key '%s' holds index %lld, outside [0, %lld)", path.c_str(),
            indicesKey.c_str(), (long long)i, (long long)numSamples);
  } else {
    for (int64_t i = 0; i < numSamples; ++i)
      samples.indices.push_back(i);
  }
  if (limit >= 0 && static_cast<int64_t>(samples.indices.size()) > limit)
    samples.indices.resize(limit);
  return samples;
}

llvm::Expected<std::vector<int64_t>>
qnn::loadDatasetLabels(const runtime::NpzFile &npz,
                       const std::string &labelKey, int64_t numSamples) {
  std::vector<int64_t> labels;
  if (labelKey.empty())
    return labels;
  std::string path = npz.getPath().str();
  auto array = npz.get(labelKey);
  if (!array)
    return array.takeError();
  auto values = runtime::toInt64(*array, path + ": key '" + labelKey + "'");
  if (!values)
    return values.takeError();
  labels = std::move(*values);
  if (static_cast<int64_t>(labels.size()) != numSamples)
    return llvm::createStringError(
        "%s: key '%s' has %zu labels for %lld samples", path.c_str(),
        labelKey.c_str(), labels.size(), (long long)numSamples);
  return labels;
}

ProgressReporter::ProgressReporter(std::string verb, int64_t total,
                                   bool enabled, std::string tool)
    : verb(std::move(verb)), tool(std::move(tool)), total(total),
      enabled(enabled && total > 0),
      tty(llvm::sys::Process::StandardErrIsDisplayed()) {}

ProgressReporter::~ProgressReporter() {
  if (enabled && tty && lastPercent >= 0)
    llvm::errs() << "\n";
}

void ProgressReporter::update(int64_t done) {
  if (!enabled)
    return;
  int64_t percent = done * 100 / total;
  if (percent == lastPercent || (!tty && percent % 10 != 0))
    return;
  llvm::errs() << (tty ? "\r" : "") << tool << ": " << verb << " " << done
               << "/" << total << " samples (" << percent << "%)"
               << (tty ? "" : "\n");
  lastPercent = percent;
}
