//===- FoldScales.cpp - The fold-scales pass -------------------------------===//
//
// Part of quant-opt. Turns Q-form qnn.conv2d and qnn.dense into the integer
// (I) form: stored integers in, i32 accumulator out, and a qnn.requantize
// carrying the float multipliers s_x * s_w[o] / s_y (Jacob et al. 2018,
// section 2.2-2.4). docs/Numerics.md gives the rules.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qnn {
#define GEN_PASS_DEF_FOLDSCALES
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {

/// Everything the I form of one conv2d/dense needs, computed before any IR
/// changes so that an error leaves the module untouched.
struct FoldPlan {
  Operation *op;
  Value intFilter;                  ///< the integer weight constant
  SmallVector<int32_t> bias;        ///< per output channel, zero-point term in
  SmallVector<double> multipliers;  ///< s_x * s_w[o] / s_y
  int64_t inputZeroPoint;
  int64_t outputZeroPoint;
  int64_t clampMin, clampMax;
  IntegerType inputStorage, outputStorage;
};

} // namespace

static quant::UniformQuantizedType perTensorType(Type type) {
  return dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
}

/// The grid code of real value `v`, rounded half away from zero, saturated to
/// [lo, hi]; infinities go to the ends.
static int64_t realToCode(double v, double scale, int64_t zeroPoint,
                          int64_t lo, int64_t hi) {
  if (std::isinf(v))
    return v < 0 ? lo : hi;
  double code = std::round(v / scale) + static_cast<double>(zeroPoint);
  return static_cast<int64_t>(
      std::clamp<double>(code, static_cast<double>(lo),
                         static_cast<double>(hi)));
}

/// Plans the fold of a Q-form conv2d or dense; std::nullopt (no error) when
/// the op is not in the Q form and is left alone.
static FailureOr<std::optional<FoldPlan>>
planFold(Operation *op, Value input, Value filter, Value bias,
         ActivationAttr activation) {
  auto xType = perTensorType(input.getType());
  auto yType = perTensorType(op->getResult(0).getType());
  Type wElem = getElementTypeOrSelf(filter.getType());
  if (!xType || !yType || !isa<quant::QuantizedType>(wElem))
    return std::optional<FoldPlan>();

  auto scast = filter.getDefiningOp<quant::StorageCastOp>();
  DenseIntElementsAttr codes;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&codes)))
    return op->emitOpError("weight must be an integer constant behind a "
                           "quant.scast (as --quantize produces)"),
           failure();

  auto wShape = cast<RankedTensorType>(filter.getType()).getShape();
  int64_t numOut = wShape[0];
  int64_t perOut = codes.getNumElements() / numOut;
  SmallVector<double> wScales;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(wElem)) {
    if (perAxis.getQuantizedDimension() != 0)
      return op->emitOpError("per-axis weight must be quantized along axis "
                             "0, got ")
                 << perAxis.getQuantizedDimension(),
             failure();
    for (auto [s, z] : llvm::zip(perAxis.getScales(), perAxis.getZeroPoints())) {
      if (z != 0)
        return op->emitOpError("weight zero point must be 0, got ") << z,
               failure();
      wScales.push_back(s);
    }
  } else if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(wElem)) {
    if (perTensor.getZeroPoint() != 0)
      return op->emitOpError("weight zero point must be 0, got ")
                 << perTensor.getZeroPoint(),
             failure();
    wScales.assign(numOut, perTensor.getScale());
  } else {
    return op->emitOpError("unsupported weight type ") << wElem, failure();
  }

  SmallVector<double> realBias(numOut, 0.0);
  if (bias) {
    DenseFPElementsAttr values;
    if (!getElementTypeOrSelf(bias.getType()).isF32() ||
        !matchPattern(bias, m_Constant(&values)))
      return op->emitOpError("bias must be an f32 constant"), failure();
    for (auto [i, v] : llvm::enumerate(values.getValues<APFloat>()))
      realBias[i] = v.convertToDouble();
  }

  FoldPlan plan;
  plan.op = op;
  plan.intFilter = scast.getInput();
  plan.inputZeroPoint = xType.getZeroPoint();
  plan.outputZeroPoint = yType.getZeroPoint();
  plan.inputStorage = cast<IntegerType>(xType.getStorageType());
  plan.outputStorage = cast<IntegerType>(yType.getStorageType());
  double sx = xType.getScale(), sy = yType.getScale();

  // Σ w[o, ...] over each output channel's filter.
  SmallVector<int64_t> sums(numOut, 0);
  for (auto [i, w] : llvm::enumerate(codes.getValues<APInt>()))
    sums[i / perOut] += w.getSExtValue();

  for (int64_t o = 0; o < numOut; ++o) {
    double accScale = sx * wScales[o];
    // acc = Σ (q_x - z_x) q_w + b / (s_x s_w) = Σ q_x q_w + bias[o].
    double q = std::nearbyint(realBias[o] / accScale) -
               static_cast<double>(plan.inputZeroPoint) * sums[o];
    if (!(q >= std::numeric_limits<int32_t>::min() &&
          q <= std::numeric_limits<int32_t>::max()))
      return op->emitOpError("int32 bias of channel ")
                 << o << " overflows: " << q,
             failure();
    plan.bias.push_back(static_cast<int32_t>(q));
    plan.multipliers.push_back(accScale / sy);
  }

  // Clamp: the storage range intersected with the activation's bounds on the
  // output grid. One clamp serves every channel, so per-channel bounds must
  // agree once mapped to integers.
  int64_t qmin = yType.getStorageTypeMin(), qmax = yType.getStorageTypeMax();
  plan.clampMin = qmin;
  plan.clampMax = qmax;
  if (activation && activation.getKind() != ActivationKind::None) {
    int64_t channels =
        std::max<int64_t>(1, static_cast<int64_t>(activation.getNumBounds()));
    for (int64_t c = 0; c < channels; ++c) {
      auto [lo, hi] = activation.getBounds(c);
      int64_t qlo = realToCode(lo, sy, plan.outputZeroPoint, qmin, qmax);
      int64_t qhi = realToCode(hi, sy, plan.outputZeroPoint, qmin, qmax);
      if (c > 0 && (qlo != plan.clampMin || qhi != plan.clampMax))
        return op->emitOpError("per-channel activation bounds give different "
                               "integer clamps: channel ")
                   << c << " gets [" << qlo << ", " << qhi
                   << "], channel 0 gets [" << plan.clampMin << ", "
                   << plan.clampMax << "]",
               failure();
      plan.clampMin = qlo;
      plan.clampMax = qhi;
    }
  }
  return std::optional<FoldPlan>(std::move(plan));
}

