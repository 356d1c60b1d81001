//===- Float32Kernels.cpp - Float dense/conv2d to FMA vector kernels ------===//
//
// Part of quant-opt. The float (F) form of qnn.dense, of groups = 1
// qnn.conv2d and of depthwise qnn.conv2d (f32 input, constant f32 weights,
// constant or absent f32 bias) becomes a register-tiled micro-kernel on
// tensors (scf.for, vector.transfer_read/write) whose multiply-accumulate
// is vector.fma on vector<16xf32> (llvm.intr.fmuladd: vfmadd231ps on
// x86-64 with FMA, a multiply and an add elsewhere). The generic lowering
// keeps every fp32 reduction scalar (LLVM may not reassociate it); these
// kernels sum in a different order, so results are not bit-identical to it.
//
// Matrix products (dense, 1x1 convolutions as [N*H*W, C] x [C, O], other
// groups = 1 convolutions through an im2col copy), weights packed at
// compile time to packed[b][k][c] = w[NB b + c][k] (NB = 16 V columns per
// block, zero past O):
//
//   for g in block groups (the weight panel of a group fits in L2):
//     for m0 in [0, M - M % R) step R:            // R = tile-rows
//       for b in g: tile(m0, R rows, block b, V vectors)
//     (the channel tail: a static tile with fewer vectors, masked stores;
//      the row tail: the same for the last M % R rows)
//
//   tile: acc[i][j] = bias[NB b + 16 j ..]        (i < rows, j < vectors)
//         for k in [0, K):
//           w[j] = packed[b][k][16 j ..]             (vector<16xf32>)
//           for i: a = broadcast(lhs[m0 + i][k])
//                  for j: acc[i][j] = fma(a, w[j], acc[i][j])
//         out[m0 + i][NB b + 16 j ..] = activation(acc[i][j])
//
// Depthwise convolutions (groups = C = O, filter [C, KH, KW, 1]) are
// vectorized over the channels, 16 per vector, with the filter repacked
// tap-major to [KH*KW][Cpad]; rows and columns whose taps leave the input
// are peeled statically (only their valid taps are read), so the interior
// needs no padding copy:
//
//   for n, for each output row y (border rows static, with their valid kh):
//     border pixels (static, their valid kw), then
//     for x0 in the interior step P:                   // P = depthwise-pixels
//       for channel block c (the tail block: masked loads and stores):
//         wv[t] = wpack[t][c ..]                       (KH*KW registers)
//         acc[r] = bias[c ..]                          (r < P)
//         for kh, for each input column j = r sw + kw dw (loaded once):
//           acc[r] = fma(x[n][y sh - pt + kh dh][x0 sw - pl + j][c ..],
//                        wv[kh KW + kw], acc[r])       (every r, kw at j)
//         out[n][y][x0 + r][c ..] = activation(acc[r])
//
// The channel blocks are innermost so that a tile reads KH runs of whole
// pixels and writes whole pixels (contiguous, streaming through the
// caches); the filter taps are reloaded per block from L1.
//
// The activation of the layer (relu, relu6, clamp with scalar or
// per-channel bounds), or that of a following qnn.activation that is the
// layer's only user, is applied in registers before the store, with the
// ops of the generic lowering (arith.maximumf, arith.minimumf).
//
//===----------------------------------------------------------------------===//

#include "DepthwiseTraversal.h"
#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/PatternMatch.h"

#include <algorithm>

