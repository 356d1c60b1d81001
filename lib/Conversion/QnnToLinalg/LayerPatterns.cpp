//===- LayerPatterns.cpp - conv2d, dense and matmul to linalg ---------------===//
//
// Part of quant-opt. Float- and integer-form layers become one reduction
// linalg.generic each, with the bias as the accumulator's initial value and
// (float form) the fused activation as an elementwise epilogue. The integer
// form multiplies stored integers extended to i32 and accumulates in i32.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

namespace {
/// How a contraction multiplies and accumulates. The float form: f32
/// throughout. The integer (I) form: each operand extended to the i32
/// accumulator by its signedness (ui8 zero-extends, signless and signed
/// integers sign-extend), an optional zero point subtracted (matmul), the
/// product accumulated in i32 with two's-complement wrap-around.
struct Contraction {
  Type acc;
  Type lhs, rhs; // original (possibly unsigned) element types
  int64_t lhsZeroPoint = 0, rhsZeroPoint = 0;

  bool isFloat() const { return acc.isF32(); }

  /// The additive identity of the accumulator.
  TypedAttr zero(Builder &b) const {
    if (isFloat())
      return b.getF32FloatAttr(0.0);
    return b.getI32IntegerAttr(0);
  }

  /// The body: out += (lhs - zl) * (rhs - zr).
  void emitBody(OpBuilder &b, Location loc, ValueRange args) const {
    if (isFloat()) {
      Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
      linalg::YieldOp::create(
          b, loc, arith::AddFOp::create(b, loc, args[2], product).getResult());
      return;
    }
    auto operand = [&](Value v, Type original, int64_t zeroPoint) -> Value {
      v = extendInteger(b, loc, v, original, acc);
      if (zeroPoint == 0)
        return v;
      Value z = arith::ConstantOp::create(b, loc, getIntegerAttr(acc, zeroPoint));
      return arith::SubIOp::create(b, loc, v, z);
    };
    Value product =
        arith::MulIOp::create(b, loc, operand(args[0], lhs, lhsZeroPoint),
                              operand(args[1], rhs, rhsZeroPoint));
    linalg::YieldOp::create(
        b, loc, arith::AddIOp::create(b, loc, args[2], product).getResult());
  }
};
} // namespace

/// The contraction of a layer whose operands have the element types `lhs`
/// and `rhs` and whose result has `result`: the float form, or the integer
/// form (integer operands, i32 result); anything else fails.
static FailureOr<Contraction> getContraction(Type lhs, Type rhs, Type result,
                                             int64_t lhsZeroPoint = 0,
                                             int64_t rhsZeroPoint = 0) {
  if (lhs.isF32() && rhs.isF32() && result.isF32())
    return Contraction{result, lhs, rhs};
  if (isa<IntegerType>(lhs) && isa<IntegerType>(rhs) &&
      result.isSignlessInteger(32))
    return Contraction{result, lhs, rhs, lhsZeroPoint, rhsZeroPoint};
  return failure();
}

namespace {

/// Grouped 2-D convolution (groups = 1, depthwise and everything between)
/// as a single generic over (n, oh, ow, g, og, kh, kw, cg):
///
///   out[n, oh, ow, g, og] += xpad[n, oh*sh + kh*dh, ow*sw + kw*dw, g, cg]
///                            * w[g, og, kh, kw, cg]
///
/// with the input split [N, Hp, Wp, G, Cg] and the filter [G, Og, KH, KW, Cg]
/// by expand_shape (free), and the result collapsed back to [N, OH, OW, O].
struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<Contraction> mac = getContraction(
        op.getInput().getType().getElementType(),
        op.getFilter().getType().getElementType(), resultType.getElementType());
    if (failed(mac) || !resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op,
                                         "needs the float or integer form, "
                                         "static");

    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    ArrayRef<int64_t> w = shapeOf(adaptor.getFilter());
    int64_t groups = op.getGroups();
    int64_t n = in[0], c = in[3], o = w[0], kh = w[1], kw = w[2];
    int64_t cg = c / groups, og = o / groups;
    int64_t oh = resultType.getDimSize(1), ow = resultType.getDimSize(2);
    PaddingAttr pad = op.getPadding();

