//===- Int8Depthwise.cpp - Integer depthwise conv2d as vector kernels -----===//
//
// Part of quant-opt. The depthwise part of --lower-int8-kernels.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;
using namespace qnn::int8;

namespace {

//// The integer form of a depthwise qnn.conv2d (groups = C = O, filter
// [C, KH, KW, 1], any stride, padding and dilation) is vectorized over the
// channels, 16 per vector<16xi32> accumulator (a depthwise tap has no
// reduction over channels: no vpdpbusd). The input is padded
// with input_zero_point (the I-form padding, docs/Numerics.md) and its
// channels with zeros to a multiple of 16, so every read is in bounds; the
// weights are repacked at compile time to [KH*KW][Cpad] (zeros past C):
//
//   for n, for channel block c (16 channels; the tail block a static copy):
//     wv[t] = sext(wpack[t][c .. c+16])                 (KH*KW registers)
//     for oh:
//       for ow0 step R (the last OW % R pixels: a static copy):
//         acc[r] = bias[c .. c+16]                      (r < R)
//         for kh, for each input column j = r*sw + kw*dw (loaded once):
//           xv = sext(xp[n][oh*sh + kh*dh][ow0*sw + j][c .. c+16])
//           acc[r] += xv * wv[kh*KW + kw]               (every r, kw at j)
//             (one vpdpwssd on x, w as 32 x i16, w's high halves 0)
//         out[n][oh][ow0 + r][c .. c+16] = epilogue(acc[r])  (masked tail)
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

struct DepthwiseKernel : IndexBuilder {
  Value input;   // tensor<N x Hp x Wp x Cpad x i8>, zero-point padded
  Value weights; // tensor<KH*KW x Cpad x i8>
  Value bias;    // tensor<Cpad x i32>
  int64_t kh, kw, sh, sw, dh, dw, oh, ow, c, pixels;
  KernelIsa isa;
  const Epilogue &epilogue;

  /// acc + x * w (i32, wrapping) for the sign-extended x and w. VNNI: one
  /// vpdpwssd (s16 x s16 pairs -> i32, no saturation) on x and w as
  /// 32 x i16, w's high halves 0 (prepared in `block`): lane i is
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


  /// `rows` output pixels from (n, y, x0), channels [ch, +16) of which
  /// `valid` exist.
  Value tile(OpBuilder &b, Value n, Value y, Value x0, Value ch,
             ArrayRef<Value> wv, Value biasV, int64_t rows, int64_t valid,
             Value out) const {
    auto v16i8 = VectorType::get({kLanes}, b.getI8Type());
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    SmallVector<Value> acc(rows, biasV);
    Value iy0 = mulIndex(b, y, sh);
    Value ix0 = mulIndex(b, x0, sw);
    int64_t span = (rows - 1) * sw + (kw - 1) * dw + 1;
    for (int64_t i = 0; i < kh; ++i) {
      Value iy = addIndex(b, iy0, i * dh);
      for (int64_t j = 0; j < span; ++j) {
        Value xv;
        for (int64_t r = 0; r < rows; ++r) {
          int64_t off = j - r * sw;
          if (off < 0 || off % dw != 0 || off / dw >= kw)
            continue;
          if (!xv) {
            Value read = vector::TransferReadOp::create(
                b, loc, v16i8, input,
                ValueRange{n, iy, addIndex(b, ix0, j), ch}, i8Zero,
                ArrayRef<bool>{true});
            xv = arith::ExtSIOp::create(b, loc, v32, read);
          }
          acc[r] = multiplyAdd(b, acc[r], xv, wv[i * kw + off / dw]);
        }
      }
    }
    bool inBounds = valid == kLanes;
    for (int64_t r = 0; r < rows; ++r) {
      Value v = epilogue.emit(b, loc, acc[r], ch);
      out = vector::TransferWriteOp::create(
                b, loc, v, out, ValueRange{n, y, addIndex(b, x0, r), ch},
                ArrayRef<bool>{inBounds})
                .getResult();
    }
    return out;
  }

