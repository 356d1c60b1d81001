//===- Attributes.cpp - Checked access to ONNX node attributes ------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "Attributes.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace qnn::onnx_import;

NodeAttributes::NodeAttributes(const onnx::NodeProto &node, ErrorFn emitError)
    : node(node), emitError(std::move(emitError)) {
  for (const onnx::AttributeProto &attr : node.attribute())
    attrs[attr.name()] = &attr;
}

/// The ONNX name of an attribute type.
static std::string getTypeName(int type) {
  if (onnx::AttributeProto_AttributeType_IsValid(type))
    return onnx::AttributeProto_AttributeType_Name(
        static_cast<onnx::AttributeProto_AttributeType>(type));
  return std::to_string(type);
}

/// The type of `attr`; models written before IR version 3 leave `type`
/// unset, so infer it from the field that is present.
static int getAttrType(const onnx::AttributeProto &attr) {
  if (attr.type() != onnx::AttributeProto::UNDEFINED)
    return attr.type();
  if (attr.has_i())
    return onnx::AttributeProto::INT;
  if (attr.has_f())
    return onnx::AttributeProto::FLOAT;
  if (attr.has_s())
    return onnx::AttributeProto::STRING;
  if (attr.has_t())
    return onnx::AttributeProto::TENSOR;
  if (attr.ints_size())
    return onnx::AttributeProto::INTS;
  if (attr.floats_size())
    return onnx::AttributeProto::FLOATS;
  return onnx::AttributeProto::UNDEFINED;
}

FailureOr<const onnx::AttributeProto *>
NodeAttributes::lookup(StringRef name, int type, StringRef typeName) {
  auto it = attrs.find(name);
  if (it == attrs.end())
    return static_cast<const onnx::AttributeProto *>(nullptr);
  used.insert(name);
  int actual = getAttrType(*it->second);
  // An empty list has no field to infer its type from.
  if (actual == onnx::AttributeProto::UNDEFINED &&
      (type == onnx::AttributeProto::INTS ||
       type == onnx::AttributeProto::FLOATS))
    return it->second;
  if (actual != type)
    return emitError() << "attribute '" << name << "' must be " << typeName
                       << ", got " << getTypeName(actual);
  return it->second;
}

LogicalResult NodeAttributes::getInt(StringRef name, int64_t &value) {
  auto attr = lookup(name, onnx::AttributeProto::INT, "an integer (INT)");
  if (failed(attr))
    return failure();
  if (*attr)
    value = (*attr)->i();
  return success();
}

LogicalResult NodeAttributes::getFloat(StringRef name, float &value) {
  auto attr = lookup(name, onnx::AttributeProto::FLOAT, "a float (FLOAT)");
  if (failed(attr))
    return failure();
  if (*attr)
    value = (*attr)->f();
  return success();
}

LogicalResult NodeAttributes::getString(StringRef name, std::string &value) {
  auto attr = lookup(name, onnx::AttributeProto::STRING, "a string (STRING)");
  if (failed(attr))
    return failure();
  if (*attr)
    value = (*attr)->s();
  return success();
}

LogicalResult NodeAttributes::getInts(StringRef name,
                                      SmallVectorImpl<int64_t> &values) {
  auto attr =
      lookup(name, onnx::AttributeProto::INTS, "a list of integers (INTS)");
  if (failed(attr))
    return failure();
  if (*attr)
    values.assign((*attr)->ints().begin(), (*attr)->ints().end());
  return success();
}

LogicalResult NodeAttributes::getFloats(StringRef name,
                                        SmallVectorImpl<float> &values) {
  auto attr =
      lookup(name, onnx::AttributeProto::FLOATS, "a list of floats (FLOATS)");
  if (failed(attr))
    return failure();
  if (*attr)
    values.assign((*attr)->floats().begin(), (*attr)->floats().end());
  return success();
}

LogicalResult NodeAttributes::getTensor(StringRef name,
                                        const onnx::TensorProto *&tensor) {
  auto attr = lookup(name, onnx::AttributeProto::TENSOR, "a tensor (TENSOR)");
  if (failed(attr))
    return failure();
  if (*attr)
    tensor = &(*attr)->t();
  return success();
}

LogicalResult NodeAttributes::checkAllUsed() {
  // Report in the node's order so the message is deterministic.
  for (const onnx::AttributeProto &attr : node.attribute())
    if (!used.contains(attr.name()))
      return emitError() << "unsupported attribute '" << attr.name() << "'";
  return success();
}
