//===- Equalize.cpp - Cross-layer weight equalization ---------------------===//
//
// Part of quant-opt. Nagel et al. 2019, "Data-Free Quantization Through
// Weight Equalization and Bias Correction", section 4.1: output channel i of
// a layer is divided by s_i and the matching input channel of the next
// layer multiplied by s_i, s_i = sqrt(r1_i / r2_i), iterated over all pairs
// until the scales settle. docs/DataFreeQuantization.md has the rules.
//
//===----------------------------------------------------------------------===//

#include "LayerParams.h"

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn {
#define GEN_PASS_DEF_EQUALIZE
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// An equalized link and its cumulative per-channel scales.
struct Link : LayerLink {
  explicit Link(LayerLink base) : LayerLink(std::move(base)) {
    scale.assign(channels, 1.0);
  }
  /// Cumulative scale s_i of every channel.
  SmallVector<double> scale;
  /// Channels left at s = 1 because their range is (nearly) zero.
  int64_t numDead = 0;
  /// Channels the consumers ignore, scaled down to max-scale.
  int64_t numIgnored = 0;
};

/// max / median of the per-output-channel ranges of a layer, over its live
/// channels (range above `deadRange` times the largest): how unequal they
/// are (1 is perfectly equalized), what per-tensor quantization suffers.
double rangeSpread(const LayerParams &params, double deadRange) {
  SmallVector<double> ranges;
  for (int64_t o = 0; o < params.numOut; ++o)
    ranges.push_back(params.outputRange(o));
  double largest = *std::max_element(ranges.begin(), ranges.end());
  SmallVector<double> live;
  for (double r : ranges)
    if (r > deadRange * largest)
      live.push_back(r);
  if (live.empty())
    return 1.0;
  llvm::sort(live);
  return live.back() / live[(live.size() - 1) / 2];
}

std::string formatSpread(double v) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.3g", v);
  return text;
}

/// `activation` with channel c's bounds divided by scale[c].
ActivationAttr scaleActivation(MLIRContext *ctx, ActivationAttr activation,
                               ArrayRef<double> scale) {
  if (!activation || activation.getKind() == ActivationKind::None ||
      activation.getKind() == ActivationKind::Relu)
    return activation;
  SmallVector<double> lo, hi;
  for (auto [c, s] : llvm::enumerate(scale)) {
    auto [l, h] = activation.getBounds(c);
    lo.push_back(l / s);
    hi.push_back(h / s);
  }
  return ActivationAttr::get(ctx, ActivationKind::Clamp, lo, hi);
}

struct EqualizePass : qnn::impl::EqualizeBase<EqualizePass> {
  using EqualizeBase::EqualizeBase;

  void runOnOperation() override;

private:
  /// One round over all links; returns the largest |log s| applied.
  double equalizeOnce(SmallVectorImpl<Link> &links,
                      llvm::MapVector<Operation *, LayerParams> &params,
                      bool countDead);
};

double EqualizePass::equalizeOnce(
    SmallVectorImpl<Link> &links,
    llvm::MapVector<Operation *, LayerParams> &params, bool countDead) {
  double largest = 0;
  for (Link &link : links) {
    LayerParams &p1 = params[link.producer];
    SmallVector<double> r1(link.channels, 0.0), r2(link.channels, 0.0);
    for (int64_t i = 0; i < link.channels; ++i) {
      r1[i] = p1.outputRange(i);
      for (Operation *consumer : link.consumers) {
        LayerParams &p2 = params[consumer];
        forEachWeightOfChannel(p2, i, link.channels,
                               [&](int64_t o, int64_t k, int64_t c) {
                                 r2[i] = std::max<double>(
                                     r2[i], std::fabs(p2.w(o, k, c)));
                               });
      }
    }
    double max1 = *std::max_element(r1.begin(), r1.end());
    double max2 = *std::max_element(r2.begin(), r2.end());
    for (int64_t i = 0; i < link.channels; ++i) {
      // A dead channel (its weights ~0, its output carried by the bias
      // alone) keeps s = 1: dividing by a range of 1e-31 would inflate that
      // bias. A channel the consumers ignore (their weights on it ~0) is
      // scaled down as far as allowed: nothing reads it, and its weights no
      // longer set the layer's per-tensor range.
      double s;
      if (!(r1[i] > deadRange * max1)) {
        link.numDead += countDead;
        continue;
      }
      if (!(r2[i] > deadRange * max2)) {
        link.numIgnored += countDead;
        s = maxScale / link.scale[i];
      } else {
        s = std::sqrt(r1[i] / r2[i]);
      }
      // Bound the cumulative scale so that no bias grows by more than
      // 1 / min-scale.
      double total = std::clamp<double>(link.scale[i] * s, minScale, maxScale);
      s = total / link.scale[i];
      if (!std::isfinite(s) || s <= 0)
        continue;
      link.scale[i] = total;
      largest = std::max(largest, std::fabs(std::log(s)));
      for (int64_t j = 0; j < p1.perOut(); ++j) {
        float &w = p1.weight[i * p1.perOut() + j];
        w = static_cast<float>(w / s);
      }
      p1.bias[i] = static_cast<float>(p1.bias[i] / s);
      for (Operation *consumer : link.consumers) {
        LayerParams &p2 = params[consumer];
        forEachWeightOfChannel(p2, i, link.channels,
                               [&](int64_t o, int64_t k, int64_t c) {
                                 float &w = p2.w(o, k, c);
                                 w = static_cast<float>(w * s);
                               });
      }
    }
  }
  return largest;
}

