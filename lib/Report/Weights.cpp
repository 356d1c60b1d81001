//===- Weights.cpp - Per-channel weight summaries of the layers -----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"
#include "qnn/Report/Report.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::report;

/// "conv2d 3x3", "depthwise conv2d 3x3, stride 2", "dense".
static std::string describeLayer(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    int64_t groups = conv.getGroups();
    if (groups > 1 && groups == filter.getDimSize(0))
      os << "depthwise ";
    os << "conv2d " << filter.getDimSize(1) << "x" << filter.getDimSize(2);
    if (groups > 1 && groups != filter.getDimSize(0))
      os << ", groups " << groups;
    ArrayRef<int64_t> strides = conv.getStrides();
    if (llvm::any_of(strides, [](int64_t s) { return s != 1; }))
      os << ", stride " << strides[0] << "x" << strides[1];
  } else {
    os << "dense";
  }
  return text;
}

llvm::Expected<std::vector<LayerWeights>>
qnn::report::collectLayerWeights(ModuleOp module, StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function @%s in the module",
                                   entry.str().c_str());
  std::vector<LayerWeights> layers;
  func.walk([&](Operation *op) {
    if (!isa<Conv2DOp, DenseOp>(op))
      return;
    std::optional<std::string> name = getTensorName(op->getResult(0));
    // Weights are operand 1 of both ops, output channel first.
    FailureOr<SmallVector<float>> weights =
        readF32Constant(op->getOperand(1));
    if (!name || failed(weights) || weights->empty())
      return;
    auto type = cast<RankedTensorType>(op->getOperand(1).getType());
    int64_t channels = type.getDimSize(0);
    int64_t perChannel = int64_t(weights->size()) / channels;
    LayerWeights layer;
    layer.name = *name;
    layer.op = describeLayer(op);
    layer.min = layer.max = (*weights)[0];
    for (int64_t c = 0; c < channels; ++c) {
      std::vector<double> values(weights->begin() + c * perChannel,
                                 weights->begin() + (c + 1) * perChannel);
      layer.channels.push_back(summarize(std::move(values)));
      layer.min = std::min(layer.min, layer.channels.back().min);
      layer.max = std::max(layer.max, layer.channels.back().max);
    }
    layers.push_back(std::move(layer));
  });
  return layers;
}