    // Padding represents real zero: 0.0, or input_zero_point (I form).
    Type inElement = getElementTypeOrSelf(adaptor.getInput());
    TypedAttr padAttr =
        mac->isFloat()
            ? TypedAttr(rewriter.getF32FloatAttr(0.0))
            : TypedAttr(getIntegerAttr(inElement,
                                       op.getInputZeroPoint().value_or(0)));
    Value x = padWith(rewriter, loc, adaptor.getInput(),
                      {0, pad.getTop(), pad.getLeft(), 0},
                      {0, pad.getBottom(), pad.getRight(), 0},
                      arith::ConstantOp::create(rewriter, loc, padAttr));
    ArrayRef<int64_t> padded = shapeOf(x);
    x = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({n, padded[1], padded[2], groups, cg}, inElement),
        x, SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    Value filter = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({groups, og, kh, kw, cg},
                              getElementTypeOrSelf(adaptor.getFilter())),
        adaptor.getFilter(),
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});

    SmallVector<int64_t> accShape = {n, oh, ow, groups, og};
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value bias2d = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({groups, og}, mac->acc), bias,
          SmallVector<ReassociationIndices>{{0, 1}});
      Value empty = createEmpty(rewriter, loc, accShape, mac->acc);
      init = linalg::GenericOp::create(
                 rewriter, loc, TypeRange{empty.getType()}, ValueRange{bias2d},
                 ValueRange{empty},
                 ArrayRef<AffineMap>{
                     AffineMap::get(5, 0,
                                    {getAffineDimExpr(3, ctx),
                                     getAffineDimExpr(4, ctx)},
                                    ctx),
                     rewriter.getMultiDimIdentityMap(5)},
                 iterators(5),
                 [](OpBuilder &b, Location l, ValueRange args) {
                   linalg::YieldOp::create(b, l, args[0]);
                 })
                 .getResult(0);
    } else {
      init = createFilled(rewriter, loc, accShape, mac->zero(rewriter));
    }

    int64_t sh = op.getStrides()[0], sw = op.getStrides()[1];
    int64_t dh = op.getDilations()[0], dw = op.getDilations()[1];
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    // Dimensions: 0 n, 1 oh, 2 ow, 3 g, 4 og, 5 kh, 6 kw, 7 cg.
    AffineMap xMap = AffineMap::get(
        8, 0, {d(0), d(1) * sh + d(5) * dh, d(2) * sw + d(6) * dw, d(3), d(7)},
        ctx);
    AffineMap wMap = AffineMap::get(8, 0, {d(3), d(4), d(5), d(6), d(7)}, ctx);
    AffineMap outMap = AffineMap::get(8, 0, {d(0), d(1), d(2), d(3), d(4)}, ctx);
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{init.getType()}, ValueRange{x, filter},
            ValueRange{init}, ArrayRef<AffineMap>{xMap, wMap, outMap},
            iterators(5, 3),
            [&](OpBuilder &b, Location l, ValueRange args) {
              mac->emitBody(b, l, args);
            })
            .getResult(0);
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, resultType, acc,
        SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    rewriter.replaceOp(op, applyActivation(rewriter, loc, result,
                                           op.getActivationAttr()));
    return success();
  }
};

/// out[n, o] = bias[o] + sum_k x[n, k] * w[o, k], then the activation.
struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<Contraction> mac = getContraction(
        op.getInput().getType().getElementType(),
        op.getWeight().getType().getElementType(), resultType.getElementType());
    if (failed(mac) || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op,
                                         "needs the float or integer form, "
                                         "static");
    // input_zero_point is not used: dense does not pad.
    Value init =
        adaptor.getBias()
            ? broadcastChannels(rewriter, loc, adaptor.getBias(),
                                resultType.getShape())
            : createFilled(rewriter, loc, resultType.getShape(),
                           mac->zero(rewriter));
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    // Dimensions: 0 n, 1 o, 2 k.
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getInput(), adaptor.getWeight()},
            ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                AffineMap::get(3, 0, {d(1), d(2)}, ctx),
                                AffineMap::get(3, 0, {d(0), d(1)}, ctx)},
            iterators(2, 1),
            [&](OpBuilder &b, Location l, ValueRange args) {
              mac->emitBody(b, l, args);
            })
            .getResult(0);
    rewriter.replaceOp(
        op, applyActivation(rewriter, loc, acc, op.getActivationAttr()));
    return success();
  }
};

/// out[b..., m, n] = sum_k (lhs[b..., m, k] - zl) * (rhs[b..., k, n] - zr),
/// the zero points being those of the I form (0 otherwise).
struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<Contraction> mac = getContraction(
        getElementTypeOrSelf(op.getLhs()), getElementTypeOrSelf(op.getRhs()),
        resultType.getElementType(), op.getLhsZeroPoint().value_or(0),
        op.getRhsZeroPoint().value_or(0));
    if (failed(mac) || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op,
                                         "needs the float or integer form, "
                                         "static");
    unsigned rank = resultType.getRank(), batch = rank - 2;
    // Dimensions: batch..., m, n, k.
    SmallVector<AffineExpr> lhs, rhs, out;
    for (unsigned i = 0; i < batch; ++i) {
      lhs.push_back(getAffineDimExpr(i, ctx));
      rhs.push_back(getAffineDimExpr(i, ctx));
      out.push_back(getAffineDimExpr(i, ctx));
    }
    AffineExpr m = getAffineDimExpr(batch, ctx),
               n = getAffineDimExpr(batch + 1, ctx),
               k = getAffineDimExpr(batch + 2, ctx);
    lhs.append({m, k});
    rhs.append({k, n});
    out.append({m, n});
    Value init =
        createFilled(rewriter, loc, resultType.getShape(), mac->zero(rewriter));
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, lhs, ctx),
                                AffineMap::get(rank + 1, 0, rhs, ctx),
                                AffineMap::get(rank + 1, 0, out, ctx)},
            iterators(rank, 1),
            [&](OpBuilder &b, Location l, ValueRange args) {
              mac->emitBody(b, l, args);
            })
            .getResult(0);
    rewriter.replaceOp(op, acc);
    return success();
  }
};

} // namespace

void qnn::detail::populateLayerLoweringPatterns(TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, DenseLowering, MatmulLowering>(
      converter, patterns.getContext());
}