namespace qnn {
#define GEN_PASS_DEF_LOWERF32KERNELS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

static constexpr int64_t kLanes = 16; // f32 lanes of a zmm register
/// Accumulator registers of an automatic register tile (of 32 zmm: the
/// rest hold the weight vectors and the broadcast).
static constexpr int64_t kAccumulators = 24;
static constexpr int64_t kMaxAutoRows = 12;
/// Border rows (or columns) of a depthwise convolution peeled statically;
/// beyond that the input is padded by a copy instead.
static constexpr int64_t kMaxBorder = 8;

namespace {

//===----------------------------------------------------------------------===//
// Shared pieces
//===----------------------------------------------------------------------===//

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value addIndex(OpBuilder &b, Location loc, Value x, int64_t v) {
  if (v == 0)
    return x;
  return arith::AddIOp::create(b, loc, x, index(b, loc, v));
}

Value mulIndex(OpBuilder &b, Location loc, Value x, int64_t v) {
  if (v == 1)
    return x;
  return arith::MulIOp::create(b, loc, x, index(b, loc, v));
}

VectorType vec16(Builder &b) {
  return VectorType::get({kLanes}, b.getF32Type());
}

/// 16 f32 lanes of the 1-D constant `table` from `channel` (in bounds: the
/// tables are padded to whole vectors).
Value readLanes(OpBuilder &b, Location loc, Value table, Value channel) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  return vector::TransferReadOp::create(
      b, loc, vec16(b), table, ValueRange{channel}, zero, ArrayRef<bool>{true});
}

/// A 1-D f32 constant of `values` padded with zeros to `size`.
Value paddedTable(OpBuilder &b, Location loc, ArrayRef<float> values,
                  int64_t size) {
  SmallVector<float> padded(values);
  padded.resize(size, 0.0f);
  return createF32Tensor(b, loc, padded, {size});
}

/// The activation in registers: max(acc, lo) (relu and the clamps), then
/// min(., hi) (relu6 and the clamps), as emitActivation() does per element.
/// Bounds are splat constants, or per-channel tables read at the tile's
/// channel offset.
class Activation {
public:
  Activation() = default;

  /// Prepares the constants of `attr` (null or none: identity) for
  /// `channels` (padded) output channels at the builder's insertion point.
  Activation(OpBuilder &b, Location loc, ActivationAttr attr,
             int64_t channels) {
    if (!attr || attr.getKind() == ActivationKind::None)
      return;
    hasHi = attr.getKind() != ActivationKind::Relu;
    int64_t bounds = attr.getNumBounds();
    if (bounds <= 1) {
      auto [l, h] = attr.getBounds(0);
      lo = splat(b, loc, l);
      if (hasHi)
        hi = splat(b, loc, h);
      return;
    }
    SmallVector<float> los, his;
    for (int64_t c = 0; c < bounds; ++c) {
      auto [l, h] = attr.getBounds(c);
      los.push_back(static_cast<float>(l));
      his.push_back(static_cast<float>(h));
    }
    loTable = paddedTable(b, loc, los, channels);
    hiTable = paddedTable(b, loc, his, channels);
  }

  /// The activation of the accumulators of channels [channel, +16).
  Value emit(OpBuilder &b, Location loc, Value acc, Value channel) const {
    if (!lo && !loTable)
      return acc;
    Value l = lo ? lo : readLanes(b, loc, loTable, channel);
    acc = arith::MaximumFOp::create(b, loc, acc, l);
    if (!hasHi)
      return acc;
    Value h = hi ? hi : readLanes(b, loc, hiTable, channel);
    return arith::MinimumFOp::create(b, loc, acc, h);
  }

private:
  static Value splat(OpBuilder &b, Location loc, double v) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vec16(b), static_cast<float>(v)));
  }

  Value lo, hi, loTable, hiTable;
  bool hasHi = false;
};

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

bool isStaticF32Tensor(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && t.hasStaticShape() && t.getElementType().isF32();
}

bool hasActivation(ActivationAttr attr) {
  return attr && attr.getKind() != ActivationKind::None;
}

/// What every kernel reads from its layer: the constant weights and bias,
/// and the activation applied before the store (the layer's own, or that of
/// a following qnn.activation it then replaces).
struct Params {
  SmallVector<float> weights; // row-major, as the layer's weight tensor
  SmallVector<float> bias;    // [O] or empty
  ActivationAttr activation;
  ActivationOp fused;
};

