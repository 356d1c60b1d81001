//===- QnnDialect.cpp - qnn dialect registration ----------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

using namespace mlir;
using namespace qnn;

#include "qnn/Dialect/Qnn/IR/QnnDialect.cpp.inc"

void QnnDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "qnn/Dialect/Qnn/IR/QnnOps.cpp.inc"
      >();
}
