//===- RequantizePatterns.cpp - qnn.requantize to linalg --------------------===//
//
// Part of quant-opt. One elementwise linalg.generic per qnn.requantize, its
// body in i64 arith computing bit for bit what qnn::requantize()
// (include/qnn/Dialect/Qnn/Utils/FixedPoint.h, docs/Numerics.md) computes.
// Per-channel multipliers become constant [C] tensors read at the `axis`
// index; a single multiplier becomes scalar constants in the body.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

namespace {

/// Per-channel constants of the body: [C] tensor operands of the generic
/// when there are several channels, scalar constants in the body otherwise.
class ChannelParams {
public:
  explicit ChannelParams(Builder &b) : b(b) {}

  unsigned add(ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getI64Type());
    attrs.push_back(DenseElementsAttr::get(type, values));
    return attrs.size() - 1;
  }
  unsigned add(ArrayRef<double> values) {
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                      b.getF64Type());
    attrs.push_back(DenseElementsAttr::get(type, values));
    return attrs.size() - 1;
  }

  bool isPerChannel() const {
    return !attrs.empty() && attrs.front().getNumElements() > 1;
  }

  /// The generic's extra inputs (none for a single channel).
  SmallVector<Value> tensors(OpBuilder &ob, Location loc) const {
    SmallVector<Value> result;
    if (isPerChannel())
      for (DenseElementsAttr attr : attrs)
        result.push_back(arith::ConstantOp::create(ob, loc, attr));
    return result;
  }

  /// Parameter `i` inside the body, whose block arguments are `args`
  /// (args[0] the input element, then the tensors above).
  Value get(OpBuilder &ob, Location loc, ValueRange args, unsigned i) const {
    if (isPerChannel())
      return args[1 + i];
    return arith::ConstantOp::create(
        ob, loc, cast<TypedAttr>(*attrs[i].getValues<Attribute>().begin()));
  }

  size_t size() const { return attrs.size(); }

private:
  Builder &b;
  SmallVector<DenseElementsAttr> attrs;
};

/// The scalar arithmetic of one requantized element.
struct RequantizeBody {
  OpBuilder &b;
  Location loc;

  Value i64(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  Value clamp(Value v, int64_t lo, int64_t hi) {
    return clamp(v, i64(lo), i64(hi));
  }
  Value clamp(Value v, Value lo, Value hi) {
    v = arith::MaxSIOp::create(b, loc, v, lo);
    return arith::MinSIOp::create(b, loc, v, hi);
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRSIOp::create(b, loc, x, y); }

  /// gemmlowp RoundingDivideByPOT on an i64 holding an int32:
  /// round(t / 2^right) half away from zero via the magnitude, with
  /// half = 2^(right-1) (0 when right = 0, the identity).
  Value roundingDivideByPOT(Value t, Value half, Value right) {
    Value zero = i64(0);
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, t, zero);
    Value negated = arith::SubIOp::create(b, loc, zero, t);
    Value magnitude = arith::SelectOp::create(b, loc, negative, negated, t);
    magnitude = shr(add(magnitude, half), right);
    Value negMagnitude = arith::SubIOp::create(b, loc, zero, magnitude);
    return arith::SelectOp::create(b, loc, negative, negMagnitude, magnitude);
  }
};

struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static shape");
    auto storageType = cast<RankedTensorType>(
        getTypeConverter()->convertType(resultType));
    Type inElement = inputType.getElementType();
    unsigned rank = resultType.getRank();
    int64_t izp = op.getInputZeroPoint(), ozp = op.getOutputZeroPoint();
    // The clamp: one [min, max] pair or one per channel.
    SmallVector<int64_t> clampMin, clampMax;
    for (size_t i = 0; i + 1 < op.getClamp().size(); i += 2) {
      clampMin.push_back(op.getClamp()[i]);
      clampMax.push_back(op.getClamp()[i + 1]);
    }
    // v = x - izp leaves int32 only for a 32-bit input with a nonzero zero
    // point; the fixed-point form saturates it to int32 (FixedPoint.h).
    bool saturateV = izp != 0 && inElement.getIntOrFloatBitWidth() >= 32;

    // Every per-channel parameter has one entry per channel, or a single
    // one repeated when another parameter is per channel.
    int64_t channels = std::max<int64_t>(op.getNumMultipliers(),
                                         clampMin.size());
    auto widen = [&](auto values) {
      if (values.size() == 1 && channels > 1)
        values.assign(channels, values.front());
      return values;
    };
    ChannelParams params(rewriter);
    std::optional<ArrayRef<double>> scale = op.getScale();
    FixedPointConstants fixed;
    if (scale) {
      params.add(widen(SmallVector<double>(*scale)));
    } else {
      fixed = getFixedPointConstants(op.getFixedPointAttr(), op.getRounding());
      for (SmallVector<int64_t> *values :
           {&fixed.m0, &fixed.add, &fixed.shift, &fixed.half, &fixed.right})
        params.add(widen(*values));
    }
    unsigned minIndex = params.add(widen(clampMin));
    unsigned maxIndex = params.add(widen(clampMax));

    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channelMap =
        AffineMap::get(rank, 0, getAffineDimExpr(op.getAxis(), ctx));
    SmallVector<Value> inputs = {adaptor.getInput()};
    llvm::append_range(inputs, params.tensors(rewriter, loc));
    SmallVector<AffineMap> maps(inputs.size(), channelMap);
    maps[0] = identity;
    maps.push_back(identity);
    Type outElement = storageType.getElementType();
    Value init = createEmpty(rewriter, loc, storageType.getShape(), outElement);

    auto body = [&](OpBuilder &b, Location l, ValueRange args) {
      RequantizeBody e{b, l};
      Type i64Type = b.getI64Type();
      Value v = extendInteger(b, l, args[0], inElement, i64Type);
      if (izp != 0)
        v = arith::SubIOp::create(b, l, v, e.i64(izp));
      Value y;
      if (scale) {
        // round_half_away(M * v) with the product rounded to f64 (see
        // docs/Numerics.md); v is exact in f64. Clamping in f64 keeps
        // fptosi in range; every clamp bound is exact in f64.
        Type f64 = b.getF64Type();
        auto f = [&](double d) {
          return arith::ConstantOp::create(b, l, b.getF64FloatAttr(d));
        };
        Value vf = arith::SIToFPOp::create(b, l, f64, v);
        Value product =
            arith::MulFOp::create(b, l, vf, params.get(b, l, args, 0));
        Value r = math::RoundOp::create(b, l, product);
        Value yf = arith::AddFOp::create(b, l, r, f(static_cast<double>(ozp)));
        auto bound = [&](unsigned index) -> Value {
          return arith::SIToFPOp::create(b, l, f64,
                                         params.get(b, l, args, index));
        };
        yf = arith::MaximumFOp::create(b, l, yf, bound(minIndex));
        yf = arith::MinimumFOp::create(b, l, yf, bound(maxIndex));
        y = arith::FPToSIOp::create(b, l, i64Type, yf);
      } else {
        if (saturateV)
          v = e.clamp(v, kInt32Min, kInt32Max);
        // |v * m0| < 2^62 and add <= 2^61: no i64 overflow.
        Value t = e.shr(e.add(e.mul(v, params.get(b, l, args, 0)),
                              params.get(b, l, args, 1)),
                        params.get(b, l, args, 2));
        if (fixed.needsDivide)
          t = e.roundingDivideByPOT(t, params.get(b, l, args, 3),
                                    params.get(b, l, args, 4));
        if (fixed.needsSaturation)
          t = e.clamp(t, kInt32Min, kInt32Max);
        y = e.clamp(e.add(t, e.i64(ozp)), params.get(b, l, args, minIndex),
                    params.get(b, l, args, maxIndex));
      }
      if (outElement.getIntOrFloatBitWidth() < 64)
        y = arith::TruncIOp::create(b, l, outElement, y);
      linalg::YieldOp::create(b, l, y);
    };
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{storageType}, inputs, ValueRange{init}, maps,
        iterators(rank), body);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void qnn::detail::populateRequantizeLoweringPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<RequantizeLowering>(converter, patterns.getContext());
}
