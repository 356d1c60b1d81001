//===- QnnOps.cpp - qnn op verifiers ----------------------------------------===//
//
// Part of quant-opt. One check per numbered constraint in QnnOps.td, in the
// same order; messages are lowercase and carry the offending values.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"
#include "qnn/Dialect/Qnn/Utils/ShapeUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace qnn;

//===----------------------------------------------------------------------===//
// Custom assembly directives
//===----------------------------------------------------------------------===//

/// `[r, r, ...]` with every real printed so that it parses back to the same
/// double (the stripped DenseF64ArrayAttr form keeps about 7 digits, which
/// would change a requantization multiplier on a print/parse round trip).
static ParseResult parseExactReals(OpAsmParser &parser,
                                   DenseF64ArrayAttr &attr) {
  SmallVector<double> values;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            double v;
            if (parser.parseFloat(v))
              return failure();
            values.push_back(v);
            return success();
          }))
    return failure();
  attr = DenseF64ArrayAttr::get(parser.getContext(), values);
  return success();
}

static void printExactReals(OpAsmPrinter &printer, Operation *,
                            DenseF64ArrayAttr attr) {
  printer << '[';
  llvm::interleaveComma(attr.asArrayRef(), printer, [&](double v) {
    // Upstream's printer falls back to hexadecimal for integral values of 7
    // or more digits (such as 2^20); those print exactly as `1048576.0`.
    if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) >= 1e6 &&
        std::fabs(v) < 9007199254740992.0) {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%.1f", v);
      printer << buffer;
      return;
    }
    printer.printFloat(llvm::APFloat(v));
  });
  printer << ']';
}

#define GET_OP_CLASSES
#include "qnn/Dialect/Qnn/IR/QnnOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {
/// A shape printed as `[1, 8, ?, 4]` in diagnostics.
struct ShapeStr {
  ArrayRef<int64_t> shape;
};
} // namespace

static InFlightDiagnostic &operator<<(InFlightDiagnostic &diag, ShapeStr s) {
  diag << "[";
  llvm::interleaveComma(s.shape, diag, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      diag << "?";
    else
      diag << d;
  });
  return diag << "]";
}

static InFlightDiagnostic &&operator<<(InFlightDiagnostic &&diag, ShapeStr s) {
  diag << s;
  return std::move(diag);
}

static ShapeStr shapeOf(Value v) {
  return {cast<ShapedType>(v.getType()).getShape()};
}

static Type elementTypeOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

/// True when two dimension sizes may be equal (either is dynamic).
static bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static bool shapesCompatible(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  return a.size() == b.size() &&
         llvm::all_of(llvm::zip_equal(a, b), [](auto pair) {
           return dimsCompatible(std::get<0>(pair), std::get<1>(pair));
         });
}

/// Checks `result` against an expected shape (with kDynamic where unknown).
static LogicalResult verifyResultShape(Operation *op, Value result,
                                       ArrayRef<int64_t> expected) {
  if (!shapesCompatible(shapeOf(result).shape, expected))
    return op->emitOpError("result shape ")
           << shapeOf(result) << " does not match the expected shape "
           << ShapeStr{expected};
  return success();
}

/// A named tensor of an op, for form checks.
struct NamedValue {
  StringRef name;
  Value value;
};

/// Checks that every value is in one numeric form, that quantized element
/// types are valid, and that this form is among `allowed`. Returns the form.
static FailureOr<NumericForm> verifyOneForm(Operation *op,
                                            ArrayRef<NamedValue> values,
                                            ArrayRef<NumericForm> allowed) {
  std::optional<NumericForm> form;
  const NamedValue *first = nullptr;
  for (const NamedValue &nv : values) {
    if (!nv.value)
      continue;
    Type elementType = elementTypeOf(nv.value);
    std::optional<NumericForm> f = getNumericForm(elementType);
    if (!f)
      return op->emitOpError() << nv.name << " element type " << elementType
                               << " is in no numeric form (f32, "
                                  "!quant.uniform or integer)";
    if (auto quantType = dyn_cast<quant::QuantizedType>(elementType))
      if (failed(verifyQuantizedType([&] { return op->emitOpError(); },
                                     quantType)))
        return failure();
    if (!form) {
      form = f;
      first = &nv;
      continue;
    }
    if (*f != *form)
      return op->emitOpError()
             << "mixes numeric forms: " << first->name << " is "
             << stringifyNumericForm(*form) << " ("
             << elementTypeOf(first->value) << ") but " << nv.name << " is "
             << stringifyNumericForm(*f) << " (" << elementType << ")";
  }
  assert(form && "op without tensors");
  if (!llvm::is_contained(allowed, *form))
    return op->emitOpError() << "does not accept the "
                             << stringifyNumericForm(*form) << " form ("
                             << first->name << " is "
                             << elementTypeOf(first->value) << ")";
  return *form;
}

/// In the Q form, checks that `nv` is per-tensor.
static LogicalResult verifyPerTensor(Operation *op, const NamedValue &nv) {
  if (isa<quant::UniformQuantizedPerAxisType>(elementTypeOf(nv.value)))
    return op->emitOpError() << nv.name << " must be quantized per tensor, got "
                             << elementTypeOf(nv.value);
  return success();
}

