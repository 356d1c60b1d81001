//===- FixedPointTest.cpp - Fixed-point requantization, bit for bit -------===//
//
// Part of quant-opt. Two independent references:
// * gemmlowp's own SaturatingRoundingDoublingHighMul and RoundingDivideByPOT
//   (Debian libgemmlowp-dev), composed into TFLite's double-rounding
//   MultiplyByQuantizedMultiplier as common.cc does;
// * the TOSA specification's apply_scale_32 (scale_helpers.tosac), written
//   out below, with S = 31 - shift.
// Hand-worked values come from reference/algorithms.md sections 1.1 and 1.5.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"

#include <gemmlowp/fixedpoint/fixedpoint.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <optional>
#include <string>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <random>

using namespace qnn;

namespace {

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
constexpr int32_t kPow30 = int32_t{1} << 30;

/// TFLite MultiplyByQuantizedMultiplier (double rounding) from gemmlowp's
/// primitives. The caller keeps x * 2^left inside int32 (TFLite's overflow is
/// undefined); the shift is done unsigned so the test itself has no UB.
int32_t gemmlowpDouble(int32_t x, int32_t m0, int shift) {
  int left = shift > 0 ? shift : 0;
  int right = shift > 0 ? 0 : -shift;
  auto shifted =
      static_cast<int32_t>(static_cast<uint32_t>(x) << left);
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(shifted, m0), right);
}

/// TOSA apply_scale_32(value, multiplier, shift, double_round), as in the
/// specification: REQUIRE(multiplier >= 0), REQUIRE(2 <= shift <= 62), and
/// for shift <= 31 value within shift bits.
int32_t tosaApplyScale32(int32_t value, int32_t multiplier, int tosaShift,
                         bool doubleRound) {
  EXPECT_GE(multiplier, 0);
  EXPECT_TRUE(tosaShift >= 2 && tosaShift <= 62);
  if (tosaShift <= 31) {
    EXPECT_GE(int64_t{value}, -(int64_t{1} << (tosaShift - 1)));
    EXPECT_LT(int64_t{value}, int64_t{1} << (tosaShift - 1));
  }
  int64_t round = int64_t{1} << (tosaShift - 1);
  if (doubleRound && tosaShift > 31)
    round += value >= 0 ? (int64_t{1} << 30) : -(int64_t{1} << 30);
  int64_t result = (int64_t{value} * multiplier + round) >> tosaShift;
  return static_cast<int32_t>(result);
}

int32_t single(int32_t x, int32_t m0, int shift) {
  return multiplyByQuantizedMultiplierSingle(x, {m0, shift});
}
int32_t dbl(int32_t x, int32_t m0, int shift) {
  return multiplyByQuantizedMultiplierDouble(x, {m0, shift});
}

//===----------------------------------------------------------------------===//
// quantizeMultiplier
//===----------------------------------------------------------------------===//

void expectMultiplier(double m, int32_t m0, int32_t shift) {
  FixedPointMultiplier got = quantizeMultiplier(m);
  EXPECT_EQ(got.m0, m0) << "m = " << m;
  EXPECT_EQ(got.shift, shift) << "m = " << m;
}

TEST(FixedPointQuantizeMultiplier, WorkedTable) {
  // reference/algorithms.md section 1.1.
  expectMultiplier(1.0, kPow30, 1);
  expectMultiplier(0.5, kPow30, 0);
  expectMultiplier(0.9999999999, kPow30, 1);
  expectMultiplier(1.0 / 3.0, 1431655765, -1);
  expectMultiplier(3.0, 1610612736, 2);
  expectMultiplier(std::ldexp(1.0, -31), kPow30, -30);
  expectMultiplier(std::ldexp(1.0, -32), kPow30, -31);
  expectMultiplier(1e-10, 0, 0);
  expectMultiplier(0.0, 0, 0);
}

TEST(FixedPointQuantizeMultiplier, CarryTo2Pow31) {
  // q * 2^31 = 2^31 - 0.5 rounds away from zero to 2^31: halve, shift + 1.
  expectMultiplier(1.0 - std::ldexp(1.0, -32), kPow30, 1);
  // q * 2^31 = 2^31 - 0.25 as well.
  expectMultiplier(1.0 - std::ldexp(1.0, -33), kPow30, 1);
  // Just below the tie: 2^31 - 1.
  expectMultiplier(std::nextafter(1.0 - std::ldexp(1.0, -32), 0.0), kMax, 0);
  // The same carry at other exponents.
  expectMultiplier(std::ldexp(1.0 - std::ldexp(1.0, -32), 5), kPow30, 6);
}

