//===- QuantOps.cpp - QuantizeLinear and DequantizeLinear -----------------===//
//
// Part of quant-opt. QDQ models map onto upstream `quant` casts:
// QuantizeLinear is `quant.qcast` to `!quant.uniform<i8/u8:f32, s:z>`
// (per-axis along the held position of `axis`), DequantizeLinear is
// `quant.dcast`, and an integer initializer read by DequantizeLinear (a
// quantized weight or bias) is an integer constant viewed through
// `quant.scast`. Quantized constants stay lazy, so that a conv filter is
// permuted to [O, KH, KW, I] before it is cast.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

FailureOr<QuantParams> GraphImporter::readQuantParams(NodeAttributes &attrs,
                                                      int64_t rank,
                                                      bool allowInt32) {
  int64_t axis = 1;
  if (failed(attrs.getInt("axis", axis)))
    return failure();
  auto scale = getConstantInput(1, "scale");
  if (failed(scale))
    return failure();
  if (!(*scale)->isFloat() || (*scale)->shape.size() > 1 ||
      (*scale)->getNumElements() < 1)
    return emitNodeError() << "the scale must be a FLOAT scalar or 1-D tensor";

  QuantParams params;
  int64_t count = (*scale)->getNumElements();
  for (float s : (*scale)->floats) {
    if (!(s > 0.0f) || !std::isfinite(s))
      return emitNodeError() << "unsupported scale " << formatReal(s)
                             << " (scales must be positive and finite)";
    params.scales.push_back(s);
  }

  // The zero point gives the storage type; absent, it is UINT8 0 for
  // QuantizeLinear and 0 of the input's type for DequantizeLinear (the
  // caller fixes the type then).
  ElemKind kind = ElemKind::UInt8;
  params.zeroPoints.assign(count, 0);
  if (hasInput(2)) {
    auto zeroPoint = getConstantInput(2, "zero point");
    if (failed(zeroPoint))
      return failure();
    kind = (*zeroPoint)->kind;
    if (kind != ElemKind::Int8 && kind != ElemKind::UInt8 &&
        !(allowInt32 && kind == ElemKind::Int32))
      return emitNodeError()
             << "unsupported zero point type " << stringifyElemKind(kind)
             << " (expected INT8"
             << (allowInt32 ? ", UINT8 or INT32" : " or UINT8") << ")";
    if ((*zeroPoint)->getNumElements() != count)
      return emitNodeError()
             << "the zero point has " << (*zeroPoint)->getNumElements()
             << " elements, the scale " << count;
    params.zeroPoints.assign((*zeroPoint)->ints.begin(),
                             (*zeroPoint)->ints.end());
  }
  params.width = kind == ElemKind::Int32 ? 32 : 8;
  params.isSigned = kind != ElemKind::UInt8;

  if (count > 1) {
    int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized < 0 || normalized >= rank)
      return emitNodeError()
             << "axis = " << axis << " is out of range for a rank-" << rank
             << " input";
    params.axis = normalized;
  }
  return params;
}

/// Checks that `params` make a valid quantized type, reporting otherwise.
static LogicalResult checkParams(GraphImporter &importer,
                                 const QuantParams &params, int64_t rank) {
  return success(static_cast<bool>(importer.getQuantizedType(
      params, getIdentityLayout(rank), /*reportErrors=*/true)));
}

/// Reads the scale/zero-point inputs of a Quantize/DequantizeLinear node and
/// checks that per-axis scales number the quantized dimension of `x`.
FailureOr<QuantParams>
GraphImporter::readAxisQuantParams(NodeAttributes &attrs, const TensorValue &x,
                                   bool allowInt32) {
  auto params = readQuantParams(attrs, x.getRank(), allowInt32);
  if (failed(params))
    return failure();
  if (params->axis >= 0 &&
      x.shape[params->axis] != static_cast<int64_t>(params->scales.size()))
    return emitNodeError()
           << "the " << params->scales.size() << " scales do not match "
           << "dimension " << params->axis << " of size "
           << x.shape[params->axis];
  return params;
}