/// In the I form, checks that `nv` is an integer of at most `maxWidth` bits
/// (or exactly `exactWidth` when non-zero).
static LogicalResult verifyIntWidth(Operation *op, const NamedValue &nv,
                                    unsigned maxWidth, unsigned exactWidth) {
  auto type = cast<IntegerType>(elementTypeOf(nv.value));
  if (exactWidth && (type.getWidth() != exactWidth || type.isUnsigned()))
    return op->emitOpError() << nv.name << " must be i" << exactWidth
                             << " in the integer form, got " << type;
  if (!exactWidth && type.getWidth() > maxWidth)
    return op->emitOpError() << nv.name << " must have at most " << maxWidth
                             << " bits in the integer form, got " << type;
  return success();
}

/// Strictly positive entries, e.g. strides.
static LogicalResult verifyPositive(Operation *op, StringRef name,
                                    ArrayRef<int64_t> values) {
  if (llvm::any_of(values, [](int64_t v) { return v <= 0; }))
    return op->emitOpError() << name << " must be positive, got "
                             << ShapeStr{values};
  return success();
}

/// The count of activation bounds is 0, 1 or `channels`.
static LogicalResult verifyActivationChannels(Operation *op,
                                              ActivationAttr activation,
                                              int64_t channels) {
  if (!activation || activation.getNumBounds() <= 1 ||
      ShapedType::isDynamic(channels))
    return success();
  if (static_cast<int64_t>(activation.getNumBounds()) != channels)
    return op->emitOpError()
           << "activation has " << activation.getNumBounds()
           << " per-channel bounds but the result has " << channels
           << " channels";
  return success();
}

/// An optional zero-point attribute exists only in the I form and fits the
/// integer element type of `operand`.
static LogicalResult verifyZeroPointAttr(Operation *op, StringRef name,
                                         std::optional<int64_t> zeroPoint,
                                         NumericForm form, Value operand) {
  if (!zeroPoint)
    return success();
  if (form != NumericForm::Integer)
    return op->emitOpError()
           << name << " is only allowed in the integer form, got the "
           << stringifyNumericForm(form) << " form";
  auto type = cast<IntegerType>(elementTypeOf(operand));
  if (!fitsIntegerType(*zeroPoint, type)) {
    auto [lo, hi] = getIntegerRange(type);
    return op->emitOpError() << name << " " << *zeroPoint
                             << " does not fit " << type << " [" << lo << ", "
                             << hi << "]";
  }
  return success();
}

/// Shared checks of the weight/bias operands of conv2d and dense in the Q
/// and I forms. `numOut` is the number of output channels.
static LogicalResult verifyLayerForms(Operation *op, NumericForm form,
                                      NamedValue input, NamedValue weight,
                                      NamedValue bias, NamedValue result,
                                      int64_t numOut,
                                      ActivationAttr activation) {
  if (form == NumericForm::Quantized) {
    if (failed(verifyPerTensor(op, input)) ||
        failed(verifyPerTensor(op, result)))
      return failure();
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(
            elementTypeOf(weight.value)))
      if (!ShapedType::isDynamic(numOut) &&
          failed(verifyPerAxisChannels([&] { return op->emitOpError(); },
                                       perAxis, numOut, weight.name)))
        return failure();
    if (bias.value) {
      auto biasType = cast<quant::QuantizedType>(elementTypeOf(bias.value));
      if (biasType.getStorageTypeIntegralWidth() != 32)
        return op->emitOpError()
               << "quantized bias must have 32-bit storage, got " << biasType;
      if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(biasType))
        if (!ShapedType::isDynamic(numOut) &&
            failed(verifyPerAxisChannels([&] { return op->emitOpError(); },
                                         perAxis, numOut, "bias")))
          return failure();
    }
  }
  if (form == NumericForm::Integer) {
    if (failed(verifyIntWidth(op, input, 16, 0)) ||
        failed(verifyIntWidth(op, weight, 16, 0)) ||
        (bias.value && failed(verifyIntWidth(op, bias, 0, 32))) ||
        failed(verifyIntWidth(op, result, 0, 32)))
      return failure();
    if (activation && activation.getKind() != ActivationKind::None)
      return op->emitOpError()
             << "the integer form has no fused activation (it belongs to "
                "qnn.requantize), got "
             << stringifyActivationKind(activation.getKind());
  }
  return success();
}

