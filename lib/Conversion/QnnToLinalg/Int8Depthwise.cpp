//===- Int8Depthwise.cpp - Integer depthwise conv2d as vector kernels -----===//
//
// Part of quant-opt. The depthwise part of --lower-int8-kernels: two
// kernels. On VNNI, layers with at most 4 filter rows and C a multiple of
// 16 (or packed pixels) use QuadDepthwise (the filter rows in the bytes of
// a vpdpbusd lane, below); the others, and every layer on AVX2 and the
// portable ISA, the channel-vectorized DepthwiseKernel.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "DepthwiseTraversal.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <algorithm>
#include <map>

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;
using namespace qnn::int8;

namespace {

// The integer form of a depthwise qnn.conv2d (groups = C = O, filter
// [C, KH, KW, 1], any stride, padding and dilation) is vectorized over the
// channels, 16 per vector<16xi32> accumulator (a depthwise tap has no
// reduction over channels: no vpdpbusd). The weights are repacked at
// compile time to [KH*KW][Cpad] i32 in the multiplyAdd operand form (zeros
// past C). Rows and columns whose taps leave the input are peeled
// statically: only their valid taps are read, and the taps in the padding
// (which holds input_zero_point, the I-form padding, docs/Numerics.md)
// add zp * w to the accumulators' initial value. So the input needs no
// padding copy; the channel tail is read and written masked:
//
//   for n, for each output row y (border rows static, with their valid kh):
//     border pixels (static, their valid kw), then
//     for x0 in the interior step R:
//       for channel block c (the tail block: masked loads and stores):
//         wv[t] = wpack[t][c .. c+16]                   (KH*KW vectors)
//         acc[r] = bias[c .. c+16] + sum_{padding taps t} zp * wv[t]
//         for kh, for each input column j = r*sw + kw*dw (loaded once):
//           xv = sext(x[n][y*sh - pt + kh*dh][x0*sw - pl + j][c .. c+16])
//           acc[r] += xv * wv[kh*KW + kw]               (every r, kw at j)
//             (one vpdpwssd on x, w as 32 x i16, w's high halves 0)
//
// On VNNI the filter rows go in pairs (kh, kh+1): the two rows' inputs of
// a column are sign-extended to i16 and interleaved, and one vpdpwssd with
// the pair table (w[kh] in the low i16 of each lane, w[kh+1] in the high)
// adds both taps: 6 instead of 9 vpdpwssd per 3x3 pixel.
//         out[n][y][x0 + r][c .. c+16] = epilogue(acc[r])
//
// i32 wrap-around makes the sum independent of its order: bit-exact with
// the generic lowering.


struct DepthwiseLayer {
  Conv2DOp op;
  int64_t n = 0, h = 0, w = 0, c = 0, kh = 0, kw = 0, oh = 0, ow = 0;
  SmallVector<int64_t> weights; // [C][KH][KW]
  SmallVector<int64_t> bias;    // [C] or empty
  RequantizeOp requantize;
};

FailureOr<DepthwiseLayer> matchDepthwise(Conv2DOp op) {
  if (!isSignlessI8Tensor(op.getInput().getType()) || !isI32Result(op) ||
      (op.getActivation() &&
       op.getActivation()->getKind() != ActivationKind::None))
    return failure();
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> f = op.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  int64_t groups = op.getGroups();
  if (groups <= 1 || in[3] != groups || f[0] != groups || f[3] != 1 ||
      out[3] != groups)
    return failure();
  DepthwiseLayer layer;
  layer.op = op;
  layer.n = in[0];
  layer.h = in[1];
  layer.w = in[2];
  layer.c = in[3];
  layer.kh = f[1];
  layer.kw = f[2];
  layer.oh = out[1];
  layer.ow = out[2];
  FailureOr<SmallVector<int64_t>> w = readIntConstant(op.getFilter(), 8);
  if (failed(w))
    return failure();
  layer.weights = std::move(*w);
  if (Value bias = op.getBias()) {
    FailureOr<SmallVector<int64_t>> b = readIntConstant(bias, 32);
    if (failed(b))
      return failure();
    layer.bias = std::move(*b);
  }
  return layer;
}

/// Border rows (or columns) peeled statically; beyond that the input is
/// padded with the zero point by a copy instead.
constexpr int64_t kMaxBorder = 8;

struct DepthwiseKernel : IndexBuilder {
  Value input;   // tensor<N x H x W x C x i8> (padded when needed)
  Value weights; // tensor<KH*KW x Cpad x i32>, multiplyAdd operand form
  Value pairs;   // VNNI: tensor<(KH-1)*KW x Cpad x i32>, rows (i, i+1)
  Value bias;    // tensor<Cpad x i32>
  DepthwiseAxis rowsAxis, colsAxis;
  int64_t c, pixels, zp;
  KernelIsa isa;
  const Epilogue &epilogue;
  // Pixels per vector (rewriteDepthwise): 1, or 16 / C with `input` as
  // [N, H, W * C] and the output as [N, OH, OW * C].
  int64_t pack = 1;

  /// acc + x * w (i32, wrapping) for the sign-extended x and w. VNNI: one
  /// vpdpwssd (s16 x s16 pairs -> i32, no saturation) on x and w as
  /// 32 x i16, w's high halves 0 (prepared in the weight table): lane i is
  /// acc + x_lo * w_lo + x_hi * 0, exact since |x w| <= 2^14. AVX2: the
  /// same with vpmaddwd on each 8-lane half, then an add. Vector: muli,
  /// addi.
  Value multiplyAdd(OpBuilder &b, Value acc, Value x, Value w) const {
    if (isa == KernelIsa::Vector)
      return arith::AddIOp::create(b, loc, acc,
                                   arith::MulIOp::create(b, loc, x, w));
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    auto v32i16 = VectorType::get({2 * kLanes}, b.getI16Type());
    if (isa == KernelIsa::Vnni)
      return LLVM::CallIntrinsicOp::create(
                 b, loc, v32, b.getStringAttr(kVpdpwssd),
                 ValueRange{acc, vector::BitCastOp::create(b, loc, v32i16, x),
                            vector::BitCastOp::create(b, loc, v32i16, w)})
          ->getResult(0);
    auto v8 = VectorType::get({kLanes / 2}, b.getI32Type());
    auto v16i16 = VectorType::get({kLanes}, b.getI16Type());
    Value halves[2];
    for (int64_t h : {0, 1}) {
      auto slice = [&](Value v) -> Value {
        Value part = vector::ExtractStridedSliceOp::create(
            b, loc, v, ArrayRef<int64_t>{h * kLanes / 2},
            ArrayRef<int64_t>{kLanes / 2}, ArrayRef<int64_t>{1});
        return vector::BitCastOp::create(b, loc, v16i16, part);
      };
      halves[h] = LLVM::CallIntrinsicOp::create(
                      b, loc, v8, b.getStringAttr(kPmaddwd256),
                      ValueRange{slice(x), slice(w)})
                      ->getResult(0);
    }
    Value products = vector::ShuffleOp::create(
        b, loc, halves[0], halves[1],
        llvm::to_vector(llvm::seq<int64_t>(0, kLanes)));
    return arith::AddIOp::create(b, loc, acc, products);
  }

