//===- ValueTable.cpp - ONNX tensors, layouts and lazy constants ----------===//
//
// Part of quant-opt. How the importer turns the ONNX tensor a node reads into
// the SSA value an op needs: constants are materialized in the layout their
// user asks for, activations are transposed (once per layout, then reused).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

//===----------------------------------------------------------------------===//
// Inputs and outputs of the current node
//===----------------------------------------------------------------------===//

bool GraphImporter::hasInput(unsigned i) const {
  return static_cast<int>(i) < currentNode->input_size() &&
         !currentNode->input(i).empty();
}

StringRef GraphImporter::getInputName(unsigned i) const {
  return currentNode->input(i);
}

StringRef GraphImporter::getOutputName(unsigned i) const {
  return currentNode->output(i);
}

bool GraphImporter::isOutputUsed(unsigned i) const {
  return static_cast<int>(i) < currentNode->output_size() &&
         !currentNode->output(i).empty() &&
         usedNames.contains(currentNode->output(i));
}

LogicalResult GraphImporter::checkArity(unsigned min, unsigned max) {
  unsigned n = currentNode->input_size();
  if (n < min || n > max) {
    auto diag = emitNodeError() << "expected ";
    if (min == max)
      diag << min;
    else
      diag << min << " to " << max;
    return diag << " inputs, got " << n;
  }
  for (unsigned i = 0; i < min; ++i)
    if (currentNode->input(i).empty())
      return emitNodeError() << "required input #" << i << " is missing";
  if (currentNode->output_size() < 1 || currentNode->output(0).empty())
    return emitNodeError() << "has no output";
  return success();
}

FailureOr<const TensorValue *> GraphImporter::getInput(unsigned i) {
  if (!hasInput(i))
    return emitNodeError() << "required input #" << i << " is missing";
  auto it = values.find(getInputName(i));
  if (it == values.end())
    return emitNodeError() << "input '" << getInputName(i)
                           << "' is not defined before the node";
  return &it->second;
}

TensorClass GraphImporter::classify(const TensorValue &value) const {
  Type type;
  if (value.constant) {
    switch (value.constant->kind) {
    case LazyConstant::Kind::Data:
      return value.constant->data->isFloat() ? TensorClass::Float
                                             : TensorClass::Integer;
    case LazyConstant::Kind::Quantize:
    case LazyConstant::Kind::StorageCast:
      return TensorClass::Quantized;
    case LazyConstant::Kind::Dequantize:
      return TensorClass::Float;
    }
  }
  type = cast<ShapedType>(value.value.getType()).getElementType();
  if (type.isF32())
    return TensorClass::Float;
  if (isa<quant::QuantizedType>(type))
    return TensorClass::Quantized;
  if (isa<IntegerType>(type))
    return TensorClass::Integer;
  return TensorClass::Other;
}

FailureOr<Value> GraphImporter::getInputValue(unsigned i,
                                              ArrayRef<int64_t> layout) {
  auto input = getInput(i);
  if (failed(input))
    return failure();
  return getValueIn(**input, getInputName(i), layout);
}

FailureOr<Value> GraphImporter::getFloatInputValue(unsigned i,
                                                   ArrayRef<int64_t> layout) {
  auto input = getInput(i);
  if (failed(input))
    return failure();
  switch (classify(**input)) {
  case TensorClass::Float:
    return getValueIn(**input, getInputName(i), layout);
  case TensorClass::Quantized:
    return emitNodeError() << "input '" << getInputName(i)
                           << "' is a quantized tensor; only "
                              "DequantizeLinear and shape ops may read "
                              "QuantizeLinear results";
  default:
    return emitNodeError() << "input '" << getInputName(i)
                           << "' must be a float tensor";
  }
}

FailureOr<const HostTensor *> GraphImporter::getConstantInput(unsigned i,
                                                              StringRef what) {
  auto input = getInput(i);
  if (failed(input))
    return failure();
  const LazyConstantPtr &constant = (*input)->constant;
  if (!constant || constant->kind != LazyConstant::Kind::Data)
    return emitNodeError() << what << " '" << getInputName(i)
                           << "' must be a constant (an initializer or the "
                              "output of a Constant node)";
  return constant->data.get();
}

void GraphImporter::defineOutput(unsigned i, Value value,
                                 ArrayRef<int64_t> layout,
                                 ArrayRef<int64_t> shape) {
  TensorValue &entry = values[getOutputName(i)];
  entry = TensorValue();
  entry.value = value;
  entry.layout.assign(layout.begin(), layout.end());
  entry.shape.assign(shape.begin(), shape.end());
}

