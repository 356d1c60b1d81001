//===- FixedPoint.cpp - Fixed-point requantization arithmetic -------------===//
//
// Part of quant-opt. Every function is written from the closed forms in
// docs/Numerics.md; the unit tests check them bit for bit against gemmlowp's
// fixedpoint.h and the TOSA specification's apply_scale_32.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace qnn;

static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

static int32_t saturateToInt32(int64_t v) {
  return static_cast<int32_t>(std::clamp(v, kInt32Min, kInt32Max));
}

namespace {
/// (m0, shift) before the flush and saturation of quantizeMultiplier.
struct RawMultiplier {
  int64_t m0;
  int shift;
};
} // namespace

/// TFLite QuantizeMultiplier (tensorflow/lite/kernels/internal/
/// quantization_util.cc) up to its range checks: m = q * 2^shift with
/// q in [0.5, 1), m0 = round(q * 2^31) ties away from zero (std::round, as
/// TfLiteRound), and the carry m0 == 2^31 -> (2^30, shift + 1). Requires m
/// positive and finite.
static RawMultiplier frexpMultiplier(double m) {
  int shift = 0;
  double q = std::frexp(m, &shift);
  auto m0 = static_cast<int64_t>(std::round(q * 2147483648.0));
  assert(m0 >= (int64_t{1} << 30) && m0 <= (int64_t{1} << 31));
  if (m0 == (int64_t{1} << 31)) {
    m0 /= 2;
    ++shift;
  }
  return {m0, shift};
}

FixedPointMultiplier qnn::quantizeMultiplier(double m) {
  assert(m >= 0 && "multiplier must be non-negative and not NaN");
  if (m == 0)
    return {0, 0};
  if (std::isinf(m))
    return {static_cast<int32_t>(kInt32Max), 30};
  RawMultiplier raw = frexpMultiplier(m);
  // Below about 2^-32 every int32 input rounds to 0 or +-1; TFLite flushes.
  if (raw.shift < -31)
    return {0, 0};
  // TFLITE_SINGLE_ROUNDING's saturation (see the header).
  if (raw.shift > 30)
    return {static_cast<int32_t>(kInt32Max), 30};
  return {static_cast<int32_t>(raw.m0), raw.shift};
}

bool qnn::isRepresentableMultiplier(double m) {
  if (!(m >= 0) || std::isinf(m))
    return false;
  return m == 0 || frexpMultiplier(m).shift <= 30;
}

/// gemmlowp fixedpoint.h SaturatingRoundingDoublingHighMul. gemmlowp adds a
/// sign-dependent nudge and truncates; that equals floor((ab + 2^30) / 2^31)
/// (reference/algorithms.md section 1.2), which an arithmetic right shift of
/// the exact int64 product computes directly.
int32_t qnn::saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return static_cast<int32_t>(kInt32Max);
  int64_t ab = static_cast<int64_t>(a) * b; // |ab| < 2^62
  return static_cast<int32_t>((ab + (int64_t{1} << 30)) >> 31);
}

/// gemmlowp fixedpoint.h RoundingDivideByPOT: round half away from zero,
/// computed on the magnitude in 64 bits so that -INT32_MIN cannot overflow.
int32_t qnn::roundingDivideByPOT(int32_t x, int exponent) {
  assert(exponent >= 0 && exponent <= 31);
  if (exponent == 0)
    return x;
  int64_t half = int64_t{1} << (exponent - 1);
  int64_t v = x;
  int64_t magnitude = ((v < 0 ? -v : v) + half) >> exponent;
  return static_cast<int32_t>(v < 0 ? -magnitude : magnitude);
}