TEST(FixedPointQuantizeMultiplier, TiesAwayFromZero) {
  // q * 2^31 = 2^30 + 0.5 and 2^30 + 1.5: both round up (away from zero).
  expectMultiplier(std::ldexp(double(kPow30) + 0.5, -31), kPow30 + 1, 0);
  expectMultiplier(std::ldexp(double(kPow30) + 1.5, -31), kPow30 + 2, 0);
  expectMultiplier(std::ldexp(double(kPow30) + 0.5, -40), kPow30 + 1, -9);
}

TEST(FixedPointQuantizeMultiplier, TinyMultipliers) {
  // shift = -31 is the smallest kept; below it flushes to (0, 0).
  expectMultiplier(std::ldexp(1.5, -32), 1610612736, -31);
  expectMultiplier(std::ldexp(1.5, -33), 0, 0);
  expectMultiplier(std::ldexp(1.0, -33), 0, 0);
  // Rounds up into shift = -31 through the carry: kept.
  expectMultiplier(std::ldexp(1.0 - std::ldexp(1.0, -33), -32), kPow30, -31);
  expectMultiplier(std::numeric_limits<double>::min(), 0, 0);
  expectMultiplier(std::numeric_limits<double>::denorm_min(), 0, 0);
  EXPECT_TRUE(isRepresentableMultiplier(1e-10));
}

TEST(FixedPointQuantizeMultiplier, LargeMultipliersSaturate) {
  // shift = 30 is the largest kept.
  expectMultiplier(std::ldexp(1.0, 29), kPow30, 30);
  expectMultiplier(std::ldexp(1.0, 30) - 1.0, kMax - 1, 30);
  expectMultiplier(kMaxFixedPointMultiplier, kMax, 30);
  EXPECT_TRUE(isRepresentableMultiplier(kMaxFixedPointMultiplier));
  // From 2^30 - 0.25 (rounds to m0 = 2^31, shift 31) on: saturated.
  for (double m : {std::ldexp(1.0, 30) - 0.25, std::ldexp(1.0, 30), 3e9,
                   1e300, std::numeric_limits<double>::infinity()}) {
    expectMultiplier(m, kMax, 30);
    EXPECT_FALSE(isRepresentableMultiplier(m)) << m;
  }
  EXPECT_TRUE(isRepresentableMultiplier(
      std::nextafter(std::ldexp(1.0, 30) - 0.25, 0.0)));
  EXPECT_FALSE(isRepresentableMultiplier(-1.0));
  EXPECT_FALSE(isRepresentableMultiplier(std::nan("")));
  EXPECT_TRUE(isRepresentableMultiplier(0.0));
}

TEST(FixedPointQuantizeMultiplier, RandomRoundTrip) {
  // m0 is the nearest Q31 value: |m0 * 2^(shift-31) - m| <= 2^(shift-32).
  std::mt19937_64 rng(20180612);
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  std::uniform_int_distribution<int> exponent(-31, 30);
  for (int i = 0; i < 100000; ++i) {
    double m = std::ldexp(mantissa(rng), exponent(rng));
    FixedPointMultiplier fp = quantizeMultiplier(m);
    ASSERT_TRUE(fp.m0 >= kPow30) << m;
    ASSERT_TRUE(fp.shift >= -31 && fp.shift <= 30) << m;
    double back = std::ldexp(double(fp.m0), fp.shift - 31);
    ASSERT_LE(std::fabs(back - m), std::ldexp(1.0, fp.shift - 32)) << m;
  }
}

//===----------------------------------------------------------------------===//
// The gemmlowp primitives
//===----------------------------------------------------------------------===//

TEST(FixedPointPrimitives, SaturatingRoundingDoublingHighMulEdges) {
  // The single overflow.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  const int32_t values[] = {kMin,   kMin + 1, -kPow30 - 1, -kPow30,
                            -3,     -2,       -1,          0,
                            1,      2,        3,           kPow30,
                            kPow30 + 1, kMax - 1, kMax};
  for (int32_t a : values)
    for (int32_t b : values)
      EXPECT_EQ(saturatingRoundingDoublingHighMul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << a << " * " << b;
  // Ties go up, also for negative products: 2^30 * -1 is -0.5 -> 0.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kPow30, -1), 0);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kPow30, 1), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kPow30, -3), -1);
}