void GraphImporter::defineOutputConstant(unsigned i, LazyConstantPtr constant) {
  TensorValue &entry = values[getOutputName(i)];
  entry = TensorValue();
  ArrayRef<int64_t> shape = constant->getShape();
  entry.shape.assign(shape.begin(), shape.end());
  entry.layout = getIdentityLayout(shape.size());
  entry.constant = std::move(constant);
}

void GraphImporter::aliasOutput(unsigned i, const TensorValue &value) {
  TensorValue copy = value;
  values[getOutputName(i)] = std::move(copy);
}

LazyConstantPtr GraphImporter::makeConstant(StringRef name, HostTensor tensor) {
  auto constant = std::make_shared<LazyConstant>();
  constant->kind = LazyConstant::Kind::Data;
  constant->name = name.str();
  constant->data = std::make_shared<const HostTensor>(std::move(tensor));
  return constant;
}

//===----------------------------------------------------------------------===//
// Layouts
//===----------------------------------------------------------------------===//

Layout GraphImporter::getPreferredLayout(const TensorValue &value) const {
  if (value.getRank() == 4 &&
      (value.constant || isa<BlockArgument>(value.value)))
    return getChannelsLastLayout(4);
  if (value.constant)
    return getIdentityLayout(value.getRank());
  return value.layout;
}

Layout GraphImporter::chooseLayout(ArrayRef<const TensorValue *> operands,
                                   int64_t rank) const {
  for (const TensorValue *operand : operands)
    if (!operand->constant && operand->getRank() == rank)
      return getPreferredLayout(*operand);
  return rank == 4 ? getChannelsLastLayout(4) : getIdentityLayout(rank);
}

/// A short name for `layout` in auxiliary locations: "nhwc", "nchw",
/// "onnx" (the ONNX order of another rank) or "perm_0_2_1".
static std::string getLayoutName(ArrayRef<int64_t> layout) {
  int64_t rank = layout.size();
  if (isIdentityLayout(layout))
    return rank == 4 ? "nchw" : "onnx";
  if (rank == 4 && Layout(layout) == getChannelsLastLayout(4))
    return "nhwc";
  std::string name = "perm";
  for (int64_t d : layout)
    name += "_" + std::to_string(d);
  return name;
}

FailureOr<Value> GraphImporter::getValueIn(const TensorValue &value,
                                           StringRef name,
                                           ArrayRef<int64_t> layout) {
  assert(static_cast<int64_t>(layout.size()) == value.getRank() &&
         "layout of another rank");
  if (value.constant)
    return materialize(value.constant, layout);
  if (ArrayRef<int64_t>(value.layout) == layout)
    return value.value;

  // Keyed by the held value and the permutation applied to it: tensors
  // aliasing one value (Transpose, Identity) share conversions.
  Layout perm = getTransposition(value.layout, layout);
  auto key = std::make_pair(value.value.getAsOpaquePointer(),
                            std::vector<int64_t>(perm.begin(), perm.end()));
  auto it = converted.find(key);
  if (it != converted.end())
    return it->second;

  // Arguments are converted at the top of the function, so that layout
  // changes of the function's inputs all sit at its boundary.
  OpBuilder::InsertionGuard guard(builder);
  bool isArgument = isa<BlockArgument>(value.value);
  if (isArgument) {
    if (lastPrologueOp)
      builder.setInsertionPointAfter(lastPrologueOp);
    else
      builder.setInsertionPointToStart(&func.getBody().front());
  }
  auto result = createTranspose(value.value, perm,
                                getAuxLoc(name, getLayoutName(layout)));
  if (failed(result))
    return emitNodeError() << "cannot change the layout of per-axis "
                              "quantized tensor '"
                           << name << "'";
  if (isArgument)
    lastPrologueOp = result->getDefiningOp();
  converted[key] = *result;
  return *result;
}

//===----------------------------------------------------------------------===//
// Lazy constants
//===----------------------------------------------------------------------===//

quant::QuantizedType GraphImporter::getQuantizedType(const QuantParams &params,
                                                     ArrayRef<int64_t> layout,
                                                     bool reportErrors) {
  Type storage = IntegerType::get(ctx, params.width);
  Type expressed = Float32Type::get(ctx);
  unsigned flags = params.isSigned ? quant::QuantizationFlags::Signed : 0;
  int64_t storageMin = quant::QuantizedType::getDefaultMinimumForInteger(
      params.isSigned, params.width);
  int64_t storageMax = quant::QuantizedType::getDefaultMaximumForInteger(
      params.isSigned, params.width);
  auto emitError = [&]() -> InFlightDiagnostic {
    if (reportErrors)
      return emitNodeError();
    // Materialization only sees parameters checked when they were read.
    return InFlightDiagnostic();
  };
  if (params.axis < 0)
    return quant::UniformQuantizedType::getChecked(
        emitError, flags, storage, expressed, params.scales.front(),
        params.zeroPoints.front(), storageMin, storageMax);
  int32_t heldAxis = invertLayout(layout)[params.axis];
  return quant::UniformQuantizedPerAxisType::getChecked(
      emitError, flags, storage, expressed, params.scales, params.zeroPoints,
      heldAxis, storageMin, storageMax);
}