/// TFLite MultiplyByQuantizedMultiplier, double rounding
/// (tensorflow/lite/kernels/internal/common.cc); Jacob et al. 2018 section
/// 2.2 and appendix: a Q31 fixed-point multiply, then a rounding right shift.
int32_t qnn::multiplyByQuantizedMultiplierDouble(int32_t x,
                                                 FixedPointMultiplier m) {
  assert(m.shift >= -31 && m.shift <= 30);
  assert(m.m0 >= 0);
  int left = m.shift > 0 ? m.shift : 0;
  int right = m.shift > 0 ? 0 : -m.shift;
  int64_t shifted = static_cast<int64_t>(x) << left; // |x| * 2^30 < 2^62
  if (shifted < kInt32Min || shifted > kInt32Max) {
    // TFLite's int32 overflow (undefined there): the exact value of the same
    // formula, see the header. m0 >= 0, so SRDHM's own saturation case
    // (both operands INT32_MIN) cannot arise; |x * m0| < 2^62.
    int64_t product = static_cast<int64_t>(x) * m.m0;
    return saturateToInt32((product + (int64_t{1} << (30 - left))) >>
                           (31 - left));
  }
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(static_cast<int32_t>(shifted), m.m0),
      right);
}

/// TFLite MultiplyByQuantizedMultiplier with TFLITE_SINGLE_ROUNDING
/// (common.cc); TOSA apply_scale_32 (pseudocode/library/scale_helpers.tosac)
/// with double_round = false and S = 31 - shift.
int32_t qnn::multiplyByQuantizedMultiplierSingle(int32_t x,
                                                 FixedPointMultiplier m) {
  assert(m.shift >= -31 && m.shift <= 30);
  assert(m.m0 >= 0);
  int total = 31 - m.shift; // in [1, 62]
  // |x * m0| < 2^62 and the rounding term is at most 2^61: no overflow.
  int64_t product = static_cast<int64_t>(x) * m.m0;
  return saturateToInt32((product + (int64_t{1} << (total - 1))) >> total);
}

int64_t qnn::requantize(int32_t x, int64_t inputZeroPoint,
                        FixedPointMultiplier m, int64_t outputZeroPoint,
                        int64_t clampMin, int64_t clampMax,
                        FixedPointRounding rounding) {
  assert(clampMin <= clampMax);
  int32_t v = saturateToInt32(static_cast<int64_t>(x) - inputZeroPoint);
  int32_t r = rounding == FixedPointRounding::Double
                  ? multiplyByQuantizedMultiplierDouble(v, m)
                  : multiplyByQuantizedMultiplierSingle(v, m);
  return std::clamp(static_cast<int64_t>(r) + outputZeroPoint, clampMin,
                    clampMax);
}

//===----------------------------------------------------------------------===//
// Exact float requantization (docs/Numerics.md)
//===----------------------------------------------------------------------===//

int64_t qnn::evalFloatRequantize(const FloatRequantize &plan, int32_t x,
                                 int64_t clampMin, int64_t clampMax) {
  auto a = static_cast<float>(x);
  float c = x < plan.negativeBelow ? plan.addNegative : plan.addNonNegative;
  float v1 = std::fma(a, plan.mulHigh, c);
  // v = a * mulLow + v1 rounded toward -inf, then floored: floor(v) is the
  // floor of the exact sum wherever that floor is a float (|.| < 2^24); the
  // clamp bounds are inside that range, so clamp(floor(v)) is
  // clamp(floor(exact sum)). The product of two floats is exact in double;
  // the sum is exact as the double pair (sum, err) (Knuth's TwoSum).
  double product = static_cast<double>(a) * static_cast<double>(plan.mulLow);
  double sum = product + static_cast<double>(v1);
  double bv = sum - product;
  double err = (product - (sum - bv)) + (static_cast<double>(v1) - bv);
  double floored = std::floor(sum);
  if (floored == sum && err < 0)
    floored -= 1;
  floored = std::clamp(floored, static_cast<double>(clampMin),
                       static_cast<double>(clampMax));
  return static_cast<int64_t>(floored);
}

