//===- PoolPatterns.cpp - Pooling to linalg ---------------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

/// A window reduction over (n, oh, ow, c, kh, kw) of the padded input into
/// `init`: out[n, oh, ow, c] = combine(out, x[n, oh*sh + kh, ow*sw + kw, c]).
template <typename CombineFn>
static Value windowReduce(OpBuilder &b, Location loc, Value padded, Value init,
                          ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                          CombineFn combine) {
  MLIRContext *ctx = b.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // The kernel shape only bounds the kh/kw loops: an (unused) tensor of the
  // window's size carries it, as linalg's pooling ops do.
  Value window = createEmpty(b, loc, kernel,
                             getElementTypeOrSelf(padded.getType()));
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{padded, window},
             ValueRange{init},
             ArrayRef<AffineMap>{
                 AffineMap::get(6, 0,
                                {d(0), d(1) * strides[0] + d(4),
                                 d(2) * strides[1] + d(5), d(3)},
                                ctx),
                 AffineMap::get(6, 0, {d(4), d(5)}, ctx),
                 AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)},
             iterators(4, 2),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[2], args[0]));
             })
      .getResult(0);
}

static Value addF(OpBuilder &b, Location l, Value acc, Value v) {
  return arith::AddFOp::create(b, l, acc, v);
}

static Value maxF(OpBuilder &b, Location l, Value acc, Value v) {
  return arith::MaximumFOp::create(b, l, acc, v);
}

/// The divisor of each output position (row-major [OH, OW]), known at
/// compile time: the whole window, or only its part inside the input.
static SmallVector<int64_t> poolDivisors(AvgPool2DOp op, int64_t h, int64_t w,
                                         int64_t oh, int64_t ow) {
  PaddingAttr pad = op.getPadding();
  ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides();
  SmallVector<int64_t> divisors;
  for (int64_t y = 0; y < oh; ++y) {
    for (int64_t x = 0; x < ow; ++x) {
      if (op.getDivisor() == PoolDivisor::IncludePad) {
        divisors.push_back(kernel[0] * kernel[1]);
        continue;
      }
      int64_t y0 = y * strides[0] - pad.getTop(),
              x0 = x * strides[1] - pad.getLeft();
      int64_t rows = std::min(y0 + kernel[0], h) - std::max<int64_t>(y0, 0);
      int64_t cols = std::min(x0 + kernel[1], w) - std::max<int64_t>(x0, 0);
      divisors.push_back(rows * cols);
    }
  }
  return divisors;
}

/// The widest accumulator an integer window sum needs: i32 up to 16-bit
/// inputs, i64 beyond.
static IntegerType accumulatorType(OpBuilder &b, IntegerType input) {
  return b.getIntegerType(input.getWidth() <= 16 ? 32 : 64);
}

/// Average pooling in the I form: the window sum s of the stored integers
/// (positions outside the input add nothing) divided by the divisor d,
/// rounded half away from zero: s >= 0 ? (s + d/2) / d : -((-s + d/2) / d).
static Value lowerIntegerAvgPool(ConversionPatternRewriter &rewriter,
                                 AvgPool2DOp op, Value input,
                                 IntegerType original) {
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  PaddingAttr pad = op.getPadding();
  ArrayRef<int64_t> in = shapeOf(input);
  ArrayRef<int64_t> out = op.getType().getShape();
  IntegerType acc = accumulatorType(rewriter, original);
  Type storage = getElementTypeOrSelf(input.getType());
  Value zero = arith::ConstantOp::create(rewriter, loc,
                                         rewriter.getIntegerAttr(storage, 0));
  Value padded = padWith(rewriter, loc, input,
                         {0, pad.getTop(), pad.getLeft(), 0},
                         {0, pad.getBottom(), pad.getRight(), 0}, zero);
  Value init = createFilled(rewriter, loc, out, rewriter.getIntegerAttr(acc, 0));
  Value sum = windowReduce(
      rewriter, loc, padded, init, op.getKernel(), op.getStrides(),
      [&](OpBuilder &b, Location l, Value s, Value v) -> Value {
        return arith::AddIOp::create(b, l, s,
                                     extendInteger(b, l, v, original, acc));
      });
  SmallVector<int64_t> divisors = poolDivisors(op, in[1], in[2], out[1], out[2]);
  auto divisorType = RankedTensorType::get({out[1], out[2]}, acc);
  SmallVector<APInt> values;
  for (int64_t d : divisors)
    values.push_back(APInt(acc.getWidth(), d));
  Value divisor = arith::ConstantOp::create(
      rewriter, loc, DenseIntElementsAttr::get(divisorType, values));
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  Value empty = createEmpty(rewriter, loc, out, storage);
  AffineMap identity = rewriter.getMultiDimIdentityMap(4);
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{empty.getType()},
             ValueRange{sum, divisor}, ValueRange{empty},
             ArrayRef<AffineMap>{identity,
                                 AffineMap::get(4, 0, {d(1), d(2)}, ctx),
                                 identity},
             iterators(4),
             [&](OpBuilder &b, Location l, ValueRange args) {
               Value s = args[0], dv = args[1];
               Value zeroAcc = arith::ConstantOp::create(
                   b, l, b.getIntegerAttr(acc, 0));
               Value two = arith::ConstantOp::create(
                   b, l, b.getIntegerAttr(acc, 2));
               Value half = arith::DivSIOp::create(b, l, dv, two);
               Value negative = arith::CmpIOp::create(
                   b, l, arith::CmpIPredicate::slt, s, zeroAcc);
               Value magnitude = arith::SelectOp::create(
                   b, l, negative, arith::SubIOp::create(b, l, zeroAcc, s), s);
               Value q = arith::DivSIOp::create(
                   b, l, arith::AddIOp::create(b, l, magnitude, half), dv);
               Value r = arith::SelectOp::create(
                   b, l, negative, arith::SubIOp::create(b, l, zeroAcc, q), q);
               linalg::YieldOp::create(
                   b, l, arith::TruncIOp::create(b, l, storage, r).getResult());
             })
      .getResult(0);
}