/// Resolves a (possibly mixed F/Q) bias: in the Q form, a float bias is
/// allowed, so it is checked separately from the one-form rule.
static bool isFloatBiasInQForm(Value bias, Value input) {
  return bias && elementTypeOf(bias).isF32() &&
         isa<quant::QuantizedType>(elementTypeOf(input));
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

bool Conv2DOp::isDepthwise() {
  int64_t channels = getInput().getType().getDimSize(3);
  return !ShapedType::isDynamic(channels) && getGroups() == channels &&
         channels > 1;
}

LogicalResult Conv2DOp::verify() {
  // 1. strides and dilations are positive.
  if (failed(verifyPositive(*this, "strides", getStrides())) ||
      failed(verifyPositive(*this, "dilations", getDilations())))
    return failure();

  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> w = getFilter().getType().getShape();
  int64_t channels = in[3], numOut = w[0], groups = getGroups();

  // 2. groups is positive and divides C and O.
  if (groups <= 0)
    return emitOpError("groups must be positive, got ") << groups;
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOpError("input channels (")
           << channels << ") must be divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(numOut) && numOut % groups != 0)
    return emitOpError("output channels (")
           << numOut << ") must be divisible by groups (" << groups << ")";

  // 3. the filter's last dimension is C / groups.
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(w[3]) &&
      w[3] != channels / groups)
    return emitOpError("filter ")
           << ShapeStr{w} << " has " << w[3]
           << " input channels per group, expected input channels / groups = "
           << channels << " / " << groups << " = " << channels / groups;

  // 4. the bias has shape [O].
  if (getBias() && !dimsCompatible(getBias().getType().getDimSize(0), numOut))
    return emitOpError("bias shape ")
           << shapeOf(getBias()) << " does not match the " << numOut
           << " output channels";

  // 5./6. output size and result shape.
  PaddingAttr pad = getPadding();
  SmallVector<int64_t> expected = {in[0], ShapedType::kDynamic,
                                   ShapedType::kDynamic, numOut};
  int64_t padBefore[2] = {pad.getTop(), pad.getLeft()};
  int64_t padAfter[2] = {pad.getBottom(), pad.getRight()};
  for (int d = 0; d < 2; ++d) {
    if (ShapedType::isDynamic(in[1 + d]) || ShapedType::isDynamic(w[1 + d]))
      continue;
    WindowError error;
    std::optional<int64_t> size = getWindowedOutputSize(
        in[1 + d], padBefore[d], padAfter[d], w[1 + d], getStrides()[d],
        getDilations()[d], &error);
    if (error == WindowError::Overflow)
      return emitOpError("window arithmetic in dimension ")
             << (d == 0 ? "H" : "W") << " overflows int64 (input "
             << in[1 + d] << ", padding " << padBefore[d] << " + "
             << padAfter[d] << ", kernel " << w[1 + d] << ", dilation "
             << getDilations()[d] << ")";
    if (!size)
      return emitOpError("padded input size ")
             << in[1 + d] + padBefore[d] + padAfter[d] << " in dimension "
             << (d == 0 ? "H" : "W") << " is smaller than the dilated kernel "
             << getDilations()[d] * (w[1 + d] - 1) + 1;
    expected[1 + d] = *size;
  }
  if (failed(verifyResultShape(*this, getResult(), expected)))
    return failure();

  // 7. one numeric form (a float bias is allowed in the Q form).
  NamedValue input{"input", getInput()}, filter{"filter", getFilter()},
      bias{"bias", getBias()}, result{"result", getResult()};
  bool floatBias = isFloatBiasInQForm(getBias(), getInput());
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {input, filter, floatBias ? NamedValue{} : bias, result},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form))
    return failure();

  // 8./9. per-axis filter, integer widths, no fused activation in I form.
  if (failed(verifyLayerForms(*this, *form, input, filter,
                              floatBias ? NamedValue{} : bias, result, numOut,
                              getActivationAttr())))
    return failure();
  if (failed(verifyZeroPointAttr(*this, "input_zero_point",
                                 getInputZeroPoint(), *form, getInput())))
    return failure();

  // 10. per-channel activation bounds number O.
  return verifyActivationChannels(*this, getActivationAttr(), numOut);
}

