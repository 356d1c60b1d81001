//===- Int8InputQuantize.cpp - Quantize and transpose an NCHW input -------===//
//
// Part of quant-opt. The input part of --lower-int8-kernels.
//
//===----------------------------------------------------------------------===//
//
// The real networks take an f32 NCHW image and start with
//
//   %q = quant.qcast %x : tensor<N x C x H x W x f32> to <... x !quant.uniform<i8..>>
//   %i = quant.scast %q : ... to tensor<N x C x H x W x i8>
//   %t = qnn.transpose %i permutation = [0, 2, 3, 1]   // NHWC, C = 3
//
// Lowered op by op, the quantize is a loop the LLVM vectorizer handles with
// ymm registers (round, add, max, min, truncating convert, three narrows per
// 8 elements), then a byte transpose with 3-byte pixels: 12% of VWW's int8
// latency. Here both are one vector kernel: for each row h and 16 pixels,
// the C channel rows are read as vector<16xf32>, quantized, and their bytes
// interleaved into 16 whole NHWC pixels (16 * C bytes, one store):
//
//   t = x * high [+ x * low]                   qnn::exactQuantizeReciprocal
//                                              (else x / scale)
//   q = fptosi(roundeven(min(max(t, lo - zp), hi - zp))) + zp
//
// The clamp moves before the rounding: lo - zp and hi - zp are integers, so
// clamping t and then rounding equals rounding, adding zp and clamping
// (the quant.qcast lowering) for every non-NaN x. max/min are written as
// compare + select (x86 max/min: a NaN becomes the bound lo).
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "LoweringUtils.h"
#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;
using namespace qnn::int8;

namespace {

constexpr int64_t kPixels = 16;

struct InputQuantize : IndexBuilder {
  Value input = {}; // tensor<N x C x H x W x f32>
  int64_t n = 0, c = 0, h = 0, w = 0;
  // x * high + x * low, or x / high when !reciprocal.
  float high = 1, low = 0;
  bool reciprocal = false;
  bool avx512 = false; // the conversion as vcvtps2dq (else roundeven + fptosi)
  int64_t zp = 0, lo = 0, hi = 0;

