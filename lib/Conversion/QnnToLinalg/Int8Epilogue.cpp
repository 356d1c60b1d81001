//===- Int8Epilogue.cpp - Fused requantize of the int8 CPU kernels --------===//
//
// Part of quant-opt. The operand checks shared by the kernels of
// --lower-int8-kernels and the epilogue that computes a following
// qnn.requantize on the i32 accumulators in registers (16 lanes), with the
// arithmetic of RequantizePatterns.cpp.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "LoweringUtils.h"

#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"

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

int64_t qnn::int8::groupOf(KernelIsa isa) {
  switch (isa) {
  case KernelIsa::Vnni:
    return 4;
  case KernelIsa::Avx2:
    return 2;
  case KernelIsa::Vector:
    return 1;
  }
  llvm_unreachable("unknown kernel ISA");
}

bool qnn::int8::isSignlessI8Tensor(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && t.hasStaticShape() && t.getElementType().isSignlessInteger(8);
}

/// The sign-extended elements of a constant of signless `width`-bit integers.
FailureOr<SmallVector<int64_t>> qnn::int8::readIntConstant(Value v,
                                                          unsigned width) {
  DenseIntElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)) ||
      !attr.getElementType().isSignlessInteger(width))
    return failure();
  SmallVector<int64_t> values;
  values.reserve(attr.getNumElements());
  for (const APInt &a : attr.getValues<APInt>())
    values.push_back(a.getSExtValue());
  return values;
}

bool qnn::int8::isI32Result(Operation *op) {
  auto t = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return t && t.hasStaticShape() && t.getElementType().isSignlessInteger(32);
}

/// The qnn.requantize the kernel can compute in its epilogue: the only user
/// of the layer's result, reading the channel axis (or one multiplier and one
/// clamp pair), with a signless 8/16/32-bit result.
RequantizeOp qnn::int8::matchRequantize(Operation *layer) {
  Value result = layer->getResult(0);
  if (!result.hasOneUse())
    return {};
  auto rq = dyn_cast<RequantizeOp>(*result.getUsers().begin());
  if (!rq)
    return {};
  auto type = cast<RankedTensorType>(rq.getType());
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  if (!type.getElementType().isSignlessInteger() ||
      (width != 8 && width != 16 && width != 32))
    return {};
  int64_t rank = type.getRank();
  bool perTensor = rq.getNumMultipliers() == 1 && rq.getClamp().size() == 2;
  if (!perTensor && static_cast<int64_t>(rq.getAxis()) != rank - 1)
    return {};
  return rq;
}

SmallVector<AccumulatorRange>
qnn::int8::accumulatorRanges(ArrayRef<int64_t> weights, ArrayRef<int64_t> bias,
                             int64_t channels) {
  SmallVector<AccumulatorRange> ranges;
  auto taps = static_cast<int64_t>(weights.size()) / channels;
  for (int64_t c = 0; c < channels; ++c) {
    int64_t b = bias.empty() ? 0 : bias[c];
    AccumulatorRange r{b, b};
    for (int64_t w : weights.slice(c * taps, taps)) {
      r.min += w > 0 ? -128 * w : 127 * w;
      r.max += w > 0 ? 127 * w : -128 * w;
    }
    ranges.push_back(r);
  }
  return ranges;
}

namespace {

template <typename T>
LaneParam makeParam(OpBuilder &b, Location loc, ArrayRef<T> values,
                    Type element, int64_t lanes = kLanes) {
  LaneParam p;
  p.type = VectorType::get({lanes}, element);
  p.halves = lanes != kLanes;
  bool uniform = llvm::all_equal(values);
  if (uniform) {
    p.splat = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(p.type, values.front()));
  } else {
    auto tableType =
        RankedTensorType::get({static_cast<int64_t>(values.size())}, element);
    p.table = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tableType, values));
  }
  return p;
}

