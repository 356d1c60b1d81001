//===- ConstantUtils.cpp - Reading constant tensors -----------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

FailureOr<SmallVector<float>> qnn::readF32Elements(ElementsAttr attr) {
  SmallVector<float> values;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (!dense.getElementType().isF32())
      return failure();
    llvm::append_range(values, dense.getValues<float>());
    return values;
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return failure();
    llvm::append_range(values, *data);
    return values;
  }
  return failure();
}

FailureOr<SmallVector<float>> qnn::readF32Constant(Value value) {
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return failure();
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements)
    return failure();
  return readF32Elements(elements);
}
