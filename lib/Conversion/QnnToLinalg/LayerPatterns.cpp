//===- LayerPatterns.cpp - conv2d, dense and matmul to linalg ---------------===//
//
// Part of quant-opt. Float-form layers become one reduction linalg.generic
// each, with the bias as the accumulator's initial value and the fused
// activation as an elementwise epilogue.
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

/// The body of every float contraction: out += lhs * rhs.
static void multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
  linalg::YieldOp::create(b, loc,
                          arith::AddFOp::create(b, loc, args[2], product)
                              .getResult());
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
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape() ||
        !op.getInput().getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");

    ArrayRef<int64_t> in = shapeOf(adaptor.getInput());
    ArrayRef<int64_t> w = shapeOf(adaptor.getFilter());
    int64_t groups = op.getGroups();
    int64_t n = in[0], c = in[3], o = w[0], kh = w[1], kw = w[2];
    int64_t cg = c / groups, og = o / groups;
    int64_t oh = resultType.getDimSize(1), ow = resultType.getDimSize(2);
    PaddingAttr pad = op.getPadding();

    Value x = padWithF32(rewriter, loc, adaptor.getInput(),
                         {0, pad.getTop(), pad.getLeft(), 0},
                         {0, pad.getBottom(), pad.getRight(), 0}, 0.0);
    ArrayRef<int64_t> padded = shapeOf(x);
    Type f32 = rewriter.getF32Type();
    x = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({n, padded[1], padded[2], groups, cg}, f32), x,
        SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    Value filter = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({groups, og, kh, kw, cg}, f32),
        adaptor.getFilter(),
        SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});

    SmallVector<int64_t> accShape = {n, oh, ow, groups, og};
    Value init;
    if (Value bias = adaptor.getBias()) {
      Value bias2d = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({groups, og}, f32), bias,
          SmallVector<ReassociationIndices>{{0, 1}});
      Value empty = createEmpty(rewriter, loc, accShape, f32);
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
      init = createFilledF32(rewriter, loc, accShape, 0.0);
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
            multiplyAccumulate)
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
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");
    Value init =
        adaptor.getBias()
            ? broadcastChannels(rewriter, loc, adaptor.getBias(),
                                resultType.getShape())
            : createFilledF32(rewriter, loc, resultType.getShape(), 0.0);
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
            multiplyAccumulate)
            .getResult(0);
    rewriter.replaceOp(
        op, applyActivation(rewriter, loc, acc, op.getActivationAttr()));
    return success();
  }
};

/// out[b..., m, n] = sum_k lhs[b..., m, k] * rhs[b..., k, n].
struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.getElementType().isF32() || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs the float form, static");
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
    Value init = createFilledF32(rewriter, loc, resultType.getShape(), 0.0);
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, lhs, ctx),
                                AffineMap::get(rank + 1, 0, rhs, ctx),
                                AffineMap::get(rank + 1, 0, out, ctx)},
            iterators(rank, 1),
            multiplyAccumulate)
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
