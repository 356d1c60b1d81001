//===- ConstantUtils.h - Reading constant tensors ---------------*- C++ -*-===//
//
// Part of quant-opt. Weights arrive as `dense` or `dense_resource`
// attributes (the ONNX importer stores blobs); the passes read both.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_CONSTANTUTILS_H
#define QNN_DIALECT_QNN_UTILS_CONSTANTUTILS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

namespace qnn {

/// The f32 elements of a `dense` or `dense_resource` attribute; failure for
/// another element type or a resource without data.
mlir::FailureOr<llvm::SmallVector<float>> readF32Elements(mlir::ElementsAttr attr);

/// The f32 elements of the constant defining `value` (an `arith.constant`
/// or any constant-like op); failure when `value` is not such a constant.
mlir::FailureOr<llvm::SmallVector<float>> readF32Constant(mlir::Value value);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_CONSTANTUTILS_H
