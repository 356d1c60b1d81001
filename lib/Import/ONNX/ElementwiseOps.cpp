//===- ElementwiseOps.cpp - Add, Sub, Mul, Relu, Clip, Identity, Dropout --===//
//
// Part of quant-opt. Elementwise ops have no layout of their own: they
// compute in the layout of their operands (NHWC for 4-D tensors), and
// constants are broadcast into that layout on the host.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "mlir/Dialect/Traits.h"

#include "onnx/onnx_pb.h"

#include <cfloat>
#include <cmath>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

/// Streams `shape` as "[a, b, c]".
static void printShape(InFlightDiagnostic &diag, ArrayRef<int64_t> shape) {
  diag << "[";
  llvm::interleave(
      shape, [&](int64_t v) { diag << v; }, [&] { diag << ", "; });
  diag << "]";
}

LogicalResult GraphImporter::importBinary(bool isMul, bool negateRhs) {
  if (failed(checkArity(2, 2)))
    return failure();
  auto lhs = getInput(0), rhs = getInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  SmallVector<int64_t, 4> shape;
  if (!OpTrait::util::getBroadcastedShape((*lhs)->shape, (*rhs)->shape,
                                          shape)) {
    auto diag = emitNodeError() << "operand shapes ";
    printShape(diag, (*lhs)->shape);
    diag << " and ";
    printShape(diag, (*rhs)->shape);
    return diag << " do not broadcast";
  }
  int64_t rank = shape.size();
  Layout layout = chooseLayout({*lhs, *rhs}, rank);
  StringRef outName = getOutputName(0);

  // Operand `i` in `layout`, aligned to the result's rank where the layout
  // is not the ONNX order (NumPy broadcasting aligns dimensions at the
  // right, in ONNX order).
  auto prepare = [&](unsigned i, bool negate) -> FailureOr<Value> {
    const TensorValue &operand = **getInput(i);
    StringRef name = getInputName(i);
    const LazyConstantPtr &constant = operand.constant;
    if (constant && constant->kind == LazyConstant::Kind::Data &&
        constant->data->isFloat()) {
      HostTensor tensor = *constant->data;
      if (negate)
        for (float &v : tensor.floats)
          v = -v;
      if (!isIdentityLayout(layout)) {
        tensor.shape.insert(tensor.shape.begin(), rank - operand.getRank(), 1);
        tensor = permuteTensor(tensor, layout);
        // Leading unit dimensions broadcast anyway: [C, 1, 1] becomes [C].
        while (!tensor.shape.empty() && tensor.shape.front() == 1)
          tensor.shape.erase(tensor.shape.begin());
      }
      int64_t heldRank = tensor.shape.size();
      return materialize(makeConstant(name, std::move(tensor)),
                         getIdentityLayout(heldRank));
    }

    FailureOr<Value> value;
    if (operand.getRank() == rank || isIdentityLayout(layout)) {
      value = getFloatInputValue(i, operand.getRank() == rank
                                        ? layout
                                        : getIdentityLayout(operand.getRank()));
    } else {
      value = getFloatInputValue(i, getIdentityLayout(operand.getRank()));
      if (failed(value))
        return failure();
      SmallVector<int64_t, 4> expanded(rank - operand.getRank(), 1);
      llvm::append_range(expanded, operand.shape);
      Location loc = getAuxLoc(name, "broadcast");
      if (isReshapeLikeTranspose(expanded, layout)) {
        value = createReshape(*value, permute<int64_t>(expanded, layout), loc);
      } else {
        value = createReshape(*value, expanded, getAuxLoc(name, "expand"));
        value = createTranspose(*value, layout, loc);
      }
    }
    if (failed(value) || !negate)
      return value;
    Location loc = getAuxLoc(outName, "neg");
    return MulOp::create(builder, loc, value->getType(), *value,
                         createScalar(-1.0f, loc), /*activation=*/nullptr)
        .getResult();
  };

  auto lhsValue = prepare(0, false);
  if (failed(lhsValue))
    return failure();
  auto rhsValue = prepare(1, negateRhs);
  if (failed(rhsValue))
    return failure();
  auto type = RankedTensorType::get(permute<int64_t>(shape, layout),
                                    builder.getF32Type());
  Location loc = getNameLoc(outName);
  Value result =
      isMul ? MulOp::create(builder, loc, type, *lhsValue, *rhsValue, nullptr)
                  .getResult()
            : AddOp::create(builder, loc, type, *lhsValue, *rhsValue, nullptr)
                  .getResult();
  defineOutput(0, result, layout, shape);
  return success();
}

LogicalResult GraphImporter::importAdd(NodeAttributes &) {
  return importBinary(/*isMul=*/false, /*negateRhs=*/false);
}

