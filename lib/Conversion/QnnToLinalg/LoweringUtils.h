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