namespace {
/// The points t in (accMin, accMax] where the exact requantization steps
/// up (exact(t - 1) < exact(t)), by bisection: the exact function is
/// monotone non-decreasing in x for m0 >= 0 (SRDHM, RDBPOT, the saturation
/// and the clamp all are).
template <typename Exact>
std::vector<int64_t> stepsOf(Exact exact, int64_t accMin, int64_t accMax) {
  std::vector<int64_t> steps;
  int64_t from = accMin;
  int64_t top = exact(accMax);
  for (int64_t k = exact(accMin) + 1; k <= top;) {
    // exact(from) < k <= exact(accMax): the least t with exact(t) >= k.
    int64_t lo = from, hi = accMax;
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      if (exact(mid) >= k)
        hi = mid;
      else
        lo = mid;
    }
    steps.push_back(hi);
    from = hi;
    k = exact(hi) + 1;
  }
  return steps;
}

/// A monotone candidate equals the monotone exact function on [from, to]
/// when `agrees` holds at both ends and on both sides of every step: between
/// two steps the exact function is constant, and a monotone function equal
/// to it at both ends of that stretch is too.
template <typename Agrees>
bool agreesOnSteps(const std::vector<int64_t> &steps, int64_t from,
                   int64_t to, Agrees agrees) {
  if (!agrees(from) || !agrees(to))
    return false;
  for (int64_t t : steps)
    if (!agrees(t) || !agrees(t - 1))
      return false;
  return true;
}
} // namespace

