//===- LinearOps.cpp - Gemm and MatMul ------------------------------------===//
//
// Part of quant-opt. A constant right-hand side makes a `qnn.dense` with an
// output-channel-first weight [O, K] (transposed on the host), Gemm's alpha
// and beta folded into the weight and the bias where they are float
// constants; a computed right-hand side makes a `qnn.matmul`.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

/// True when `value` is a float constant: host data, or a dequantized
/// constant (a weight of a QDQ model).
static bool isFloatConstant(const TensorValue &value) {
  if (!value.constant)
    return false;
  return value.constant->kind == LazyConstant::Kind::Dequantize ||
         (value.constant->kind == LazyConstant::Kind::Data &&
          value.constant->data->isFloat());
}

/// True when `value` is float host data.
static bool isFloatData(const TensorValue &value) {
  return value.constant && value.constant->kind == LazyConstant::Kind::Data &&
         value.constant->data->isFloat();
}

/// Streams `shape` as "[a, b, c]".
static void printShape(InFlightDiagnostic &diag, ArrayRef<int64_t> shape) {
  diag << "[";
  llvm::interleave(
      shape, [&](int64_t v) { diag << v; }, [&] { diag << ", "; });
  diag << "]";
}

LogicalResult GraphImporter::importGemm(NodeAttributes &attrs) {
  if (failed(checkArity(2, 3)))
    return failure();
  float alpha = 1.0f, beta = 1.0f;
  int64_t transA = 0, transB = 0;
  if (failed(attrs.getFloat("alpha", alpha)) ||
      failed(attrs.getFloat("beta", beta)) ||
      failed(attrs.getInt("transA", transA)) ||
      failed(attrs.getInt("transB", transB)))
    return failure();
  if ((transA != 0 && transA != 1) || (transB != 0 && transB != 1))
    return emitNodeError() << "unsupported transA = " << transA
                           << ", transB = " << transB << " (expected 0 or 1)";
  auto a = getInput(0), b = getInput(1);
  if (failed(a) || failed(b))
    return failure();
  if ((*a)->getRank() != 2 || (*b)->getRank() != 2)
    return emitNodeError() << "A and B must be 2-D, got ranks "
                           << (*a)->getRank() << " and " << (*b)->getRank();
  int64_t m = (*a)->shape[transA], k = (*a)->shape[1 - transA];
  int64_t kB = (*b)->shape[transB], n = (*b)->shape[1 - transB];
  if (k != kB)
    return emitNodeError() << "inner dimensions differ: A gives K = " << k
                           << ", B gives K = " << kB;
  const TensorValue *c = nullptr;
  if (hasInput(2)) {
    auto cInput = getInput(2);
    if (failed(cInput))
      return failure();
    c = *cInput;
    SmallVector<int64_t, 2> padded(2 - std::min<int64_t>(c->getRank(), 2), 1);
    llvm::append_range(padded, c->shape);
    if (c->getRank() > 2 || (padded[0] != 1 && padded[0] != m) ||
        (padded[1] != 1 && padded[1] != n)) {
      auto diag = emitNodeError() << "C of shape ";
      printShape(diag, c->shape);
      return diag << " does not broadcast to [" << m << ", " << n << "]";
    }
  }
  StringRef outName = getOutputName(0);
  auto input = getFloatInputValue(0, transA ? Layout{1, 0} : Layout{0, 1});
  if (failed(input))
    return failure();

  // alpha folds into a float weight; otherwise it multiplies the product.
  bool useDense = isFloatConstant(**b);
  bool foldAlpha = alpha == 1.0f || (useDense && isFloatData(**b));
  // C becomes the bias when it is a constant that does not vary along M and
  // can take beta.
  bool cIsRow = c && (c->getRank() < 2 || c->shape[0] == 1);
  bool foldC = c && useDense && foldAlpha && cIsRow &&
               (isFloatData(*c) || (isFloatConstant(*c) && beta == 1.0f &&
                                    c->shape == ArrayRef<int64_t>{n}));
  bool hasPostOps = !foldAlpha || (c && !foldC);
  Location productLoc =
      hasPostOps ? getAuxLoc(outName, "product") : getNameLoc(outName);
  auto productType = RankedTensorType::get({m, n}, builder.getF32Type());

  Value product;
  if (useDense) {
    // The weight is [N, K]: B itself when transB, else B transposed.
    Value weight;
    if (alpha != 1.0f && foldAlpha) {
      const HostTensor &data = *(*b)->constant->data;
      HostTensor scaled = transB ? data : permuteTensor(data, {1, 0});
      for (float &v : scaled.floats)
        v *= alpha;
      weight =
          materialize(makeConstant(getInputName(1), std::move(scaled)), {0, 1});
    } else {
      auto w = getFloatInputValue(1, transB ? Layout{0, 1} : Layout{1, 0});
      if (failed(w))
        return failure();
      weight = *w;
    }
    Value bias;
    if (foldC && isFloatData(*c)) {
      const HostTensor &data = *c->constant->data;
      HostTensor vector;
      vector.shape = {n};
      for (int64_t j = 0; j < n; ++j)
        vector.floats.push_back(
            beta * data.floats[data.getNumElements() == 1 ? 0 : j]);
      bias = materialize(makeConstant(getInputName(2), std::move(vector)), {0});
    } else if (foldC) {
      auto biasValue = getFloatInputValue(2, {0});
      if (failed(biasValue))
        return failure();
      bias = *biasValue;
    }
    product = DenseOp::create(builder, productLoc, productType, *input, weight,
                              bias, /*activation=*/nullptr,
                              /*input_zero_point=*/nullptr);
  } else {
    auto rhs = getFloatInputValue(1, transB ? Layout{1, 0} : Layout{0, 1});
    if (failed(rhs))
      return failure();
    product = MatmulOp::create(builder, productLoc, productType, *input, *rhs,
                               nullptr, nullptr);
  }

  Value result = product;
  if (!foldAlpha) {
    Location loc = c ? getAuxLoc(outName, "alpha") : getNameLoc(outName);
    result = MulOp::create(builder, loc, productType, result,
                           createScalar(alpha, loc), nullptr);
  }
  if (c && !foldC) {
    Value cValue;
    if (isFloatData(*c) && beta != 1.0f) {
      HostTensor scaled = *c->constant->data;
      for (float &v : scaled.floats)
        v *= beta;
      cValue = materialize(makeConstant(getInputName(2), std::move(scaled)),
                           getIdentityLayout(c->getRank()));
    } else {
      auto value = getFloatInputValue(2, getIdentityLayout(c->getRank()));
      if (failed(value))
        return failure();
      cValue = *value;
      if (beta != 1.0f) {
        Location loc = getAuxLoc(outName, "beta");
        cValue = MulOp::create(builder, loc, cValue.getType(), cValue,
                               createScalar(beta, loc), nullptr);
      }
    }
    result = AddOp::create(builder, getNameLoc(outName), productType, result,
                           cValue, nullptr);
  }
  defineOutput(0, result, {0, 1}, {m, n});
  return success();
}