TEST(FixedPointPrimitives, RoundingDivideByPOTEdges) {
  const int32_t values[] = {kMin, kMin + 1, -6, -5, -3, -2, -1, 0,
                            1,    2,        3,  5,  6,  kMax - 1, kMax};
  for (int e = 0; e <= 31; ++e)
    for (int32_t x : values)
      EXPECT_EQ(roundingDivideByPOT(x, e), gemmlowp::RoundingDivideByPOT(x, e))
          << x << " / 2^" << e;
  // Ties away from zero.
  EXPECT_EQ(roundingDivideByPOT(-3, 1), -2);
  EXPECT_EQ(roundingDivideByPOT(-1, 1), -1);
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(roundingDivideByPOT(kMin, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kMax, 31), 1);
}

//===----------------------------------------------------------------------===//
// Double and single rounding
//===----------------------------------------------------------------------===//

TEST(FixedPointRequant, DoubleAndSingleDifferWhereExpected) {
  // Negative exact tie -0.5: the second rounding of double goes away from
  // zero, single rounds half up.
  EXPECT_EQ(dbl(-2, kPow30, -1), -1);
  EXPECT_EQ(single(-2, kPow30, -1), 0);
  // -12 * 2^-3 = -1.5.
  EXPECT_EQ(dbl(-12, kPow30, -2), -2);
  EXPECT_EQ(single(-12, kPow30, -2), -1);
  // Positive ties agree.
  EXPECT_EQ(dbl(2, kPow30, -1), 1);
  EXPECT_EQ(single(2, kPow30, -1), 1);
  // With shift >= 0 only SRDHM rounds: -0.5 -> 0 in both.
  EXPECT_EQ(dbl(-1, kPow30, 0), 0);
  EXPECT_EQ(single(-1, kPow30, 0), 0);
  // Double rounding on a non-tie: the first rounding lands on .5.
  const int32_t m0 = 1395864371;
  EXPECT_EQ(dbl(24, m0, -5), 1); // exact 0.4875
  EXPECT_EQ(single(24, m0, -5), 0);
  EXPECT_EQ(dbl(123, m0, -5), 3); // exact 2.4984
  EXPECT_EQ(single(123, m0, -5), 2);
  EXPECT_EQ(dbl(-4947, m0, -5), -101); // exact -100.486
  EXPECT_EQ(single(-4947, m0, -5), -100);
  for (int32_t x : {-2, 24, 123, -4947})
    for (int shift : {-1, -5})
      for (int32_t m : {kPow30, m0}) {
        EXPECT_EQ(dbl(x, m, shift), gemmlowpDouble(x, m, shift));
        EXPECT_EQ(dbl(x, m, shift), tosaApplyScale32(x, m, 31 - shift,
                                                     /*doubleRound=*/true));
        EXPECT_EQ(single(x, m, shift), tosaApplyScale32(x, m, 31 - shift,
                                                        /*doubleRound=*/false));
      }
}

TEST(FixedPointRequant, ShiftRangeEnds) {
  // shift = -31 (S = 62): INT32_MIN * 2^-32 is exactly -0.5.
  EXPECT_EQ(dbl(kMin, kPow30, -31), -1);
  EXPECT_EQ(single(kMin, kPow30, -31), 0);
  // Exact 0.5 - 2^-32: SRDHM rounds it to exactly 0.5, RDBPOT up to 1.
  EXPECT_EQ(dbl(kMax, kPow30, -31), 1);
  EXPECT_EQ(single(kMax, kPow30, -31), 0);
  EXPECT_EQ(dbl(kMax, kMax, -31), 1); // exact 0.9999999995
  EXPECT_EQ(single(kMax, kMax, -31), 1);
  for (int32_t x : {kMin, kMin + 1, -1, 0, 1, kMax - 1, kMax})
    for (int32_t m : {kPow30, kPow30 + 1, kMax}) {
      EXPECT_EQ(dbl(x, m, -31), gemmlowpDouble(x, m, -31)) << x << " " << m;
      EXPECT_EQ(single(x, m, -31), tosaApplyScale32(x, m, 62, false));
      EXPECT_EQ(dbl(x, m, -31), tosaApplyScale32(x, m, 62, true));
      EXPECT_EQ(dbl(x, m, 0), gemmlowpDouble(x, m, 0));
    }
  // shift = 30 (S = 1, outside TOSA): M = m0 / 2.
  EXPECT_EQ(single(1, kMax, 30), kPow30); // 1073741823.5 rounds up
  EXPECT_EQ(dbl(1, kMax, 30), kPow30);
  EXPECT_EQ(dbl(1, kMax, 30), gemmlowpDouble(1, kMax, 30));
  EXPECT_EQ(dbl(-1, kMax, 30), gemmlowpDouble(-1, kMax, 30));
  EXPECT_EQ(single(-1, kMax, 30), -kPow30 + 1); // -1073741823.5 rounds up
  EXPECT_EQ(dbl(-2, kPow30, 30), gemmlowpDouble(-2, kPow30, 30));
}