std::optional<FloatRequantize>
qnn::planFloatRequantize(FixedPointMultiplier m, FixedPointRounding rounding,
                         int64_t outputZeroPoint, int64_t clampMin,
                         int64_t clampMax, int64_t accMin, int64_t accMax,
                         bool allowSplit) {
  constexpr int64_t kFloatInt = int64_t{1} << 24;
  if (m.m0 < 0 || accMin > accMax || accMin < kInt32Min ||
      accMax > kInt32Max || clampMin > clampMax || clampMin <= -kFloatInt ||
      clampMax >= kFloatInt || outputZeroPoint <= -kFloatInt ||
      outputZeroPoint >= kFloatInt)
    return std::nullopt;
  auto exact = [&](int64_t x) {
    return requantize(static_cast<int32_t>(x), 0, m, outputZeroPoint,
                      clampMin, clampMax, rounding);
  };
  std::vector<int64_t> steps = stepsOf(exact, accMin, accMax);
  if (m.m0 == 0) {
    // A zero multiplier (a channel whose weights are all zero): R = 0, the
    // result is the constant clamp(zp); v = c = zp + 1/2 floors to zp.
    FloatRequantize plan;
    plan.addNonNegative = plan.addNegative =
        static_cast<float>(static_cast<double>(outputZeroPoint) + 0.5);
    plan.negativeBelow = static_cast<int32_t>(kInt32Min);
    if (steps.empty() &&
        evalFloatRequantize(plan, static_cast<int32_t>(accMin), clampMin,
                            clampMax) == exact(accMin))
      return plan;
    return std::nullopt;
  }

  // The real form: exact(x) = clamp(floor(x * M + c(x))) with
  //   single rounding, or a left shift:  c = zp + 1/2;
  //   double rounding, right shift e > 0: c = zp + 1/2 + 2^-(e+1), less
  //     2^-e where SRDHM's result is negative (x * m0 < -2^30), from
  //     RDBPOT's round half away from zero (docs/Numerics.md).
  double mult = std::ldexp(static_cast<double>(m.m0), m.shift - 31);
  int e = rounding == FixedPointRounding::Double && m.shift < 0 ? -m.shift : 0;
  double base = static_cast<double>(outputZeroPoint) + 0.5;
  double addPos = e > 0 ? base + std::ldexp(1.0, -(e + 1)) : base;
  double addNeg = e > 0 ? addPos - std::ldexp(1.0, -e) : addPos;
  // The least x with x * m0 >= -2^30.
  auto negativeBelow =
      static_cast<int32_t>(-((int64_t{1} << 30) / static_cast<int64_t>(m.m0)));
  bool needSplit = e > 0 && accMin < negativeBelow;

  auto verify = [&](const FloatRequantize &plan) {
    return agreesOnSteps(steps, accMin, accMax, [&](int64_t x) {
      return evalFloatRequantize(plan, static_cast<int32_t>(x), clampMin,
                                 clampMax) == exact(x);
    });
  };

  int exponent = 0;
  double fraction = std::frexp(mult, &exponent); // mult = fraction * 2^exp
  for (bool split : {false, true}) {
    if (split && (!allowSplit || !needSplit))
      break;
    // mulHigh: M truncated to h significant bits, so that x * mulHigh + c is
    // exact over the steps for a small enough h; mulLow: the rest (>= 0),
    // which keeps the float form monotone. Every h is tried: the check, not
    // the choice, makes the plan exact.
    for (int h : {8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15, 16, 17,
                  18, 19, 20, 21, 22, 23}) {
      double high = std::ldexp(std::floor(std::ldexp(fraction, h)),
                               exponent - h);
      FloatRequantize plan;
      plan.mulHigh = static_cast<float>(high);
      auto low = static_cast<float>(mult - high);
      // Keep every nonzero intermediate a normal float (no flush-to-zero
      // can change a result).
      if (low < std::ldexp(1.0f, -90))
        low = 0;
      plan.mulLow = low;
      plan.addNonNegative = static_cast<float>(addPos);
      plan.addNegative = static_cast<float>(split ? addNeg : addPos);
      plan.negativeBelow = split ? negativeBelow : kInt32Min;
      plan.split = split;
      if (plan.mulHigh <= 0 || plan.addNegative > plan.addNonNegative)
        continue;
      if (verify(plan))
        return plan;
    }
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// quant.qcast with a reciprocal
//===----------------------------------------------------------------------===//

int64_t qnn::quantizeFloat(float x, float scale, float zeroPoint, float lo,
                           float hi) {
  float t = std::nearbyint(x / scale) + zeroPoint;
  t = std::min(std::max(t, lo), hi);
  return static_cast<int64_t>(t);
}

namespace {
/// Floats in order as integers: -inf .. -0 = +0 .. +inf map to
/// -0x7f800000 .. 0x7f800000 (NaNs are outside).
int64_t floatKey(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return (bits & 0x80000000u) ? -static_cast<int64_t>(bits & 0x7fffffffu)
                              : static_cast<int64_t>(bits);
}
float keyFloat(int64_t key) {
  uint32_t bits = key < 0 ? 0x80000000u | static_cast<uint32_t>(-key)
                          : static_cast<uint32_t>(key);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}
} // namespace

std::optional<QuantizeReciprocal>
qnn::exactQuantizeReciprocal(float scale, float zeroPoint, float lo,
                             float hi) {
  if (!(scale > 0) || !std::isfinite(scale) || !(lo <= hi))
    return std::nullopt;
  constexpr int64_t kInf = 0x7f800000;
  auto exact = [&](int64_t key) {
    return quantizeFloat(keyFloat(key), scale, zeroPoint, lo, hi);
  };
  std::vector<int64_t> steps = stepsOf(exact, -kInf, kInf);
  auto verify = [&](QuantizeReciprocal r) {
    return agreesOnSteps(steps, -kInf, kInf, [&](int64_t key) {
      float x = keyFloat(key);
      float y = r.low == 0 ? x * r.high : std::fma(x, r.high, x * r.low);
      float t = std::nearbyint(y) + zeroPoint;
      t = std::min(std::max(t, lo), hi);
      return static_cast<int64_t>(t) == exact(key);
    });
  };
  double inverse = 1.0 / static_cast<double>(scale);
  auto first = static_cast<float>(inverse);
  if (!std::isfinite(first) || !(first > 0))
    return std::nullopt;
  // Monotone in x: high > 0 and low >= 0.
  for (int delta : {0, 1, -1, 2, -2}) {
    QuantizeReciprocal r{keyFloat(floatKey(first) + delta), 0};
    if (r.high > 0 && std::isfinite(r.high) && verify(r))
      return r;
  }
  QuantizeReciprocal split;
  split.high = first > inverse ? keyFloat(floatKey(first) - 1) : first;
  split.low = static_cast<float>(inverse - static_cast<double>(split.high));
  if (split.high > 0 && split.low > 0 && std::isnormal(split.low) &&
      verify(split))
    return split;
  return std::nullopt;
}