  /// `count` output pixels along W from (n, y, x0), channels [ch, +16) of
  /// which `valid` exist, reading the filter rows `khs` and, for each
  /// pixel, the filter columns `kws` (all of them when empty). The taps
  /// left out read the padding, the input zero point: their
  /// zp * w is added to the accumulators' initial value.
  Value tile(OpBuilder &b, Value n, Value y, Value x0, Value ch,
             ArrayRef<Value> wv, ArrayRef<Value> wp, Value biasV, int64_t count,
             ArrayRef<int64_t> khs, ArrayRef<int64_t> kws, int64_t valid,
             Value out) const {
    auto v16i8 = VectorType::get({kLanes}, b.getI8Type());
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    bool inBounds = valid == kLanes;
    int64_t kh = rowsAxis.taps;
    int64_t kw = colsAxis.taps, sw = colsAxis.stride, dw = colsAxis.dilation;
    SmallVector<bool> useKw(kw, kws.empty());
    for (int64_t t : kws)
      useKw[t] = true;
    SmallVector<bool> useKh(kh, false);
    for (int64_t t : khs)
      useKh[t] = true;
    Value init = biasV;
    if (zp != 0) {
      Value zpV;
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t k = 0; k < kw; ++k) {
          if (useKh[i] && useKw[k])
            continue;
          if (!zpV)
            zpV = arith::ConstantOp::create(
                b, loc,
                DenseElementsAttr::get(v32, static_cast<int32_t>(zp)));
          init = multiplyAdd(b, init, zpV, wv[i * kw + k]);
        }
    }
    // Vectors of the tile: `count` pixels, `pack` per vector (pixel r's
    // taps start at column r * sw; a packed vector's at v * pack).
    int64_t vectors = count / pack;
    int64_t step = pack > 1 ? pack : sw;
    SmallVector<Value> acc(vectors, init);
    Value iy0 = mulIndex(b, y, rowsAxis.stride);
    Value ix0 = mulIndex(b, x0, sw);
    int64_t span = (vectors - 1) * step + (kw - 1) * dw + 1;
    // Filter rows (i, i+1) in pairs on VNNI (one vpdpwssd for two taps,
    // x and w interleaved as i16), the rest one at a time.
    SmallVector<std::pair<int64_t, int64_t>> groups; // (row, rows)
    for (size_t m = 0; m < khs.size();) {
      bool pair = pairs && m + 1 < khs.size();
      groups.push_back({khs[m], pair ? 2 : 1});
      m += pair ? 2 : 1;
    }
    SmallVector<int64_t> interleave;
    for (int64_t l = 0; l < kLanes; ++l) {
      interleave.push_back(l);
      interleave.push_back(kLanes + l);
    }
    for (auto [i, rowsN] : groups) {
      SmallVector<Value, 2> iys;
      for (int64_t q = 0; q < rowsN; ++q)
        iys.push_back(
            addIndex(b, iy0, (i + q) * rowsAxis.dilation - rowsAxis.padLow));
      for (int64_t j = 0; j < span; ++j) {
        Value xv;
        for (int64_t r = 0; r < vectors; ++r) {
          int64_t off = j - r * step;
          if (off < 0 || off % dw != 0 || off / dw >= kw || !useKw[off / dw])
            continue;
          if (!xv) {
            Value ix = addIndex(b, ix0, j - colsAxis.padLow);
            auto load = [&](Value iy) -> Value {
              if (pack > 1)
                return vector::TransferReadOp::create(
                    b, loc, v16i8, input, ValueRange{n, iy, mulIndex(b, ix, c)},
                    i8Zero, ArrayRef<bool>{true});
              return vector::TransferReadOp::create(
                  b, loc, v16i8, input, ValueRange{n, iy, ix, ch}, i8Zero,
                  ArrayRef<bool>{inBounds});
            };
            if (rowsN == 1) {
              xv = arith::ExtSIOp::create(b, loc, v32, load(iys[0]));
            } else {
              // Interleave the bytes, then sign-extend once (a byte
              // permute and one vpmovsxbw; interleaving the extended
              // words took two inserts and a word permute).
              Value both = vector::ShuffleOp::create(
                  b, loc, load(iys[0]), load(iys[1]), interleave);
              Value wide = arith::ExtSIOp::create(
                  b, loc, VectorType::get({2 * kLanes}, b.getI16Type()),
                  both);
              xv = vector::BitCastOp::create(b, loc, v32, wide);
            }
          }
          acc[r] = multiplyAdd(b, acc[r], xv,
                               rowsN == 1 ? wv[i * kw + off / dw]
                                          : wp[i * kw + off / dw]);
        }
      }
    }
    for (int64_t r = 0; r < vectors; ++r) {
      Value v = epilogue.emit(b, loc, acc[r], ch);
      if (pack > 1) {
        out = vector::TransferWriteOp::create(
                  b, loc, v, out,
                  ValueRange{n, y, mulIndex(b, addIndex(b, x0, r * pack), c)},
                  ArrayRef<bool>{true})
                  .getResult();
        continue;
      }
      out = vector::TransferWriteOp::create(
                b, loc, v, out, ValueRange{n, y, addIndex(b, x0, r), ch},
                ArrayRef<bool>{inBounds})
                .getResult();
    }
    return out;
  }

