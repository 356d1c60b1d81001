//===- LayerParams.h - Float weights of conv2d and dense --------*- C++ -*-===//
//
// Part of quant-opt. The data-free passes (batch-norm folding, equalization,
// bias absorption) rewrite the float weights and biases of F-form layers;
// this reads them from their constants and writes them back as new ones.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_DIALECT_QNN_TRANSFORMS_LAYERPARAMS_H
#define QNN_LIB_DIALECT_QNN_TRANSFORMS_LAYERPARAMS_H

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace qnn {

/// The f32 weight and bias of a float `qnn.conv2d` (filter [O, KH, KW, Cg])
/// or `qnn.dense` (weight [O, K], seen as [O, 1, 1, K]).
struct LayerParams {
  mlir::Operation *op = nullptr;
  int64_t numOut = 0;     ///< O
  int64_t spatial = 1;    ///< KH * KW
  int64_t inPerGroup = 0; ///< Cg (K for dense)
  int64_t groups = 1;
  llvm::SmallVector<float> weight; ///< row-major [O, KH * KW, Cg]
  llvm::SmallVector<float> bias;   ///< [O], zeros when the op has none

  int64_t perOut() const { return spatial * inPerGroup; }
  float &w(int64_t o, int64_t k, int64_t c) {
    return weight[(o * spatial + k) * inPerGroup + c];
  }
  /// Output channels per group.
  int64_t outPerGroup() const { return numOut / groups; }
  /// The input channels (of the layer's input) that output channel `o`
  /// reads are [groupOf(o) * Cg, (groupOf(o) + 1) * Cg).
  int64_t groupOf(int64_t o) const { return o / outPerGroup(); }
  /// max |w| over output channel `o`.
  float outputRange(int64_t o) const;
};

/// A link between layers: the output channels of `producer` reach, through
/// ops that act on each channel separately and keep it last (`chain`: the
/// activation, pools, a zero pad, statistics, one NHWC flatten), the input
/// of every layer in `consumers` and nothing else.
struct LayerLink {
  mlir::Operation *producer = nullptr;
  llvm::SmallVector<mlir::Operation *> chain;
  llvm::SmallVector<mlir::Operation *> consumers;
  int64_t channels = 0;
};

/// True for a float conv2d or dense.
bool isFloatLayer(mlir::Operation *op);

/// The link starting at `producer`; failure with the reason in `why`.
mlir::FailureOr<LayerLink> findLayerLink(mlir::Operation *producer,
                                         std::string &why);

/// Calls `fn(o, k, c)` for every weight index of `consumer` that reads
/// channel `channel` of a `channels`-channel producer: for a grouped conv,
/// the outputs of the channel's group; for a dense layer after an NHWC
/// flatten, every input `k` with `k % channels == channel`.
template <typename Fn>
void forEachWeightOfChannel(LayerParams &consumer, int64_t channel,
                            int64_t channels, Fn fn) {
  if (consumer.spatial == 1 && consumer.groups == 1 &&
      consumer.inPerGroup % channels == 0 && consumer.inPerGroup != channels) {
    for (int64_t k = channel; k < consumer.inPerGroup; k += channels)
      for (int64_t o = 0; o < consumer.numOut; ++o)
        fn(o, 0, k);
    return;
  }
  int64_t group = channel / consumer.inPerGroup;
  int64_t c = channel % consumer.inPerGroup;
  int64_t og = consumer.outPerGroup();
  for (int64_t o = group * og; o < (group + 1) * og; ++o)
    for (int64_t k = 0; k < consumer.spatial; ++k)
      fn(o, k, c);
}

/// Reads the parameters of a float conv2d or dense whose weight (and bias,
/// if any) are f32 constants; failure otherwise (no diagnostic).
mlir::FailureOr<LayerParams> readLayerParams(mlir::Operation *op);

/// Replaces the layer's weight and bias operands with new constants holding
/// `params` (a bias operand is added when the layer had none). `tag` names
/// the new resource blobs (`<layer name>.<tag>.w`).
void writeLayerParams(mlir::RewriterBase &rewriter, const LayerParams &params,
                      llvm::StringRef tag);

/// `stats` with every per-channel figure v of channel c replaced by
/// fn(c, v) (increasing in v), the global range recomputed from them and the
/// histogram (of the old tensor) dropped; failure when `stats` has no
/// per-channel figures for `channels` channels.
mlir::FailureOr<TensorStatsAttr>
mapChannelStats(TensorStatsAttr stats, int64_t channels,
                llvm::function_ref<double(int64_t, double)> fn);

/// Erases the arith.constant defining `value` once nothing uses it.
void eraseIfUnusedConstant(mlir::RewriterBase &rewriter, mlir::Value value);

} // namespace qnn

#endif // QNN_LIB_DIALECT_QNN_TRANSFORMS_LAYERPARAMS_H