/// The even (`parity` 0) or odd (1) entries of per-channel `values`.
template <typename T>
SmallVector<T> channelHalf(ArrayRef<T> values, int64_t parity) {
  SmallVector<T> half;
  for (size_t i = static_cast<size_t>(parity); i < values.size(); i += 2)
    half.push_back(values[i]);
  return half;
}

} // namespace

bool Epilogue::planFloat(OpBuilder &b, Location loc, RequantizeOp rq,
                         int64_t channels, ArrayRef<AccumulatorRange> ranges,
                         bool partial) {
  if (izp != 0 || ranges.empty() || outElement.getIntOrFloatBitWidth() > 16)
    return false;
  FixedPointMultiplierAttr fp = rq.getFixedPointAttr();
  ArrayRef<int32_t> m0s = fp.getM0(), shifts = fp.getShift();
  ArrayRef<int64_t> clamp = rq.getClamp();
  FixedPointRounding rounding = rq.getRounding() == RoundingMode::Double
                                    ? FixedPointRounding::Double
                                    : FixedPointRounding::Single;
  auto real = static_cast<int64_t>(ranges.size());
  // Channel c's multiplier and clamp (one of each for the whole tensor, or
  // one per channel).
  auto multiplier = [&](int64_t c) -> FixedPointMultiplier {
    int64_t i = m0s.size() == 1 ? 0 : c;
    return {m0s[i], shifts[i]};
  };
  auto clampOf = [&](int64_t c) -> std::pair<int64_t, int64_t> {
    int64_t i = clamp.size() == 2 ? 0 : c;
    return {clamp[2 * i], clamp[2 * i + 1]};
  };
  SmallVector<std::optional<FloatRequantize>> found;
  for (bool allowSplit : {false, true}) {
    found.clear();
    for (int64_t c = 0; c < real; ++c) {
      auto [clampLo, clampHi] = clampOf(c);
      found.push_back(planFloatRequantize(multiplier(c), rounding, ozp,
                                          clampLo, clampHi, ranges[c].min,
                                          ranges[c].max, allowSplit));
      if (!found.back() && !partial)
        break;
    }
    // One form for the layer: without the sign split when every channel
    // allows it (two vector instructions fewer).
    if (static_cast<int64_t>(found.size()) == real &&
        llvm::all_of(found, [](const auto &p) { return p.has_value(); }))
      break;
  }
  if (static_cast<int64_t>(found.size()) != real)
    return false;
  // Unproven channels (partial only) take a proven channel's plan; their
  // results are computed by another epilogue.
  const std::optional<FloatRequantize> *any =
      llvm::find_if(found, [](const auto &p) { return p.has_value(); });
  if (any == found.end())
    return false;
  SmallVector<FloatRequantize> plans;
  unproven.assign(real, false);
  for (int64_t c = 0; c < real; ++c) {
    unproven[c] = !found[c];
    plans.push_back(found[c] ? *found[c] : **any);
  }
  split = llvm::any_of(plans, [](const FloatRequantize &p) { return p.split; });
  unsigned width = outElement.getIntOrFloatBitWidth();
  int64_t typeMin = -(int64_t{1} << (width - 1));
  int64_t typeMax = (int64_t{1} << (width - 1)) - 1;
  clampByNarrow = true;
  for (int64_t c = 0; c < real; ++c) {
    FixedPointMultiplier m = multiplier(c);
    double mult = std::ldexp(static_cast<double>(m.m0), m.shift - 31);
    double reach =
        static_cast<double>(std::max(-ranges[c].min, ranges[c].max)) * mult +
        std::abs(static_cast<double>(ozp)) + 1;
    clampByNarrow &= clampOf(c) == std::pair<int64_t, int64_t>{typeMin,
                                                               typeMax} &&
                     reach < std::ldexp(1.0, 30);
  }
  SmallVector<float> mh, ml, ap, an, lof, hif;
  SmallVector<int32_t> nb;
  for (int64_t lane = 0; lane < channels; ++lane) {
    // Padding lanes repeat channel 0 (their results are never stored).
    int64_t c = period ? lane % period : lane;
    if (c >= real)
      c = 0;
    const FloatRequantize &p = plans[c];
    mh.push_back(p.mulHigh);
    ml.push_back(p.mulLow);
    ap.push_back(p.addNonNegative);
    an.push_back(p.addNegative);
    nb.push_back(p.negativeBelow);
    lof.push_back(static_cast<float>(clampOf(c).first));
    hif.push_back(static_cast<float>(clampOf(c).second));
  }
  Type f32 = b.getF32Type();
  mulHigh = makeParam<float>(b, loc, mh, f32);
  mulLow = makeParam<float>(b, loc, ml, f32);
  addNonNegative = makeParam<float>(b, loc, ap, f32);
  if (split) {
    addNegative = makeParam<float>(b, loc, an, f32);
    negativeBelow = makeParam<int32_t>(b, loc, nb, b.getI32Type());
  }
  if (!clampByNarrow) {
    lo = makeParam<float>(b, loc, lof, f32);
    hi = makeParam<float>(b, loc, hif, f32);
  }
  kind = Kind::FloatExact;
  return true;
}

