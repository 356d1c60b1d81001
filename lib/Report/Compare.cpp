//===- Compare.cpp - Float and quantized layer outputs side by side -------===//
//
// Part of quant-opt. Both models are instrumented like calibration does
// (qnn::exposeNamedTensors): each layer output becomes an extra result of
// the entry. Quantized outputs are dequantized in the model itself
// (quant.dcast of the Q-form value, real = scale * (q - zero point)) before
// the integer passes, so that the JIT-compiled integer program hands back
// exactly the values its layers compute, as floats.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"
#include "qnn/Execution/Dataset.h"
#include "qnn/Execution/ModelRunner.h"
#include "qnn/Report/Report.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;
using namespace qnn::report;

double LayerError::sqnrDb() const {
  if (noise == 0)
    return std::numeric_limits<double>::infinity();
  if (signal == 0)
    return -std::numeric_limits<double>::infinity();
  return 10 * std::log10(signal / noise);
}

/// Makes the result of every conv2d / dense of @entry named in `layers` an
/// extra result (a per-tensor quantized one through quant.dcast to f32).
/// Returns, per name of `layers`, the index of its extra result among the
/// extra ones, or -1 when that layer has no such output.
static llvm::Expected<std::vector<int>>
exposeLayerOutputs(ModuleOp module, StringRef entry,
                   ArrayRef<std::string> layers) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || !func.getBody().hasOneBlock())
    return llvm::createStringError("no single-block function @%s",
                                   entry.str().c_str());
  llvm::StringMap<unsigned> wanted;
  for (auto [i, name] : llvm::enumerate(layers))
    wanted[name] = i;
  std::vector<int> slot(layers.size(), -1);
  SmallVector<Value> extra;
  func.walk([&](Operation *op) {
    if (!isa<Conv2DOp, DenseOp>(op))
      return;
    Value result = op->getResult(0);
    std::optional<std::string> name = getTensorName(result);
    auto it = name ? wanted.find(*name) : wanted.end();
    if (it == wanted.end() || slot[it->second] >= 0)
      return;
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !type.hasStaticShape())
      return;
    Value exposed;
    if (type.getElementType().isF32()) {
      exposed = result;
    } else if (isa<quant::UniformQuantizedType>(type.getElementType())) {
      OpBuilder b(op->getContext());
      b.setInsertionPointAfter(op);
      exposed = quant::DequantizeCastOp::create(
          b, UnknownLoc::get(op->getContext()),
          type.clone(b.getF32Type()), result);
    } else {
      return;
    }
    slot[it->second] = static_cast<int>(extra.size());
    extra.push_back(exposed);
  });
  auto returnOp = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  SmallVector<Value> results(returnOp.getOperands());
  results.append(extra.begin(), extra.end());
  OpBuilder builder(returnOp);
  func::ReturnOp::create(builder, returnOp.getLoc(), results);
  returnOp.erase();
  func.setFunctionType(builder.getFunctionType(
      func.getArgumentTypes(), ValueRange(results).getTypes()));
  return slot;
}

namespace {
/// A JIT-compiled instrumented model with its output buffers.
struct InstrumentedModel {
  std::unique_ptr<ModelRunner> runner;
  std::vector<int> slots;
  size_t numOriginal = 0;
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<void *> pointers;

  const float *layer(size_t i) const {
    return reinterpret_cast<const float *>(
        buffers[numOriginal + slots[i]].data());
  }
  const TensorSpec &layerSpec(size_t i) const {
    return runner->getOutputs()[numOriginal + slots[i]];
  }
};
} // namespace

static llvm::Expected<InstrumentedModel>
instrument(ModuleOp module, ArrayRef<std::string> layers,
           StringRef integerPasses, const ReportOptions &options,
           StringRef what) {
  OwningOpRef<ModuleOp> clone(module.clone());
  auto func = clone->lookupSymbol<func::FuncOp>(options.entry);
  if (!func)
    return llvm::createStringError("the %s model has no function @%s",
                                   what.str().c_str(), options.entry.c_str());
  InstrumentedModel model;
  model.numOriginal = func.getNumResults();
  auto slots = exposeLayerOutputs(*clone, options.entry, layers);
  if (!slots)
    return slots.takeError();
  model.slots = std::move(*slots);
  if (!integerPasses.empty()) {
    PassManager pm(clone->getContext());
    std::string message;
    llvm::raw_string_ostream os(message);
    if (failed(parsePassPipeline(integerPasses, pm, os)))
      return llvm::createStringError("bad pass pipeline '%s': %s",
                                     integerPasses.str().c_str(),
                                     message.c_str());
    if (failed(pm.run(*clone)))
      return llvm::createStringError(
          "'%s' failed on the instrumented %s model (see the diagnostics "
          "above)",
          integerPasses.str().c_str(), what.str().c_str());
  }
  auto runner =
      ModelRunner::create(std::move(clone), options.entry, options.optLevel);
  if (!runner)
    return runner.takeError();
  model.runner = std::move(*runner);
  for (const TensorSpec &spec : model.runner->getOutputs()) {
    model.buffers.emplace_back(spec.numBytes());
    model.pointers.push_back(model.buffers.back().data());
  }
  return model;
}

