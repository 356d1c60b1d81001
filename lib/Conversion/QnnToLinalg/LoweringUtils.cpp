//===- LoweringUtils.cpp - Shared helpers of the qnn-to-linalg lowering ----===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"

#include <limits>

using namespace mlir;

namespace qnn::detail {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value createF32(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value createFilledF32(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                      double value) {
  Value empty = createEmpty(b, loc, shape, b.getF32Type());
  return linalg::FillOp::create(b, loc, createF32(b, loc, value), empty)
      .getResult(0);
}

Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   TypedAttr value) {
  Value empty = createEmpty(b, loc, shape, value.getType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

IntegerAttr getIntegerAttr(Type type, int64_t value) {
  APInt bits(type.getIntOrFloatBitWidth(), static_cast<uint64_t>(value),
             /*isSigned=*/true, /*implicitTrunc=*/true);
  return IntegerAttr::get(type, bits);
}

Value extendInteger(OpBuilder &b, Location loc, Value x, Type original,
                    Type target) {
  if (x.getType() == target)
    return x;
  if (original.isUnsignedInteger())
    return arith::ExtUIOp::create(b, loc, target, x);
  return arith::ExtSIOp::create(b, loc, target, x);
}

Value createF32Tensor(OpBuilder &b, Location loc, ArrayRef<float> values,
                      ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

Value padWithF32(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, double value) {
  return padWith(b, loc, input, low, high, createF32(b, loc, value));
}

Value padWith(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
              ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  ArrayRef<int64_t> shape = shapeOf(input);
  SmallVector<int64_t> padded;
  SmallVector<OpFoldResult> lowOfr, highOfr;
  for (size_t d = 0; d < shape.size(); ++d) {
    padded.push_back(shape[d] + low[d] + high[d]);
    lowOfr.push_back(b.getIndexAttr(low[d]));
    highOfr.push_back(b.getIndexAttr(high[d]));
  }
  auto type = RankedTensorType::get(padded, padValue.getType());
  return tensor::PadOp::create(b, loc, type, input, lowOfr, highOfr, padValue);
}

SmallVector<utils::IteratorType> iterators(unsigned parallel,
                                           unsigned reduction) {
  SmallVector<utils::IteratorType> result(parallel,
                                          utils::IteratorType::parallel);
  result.append(reduction, utils::IteratorType::reduction);
  return result;
}

bool hasPerChannelBounds(ActivationAttr activation) {
  return activation && activation.getNumBounds() > 1;
}

Value emitActivation(OpBuilder &b, Location loc, Value x,
                     ActivationAttr activation, Value lo, Value hi) {
  if (!activation || activation.getKind() == ActivationKind::None)
    return x;
  auto [loBound, hiBound] = activation.getBounds(0);
  if (!lo)
    lo = createF32(b, loc, loBound);
  Value result = arith::MaximumFOp::create(b, loc, x, lo);
  if (activation.getKind() == ActivationKind::Relu)
    return result;
  if (!hi)
    hi = createF32(b, loc, hiBound);
  return arith::MinimumFOp::create(b, loc, result, hi);
}

bool appendChannelBounds(OpBuilder &b, Location loc, ActivationAttr activation,
                         unsigned rank, SmallVectorImpl<Value> &inputs,
                         SmallVectorImpl<AffineMap> &maps) {
  if (!hasPerChannelBounds(activation))
    return false;
  int64_t channels = activation.getNumBounds();
  SmallVector<float> lo, hi;
  for (int64_t c = 0; c < channels; ++c) {
    auto [l, h] = activation.getBounds(c);
    lo.push_back(l);
    hi.push_back(h);
  }
  AffineMap channelMap =
      AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, b.getContext()));
  inputs.push_back(createF32Tensor(b, loc, lo, {channels}));
  inputs.push_back(createF32Tensor(b, loc, hi, {channels}));
  maps.append({channelMap, channelMap});
  return true;
}

Value applyActivation(OpBuilder &b, Location loc, Value input,
                      ActivationAttr activation) {
  if (!activation || activation.getKind() == ActivationKind::None)
    return input;
  ArrayRef<int64_t> shape = shapeOf(input);
  unsigned rank = shape.size();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {identity};
  bool perChannel = appendChannelBounds(b, loc, activation, rank, inputs, maps);
  maps.push_back(identity);
  Value init = createEmpty(b, loc, shape, b.getF32Type());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators(rank), [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value y = perChannel ? emitActivation(nb, nloc, args[0], activation,
                                              args[1], args[2])
                             : emitActivation(nb, nloc, args[0], activation);
        linalg::YieldOp::create(nb, nloc, y);
      });
  return generic.getResult(0);
}

Value broadcastChannels(OpBuilder &b, Location loc, Value vector,
                        ArrayRef<int64_t> shape) {
  unsigned rank = shape.size();
  MLIRContext *ctx = b.getContext();
  AffineMap channelMap =
      AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  Value init = createEmpty(b, loc, shape, getElementTypeOrSelf(vector));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{vector}, ValueRange{init},
      ArrayRef<AffineMap>{channelMap, b.getMultiDimIdentityMap(rank)},
      iterators(rank), [](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, args[0]);
      });
  return generic.getResult(0);
}

FixedPointConstants getFixedPointConstants(FixedPointMultiplierAttr fp,
                                           RoundingMode rounding) {
  FixedPointConstants c;
  for (auto [m0, s] : llvm::zip_equal(fp.getM0(), fp.getShift())) {
    int64_t left = s > 0 ? s : 0;
    int64_t right = rounding == RoundingMode::Double && s < 0 ? -s : 0;
    int64_t total = rounding == RoundingMode::Double ? 31 - left : 31 - s;
    c.m0.push_back(m0);
    c.add.push_back(int64_t{1} << (total - 1));
    c.shift.push_back(total);
    c.right.push_back(right);
    c.half.push_back(right > 0 ? int64_t{1} << (right - 1) : 0);
    c.needsDivide |= right > 0;
    c.needsSaturation |= s > 0;
  }
  return c;
}

} // namespace qnn::detail

void qnn::detail::replaceWithMatrixResult(RewriterBase &rewriter,
                                          Operation *root, Operation *layer,
                                          Value result, bool isConv) {
  auto rootType = cast<RankedTensorType>(root->getResult(0).getType());
  if (isConv)
    result = tensor::ExpandShapeOp::create(
        rewriter, root->getLoc(), rootType, result,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  rewriter.replaceOp(root, result);
  if (layer != root)
    rewriter.eraseOp(layer);
}