TEST(FixedPointRequant, OverflowPolicy) {
  // Double: where TFLite's x * 2^left overflows int32, the formula is
  // evaluated exactly and the result saturated. M = 1.0 is (2^30, +1).
  EXPECT_EQ(dbl(kMin, kPow30, 1), kMin);
  EXPECT_EQ(dbl(kMax, kPow30, 1), kMax);
  EXPECT_EQ(dbl(kPow30, kPow30, 1), kPow30);
  EXPECT_EQ(dbl(-kPow30 - 7, kPow30, 1), -kPow30 - 7);
  // 2 * 1073741823.5 = 2^31 - 1 exactly; -3 * 1073741823.5 saturates.
  EXPECT_EQ(dbl(2, kMax, 30), kMax);
  EXPECT_EQ(dbl(-3, kMax, 30), kMin);
  EXPECT_EQ(dbl(kMin, kMax, 1), kMin);
  EXPECT_EQ(dbl(kMax, kMax, 30), kMax);
  // M = 0.75 * 2^3 = 6: 1000000 * 6.
  EXPECT_EQ(dbl(1000000, 1610612736, 3), 6000000);
  EXPECT_EQ(dbl(400000000, 1610612736, 3), kMax);
  // Single: exact 3 * 1073741823.5 = 3221225470.5 saturates.
  EXPECT_EQ(single(3, kMax, 30), kMax);
  EXPECT_EQ(single(-3, kMax, 30), kMin);
  EXPECT_EQ(single(kMax, kMax, 30), kMax);
  EXPECT_EQ(single(kMin, kMax, 30), kMin);
  EXPECT_EQ(single(kMin, kPow30, 1), kMin);
  EXPECT_EQ(single(kMax, kPow30, 1), kMax);
  // For shift > 0 double and single are the same formula, overflow or not.
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100000; ++i) {
    uint64_t bits = rng();
    auto x = static_cast<int32_t>(static_cast<uint32_t>(bits));
    int shift = 1 + static_cast<int>((bits >> 32) % 30);
    int32_t m0 = kPow30 + static_cast<int32_t>((bits >> 40) << 10 & (kPow30 - 1));
    ASSERT_EQ(dbl(x, m0, shift), single(x, m0, shift))
        << "x=" << x << " m0=" << m0 << " shift=" << shift;
  }
}

TEST(FixedPointRequant, ZeroMultiplier) {
  for (int32_t x : {kMin, -1, 0, 1, kMax}) {
    EXPECT_EQ(dbl(x, 0, 0), 0);
    EXPECT_EQ(single(x, 0, 0), 0);
  }
}

/// 10^7 random cases against both references. Ties are made frequent by
/// drawing m0 = 2^30 and small x part of the time.
TEST(FixedPointRandom, BitExactAgainstGemmlowpAndTosa) {
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL);
  constexpr int kCases = 10'000'000;
  int64_t numDiffering = 0, numTosa = 0;
  for (int i = 0; i < kCases; ++i) {
    uint64_t bits = rng();
    auto x = static_cast<int32_t>(static_cast<uint32_t>(bits));
    int shift = static_cast<int>((bits >> 32) % 62) - 31; // [-31, 30]
    uint64_t more = rng();
    int32_t m0 = kPow30 + static_cast<int32_t>(more & (kPow30 - 1));
    switch ((more >> 32) & 7) {
    case 0:
      m0 = kPow30; // power of two: many exact ties
      break;
    case 1:
      x >>= 20; // small |x|
      break;
    case 2:
      x >>= 28;
      break;
    default:
      break;
    }
    int left = shift > 0 ? shift : 0;
    x >>= left; // keep x * 2^left in int32, where TFLite is defined

    int32_t d = dbl(x, m0, shift);
    int32_t s = single(x, m0, shift);
    ASSERT_EQ(d, gemmlowpDouble(x, m0, shift))
        << "x=" << x << " m0=" << m0 << " shift=" << shift;
    int tosaShift = 31 - shift;
    if (tosaShift >= 2) {
      bool inDomain = tosaShift > 31 ||
                      (int64_t{x} >= -(int64_t{1} << (tosaShift - 1)) &&
                       int64_t{x} < (int64_t{1} << (tosaShift - 1)));
      if (inDomain) {
        ASSERT_EQ(s, tosaApplyScale32(x, m0, tosaShift, false))
            << "x=" << x << " m0=" << m0 << " shift=" << shift;
        ASSERT_EQ(d, tosaApplyScale32(x, m0, tosaShift, true))
            << "x=" << x << " m0=" << m0 << " shift=" << shift;
        ++numTosa;
      }
    } else {
      // shift = 30: the single-rounding formula directly; x was shifted to
      // 2 bits, so the result fits int32.
      ASSERT_EQ(s, static_cast<int32_t>((int64_t{x} * m0 + 1) >> 1));
    }
    // The two roundings differ by at most one.
    ASSERT_LE(std::abs(int64_t{d} - s), 1);
    numDiffering += d != s;
  }
  // Sanity on the mix: most cases are inside TOSA's domain, and double and
  // single differ in a few percent of them (reference/algorithms.md 1.5).
  EXPECT_GT(numTosa, kCases / 2);
  EXPECT_GT(numDiffering, 0);
  EXPECT_LT(numDiffering, kCases / 10);
  RecordProperty("differing", std::to_string(numDiffering));
}