llvm::Expected<Comparison>
qnn::report::compareModels(ModuleOp floatModule, ModuleOp quantizedModule,
                           ArrayRef<std::string> layers,
                           const ReportOptions &options) {
  auto floatModel = instrument(floatModule, layers, "", options, "float");
  if (!floatModel)
    return floatModel.takeError();
  auto quantModel = instrument(quantizedModule, layers, options.integerPasses,
                               options, "quantized");
  if (!quantModel)
    return quantModel.takeError();
  ModelRunner &floatRunner = *floatModel->runner;
  ModelRunner &quantRunner = *quantModel->runner;
  if (floatRunner.getInputs().size() != 1 || floatModel->numOriginal < 1)
    return llvm::createStringError(
        "the report runs models with one input and a result, @%s has %zu "
        "inputs and %zu results",
        options.entry.c_str(), floatRunner.getInputs().size(),
        floatModel->numOriginal);
  for (ModelRunner *runner : {&floatRunner, &quantRunner})
    if (runner->getOutputs()[0].dtype != runtime::DType::F32)
      return llvm::createStringError(
          "the report compares float32 results, result 0 of @%s is %s",
          options.entry.c_str(),
          runner->getOutputs()[0].describe().c_str());
  const TensorSpec &inSpec = floatRunner.getInputs()[0];
  if (quantRunner.getInputs().size() != 1 ||
      quantRunner.getInputs()[0].describe() != inSpec.describe() ||
      quantRunner.getOutputs()[0].describe() !=
          floatRunner.getOutputs()[0].describe())
    return llvm::createStringError(
        "the float and quantized models have different signatures");

  Comparison comparison;
  std::vector<size_t> measured;
  for (auto [i, name] : llvm::enumerate(layers)) {
    LayerError error;
    error.name = name;
    if (floatModel->slots[i] >= 0 && quantModel->slots[i] >= 0) {
      if (floatModel->layerSpec(i).describe() !=
          quantModel->layerSpec(i).describe())
        return llvm::createStringError(
            "layer '%s' is %s in the float model but %s in the quantized "
            "one",
            name.c_str(), floatModel->layerSpec(i).describe().c_str(),
            quantModel->layerSpec(i).describe().c_str());
      error.measured = true;
      measured.push_back(i);
    }
    comparison.layers.push_back(std::move(error));
  }

  auto npz = runtime::NpzFile::open(options.datasetPath);
  if (!npz)
    return npz.takeError();
  auto samples = loadDatasetSamples(*npz, options.inputKey, options.indicesKey,
                                    /*limit=*/-1, inSpec);
  if (!samples)
    return samples.takeError();
  auto labelsOr =
      loadDatasetLabels(*npz, options.labelKey, samples->numSamples());
  if (!labelsOr)
    return labelsOr.takeError();
  std::vector<int64_t> labels = std::move(*labelsOr);

  int64_t numLogits = floatRunner.getOutputs()[0].numElements();
  int64_t floatCorrect = 0, quantCorrect = 0, agree = 0;
  for (int64_t sample : samples->indices) {
    if (llvm::Error err =
            floatRunner.run({samples->sample(sample)}, floatModel->pointers))
      return std::move(err);
    if (llvm::Error err =
            quantRunner.run({samples->sample(sample)}, quantModel->pointers))
      return std::move(err);
    for (size_t i : measured) {
      const float *x = floatModel->layer(i);
      const float *xq = quantModel->layer(i);
      LayerError &error = comparison.layers[i];
      for (int64_t k = 0, e = floatModel->layerSpec(i).numElements(); k < e;
           ++k) {
        double d = double(x[k]) - double(xq[k]);
        error.signal += double(x[k]) * double(x[k]);
        error.noise += d * d;
      }
    }
    int64_t floatClass = qnn::argmax(
        reinterpret_cast<const float *>(floatModel->buffers[0].data()),
        numLogits);
    int64_t quantClass = qnn::argmax(
        reinterpret_cast<const float *>(quantModel->buffers[0].data()),
        numLogits);
    agree += floatClass == quantClass;
    if (!labels.empty()) {
      floatCorrect += floatClass == labels[sample];
      quantCorrect += quantClass == labels[sample];
    }
  }
  int64_t total = samples->indices.size();
  comparison.samples = total;
  if (total) {
    comparison.agreement = double(agree) / total;
    if (!labels.empty()) {
      comparison.floatAccuracy = double(floatCorrect) / total;
      comparison.quantizedAccuracy = double(quantCorrect) / total;
    }
  }
  return comparison;
}
