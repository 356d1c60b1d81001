//===- TensorNames.h - ONNX tensor names carried as locations ----*- C++ -*-===//
//
// Part of quant-opt. The importer locates every value at its ONNX tensor
// name (`loc("conv1_out")`, helper ops at `loc("conv1_out#nhwc")`);
// calibration statistics are matched by these names.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_TENSORNAMES_H
#define QNN_DIALECT_QNN_UTILS_TENSORNAMES_H

#include "mlir/IR/Location.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <string>

namespace qnn {

/// The tensor name of a location: the outermost NameLoc, also inside a
/// FusedLoc (the first one found). nullopt if there is none.
std::optional<std::string> getTensorName(mlir::Location loc);

/// The tensor name of a value: its block argument's location or its
/// defining op's location.
std::optional<std::string> getTensorName(mlir::Value value);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_TENSORNAMES_H
