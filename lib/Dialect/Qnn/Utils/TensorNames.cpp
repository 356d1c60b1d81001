//===- TensorNames.cpp - ONNX tensor names carried as locations -------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/IR/Operation.h"

using namespace mlir;

std::optional<std::string> qnn::getTensorName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<std::string> name = getTensorName(inner))
        return name;
  return std::nullopt;
}

std::optional<std::string> qnn::getTensorName(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    return getTensorName(arg.getLoc());
  return getTensorName(value.getDefiningOp()->getLoc());
}
