//===- Calibrate.cpp - Collecting statistics by running the model -----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Execution/Calibrate.h"
#include "qnn/Calibration/Observer.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"
#include "qnn/Execution/Dataset.h"
#include "qnn/Execution/ModelRunner.h"
#include "qnn/Runtime/NumpyIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
using namespace qnn;

/// A calibratable value: a statically shaped f32 tensor.
static bool isObservable(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

llvm::Expected<std::vector<ObservedTensor>>
qnn::exposeNamedTensors(ModuleOp module, StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function @%s in the module",
                                   entry.str().c_str());
  if (!func.getBody().hasOneBlock())
    return llvm::createStringError("@%s must have a single block",
                                   entry.str().c_str());

  // Values whose activations feed a layer's input: per-channel statistics.
  llvm::DenseSet<Value> layerInputs;
  func.walk([&](Operation *op) {
    if (auto conv = dyn_cast<Conv2DOp>(op))
      layerInputs.insert(conv.getInput());
    else if (auto dense = dyn_cast<DenseOp>(op))
      layerInputs.insert(dense.getInput());
  });

  std::vector<ObservedTensor> observed;
  SmallVector<Value> values;
  llvm::StringSet<> seen;
  auto consider = [&](Value value) {
    if (!isObservable(value))
      return;
    std::optional<std::string> name = getTensorName(value);
    if (!name || !seen.insert(*name).second)
      return;
    ObservedTensor tensor;
    tensor.name = *name;
    auto type = cast<RankedTensorType>(value.getType());
    if (layerInputs.contains(value) && type.getRank() > 0)
      tensor.channels = type.getShape().back();
    observed.push_back(std::move(tensor));
    values.push_back(value);
  };
  for (BlockArgument arg : func.getArguments())
    consider(arg);
  func.walk([&](Operation *op) {
    if (isa_and_nonnull<QnnDialect>(op->getDialect()))
      for (Value result : op->getResults())
        consider(result);
  });

  auto returnOp = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  SmallVector<Value> results(returnOp.getOperands());
  results.append(values.begin(), values.end());
  OpBuilder builder(returnOp);
  func::ReturnOp::create(builder, returnOp.getLoc(), results);
  returnOp.erase();
  func.setFunctionType(builder.getFunctionType(
      func.getArgumentTypes(), ValueRange(results).getTypes()));
  return observed;
}

llvm::Expected<calib::CalibrationTable>
qnn::calibrate(OwningOpRef<ModuleOp> module, StringRef entry,
               const CalibrateOptions &options) {
  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function @%s in the module",
                                   entry.str().c_str());
  size_t numOriginal = func.getNumResults();
  auto observed = exposeNamedTensors(*module, entry);
  if (!observed)
    return observed.takeError();

  auto runner = ModelRunner::create(std::move(module), entry, options.optLevel);
  if (!runner)
    return runner.takeError();
  if ((*runner)->getInputs().size() != 1)
    return llvm::createStringError(
        "calibration runs models with one input, @%s has %zu",
        entry.str().c_str(), (*runner)->getInputs().size());
  const TensorSpec &inSpec = (*runner)->getInputs()[0];
  if (inSpec.dtype != runtime::DType::F32)
    return llvm::createStringError("calibration runs float models, the "
                                   "input is %s",
                                   inSpec.describe().c_str());
  auto npz = runtime::NpzFile::open(options.datasetPath);
  if (!npz)
    return npz.takeError();
  auto samples = loadDatasetSamples(*npz, options.inputKey, options.indicesKey,
                                    options.limit, inSpec);
  if (!samples)
    return samples.takeError();

  std::vector<calib::TensorObserver> observers;
  for (const ObservedTensor &t : *observed)
    observers.emplace_back(t.name, t.channels, options.bins);

  ArrayRef<TensorSpec> outputs = (*runner)->getOutputs();
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<void *> outputPtrs;
  for (const TensorSpec &spec : outputs) {
    buffers.emplace_back(spec.numBytes());
    outputPtrs.push_back(buffers.back().data());
  }
  int64_t total = samples->indices.size();
  ProgressReporter progress("calibrated", total, options.progress);
  auto start = std::chrono::steady_clock::now();
  for (int64_t done = 0; done < total; ++done) {
    int64_t sample = samples->indices[done];
    if (llvm::Error err =
            (*runner)->run({samples->sample(sample)}, outputPtrs))
      return std::move(err);
    for (size_t i = 0; i < observers.size(); ++i) {
      const TensorSpec &spec = outputs[numOriginal + i];
      auto *data =
          reinterpret_cast<const float *>(buffers[numOriginal + i].data());
      if (!observers[i].observe(data, spec.numElements()))
        return llvm::createStringError(
            "tensor '%s' holds a NaN or infinity on sample %lld of %s",
            observers[i].getName().str().c_str(), (long long)sample,
            options.datasetPath.c_str());
    }
    progress.update(done + 1);
  }
  if (options.loopSeconds)
    *options.loopSeconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();

  calib::CalibrationTable table;
  table.producer = "quant-run";
  for (const calib::TensorObserver &observer : observers)
    table.tensors.push_back(observer.finish());
  if (std::optional<std::string> dup = table.sortAndCheckUnique())
    return llvm::createStringError("tensor name '%s' appears twice",
                                   dup->c_str());
  return table;
}
