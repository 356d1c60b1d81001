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
#include <limits>

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