  /// `count` output pixels from (n, y, x0), every channel block (the
  /// channels innermost: contiguous reads and writes of whole pixels).
  Value pixelTile(OpBuilder &b, Value n, Value y, Value x0, int64_t count,
                  ArrayRef<int64_t> khs, ArrayRef<int64_t> kws,
                  Value out) const {
    auto blockTile = [&](OpBuilder &nb, Value ch, int64_t valid, Value o) {
      auto v32 = VectorType::get({kLanes}, nb.getI32Type());
      Value i32Zero =
          arith::ConstantOp::create(nb, loc, nb.getI32IntegerAttr(0));
      int64_t taps = rowsAxis.taps * colsAxis.taps;
      SmallVector<Value> wv(taps);
      for (int64_t t = 0; t < taps; ++t)
        wv[t] = vector::TransferReadOp::create(
            nb, loc, v32, weights, ValueRange{index(nb, t), ch}, i32Zero,
            ArrayRef<bool>{true});
      SmallVector<Value> wp;
      if (pairs) {
        wp.resize((rowsAxis.taps - 1) * colsAxis.taps);
        for (size_t m = 0; m + 1 < khs.size(); m += 2)
          for (int64_t k = 0; k < colsAxis.taps; ++k) {
            int64_t t = khs[m] * colsAxis.taps + k;
            wp[t] = vector::TransferReadOp::create(
                nb, loc, v32, pairs, ValueRange{index(nb, t), ch}, i32Zero,
                ArrayRef<bool>{true});
          }
      }
      Value biasV = vector::TransferReadOp::create(
          nb, loc, v32, bias, ValueRange{ch}, i32Zero, ArrayRef<bool>{true});
      return tile(nb, n, y, x0, ch, wv, wp, biasV, count, khs, kws, valid, o);
    };
    if (pack > 1)
      return blockTile(b, index(b, 0), kLanes, out);
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

/// Replaces `layer` (its requantize when fused) with the kernel's `result`,
/// expanded from [N, OH, OW * C] to NHWC when `flat`.
void replaceDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                      Value result, bool flat) {
  if (flat) {
    Type element = cast<RankedTensorType>(result.getType()).getElementType();
    result = tensor::ExpandShapeOp::create(
        rewriter, layer.op.getLoc(),
        RankedTensorType::get({layer.n, layer.oh, layer.ow, layer.c},
                              element),
        result, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  }
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : layer.op.getOperation();
  rewriter.replaceOp(root, result);
  if (layer.requantize)
    rewriter.eraseOp(layer.op);
}

/// Returns whether the epilogue computes in the exact f32 form.
bool rewriteDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                      int64_t pixels, KernelIsa isa, bool floatRequantize) {
  Conv2DOp conv = layer.op;
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : conv.getOperation();
  rewriter.setInsertionPoint(root);
  Location loc = conv.getLoc();
  Type i8 = rewriter.getI8Type();
  Type i32 = rewriter.getI32Type();
  int64_t cpad = (layer.c + kLanes - 1) / kLanes * kLanes;
  int64_t taps = layer.kh * layer.kw;
  DepthwiseAxis rows = depthwiseAxis(conv, 0, layer.h, layer.kh, layer.oh);
  DepthwiseAxis cols = depthwiseAxis(conv, 1, layer.w, layer.kw, layer.ow);
  // Fewer than 16 channels dividing 16 (VWW's first depthwise layer has 8):
  // `pack` = 16 / C neighbouring pixels share one vector, whose lanes are
  // then the channels of pixel x, x+1, ... (contiguous in NHWC), instead of
  // a vector with 16 - C idle lanes. A filter tap reads the same 16 bytes
  // for every pixel of the vector shifted by one pixel, so it needs stride
  // and dilation 1 along W; the input is padded by a copy.
  int64_t pack = 1;
  if (layer.c < kLanes && kLanes % layer.c == 0 && cols.stride == 1 &&
      cols.dilation == 1) {
    int64_t p = kLanes / layer.c;
    if (layer.ow % p == 0 && pixels % p == 0)
      pack = p;
  }
  // The channel of table lane l (-1: padding).
  auto laneChannel = [&](int64_t l) -> int64_t {
    if (pack > 1)
      return l % layer.c;
    return l < layer.c ? l : -1;
  };

  // The weights in the operand form of multiplyAdd: sign-extended (Vector),
  // or the i16 weight in the low half of each i32 lane, 0 in the high half
  // (vpdpwssd / vpmaddwd; x's high half is its sign). Zeros past C.
  SmallVector<int32_t> packed(taps * cpad, 0);
  SmallVector<int32_t> bias(cpad, 0);
  for (int64_t l = 0; l < cpad; ++l) {
    int64_t ch = laneChannel(l);
    if (ch < 0)
      continue;
    for (int64_t t = 0; t < taps; ++t) {
      int32_t w = static_cast<int8_t>(layer.weights[ch * taps + t]);
      packed[t * cpad + l] =
          isa == KernelIsa::Vector ? w : static_cast<int32_t>(w & 0xffff);
    }
    if (!layer.bias.empty())
      bias[l] = static_cast<int32_t>(layer.bias[ch]);
  }
  Value weights = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({taps, cpad}, i32),
                             ArrayRef<int32_t>(packed)));
  Value biasT = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({cpad}, i32),
                             ArrayRef<int32_t>(bias)));
  // VNNI: the taps of filter rows i and i+1 of a column interleaved as i16
  // pairs (w[i] low, w[i+1] high), for one vpdpwssd on two rows' inputs.
  Value pairs;
  if (isa == KernelIsa::Vnni && layer.kh >= 2) {
    SmallVector<int32_t> pairTable((layer.kh - 1) * layer.kw * cpad, 0);
    for (int64_t l = 0; l < cpad; ++l)
      for (int64_t ch = laneChannel(l), i = 0; ch >= 0 && i + 1 < layer.kh;
           ++i)
        for (int64_t k = 0; k < layer.kw; ++k) {
          auto w = [&](int64_t row) {
            return static_cast<uint32_t>(static_cast<uint16_t>(
                static_cast<int8_t>(layer.weights[ch * taps + row * layer.kw + k])));
          };
          pairTable[(i * layer.kw + k) * cpad + l] =
              static_cast<int32_t>(w(i) | (w(i + 1) << 16));
        }
    pairs = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({(layer.kh - 1) * layer.kw, cpad}, i32),
            ArrayRef<int32_t>(pairTable)));
  }

  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     cpad,
                     accumulatorRanges(layer.weights, layer.bias, layer.c),
                     floatRequantize && isa == KernelIsa::Vnni,
                     /*channelPeriod=*/pack > 1 ? layer.c : 0)
          : Epilogue();
  Type outElement = epilogue.resultElement(rewriter);
  // Packed pixels: the output rows as [N, OH, OW * C] (a vector is 16
  // contiguous bytes of a row), expanded back at the end.
  Value out =
      pack > 1
          ? createEmpty(rewriter, loc, {layer.n, layer.oh, layer.ow * layer.c},
                        outElement)
          : createEmpty(rewriter, loc, {layer.n, layer.oh, layer.ow, layer.c},
                        outElement);

  // The padding holds the input zero point (real zero, as an i8).
  int64_t zp = static_cast<int8_t>(conv.getInputZeroPoint().value_or(0));
  PaddingAttr pad = conv.getPadding();
  Value input = conv.getInput();
  if (pack > 1 || rows.borders() > kMaxBorder ||
      cols.borders() > kMaxBorder) {
    // Too many border rows or columns to peel: pad by a copy, after which
    // every tap is inside.
    Value padValue =
        arith::ConstantOp::create(rewriter, loc, getIntegerAttr(i8, zp));
    input = padWith(rewriter, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                    {0, pad.getBottom(), pad.getRight(), 0}, padValue);
    rows.size += pad.getTop() + pad.getBottom();
    cols.size += pad.getLeft() + pad.getRight();
    rows.padLow = cols.padLow = 0;
  }

  if (pack > 1) {
    auto t = cast<RankedTensorType>(input.getType());
    input = tensor::CollapseShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({t.getDimSize(0), t.getDimSize(1),
                               t.getDimSize(2) * t.getDimSize(3)},
                              i8),
        input, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  }
  DepthwiseKernel kernel{{loc}, input,   weights, pairs, biasT, rows,
                         cols,  layer.c, pixels,  zp,    isa,   epilogue,
                         pack};
  replaceDepthwise(rewriter, layer, kernel.build(rewriter, layer.n, out),
                   /*flat=*/pack > 1);
  return epilogue.isFloatForm();
}