/// Rewrites one planned op: scast in, I-form op, requantize, scast out.
static void applyFold(RewriterBase &rewriter, const FoldPlan &plan) {
  Operation *op = plan.op;
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);
  Value input = op->getOperand(0);
  auto inType = cast<RankedTensorType>(input.getType());
  Value intInput = quant::StorageCastOp::create(
      rewriter, loc, inType.clone(plan.inputStorage), input);

  auto i32 = rewriter.getI32Type();
  auto biasType =
      RankedTensorType::get({static_cast<int64_t>(plan.bias.size())}, i32);
  Value bias = arith::ConstantOp::create(
      rewriter, loc, biasType,
      DenseIntElementsAttr::get(biasType, ArrayRef<int32_t>(plan.bias)));

  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto accType = resultType.clone(i32);
  IntegerAttr zx = rewriter.getI64IntegerAttr(plan.inputZeroPoint);
  Value acc;
  if (auto conv = dyn_cast<Conv2DOp>(op))
    acc = Conv2DOp::create(rewriter, loc, accType, intInput, plan.intFilter,
                           bias, conv.getStridesAttr(),
                           conv.getDilationsAttr(), conv.getPaddingAttr(),
                           conv.getGroupsAttr(), ActivationAttr(), zx);
  else
    acc = DenseOp::create(rewriter, loc, accType, intInput, plan.intFilter,
                          bias, ActivationAttr(), zx);

  int64_t axis = resultType.getRank() - 1;
  Value requant = RequantizeOp::create(
      rewriter, loc, resultType.clone(plan.outputStorage), acc,
      rewriter.getDenseF64ArrayAttr(plan.multipliers),
      FixedPointMultiplierAttr(), rewriter.getI64IntegerAttr(axis),
      rewriter.getI64IntegerAttr(0),
      rewriter.getI64IntegerAttr(plan.outputZeroPoint),
      rewriter.getDenseI64ArrayAttr({plan.clampMin, plan.clampMax}),
      RoundingModeAttr::get(rewriter.getContext(), RoundingMode::Double));
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType, requant);
}

namespace {
struct FoldScalesPass : qnn::impl::FoldScalesBase<FoldScalesPass> {
  using FoldScalesBase::FoldScalesBase;

  void runOnOperation() override {
    SmallVector<FoldPlan> plans;
    bool anyError = false;
    getOperation()->walk([&](Operation *op) {
      FailureOr<std::optional<FoldPlan>> plan = failure();
      if (auto conv = dyn_cast<Conv2DOp>(op))
        plan = planFold(op, conv.getInput(), conv.getFilter(), conv.getBias(),
                        conv.getActivationAttr());
      else if (auto dense = dyn_cast<DenseOp>(op))
        plan = planFold(op, dense.getInput(), dense.getWeight(),
                        dense.getBias(), dense.getActivationAttr());
      else
        return;
      if (failed(plan))
        anyError = true;
      else if (*plan)
        plans.push_back(std::move(**plan));
    });
    if (anyError)
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    for (const FoldPlan &plan : plans)
      applyFold(rewriter, plan);
    numFolded += plans.size();
  }
};
} // namespace