LogicalResult GraphImporter::importSub(NodeAttributes &) {
  // a - b = a + (-b): constants are negated on the host, other values
  // multiplied by -1.
  return importBinary(/*isMul=*/false, /*negateRhs=*/true);
}

LogicalResult GraphImporter::importMul(NodeAttributes &) {
  return importBinary(/*isMul=*/true, /*negateRhs=*/false);
}

/// Emits `qnn.activation` of `activation` on input 0, in its preferred
/// layout, as output 0.
static LogicalResult emitActivation(GraphImporter &importer,
                                    ActivationAttr activation) {
  auto input = importer.getInput(0);
  if (failed(input))
    return failure();
  Layout layout = importer.getPreferredLayout(**input);
  auto value = importer.getFloatInputValue(0, layout);
  if (failed(value))
    return failure();
  Value result = ActivationOp::create(
      importer.getBuilder(), importer.getNameLoc(importer.getOutputName(0)),
      value->getType(), *value, activation);
  importer.defineOutput(0, result, layout, (*input)->shape);
  return success();
}

LogicalResult GraphImporter::importRelu(NodeAttributes &) {
  if (failed(checkArity(1, 1)))
    return failure();
  return emitActivation(*this, ActivationAttr::get(ctx, ActivationKind::Relu));
}

LogicalResult GraphImporter::importClip(NodeAttributes &attrs) {
  if (failed(checkArity(1, 3)))
    return failure();
  double bounds[2] = {-INFINITY, INFINITY};
  static const char *const names[2] = {"min", "max"};
  for (int b = 0; b < 2; ++b) {
    // Before opset 11 the bounds are attributes, since then inputs; accept
    // either, not both.
    if (attrs.has(names[b])) {
      float value;
      if (failed(attrs.getFloat(names[b], value)))
        return failure();
      if (hasInput(b + 1))
        return emitNodeError() << "'" << names[b]
                               << "' is given both as attribute and as input";
      bounds[b] = value;
    }
    if (!hasInput(b + 1))
      continue;
    auto tensor = getConstantInput(b + 1, names[b]);
    if (failed(tensor))
      return failure();
    if ((*tensor)->getNumElements() != 1 || !(*tensor)->isFloat())
      return emitNodeError() << "'" << names[b] << "' must be a float scalar";
    bounds[b] = (*tensor)->getDouble(0);
  }
  double lo = bounds[0], hi = bounds[1];
  if (std::isnan(lo) || std::isnan(hi) || lo > hi)
    return emitNodeError() << "unsupported bounds min = " << formatReal(lo)
                           << ", max = " << formatReal(hi);

  // The largest float stands for infinity: the activation bounds are finite.
  bool noUpper = hi >= FLT_MAX, noLower = lo <= -FLT_MAX;
  ActivationAttr activation;
  if (lo == 0.0 && hi == 6.0)
    activation = ActivationAttr::get(ctx, ActivationKind::Relu6);
  else if (lo == 0.0 && noUpper)
    activation = ActivationAttr::get(ctx, ActivationKind::Relu);
  else
    activation = ActivationAttr::get(ctx, ActivationKind::Clamp,
                                     {noLower ? -FLT_MAX : lo},
                                     {noUpper ? FLT_MAX : hi});
  return emitActivation(*this, activation);
}

LogicalResult GraphImporter::importIdentity(NodeAttributes &) {
  if (failed(checkArity(1, 1)))
    return failure();
  auto input = getInput(0);
  if (failed(input))
    return failure();
  aliasOutput(0, **input);
  return success();
}

LogicalResult GraphImporter::importDropout(NodeAttributes &attrs) {
  if (failed(checkArity(1, 3)))
    return failure();
  // Inference: the ratio does not matter (opset 11 has it as an attribute,
  // later opsets as input 1), nor does the seed.
  attrs.ignore("ratio");
  attrs.ignore("seed");
  // Opset 6 means training unless is_test = 1.
  int64_t isTest = opset < 7 ? 0 : 1;
  if (failed(attrs.getInt("is_test", isTest)))
    return failure();
  if (isTest != 1)
    return emitNodeError() << "unsupported is_test = " << isTest
                           << " (only inference, 1, is supported)";
  if (hasInput(2)) {
    auto training = getConstantInput(2, "training_mode");
    if (failed(training))
      return failure();
    if ((*training)->getNumElements() != 1 || (*training)->getDouble(0) != 0)
      return emitNodeError() << "unsupported training_mode = true (only "
                                "inference is supported)";
  }
  auto input = getInput(0);
  if (failed(input))
    return failure();
  // The mask (output 1) is rejected by the driver when something reads it.
  aliasOutput(0, **input);
  return success();
}