LogicalResult readParams(Params &p, Operation *op, Value weight, Value bias,
                         ActivationAttr activation, bool fuseActivation) {
  if (!isStaticF32Tensor(op->getOperand(0).getType()) ||
      !isStaticF32Tensor(op->getResult(0).getType()))
    return failure();
  FailureOr<SmallVector<float>> w = readF32Constant(weight);
  if (failed(w))
    return failure();
  p.weights = std::move(*w);
  if (bias) {
    FailureOr<SmallVector<float>> b = readF32Constant(bias);
    if (failed(b))
      return failure();
    p.bias = std::move(*b);
  }
  p.activation = activation;
  Value result = op->getResult(0);
  if (fuseActivation && !hasActivation(activation) && result.hasOneUse()) {
    auto act = dyn_cast<ActivationOp>(*result.getUsers().begin());
    if (act && isStaticF32Tensor(act.getType())) {
      p.fused = act;
      p.activation = act.getKind();
    }
  }
  return success();
}

/// A matrix-product layer: dense, or a groups = 1 convolution.
struct GemmLayer {
  Operation *op = nullptr;
  bool isConv = false, pointwise = false;
  int64_t m = 0, depth = 0, outChannels = 0;
  Params params; // weights [O][depth], conv taps in (kh, kw, c) order
};

FailureOr<GemmLayer> matchDense(DenseOp op, bool fuse) {
  GemmLayer layer;
  layer.op = op;
  if (failed(readParams(layer.params, op, op.getWeight(), op.getBias(),
                        op.getActivationAttr(), fuse)))
    return failure();
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  layer.m = in[0];
  layer.depth = in[1];
  layer.outChannels = op.getWeight().getType().getDimSize(0);
  return layer;
}

bool isPointwise(Conv2DOp op) {
  ArrayRef<int64_t> w = op.getFilter().getType().getShape();
  PaddingAttr pad = op.getPadding();
  return w[1] == 1 && w[2] == 1 && op.getStrides()[0] == 1 &&
         op.getStrides()[1] == 1 && pad.getTop() == 0 && pad.getBottom() == 0 &&
         pad.getLeft() == 0 && pad.getRight() == 0;
}

FailureOr<GemmLayer> matchConv(Conv2DOp op, bool im2col, bool fuse) {
  if (op.getGroups() != 1 || (!im2col && !isPointwise(op)))
    return failure();
  GemmLayer layer;
  layer.op = op;
  layer.isConv = true;
  layer.pointwise = isPointwise(op);
  if (failed(readParams(layer.params, op, op.getFilter(), op.getBias(),
                        op.getActivationAttr(), fuse)))
    return failure();
  ArrayRef<int64_t> w = op.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  layer.m = out[0] * out[1] * out[2];
  layer.depth = w[1] * w[2] * w[3];
  layer.outChannels = w[0];
  return layer;
}

/// A depthwise convolution: groups = C = O, filter [C, KH, KW, 1].
struct DepthwiseLayer {
  Conv2DOp op;
  int64_t n = 0, h = 0, w = 0, c = 0, kh = 0, kw = 0, oh = 0, ow = 0;
  Params params; // weights [C][KH][KW]
};

