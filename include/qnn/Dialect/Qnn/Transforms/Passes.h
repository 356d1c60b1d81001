//===- Passes.h - qnn dialect transformations -------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_H

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace qnn {

#define GEN_PASS_DECL
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"

} // namespace qnn

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_H
