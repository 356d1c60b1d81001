//===- FixedPoint.h - Fixed-point requantization arithmetic ------*- C++ -*-===//
//
// Part of quant-opt. The integer arithmetic of qnn.requantize's fixed-point
// form (docs/Numerics.md), as plain C++ without IR so that unit tests can
// compare it bit for bit with gemmlowp and the TOSA specification.
//
// A real multiplier M is stored as (m0, shift) with M = m0 * 2^(shift - 31),
// m0 a Q31 value in [2^30, 2^31) or 0, shift in [-31, 30] (Jacob et al.,
// "Quantization and Training of Neural Networks for Efficient
// Integer-Arithmetic-Only Inference", CVPR 2018, section 2.2). TOSA writes
// the same multiplier as (m0, 31 - shift).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_FIXEDPOINT_H
#define QNN_DIALECT_QNN_UTILS_FIXEDPOINT_H

#include <cstdint>
#include <optional>

namespace qnn {

/// M = m0 * 2^(shift - 31), m0 in {0} U [2^30, 2^31), shift in [-31, 30].
struct FixedPointMultiplier {
  int32_t m0;
  int32_t shift;
};

inline bool operator==(FixedPointMultiplier a, FixedPointMultiplier b) {
  return a.m0 == b.m0 && a.shift == b.shift;
}

/// How R(M, v) rounds (qnn::RoundingMode in the IR).
enum class FixedPointRounding {
  /// TFLite/gemmlowp default, TOSA DOUBLE_ROUND.
  Double,
  /// TFLite single rounding, TOSA SINGLE_ROUND.
  Single,
};

/// The largest multiplier the fixed-point form holds: (2^31 - 1) * 2^-1.
constexpr double kMaxFixedPointMultiplier = 1073741823.5;

/// TFLite's QuantizeMultiplier (quantization_util.cc): m = q * 2^shift with
/// q in [0.5, 1) from frexp, m0 = round(q * 2^31) with ties away from zero;
/// a carry to m0 = 2^31 halves m0 and increments shift. Then:
/// * shift < -31 (m below about 2^-32) flushes to (0, 0), as TFLite does;
/// * shift > 30 (m >= kMaxFixedPointMultiplier + 0.25, including +inf)
///   saturates to (2^31 - 1, 30), as TFLite's TFLITE_SINGLE_ROUNDING build
///   does. TFLite's double-rounding build would return shift = 31, whose
///   left shift overflows int32 for every x other than 0 and -1, and which
///   qnn's attribute cannot hold; see isRepresentableMultiplier.
/// Precondition: m >= 0 and not NaN (asserted).
FixedPointMultiplier quantizeMultiplier(double m);

/// True when m is finite, non-negative and quantizeMultiplier(m) does not
/// saturate (its unsaturated shift is at most 30). Multipliers flushed to
/// zero count as representable: the flush is TFLite's documented behaviour.
bool isRepresentableMultiplier(double m);

/// gemmlowp's SaturatingRoundingDoublingHighMul (fixedpoint.h), ARM
/// VQRDMULH: the high 32 bits of 2*a*b, rounded. In closed form
/// floor((a*b + 2^30) / 2^31), i.e. round half up (toward +inf, also for
/// negative products); the only overflow, INT32_MIN * INT32_MIN, saturates to
/// INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp's RoundingDivideByPOT (fixedpoint.h): x / 2^exponent rounded to
/// nearest, ties away from zero. Precondition: 0 <= exponent <= 31.
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// TFLite's double-rounding MultiplyByQuantizedMultiplier (common.cc):
///   RDBPOT(SRDHM(x * 2^max(shift, 0), m0), max(-shift, 0)).
/// TFLite computes x * 2^left in int32 and leaves its overflow undefined.
/// Here, when x * 2^left does not fit int32, the same formula is evaluated
/// exactly as if int32 were wide: for left > 0 the RDBPOT is the identity
/// and SRDHM(x * 2^left, m0) = floor((x * m0 * 2^left + 2^30) / 2^31)
///                           = (x * m0 + 2^(30 - left)) >> (31 - left),
/// computed in 64 bits and saturated to int32 (the fold of the left shift
/// into the right shift that the TOSA specification recommends). The result
/// is thus defined for every input and equals TFLite's wherever TFLite's is
/// defined. It equals TOSA apply_scale_32 with double_round = true and
/// S = 31 - shift wherever that is defined.
int32_t multiplyByQuantizedMultiplierDouble(int32_t x, FixedPointMultiplier m);

/// TFLite's single-rounding MultiplyByQuantizedMultiplier (common.cc), TOSA
/// apply_scale_32 with double_round = false and S = 31 - shift:
///   (x * m0 + 2^(30 - shift)) >> (31 - shift)
/// in 64 bits, one round half up. Valid for shift in [-31, 30]; a result
/// outside int32 (possible only for shift > 0, where TFLite DCHECKs) saturates.
int32_t multiplyByQuantizedMultiplierSingle(int32_t x, FixedPointMultiplier m);

/// One element of qnn.requantize in the fixed-point form (docs/Numerics.md):
///   v = x - inputZeroPoint
///   y = R(M, v) + outputZeroPoint
///   result = clamp(y, clampMin, clampMax)
/// R is multiplyByQuantizedMultiplier{Double,Single}. v is formed in 64 bits
/// and saturated to int32 before R (it leaves int32 only for an int32 input
/// with a nonzero zero point, which TFLite would overflow); y is exact.
int64_t requantize(int32_t x, int64_t inputZeroPoint, FixedPointMultiplier m,
                   int64_t outputZeroPoint, int64_t clampMin, int64_t clampMax,
                   FixedPointRounding rounding);


/// qnn.requantize (input zero point 0) computed in single-precision floating
/// point, for the AVX-512 kernel epilogues (docs/Numerics.md, "Exact float
/// requantization"): for an int32 accumulator x,
///   a  = (float)x                                  (round to nearest)
///   c  = x < negativeBelow ? addNegative : addNonNegative
///   v1 = fma(a, mulHigh, c)                        (round to nearest)
///   v  = fma(a, mulLow, v1)                        (round toward -inf)
///   result = floor(clamp(v, clampMin, clampMax))
/// mulHigh + mulLow is M split so that a * mulHigh + c is exact where it
/// matters, and floor(v) = floor(a * mulLow + v1) because v is rounded down
/// (both 0 for a zero multiplier: the constant clamp(zp)).
/// planFloatRequantize only returns a plan it has proven equal to
/// qnn::requantize for every accumulator in [accMin, accMax]: both are
/// monotone step functions, so they agree everywhere once they agree at
/// both ends and on both sides of every step of the exact one.
struct FloatRequantize {
  float mulHigh = 0, mulLow = 0, addNonNegative = 0, addNegative = 0;
  int32_t negativeBelow = 0;
  /// addNegative differs from addNonNegative somewhere in the range.
  bool split = false;
};

/// A plan equal to requantize(x, 0, m, outputZeroPoint, clampMin, clampMax,
/// rounding) for every x in [accMin, accMax], or nullopt when none was
/// found (then the integer form must be used). `allowSplit` false asks for
/// a plan with one additive constant (split = false).
std::optional<FloatRequantize>
planFloatRequantize(FixedPointMultiplier m, FixedPointRounding rounding,
                    int64_t outputZeroPoint, int64_t clampMin,
                    int64_t clampMax, int64_t accMin, int64_t accMax,
                    bool allowSplit = true);

/// The result of `plan` for accumulator x, computed exactly as the vector
/// instructions do (the reference of the verification and of the tests).
int64_t evalFloatRequantize(const FloatRequantize &plan, int32_t x,
                            int64_t clampMin, int64_t clampMax);


/// quant.qcast of one f32 value, as the lowering and the reference
/// interpreter compute it: clamp(nearbyint(x / scale) + zeroPoint, lo, hi)
/// in f32 (round half to even; x not NaN).
int64_t quantizeFloat(float x, float scale, float zeroPoint, float lo,
                      float hi);

/// 1 / scale as high + low (low >= 0, often 0) such that
///   clamp(nearbyint(fma(x, high, x * low)) + zeroPoint, lo, hi)
/// (with low = 0: nearbyint(x * high)) equals quantizeFloat(x, scale, ...)
/// for every non-NaN f32 x: a multiply (and an FMA) instead of a division.
/// Proven like planFloatRequantize: both are monotone step functions of x
/// over the ordered floats, checked at both ends and on both sides of every
/// step of the exact one. Tries fl(1 / scale) and its neighbours alone,
/// then the split high = 1 / scale rounded down, low = the rest.
struct QuantizeReciprocal {
  float high = 0, low = 0;
};
std::optional<QuantizeReciprocal>
exactQuantizeReciprocal(float scale, float zeroPoint, float lo, float hi);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_FIXEDPOINT_H