TEST(FixedPointRandom, PrimitivesAgainstGemmlowp) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1'000'000; ++i) {
    uint64_t bits = rng();
    auto a = static_cast<int32_t>(static_cast<uint32_t>(bits));
    auto b = static_cast<int32_t>(static_cast<uint32_t>(bits >> 32));
    ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
              gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << a << " * " << b;
    int e = static_cast<int>(rng() % 32);
    ASSERT_EQ(roundingDivideByPOT(a, e), gemmlowp::RoundingDivideByPOT(a, e))
        << a << " / 2^" << e;
  }
}

//===----------------------------------------------------------------------===//
// requantize
//===----------------------------------------------------------------------===//

TEST(FixedPointRequantize, ZeroPointsAndClamp) {
  FixedPointMultiplier third = quantizeMultiplier(1.0 / 3.0);
  auto rq = [&](int32_t x, int64_t izp, int64_t ozp, FixedPointRounding r) {
    return requantize(x, izp, third, ozp, -128, 127, r);
  };
  for (FixedPointRounding r :
       {FixedPointRounding::Double, FixedPointRounding::Single}) {
    EXPECT_EQ(rq(99, 0, -128, r), -95);   // 32.99999998 -> 33
    EXPECT_EQ(rq(100, 10, 0, r), 30);     // (100 - 10) / 3
    EXPECT_EQ(rq(1000, 0, 0, r), 127);    // clamped high
    EXPECT_EQ(rq(-1000, 0, 0, r), -128);  // clamped low
    EXPECT_EQ(rq(kMin, 1, 0, r), -128);   // v saturates to INT32_MIN
  }
  // 100 / 3: SRDHM gives 66.67 -> 67, then 33.5 -> 34 (double rounding).
  EXPECT_EQ(rq(100, 0, -128, FixedPointRounding::Double), -94);
  EXPECT_EQ(rq(100, 0, -128, FixedPointRounding::Single), -95);
  // The rounding mode is honoured: -2 * 2^-2 = -0.5.
  FixedPointMultiplier quarter = quantizeMultiplier(0.25);
  EXPECT_EQ(quarter, (FixedPointMultiplier{kPow30, -1}));
  EXPECT_EQ(requantize(-2, 0, quarter, 5, 0, 255, FixedPointRounding::Double),
            4);
  EXPECT_EQ(requantize(-2, 0, quarter, 5, 0, 255, FixedPointRounding::Single),
            5);
  // An input zero point moves the tie: (3 - 5) * 0.25.
  EXPECT_EQ(requantize(3, 5, quarter, 0, -10, 10, FixedPointRounding::Double),
            -1);
  // int32 output, full clamp range.
  EXPECT_EQ(requantize(kMax, 0, quantizeMultiplier(0.5), 0, kMin, kMax,
                       FixedPointRounding::Single),
            kPow30);
}

//===----------------------------------------------------------------------===//
// Exact float requantization (planFloatRequantize)
//===----------------------------------------------------------------------===//