// VNNI: the filter rows in the four bytes of a vpdpbusd lane.
//
// For each group of output rows, the (at most four) input rows it reads are
// interleaved byte by byte into an L1 scratch Q and flipped to u8:
//
//   Q[4 * f + q] = x[row q][f - pl * C] ^ 0x80     f: the flat (column,
//                                                   channel) index
//
// with the input zero point in the padding columns and in rows outside the
// input. Lane l of a 64-byte load of Q at flat f holds the four rows' bytes
// of position f + l, so one vpdpbusd with the weights (w[0][kw], w[1][kw],
// w[2][kw], 0) in each lane adds a whole filter column of 16 outputs: 3
// vpdpbusd per 16 outputs of a 3x3 filter (the row-pair vpdpwssd form needs
// 6, on i16 operands sign-extended in the loop). With unit stride and
// dilation along H, rows y .. y+3 serve output rows y and y+1, the second
// with the weights (0, w[0], w[1], w[2]): each Q load feeds two vpdpbusd,
// and Q is built once per two output rows. The u8 flip adds 128 * sum(w)
// to every channel's sum; the bias takes it back. The flat layout covers
// C a multiple of 16 (a vector is 16 channels of one pixel) and C dividing
// 16 with unit stride along W (16 / C pixels per vector).
//
//   for n, for each group of output rows y (1 or 2; border groups static):
//     Q = the interleaved, flipped rows of the group (zp outside)
//     for channel block cb (1 with packed pixels):
//       wu[kw], wl[kw] = the weight bytes of block cb; bias
//       for each tile of 6 (pairs) or 8 vectors along the row:
//         acc[i][r] = bias
//         for r, kw: qv = Q[4 * ((ox_r * sw + kw * dw) * C + cb * 16) ..]
//                    acc[0][r] = vpdpbusd(acc[0][r], qv, wu[kw])
//                    acc[1][r] = vpdpbusd(acc[1][r], qv, wl[kw])
//         out[n][y + i][ox_r * C + cb * 16 ..] = epilogue(acc[i][r])
struct QuadDepthwise : IndexBuilder {
  Value input;        // tensor<N x H x (W * C) x i8>
  Value upper, lower; // tensor<KW x L x i32>: the weight bytes of a lane
  Value bias;         // tensor<L x i32>, the flip taken out
  DepthwiseAxis rowsAxis, colsAxis;
  int64_t c, zp, pack;
  bool pairRows;
  int64_t qColumns; // columns of Q (padding included)
  const Epilogue &epilogue;

  static constexpr int64_t kRowBytes = 4;

  int64_t blocks() const { return pack > 1 ? 1 : c / kLanes; }
  /// Vectors of one channel block in an output row.
  int64_t rowVectors() const {
    return pack > 1 ? colsAxis.out * c / kLanes : colsAxis.out;
  }
  /// Channel blocks per tile: with 2 to 4 blocks of a pixel in a tile,
  /// their results are one contiguous run, narrowed with two packs and a
  /// permute and stored as one vector (Epilogue::storeRun).
  /// Only for row pairs with at least 28 vectors in a row: with a single
  /// output row a tile reads more Q vectors per output (3-4% slower at
  /// stride 2), and on short rows the blocks' weights, spilled once per
  /// row group, cost more than the stores save (VWW 3-5% slower); 56x56x144
  /// and 28x28x192 at stride 1: 2-4% faster (A/B).
  int64_t tileBlocks() const {
    if (!pairRows || pack > 1 || rowVectors() < 28 ||
        !epilogue.narrowsRuns())
      return 1;
    for (int64_t nb : {4, 3, 2})
      if (blocks() % nb == 0)
        return nb;
    return 1;
  }
  /// Vectors (pixels) per tile: with several blocks per tile, one pixel
  /// (2 rows x 3 or 4 blocks: the blocks' weights stay in registers;
  /// 28x28x192 s1 3-8%, 56x56x144 s1 1-1.5% faster than two pixels, A/B);
  /// otherwise at most 16 accumulators (two rows of 8 or one of 12
  /// vectors), a divisor of the row's vectors when one is close (no tail
  /// tile).
  int64_t tileVectors() const {
    if (tileBlocks() > 1)
      return 1;
    int64_t most = std::max<int64_t>(1, (pairRows ? 8 : 12) / tileBlocks());
    for (int64_t t = most; t > most / 2; --t)
      if (rowVectors() % t == 0)
        return t;
    return tileBlocks() > 1 ? most : pairRows ? 6 : 8;
  }
  /// Input rows a group of `rows` output rows reads.
  int64_t groupRows(int64_t rows) const {
    return rows == 2 || (shifts() && !pairRows) ? rowsAxis.taps + 1
                                                : rowsAxis.taps;
  }
  /// Each group's Q is the previous group's shifted by two input rows plus
  /// two new rows (shiftRows): 3 filter rows, unit dilation, groups two
  /// input rows apart (row pairs at unit stride, single rows at stride 2;
  /// these then read a fourth row, which has weight 0, for the next group).
  bool shifts() const {
    return rowsAxis.taps == 3 && rowsAxis.dilation == 1 &&
           (pairRows ? 2 : 1) * rowsAxis.stride == 2;
  }
  int64_t inputRow(int64_t y, int64_t q) const {
    return y * rowsAxis.stride - rowsAxis.padLow + q * rowsAxis.dilation;
  }
  int64_t scratchBytes() const {
    int64_t columns = std::max(qColumns, colsAxis.padLow + colsAxis.size);
    return kRowBytes * (columns * c + 2 * kLanes);
  }

  Value writeAt(OpBuilder &b, Value v, Value q, Value flat) const {
    return vector::TransferWriteOp::create(b, loc, v, q,
                                           ValueRange{mulIndex(b, flat, 4)},
                                           ArrayRef<bool>{true})
        .getResult();
  }

