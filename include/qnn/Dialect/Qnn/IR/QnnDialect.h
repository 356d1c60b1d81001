//===- QnnDialect.h - qnn dialect -------------------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNDIALECT_H
#define QNN_DIALECT_QNN_IR_QNNDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "qnn/Dialect/Qnn/IR/QnnDialect.h.inc"

#endif // QNN_DIALECT_QNN_IR_QNNDIALECT_H
