//===- QnnAttrs.h - qnn attributes and enums --------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_H
#define QNN_DIALECT_QNN_IR_QNNATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "qnn/Dialect/Qnn/IR/QnnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/Qnn/IR/QnnAttrs.h.inc"

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_H
