//===- LoweringUtils.h - Shared helpers of the qnn-to-linalg lowering ------===//
//
// Part of quant-opt. Private to lib/Conversion/QnnToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGUTILS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGUTILS_H

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace qnn::detail {

/// `tensor.empty` of a static shape.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<int64_t> shape, mlir::Type elementType);

/// A tensor of `shape` filled with the f32 `value`.
mlir::Value createFilledF32(mlir::OpBuilder &b, mlir::Location loc,
                            llvm::ArrayRef<int64_t> shape, double value);

/// An f32 scalar constant.
mlir::Value createF32(mlir::OpBuilder &b, mlir::Location loc, double value);

/// A 1-D f32 constant tensor.
mlir::Value createF32Tensor(mlir::OpBuilder &b, mlir::Location loc,
                            llvm::ArrayRef<float> values,
                            llvm::ArrayRef<int64_t> shape);

/// A tensor of `shape` filled with the scalar constant `value` (whose type
/// is the element type).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<int64_t> shape, mlir::TypedAttr value);

/// `tensor.pad` with the scalar `padValue`; returns `input` when nothing is
/// padded.
mlir::Value padWith(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                    llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                    mlir::Value padValue);

/// `tensor.pad` with a constant f32 value; returns `input` when nothing is
/// padded.
mlir::Value padWithF32(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> low,
                       llvm::ArrayRef<int64_t> high, double value);

/// `n` parallel iterators followed by `m` reduction iterators.
llvm::SmallVector<mlir::utils::IteratorType> iterators(unsigned parallel,
                                                       unsigned reduction = 0);

/// Applies `activation` to the scalar `x` inside a generic body. `lo`/`hi`
/// are the clamp bounds (scalars read from per-channel tensors, or null to
/// use the attribute's scalar bounds).
mlir::Value emitActivation(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value x, ActivationAttr activation,
                           mlir::Value lo = {}, mlir::Value hi = {});

/// True when `activation` needs per-channel bound tensors.
bool hasPerChannelBounds(ActivationAttr activation);

/// When `activation` has per-channel bounds, appends its [C] min and max
/// tensors to `inputs` with maps reading the last of `rank` loop dimensions,
/// and returns true (the generic body then receives them as two scalars).
bool appendChannelBounds(mlir::OpBuilder &b, mlir::Location loc,
                         ActivationAttr activation, unsigned rank,
                         llvm::SmallVectorImpl<mlir::Value> &inputs,
                         llvm::SmallVectorImpl<mlir::AffineMap> &maps);

/// Returns `input` with `activation` applied elementwise (the channel is
/// the last dimension); `input` itself when there is nothing to apply.
mlir::Value applyActivation(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input, ActivationAttr activation);

/// An integer attribute of the signless `type` holding `value` (two's
/// complement, truncated to the width: 200 in i8 is the bit pattern of ui8
/// 200).
mlir::IntegerAttr getIntegerAttr(mlir::Type type, int64_t value);

/// Extends (or passes through) the signless integer scalar `x` to `target`:
/// zero extension when the value's original type `original` is unsigned,
/// sign extension otherwise (signless and signed integers).
mlir::Value extendInteger(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                          mlir::Type original, mlir::Type target);

/// Broadcasts a [C] (last-dimension) vector to `shape`.
mlir::Value broadcastChannels(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value vector,
                              llvm::ArrayRef<int64_t> shape);

/// The static shape of a ranked tensor value.
llvm::ArrayRef<int64_t> shapeOf(mlir::Value v);

/// The per-channel (add, shift, half, right) of the fixed-point forms of
/// qnn.requantize, so that
/// R(M, v) = RDBPOT((v * m0 + add) >> shift, right) saturated to int32:
/// * single rounding: add = 2^(30 - s), shift = 31 - s, no RDBPOT;
/// * double rounding, s > 0: TFLite's SRDHM(v << s, m0) is exactly
///   floor((v * m0 + 2^(30 - s)) / 2^(31 - s)) (the same as single; the
///   int32 overflow of v << s is defined by the saturation, FixedPoint.h),
///   and RDBPOT's exponent is 0;
/// * double rounding, s <= 0: SRDHM(v, m0) = (v * m0 + 2^30) >> 31 (m0 >= 0
///   rules out SRDHM's INT32_MIN * INT32_MIN case), then RDBPOT by -s.
/// Shared by the scalar lowering (RequantizePatterns.cpp) and the fused
/// epilogue of the int8 kernels (Int8Epilogue.cpp).
struct FixedPointConstants {
  llvm::SmallVector<int64_t> m0, add, shift, half, right;
  bool needsDivide = false, needsSaturation = false;
};

FixedPointConstants getFixedPointConstants(FixedPointMultiplierAttr fp,
                                           RoundingMode rounding);

/// Replaces `root` (a layer, or the op fused after it) by the [M, O] result
/// of a matrix kernel, expanded back to [N, H, W, O] when `isConv`, and
/// erases `layer` when it is not `root` (it has no other user then).
void replaceWithMatrixResult(mlir::RewriterBase &rewriter,
                             mlir::Operation *root, mlir::Operation *layer,
                             mlir::Value result, bool isConv);

/// Weights of an int8 layer packed for the dense/conv kernels
/// (Int8Kernels.cpp) in groups of `group` consecutive reduction elements:
/// `packed[b][g][c][j] = w[32 b + c][group * g + j]` (zero past O and K;
/// group 4 for vpdpbusd, 2 for AVX2's vpmaddwd, 1 for the generic vector
/// kernel), and the bias, with the u8 compensation folded in when
/// `compensate` (the VNNI kernel reads the s8 activations as x + 128):
/// `bias[o] = bias_in[o] - 128 * sum_k w[o, k]` (int32 wrap-around; 0 for
/// the padding channels).
struct Int8PackedWeights {
  int64_t blocks = 0; // ceil(O / 32)
  int64_t groups = 0; // ceil(K / group)
  int64_t group = 0;
  llvm::SmallVector<int16_t> packed; // [blocks][groups][32 * group]
  llvm::SmallVector<int32_t> bias;   // [blocks * 32]
};

/// Packs row-major [outChannels, depth] weights (each in [-128, 127]) and
/// their [outChannels] bias (empty: zero).
Int8PackedWeights packInt8Weights(llvm::ArrayRef<int64_t> weights,
                                  llvm::ArrayRef<int64_t> bias,
                                  int64_t outChannels, int64_t depth,
                                  int64_t group, bool compensate);

} // namespace qnn::detail


namespace mlir {
class TypeConverter;
class RewritePatternSet;
} // namespace mlir

namespace qnn::detail {
/// conv2d, dense, matmul (LayerPatterns.cpp).
void populateLayerLoweringPatterns(mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
/// add, mul, activation, batch_norm (ElementwisePatterns.cpp).
void populateElementwiseLoweringPatterns(mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
/// avg_pool2d, max_pool2d, global_avg_pool (PoolPatterns.cpp).
void populatePoolLoweringPatterns(mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
/// requantize (RequantizePatterns.cpp).
void populateRequantizeLoweringPatterns(mlir::TypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
/// reshape, transpose, concat, pad, softmax, stats (ShapePatterns.cpp).
void populateShapeLoweringPatterns(mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
} // namespace qnn::detail

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_LOWERINGUTILS_H
