//===- QnnOps.h - qnn operations --------------------------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_H
#define QNN_DIALECT_QNN_IR_QNNOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"

#define GET_OP_CLASSES
#include "qnn/Dialect/Qnn/IR/QnnOps.h.inc"

#endif // QNN_DIALECT_QNN_IR_QNNOPS_H