FailureOr<DepthwiseLayer> matchDepthwise(Conv2DOp op, bool fuse) {
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> f = op.getFilter().getType().getShape();
  auto outType = dyn_cast<RankedTensorType>(op.getType());
  int64_t groups = op.getGroups();
  if (!outType || groups <= 1 || in[3] != groups || f[0] != groups ||
      f[3] != 1 || outType.getDimSize(3) != groups)
    return failure();
  DepthwiseLayer layer;
  layer.op = op;
  if (failed(readParams(layer.params, op, op.getFilter(), op.getBias(),
                        op.getActivationAttr(), fuse)))
    return failure();
  layer.n = in[0];
  layer.h = in[1];
  layer.w = in[2];
  layer.c = in[3];
  layer.kh = f[1];
  layer.kw = f[2];
  layer.oh = outType.getDimSize(1);
  layer.ow = outType.getDimSize(2);
  return layer;
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

/// The register-tiled product of `lhs` [M, K] with the packed weights.
struct GemmKernel {
  Location loc;
  Value lhs;    // tensor<M x K x f32>
  Value packed; // tensor<blocks x K x blockCols x f32>
  Value bias;   // tensor<blocks * blockCols x f32>
  int64_t m, depth, outChannels, blockCols, tileRows, groupBlocks;
  const Activation &activation;

  Value idx(OpBuilder &b, int64_t v) const { return index(b, loc, v); }

  /// One register tile: `rows` rows from `row0`, `vectors` 16-column
  /// vectors of packed block `block`, of which the first `valid` columns
  /// exist. Returns `out` with the tile written.
  Value tile(OpBuilder &b, Value row0, Value block, int64_t rows,
             int64_t vectors, int64_t valid, Value out) const {
    VectorType v16 = vec16(b);
    Value col0 = mulIndex(b, loc, block, blockCols);
    SmallVector<Value> cols, rowIndex, init;
    for (int64_t j = 0; j < vectors; ++j)
      cols.push_back(addIndex(b, loc, col0, j * kLanes));
    for (int64_t i = 0; i < rows; ++i)
      rowIndex.push_back(addIndex(b, loc, row0, i));
    SmallVector<Value> biasV;
    for (int64_t j = 0; j < vectors; ++j)
      biasV.push_back(readLanes(b, loc, bias, cols[j]));
    for (int64_t i = 0; i < rows; ++i)
      llvm::append_range(init, biasV);

    auto loop = scf::ForOp::create(
        b, loc, idx(b, 0), idx(b, depth), idx(b, 1), init,
        [&](OpBuilder &nb, Location l, Value k, ValueRange accs) {
          Value zero =
              arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0.0f));
          SmallVector<Value> w;
          for (int64_t j = 0; j < vectors; ++j)
            w.push_back(vector::TransferReadOp::create(
                nb, l, v16, packed,
                ValueRange{block, k, index(nb, l, j * kLanes)}, zero,
                ArrayRef<bool>{true}));
          SmallVector<Value> next;
          for (int64_t i = 0; i < rows; ++i) {
            Value x = tensor::ExtractOp::create(nb, l, lhs,
                                                ValueRange{rowIndex[i], k});
            Value a = vector::BroadcastOp::create(nb, l, v16, x);
            for (int64_t j = 0; j < vectors; ++j)
              next.push_back(
                  vector::FMAOp::create(nb, l, a, w[j], accs[i * vectors + j]));
          }
          scf::YieldOp::create(nb, l, next);
        });

    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < vectors; ++j) {
        Value y =
            activation.emit(b, loc, loop.getResult(i * vectors + j), cols[j]);
        bool inBounds = (j + 1) * kLanes <= valid;
        out = vector::TransferWriteOp::create(b, loc, y, out,
                                              ValueRange{rowIndex[i], cols[j]},
                                              ArrayRef<bool>{inBounds})
                  .getResult();
      }
    return out;
  }

  /// `rows` rows from `row0`, the full blocks [first, first + count).
  Value fullBlocks(OpBuilder &b, Value row0, int64_t rows, Value first,
                   int64_t count, Value out) const {
    int64_t vectors = blockCols / kLanes;
    if (count == 1)
      return tile(b, row0, first, rows, vectors, blockCols, out);
    return scf::ForOp::create(
               b, loc, first, addIndex(b, loc, first, count), idx(b, 1),
               ValueRange{out},
               [&](OpBuilder &nb, Location l, Value block, ValueRange iter) {
                 scf::YieldOp::create(
                     nb, l,
                     tile(nb, row0, block, rows, vectors, blockCols, iter[0]));
               })
        .getResult(0);
  }

  /// Every row of the blocks [first, first + count) (`count` full blocks,
  /// or the partial last block when `count` is 0).
  Value rows(OpBuilder &b, Value first, int64_t count, Value out) const {
    int64_t rest = outChannels % blockCols;
    auto strip = [&](OpBuilder &nb, Value row0, int64_t r, Value o) {
      if (count > 0)
        return fullBlocks(nb, row0, r, first, count, o);
      return tile(nb, row0, first, r, (rest + kLanes - 1) / kLanes, rest, o);
    };
    int64_t full = m / tileRows * tileRows;
    if (full > 0)
      out =
          scf::ForOp::create(
              b, loc, idx(b, 0), idx(b, full), idx(b, tileRows),
              ValueRange{out},
              [&](OpBuilder &nb, Location l, Value row0, ValueRange iter) {
                scf::YieldOp::create(nb, l, strip(nb, row0, tileRows, iter[0]));
              })
              .getResult(0);
    if (m % tileRows)
      out = strip(b, idx(b, full), m % tileRows, out);
    return out;
  }

  Value build(OpBuilder &b, Value out) const {
    int64_t full = outChannels / blockCols;
    // Groups of `groupBlocks` full blocks (their weights stay in L2 while
    // every row streams through them), then the group remainder and the
    // partial block.
    int64_t groups = full / groupBlocks;
    if (groups == 1)
      out = rows(b, idx(b, 0), groupBlocks, out);
    else if (groups > 1)
      out = scf::ForOp::create(
                b, loc, idx(b, 0), idx(b, groups * groupBlocks),
                idx(b, groupBlocks), ValueRange{out},
                [&](OpBuilder &nb, Location l, Value first, ValueRange iter) {
                  scf::YieldOp::create(nb, l,
                                       rows(nb, first, groupBlocks, iter[0]));
                })
                .getResult(0);
    if (full % groupBlocks)
      out = rows(b, idx(b, groups * groupBlocks), full % groupBlocks, out);
    if (outChannels % blockCols)
      out = rows(b, idx(b, full), 0, out);
    return out;
  }
};