  /// Runs over the W * C positions of an input row: `chunk64(b, j, q)` on
  /// 64 positions from j in a loop, then `chunk16(b, j, inBounds, q)` on the
  /// remaining 16-position chunks, the last one masked past the row.
  Value forEachChunk(
      OpBuilder &b, Value q,
      llvm::function_ref<Value(OpBuilder &, Value, Value)> chunk64,
      llvm::function_ref<Value(OpBuilder &, Value, bool, Value)> chunk16)
      const {
    constexpr int64_t wide = kRowBytes * kLanes;
    int64_t rowLen = colsAxis.size * c;
    int64_t chunks = rowLen / kLanes;
    int64_t looped = rowLen / wide * (wide / kLanes);
    if (looped > 0)
      q = scf::ForOp::create(
              b, loc, index(b, 0), index(b, looped * kLanes), index(b, wide),
              ValueRange{q},
              [&](OpBuilder &nb, Location l, Value j, ValueRange iter) {
                scf::YieldOp::create(nb, l, chunk64(nb, j, iter[0]));
              })
              .getResult(0);
    for (int64_t k = looped; k < chunks; ++k)
      q = chunk16(b, index(b, k * kLanes), true, q);
    if (rowLen % kLanes)
      q = chunk16(b, index(b, chunks * kLanes), false, q);
    return q;
  }