Epilogue::Epilogue(OpBuilder &b, Location loc, RequantizeOp rq,
                   int64_t channels, ArrayRef<AccumulatorRange> ranges,
                   bool floatForm, int64_t channelPeriod, bool partial)
    : period(channelPeriod) {
  outElement = cast<RankedTensorType>(rq.getType()).getElementType();
  izp = rq.getInputZeroPoint();
  ozp = rq.getOutputZeroPoint();
  // The input is i32: v = x - izp leaves int32 only with a nonzero izp.
  saturateV = izp != 0;
  ArrayRef<int64_t> clamp = rq.getClamp();
  int64_t pairs = clamp.size() / 2;
  // Per padded channel c: the value of channel c, or of channel 0 for a
  // single value (and for the padding channels, whose results are never
  // stored).
  auto lane = [&](int64_t count, auto get) {
    using T = decltype(get(0));
    SmallVector<T> values;
    for (int64_t c = 0; c < channels; ++c) {
      int64_t real = period ? c % period : c;
      values.push_back(get(count == 1 || real >= count ? 0 : real));
    }
    return values;
  };
  SmallVector<int64_t> loValues = lane(pairs, [&](int64_t c) {
    return clamp[2 * c];
  });
  SmallVector<int64_t> hiValues = lane(pairs, [&](int64_t c) {
    return clamp[2 * c + 1];
  });
  int64_t numMultipliers = rq.getNumMultipliers();

  if (std::optional<ArrayRef<double>> scales = rq.getScale()) {
    kind = Kind::Float;
    SmallVector<double> s =
        lane(numMultipliers, [&](int64_t c) { return (*scales)[c]; });
    scale = makeParam<double>(b, loc, s, b.getF64Type());
    SmallVector<double> loF, hiF;
    for (auto [l, h] : llvm::zip_equal(loValues, hiValues)) {
      loF.push_back(static_cast<double>(l));
      hiF.push_back(static_cast<double>(h));
    }
    lo = makeParam<double>(b, loc, loF, b.getF64Type());
    hi = makeParam<double>(b, loc, hiF, b.getF64Type());
    return;
  }

  if (floatForm && planFloat(b, loc, rq, channels, ranges, partial))
    return;
  unproven.clear();
  kind = Kind::Fixed;
  FixedPointConstants fixed =
      getFixedPointConstants(rq.getFixedPointAttr(), rq.getRounding());
  needsDivide = fixed.needsDivide;
  needsSaturation = fixed.needsSaturation;
  auto pick = [&](const SmallVector<int64_t> &values) {
    return lane(numMultipliers, [&](int64_t c) { return values[c]; });
  };
  SmallVector<int32_t> m032, mask32, threshold32, right32;
  for (int64_t v : pick(fixed.m0))
    m032.push_back(static_cast<int32_t>(v));
  for (int64_t r : pick(fixed.right)) {
    int64_t m = (int64_t{1} << r) - 1;
    right32.push_back(static_cast<int32_t>(r));
    mask32.push_back(static_cast<int32_t>(m));
    threshold32.push_back(static_cast<int32_t>(m >> 1));
  }
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  SmallVector<int64_t> addValues = pick(fixed.add);
  SmallVector<int64_t> shiftValues = pick(fixed.shift);
  SmallVector<int64_t> rightValues = pick(fixed.right);
  // Double rounding with a right shift e (never saturating there):
  // SRDHM(v, m0) = floor((p + add) / 2^shift), p = v * m0, and
  // RDBPOT(x, e) = floor((x + 2^(e-1) - [x < 0]) / 2^e) (gemmlowp's
  // remainder/threshold form, rewritten), so the two nest into one floor:
  //   floor((p + add + 2^(shift+e-1) - [p + add < 0] * 2^shift)
  //         / 2^(shift+e))
  // (|p| < 2^62, the constants <= 2^61 + 2^30: no i64 overflow). Channels
  // with e = 0 keep add and shift.
  fuseDivide = needsDivide && !needsSaturation;
  SmallVector<int64_t> negLimitValues, corrValues;
  if (fuseDivide) {
    for (auto [a, sh, e] :
         llvm::zip_equal(addValues, shiftValues, rightValues)) {
      negLimitValues.push_back(-a);
      corrValues.push_back(e > 0 ? int64_t{1} << sh : 0);
      if (e > 0)
        a += int64_t{1} << (sh + e - 1);
      sh += e;
    }
  }
  for (int64_t parity : {0, 1}) {
    m0[parity] = makeParam<int32_t>(
        b, loc, channelHalf<int32_t>(m032, parity), i32, kLanes / 2);
    add[parity] = makeParam<int64_t>(
        b, loc, channelHalf<int64_t>(addValues, parity), i64, kLanes / 2);
    shift[parity] = makeParam<int64_t>(
        b, loc, channelHalf<int64_t>(shiftValues, parity), i64, kLanes / 2);
    if (fuseDivide) {
      negLimit[parity] = makeParam<int64_t>(
          b, loc, channelHalf<int64_t>(negLimitValues, parity), i64,
          kLanes / 2);
      corr[parity] = makeParam<int64_t>(
          b, loc, channelHalf<int64_t>(corrValues, parity), i64, kLanes / 2);
    }
  }
  if (needsDivide && !fuseDivide) {
    mask = makeParam<int32_t>(b, loc, mask32, i32);
    threshold = makeParam<int32_t>(b, loc, threshold32, i32);
    right = makeParam<int32_t>(b, loc, right32, i32);
  }
  // clamp(t + ozp, lo, hi) = clamp(t, lo - ozp, hi - ozp) + ozp for the
  // int32 t, in i32 when both shifted bounds fit.
  SmallVector<int32_t> lo32, hi32;
  for (auto [l, h] : llvm::zip_equal(loValues, hiValues)) {
    int64_t sl = l - ozp, sh = h - ozp;
    wideClamp |= sl < kInt32Min || sl > kInt32Max || sh < kInt32Min ||
                 sh > kInt32Max;
    lo32.push_back(static_cast<int32_t>(sl));
    hi32.push_back(static_cast<int32_t>(sh));
  }
  if (wideClamp) {
    lo = makeParam<int64_t>(b, loc, loValues, i64);
    hi = makeParam<int64_t>(b, loc, hiValues, i64);
  } else {
    lo = makeParam<int32_t>(b, loc, lo32, i32);
    hi = makeParam<int32_t>(b, loc, hi32, i32);
  }
}