//===----------------------------------------------------------------------===//
// DenseOp
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> w = getWeight().getType().getShape();
  int64_t numOut = w[0];

  // 1. weight [O, K] matches input [N, K].
  if (!dimsCompatible(in[1], w[1]))
    return emitOpError("weight ")
           << ShapeStr{w} << " has K = " << w[1] << " but the input "
           << ShapeStr{in} << " has K = " << in[1];
  // 2. bias [O].
  if (getBias() && !dimsCompatible(getBias().getType().getDimSize(0), numOut))
    return emitOpError("bias shape ")
           << shapeOf(getBias()) << " does not match the " << numOut
           << " output channels";
  // 3. result [N, O].
  if (failed(verifyResultShape(*this, getResult(), {in[0], numOut})))
    return failure();

  // 4.-6. forms.
  NamedValue input{"input", getInput()}, weight{"weight", getWeight()},
      bias{"bias", getBias()}, result{"result", getResult()};
  bool floatBias = isFloatBiasInQForm(getBias(), getInput());
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {input, weight, floatBias ? NamedValue{} : bias, result},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form) ||
      failed(verifyLayerForms(*this, *form, input, weight,
                              floatBias ? NamedValue{} : bias, result, numOut,
                              getActivationAttr())) ||
      failed(verifyZeroPointAttr(*this, "input_zero_point",
                                 getInputZeroPoint(), *form, getInput())))
    return failure();

  // 7. per-channel activation bounds number O.
  return verifyActivationChannels(*this, getActivationAttr(), numOut);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  ArrayRef<int64_t> lhs = getLhs().getType().getShape();
  ArrayRef<int64_t> rhs = getRhs().getType().getShape();
  // 1. same rank >= 2.
  if (lhs.size() < 2 || lhs.size() != rhs.size())
    return emitOpError("operands must have the same rank, at least 2, got ")
           << ShapeStr{lhs} << " and " << ShapeStr{rhs};
  size_t rank = lhs.size();
  // 2. batch dimensions agree.
  if (!shapesCompatible(lhs.drop_back(2), rhs.drop_back(2)))
    return emitOpError("batch dimensions ")
           << ShapeStr{lhs.drop_back(2)} << " and " << ShapeStr{rhs.drop_back(2)}
           << " differ";
  // 3. contraction dimensions agree.
  if (!dimsCompatible(lhs[rank - 1], rhs[rank - 2]))
    return emitOpError("contraction dimensions differ: lhs ")
           << ShapeStr{lhs} << " has K = " << lhs[rank - 1] << ", rhs "
           << ShapeStr{rhs} << " has K = " << rhs[rank - 2];
  // 4. result shape.
  SmallVector<int64_t> expected(lhs.drop_back(2));
  expected.push_back(lhs[rank - 2]);
  expected.push_back(rhs[rank - 1]);
  if (failed(verifyResultShape(*this, getResult(), expected)))
    return failure();
  // 5. one form, per-tensor.
  NamedValue l{"lhs", getLhs()}, r{"rhs", getRhs()},
      res{"result", getResult()};
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {l, r, res},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized &&
      (failed(verifyPerTensor(*this, l)) || failed(verifyPerTensor(*this, r)) ||
       failed(verifyPerTensor(*this, res))))
    return failure();
  if (*form == NumericForm::Integer &&
      (failed(verifyIntWidth(*this, l, 16, 0)) ||
       failed(verifyIntWidth(*this, r, 16, 0)) ||
       failed(verifyIntWidth(*this, res, 0, 32))))
    return failure();
  // 6. zero points.
  return success(
      succeeded(verifyZeroPointAttr(*this, "lhs_zero_point",
                                    getLhsZeroPoint(), *form, getLhs())) &&
      succeeded(verifyZeroPointAttr(*this, "rhs_zero_point",
                                    getRhsZeroPoint(), *form, getRhs())));
}

//===----------------------------------------------------------------------===//
// AddOp, MulOp
//===----------------------------------------------------------------------===//

static LogicalResult verifyBinaryOp(Operation *op, Value lhs, Value rhs,
                                    Value result, ActivationAttr activation) {
  // 1. shapes broadcast.
  SmallVector<int64_t> broadcast;
  if (!OpTrait::util::getBroadcastedShape(shapeOf(lhs).shape,
                                          shapeOf(rhs).shape, broadcast))
    return op->emitOpError("operand shapes ")
           << shapeOf(lhs) << " and " << shapeOf(rhs) << " do not broadcast";
  // 2. result shape.
  if (failed(verifyResultShape(op, result, broadcast)))
    return failure();
  // 3. F or Q, per-tensor; I (add only) with one type and no activation.
  NamedValue l{"lhs", lhs}, r{"rhs", rhs}, res{"result", result};
  SmallVector<NumericForm, 3> allowed = {NumericForm::Float,
                                         NumericForm::Quantized};
  if (isa<AddOp>(op))
    allowed.push_back(NumericForm::Integer);
  FailureOr<NumericForm> form = verifyOneForm(op, {l, r, res}, allowed);
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized &&
      (failed(verifyPerTensor(op, l)) || failed(verifyPerTensor(op, r)) ||
       failed(verifyPerTensor(op, res))))
    return failure();
  if (*form == NumericForm::Integer) {
    if (elementTypeOf(lhs) != elementTypeOf(result) ||
        elementTypeOf(rhs) != elementTypeOf(result))
      return op->emitOpError("integer operands and result must have one "
                             "type, got ")
             << elementTypeOf(lhs) << ", " << elementTypeOf(rhs) << " -> "
             << elementTypeOf(result);
    if (activation && activation.getKind() != ActivationKind::None)
      return op->emitOpError("has no fused activation in the integer form "
                             "(the clamp lives in qnn.requantize)");
  }
  // 4. per-channel bounds.
  ArrayRef<int64_t> shape = shapeOf(result).shape;
  return verifyActivationChannels(op, activation,
                                  shape.empty() ? 1 : shape.back());
}

LogicalResult AddOp::verify() {
  return verifyBinaryOp(*this, getLhs(), getRhs(), getResult(),
                        getActivationAttr());
}