  /// Q for the output rows from `y`: the input rows q with `real[q]`, the
  /// zero point for the others.
  Value fill(OpBuilder &b, Value n, Value y, ArrayRef<bool> real,
             Value q) const {
    Type i8 = b.getI8Type();
    auto v16 = VectorType::get({kLanes}, i8);
    auto v64 = VectorType::get({kRowBytes * kLanes}, i8);
    auto splat = [&](VectorType t, int64_t v) -> Value {
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(t, static_cast<int8_t>(v)));
    };
    Value sign = splat(v64, -128);
    Value zpScalar =
        arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(zp));
    int64_t pl = colsAxis.padLow;
    SmallVector<Value, 4> rows(kRowBytes);
    for (int64_t r = 0; r < kRowBytes; ++r)
      if (real[r])
        rows[r] = addIndex(b, mulIndex(b, y, rowsAxis.stride),
                           r * rowsAxis.dilation - rowsAxis.padLow);
    SmallVector<int64_t> pairMask, quadMask;
    for (int64_t l = 0; l < 2 * kLanes; ++l)
      pairMask.push_back(l);
    for (int64_t l = 0; l < kLanes; ++l)
      for (int64_t r = 0; r < kRowBytes; ++r)
        quadMask.push_back((r / 2) * 2 * kLanes + (r % 2) * kLanes + l);
    // The four rows' bytes at flat position j (the zero point for the
    // rows that are padding).
    auto readRows = [&](OpBuilder &cb, VectorType type, Value j,
                        bool inBounds) {
      SmallVector<Value, 4> v(kRowBytes);
      for (int64_t r = 0; r < kRowBytes; ++r)
        v[r] = real[r] ? vector::TransferReadOp::create(
                             cb, loc, type, input, ValueRange{n, rows[r], j},
                             zpScalar, ArrayRef<bool>{inBounds})
                             .getResult()
                       : splat(type, zp);
      return v;
    };
    // Flat positions [j, j + 16) of the rows, interleaved, into Q.
    auto chunk = [&](OpBuilder &cb, Value j, bool inBounds, Value qv) {
      SmallVector<Value, 4> v = readRows(cb, v16, j, inBounds);
      Value lo = vector::ShuffleOp::create(cb, loc, v[0], v[1], pairMask);
      Value hi = vector::ShuffleOp::create(cb, loc, v[2], v[3], pairMask);
      Value all = vector::ShuffleOp::create(cb, loc, lo, hi, quadMask);
      all = arith::XOrIOp::create(cb, loc, all, sign);
      return writeAt(cb, all, qv, addIndex(cb, j, pl * c));
    };
    // 64 positions at a time: 64-byte rows, a two-source byte permute
    // (vpermt2b) per row pair (0, 1), (2, 3) and half, then in-lane word
    // unpacks (vpunpck[lh]wd) join the pairs: 128-bit lane L of the pair
    // vector of half h holds positions 32h + 4L .. +3 in its low 8 bytes
    // and 32h + 16 + 4L .. +3 in its high 8, as (row 0, row 1) bytes.
    constexpr int64_t wide = kRowBytes * kLanes;
    SmallVector<int64_t> pairsMask[2], quadsMask[2];
    for (int64_t h = 0; h < 2; ++h)
      for (int64_t lane = 0; lane < 4; ++lane)
        for (int64_t s = 0; s < 2; ++s)
          for (int64_t i = 0; i < 4; ++i)
            for (int64_t r = 0; r < 2; ++r)
              pairsMask[h].push_back(r * wide + 32 * h + 16 * s + 4 * lane +
                                     i);
    for (int64_t s = 0; s < 2; ++s)
      for (int64_t lane = 0; lane < 4; ++lane)
        for (int64_t i = 0; i < 4; ++i)
          for (int64_t r = 0; r < kRowBytes; ++r)
            quadsMask[s].push_back((r / 2) * wide + 16 * lane + 8 * s +
                                   2 * i + r % 2);
    auto chunk64 = [&](OpBuilder &cb, Value j, Value qv) {
      SmallVector<Value, 4> v =
          readRows(cb, VectorType::get({wide}, i8), j, /*inBounds=*/true);
      Value at = addIndex(cb, j, pl * c);
      for (int64_t half = 0; half < 2; ++half) {
        Value low = vector::ShuffleOp::create(cb, loc, v[0], v[1],
                                              pairsMask[half]);
        Value high = vector::ShuffleOp::create(cb, loc, v[2], v[3],
                                               pairsMask[half]);
        for (int64_t k = 0; k < 2; ++k) {
          Value all =
              vector::ShuffleOp::create(cb, loc, low, high, quadsMask[k]);
          all = arith::XOrIOp::create(cb, loc, all, sign);
          qv = writeAt(cb, all, qv, addIndex(cb, at, (2 * half + k) * kLanes));
        }
      }
      return qv;
    };
    return forEachChunk(b, q, chunk64, chunk);
  }

  /// Row pairs of a 3-row filter: Q of the output rows from `y` made from
  /// Q of the rows from y - 2, which read two rows earlier: its rows 2, 3
  /// become rows 0, 1 (one byte permute with the new rows per 16
  /// positions, in L1) and only the input rows 2, 3 of the new group
  /// (`real[2]`, `real[3]`; the zero point otherwise) are read: half the
  /// input reads of `fill`.
  Value shiftRows(OpBuilder &b, Value n, Value y, ArrayRef<bool> real,
                  Value q) const {
    Type i8 = b.getI8Type();
    constexpr int64_t wide = kRowBytes * kLanes;
    auto v16 = VectorType::get({kLanes}, i8);
    auto v64 = VectorType::get({wide}, i8);
    auto splat = [&](VectorType t, int64_t v) -> Value {
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(t, static_cast<int8_t>(v)));
    };
    Value zpScalar =
        arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(zp));
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    int64_t pl = colsAxis.padLow;
    SmallVector<Value, 2> rows(2);
    for (int64_t r = 0; r < 2; ++r)
      if (real[2 + r])
        rows[r] = addIndex(b, mulIndex(b, y, rowsAxis.stride),
                           (2 + r) * rowsAxis.dilation - rowsAxis.padLow);
    auto readRow = [&](OpBuilder &cb, int64_t r, VectorType t, Value j,
                       bool inBounds) -> Value {
      if (!real[2 + r])
        return splat(t, zp);
      return vector::TransferReadOp::create(cb, loc, t, input,
                                            ValueRange{n, rows[r], j},
                                            zpScalar,
                                            ArrayRef<bool>{inBounds});
    };
    // Q at position `at` (16 positions): old rows 2, 3 as rows 0, 1 and the
    // new rows' bytes from the low half of each i32 of `pairs` (row 2, row
    // 3): per i32 (pairs:old) >> 16, one funnel shift (vpshrdd with
    // AVX512-VBMI2) instead of a 16-bit permute of the two vectors.
    auto v16i32 = VectorType::get({kLanes}, b.getI32Type());
    auto merge = [&](OpBuilder &cb, Value qv, Value at, Value pairs) -> Value {
      Value old = vector::TransferReadOp::create(
          cb, loc, v64, qv, ValueRange{mulIndex(cb, at, kRowBytes)}, i8Zero,
          ArrayRef<bool>{true});
      Value sixteen = arith::ConstantOp::create(
          cb, loc, DenseElementsAttr::get(v16i32, int32_t{16}));
      Value next = LLVM::FshrOp::create(
          cb, loc, vector::BitCastOp::create(cb, loc, v16i32, pairs),
          vector::BitCastOp::create(cb, loc, v16i32, old), sixteen);
      return writeAt(cb, vector::BitCastOp::create(cb, loc, v64, next), qv,
                     at);
    };
    auto flip = [&](OpBuilder &cb, Value v) -> Value {
      auto t = cast<VectorType>(v.getType());
      return arith::XOrIOp::create(
          cb, loc, v,
          arith::ConstantOp::create(cb, loc,
                                    DenseElementsAttr::get(t, int8_t{-128})));
    };
    // The pairs of positions [first, first + 16) of rows `r2`, `r3` (of
    // `len` bytes each): i32 l holds (r2[first + l], r3[first + l]) in its
    // low half (the high half repeats it; the funnel shift drops it).
    auto pairsOf = [&](OpBuilder &cb, Value r2, Value r3, int64_t len,
                       int64_t first) -> Value {
      SmallVector<int64_t> mask;
      for (int64_t l = 0; l < kLanes; ++l)
        for (int64_t r = 0; r < kRowBytes; ++r)
          mask.push_back((r % 2) * len + first + l);
      return vector::ShuffleOp::create(cb, loc, r2, r3, mask);
    };
    // 64 positions: the two new rows as 64 bytes each, flipped, then four
    // pair vectors and merges.
    auto chunk64 = [&](OpBuilder &cb, Value j, Value qv) {
      Value r2 = flip(cb, readRow(cb, 0, v64, j, true));
      Value r3 = flip(cb, readRow(cb, 1, v64, j, true));
      Value at = addIndex(cb, j, pl * c);
      for (int64_t k = 0; k < 4; ++k)
        qv = merge(cb, qv, addIndex(cb, at, k * kLanes),
                   pairsOf(cb, r2, r3, wide, k * kLanes));
      return qv;
    };
    // 16 positions (masked past the row when !inBounds).
    auto chunk16 = [&](OpBuilder &cb, Value j, bool inBounds, Value qv) {
      Value r2 = flip(cb, readRow(cb, 0, v16, j, inBounds));
      Value r3 = flip(cb, readRow(cb, 1, v16, j, inBounds));
      return merge(cb, qv, addIndex(cb, j, pl * c),
                   pairsOf(cb, r2, r3, kLanes, 0));
    };
    return forEachChunk(b, q, chunk64, chunk16);
  }

  /// The padding columns of Q: the flipped zero point, written once (the
  /// rows never write there, and a row tail writes the same value).
  Value fillPadding(OpBuilder &b, Value q) const {
    auto v64 = VectorType::get({kRowBytes * kLanes}, b.getI8Type());
    Value padVector = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(v64, static_cast<int8_t>(
                                        static_cast<int8_t>(zp) ^ 0x80)));
    int64_t pl = colsAxis.padLow;
    for (int64_t f = 0; f < pl * c; f += kLanes)
      q = writeAt(b, padVector, q, index(b, f));
    for (int64_t f = (pl + colsAxis.size) * c; f < qColumns * c; f += kLanes)
      q = writeAt(b, padVector, q, index(b, f));
    return q;
  }

  /// `count` vectors of the `nblk` channel blocks from `ch` from vector `v0`
  /// of output rows [y, y + rows); `wu[bb]`, `wl[bb]`, `biasV[bb]`: the
  /// weights and bias of block bb.
  Value tile(OpBuilder &b, Value n, Value y, int64_t rows, Value ch, Value v0,
             int64_t count, int64_t nblk, ArrayRef<SmallVector<Value>> wu,
             ArrayRef<SmallVector<Value>> wl, ArrayRef<Value> biasV, Value q,
             Value out) const {
    auto v64 = VectorType::get({kRowBytes * kLanes}, b.getI8Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    int64_t kw = colsAxis.taps, sw = colsAxis.stride, dw = colsAxis.dilation;
    // Output column of vector v0 (the first of its pixels).
    Value ox0 = mulIndex(b, v0, pack);
    Value base = mulIndex(b, mulIndex(b, ox0, sw), c);
    base = arith::AddIOp::create(b, loc, base, ch);
    // acc[i][r * nblk + bb]
    SmallVector<SmallVector<Value>> acc(rows);
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t r = 0; r < count; ++r)
        for (int64_t bb = 0; bb < nblk; ++bb)
          acc[i].push_back(biasV[bb]);
    for (int64_t bb = 0; bb < nblk; ++bb) {
      std::map<int64_t, Value> loads; // by column offset from ox0 * sw
      for (int64_t r = 0; r < count; ++r)
        for (int64_t k = 0; k < kw; ++k) {
          int64_t col = r * pack * sw + k * dw;
          Value &qv = loads[col];
          if (!qv)
            qv = vector::TransferReadOp::create(
                b, loc, v64, q,
                ValueRange{mulIndex(
                    b, addIndex(b, base, col * c + bb * kLanes), kRowBytes)},
                i8Zero, ArrayRef<bool>{true});
          for (int64_t i = 0; i < rows; ++i) {
            Value &a = acc[i][r * nblk + bb];
            a = LLVM::CallIntrinsicOp::create(
                    b, loc, a.getType(), b.getStringAttr(kVpdpbusd),
                    ValueRange{a, qv, i == 0 ? wu[bb][k] : wl[bb][k]})
                    ->getResult(0);
          }
        }
    }
    // Vector (r, bb) goes to flat0 + r * pack * C + bb * 16: runs of
    // consecutive vectors (a pixel's blocks, or whole pixels when the tile
    // has all of them) are narrowed together.
    Value flat0 = arith::AddIOp::create(b, loc, mulIndex(b, ox0, c), ch);
    SmallVector<std::pair<int64_t, int64_t>> order; // (offset, r * nblk + bb)
    for (int64_t r = 0; r < count; ++r)
      for (int64_t bb = 0; bb < nblk; ++bb)
        order.push_back({r * pack * c + bb * kLanes, r * nblk + bb});
    llvm::sort(order);
    auto channelOf = [&](int64_t idx) -> Value {
      return pack > 1 ? index(b, 0) : addIndex(b, ch, (idx % nblk) * kLanes);
    };
    for (int64_t i = 0; i < rows; ++i)
      for (size_t s = 0; s < order.size();) {
        size_t e = s + 1;
        while (epilogue.narrowsRuns() && e < order.size() && e - s < 4 &&
               order[e].first == order[e - 1].first + kLanes)
          ++e;
        SmallVector<Value> at{n, addIndex(b, y, i),
                              addIndex(b, flat0, order[s].first)};
        if (e - s == 1) {
          Value v = epilogue.emit(b, loc, acc[i][order[s].second],
                                  channelOf(order[s].second));
          out = vector::TransferWriteOp::create(b, loc, v, out, at,
                                                ArrayRef<bool>{true})
                    .getResult();
        } else {
          SmallVector<Value> wide;
          for (size_t t = s; t < e; ++t)
            wide.push_back(epilogue.emitWide(b, loc, acc[i][order[t].second],
                                             channelOf(order[t].second)));
          out = Epilogue::storeRun(b, loc, wide, out, at);
        }
        s = e;
      }
    return out;
  }

  /// Output rows [y, y + rows) from Q.
  Value group(OpBuilder &b, Value n, Value y, int64_t rows, Value q,
              Value out) const {
    int64_t nblk = tileBlocks();
    auto blockFn = [&](OpBuilder &bb, Value ch, Value o) -> Value {
      auto v32 = VectorType::get({kLanes}, bb.getI32Type());
      auto v64 = VectorType::get({kRowBytes * kLanes}, bb.getI8Type());
      Value i32Zero =
          arith::ConstantOp::create(bb, loc, bb.getI32IntegerAttr(0));
      auto weight = [&](Value table, int64_t k, Value at) -> Value {
        Value w = vector::TransferReadOp::create(
            bb, loc, v32, table, ValueRange{index(bb, k), at}, i32Zero,
            ArrayRef<bool>{true});
        return vector::BitCastOp::create(bb, loc, v64, w);
      };
      SmallVector<SmallVector<Value>> wu(nblk), wl(nblk);
      SmallVector<Value> biasV;
      for (int64_t blk = 0; blk < nblk; ++blk) {
        Value at = addIndex(bb, ch, blk * kLanes);
        for (int64_t k = 0; k < colsAxis.taps; ++k) {
          wu[blk].push_back(weight(upper, k, at));
          if (rows == 2)
            wl[blk].push_back(weight(lower, k, at));
        }
        biasV.push_back(vector::TransferReadOp::create(
            bb, loc, v32, bias, ValueRange{at}, i32Zero,
            ArrayRef<bool>{true}));
      }
      int64_t per = tileVectors();
      int64_t full = rowVectors() / per * per;
      if (full > 0)
        o = scf::ForOp::create(
                bb, loc, index(bb, 0), index(bb, full), index(bb, per),
                ValueRange{o},
                [&](OpBuilder &nb, Location l, Value v0, ValueRange iter) {
                  scf::YieldOp::create(nb, l,
                                       tile(nb, n, y, rows, ch, v0, per, nblk,
                                            wu, wl, biasV, q, iter[0]));
                })
                .getResult(0);
      if (rowVectors() % per)
        o = tile(bb, n, y, rows, ch, index(bb, full), rowVectors() % per,
                 nblk, wu, wl, biasV, q, o);
      return o;
    };
    if (blocks() == nblk)
      return blockFn(b, index(b, 0), out);
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, c), index(b, nblk * kLanes),
               ValueRange{out},
               [&](OpBuilder &nb, Location l, Value ch, ValueRange iter) {
                 scf::YieldOp::create(nb, l, blockFn(nb, ch, iter[0]));
               })
        .getResult(0);
  }

  /// The rows of a group from `y` that exist (true) or are padding.
  SmallVector<bool> realRows(int64_t y, int64_t rows) const {
    SmallVector<bool> real(kRowBytes, false);
    for (int64_t r = 0; r < groupRows(rows); ++r) {
      int64_t iy = inputRow(y, r);
      real[r] = iy >= 0 && iy < rowsAxis.size;
    }
    return real;
  }

  Value image(OpBuilder &b, Value n, Value out, Value &q) const {
    int64_t step = pairRows ? 2 : 1;
    struct Group {
      int64_t y, rows;
      bool interior;
    };
    SmallVector<Group> groups;
    for (int64_t y = 0; y < rowsAxis.out; y += step) {
      int64_t rows = std::min(step, rowsAxis.out - y);
      SmallVector<bool> real = realRows(y, rows);
      bool interior = rows == step;
      for (int64_t r = 0; r < groupRows(rows); ++r)
        interior &= real[r];
      groups.push_back({y, rows, interior});
    }
    // The interior groups are one run: a loop; the others static.
    size_t lo = 0;
    while (lo < groups.size() && !groups[lo].interior)
      ++lo;
    size_t hi = lo;
    while (hi < groups.size() && groups[hi].interior)
      ++hi;
    // After the image's first group, each Q is the previous one shifted by
    // two rows (shiftRows, when shifts()); the first interior group is then
    // peeled when it opens the image.
    bool shifting = shifts();
    auto build = [&](OpBuilder &bb, Value y, ArrayRef<bool> real, Value qv,
                     bool first) {
      return shifting && !first ? shiftRows(bb, n, y, real, qv)
                                : fill(bb, n, y, real, qv);
    };
    auto emitStatic = [&](size_t i) {
      const Group &g = groups[i];
      Value y = index(b, g.y);
      q = build(b, y, realRows(g.y, g.rows), q, i == 0);
      out = group(b, n, y, g.rows, q, out);
    };
    for (size_t i = 0; i < lo; ++i)
      emitStatic(i);
    if (hi > lo && lo == 0 && shifting)
      emitStatic(lo++);
    if (hi > lo) {
      SmallVector<bool> real = realRows(groups[lo].y, step);
      bool first = lo == 0;
      auto loop = scf::ForOp::create(
          b, loc, index(b, groups[lo].y), index(b, groups[hi - 1].y + step),
          index(b, step), ValueRange{out, q},
          [&](OpBuilder &nb, Location l, Value y, ValueRange iter) {
            Value qv = build(nb, y, real, iter[1], first);
            Value o = group(nb, n, y, step, qv, iter[0]);
            scf::YieldOp::create(nb, l, ValueRange{o, qv});
          });
      out = loop.getResult(0);
      q = loop.getResult(1);
    }
    for (size_t i = hi; i < groups.size(); ++i)
      emitStatic(i);
    return out;
  }

  Value build(OpBuilder &b, int64_t batch, Value out) const {
    Value q = fillPadding(
        b, createEmpty(b, loc, {scratchBytes()}, b.getI8Type()));
    if (batch == 1)
      return image(b, index(b, 0), out, q);
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, batch), index(b, 1),
               ValueRange{out, q},
               [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
                 Value qv = iter[1];
                 Value o = image(nb, n, iter[0], qv);
                 scf::YieldOp::create(nb, l, ValueRange{o, qv});
               })
        .getResult(0);
  }
};

