//===- ShapeOps.cpp - Flatten, Reshape, Transpose, Concat, Pad, Softmax ---===//
//
// Part of quant-opt. Ops whose meaning depends on the ONNX dimension order,
// and Constant: each maps its axes and pads through the layout its input is
// held in, and Flatten/Reshape go back to the ONNX element order when the
// held layout differs from it (an NHWC tensor with H * W > 1).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

/// Streams `values` as "[a, b, c]".
static void printList(InFlightDiagnostic &diag, ArrayRef<int64_t> values) {
  diag << "[";
  llvm::interleave(
      values, [&](int64_t v) { diag << v; }, [&] { diag << ", "; });
  diag << "]";
}

/// Normalizes a possibly negative `axis` of a rank-`rank` tensor into
/// [0, rank + extra); fails naming the attribute otherwise.
static FailureOr<int64_t> normalizeAxis(GraphImporter &importer, int64_t axis,
                                        int64_t rank, int64_t extra = 0) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank + extra)
    return importer.emitNodeError()
           << "axis = " << axis << " is out of range for a rank-" << rank
           << " input";
  return normalized;
}

LogicalResult GraphImporter::importConstant(NodeAttributes &attrs) {
  if (failed(checkArity(0, 0)))
    return failure();
  const onnx::TensorProto *proto = nullptr;
  float valueFloat;
  int64_t valueInt;
  SmallVector<float> valueFloats;
  SmallVector<int64_t> valueInts;
  if (failed(attrs.getTensor("value", proto)) ||
      failed(attrs.getFloat("value_float", valueFloat)) ||
      failed(attrs.getInt("value_int", valueInt)) ||
      failed(attrs.getFloats("value_floats", valueFloats)) ||
      failed(attrs.getInts("value_ints", valueInts)))
    return failure();
  int given = attrs.has("value") + attrs.has("value_float") +
              attrs.has("value_int") + attrs.has("value_floats") +
              attrs.has("value_ints");
  if (given != 1) {
    // Report the attribute we do not read, if that is why.
    if (failed(attrs.checkAllUsed()))
      return failure();
    return emitNodeError() << "expected exactly one value attribute, got "
                           << given;
  }

  HostTensor tensor;
  if (proto) {
    auto decoded = decodeTensor(*proto, [&] {
      return std::move(emitNodeError() << "attribute 'value' ");
    });
    if (failed(decoded))
      return failure();
    tensor = std::move(*decoded);
  } else if (attrs.has("value_float")) {
    tensor.floats = {valueFloat};
  } else if (attrs.has("value_floats")) {
    tensor.shape = {static_cast<int64_t>(valueFloats.size())};
    tensor.floats.assign(valueFloats.begin(), valueFloats.end());
  } else {
    tensor.kind = ElemKind::Int64;
    if (attrs.has("value_int")) {
      tensor.ints = {valueInt};
    } else {
      tensor.shape = {static_cast<int64_t>(valueInts.size())};
      tensor.ints.assign(valueInts.begin(), valueInts.end());
    }
  }
  defineOutputConstant(0, makeConstant(getOutputName(0), std::move(tensor)));
  return success();
}

/// Defines output 0 as input 0 reshaped to `shape` (same element count).
static LogicalResult defineReshaped(GraphImporter &importer,
                                    ArrayRef<int64_t> shape) {
  const TensorValue &input = **importer.getInput(0);
  StringRef outName = importer.getOutputName(0);
  if (input.constant && input.constant->kind == LazyConstant::Kind::Data) {
    HostTensor tensor = *input.constant->data;
    tensor.shape.assign(shape.begin(), shape.end());
    importer.defineOutputConstant(
        0, importer.makeConstant(outName, std::move(tensor)));
    return success();
  }
  auto result = importer.reshapeTensor(input, importer.getInputName(0), shape,
                                       importer.getNameLoc(outName));
  if (failed(result))
    return failure();
  importer.defineOutput(0, *result, getIdentityLayout(shape.size()), shape);
  return success();
}