  /// 16 pixels of row `y` from column `x0` (masked past W unless
  /// `inBounds`), as 16 * C bytes of the NHWC output row.
  Value pixels(OpBuilder &b, Value img, Value y, Value x0, bool inBounds,
               Value out) const {
    auto f32 = VectorType::get({kPixels}, b.getF32Type());
    auto i32 = VectorType::get({kPixels}, b.getI32Type());
    auto i8 = VectorType::get({kPixels}, b.getI8Type());
    auto fconst = [&](float v) -> Value {
      return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(f32, v));
    };
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    Value loV = fconst(static_cast<float>(lo - zp));
    Value hiV = fconst(static_cast<float>(hi - zp));
    Value zpV = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(i32, static_cast<int32_t>(zp)));
    SmallVector<Value, 4> quantized; // vector<16xi32> per channel
    for (int64_t ch = 0; ch < c; ++ch) {
      Value x = vector::TransferReadOp::create(
          b, loc, f32, input, ValueRange{img, index(b, ch), y, x0}, zero,
          ArrayRef<bool>{inBounds});
      Value t;
      if (!reciprocal)
        t = arith::DivFOp::create(b, loc, x, fconst(high));
      else if (low == 0)
        t = arith::MulFOp::create(b, loc, x, fconst(high));
      else
        t = math::FmaOp::create(
            b, loc, x, fconst(high),
            arith::MulFOp::create(b, loc, x, fconst(low)));
      Value above =
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, t, loV);
      t = arith::SelectOp::create(b, loc, above, t, loV);
      Value below =
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, t, hiV);
      t = arith::SelectOp::create(b, loc, below, t, hiV);
      Value q;
      if (avx512) {
        // vcvtps2dq rounding to nearest even (8: RNE | no exceptions).
        Type i32Type = b.getI32Type();
        q = LLVM::CallIntrinsicOp::create(
                b, loc, i32, b.getStringAttr(kCvtRounded),
                ValueRange{t,
                           arith::ConstantOp::create(
                               b, loc, DenseElementsAttr::get(i32, int32_t{0})),
                           LLVM::ConstantOp::create(
                               b, loc, b.getI16Type(),
                               b.getIntegerAttr(b.getI16Type(), -1)),
                           LLVM::ConstantOp::create(
                               b, loc, i32Type,
                               b.getIntegerAttr(i32Type, 8))})
                ->getResult(0);
      } else {
        q = arith::FPToSIOp::create(b, loc, i32,
                                    math::RoundEvenOp::create(b, loc, t));
      }
      q = arith::AddIOp::create(b, loc, q, zpV);
      quantized.push_back(q);
    }
    // Byte p * C + ch of the result is channel ch of pixel p.
    Value joined;
    if (avx512 && c > 1) {
      // Saturating packs (no-ops: every value fits in i8) put the low
      // bytes of up to 4 channels in one vector, in 128-bit lane L:
      // channel ch of pixel 4L + j at byte 16L + 4ch + j; one byte
      // permute (vpermb with VBMI) orders them.
      auto call = [&](StringRef name, Type type, ValueRange args) -> Value {
        return LLVM::CallIntrinsicOp::create(b, loc, type,
                                             b.getStringAttr(name), args)
            ->getResult(0);
      };
      auto words = VectorType::get({2 * kPixels}, b.getI16Type());
      auto wide = VectorType::get({4 * kPixels}, b.getI8Type());
      Value first = call(kPackssDw, words, {quantized[0], quantized[1]});
      Value second =
          c == 2   ? first
          : c == 3 ? call(kPackssDw, words, {quantized[2], quantized[2]})
                   : call(kPackssDw, words, {quantized[2], quantized[3]});
      Value all = call(kPackssWb, wide, {first, second});
      SmallVector<int64_t> mask;
      for (int64_t p = 0; p < kPixels; ++p)
        for (int64_t ch = 0; ch < c; ++ch)
          mask.push_back(16 * (p / 4) + 4 * ch + p % 4);
      joined = vector::ShuffleOp::create(b, loc, all, all, mask);
    } else {
      // Shuffles of the 16-byte vectors (LLVM lowers those well, unlike
      // byte picks from the i32 vectors into a 48-byte result).
      SmallVector<Value, 4> narrow;
      for (Value q : quantized)
        narrow.push_back(arith::TruncIOp::create(b, loc, i8, q));
      joined = narrow[0];
      if (c > 1) {
        SmallVector<int64_t> concat;
        for (int64_t l = 0; l < 2 * kPixels; ++l)
          concat.push_back(l);
        Value first =
            vector::ShuffleOp::create(b, loc, narrow[0], narrow[1], concat);
        Value second = c == 2 ? first
                       : vector::ShuffleOp::create(b, loc, narrow[2],
                                                   narrow[c == 3 ? 2 : 3],
                                                   concat);
        SmallVector<int64_t> mask;
        for (int64_t p = 0; p < kPixels; ++p)
          for (int64_t ch = 0; ch < c; ++ch)
            mask.push_back(ch < 2 ? ch * kPixels + p
                                  : 2 * kPixels + (ch - 2) * kPixels + p);
        joined = vector::ShuffleOp::create(b, loc, first, second, mask);
      }
    }
    return vector::TransferWriteOp::create(
               b, loc, joined, out, ValueRange{img, y, mulIndex(b, x0, c)},
               ArrayRef<bool>{inBounds})
        .getResult();
  }

  Value row(OpBuilder &b, Value img, Value y, Value out) const {
    int64_t full = w / kPixels * kPixels;
    if (full > 0)
      out = scf::ForOp::create(
                b, loc, index(b, 0), index(b, full), index(b, kPixels),
                ValueRange{out},
                [&](OpBuilder &nb, Location l, Value x0, ValueRange iter) {
                  scf::YieldOp::create(
                      nb, l, pixels(nb, img, y, x0, true, iter[0]));
                })
                .getResult(0);
    if (w % kPixels)
      out = pixels(b, img, y, index(b, full), false, out);
    return out;
  }

  Value build(OpBuilder &b, Value out) const {
    auto loop = [&](OpBuilder &ob, int64_t count, Value init,
                    llvm::function_ref<Value(OpBuilder &, Value, Value)> body) {
      return scf::ForOp::create(
                 ob, loc, index(ob, 0), index(ob, count), index(ob, 1),
                 ValueRange{init},
                 [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
                   scf::YieldOp::create(nb, l, body(nb, i, iter[0]));
                 })
          .getResult(0);
    };
    return loop(b, n, out, [&](OpBuilder &nb, Value img, Value o) {
      return loop(nb, h, o, [&](OpBuilder &rb, Value y, Value o2) {
        return row(rb, img, y, o2);
      });
    });
  }
};

} // namespace

