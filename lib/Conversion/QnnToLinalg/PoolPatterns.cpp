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

namespace {

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");
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

    // The divisor of each output position, known at compile time: the whole
    // window, or only its part inside the unpadded input.
    int64_t oh = out[1], ow = out[2];
    SmallVector<float> divisors;
    for (int64_t y = 0; y < oh; ++y) {
      for (int64_t x = 0; x < ow; ++x) {
        if (op.getDivisor() == PoolDivisor::IncludePad) {
          divisors.push_back(static_cast<float>(kernel[0] * kernel[1]));
          continue;
        }
        int64_t y0 = y * strides[0] - pad.getTop(),
                x0 = x * strides[1] - pad.getLeft();
        int64_t rows = std::min(y0 + kernel[0], in[1]) - std::max<int64_t>(y0, 0);
        int64_t cols = std::min(x0 + kernel[1], in[2]) - std::max<int64_t>(x0, 0);
        divisors.push_back(static_cast<float>(rows * cols));
      }
    }
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
static Value lowerQuantizedMaxPool(ConversionPatternRewriter &rewriter,
                                   MaxPool2DOp op, Value input,
                                   RankedTensorType storageType) {
  Location loc = op.getLoc();
  auto q = cast<quant::QuantizedType>(op.getType().getElementType());
  bool isSigned = q.isSigned();
  Type element = storageType.getElementType();
  PaddingAttr pad = op.getPadding();
  Value lowest = arith::ConstantOp::create(
      rewriter, loc, rewriter.getIntegerAttr(element, q.getStorageTypeMin()));
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
    if (isa<quant::UniformQuantizedType>(resultType.getElementType())) {
      auto storageType = cast<RankedTensorType>(
          getTypeConverter()->convertType(resultType));
      rewriter.replaceOp(op, lowerQuantizedMaxPool(rewriter, op,
                                                   adaptor.getInput(),
                                                   storageType));
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
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");
    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
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