/// qnn.requantize with input zero point 0 from gemmlowp's primitives (double
/// rounding) or TOSA's apply_scale_32 (single), with the zero point and the
/// clamp: the independent reference of the float plans.
int64_t referenceRequantize(int32_t x, FixedPointMultiplier m, int64_t ozp,
                            int64_t lo, int64_t hi, FixedPointRounding r) {
  int64_t y = r == FixedPointRounding::Double
                  ? gemmlowpDouble(x, m.m0, m.shift)
                  : tosaApplyScale32(x, m.m0, 31 - m.shift, false);
  return std::clamp(y + ozp, lo, hi);
}

/// The plan's formula on the host's AVX-512 (the instructions the kernels
/// emit): the emulation evalFloatRequantize must match them bit for bit.
#if defined(__x86_64__)
__attribute__((target("avx512f"))) void
hardwareFloatRequantize(const FloatRequantize &p, const int32_t *x,
                        int32_t *out, int64_t lo, int64_t hi) {
  __m512i acc = _mm512_loadu_si512(x);
  __m512 a = _mm512_cvtepi32_ps(acc);
  __mmask16 neg =
      _mm512_cmplt_epi32_mask(acc, _mm512_set1_epi32(p.negativeBelow));
  __m512 c = _mm512_mask_blend_ps(neg, _mm512_set1_ps(p.addNonNegative),
                                  _mm512_set1_ps(p.addNegative));
  __m512 v1 = _mm512_fmadd_ps(a, _mm512_set1_ps(p.mulHigh), c);
  __m512 v = _mm512_fmadd_round_ps(a, _mm512_set1_ps(p.mulLow), v1,
                                   _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  v = _mm512_max_ps(v, _mm512_set1_ps(static_cast<float>(lo)));
  v = _mm512_min_ps(v, _mm512_set1_ps(static_cast<float>(hi)));
  _mm512_storeu_si512(out, _mm512_cvt_roundps_epi32(
                               v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
}
#endif

struct FloatCase {
  FixedPointMultiplier m;
  FixedPointRounding rounding;
  int64_t ozp, lo, hi, accMin, accMax;
};

/// Every accumulator of the case's range: plan (emulated and, with AVX-512,
/// on the hardware) against the reference. Returns whether a plan exists.
bool checkWholeRange(const FloatCase &t) {
  std::optional<FloatRequantize> plan =
      planFloatRequantize(t.m, t.rounding, t.ozp, t.lo, t.hi, t.accMin,
                          t.accMax);
  if (!plan)
    return false;
#if defined(__x86_64__)
  bool avx512 = __builtin_cpu_supports("avx512f");
#else
  bool avx512 = false;
#endif
  int32_t xs[16], ys[16];
  int mismatches = 0;
  for (int64_t x0 = t.accMin; x0 <= t.accMax && mismatches < 5; x0 += 16) {
    for (int i = 0; i < 16; ++i)
      xs[i] = static_cast<int32_t>(std::min(x0 + i, t.accMax));
#if defined(__x86_64__)
    if (avx512)
      hardwareFloatRequantize(*plan, xs, ys, t.lo, t.hi);
#endif
    for (int i = 0; i < 16; ++i) {
      int64_t want =
          referenceRequantize(xs[i], t.m, t.ozp, t.lo, t.hi, t.rounding);
      int64_t got = evalFloatRequantize(*plan, xs[i], t.lo, t.hi);
      if (got != want || (avx512 && ys[i] != want)) {
        ADD_FAILURE() << "x = " << xs[i] << " m0 = " << t.m.m0
                      << " shift = " << t.m.shift << " zp = " << t.ozp
                      << ": reference " << want << ", emulated " << got
                      << (avx512 ? ", hardware " + std::to_string(ys[i])
                                 : std::string());
        ++mismatches;
      }
    }
  }
  return true;
}

TEST(FloatRequantize, HandWorked) {
  // M = 1/3 (double rounding: SRDHM, then RDBPOT by e = 1).
  FixedPointMultiplier third = quantizeMultiplier(1.0 / 3.0);
  ASSERT_EQ(third.shift, -1);
  std::optional<FloatRequantize> plan = planFloatRequantize(
      third, FixedPointRounding::Double, 0, -128, 127, -1000, 1000);
  ASSERT_TRUE(plan);
  // 100 / 3: 66.67 -> 67 -> 33.5 -> 34 (see ZeroPointsAndClamp).
  EXPECT_EQ(evalFloatRequantize(*plan, 100, -128, 127), 34);
  // -2 / 3: SRDHM -1.33 -> -1, RDBPOT -0.5 -> -1 (away from zero), where
  // one constant c = 1/2 + 2^-2 would give floor(-2/3 + 3/4) = 0.
  EXPECT_EQ(evalFloatRequantize(*plan, -2, -128, 127), -1);
  // c = zp + 1/2 + 2^-2, and 2^-1 less for negative SRDHM results: the
  // plan splits at x * m0 >= -2^30, i.e. x >= 0 for m0 > 2^30.
  EXPECT_EQ(plan->addNonNegative, 0.75f);
  EXPECT_TRUE(plan->split);
  EXPECT_EQ(plan->negativeBelow, 0);
  EXPECT_EQ(plan->addNegative, 0.25f);
  // mulHigh + mulLow is M exactly.
  EXPECT_EQ(static_cast<double>(plan->mulHigh) + plan->mulLow,
            std::ldexp(static_cast<double>(third.m0), third.shift - 31));
  EXPECT_TRUE(checkWholeRange({third, FixedPointRounding::Double, 0, -128,
                               127, -1000, 1000}));
  // With zero point -128 every negative result clamps to -128: no step
  // below zero, one additive constant.
  std::optional<FloatRequantize> shifted = planFloatRequantize(
      third, FixedPointRounding::Double, -128, -128, 127, -1000, 1000);
  ASSERT_TRUE(shifted);
  EXPECT_FALSE(shifted->split);
  EXPECT_EQ(evalFloatRequantize(*shifted, 100, -128, 127), -94);
  // Without the split the plan would be wrong, and is refused.
  EXPECT_FALSE(planFloatRequantize(third, FixedPointRounding::Double, 0, -128,
                                   127, -1000, 1000, /*allowSplit=*/false));
}

TEST(FloatRequantize, Refusals) {
  FixedPointMultiplier half = quantizeMultiplier(0.5);
  // int32 outputs: the clamp bounds are not all floats.
  EXPECT_FALSE(planFloatRequantize(half, FixedPointRounding::Single, 0, kMin,
                                   kMax, -100, 100));
  // An empty range.
  EXPECT_FALSE(planFloatRequantize(half, FixedPointRounding::Single, 0, -128,
                                   127, 100, -100));
}

TEST(FloatRequantize, ZeroMultiplier) {
  // A channel with all-zero weights and a zero multiplier: every accumulator
  // (here the bias, 2^30) gives clamp(zp).
  for (FixedPointRounding r :
       {FixedPointRounding::Double, FixedPointRounding::Single}) {
    std::optional<FloatRequantize> plan =
        planFloatRequantize({0, 0}, r, -128, -128, 127, 1 << 30, 1 << 30);
    ASSERT_TRUE(plan);
    EXPECT_EQ(evalFloatRequantize(*plan, 1 << 30, -128, 127), -128);
    EXPECT_TRUE(checkWholeRange({{0, 0}, r, 7, -128, 127, -3000, 3000}));
    EXPECT_TRUE(checkWholeRange({{0, 0}, r, 7, 10, 127, -3000, 3000}));
  }
}

TEST(FloatRequantize, WholeRangesAgainstGemmlowpAndTosa) {
  // Multipliers of depthwise and pointwise layers (about 2^-6 .. 2^-14),
  // accumulator ranges of 9 to 576 taps, i8 and u8 clamps with and without
  // ReLU, both roundings, and the edge multipliers m0 = 2^30 and 2^31 - 1.
  std::mt19937 rng(20261122);
  int planned = 0, cases = 0;
  for (int i = 0; i < 120; ++i) {
    FloatCase t;
    t.rounding = i % 3 == 2 ? FixedPointRounding::Single
                            : FixedPointRounding::Double;
    int32_t m0 = static_cast<int32_t>(
        std::uniform_int_distribution<int64_t>(kPow30, kMax)(rng));
    if (i % 17 == 0)
      m0 = kPow30;
    if (i % 19 == 0)
      m0 = kMax;
    t.m = {m0, std::uniform_int_distribution<int>(-14, -6)(rng)};
    t.ozp = std::uniform_int_distribution<int>(-20, 20)(rng);
    bool relu = i % 4 == 1;
    t.lo = relu ? t.ozp : -128;
    t.hi = i % 5 == 3 ? std::min<int64_t>(t.ozp + 40, 127) : 127;
    double mult = std::ldexp(static_cast<double>(t.m.m0), t.m.shift - 31);
    // A range a few times the clamp region, capped at 2^20 values.
    int64_t reach = std::min<int64_t>(
        static_cast<int64_t>(600 / mult), int64_t{1} << 19);
    t.accMin = -reach + std::uniform_int_distribution<int>(0, 999)(rng);
    t.accMax = reach - std::uniform_int_distribution<int>(0, 999)(rng);
    ++cases;
    planned += checkWholeRange(t);
  }
  // The plans exist for nearly every layer (a refusal falls back to the
  // integer epilogue; too many would make the float path pointless).
  EXPECT_GE(planned, cases * 9 / 10) << planned << " of " << cases;
}

TEST(FloatRequantize, LeftShiftsAndWideRanges) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    FloatCase t;
    t.rounding = i % 2 ? FixedPointRounding::Single
                       : FixedPointRounding::Double;
    t.m = {static_cast<int32_t>(
               std::uniform_int_distribution<int64_t>(kPow30, kMax)(rng)),
           std::uniform_int_distribution<int>(-2, 3)(rng)};
    t.ozp = 3;
    t.lo = -128;
    t.hi = 127;
    t.accMin = -5000;
    t.accMax = 5000;
    EXPECT_TRUE(checkWholeRange(t)) << "m0 = " << t.m.m0 << " shift "
                                    << t.m.shift;
  }
}

//===----------------------------------------------------------------------===//
// quant.qcast with a reciprocal (exactQuantizeReciprocal)
//===----------------------------------------------------------------------===//

/// The reciprocal form against the f32 division on `count` floats spread
/// over every binade (every 4099th bit pattern), the 64 floats on each side
/// of every half-integer quotient (k + 1/2) * scale for k in
/// [lo - zp - 2, hi - zp + 2], and +-inf.
void checkReciprocal(float scale, float zp, float lo, float hi) {
  std::optional<QuantizeReciprocal> r =
      exactQuantizeReciprocal(scale, zp, lo, hi);
  ASSERT_TRUE(r) << "scale " << scale;
  auto viaReciprocal = [&](float x) {
    float y = r->low == 0 ? x * r->high : std::fma(x, r->high, x * r->low);
    float t = std::nearbyint(y) + zp;
    t = std::min(std::max(t, lo), hi);
    return static_cast<int64_t>(t);
  };
  int mismatches = 0;
  auto check = [&](float x) {
    if (std::isnan(x) || mismatches > 5)
      return;
    int64_t want = quantizeFloat(x, scale, zp, lo, hi);
    if (viaReciprocal(x) != want) {
      ADD_FAILURE() << "scale " << scale << " x " << x << ": division "
                    << want << ", reciprocal " << viaReciprocal(x);
      ++mismatches;
    }
  };
  for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 4099) {
    float x;
    auto b = static_cast<uint32_t>(bits);
    std::memcpy(&x, &b, sizeof x);
    check(x);
  }
  for (float k = lo - zp - 2; k <= hi - zp + 2; k += 1) {
    float mid = (k + 0.5f) * scale;
    float x = mid;
    for (int d = 0; d < 64; ++d) {
      check(x);
      x = std::nextafter(x, INFINITY);
    }
    x = mid;
    for (int d = 0; d < 64; ++d) {
      check(x);
      x = std::nextafter(x, -INFINITY);
    }
  }
  check(INFINITY);
  check(-INFINITY);
}