bool qnn::int8::lowerInputQuantize(RewriterBase &rewriter, TransposeOp op,
                                   KernelIsa isa) {
  ArrayRef<int64_t> perm = op.getPermutation();
  if (perm.size() != 4 || perm[0] != 0 || perm[1] != 2 || perm[2] != 3 ||
      perm[3] != 1)
    return false;
  auto scast = op.getInput().getDefiningOp<quant::StorageCastOp>();
  if (!scast || !scast->hasOneUse())
    return false;
  auto qcast = scast.getInput().getDefiningOp<quant::QuantizeCastOp>();
  if (!qcast || !qcast->hasOneUse())
    return false;
  auto inputType = dyn_cast<RankedTensorType>(qcast.getInput().getType());
  auto resultType = dyn_cast<RankedTensorType>(op.getType());
  if (!inputType || !inputType.hasStaticShape() ||
      !inputType.getElementType().isF32() || !resultType ||
      !resultType.getElementType().isSignlessInteger(8))
    return false;
  auto quantType = dyn_cast<quant::UniformQuantizedType>(
      cast<RankedTensorType>(qcast.getType()).getElementType());
  if (!quantType || !quantType.isSigned() ||
      quantType.getStorageTypeIntegralWidth() != 8)
    return false;
  ArrayRef<int64_t> shape = inputType.getShape();
  if (shape[1] < 1 || shape[1] > 4)
    return false;

  Location loc = op.getLoc();
  InputQuantize kernel{{loc}};
  kernel.input = qcast.getInput();
  kernel.n = shape[0];
  kernel.c = shape[1];
  kernel.h = shape[2];
  kernel.w = shape[3];
  kernel.zp = quantType.getZeroPoint();
  kernel.lo = quantType.getStorageTypeMin();
  kernel.hi = quantType.getStorageTypeMax();
  auto scale = static_cast<float>(quantType.getScale());
  std::optional<QuantizeReciprocal> r = exactQuantizeReciprocal(
      scale, static_cast<float>(kernel.zp), static_cast<float>(kernel.lo),
      static_cast<float>(kernel.hi));
  kernel.reciprocal = r.has_value();
  kernel.high = r ? r->high : scale;
  kernel.low = r ? r->low : 0;
  kernel.avx512 = isa == KernelIsa::Vnni;

  rewriter.setInsertionPoint(op);
  Type i8 = rewriter.getI8Type();
  Value out = createEmpty(rewriter, loc,
                          {kernel.n, kernel.h, kernel.w * kernel.c}, i8);
  Value result = kernel.build(rewriter, out);
  result = tensor::ExpandShapeOp::create(
      rewriter, loc, resultType, result,
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(op, result);
  rewriter.eraseOp(scast);
  rewriter.eraseOp(qcast);
  return true;
}
