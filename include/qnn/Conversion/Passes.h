//===- Passes.h - qnn conversion passes -------------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_PASSES_H
#define QNN_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
class RewritePatternSet;
class TypeConverter;
} // namespace mlir

namespace qnn {

#define GEN_PASS_DECL
#include "qnn/Conversion/Passes.h.inc"

/// Adds the patterns lowering float-form qnn ops to linalg on tensors.
void populateQnnToLinalgPatterns(mlir::TypeConverter &typeConverter,
                                 mlir::RewritePatternSet &patterns);

/// Adds the patterns lowering quant.qcast / dcast / scast (per-tensor and
/// per-axis uniform types) to arithmetic in linalg.generic ops.
void populateQuantCastToLinalgPatterns(mlir::TypeConverter &typeConverter,
                                       mlir::RewritePatternSet &patterns);

/// Converts tensors of !quant.uniform elements to tensors of their storage
/// integer type and signed/unsigned integers (and tensors of them) to
/// signless ones of the same width; every other type is left alone.
void addQuantStorageTypeConversions(mlir::TypeConverter &typeConverter);

/// Declares the memory effects of `llvm.call_intrinsic` (pure for the x86
/// dot-product intrinsics of the VNNI kernels, read/write otherwise) so that
/// buffer deallocation accepts bufferized kernels. `--lower-int8-kernels`
/// registers it as a dependency.
void registerCallIntrinsicEffects(mlir::DialectRegistry &registry);

#define GEN_PASS_REGISTRATION
#include "qnn/Conversion/Passes.h.inc"

} // namespace qnn

#endif // QNN_CONVERSION_PASSES_H
