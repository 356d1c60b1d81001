//===- AbsorbBias.cpp - High-bias absorption ------------------------------===//
//
// Part of quant-opt. Nagel et al. 2019, section 4.1.1: a channel whose
// activation input h is (almost) always above c > 0 can give c to the next
// layer: relu(h) = relu(h - c) + c when h >= c, and the next layer adds
// W2 c to its bias. The activation's range shrinks by c, which matters to
// per-tensor quantization after equalization has scaled channels up.
//
//===----------------------------------------------------------------------===//

#include "LayerParams.h"

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn {
#define GEN_PASS_DEF_ABSORBBIAS
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// The activation whose output is absorbed: the producer's fused one, or a
/// standalone qnn.activation first in the chain. Null when there is none.
ActivationAttr getLinkActivation(const LayerLink &link) {
  auto fused = link.producer->getAttrOfType<ActivationAttr>("activation");
  if (fused && fused.getKind() != ActivationKind::None)
    return fused;
  for (Operation *op : link.chain) {
    if (auto act = dyn_cast<ActivationOp>(op))
      return act.getKind();
    if (!isa<StatsOp>(op))
      break;
  }
  return {};
}

/// The per-channel amounts to absorb, or why not. From the batch-norm
/// statistics of the producer (c = max(0, mean - 3 std)), else from the
/// calibrated per-channel minimum of the activation's output (c = max(0,
/// min)).
FailureOr<SmallVector<double>> getAbsorbable(const LayerLink &link,
                                             ActivationAttr activation,
                                             double sigmas, std::string &why) {
  SmallVector<double> amounts(link.channels, 0.0);
  auto mean = link.producer->getAttrOfType<DenseF64ArrayAttr>(
      kPreactivationMeanAttr);
  auto stddev =
      link.producer->getAttrOfType<DenseF64ArrayAttr>(kPreactivationStdAttr);
  if (mean && stddev && mean.size() == link.channels &&
      stddev.size() == link.channels) {
    for (int64_t i = 0; i < link.channels; ++i)
      amounts[i] = std::max(0.0, mean[i] - sigmas * stddev[i]);
  } else {
    StatsOp stats;
    for (Operation *op : link.chain)
      if (auto s = dyn_cast<StatsOp>(op)) {
        stats = s;
        break;
      }
    if (!stats ||
        stats.getStats().getChannelMin().size() !=
            static_cast<size_t>(link.channels)) {
      why = "no batch-norm statistics (--fold-batchnorm) and no per-channel "
            "calibration minimum on its output";
      return failure();
    }
    for (int64_t i = 0; i < link.channels; ++i)
      amounts[i] = std::max(0.0, stats.getStats().getChannelMin()[i]);
  }
  // What the activation allows: relu6 / clamp(lo, hi) keeps its shape only
  // for c <= hi - lo, and a channel clamped below c stays as it is.
  for (int64_t i = 0; i < link.channels; ++i) {
    auto [lo, hi] = activation.getBounds(i);
    if (lo != 0.0) {
      why = "its activation's lower bound is not 0";
      return failure();
    }
    if (!(amounts[i] < hi))
      amounts[i] = 0;
  }
  return amounts;
}

/// The activation after giving away `c`: relu stays relu (relu(h - c) =
/// relu(h) - c for h >= c); upper bounds move down by c.
ActivationAttr shiftActivation(MLIRContext *ctx, ActivationAttr activation,
                               ArrayRef<double> amounts) {
  if (activation.getKind() == ActivationKind::Relu)
    return activation;
  SmallVector<double> lo, hi;
  for (auto [i, c] : llvm::enumerate(amounts)) {
    auto bounds = activation.getBounds(i);
    lo.push_back(bounds.first);
    hi.push_back(bounds.second - c);
  }
  return ActivationAttr::get(ctx, ActivationKind::Clamp, lo, hi);
}

struct AbsorbBiasPass : qnn::impl::AbsorbBiasBase<AbsorbBiasPass> {
  using AbsorbBiasBase::AbsorbBiasBase;

  void runOnOperation() override {
    if (!(sigmas >= 0 && std::isfinite(sigmas))) {
      getOperation()->emitError("--absorb-bias: sigmas must be finite and "
                                "non-negative, got ")
          << formatReal(sigmas);
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    SmallVector<Operation *> producers;
    getOperation()->walk([&](Operation *op) {
      if (isFloatLayer(op))
        producers.push_back(op);
    });
    llvm::MapVector<Operation *, LayerParams> params;
    for (Operation *producer : producers) {
      std::string why;
      FailureOr<LayerLink> link = findLayerLink(producer, why);
      ActivationAttr activation =
          succeeded(link) ? getLinkActivation(*link) : ActivationAttr();
      if (succeeded(link) && !activation)
        why = "it has no relu, relu6 or clamp activation";
      FailureOr<SmallVector<double>> amounts = failure();
      if (succeeded(link) && activation)
        amounts = getAbsorbable(*link, activation, sigmas, why);
      if (failed(amounts)) {
        if (report)
          producer->emitRemark("no bias absorbed: ") << why;
        continue;
      }
      bool ok = true;
      SmallVector<Operation *> layers = {producer};
      llvm::append_range(layers, link->consumers);
      for (Operation *layer : layers) {
        if (params.count(layer))
          continue;
        FailureOr<LayerParams> p = readLayerParams(layer);
        if (failed(p)) {
          ok = false;
          break;
        }
        params.insert({layer, std::move(*p)});
      }
      if (!ok)
        continue;
      // b1 -= c; b2[o] += sum over the weights reading channel i of w * c_i.
      LayerParams &p1 = params[producer];
      int64_t absorbed = 0;
      for (int64_t i = 0; i < link->channels; ++i) {
        double c = (*amounts)[i];
        if (c == 0)
          continue;
        ++absorbed;
        p1.bias[i] = static_cast<float>(p1.bias[i] - c);
        for (Operation *consumer : link->consumers) {
          LayerParams &p2 = params[consumer];
          SmallVector<double> add(p2.numOut, 0.0);
          forEachWeightOfChannel(p2, i, link->channels,
                                 [&](int64_t o, int64_t k, int64_t ch) {
                                   add[o] += p2.w(o, k, ch) * c;
                                 });
          for (int64_t o = 0; o < p2.numOut; ++o)
            p2.bias[o] = static_cast<float>(p2.bias[o] + add[o]);
        }
      }
      if (!absorbed)
        continue;
      numChannels += absorbed;
      // The activation, the batch-norm mean and the statistics follow.
      auto fused = producer->getAttrOfType<ActivationAttr>("activation");
      if (fused && fused.getKind() != ActivationKind::None)
        producer->setAttr("activation",
                          shiftActivation(ctx, fused, *amounts));
      if (auto mean =
              producer->getAttrOfType<DenseF64ArrayAttr>(kPreactivationMeanAttr);
          mean && mean.size() == link->channels) {
        SmallVector<double> v(mean.asArrayRef());
        for (auto [x, c] : llvm::zip(v, *amounts))
          x -= c;
        producer->setAttr(kPreactivationMeanAttr,
                          DenseF64ArrayAttr::get(ctx, v));
      }
      for (Operation *op : link->chain) {
        if (auto act = dyn_cast<ActivationOp>(op)) {
          act.setKindAttr(shiftActivation(ctx, act.getKind(), *amounts));
        } else if (auto stats = dyn_cast<StatsOp>(op)) {
          ArrayRef<double> c = *amounts;
          FailureOr<TensorStatsAttr> shifted = mapChannelStats(
              stats.getStats(), link->channels,
              [&](int64_t ch, double v) { return v - c[ch]; });
          if (failed(shifted)) {
            stats.emitWarning("statistics dropped: they have no per-channel "
                              "figures to shift; calibrate after "
                              "--absorb-bias");
            rewriter.replaceOp(stats, stats.getInput());
            continue;
          }
          stats.setStatsAttr(*shifted);
        }
      }
      if (report)
        producer->emitRemark() << "absorbed bias of " << absorbed << " of "
                               << link->channels << " channels into "
                               << link->consumers.size() << " layer(s)";
    }
    for (auto &[op, p] : params)
      writeLayerParams(rewriter, p, "hba");
  }
};

} // namespace
