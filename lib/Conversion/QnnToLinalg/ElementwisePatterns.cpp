//===- ElementwisePatterns.cpp - add, mul, activation, batch_norm ----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <type_traits>

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

/// The NumPy broadcasting map of an operand of `operandShape` into a result
/// of `resultShape`: shapes align at the right; a size-1 dimension against a
/// larger one reads index 0.
static AffineMap broadcastMap(ArrayRef<int64_t> operandShape,
                              ArrayRef<int64_t> resultShape,
                              MLIRContext *ctx) {
  unsigned rank = resultShape.size(), offset = rank - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < operandShape.size(); ++i) {
    if (operandShape[i] == 1 && resultShape[offset + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

namespace {

/// add/mul with broadcasting and the fused activation in one generic.
template <typename OpTy, typename ArithOp>
struct BinaryLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static shape");
    ArrayRef<int64_t> shape = resultType.getShape();
    unsigned rank = shape.size();
    if (isa<IntegerType>(resultType.getElementType())) {
      // The I form (add only, verifier): exact integer addition, one type.
      if (!std::is_same_v<OpTy, AddOp>)
        return rewriter.notifyMatchFailure(op, "no integer form");
      auto intType = cast<RankedTensorType>(
          this->getTypeConverter()->convertType(resultType));
      Value init = createEmpty(rewriter, loc, shape, intType.getElementType());
      auto generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{intType},
          ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init},
          ArrayRef<AffineMap>{
              broadcastMap(shapeOf(adaptor.getLhs()), shape, ctx),
              broadcastMap(shapeOf(adaptor.getRhs()), shape, ctx),
              rewriter.getMultiDimIdentityMap(rank)},
          iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(
                b, l, arith::AddIOp::create(b, l, args[0], args[1]).getResult());
          });
      rewriter.replaceOp(op, generic.getResult(0));
      return success();
    }
    if (!resultType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "needs the float form");
    ActivationAttr activation = op.getActivationAttr();
    SmallVector<Value> inputs = {adaptor.getLhs(), adaptor.getRhs()};
    SmallVector<AffineMap> maps = {
        broadcastMap(shapeOf(adaptor.getLhs()), shape, ctx),
        broadcastMap(shapeOf(adaptor.getRhs()), shape, ctx)};
    bool perChannel =
        appendChannelBounds(rewriter, loc, activation, rank, inputs, maps);
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Value init = createEmpty(rewriter, loc, shape, rewriter.getF32Type());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
        iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value y = ArithOp::create(b, l, args[0], args[1]);
          y = perChannel ? emitActivation(b, l, y, activation, args[2], args[3])
                         : emitActivation(b, l, y, activation);
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ActivationLowering : OpConversionPattern<ActivationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ActivationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");
    rewriter.replaceOp(op, applyActivation(rewriter, op.getLoc(),
                                           adaptor.getInput(), op.getKind()));
    return success();
  }
};

/// y = scale * (x - mean) / sqrt(variance + epsilon) + offset, channel last.
struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static shape");
    unsigned rank = resultType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(
        rank, 0, getAffineDimExpr(rank - 1, op.getContext()));
    Value init =
        createEmpty(rewriter, loc, resultType.getShape(), rewriter.getF32Type());
    double epsilon = op.getEpsilon().convertToDouble();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getInput(), adaptor.getScale(), adaptor.getOffset(),
                   adaptor.getMean(), adaptor.getVariance()},
        ValueRange{init},
        ArrayRef<AffineMap>{identity, channel, channel, channel, channel,
                            identity},
        iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value centered = arith::SubFOp::create(b, l, args[0], args[3]);
          Value scaled = arith::MulFOp::create(b, l, args[1], centered);
          Value var = arith::AddFOp::create(b, l, args[4],
                                            createF32(b, l, epsilon));
          Value stddev = math::SqrtOp::create(b, l, var);
          Value normalized = arith::DivFOp::create(b, l, scaled, stddev);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, normalized, args[2]).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void qnn::detail::populateElementwiseLoweringPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<BinaryLowering<AddOp, arith::AddFOp>,
               BinaryLowering<MulOp, arith::MulFOp>, ActivationLowering,
               BatchNormLowering>(converter, patterns.getContext());
}