/// The [M, depth] f32 matrix the kernel multiplies: the dense input, the
/// 1x1 convolution's input with N, H, W collapsed, or the im2col copy of a
/// general convolution's zero-padded input, columns in (kh, kw, c) order.
Value buildLhs(OpBuilder &b, Location loc, const GemmLayer &layer) {
  if (auto dense = dyn_cast<DenseOp>(layer.op))
    return dense.getInput();
  auto conv = cast<Conv2DOp>(layer.op);
  Value input = conv.getInput();
  Type f32 = b.getF32Type();
  auto lhsType = RankedTensorType::get({layer.m, layer.depth}, f32);
  if (layer.pointwise)
    return tensor::CollapseShapeOp::create(
        b, loc, lhsType, input,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});

  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> w = conv.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(conv.getType()).getShape();
  PaddingAttr pad = conv.getPadding();
  Value x = padWithF32(b, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                       {0, pad.getBottom(), pad.getRight(), 0}, 0.0);
  int64_t sh = conv.getStrides()[0], sw = conv.getStrides()[1];
  int64_t dh = conv.getDilations()[0], dw = conv.getDilations()[1];
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Dimensions: 0 n, 1 oh, 2 ow, 3 kh, 4 kw, 5 c.
  AffineMap xMap = AffineMap::get(
      6, 0, {d(0), d(1) * sh + d(3) * dh, d(2) * sw + d(4) * dw, d(5)}, ctx);
  Value init =
      createEmpty(b, loc, {out[0], out[1], out[2], w[1], w[2], w[3]}, f32);
  Value cols =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{x}, ValueRange{init},
          ArrayRef<AffineMap>{xMap, b.getMultiDimIdentityMap(6)}, iterators(6),
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, args[0]);
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, lhsType, cols,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// The options of the matrix-product kernels.
struct GemmConfig {
  int64_t tileRows = 0; // 0: automatic
  int64_t blockCols = 64;
  int64_t panelBytes = 0; // 0: no grouping of blocks
};

