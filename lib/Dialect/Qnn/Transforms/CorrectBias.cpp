//===- CorrectBias.cpp - Bias correction of quantized weights -------------===//
//
// Part of quant-opt. Nagel et al. 2019, section 4.2: quantizing the weights
// W to W^ shifts the expected output of a layer by (W^ - W) E[x]; the bias
// takes it back: b <- b - (W^ - W) E[x]. E[x] per input channel comes from
// the calibration statistics (empirical) or from the batch-norm statistics
// of the producing layer through its activation (analytic).
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"
#include "qnn/Dialect/Qnn/Utils/NormalMoments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallVector.h"

#include <cmath>
#include <limits>

namespace qnn {
#define GEN_PASS_DEF_CORRECTBIAS
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// The analytic E[x] of every channel of `input` (a layer input in the Q
/// form): walk back through mean-preserving ops to the conv2d/dense that
/// produced it and use its batch-norm statistics through its activation.
/// Returns the per-element-of-last-dimension means of `input` (a flatten
/// maps index k to channel k % C).
FailureOr<SmallVector<double>> analyticInputMean(Value input,
                                                 std::string &why) {
  int64_t width = cast<RankedTensorType>(input.getType()).getShape().back();
  Value v = input;
  ActivationAttr standalone;
  while (Operation *def = v.getDefiningOp()) {
    if (isa<AvgPool2DOp, GlobalAvgPoolOp, ReshapeOp>(def)) {
      v = def->getOperand(0);
      continue;
    }
    if (auto act = dyn_cast<ActivationOp>(def)) {
      if (standalone) {
        why = "two standalone activations before the layer";
        return failure();
      }
      standalone = act.getKind();
      v = act.getInput();
      continue;
    }
    break;
  }
  Operation *producer = v.getDefiningOp();
  if (!producer || !isa<Conv2DOp, DenseOp>(producer)) {
    why = "its input does not come from a conv2d or dense through "
          "mean-preserving ops";
    return failure();
  }
  auto mean = producer->getAttrOfType<DenseF64ArrayAttr>(kPreactivationMeanAttr);
  auto stddev =
      producer->getAttrOfType<DenseF64ArrayAttr>(kPreactivationStdAttr);
  if (!mean || !stddev) {
    why = "its producer has no batch-norm statistics (--fold-batchnorm)";
    return failure();
  }
  ActivationAttr fused = producer->getAttrOfType<ActivationAttr>("activation");
  int64_t channels = mean.size();
  if (width % channels != 0) {
    why = "its input width is not a multiple of the producer's channels";
    return failure();
  }
  SmallVector<double> perChannel;
  for (int64_t c = 0; c < channels; ++c) {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    for (ActivationAttr act : {fused, standalone}) {
      if (!act || act.getKind() == ActivationKind::None)
        continue;
      auto [l, h] = act.getBounds(c);
      lo = std::max(lo, l);
      hi = std::min(hi, h);
    }
    perChannel.push_back(clippedNormalMean(mean[c], stddev[c], lo, hi));
  }
  SmallVector<double> result;
  for (int64_t k = 0; k < width; ++k)
    result.push_back(perChannel[k % channels]);
  return result;
}

/// W^ - W of a Q-form layer weight: W^ from the integer codes and the
/// quantized type, W from the `qnn.float_weight` --quantize left.
FailureOr<SmallVector<double>> weightError(Value weight, std::string &why) {
  auto scast = weight.getDefiningOp<quant::StorageCastOp>();
  DenseIntElementsAttr codes;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&codes))) {
    why = "its weight is not an integer constant behind a quant.scast";
    return failure();
  }
  auto floats = scast->getAttrOfType<ElementsAttr>(kFloatWeightAttr);
  FailureOr<SmallVector<float>> w =
      floats ? readF32Elements(floats) : FailureOr<SmallVector<float>>();
  if (!floats || failed(w) ||
      static_cast<int64_t>(w->size()) != codes.getNumElements()) {
    why = "its weight has no float values (qnn.float_weight, left by "
          "--quantize)";
    return failure();
  }
  Type element = getElementTypeOrSelf(weight.getType());
  int64_t numOut = cast<RankedTensorType>(weight.getType()).getShape()[0];
  int64_t perOut = codes.getNumElements() / numOut;
  SmallVector<double> scales(numOut);
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    for (int64_t o = 0; o < numOut; ++o)
      scales[o] = perAxis.getScales()[o];
  } else if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element)) {
    scales.assign(numOut, perTensor.getScale());
  } else {
    why = "its weight type is not uniform quantized";
    return failure();
  }
  SmallVector<double> error;
  error.reserve(w->size());
  for (auto [i, q] : llvm::enumerate(codes.getValues<APInt>()))
    error.push_back(static_cast<double>(q.getSExtValue()) * scales[i / perOut] -
                    static_cast<double>((*w)[i]));
  return error;
}