namespace {

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (auto intType = dyn_cast<IntegerType>(resultType.getElementType())) {
      rewriter.replaceOp(op, lowerIntegerAvgPool(rewriter, op,
                                                 adaptor.getInput(), intType));
      return success();
    }
    if (!resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "needs the float form");
    PaddingAttr pad = op.getPadding();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides();
    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    Value padded = padWithF32(rewriter, loc, adaptor.getInput(),
                              {0, pad.getTop(), pad.getLeft(), 0},
                              {0, pad.getBottom(), pad.getRight(), 0}, 0.0);
    ArrayRef<int64_t> out = resultType.getShape();
    Value sum = windowReduce(rewriter, loc, padded,
                             createFilledF32(rewriter, loc, out, 0.0), kernel,
                             strides, addF);

    int64_t oh = out[1], ow = out[2];
    SmallVector<float> divisors;
    for (int64_t d : poolDivisors(op, in[1], in[2], oh, ow))
      divisors.push_back(static_cast<float>(d));
    Value divisor = createF32Tensor(rewriter, loc, divisors, {oh, ow});
    MLIRContext *ctx = op.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value init = createEmpty(rewriter, loc, out, rewriter.getF32Type());
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    Value avg =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{sum, divisor},
            ValueRange{init},
            ArrayRef<AffineMap>{identity, AffineMap::get(4, 0, {d(1), d(2)}, ctx),
                                identity},
            iterators(4),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::DivFOp::create(b, l, args[0], args[1]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, avg);
    return success();
  }
};