void EqualizePass::runOnOperation() {
  if (!(minScale > 0 && minScale <= 1 && maxScale >= 1 &&
        std::isfinite(maxScale))) {
    getOperation()->emitError("--equalize: min-scale must be in (0, 1] and "
                              "max-scale in [1, inf), got ")
        << formatReal(minScale) << " and " << formatReal(maxScale);
    return signalPassFailure();
  }
  if (!(deadRange >= 0 && deadRange < 1)) {
    getOperation()->emitError("--equalize: dead-range must be in [0, 1), got ")
        << formatReal(deadRange);
    return signalPassFailure();
  }

  // Links in program order; the parameters of every layer involved, read
  // once and shared (a layer is the consumer of one link and the producer
  // of the next).
  SmallVector<Link> links;
  llvm::MapVector<Operation *, LayerParams> params;
  getOperation()->walk([&](Operation *op) {
    if (!isFloatLayer(op))
      return;
    std::string why;
    FailureOr<LayerLink> link = findLayerLink(op, why);
    if (failed(link)) {
      if (report)
        op->emitRemark("not equalized with its successor: ") << why;
      return;
    }
    SmallVector<Operation *> layers = {op};
    llvm::append_range(layers, link->consumers);
    for (Operation *layer : layers) {
      if (params.count(layer))
        continue;
      FailureOr<LayerParams> p = readLayerParams(layer);
      if (failed(p)) {
        if (report)
          layer->emitRemark("not equalized: its weights are not f32 "
                            "constants");
        return;
      }
      params.insert({layer, std::move(*p)});
    }
    links.push_back(Link(std::move(*link)));
  });
  if (links.empty())
    return;

  llvm::MapVector<Operation *, double> spreadBefore;
  for (auto &[op, p] : params)
    spreadBefore[op] = rangeSpread(p, deadRange);

  int64_t iterations = 0;
  double tolerance = std::log1p(threshold);
  for (; iterations < static_cast<int64_t>(maxIterations); ++iterations)
    if (equalizeOnce(links, params, /*countDead=*/iterations == 0) <=
        tolerance) {
      ++iterations;
      break;
    }

  // Write everything back: weights, activation bounds, statistics, and the
  // batch-norm statistics of the producers.
  MLIRContext *ctx = &getContext();
  IRRewriter rewriter(ctx);
  for (auto &[op, p] : params)
    writeLayerParams(rewriter, p, "cle");
  for (Link &link : links) {
    Operation *producer = link.producer;
    auto act = producer->getAttrOfType<ActivationAttr>("activation");
    if (ActivationAttr scaled = scaleActivation(ctx, act, link.scale))
      producer->setAttr("activation", scaled);
    for (StringRef name : {kPreactivationMeanAttr, kPreactivationStdAttr})
      if (auto values = producer->getAttrOfType<DenseF64ArrayAttr>(name)) {
        SmallVector<double> v(values.asArrayRef());
        if (v.size() == link.scale.size()) {
          for (auto [x, s] : llvm::zip(v, link.scale))
            x /= s;
          producer->setAttr(name, DenseF64ArrayAttr::get(ctx, v));
        }
      }
    for (Operation *op : link.chain) {
      if (auto act = dyn_cast<ActivationOp>(op)) {
        act.setKindAttr(scaleActivation(ctx, act.getKind(), link.scale));
      } else if (auto stats = dyn_cast<StatsOp>(op)) {
        // Statistics after a flatten have no channel structure we can use.
        ArrayRef<double> scale = link.scale;
        FailureOr<TensorStatsAttr> scaled = mapChannelStats(
            stats.getStats(), link.channels,
            [&](int64_t c, double v) { return v / scale[c]; });
        if (succeeded(scaled)) {
          stats.setStatsAttr(*scaled);
        } else {
          stats.emitWarning("statistics dropped: they have no per-channel "
                            "figures to rescale; calibrate after --equalize");
          rewriter.replaceOp(stats, stats.getInput());
        }
      }
    }
    numDeadChannels += link.numDead;
    numIgnoredChannels += link.numIgnored;
  }
  numPairs += links.size();
  numIterations += iterations;

  if (report)
    for (auto &[op, p] : params)
      op->emitRemark() << "weight range spread (max / median live channel range) "
                       << formatSpread(spreadBefore[op]) << " -> "
                       << formatSpread(rangeSpread(p, deadRange));
  if (report)
    for (Link &link : links)
      if (link.numDead || link.numIgnored)
        link.producer->emitRemark()
            << link.numDead << " of " << link.channels
            << " channels dead (kept at scale 1), " << link.numIgnored
            << " ignored by the next layer (scaled by max-scale)";
}

} // namespace