LogicalResult GraphImporter::importQuantizeLinear(NodeAttributes &attrs) {
  if (failed(checkArity(2, 3)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  const TensorValue &x = **input;
  auto params = readAxisQuantParams(attrs, x, /*allowInt32=*/false);
  if (failed(params))
    return failure();
  if (failed(checkParams(*this, *params, x.getRank())))
    return failure();
  if (classify(x) != TensorClass::Float)
    return emitNodeError() << "input '" << getInputName(0)
                           << "' must be a float tensor";

  if (x.constant) {
    auto constant = std::make_shared<LazyConstant>();
    constant->kind = LazyConstant::Kind::Quantize;
    constant->name = getOutputName(0).str();
    constant->operand = x.constant;
    constant->params = *params;
    defineOutputConstant(0, constant);
    return success();
  }
  Layout layout = getPreferredLayout(x);
  auto value = getFloatInputValue(0, layout);
  if (failed(value))
    return failure();
  auto type = RankedTensorType::get(
      cast<ShapedType>(value->getType()).getShape(),
      getQuantizedType(*params, layout, /*reportErrors=*/false));
  Value result = quant::QuantizeCastOp::create(
      builder, getNameLoc(getOutputName(0)), type, *value);
  defineOutput(0, result, layout, x.shape);
  return success();
}

LogicalResult GraphImporter::importDequantizeLinear(NodeAttributes &attrs) {
  if (failed(checkArity(2, 3)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  const TensorValue &x = **input;
  auto params = readAxisQuantParams(attrs, x, /*allowInt32=*/true);
  if (failed(params))
    return failure();

  // The storage type of the input, which the zero point must match (or,
  // when absent, take).
  TensorClass inputClass = classify(x);
  unsigned width;
  bool isSigned;
  if (inputClass == TensorClass::Integer && x.constant) {
    ElemKind kind = x.constant->data->kind;
    if (kind != ElemKind::Int8 && kind != ElemKind::UInt8 &&
        kind != ElemKind::Int32)
      return emitNodeError()
             << "unsupported input type " << stringifyElemKind(kind)
             << " (expected INT8, UINT8 or INT32)";
    width = kind == ElemKind::Int32 ? 32 : 8;
    isSigned = kind != ElemKind::UInt8;
  } else if (inputClass == TensorClass::Quantized) {
    quant::QuantizedType type;
    if (x.constant)
      type = getQuantizedType(x.constant->params, x.layout, false);
    else
      type = cast<quant::QuantizedType>(
          cast<ShapedType>(x.value.getType()).getElementType());
    width = type.getStorageTypeIntegralWidth();
    isSigned = type.isSigned();
  } else {
    return emitNodeError() << "input '" << getInputName(0)
                           << "' must be quantized (a QuantizeLinear result) "
                              "or an integer constant";
  }
  if (!hasInput(2)) {
    params->width = width;
    params->isSigned = isSigned;
  } else if (params->width != width || params->isSigned != isSigned) {
    return emitNodeError() << "the zero point type differs from the input's";
  }
  if (params->width == 32 &&
      llvm::any_of(params->zeroPoints, [](int64_t z) { return z != 0; }))
    return emitNodeError() << "INT32 inputs must have zero point 0";
  if (failed(checkParams(*this, *params, x.getRank())))
    return failure();

  if (x.constant) {
    LazyConstantPtr quantized = x.constant;
    // Read the stored integers with this node's parameters, unless they
    // are the QuantizeLinear's own.
    if (quantized->kind == LazyConstant::Kind::Data ||
        !(quantized->params == *params)) {
      auto storage = std::make_shared<LazyConstant>();
      storage->kind = LazyConstant::Kind::StorageCast;
      storage->name = getInputName(0).str();
      storage->operand = quantized;
      storage->params = *params;
      quantized = storage;
    }
    auto constant = std::make_shared<LazyConstant>();
    constant->kind = LazyConstant::Kind::Dequantize;
    constant->name = getOutputName(0).str();
    constant->operand = quantized;
    defineOutputConstant(0, constant);
    return success();
  }

  Value value = x.value;
  auto heldType = cast<RankedTensorType>(value.getType());
  quant::QuantizedType type =
      getQuantizedType(*params, x.layout, /*reportErrors=*/false);
  if (heldType.getElementType() != type) {
    // Different parameters than the producer's: reinterpret the integers.
    Location loc = getAuxLoc(getInputName(0), "requantized");
    value = quant::StorageCastOp::create(
        builder, loc, heldType.clone(type.getStorageType()), value);
    value =
        quant::StorageCastOp::create(builder, loc, heldType.clone(type), value);
  }
  Value result = quant::DequantizeCastOp::create(
      builder, getNameLoc(getOutputName(0)),
      heldType.clone(builder.getF32Type()), value);
  defineOutput(0, result, x.layout, x.shape);
  return success();
}