  /// Every output pixel of image `n` for the channels [ch, +16).
  Value block(OpBuilder &b, Value n, Value ch, int64_t valid,
              Value out) const {
    auto v16i8 = VectorType::get({kLanes}, b.getI8Type());
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    Value i32Zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    SmallVector<Value> wv;
    for (int64_t t = 0; t < kh * kw; ++t) {
      Value read = vector::TransferReadOp::create(
          b, loc, v16i8, weights, ValueRange{index(b, t), ch}, i8Zero,
          ArrayRef<bool>{true});
      Value w = arith::ExtSIOp::create(b, loc, v32, read);
      if (isa != KernelIsa::Vector) {
        // vpdpwssd / vpmaddwd operand: the i16 weight in the low half of each i32
        // lane, 0 in the high half (x's high half is its sign).
        w = arith::AndIOp::create(
            b, loc, w,
            arith::ConstantOp::create(
                b, loc, DenseElementsAttr::get(v32, int32_t{0xffff})));
      }
      wv.push_back(w);
    }
    Value biasV = vector::TransferReadOp::create(
        b, loc, v32, bias, ValueRange{ch}, i32Zero, ArrayRef<bool>{true});
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, oh), index(b, 1), ValueRange{out},
               [&](OpBuilder &nb, Location l, Value y, ValueRange iter) {
                 Value o = iter[0];
                 int64_t full = ow / pixels * pixels;
                 if (full > 0)
                   o = scf::ForOp::create(
                           nb, l, index(nb, 0), index(nb, full),
                           index(nb, pixels), ValueRange{o},
                           [&](OpBuilder &nb2, Location l2, Value x0,
                               ValueRange iter2) {
                             scf::YieldOp::create(
                                 nb2, l2,
                                 tile(nb2, n, y, x0, ch, wv, biasV, pixels,
                                      valid, iter2[0]));
                           })
                           .getResult(0);
                 if (ow % pixels)
                   o = tile(nb, n, y, index(nb, full), ch, wv, biasV,
                            ow % pixels, valid, o);
                 scf::YieldOp::create(nb, l, o);
               })
        .getResult(0);
  }

  Value build(OpBuilder &b, int64_t batch, Value out) const {
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, batch), index(b, 1),
               ValueRange{out},
               [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
                 Value o = iter[0];
                 int64_t fullBlocks = c / kLanes;
                 if (fullBlocks > 0)
                   o = scf::ForOp::create(
                           nb, l, index(nb, 0), index(nb, fullBlocks * kLanes),
                           index(nb, kLanes), ValueRange{o},
                           [&](OpBuilder &nb2, Location l2, Value ch,
                               ValueRange iter2) {
                             scf::YieldOp::create(
                                 nb2, l2, block(nb2, n, ch, kLanes, iter2[0]));
                           })
                           .getResult(0);
                 if (c % kLanes)
                   o = block(nb, n, index(nb, fullBlocks * kLanes),
                             c % kLanes, o);
                 scf::YieldOp::create(nb, l, o);
               })
        .getResult(0);
  }
};

void rewriteDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                      int64_t pixels, KernelIsa isa) {
  Conv2DOp conv = layer.op;
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : conv.getOperation();
  rewriter.setInsertionPoint(root);
  Location loc = conv.getLoc();
  Type i8 = rewriter.getI8Type();
  int64_t cpad = (layer.c + kLanes - 1) / kLanes * kLanes;
  int64_t taps = layer.kh * layer.kw;

  SmallVector<int8_t> packed(taps * cpad, 0);
  for (int64_t ch = 0; ch < layer.c; ++ch)
    for (int64_t t = 0; t < taps; ++t)
      packed[t * cpad + ch] = static_cast<int8_t>(layer.weights[ch * taps + t]);
  SmallVector<int32_t> bias(cpad, 0);
  for (int64_t ch = 0; ch < static_cast<int64_t>(layer.bias.size()); ++ch)
    bias[ch] = static_cast<int32_t>(layer.bias[ch]);
  Value weights = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({taps, cpad}, i8),
                             ArrayRef<int8_t>(packed)));
  Value biasT = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({cpad}, rewriter.getI32Type()),
          ArrayRef<int32_t>(bias)));

  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     cpad)
          : Epilogue();
  Type outElement = epilogue.resultElement(rewriter);
  Value out = createEmpty(rewriter, loc,
                          {layer.n, layer.oh, layer.ow, layer.c}, outElement);

  // Spatial padding with the input zero point (real zero), channels to a
  // multiple of 16 (their weights are 0 and their results never stored).
  PaddingAttr pad = conv.getPadding();
  Value padValue = arith::ConstantOp::create(
      rewriter, loc, getIntegerAttr(i8, conv.getInputZeroPoint().value_or(0)));
  Value input = conv.getInput();
  if (pad.getTop() || pad.getLeft() || pad.getBottom() || pad.getRight() ||
      cpad != layer.c)
    input = padWith(rewriter, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                    {0, pad.getBottom(), pad.getRight(), cpad - layer.c},
                    padValue);

  DepthwiseKernel kernel{{loc},
                         input,
                         weights,
                         biasT,
                         layer.kh,
                         layer.kw,
                         static_cast<int64_t>(conv.getStrides()[0]),
                         static_cast<int64_t>(conv.getStrides()[1]),
                         static_cast<int64_t>(conv.getDilations()[0]),
                         static_cast<int64_t>(conv.getDilations()[1]),
                         layer.oh,
                         layer.ow,
                         layer.c,
                         pixels,
                         isa,
                         epilogue};
  Value result = kernel.build(rewriter, layer.n, out);
  rewriter.replaceOp(root, result);
  if (layer.requantize)
    rewriter.eraseOp(conv);
}

} // namespace

FailureOr<bool> qnn::int8::lowerDepthwise(RewriterBase &rewriter, Conv2DOp op,
                                          bool fuseRequantize, int64_t pixels,
                                          KernelIsa isa) {
  FailureOr<DepthwiseLayer> layer = matchDepthwise(op);
  if (failed(layer))
    return failure();
  if (fuseRequantize)
    layer->requantize = matchRequantize(op);
  bool fused = static_cast<bool>(layer->requantize);
  rewriteDepthwise(rewriter, *layer, pixels, isa);
  return fused;
}
