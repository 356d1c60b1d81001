//===- LayerParams.cpp - Float weights of conv2d and dense ----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "LayerParams.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

float LayerParams::outputRange(int64_t o) const {
  float r = 0;
  for (int64_t i = 0; i < perOut(); ++i)
    r = std::max(r, std::fabs(weight[o * perOut() + i]));
  return r;
}

FailureOr<LayerParams> qnn::readLayerParams(Operation *op) {
  Value weight, bias;
  LayerParams params;
  params.op = op;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    weight = conv.getFilter();
    bias = conv.getBias();
    params.groups = conv.getGroups();
  } else if (auto dense = dyn_cast<DenseOp>(op)) {
    weight = dense.getWeight();
    bias = dense.getBias();
  } else {
    return failure();
  }
  if (!getElementTypeOrSelf(op->getResult(0).getType()).isF32())
    return failure();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(weight.getType()).getShape();
  FailureOr<SmallVector<float>> w = readF32Constant(weight);
  if (failed(w))
    return failure();
  params.weight = std::move(*w);
  params.numOut = shape.front();
  params.inPerGroup = shape.back();
  params.spatial = shape.size() == 4 ? shape[1] * shape[2] : 1;
  params.bias.assign(params.numOut, 0.0f);
  if (bias) {
    FailureOr<SmallVector<float>> b = readF32Constant(bias);
    if (failed(b) || static_cast<int64_t>(b->size()) != params.numOut)
      return failure();
    params.bias = std::move(*b);
  }
  return params;
}

/// An f32 constant of `type` holding `values`: a dense_resource blob named
/// `blobName` like the importer's weights, inline `dense` for the small
/// tensors of hand-written tests (at most 16 elements), which stay readable.
static Value createF32Constant(RewriterBase &rewriter, Location loc,
                               RankedTensorType type, ArrayRef<float> values,
                               StringRef blobName) {
  if (values.size() <= 16)
    return arith::ConstantOp::create(
        rewriter, loc, type, DenseElementsAttr::get(type, values));
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(values);
  auto attr = DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  return arith::ConstantOp::create(rewriter, loc, type, attr);
}

void qnn::writeLayerParams(RewriterBase &rewriter, const LayerParams &params,
                           StringRef tag) {
  Operation *op = params.op;
  std::string name = getTensorName(op->getLoc()).value_or("layer");
  rewriter.setInsertionPoint(op);
  Value weight = op->getOperand(1);
  auto weightType = cast<RankedTensorType>(weight.getType());
  Value newWeight =
      createF32Constant(rewriter, weight.getLoc(), weightType, params.weight,
                        name + "." + tag.str() + ".w");
  auto biasType = RankedTensorType::get({params.numOut},
                                        rewriter.getF32Type());
  Location biasLoc =
      op->getNumOperands() > 2 ? op->getOperand(2).getLoc() : op->getLoc();
  // A layer without bias gets one only when it is no longer zero.
  bool needsBias = op->getNumOperands() > 2 ||
                   llvm::any_of(params.bias, [](float b) { return b != 0; });
  Value newBias =
      needsBias ? createF32Constant(rewriter, biasLoc, biasType, params.bias,
                                    name + "." + tag.str() + ".b")
                : Value();
  SmallVector<Value> old(op->getOperands().drop_front());
  rewriter.modifyOpInPlace(op, [&] {
    op->setOperand(1, newWeight);
    if (op->getNumOperands() > 2)
      op->setOperand(2, newBias);
    else if (newBias)
      op->insertOperands(2, newBias);
  });
  for (Value v : old)
    eraseIfUnusedConstant(rewriter, v);
}

void qnn::eraseIfUnusedConstant(RewriterBase &rewriter, Value value) {
  if (auto constant = value.getDefiningOp<arith::ConstantOp>())
    if (constant->use_empty())
      rewriter.eraseOp(constant);
}

bool qnn::isFloatLayer(Operation *op) {
  return isa<Conv2DOp, DenseOp>(op) &&
         getElementTypeOrSelf(op->getResult(0).getType()).isF32();
}

/// A reshape from [N, H, W, C] to [N, H * W * C] (NHWC flatten).
static bool isFlatten(ReshapeOp op) {
  auto in = op.getInput().getType();
  auto out = op.getType();
  return in.getRank() == 4 && out.getRank() == 2 &&
         in.getDimSize(0) == out.getDimSize(0);
}

/// Float ops that act on each channel separately, commute with a positive
/// per-channel scale and keep the channel last.
static bool isChannelwise(Operation *op) {
  if (isa<StatsOp, ActivationOp, MaxPool2DOp, AvgPool2DOp, GlobalAvgPoolOp>(
          op))
    return getElementTypeOrSelf(op->getResult(0).getType()).isF32();
  if (auto pad = dyn_cast<PadOp>(op))
    return pad.getMode() == PadMode::Constant &&
           pad.getValue().convertToDouble() == 0.0 &&
           getElementTypeOrSelf(pad.getType()).isF32();
  return false;
}

FailureOr<LayerLink> qnn::findLayerLink(Operation *producer,
                                        std::string &why) {
  LayerLink link;
  link.producer = producer;
  link.channels = cast<RankedTensorType>(producer->getResult(0).getType())
                      .getShape()
                      .back();
  Value v = producer->getResult(0);
  bool flattened = false;
  while (!v.use_empty() && v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    if (isa<StatsOp>(user) || (!flattened && isChannelwise(user))) {
      link.chain.push_back(user);
      v = user->getResult(0);
      continue;
    }
    if (auto reshape = dyn_cast<ReshapeOp>(user);
        reshape && !flattened && isFlatten(reshape)) {
      link.chain.push_back(user);
      flattened = true;
      v = user->getResult(0);
      continue;
    }
    break;
  }
  if (v.use_empty()) {
    why = "its result is unused";
    return failure();
  }
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (!isFloatLayer(user) || use.getOperandNumber() != 0 ||
        (flattened && !isa<DenseOp>(user))) {
      std::optional<std::string> name = getTensorName(user->getLoc());
      why = "its output reaches '" + user->getName().getStringRef().str() +
            "'" + (name ? " (" + *name + ")" : std::string()) +
            ", which is not the input of a float conv2d or dense";
      return failure();
    }
    link.consumers.push_back(user);
  }
  return link;
}

FailureOr<TensorStatsAttr>
qnn::mapChannelStats(TensorStatsAttr stats, int64_t channels,
                     function_ref<double(int64_t, double)> fn) {
  ArrayRef<double> cmin = stats.getChannelMin().asArrayRef();
  ArrayRef<double> cmax = stats.getChannelMax().asArrayRef();
  ArrayRef<double> cmean = stats.getChannelMean().asArrayRef();
  if (static_cast<int64_t>(cmin.size()) != channels)
    return failure();
  SmallVector<double> nmin, nmax, nmean;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int64_t c = 0; c < channels; ++c) {
    nmin.push_back(fn(c, cmin[c]));
    nmax.push_back(fn(c, cmax[c]));
    nmean.push_back(fn(c, cmean[c]));
    lo = std::min(lo, nmin.back());
    hi = std::max(hi, nmax.back());
  }
  return TensorStatsAttr::get(stats.getContext(), stats.getCount(), lo, hi,
                              {}, {}, nmin, nmax, nmean);
}