bool Epilogue::narrowsRuns() const {
  return kind == Kind::FloatExact && outElement.isSignlessInteger(8);
}

Value Epilogue::emitWide(OpBuilder &b, Location loc, Value acc,
                         Value channel) const {
  assert(kind == Kind::FloatExact && "emitWide needs the exact f32 form");
  // qnn::FloatRequantize on 16 lanes: vcvtdq2ps, [vpcmpd + blend], two
  // FMAs (the second rounded toward -inf), the clamp, and a conversion
  // rounded toward -inf (docs/Numerics.md).
  auto v32 = VectorType::get({kLanes}, b.getI32Type());
  auto f32 = VectorType::get({kLanes}, b.getF32Type());
  auto call = [&](StringRef name, Type type, ValueRange args) -> Value {
    return LLVM::CallIntrinsicOp::create(b, loc, type, b.getStringAttr(name),
                                         args)
        ->getResult(0);
  };
  auto imm = [&](Type type, int64_t v) -> Value {
    return LLVM::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
  };
  Type i32 = b.getI32Type();
  Value roundDown = imm(i32, 9); // _MM_FROUND_TO_NEG_INF | NO_EXC
  Value current = imm(i32, 4);   // _MM_FROUND_CUR_DIRECTION
  Value a = arith::SIToFPOp::create(b, loc, f32, acc);
  Value c = addNonNegative.at(b, loc, channel);
  if (split) {
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, acc,
                              negativeBelow.at(b, loc, channel));
    c = arith::SelectOp::create(b, loc, negative,
                                addNegative.at(b, loc, channel), c);
  }
  Value v1 = vector::FMAOp::create(b, loc, a, mulHigh.at(b, loc, channel), c);
  Value v = call(kFmaddRounded, f32,
                 {a, mulLow.at(b, loc, channel), v1, roundDown});
  if (!clampByNarrow) {
    v = call(kMaxPs, f32, {v, lo.at(b, loc, channel), current});
    v = call(kMinPs, f32, {v, hi.at(b, loc, channel), current});
  }
  return call(kCvtRounded, v32,
              {v,
               arith::ConstantOp::create(b, loc,
                                         DenseElementsAttr::get(v32, int32_t{0})),
               imm(b.getI16Type(), -1), roundDown});
}