LogicalResult GraphImporter::importMatMul(NodeAttributes &) {
  if (failed(checkArity(2, 2)))
    return failure();
  auto a = getInput(0), b = getInput(1);
  if (failed(a) || failed(b))
    return failure();
  ArrayRef<int64_t> aShape = (*a)->shape, bShape = (*b)->shape;
  int64_t rank = aShape.size();
  StringRef outName = getOutputName(0);
  auto unsupported = [&]() -> LogicalResult {
    auto diag = emitNodeError() << "unsupported operand shapes ";
    printShape(diag, aShape);
    diag << " and ";
    printShape(diag, bShape);
    return diag << " (1-D operands and broadcast batch dimensions are not "
                   "supported)";
  };
  if (rank < 2 || bShape.size() < 2)
    return unsupported();
  if (aShape.back() != bShape[bShape.size() - 2])
    return emitNodeError() << "inner dimensions differ: " << aShape.back()
                           << " and " << bShape[bShape.size() - 2];

  // A constant 2-D right-hand side is a dense layer's weight.
  if (bShape.size() == 2 && isFloatConstant(**b)) {
    int64_t k = bShape[0], n = bShape[1];
    auto weight = getFloatInputValue(1, {1, 0});
    auto input = getFloatInputValue(0, getIdentityLayout(rank));
    if (failed(weight) || failed(input))
      return failure();
    int64_t rows = 1;
    for (int64_t d : aShape.drop_back())
      rows *= d;
    Value flat = createReshape(*input, {rows, k}, getAuxLoc(outName, "rows"));
    auto type = RankedTensorType::get({rows, n}, builder.getF32Type());
    Location loc =
        rank == 2 ? getNameLoc(outName) : getAuxLoc(outName, "product");
    Value result = DenseOp::create(builder, loc, type, flat, *weight,
                                   /*bias=*/nullptr, nullptr, nullptr);
    SmallVector<int64_t, 4> shape(aShape.drop_back());
    shape.push_back(n);
    if (rank != 2)
      result = createReshape(result, shape, getNameLoc(outName));
    defineOutput(0, result, getIdentityLayout(rank), shape);
    return success();
  }

  if (bShape.size() != aShape.size() ||
      aShape.drop_back(2) != bShape.drop_back(2))
    return unsupported();
  auto lhs = getFloatInputValue(0, getIdentityLayout(rank));
  auto rhs = getFloatInputValue(1, getIdentityLayout(rank));
  if (failed(lhs) || failed(rhs))
    return failure();
  SmallVector<int64_t, 4> shape(aShape.drop_back());
  shape.push_back(bShape.back());
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  Value result = MatmulOp::create(builder, getNameLoc(outName), type, *lhs,
                                  *rhs, nullptr, nullptr);
  defineOutput(0, result, getIdentityLayout(rank), shape);
  return success();
}