Value GraphImporter::materialize(const LazyConstantPtr &constant,
                                 ArrayRef<int64_t> layout) {
  auto key = std::make_pair(constant.get(),
                            std::vector<int64_t>(layout.begin(), layout.end()));
  auto it = materialized.find(key);
  if (it != materialized.end())
    return it->second;

  Location loc = getNameLoc(constant->name);
  SmallVector<int64_t, 4> heldShape =
      permute<int64_t>(constant->getShape(), layout);
  Value result;
  switch (constant->kind) {
  case LazyConstant::Kind::Data: {
    HostTensor held = isIdentityLayout(layout)
                          ? *constant->data
                          : permuteTensor(*constant->data, layout);
    auto attr = cast<TypedAttr>(buildElementsAttr(held, constant->name, ctx));
    result = arith::ConstantOp::create(builder, loc, attr);
    break;
  }
  case LazyConstant::Kind::Quantize: {
    Value input = materialize(constant->operand, layout);
    auto type = RankedTensorType::get(
        heldShape, getQuantizedType(constant->params, layout, false));
    result = quant::QuantizeCastOp::create(builder, loc, type, input);
    break;
  }
  case LazyConstant::Kind::StorageCast: {
    Value input = materialize(constant->operand, layout);
    // A quantized operand is first read as its stored integers.
    if (auto quantized = dyn_cast<quant::QuantizedType>(
            cast<ShapedType>(input.getType()).getElementType()))
      input = quant::StorageCastOp::create(
          builder, loc,
          RankedTensorType::get(heldShape, quantized.getStorageType()), input);
    auto type = RankedTensorType::get(
        heldShape, getQuantizedType(constant->params, layout, false));
    result = quant::StorageCastOp::create(builder, loc, type, input);
    break;
  }
  case LazyConstant::Kind::Dequantize: {
    Value input = materialize(constant->operand, layout);
    auto type = RankedTensorType::get(heldShape, Float32Type::get(ctx));
    result = quant::DequantizeCastOp::create(builder, loc, type, input);
    break;
  }
  }
  materialized[key] = result;
  return result;
}

//===----------------------------------------------------------------------===//
// IR helpers
//===----------------------------------------------------------------------===//

FailureOr<Value> GraphImporter::createTranspose(Value value,
                                                ArrayRef<int64_t> perm,
                                                Location loc) {
  if (isIdentityLayout(perm))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    return failure();
  SmallVector<int64_t, 4> shape = permute(type.getShape(), perm);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (isReshapeLikeTranspose(type.getShape(), perm))
    return ReshapeOp::create(builder, loc, resultType, value).getResult();
  return TransposeOp::create(builder, loc, resultType, value, perm).getResult();
}

Value GraphImporter::createReshape(Value value, ArrayRef<int64_t> shape,
                                   Location loc) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return ReshapeOp::create(builder, loc, resultType, value);
}

Value GraphImporter::createScalar(float value, Location loc) {
  auto type = RankedTensorType::get({}, Float32Type::get(ctx));
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(type, value));
}

FailureOr<Value> GraphImporter::reshapeTensor(const TensorValue &value,
                                              StringRef name,
                                              ArrayRef<int64_t> shape,
                                              Location loc) {
  Layout layout = value.layout;
  // The held elements are in ONNX order when only unit dimensions are out
  // of place; otherwise go back to the ONNX order first.
  if (value.constant || !isReshapeLikeTranspose(value.shape, value.layout))
    layout = getIdentityLayout(value.getRank());
  auto held = getValueIn(value, name, layout);
  if (failed(held))
    return failure();
  auto type = cast<RankedTensorType>(held->getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()) &&
      type.getShape() != shape)
    return emitNodeError() << "cannot reshape per-axis quantized tensor '"
                           << name << "'";
  if (type.getShape() == shape) {
    // Still give the ONNX tensor an op of its own.
    auto resultType = RankedTensorType::get(shape, type.getElementType());
    return ReshapeOp::create(builder, loc, resultType, *held).getResult();
  }
  return createReshape(*held, shape, loc);
}