Value Epilogue::storeRun(OpBuilder &b, Location loc, ArrayRef<Value> wide,
                         Value dest, ValueRange indices) {
  auto n = static_cast<int64_t>(wide.size());
  assert(n >= 2 && n <= 4 && "a run of 2 to 4 vectors");
  auto call = [&](StringRef name, Type type, ValueRange args) -> Value {
    return LLVM::CallIntrinsicOp::create(b, loc, type, b.getStringAttr(name),
                                         args)
        ->getResult(0);
  };
  // Saturating i32 -> i16 -> i8 is the saturation i32 -> i8. In 128-bit
  // lane L the packs leave 4 bytes of each vector v: i32 4 L + v holds
  // vector v's lanes 4 L .. 4 L + 3.
  auto words = VectorType::get({2 * kLanes}, b.getI16Type());
  Value first = call(kPackssDw, words, {wide[0], wide[1]});
  Value second = n == 2   ? first
                 : n == 3 ? call(kPackssDw, words, {wide[2], wide[2]})
                          : call(kPackssDw, words, {wide[2], wide[3]});
  Value bytes = call(kPackssWb, VectorType::get({4 * kLanes}, b.getI8Type()),
                     {first, second});
  auto dwords = VectorType::get({kLanes}, b.getI32Type());
  Value d = vector::BitCastOp::create(b, loc, dwords, bytes);
  // Three vectors: a whole 64-byte permute (the fourth quarter repeats the
  // third) and a masked store of 48 bytes.
  int64_t kept = n == 3 ? 4 : n;
  SmallVector<int64_t> mask;
  for (int64_t v = 0; v < kept; ++v)
    for (int64_t l = 0; l < 4; ++l)
      mask.push_back(4 * l + std::min<int64_t>(v, n - 1));
  Value ordered = vector::ShuffleOp::create(b, loc, d, d, mask);
  auto resultType = VectorType::get({kLanes * kept}, b.getI8Type());
  Value result = vector::BitCastOp::create(b, loc, resultType, ordered);
  if (kept == n)
    return vector::TransferWriteOp::create(b, loc, result, dest, indices,
                                           ArrayRef<bool>{true})
        .getResult();
  Value storeMask = vector::ConstantMaskOp::create(
      b, loc, VectorType::get({kLanes * kept}, b.getI1Type()),
      ArrayRef<int64_t>{kLanes * n});
  auto rank = cast<RankedTensorType>(dest.getType()).getRank();
  return vector::TransferWriteOp::create(
             b, loc, result, dest, indices,
             AffineMapAttr::get(AffineMap::getMinorIdentityMap(
                 rank, 1, b.getContext())),
             storeMask, b.getBoolArrayAttr({true}))
      .getResult();
}

