//===- ShapePatterns.cpp - Shape ops and softmax to linalg/tensor ----------===//
//
// Part of quant-opt. reshape, transpose, concat and pad move elements
// without arithmetic, so they lower in every numeric form (quantized
// tensors are already their storage integers here); softmax is float only.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

/// The converted (storage) result type of `op`.
static RankedTensorType convertedResultType(const TypeConverter *converter,
                                            Operation *op) {
  return dyn_cast_or_null<RankedTensorType>(
      converter->convertType(op->getResult(0).getType()));
}

namespace {

/// Collapse to 1-D, then expand to the result shape: both reassociations
/// always exist for static shapes.
struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertedResultType(getTypeConverter(), op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "unconvertible result type");
    Value value = adaptor.getInput();
    auto inType = cast<RankedTensorType>(value.getType());
    if (inType.getRank() > 1) {
      ReassociationIndices all;
      for (int64_t i = 0; i < inType.getRank(); ++i)
        all.push_back(i);
      value = tensor::CollapseShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({inType.getNumElements()},
                                inType.getElementType()),
          value, SmallVector<ReassociationIndices>{all});
    }
    if (resultType.getRank() > 1) {
      ReassociationIndices all;
      for (int64_t i = 0; i < resultType.getRank(); ++i)
        all.push_back(i);
      value = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, value,
          SmallVector<ReassociationIndices>{all});
    } else if (resultType.getRank() == 0 || inType.getRank() == 0) {
      return rewriter.notifyMatchFailure(op, "rank-0 reshape");
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertedResultType(getTypeConverter(), op);
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static result");
    Value init = createEmpty(rewriter, op.getLoc(), resultType.getShape(),
                             resultType.getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPermutation());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// Inserts each input into an empty result at its offset along `axis`.
/// Inputs must already be on the result's grid (same type after
/// conversion); rescaling concat inputs comes with --fold-scales.
struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertedResultType(getTypeConverter(), op);
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static result");
    for (Value input : op.getInputs())
      if (cast<RankedTensorType>(input.getType()).getElementType() !=
          op.getType().getElementType())
        return rewriter.notifyMatchFailure(
            op, "inputs on another quantization grid than the result");
    int64_t axis = op.getAxis(), rank = resultType.getRank();
    Value result = createEmpty(rewriter, loc, resultType.getShape(),
                               resultType.getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      ArrayRef<int64_t> shape = shapeOf(input);
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)),
          sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t size : shape)
        sizes.push_back(rewriter.getIndexAttr(size));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += shape[axis];
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Constant padding is tensor.pad; reflect and edge padding gather through
/// linalg.index arithmetic.
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertedResultType(getTypeConverter(), op);
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static result");
    Type element = resultType.getElementType();
    ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
    Value input = adaptor.getInput();

    if (op.getMode() == PadMode::Constant) {
      double value = op.getValue().convertToDouble();
      Value padValue;
      if (element.isF32()) {
        padValue = createF32(rewriter, loc, value);
      } else {
        // The stored integer: the grid point of `value` in the Q form
        // (exact, checked by the verifier), the value itself in the I form.
        if (auto q = dyn_cast<quant::UniformQuantizedType>(
                op.getType().getElementType()))
          value = std::round(value / q.getScale()) + q.getZeroPoint();
        padValue = arith::ConstantOp::create(
            rewriter, loc,
            rewriter.getIntegerAttr(element, static_cast<int64_t>(value)));
      }
      SmallVector<OpFoldResult> lowOfr, highOfr;
      for (size_t d = 0; d < low.size(); ++d) {
        lowOfr.push_back(rewriter.getIndexAttr(low[d]));
        highOfr.push_back(rewriter.getIndexAttr(high[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, resultType, input, lowOfr,
                                                 highOfr, padValue);
      return success();
    }

    ArrayRef<int64_t> in = shapeOf(input);
    bool reflect = op.getMode() == PadMode::Reflect;
    unsigned rank = resultType.getRank();
    Value init = createEmpty(rewriter, loc, resultType.getShape(), element);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        iterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (unsigned d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            Value pos = arith::SubIOp::create(
                b, l, i, arith::ConstantIndexOp::create(b, l, low[d]));
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(b, l, in[d] - 1);
            if (reflect) {
              // i < 0 -> -i; i > n-1 -> 2(n-1) - i (no edge repeat).
              Value neg = arith::SubIOp::create(b, l, zero, pos);
              pos = arith::MaxSIOp::create(b, l, pos, neg);
              Value twice = arith::ConstantIndexOp::create(b, l, 2 * (in[d] - 1));
              Value mirrored = arith::SubIOp::create(b, l, twice, pos);
              pos = arith::MinSIOp::create(b, l, pos, mirrored);
            } else {
              pos = arith::MaxSIOp::create(b, l, pos, zero);
              pos = arith::MinSIOp::create(b, l, pos, last);
            }
            indices.push_back(pos);
          }
          Value v = tensor::ExtractOp::create(b, l, input, indices);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Numerically stable softmax along `axis`: four generics (max, exp of the
/// shifted input, sum, divide).
struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static shape");
    unsigned rank = type.getRank(), axis = op.getAxis();
    SmallVector<int64_t> reducedShape;
    SmallVector<AffineExpr> reducedExprs, permutedExprs;
    for (unsigned d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      reducedShape.push_back(type.getDimSize(d));
      reducedExprs.push_back(getAffineDimExpr(d, ctx));
    }
    // Loop order for reductions: the axis last.
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = AffineMap::get(rank, 0, reducedExprs, ctx);
    SmallVector<utils::IteratorType> reduceIters(rank,
                                                 utils::IteratorType::parallel);
    reduceIters[axis] = utils::IteratorType::reduction;

    auto reduce = [&](Value source, double initValue, auto combine) {
      Value init = createFilledF32(rewriter, loc, reducedShape, initValue);
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{init.getType()}, ValueRange{source},
                 ValueRange{init}, ArrayRef<AffineMap>{identity, reduced},
                 reduceIters,
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(b, l, combine(b, l, args[1], args[0]));
                 })
          .getResult(0);
    };
    auto elementwise = [&](Value full, Value perRow, auto fn) {
      Value init = createEmpty(rewriter, loc, type.getShape(),
                               rewriter.getF32Type());
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{type}, ValueRange{full, perRow},
                 ValueRange{init},
                 ArrayRef<AffineMap>{identity, reduced, identity},
                 iterators(rank),
                 [&](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(b, l, fn(b, l, args[0], args[1]));
                 })
          .getResult(0);
    };

    Value x = adaptor.getInput();
    Value max = reduce(x, -std::numeric_limits<double>::infinity(),
                       [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                         return arith::MaximumFOp::create(b, l, acc, v);
                       });
    Value exps = elementwise(x, max, [](OpBuilder &b, Location l, Value v,
                                        Value m) -> Value {
      return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, v, m));
    });
    Value sum = reduce(exps, 0.0,
                       [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
                         return arith::AddFOp::create(b, l, acc, v);
                       });
    Value result = elementwise(exps, sum, [](OpBuilder &b, Location l, Value e,
                                             Value s) -> Value {
      return arith::DivFOp::create(b, l, e, s);
    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Statistics are compile-time information only.
struct StatsLowering : OpConversionPattern<StatsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(StatsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void qnn::detail::populateShapeLoweringPatterns(TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering, PadLowering,
               SoftmaxLowering, StatsLowering>(converter,
                                               patterns.getContext());
}