/// Replaces the layer (and its fused activation) with the kernel.
void rewriteGemm(RewriterBase &rewriter, GemmLayer &layer,
                 const GemmConfig &config) {
  Params &p = layer.params;
  Operation *root = p.fused ? p.fused.getOperation() : layer.op;
  // Everything is created before the root (the layer's operands dominate
  // it; a fused activation comes after the layer).
  rewriter.setInsertionPoint(root);
  Location loc = layer.op->getLoc();
  int64_t o = layer.outChannels, depth = layer.depth;

  // Narrow layers get narrower blocks (no FMAs on zero columns) and more
  // rows: about kAccumulators accumulator registers either way.
  int64_t blockCols =
      std::min(config.blockCols, (o + kLanes - 1) / kLanes * kLanes);
  int64_t vectors = blockCols / kLanes;
  int64_t tileRows =
      config.tileRows > 0
          ? config.tileRows
          : std::clamp<int64_t>(kAccumulators / vectors, 1, kMaxAutoRows);
  int64_t blocks = (o + blockCols - 1) / blockCols;
  int64_t blockBytes = depth * blockCols * 4;
  int64_t groupBlocks =
      config.panelBytes > 0
          ? std::max<int64_t>(1, config.panelBytes / blockBytes)
          : blocks;
  groupBlocks = std::max<int64_t>(1, std::min(groupBlocks, o / blockCols));

  // packed[b][k][c] = w[blockCols b + c][k], zero past O.
  SmallVector<float> packed(blocks * depth * blockCols, 0.0f);
  for (int64_t oc = 0; oc < o; ++oc) {
    int64_t blk = oc / blockCols, lane = oc % blockCols;
    for (int64_t k = 0; k < depth; ++k)
      packed[(blk * depth + k) * blockCols + lane] = p.weights[oc * depth + k];
  }
  Type f32 = rewriter.getF32Type();
  Value packedV = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({blocks, depth, blockCols}, f32),
          ArrayRef<float>(packed)));
  Value bias = paddedTable(rewriter, loc, p.bias, blocks * blockCols);
  Activation activation(rewriter, p.fused ? p.fused.getLoc() : loc,
                        p.activation, blocks * blockCols);

  Value lhs = buildLhs(rewriter, loc, layer);
  Value out = createEmpty(rewriter, loc, {layer.m, o}, f32);
  GemmKernel kernel{loc, lhs,       packedV,  bias,        layer.m,   depth,
                    o,   blockCols, tileRows, groupBlocks, activation};
  Value result = kernel.build(rewriter, out);

  replaceWithMatrixResult(rewriter, root, layer.op, result, layer.isConv);
}

//===----------------------------------------------------------------------===//
// Depthwise convolutions
//===----------------------------------------------------------------------===//

struct DepthwiseKernel {
  Location loc;
  Value input;   // tensor<N x H x W x C x f32> (padded when needed)
  Value weights; // tensor<KH*KW x Cpad x f32>
  Value bias;    // tensor<Cpad x f32>
  DepthwiseAxis rowsAxis, colsAxis;
  int64_t c, pixels;
  const Activation &activation;

  Value idx(OpBuilder &b, int64_t v) const { return index(b, loc, v); }