/// Lowers `layer` with QuadDepthwise when it fits (VNNI, at most four
/// filter rows, C a multiple of 16 or packed pixels); false: nothing
/// changed. `floatForm` is set to whether the epilogue computes in f32.
bool rewriteQuadDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                          bool floatRequantize, bool &floatForm) {
  Conv2DOp conv = layer.op;
  DepthwiseAxis rows = depthwiseAxis(conv, 0, layer.h, layer.kh, layer.oh);
  DepthwiseAxis cols = depthwiseAxis(conv, 1, layer.w, layer.kw, layer.ow);
  if (layer.kh > 4)
    return false;
  int64_t pack = 1;
  if (layer.c % kLanes != 0) {
    if (layer.c > kLanes || kLanes % layer.c != 0 || cols.stride != 1 ||
        cols.dilation != 1 || layer.ow % (kLanes / layer.c) != 0)
      return false;
    pack = kLanes / layer.c;
  }
  bool pairRows = rows.stride == 1 && rows.dilation == 1 && layer.kh <= 3 &&
                  layer.oh >= 2;
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : conv.getOperation();
  rewriter.setInsertionPoint(root);
  Location loc = conv.getLoc();
  Type i8 = rewriter.getI8Type();
  Type i32 = rewriter.getI32Type();
  int64_t taps = layer.kh * layer.kw;
  int64_t lanes = pack > 1 ? kLanes : layer.c;
  auto laneChannel = [&](int64_t l) { return pack > 1 ? l % layer.c : l; };
  // Lane bytes: upper (w[0], .., w[KH-1]), lower shifted up one row.
  SmallVector<int32_t> upper(layer.kw * lanes, 0), lower(layer.kw * lanes, 0);
  SmallVector<int32_t> bias(lanes, 0);
  for (int64_t l = 0; l < lanes; ++l) {
    int64_t ch = laneChannel(l);
    int64_t sum = 0;
    for (int64_t k = 0; k < layer.kw; ++k) {
      uint32_t u = 0, d = 0;
      for (int64_t r = 0; r < layer.kh; ++r) {
        auto w = static_cast<uint8_t>(
            static_cast<int8_t>(layer.weights[ch * taps + r * layer.kw + k]));
        sum += static_cast<int8_t>(w);
        u |= static_cast<uint32_t>(w) << (8 * r);
        if (r + 1 < 4)
          d |= static_cast<uint32_t>(w) << (8 * (r + 1));
      }
      upper[k * lanes + l] = static_cast<int32_t>(u);
      lower[k * lanes + l] = static_cast<int32_t>(d);
    }
    int64_t b0 = layer.bias.empty() ? 0 : layer.bias[ch];
    bias[l] = static_cast<int32_t>(static_cast<uint32_t>(b0 - 128 * sum));
  }
  auto table = [&](ArrayRef<int32_t> values, ArrayRef<int64_t> shape) {
    return arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get(shape, i32), values));
  };
  Value upperT = table(upper, {layer.kw, lanes});
  Value lowerT = pairRows ? table(lower, {layer.kw, lanes}) : Value();
  Value biasT = table(bias, {lanes});

  int64_t cpad = (layer.c + kLanes - 1) / kLanes * kLanes;
  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     cpad,
                     accumulatorRanges(layer.weights, layer.bias, layer.c),
                     floatRequantize, /*channelPeriod=*/pack > 1 ? layer.c : 0)
          : Epilogue();
  Type outElement = epilogue.resultElement(rewriter);
  Value out = createEmpty(rewriter, loc,
                          {layer.n, layer.oh, layer.ow * layer.c}, outElement);
  Value input = tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({layer.n, layer.h, layer.w * layer.c}, i8),
      conv.getInput(), SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  int64_t zp = static_cast<int8_t>(conv.getInputZeroPoint().value_or(0));
  int64_t qColumns = (layer.ow - 1) * cols.stride +
                     (layer.kw - 1) * cols.dilation + 1;
  QuadDepthwise kernel{{loc}, input, upperT,  lowerT,   biasT,
                       rows,  cols,  layer.c, zp,       pack,
                       pairRows, qColumns, epilogue};
  replaceDepthwise(rewriter, layer, kernel.build(rewriter, layer.n, out),
                   /*flat=*/true);
  floatForm = epilogue.isFloatForm();
  return true;
}

} // namespace

FailureOr<LoweredLayer>
qnn::int8::lowerDepthwise(RewriterBase &rewriter, Conv2DOp op,
                          bool fuseRequantize, int64_t pixels, KernelIsa isa,
                          bool floatRequantize) {
  FailureOr<DepthwiseLayer> layer = matchDepthwise(op);
  if (failed(layer))
    return failure();
  if (fuseRequantize)
    layer->requantize = matchRequantize(op);
  LoweredLayer lowered;
  lowered.fused = static_cast<bool>(layer->requantize);
  if (isa == KernelIsa::Vnni &&
      rewriteQuadDepthwise(rewriter, *layer, floatRequantize,
                           lowered.floatForm))
    return lowered;
  lowered.floatForm =
      rewriteDepthwise(rewriter, *layer, pixels, isa, floatRequantize);
  return lowered;
}