LogicalResult GraphImporter::importFlatten(NodeAttributes &attrs) {
  if (failed(checkArity(1, 1)))
    return failure();
  int64_t axis = 1;
  if (failed(attrs.getInt("axis", axis)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = (*input)->shape;
  auto normalized = normalizeAxis(*this, axis, shape.size(), /*extra=*/1);
  if (failed(normalized))
    return failure();
  int64_t outer = 1, inner = 1;
  for (auto [d, size] : llvm::enumerate(shape))
    (static_cast<int64_t>(d) < *normalized ? outer : inner) *= size;
  return defineReshaped(*this, {outer, inner});
}

LogicalResult GraphImporter::importReshape(NodeAttributes &attrs) {
  if (failed(checkArity(2, 2)))
    return failure();
  int64_t allowZero = 0;
  if (failed(attrs.getInt("allowzero", allowZero)))
    return failure();
  auto input = getInput(0);
  auto target = getConstantInput(1, "shape");
  if (failed(input) || failed(target))
    return failure();
  if ((*target)->kind != ElemKind::Int64 || (*target)->shape.size() != 1)
    return emitNodeError() << "the shape must be a 1-D INT64 tensor";

  ArrayRef<int64_t> inShape = (*input)->shape;
  int64_t numElements = 1;
  for (int64_t d : inShape)
    numElements *= d;
  SmallVector<int64_t, 4> shape;
  int64_t inferred = -1, known = 1;
  bool overflow = false;
  for (auto [d, entry] : llvm::enumerate((*target)->ints)) {
    int64_t v = entry;
    if (v == 0 && !allowZero) {
      if (d >= inShape.size())
        return emitNodeError()
               << "shape entry " << d << " copies a dimension the input lacks";
      v = inShape[d];
    } else if (v == -1) {
      if (inferred >= 0)
        return emitNodeError() << "the shape has more than one -1";
      inferred = d;
      v = 1;
    } else if (v <= 0) {
      auto diag = emitNodeError() << "unsupported shape ";
      printList(diag, (*target)->ints);
      return diag << " (negative or zero-sized dimensions)";
    }
    shape.push_back(v);
    overflow |= llvm::MulOverflow(known, v, known);
  }
  if (inferred >= 0 && known > 0 && numElements % known == 0)
    shape[inferred] = numElements / known;
  int64_t count = 1;
  for (int64_t d : shape)
    overflow |= llvm::MulOverflow(count, d, count);
  if (overflow || count != numElements) {
    auto diag = emitNodeError() << "cannot reshape ";
    printList(diag, inShape);
    diag << " to ";
    printList(diag, (*target)->ints);
    return diag;
  }
  return defineReshaped(*this, shape);
}

LogicalResult GraphImporter::importTranspose(NodeAttributes &attrs) {
  if (failed(checkArity(1, 1)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  int64_t rank = (*input)->getRank();
  Layout perm;
  for (int64_t d = rank - 1; d >= 0; --d)
    perm.push_back(d);
  if (failed(attrs.getInts("perm", perm)))
    return failure();
  if (static_cast<int64_t>(perm.size()) != rank || !isPermutation(perm)) {
    auto diag = emitNodeError() << "attribute 'perm' = ";
    printList(diag, perm);
    return diag << " is not a permutation of the " << rank
                << " input dimensions";
  }
  const TensorValue &value = **input;
  if (value.constant && value.constant->kind == LazyConstant::Kind::Data) {
    defineOutputConstant(
        0, makeConstant(getOutputName(0),
                        permuteTensor(*value.constant->data, perm)));
    return success();
  }
  // A transpose only changes which ONNX dimension each held dimension is:
  // no data moves here. Held dimension d is input dimension layout[d], that
  // is output dimension inverse(perm)[layout[d]]. Consumers transpose as
  // they need (e.g. NHWC -> NCHW followed by a Conv costs nothing).
  Layout inverse = invertLayout(perm);
  TensorValue result;
  if (value.constant) {
    auto held = getValueIn(value, getInputName(0), getIdentityLayout(rank));
    if (failed(held))
      return failure();
    result.value = *held;
    result.layout = inverse;
  } else {
    result.value = value.value;
    for (int64_t d : value.layout)
      result.layout.push_back(inverse[d]);
  }
  result.shape = permute<int64_t>(value.shape, perm);
  aliasOutput(0, result);
  return success();
}

LogicalResult GraphImporter::importConcat(NodeAttributes &attrs) {
  if (failed(checkArity(1, currentNode->input_size())))
    return failure();
  if (!attrs.has("axis"))
    return emitNodeError() << "attribute 'axis' is required";
  int64_t axis = 0;
  if (failed(attrs.getInt("axis", axis)))
    return failure();
  SmallVector<const TensorValue *> inputs;
  for (int i = 0, e = currentNode->input_size(); i < e; ++i) {
    auto input = getInput(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  int64_t rank = inputs.front()->getRank();
  auto normalized = normalizeAxis(*this, axis, rank);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t, 4> shape(inputs.front()->shape);
  shape[*normalized] = 0;
  for (const TensorValue *input : inputs) {
    bool matches = input->getRank() == rank;
    for (int64_t d = 0; matches && d < rank; ++d)
      matches = d == *normalized || input->shape[d] == shape[d];
    if (!matches) {
      auto diag = emitNodeError() << "input shapes ";
      printList(diag, inputs.front()->shape);
      diag << " and ";
      printList(diag, input->shape);
      return diag << " do not concatenate along axis " << axis;
    }
    shape[*normalized] += input->shape[*normalized];
  }

  Layout layout = chooseLayout(inputs, rank);
  SmallVector<Value> operands;
  for (unsigned i = 0; i < inputs.size(); ++i) {
    auto value = getFloatInputValue(i, layout);
    if (failed(value))
      return failure();
    operands.push_back(*value);
  }
  auto type = RankedTensorType::get(permute<int64_t>(shape, layout),
                                    builder.getF32Type());
  Value result = ConcatOp::create(builder, getNameLoc(getOutputName(0)), type,
                                  operands, invertLayout(layout)[*normalized]);
  defineOutput(0, result, layout, shape);
  return success();
}

LogicalResult GraphImporter::importPad(NodeAttributes &attrs) {
  if (failed(checkArity(1, 3)))
    return failure();
  std::string mode = "constant";
  if (failed(attrs.getString("mode", mode)))
    return failure();
  std::optional<PadMode> padMode = mode == "constant"  ? PadMode::Constant
                                   : mode == "reflect" ? PadMode::Reflect
                                   : mode == "edge"    ? PadMode::Edge
                                                    : std::optional<PadMode>();
  if (!padMode)
    return emitNodeError() << "unsupported mode = '" << mode
                           << "' (expected constant, reflect or edge)";
  auto input = getInput(0);
  if (failed(input))
    return failure();
  int64_t rank = (*input)->getRank();

  // Before opset 11 pads and value are attributes, since then inputs.
  SmallVector<int64_t, 8> pads;
  float value = 0.0f;
  if (attrs.has("pads")) {
    if (hasInput(1))
      return emitNodeError() << "'pads' is given both as attribute and input";
    if (failed(attrs.getInts("pads", pads)))
      return failure();
  } else {
    auto tensor = getConstantInput(1, "pads");
    if (failed(tensor))
      return failure();
    if ((*tensor)->kind != ElemKind::Int64)
      return emitNodeError() << "pads must be an INT64 tensor";
    pads.assign((*tensor)->ints.begin(), (*tensor)->ints.end());
  }
  if (attrs.has("value")) {
    if (hasInput(2))
      return emitNodeError()
             << "the pad value is given both as attribute and input";
    if (failed(attrs.getFloat("value", value)))
      return failure();
  } else if (hasInput(2)) {
    auto tensor = getConstantInput(2, "constant_value");
    if (failed(tensor))
      return failure();
    if ((*tensor)->getNumElements() != 1 || !(*tensor)->isFloat())
      return emitNodeError() << "constant_value must be a float scalar";
    value = (*tensor)->floats[0];
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank ||
      llvm::any_of(pads, [](int64_t p) { return p < 0 || p > (1 << 30); })) {
    auto diag = emitNodeError() << "unsupported pads = ";
    printList(diag, pads);
    return diag << " (expected " << 2 * rank << " non-negative values)";
  }
  if (!std::isfinite(value))
    return emitNodeError() << "unsupported constant_value = "
                           << formatReal(value);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = (*input)->shape[d];
    int64_t before = pads[d], after = pads[rank + d];
    if (*padMode == PadMode::Reflect && (before >= size || after >= size))
      return emitNodeError() << "reflect pads " << before << " and " << after
                             << " of dimension " << d
                             << " must be smaller than its size " << size;
  }

  Layout layout = getPreferredLayout(**input);
  auto held = getFloatInputValue(0, layout);
  if (failed(held))
    return failure();
  SmallVector<int64_t, 4> low, high, shape;
  for (int64_t d = 0; d < rank; ++d) {
    low.push_back(pads[layout[d]]);
    high.push_back(pads[rank + layout[d]]);
    shape.push_back((*input)->shape[d] + pads[d] + pads[rank + d]);
  }
  auto type = RankedTensorType::get(permute<int64_t>(shape, layout),
                                    builder.getF32Type());
  Value result =
      PadOp::create(builder, getNameLoc(getOutputName(0)), type, *held, low,
                    high, *padMode, APFloat(static_cast<double>(value)));
  defineOutput(0, result, layout, shape);
  return success();
}

LogicalResult GraphImporter::importSoftmax(NodeAttributes &attrs) {
  if (failed(checkArity(1, 1)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = (*input)->shape;
  int64_t axis = opset < 13 ? 1 : -1;
  if (failed(attrs.getInt("axis", axis)))
    return failure();
  auto normalized = normalizeAxis(*this, axis, shape.size());
  if (failed(normalized))
    return failure();
  if (opset < 13) {
    // Softmax-11 normalizes over all dimensions from `axis` on, flattened:
    // the same as one axis only when the ones after it have size 1.
    for (size_t d = *normalized + 1; d < shape.size(); ++d) {
      if (shape[d] == 1)
        continue;
      auto diag = emitNodeError()
                  << "unsupported axis = " << axis << " for input shape ";
      printList(diag, shape);
      return diag << ": opset " << opset
                  << " normalizes over all dimensions from the axis on, "
                     "which differs from a single-axis softmax when a later "
                     "dimension is not 1";
    }
  }
  Layout layout = getPreferredLayout(**input);
  auto held = getFloatInputValue(0, layout);
  if (failed(held))
    return failure();
  Value result =
      SoftmaxOp::create(builder, getNameLoc(getOutputName(0)), held->getType(),
                        *held, invertLayout(layout)[*normalized]);
  defineOutput(0, result, layout, shape);
  return success();
}