LogicalResult MulOp::verify() {
  return verifyBinaryOp(*this, getLhs(), getRhs(), getResult(),
                        getActivationAttr());
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Constraints 1-5 shared by avg_pool2d and max_pool2d.
static LogicalResult verifyPool2D(Operation *op, Value input, Value result,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  PaddingAttr pad) {
  // 1. kernel and strides positive.
  if (failed(verifyPositive(op, "kernel", kernel)) ||
      failed(verifyPositive(op, "strides", strides)))
    return failure();
  // 2. every window overlaps the input.
  int64_t padBefore[2] = {pad.getTop(), pad.getLeft()};
  int64_t padAfter[2] = {pad.getBottom(), pad.getRight()};
  for (int d = 0; d < 2; ++d)
    if (padBefore[d] >= kernel[d] || padAfter[d] >= kernel[d])
      return op->emitOpError("padding ")
             << "[" << pad.getTop() << ", " << pad.getLeft() << ", "
             << pad.getBottom() << ", " << pad.getRight()
             << "] must be smaller than the kernel " << ShapeStr{kernel}
             << " so that every window overlaps the input";
  // 3./4. output size and result shape.
  ArrayRef<int64_t> in = shapeOf(input).shape;
  SmallVector<int64_t> expected = {in[0], ShapedType::kDynamic,
                                   ShapedType::kDynamic, in[3]};
  for (int d = 0; d < 2; ++d) {
    if (ShapedType::isDynamic(in[1 + d]))
      continue;
    WindowError error;
    std::optional<int64_t> size =
        getWindowedOutputSize(in[1 + d], padBefore[d], padAfter[d], kernel[d],
                              strides[d], /*dilation=*/1, &error);
    if (error == WindowError::Overflow)
      return op->emitOpError("window arithmetic in dimension ")
             << (d == 0 ? "H" : "W") << " overflows int64 (input "
             << in[1 + d] << ", padding " << padBefore[d] << " + "
             << padAfter[d] << ", kernel " << kernel[d] << ")";
    if (!size)
      return op->emitOpError("padded input size ")
             << in[1 + d] + padBefore[d] + padAfter[d] << " in dimension "
             << (d == 0 ? "H" : "W") << " is smaller than the kernel "
             << kernel[d];
    expected[1 + d] = *size;
  }
  if (failed(verifyResultShape(op, result, expected)))
    return failure();
  // 5. F, Q or I with equal types.
  FailureOr<NumericForm> form = verifyOneForm(
      op, {{"input", input}, {"result", result}},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized &&
      failed(verifyPerTensor(op, {"input", input})))
    return failure();
  if (*form == NumericForm::Integer &&
      failed(verifyIntWidth(op, {"input", input}, 32, 0)))
    return failure();
  if (*form != NumericForm::Float &&
      elementTypeOf(input) != elementTypeOf(result))
    return op->emitOpError()
           << (*form == NumericForm::Quantized ? "quantized" : "integer")
           << " input and result types must be equal, got "
           << elementTypeOf(input) << " and " << elementTypeOf(result);
  return success();
}

LogicalResult AvgPool2DOp::verify() {
  return verifyPool2D(*this, getInput(), getResult(), getKernel(),
                      getStrides(), getPadding());
}

LogicalResult MaxPool2DOp::verify() {
  return verifyPool2D(*this, getInput(), getResult(), getKernel(),
                      getStrides(), getPadding());
}

LogicalResult GlobalAvgPoolOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  // 1. result [N, 1, 1, C].
  if (failed(verifyResultShape(*this, getResult(), {in[0], 1, 1, in[3]})))
    return failure();
  // 2. F or Q (per-tensor); I: integer of at most 16 bits in, i32 sum out.
  NamedValue input{"input", getInput()}, result{"result", getResult()};
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {input, result},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized &&
      (failed(verifyPerTensor(*this, input)) ||
       failed(verifyPerTensor(*this, result))))
    return failure();
  if (*form == NumericForm::Integer &&
      (failed(verifyIntWidth(*this, input, 16, 0)) ||
       failed(verifyIntWidth(*this, result, 0, 32))))
    return failure();
  if (*form == NumericForm::Integer && !ShapedType::isDynamic(in[1]) &&
      !ShapedType::isDynamic(in[2])) {
    // The i32 sum of H * W values must not overflow.
    unsigned bits = cast<IntegerType>(elementTypeOf(getInput())).getWidth();
    std::optional<int64_t> count = llvm::checkedMul(in[1], in[2]);
    std::optional<int64_t> bound =
        count ? llvm::checkedMul(*count, int64_t(1) << bits) : std::nullopt;
    if (!bound || *bound > (int64_t(1) << 31))
      return emitOpError("the i32 sum of ")
             << in[1] << " x " << in[2] << " values of " << bits
             << " bits may overflow";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

LogicalResult ActivationOp::verify() {
  // 1. not none.
  if (getKind().getKind() == ActivationKind::None)
    return emitOpError("activation kind must not be none (use the input "
                       "directly)");
  // 2. per-channel bounds number the last dimension.
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  if (failed(verifyActivationChannels(*this, getKind(),
                                      shape.empty() ? 1 : shape.back())))
    return failure();
  // 3. same shape.
  if (failed(verifyResultShape(*this, getResult(), shape)))
    return failure();
  // 4. F or Q with one storage type.
  NamedValue input{"input", getInput()}, result{"result", getResult()};
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {input, result}, {NumericForm::Float, NumericForm::Quantized});
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized) {
    if (failed(verifyPerTensor(*this, input)) ||
        failed(verifyPerTensor(*this, result)))
      return failure();
    auto inType = cast<quant::QuantizedType>(elementTypeOf(getInput()));
    auto outType = cast<quant::QuantizedType>(elementTypeOf(getResult()));
    if (inType.getStorageType() != outType.getStorageType() ||
        inType.isSigned() != outType.isSigned())
      return emitOpError("quantized input and result must share a storage "
                         "type, got ")
             << inType << " and " << outType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  // 1. rank 2..4, result shape equals input shape.
  if (in.size() < 2 || in.size() > 4)
    return emitOpError("input must have rank 2 to 4, got ")
           << ShapeStr{in};
  if (failed(verifyResultShape(*this, getResult(), in)))
    return failure();
  // 2. parameters [C].
  int64_t channels = in.back();
  for (NamedValue nv : {NamedValue{"scale", getScale()},
                        NamedValue{"offset", getOffset()},
                        NamedValue{"mean", getMean()},
                        NamedValue{"variance", getVariance()}})
    if (!dimsCompatible(shapeOf(nv.value).shape[0], channels))
      return emitOpError() << nv.name << " shape " << shapeOf(nv.value)
                           << " does not match the " << channels
                           << " channels of the input";
  // 3. epsilon.
  double eps = getEpsilon().convertToDouble();
  if (!(eps >= 0.0) || !std::isfinite(eps))
    return emitOpError("epsilon must be non-negative and finite, got ")
           << formatReal(eps);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

/// Same element type on input and result.
static LogicalResult verifySameElementType(Operation *op, Value input,
                                           Value result) {
  if (elementTypeOf(input) != elementTypeOf(result))
    return op->emitOpError("input and result element types differ: ")
           << elementTypeOf(input) << " vs " << elementTypeOf(result);
  return success();
}

/// Shape ops take any form; quantized tensors must be per-tensor (per-axis
/// types are for weights and biases, which the importer lays out itself).
static LogicalResult verifyShapeOpForm(Operation *op, Value input) {
  FailureOr<NumericForm> form =
      verifyOneForm(op, {{"input", input}},
                    {NumericForm::Float, NumericForm::Quantized,
                     NumericForm::Integer});
  if (failed(form))
    return failure();
  if (*form == NumericForm::Quantized)
    return verifyPerTensor(op, {"input", input});
  return success();
}

LogicalResult ReshapeOp::verify() {
  // 1. same element type.
  if (failed(verifySameElementType(*this, getInput(), getResult())))
    return failure();
  // 2. static shapes with equal element counts.
  RankedTensorType in = getInput().getType(), out = getResult().getType();
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return emitOpError("reshape needs static shapes, got ")
           << shapeOf(getInput()) << " -> " << shapeOf(getResult());
  std::optional<int64_t> inCount = checkedNumElements(in.getShape());
  std::optional<int64_t> outCount = checkedNumElements(out.getShape());
  if (!inCount || !outCount)
    return emitOpError("element count of ")
           << (inCount ? shapeOf(getResult()) : shapeOf(getInput()))
           << " overflows int64";
  if (*inCount != *outCount)
    return emitOpError("input ")
           << shapeOf(getInput()) << " has " << *inCount
           << " elements but result " << shapeOf(getResult()) << " has "
           << *outCount;
  return verifyShapeOpForm(*this, getInput());
}

LogicalResult TransposeOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> perm = getPermutation();
  // 1. a permutation of [0, rank).
  SmallVector<bool> used(in.size(), false);
  bool valid = perm.size() == in.size();
  for (int64_t p : perm) {
    if (!valid)
      break;
    if (p < 0 || p >= static_cast<int64_t>(in.size()) || used[p])
      valid = false;
    else
      used[p] = true;
  }
  if (!valid)
    return emitOpError("permutation ")
           << ShapeStr{perm} << " is not a permutation of [0, " << in.size()
           << ")";
  // 2. permuted shape.
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(in[p]);
  if (failed(verifyResultShape(*this, getResult(), expected)))
    return failure();
  // 3. same element type.
  if (failed(verifySameElementType(*this, getInput(), getResult())))
    return failure();
  return verifyShapeOpForm(*this, getInput());
}