/// For each filter tap (kh, kw) of a conv2d, the fraction of output
/// positions at which it reads the input rather than padding; 1 for dense.
/// The shift of the mean output over all positions is the tap-weighted sum,
/// so the correction stays exact on average where zero padding covers a
/// large part of a small feature map (VWW's last layers are 3x3).
SmallVector<double> tapFractions(Operation *op) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv)
    return {1.0};
  ArrayRef<int64_t> in = conv.getInput().getType().getShape();
  ArrayRef<int64_t> out = conv.getType().getShape();
  ArrayRef<int64_t> filter = conv.getFilter().getType().getShape();
  PaddingAttr pad = conv.getPadding();
  ArrayRef<int64_t> strides = conv.getStrides(), dilations = conv.getDilations();
  auto inside = [](int64_t outSize, int64_t inSize, int64_t k, int64_t stride,
                   int64_t dilation, int64_t before) {
    int64_t count = 0;
    for (int64_t o = 0; o < outSize; ++o) {
      int64_t i = o * stride + k * dilation - before;
      count += i >= 0 && i < inSize;
    }
    return count;
  };
  SmallVector<double> fractions;
  double positions = static_cast<double>(out[1] * out[2]);
  for (int64_t kh = 0; kh < filter[1]; ++kh)
    for (int64_t kw = 0; kw < filter[2]; ++kw)
      fractions.push_back(
          inside(out[1], in[1], kh, strides[0], dilations[0], pad.getTop()) *
          inside(out[2], in[2], kw, strides[1], dilations[1], pad.getLeft()) /
          positions);
  return fractions;
}

struct CorrectBiasPass : qnn::impl::CorrectBiasBase<CorrectBiasPass> {
  using CorrectBiasBase::CorrectBiasBase;

  void runOnOperation() override {
    if (mode != "empirical" && mode != "analytic") {
      getOperation()->emitError("--correct-bias: unknown mode '")
          << mode << "', expected empirical or analytic";
      return signalPassFailure();
    }
    SmallVector<Operation *> layers;
    getOperation()->walk([&](Operation *op) {
      if (isa<Conv2DOp, DenseOp>(op) &&
          isa<quant::QuantizedType>(
              getElementTypeOrSelf(op->getResult(0).getType())))
        layers.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : layers) {
      std::string why;
      FailureOr<SmallVector<double>> error = weightError(op->getOperand(1), why);
      FailureOr<SmallVector<double>> mean = failure();
      if (succeeded(error)) {
        if (mode == "analytic") {
          mean = analyticInputMean(op->getOperand(0), why);
        } else if (auto m = op->getAttrOfType<DenseF64ArrayAttr>(
                       kInputMeanAttr)) {
          mean = SmallVector<double>(m.asArrayRef());
        } else {
          why = "its input has no calibrated per-channel mean "
                "(qnn.input_mean: statistics with channel_mean before "
                "--quantize)";
        }
      }
      if (failed(error) || failed(mean)) {
        if (report)
          op->emitRemark("bias not corrected: ") << why;
        continue;
      }
      auto weightType = cast<RankedTensorType>(op->getOperand(1).getType());
      ArrayRef<int64_t> shape = weightType.getShape();
      int64_t numOut = shape[0], inPerGroup = shape.back();
      int64_t spatial = shape.size() == 4 ? shape[1] * shape[2] : 1;
      int64_t groups =
          isa<Conv2DOp>(op) ? cast<Conv2DOp>(op).getGroups() : 1;
      int64_t outPerGroup = numOut / groups;
      SmallVector<double> bias(numOut, 0.0);
      if (op->getNumOperands() > 2) {
        FailureOr<SmallVector<float>> b = readF32Constant(op->getOperand(2));
        if (failed(b)) {
          if (report)
            op->emitRemark("bias not corrected: its bias is not an f32 "
                           "constant");
          continue;
        }
        for (auto [o, v] : llvm::enumerate(*b))
          bias[o] = v;
      }
      SmallVector<double> taps = tapFractions(op);
      double largest = 0;
      for (int64_t o = 0; o < numOut; ++o) {
        int64_t base = (o / outPerGroup) * inPerGroup;
        double shift = 0;
        for (int64_t k = 0; k < spatial; ++k)
          for (int64_t c = 0; c < inPerGroup; ++c)
            shift += taps[k] * (*error)[(o * spatial + k) * inPerGroup + c] *
                     (*mean)[base + c];
        bias[o] -= shift;
        largest = std::max(largest, std::fabs(shift));
      }
      rewriter.setInsertionPoint(op);
      auto biasType = RankedTensorType::get({numOut}, rewriter.getF32Type());
      SmallVector<float> values(bias.begin(), bias.end());
      Value newBias = arith::ConstantOp::create(
          rewriter, op->getLoc(), biasType,
          DenseElementsAttr::get(biasType, ArrayRef<float>(values)));
      Value oldBias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
      rewriter.modifyOpInPlace(op, [&] {
        if (oldBias)
          op->setOperand(2, newBias);
        else
          op->insertOperands(2, newBias);
      });
      if (oldBias)
        if (auto constant = oldBias.getDefiningOp<arith::ConstantOp>();
            constant && constant->use_empty())
          rewriter.eraseOp(constant);
      ++numCorrected;
      if (report)
        op->emitRemark() << "bias corrected (" << mode
                         << "), largest shift " << largest;
    }
  }
};

} // namespace
