//===- CHeader.h - The C header of a compiled model -------------*- C++ -*-===//
//
// Part of quant-opt. Beside a compiled model, a C header declares its entry
// point: the C interface (memref descriptors), the shapes and element types
// of inputs and outputs and their quantization parameters, and a plain
// pointer-based wrapper.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_EMIT_CHEADER_H
#define QNN_EMIT_CHEADER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace qnn {

/// The header text for `func` (before lowering: tensor types, possibly
/// quantized), whose C interface is `_mlir_ciface_<name>`. `source` names
/// the model file in the header's comment. Fails on types a C caller cannot
/// pass (dynamic shapes, per-axis quantized arguments, unsupported element
/// types), naming the argument.
llvm::Expected<std::string> buildCHeader(mlir::func::FuncOp func,
                                         llvm::StringRef source);

} // namespace qnn

#endif // QNN_EMIT_CHEADER_H