LogicalResult ConcatOp::verify() {
  // 1. at least one input.
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  ArrayRef<int64_t> out = getResult().getType().getShape();
  int64_t rank = out.size(), axis = getAxis();
  // 2. axis in range.
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range [0, " << rank
                                << ")";
  // 3./4. ranks and dimensions.
  int64_t sum = 0;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    ArrayRef<int64_t> shape = shapeOf(v).shape;
    if (static_cast<int64_t>(shape.size()) != rank)
      return emitOpError("input #")
             << i << " " << ShapeStr{shape} << " has rank " << shape.size()
             << " but the result has rank " << rank;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && !dimsCompatible(shape[d], out[d]))
        return emitOpError("input #")
               << i << " " << ShapeStr{shape} << " differs from the result "
               << ShapeStr{out} << " in dimension " << d;
    if (sum != ShapedType::kDynamic) {
      if (ShapedType::isDynamic(shape[axis])) {
        sum = ShapedType::kDynamic;
      } else {
        std::optional<int64_t> next = checkedAdd(sum, shape[axis]);
        if (!next || *next == ShapedType::kDynamic)
          return emitOpError("the inputs' sizes along dimension ")
                 << axis << " add up to more than int64 holds";
        sum = *next;
      }
    }
  }
  if (!dimsCompatible(sum, out[axis]))
    return emitOpError("result dimension ")
           << axis << " is " << out[axis]
           << " but the inputs' sizes along it add up to " << sum;
  // 5. one form, one storage type.
  SmallVector<NamedValue> values;
  SmallVector<std::string> names;
  names.reserve(getInputs().size());
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    names.push_back("input #" + std::to_string(i));
    values.push_back({names.back(), v});
  }
  values.push_back({"result", getResult()});
  FailureOr<NumericForm> form =
      verifyOneForm(*this, values,
                    {NumericForm::Float, NumericForm::Quantized,
                     NumericForm::Integer});
  if (failed(form))
    return failure();
  Type resultElement = elementTypeOf(getResult());
  for (const NamedValue &nv : values) {
    Type element = elementTypeOf(nv.value);
    if (*form == NumericForm::Quantized) {
      if (failed(verifyPerTensor(*this, nv)))
        return failure();
      auto q = cast<quant::QuantizedType>(element);
      auto r = cast<quant::QuantizedType>(resultElement);
      if (q.getStorageType() != r.getStorageType() ||
          q.isSigned() != r.isSigned())
        return emitOpError() << nv.name << " storage type differs from the "
                             << "result's: " << element << " vs "
                             << resultElement;
    } else if (element != resultElement) {
      return emitOpError() << nv.name << " element type " << element
                           << " differs from the result's " << resultElement;
    }
  }
  return success();
}