/// Max pooling in the quantized form: input and result share one per-tensor
/// type (verifier), and dequantization is monotone, so the max of the stored
/// integers is exact. Padding is the storage minimum, which never wins.
static Value lowerIntegerMaxPool(ConversionPatternRewriter &rewriter,
                                 MaxPool2DOp op, Value input,
                                 RankedTensorType storageType, bool isSigned,
                                 int64_t lowestValue) {
  Location loc = op.getLoc();
  Type element = storageType.getElementType();
  PaddingAttr pad = op.getPadding();
  Value lowest = arith::ConstantOp::create(
      rewriter, loc, getIntegerAttr(element, lowestValue));
  SmallVector<OpFoldResult> low = {rewriter.getIndexAttr(0),
                                   rewriter.getIndexAttr(pad.getTop()),
                                   rewriter.getIndexAttr(pad.getLeft()),
                                   rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {rewriter.getIndexAttr(0),
                                    rewriter.getIndexAttr(pad.getBottom()),
                                    rewriter.getIndexAttr(pad.getRight()),
                                    rewriter.getIndexAttr(0)};
  ArrayRef<int64_t> in = shapeOf(input);
  auto paddedType = RankedTensorType::get(
      {in[0], in[1] + pad.getTop() + pad.getBottom(),
       in[2] + pad.getLeft() + pad.getRight(), in[3]},
      element);
  Value padded =
      tensor::PadOp::create(rewriter, loc, paddedType, input, low, high, lowest);
  Value empty = createEmpty(rewriter, loc, storageType.getShape(), element);
  Value init = linalg::FillOp::create(rewriter, loc, lowest, empty).getResult(0);
  return windowReduce(rewriter, loc, padded, init, op.getKernel(),
                      op.getStrides(),
                      [&](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                        if (isSigned)
                          return arith::MaxSIOp::create(b, l, acc, v);
                        return arith::MaxUIOp::create(b, l, acc, v);
                      });
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static shape");
    Type element = resultType.getElementType();
    if (auto q = dyn_cast<quant::UniformQuantizedType>(element)) {
      auto storageType = cast<RankedTensorType>(
          getTypeConverter()->convertType(resultType));
      rewriter.replaceOp(
          op, lowerIntegerMaxPool(rewriter, op, adaptor.getInput(), storageType,
                                  q.isSigned(), q.getStorageTypeMin()));
      return success();
    }
    if (auto i = dyn_cast<IntegerType>(element)) {
      auto storageType = cast<RankedTensorType>(
          getTypeConverter()->convertType(resultType));
      int64_t lowest = i.isUnsigned()
                           ? 0
                           : APInt::getSignedMinValue(i.getWidth()).getSExtValue();
      rewriter.replaceOp(
          op, lowerIntegerMaxPool(rewriter, op, adaptor.getInput(), storageType,
                                  !i.isUnsigned(), lowest));
      return success();
    }
    if (!resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "needs the float form");
    PaddingAttr pad = op.getPadding();
    double lowest = -std::numeric_limits<double>::infinity();
    // Padding never wins a max: every window overlaps the input (verifier).
    Value padded = padWithF32(rewriter, loc, adaptor.getInput(),
                              {0, pad.getTop(), pad.getLeft(), 0},
                              {0, pad.getBottom(), pad.getRight(), 0}, lowest);
    Value init =
        createFilledF32(rewriter, loc, resultType.getShape(), lowest);
    rewriter.replaceOp(op, windowReduce(rewriter, loc, padded, init,
                                        op.getKernel(), op.getStrides(), maxF));
    return success();
  }
};

/// out[n, 0, 0, c] = sum_{h, w} x[n, h, w, c] / (H * W).
struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    if (isa<IntegerType>(resultType.getElementType())) {
      // The I form: the i32 sum; the division lives in qnn.requantize.
      Type original = op.getInput().getType().getElementType();
      Type i32 = rewriter.getI32Type();
      Value init =
          createFilled(rewriter, loc, {in[0], in[3]}, rewriter.getI32IntegerAttr(0));
      Value sum =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{init.getType()},
              ValueRange{adaptor.getInput()}, ValueRange{init},
              ArrayRef<AffineMap>{
                  AffineMap::get(4, 0, {d(0), d(2), d(3), d(1)}, ctx),
                  AffineMap::get(4, 0, {d(0), d(1)}, ctx)},
              iterators(2, 2),
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value v = extendInteger(b, l, args[0], original, i32);
                linalg::YieldOp::create(
                    b, l, arith::AddIOp::create(b, l, args[1], v).getResult());
              })
              .getResult(0);
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
          op, resultType, sum,
          SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
      return success();
    }
    if (!resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "needs the float form");
    // Dimensions: 0 n, 1 c, 2 h, 3 w.
    Value init = createFilledF32(rewriter, loc, {in[0], in[3]}, 0.0);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()},
            ValueRange{adaptor.getInput()}, ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(4, 0, {d(0), d(2), d(3), d(1)}, ctx),
                                AffineMap::get(4, 0, {d(0), d(1)}, ctx)},
            iterators(2, 2),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::AddFOp::create(b, l, args[1], args[0]).getResult());
            })
            .getResult(0);
    Value count = createF32(rewriter, loc, static_cast<double>(in[1] * in[2]));
    Value empty =
        createEmpty(rewriter, loc, {in[0], in[3]}, rewriter.getF32Type());
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    Value mean =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{empty.getType()}, ValueRange{sum},
            ValueRange{empty}, ArrayRef<AffineMap>{identity, identity},
            iterators(2),
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::DivFOp::create(b, l, args[0], count).getResult());
            })
            .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, mean, SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    return success();
  }
};

} // namespace

void qnn::detail::populatePoolLoweringPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<AvgPool2DLowering, MaxPool2DLowering, GlobalAvgPoolLowering>(
      converter, patterns.getContext());
}