Value Epilogue::emit(OpBuilder &b, Location loc, Value acc,
                     Value channel) const {
  if (kind == Kind::Store)
    return acc;
  auto v32 = VectorType::get({kLanes}, b.getI32Type());
  auto v64 = VectorType::get({kLanes}, b.getI64Type());
  auto splat = [&](VectorType type, auto value) -> Value {
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, value));
  };
  auto clampS = [&](Value x, Value l, Value h) -> Value {
    x = arith::MaxSIOp::create(b, loc, x, l);
    return arith::MinSIOp::create(b, loc, x, h);
  };
  auto narrow = [&](Value y) -> Value {
    auto type = VectorType::get({kLanes}, outElement);
    if (cast<VectorType>(y.getType()) == type)
      return y;
    return arith::TruncIOp::create(b, loc, type, y);
  };

  if (kind == Kind::FloatExact) {
    Value y = emitWide(b, loc, acc, channel);
    // A saturating narrow, not arith.trunci: LLVM 22 folds a trunc feeding
    // a masked store of one lane into a 4-byte store of the i32 lane
    // (writing past the row), see docs/Numerics.md.
    auto narrowType = VectorType::get({kLanes}, outElement);
    if (outElement.getIntOrFloatBitWidth() == 32)
      return y;
    Type i16 = b.getI16Type();
    return LLVM::CallIntrinsicOp::create(
               b, loc, narrowType,
               b.getStringAttr(outElement.getIntOrFloatBitWidth() == 8
                                   ? kPmovsDb
                                   : kPmovsDw),
               ValueRange{y,
                          arith::ConstantOp::create(
                              b, loc, b.getZeroAttr(narrowType)),
                          LLVM::ConstantOp::create(
                              b, loc, i16, b.getIntegerAttr(i16, -1))})
        ->getResult(0);
  }

  if (kind == Kind::Float) {
    // round_half_away(M * v) in f64, as RequantizePatterns.cpp.
    Value v = arith::ExtSIOp::create(b, loc, v64, acc);
    if (izp != 0)
      v = arith::SubIOp::create(b, loc, v, splat(v64, izp));
    auto f64 = VectorType::get({kLanes}, b.getF64Type());
    Value vf = arith::SIToFPOp::create(b, loc, f64, v);
    Value product =
        arith::MulFOp::create(b, loc, vf, scale.at(b, loc, channel));
    Value r = math::RoundOp::create(b, loc, product);
    Value yf = arith::AddFOp::create(b, loc, r,
                                     splat(f64, static_cast<double>(ozp)));
    yf = arith::MaximumFOp::create(b, loc, yf, lo.at(b, loc, channel));
    yf = arith::MinimumFOp::create(b, loc, yf, hi.at(b, loc, channel));
    return narrow(arith::FPToSIOp::create(b, loc, v64, yf));
  }

  // t = (v * m0 + add) >> shift in 64 bits (|v * m0| < 2^62, add <= 2^61),
  // on the even and the odd lanes separately: the accumulators seen as
  // 8 x i64 hold channel 2i in the low and 2i + 1 in the high half of lane
  // i, so sign-extending in place ((a << 32) >> 32, a >> 32) gives both
  // operands of vpmuldq without any cross-lane shuffle.
  auto v8i64 = VectorType::get({kLanes / 2}, b.getI64Type());
  Value wide = vector::BitCastOp::create(b, loc, v8i64, acc);
  Value c32 = splat(v8i64, int64_t{32});
  Value halves[2] = {
      arith::ShRSIOp::create(b, loc,
                             arith::ShLIOp::create(b, loc, wide, c32), c32),
      arith::ShRSIOp::create(b, loc, wide, c32)};
  for (int64_t parity : {0, 1}) {
    Value v = halves[parity];
    if (izp != 0)
      v = arith::SubIOp::create(b, loc, v, splat(v8i64, izp));
    if (saturateV)
      v = clampS(v, splat(v8i64, kInt32Min), splat(v8i64, kInt32Max));
    Value m = arith::ExtSIOp::create(b, loc, v8i64,
                                     m0[parity].at(b, loc, channel));
    Value p = arith::MulIOp::create(b, loc, v, m);
    Value t = arith::AddIOp::create(b, loc, p, add[parity].at(b, loc, channel));
    if (fuseDivide) {
      Value negative =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, p,
                                negLimit[parity].at(b, loc, channel));
      Value lowered = arith::SubIOp::create(
          b, loc, t, corr[parity].at(b, loc, channel));
      t = arith::SelectOp::create(b, loc, negative, lowered, t);
    }
    t = arith::ShRSIOp::create(b, loc, t,
                               shift[parity].at(b, loc, channel));
    // Where RDBPOT divides (double rounding, shift < 0) t fits int32
    // already; saturating before the division is the same as after
    // (RDBPOT's exponent is 0 wherever the saturation can bite).
    if (needsSaturation)
      t = clampS(t, splat(v8i64, kInt32Min), splat(v8i64, kInt32Max));
    halves[parity] = t;
  }
  // Back to 16 x i32: the low half of the even result, the odd result in
  // the high half.
  Value low = arith::AndIOp::create(b, loc, halves[0],
                                    splat(v8i64, int64_t{0xffffffff}));
  Value high = arith::ShLIOp::create(b, loc, halves[1], c32);
  Value t32 = vector::BitCastOp::create(
      b, loc, v32, arith::OrIOp::create(b, loc, low, high));
  if (needsDivide && !fuseDivide) {
    // gemmlowp RoundingDivideByPOT in i32: (x >> e) + (rem > thr), with
    // rem = x & mask, thr = (mask >> 1) + (x < 0).
    Value zero = splat(v32, int32_t{0});
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           t32, zero);
    Value rem = arith::AndIOp::create(b, loc, t32, mask.at(b, loc, channel));
    Value thr = arith::AddIOp::create(
        b, loc, threshold.at(b, loc, channel),
        arith::ExtUIOp::create(b, loc, v32, negative));
    Value q = arith::ShRSIOp::create(b, loc, t32, right.at(b, loc, channel));
    Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, rem,
                                     thr);
    t32 = arith::AddIOp::create(b, loc, q,
                                arith::ExtUIOp::create(b, loc, v32, up));
  }
  if (wideClamp) {
    Value y = arith::ExtSIOp::create(b, loc, v64, t32);
    y = arith::AddIOp::create(b, loc, y, splat(v64, ozp));
    y = clampS(y, lo.at(b, loc, channel), hi.at(b, loc, channel));
    return narrow(y);
  }
  Value y = clampS(t32, lo.at(b, loc, channel), hi.at(b, loc, channel));
  if (ozp != 0)
    y = arith::AddIOp::create(b, loc, y,
                              splat(v32, static_cast<int32_t>(ozp)));
  return narrow(y);
}