LogicalResult PadOp::verify() {
  ArrayRef<int64_t> in = getInput().getType().getShape();
  ArrayRef<int64_t> low = getLow(), high = getHigh();
  // 1. one non-negative entry per dimension.
  if (low.size() != in.size() || high.size() != in.size())
    return emitOpError("low and high need one entry per dimension (")
           << in.size() << "), got " << low.size() << " and " << high.size();
  if (llvm::any_of(low, [](int64_t v) { return v < 0; }) ||
      llvm::any_of(high, [](int64_t v) { return v < 0; }))
    return emitOpError("padding must be non-negative, got low ")
           << ShapeStr{low} << " high " << ShapeStr{high};
  // 2. result shape.
  SmallVector<int64_t> expected;
  for (size_t d = 0; d < in.size(); ++d) {
    if (ShapedType::isDynamic(in[d])) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    std::optional<int64_t> size = checkedAdd(low[d], in[d]);
    if (size)
      size = checkedAdd(*size, high[d]);
    if (!size)
      return emitOpError("padded size of dimension ")
             << d << " overflows int64 (low " << low[d] << ", size " << in[d]
             << ", high " << high[d] << ")";
    expected.push_back(*size);
  }
  if (failed(verifyResultShape(*this, getResult(), expected)))
    return failure();
  // 3. reflect/edge need enough input.
  for (size_t d = 0; d < in.size(); ++d) {
    if (ShapedType::isDynamic(in[d]) || (low[d] == 0 && high[d] == 0))
      continue;
    if (getMode() == PadMode::Reflect &&
        (low[d] >= in[d] || high[d] >= in[d]))
      return emitOpError("reflect padding of dimension ")
             << d << " needs pads smaller than its size " << in[d]
             << ", got low " << low[d] << " high " << high[d];
    if (getMode() == PadMode::Edge && in[d] == 0)
      return emitOpError("edge padding of the empty dimension ") << d;
  }
  // 4. same element type.
  if (failed(verifySameElementType(*this, getInput(), getResult())))
    return failure();
  // 5. the pad value.
  double value = getValue().convertToDouble();
  if (!std::isfinite(value))
    return emitOpError("pad value must be finite, got ")
           << formatReal(value);
  FailureOr<NumericForm> form = verifyOneForm(
      *this, {{"input", getInput()}},
      {NumericForm::Float, NumericForm::Quantized, NumericForm::Integer});
  if (failed(form))
    return failure();
  Type element = elementTypeOf(getInput());
  if (*form == NumericForm::Quantized) {
    if (failed(verifyPerTensor(*this, {"input", getInput()})))
      return failure();
    auto q = cast<quant::UniformQuantizedType>(element);
    double stored = value / q.getScale() + q.getZeroPoint();
    if (stored != std::round(stored) || stored < q.getStorageTypeMin() ||
        stored > q.getStorageTypeMax())
      return emitOpError("pad value ")
             << formatReal(value) << " is not a point of the grid of "
             << element << " (it would be stored as " << formatReal(stored)
             << ")";
  }
  if (*form == NumericForm::Integer) {
    auto intType = cast<IntegerType>(element);
    auto [lo, hi] = getIntegerRange(intType);
    // Compare as doubles first: casting an out-of-range double is undefined.
    if (value != std::round(value) || value < static_cast<double>(lo) ||
        value > static_cast<double>(hi) ||
        !fitsIntegerType(static_cast<int64_t>(value), intType))
      return emitOpError("pad value ")
             << formatReal(value) << " is not an integer of " << intType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank(), axis = getAxis();
  // 1. axis in range.
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range [0, " << rank
                                << ")";
  // 2. same type.
  if (getInput().getType() != getResult().getType())
    return emitOpError("input and result types differ: ")
           << getInput().getType() << " vs " << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

size_t RequantizeOp::getNumMultipliers() {
  if (std::optional<ArrayRef<double>> scale = getScale())
    return scale->size();
  if (FixedPointMultiplierAttr fp = getFixedPointAttr())
    return fp.getM0().size();
  return 0;
}

LogicalResult RequantizeOp::verify() {
  // 1. exactly one multiplier form.
  if (getScale().has_value() == static_cast<bool>(getFixedPointAttr()))
    return emitOpError("needs exactly one of 'scale' and 'fixed_point', got ")
           << (getScale().has_value() ? "both" : "neither");
  // 3. axis in range (checked before 2, which uses it).
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  int64_t rank = shape.size(), axis = getAxis();
  if (axis < 0 || (rank > 0 && axis >= rank) || (rank == 0 && axis != 0))
    return emitOpError("axis ") << axis << " is out of range [0, " << rank
                                << ")";
  // 2. 1 or dim(axis) multipliers.
  size_t n = getNumMultipliers();
  if (n != 1) {
    int64_t channels = rank ? shape[axis] : 1;
    if (n == 0 || (!ShapedType::isDynamic(channels) &&
                   static_cast<int64_t>(n) != channels))
      return emitOpError("has ")
             << n << " multipliers but dimension " << axis << " has size "
             << channels
             << (channels == 1 ? std::string(" (expected 1)")
                               : " (expected 1 or " +
                                     std::to_string(channels) + ")");
  }
  // 4. scales positive and finite, or zero.
  if (std::optional<ArrayRef<double>> scale = getScale())
    for (auto [i, s] : llvm::enumerate(*scale))
      if (!(s >= 0.0) || !std::isfinite(s))
        return emitOpError("scale must be positive and finite, or zero, got ")
               << formatReal(s) << " at index " << i;
  // 5. shapes equal.
  if (failed(verifyResultShape(*this, getResult(), shape)))
    return failure();
  // 8. at most 32-bit integers.
  auto inType = cast<IntegerType>(getInput().getType().getElementType());
  auto outType = cast<IntegerType>(getResult().getType().getElementType());
  if (inType.getWidth() > 32 || outType.getWidth() > 32)
    return emitOpError("input and result must have at most 32 bits, got ")
           << inType << " and " << outType;
  // 6. zero points fit.
  if (!fitsIntegerType(getInputZeroPoint(), inType))
    return emitOpError("input_zero_point ")
           << getInputZeroPoint() << " does not fit " << inType;
  if (!fitsIntegerType(getOutputZeroPoint(), outType))
    return emitOpError("output_zero_point ")
           << getOutputZeroPoint() << " does not fit " << outType;
  // 7. clamp: one [min, max] pair, or one per channel of `axis`.
  ArrayRef<int64_t> clamp = getClamp();
  int64_t channels = rank ? shape[axis] : 1;
  bool perChannel = clamp.size() > 2 && !ShapedType::isDynamic(channels) &&
                    static_cast<int64_t>(clamp.size()) == 2 * channels;
  if (clamp.size() != 2 && !perChannel)
    return emitOpError("clamp must be [min, max] or one [min, max] pair per "
                       "channel of dimension ")
           << axis << " (" << (rank ? std::to_string(2 * shape[axis]) : "2")
           << " values), got " << clamp.size() << " values";
  auto [lo, hi] = getIntegerRange(outType);
  for (size_t i = 0; i < clamp.size(); i += 2)
    if (clamp[i] > clamp[i + 1] || clamp[i] < lo || clamp[i + 1] > hi)
      return emitOpError("clamp [")
             << clamp[i] << ", " << clamp[i + 1] << "]"
             << (perChannel ? " of channel " + std::to_string(i / 2)
                            : std::string())
             << " must be ordered and inside " << outType << " [" << lo
             << ", " << hi << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// StatsOp
//===----------------------------------------------------------------------===//

LogicalResult StatsOp::verify() {
  // 1. is enforced by AllTypesMatch. 2. per-channel count.
  TensorStatsAttr stats = getStats();
  if (!stats.hasChannelStats())
    return success();
  ArrayRef<int64_t> shape = getInput().getType().getShape();
  int64_t channels = shape.empty() ? 1 : shape.back();
  if (!dimsCompatible(channels,
                      static_cast<int64_t>(stats.getChannelMin().size())))
    return emitOpError("has per-channel statistics for ")
           << stats.getChannelMin().size() << " channels but the value has "
           << channels;
  return success();
}