TEST(QuantizeReciprocal, ScalesOfTheModels) {
  // The image scale 1/255 needs the split form; a power of two is exact.
  std::optional<QuantizeReciprocal> image =
      exactQuantizeReciprocal(static_cast<float>(1.0 / 255.0), -128, -128, 127);
  ASSERT_TRUE(image);
  EXPECT_NE(image->low, 0.0f);
  std::optional<QuantizeReciprocal> half =
      exactQuantizeReciprocal(0.5f, -3, -128, 127);
  ASSERT_TRUE(half);
  EXPECT_EQ(half->high, 2.0f);
  EXPECT_EQ(half->low, 0.0f);
  checkReciprocal(static_cast<float>(1.0 / 255.0), -128, -128, 127);
  checkReciprocal(0.5f, -3, -128, 127);
  checkReciprocal(0.1f, 0, -128, 127);
  checkReciprocal(0.0123456f, 17, 0, 255);
  checkReciprocal(3.0f / 1024.0f, -5, -128, 127);
  std::mt19937 rng(11);
  for (int i = 0; i < 6; ++i)
    checkReciprocal(std::uniform_real_distribution<float>(1e-4f, 2.0f)(rng),
                    static_cast<float>(std::uniform_int_distribution<int>(
                        -20, 20)(rng)),
                    -128, 127);
}

} // namespace