  /// `count` output pixels along W from (n, y, x0), channels [ch, +16) of
  /// which `valid` exist, reading the filter rows `khs` and, for each
  /// pixel, the filter columns `kws` (all of them when empty).
  Value tile(OpBuilder &b, Value n, Value y, Value x0, Value ch,
             ArrayRef<Value> wv, Value biasV, int64_t count,
             ArrayRef<int64_t> khs, ArrayRef<int64_t> kws, int64_t valid,
             Value out) const {
    VectorType v16 = vec16(b);
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    bool inBounds = valid == kLanes;
    int64_t kw = colsAxis.taps, sw = colsAxis.stride, dw = colsAxis.dilation;
    SmallVector<bool> useKw(kw, kws.empty());
    for (int64_t t : kws)
      useKw[t] = true;
    SmallVector<Value> acc(count, biasV);
    // Input row of filter row 0, input column of output x0's tap 0.
    Value iy0 = mulIndex(b, loc, y, rowsAxis.stride);
    Value ix0 = mulIndex(b, loc, x0, sw);
    int64_t span = (count - 1) * sw + (kw - 1) * dw + 1;
    for (int64_t i : khs) {
      Value iy = addIndex(b, loc, iy0, i * rowsAxis.dilation - rowsAxis.padLow);
      for (int64_t j = 0; j < span; ++j) {
        Value xv;
        for (int64_t r = 0; r < count; ++r) {
          int64_t off = j - r * sw;
          if (off < 0 || off % dw != 0 || off / dw >= kw || !useKw[off / dw])
            continue;
          if (!xv)
            xv = vector::TransferReadOp::create(
                b, loc, v16, input,
                ValueRange{n, iy, addIndex(b, loc, ix0, j - colsAxis.padLow),
                           ch},
                zero, ArrayRef<bool>{inBounds});
          acc[r] =
              vector::FMAOp::create(b, loc, xv, wv[i * kw + off / dw], acc[r]);
        }
      }
    }
    for (int64_t r = 0; r < count; ++r) {
      Value v = activation.emit(b, loc, acc[r], ch);
      out = vector::TransferWriteOp::create(
                b, loc, v, out, ValueRange{n, y, addIndex(b, loc, x0, r), ch},
                ArrayRef<bool>{inBounds})
                .getResult();
    }
    return out;
  }

  /// `count` output pixels from (n, y, x0), every channel block: the
  /// channels are the innermost loop, so a tile's reads (KH runs of
  /// `span` whole pixels) and writes (`count` whole pixels) are contiguous
  /// and stream through the caches. Each block reloads its KH*KW filter
  /// taps (from L1) and its bias.
  Value pixelTile(OpBuilder &b, Value n, Value y, Value x0, int64_t count,
                  ArrayRef<int64_t> khs, ArrayRef<int64_t> kws,
                  Value out) const {
    auto blockTile = [&](OpBuilder &nb, Value ch, int64_t valid, Value o) {
      VectorType v16 = vec16(nb);
      Value zero = arith::ConstantOp::create(nb, loc, nb.getF32FloatAttr(0.0f));
      SmallVector<Value> wv(rowsAxis.taps * colsAxis.taps);
      for (int64_t i : khs)
        for (int64_t t = 0; t < colsAxis.taps; ++t)
          wv[i * colsAxis.taps + t] = vector::TransferReadOp::create(
              nb, loc, v16, weights,
              ValueRange{idx(nb, i * colsAxis.taps + t), ch}, zero,
              ArrayRef<bool>{true});
      Value biasV = readLanes(nb, loc, bias, ch);
      return tile(nb, n, y, x0, ch, wv, biasV, count, khs, kws, valid, o);
    };
    return emitChannelBlocks(b, loc, c, out, blockTile);
  }

  Value build(OpBuilder &b, int64_t batch, Value out) const {
    return emitDepthwiseTraversal(
        b, loc, batch, rowsAxis, colsAxis, pixels, out,
        [&](OpBuilder &nb, Value n, Value y, Value x0, int64_t count,
            ArrayRef<int64_t> khs, ArrayRef<int64_t> kws, Value o) {
          return pixelTile(nb, n, y, x0, count, khs, kws, o);
        });
  }
};

void rewriteDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                      int64_t pixels) {
  Conv2DOp conv = layer.op;
  Params &p = layer.params;
  Operation *root = p.fused ? p.fused.getOperation() : conv.getOperation();
  rewriter.setInsertionPoint(root);
  Location loc = conv.getLoc();
  int64_t cpad = (layer.c + kLanes - 1) / kLanes * kLanes;
  int64_t taps = layer.kh * layer.kw;

  SmallVector<float> packed(taps * cpad, 0.0f);
  for (int64_t ch = 0; ch < layer.c; ++ch)
    for (int64_t t = 0; t < taps; ++t)
      packed[t * cpad + ch] = p.weights[ch * taps + t];
  Type f32 = rewriter.getF32Type();
  Value weights = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({taps, cpad}, f32),
                             ArrayRef<float>(packed)));
  Value bias = paddedTable(rewriter, loc, p.bias, cpad);
  Activation activation(rewriter, p.fused ? p.fused.getLoc() : loc,
                        p.activation, cpad);

  PaddingAttr pad = conv.getPadding();
  DepthwiseAxis rows = depthwiseAxis(conv, 0, layer.h, layer.kh, layer.oh);
  DepthwiseAxis cols = depthwiseAxis(conv, 1, layer.w, layer.kw, layer.ow);
  Value input = conv.getInput();
  if (rows.borders() > kMaxBorder || cols.borders() > kMaxBorder) {
    // Too many border rows or columns to peel: pad with zeros (real zero
    // of the F form) by a copy, after which every tap is inside.
    input =
        padWithF32(rewriter, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                   {0, pad.getBottom(), pad.getRight(), 0}, 0.0);
    rows.size += pad.getTop() + pad.getBottom();
    cols.size += pad.getLeft() + pad.getRight();
    rows.padLow = cols.padLow = 0;
  }
  Value out =
      createEmpty(rewriter, loc, {layer.n, layer.oh, layer.ow, layer.c}, f32);
  DepthwiseKernel kernel{loc,  input,   weights, bias,      rows,
                         cols, layer.c, pixels,  activation};
  Value result = kernel.build(rewriter, layer.n, out);
  rewriter.replaceOp(root, result);
  if (p.fused)
    rewriter.eraseOp(conv);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct LowerF32KernelsPass
    : qnn::impl::LowerF32KernelsBase<LowerF32KernelsPass> {
  using LowerF32KernelsBase::LowerF32KernelsBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    LowerF32KernelsBase::getDependentDialects(registry);
    // One-shot bufferization of the kernels' transfer_read/write on tensors.
    vector::registerBufferizableOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (tileRows < 0 || tileRows > 16) {
      module.emitError("lower-f32-kernels: tile-rows must be in [0, 16], "
                       "got ")
          << static_cast<int64_t>(tileRows);
      return signalPassFailure();
    }
    if (blockCols != 16 && blockCols != 32 && blockCols != 48 &&
        blockCols != 64) {
      module.emitError("lower-f32-kernels: block-cols must be 16, 32, 48 "
                       "or 64, got ")
          << static_cast<int64_t>(blockCols);
      return signalPassFailure();
    }
    if (depthwisePixels < 1 || depthwisePixels > 16) {
      module.emitError("lower-f32-kernels: depthwise-pixels must be in "
                       "[1, 16], got ")
          << static_cast<int64_t>(depthwisePixels);
      return signalPassFailure();
    }
    if (panelKib < 0) {
      module.emitError("lower-f32-kernels: panel-kib must be >= 0, got ")
          << static_cast<int64_t>(panelKib);
      return signalPassFailure();
    }
    GemmConfig config{tileRows, blockCols, panelKib * 1024};

    SmallVector<Operation *> candidates;
    module.walk([&](Operation *op) {
      if (isa<DenseOp, Conv2DOp>(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : candidates) {
      auto conv = dyn_cast<Conv2DOp>(op);
      if (conv && depthwise) {
        FailureOr<DepthwiseLayer> dw = matchDepthwise(conv, fuseActivation);
        if (succeeded(dw)) {
          rewriteDepthwise(rewriter, *dw, depthwisePixels);
          ++numKernels;
          ++numDepthwise;
          numFused += dw->params.fused ? 1 : 0;
          continue;
        }
      }
      FailureOr<GemmLayer> layer =
          conv ? matchConv(conv, im2col, fuseActivation)
               : matchDense(cast<DenseOp>(op), fuseActivation);
      if (failed(layer))
        continue;
      rewriteGemm(rewriter, *layer, config);
      ++numKernels;
      numFused += layer->params.fused ? 1 : 0;
    }
  }
};

} // namespace
