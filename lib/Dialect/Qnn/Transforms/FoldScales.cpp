//===- FoldScales.cpp - The fold-scales pass -------------------------------===//
//
// Part of quant-opt. Turns every Q-form qnn op into the integer (I) form:
// stored integers in and out, i32 accumulators, and qnn.requantize ops that
// carry every scale as a float multiplier (Jacob et al. 2018, section
// 2.2-2.4). docs/Numerics.md gives the rules op by op.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <functional>
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
  SmallVector<int64_t> clamp;      ///< [lo, hi] or one pair per channel
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

/// The clamp of a result on grid `y`: its storage range intersected with
/// the activation's bounds mapped to the grid, `[lo, hi]`, or one pair per
/// channel when per-channel bounds (an equalized relu6) map to different
/// integers.
static SmallVector<int64_t> getIntegerClamp(ActivationAttr activation,
                                            quant::UniformQuantizedType y) {
  int64_t qmin = y.getStorageTypeMin(), qmax = y.getStorageTypeMax();
  if (!activation || activation.getKind() == ActivationKind::None)
    return {qmin, qmax};
  int64_t channels =
      std::max<int64_t>(1, static_cast<int64_t>(activation.getNumBounds()));
  double sy = y.getScale();
  int64_t zy = y.getZeroPoint();
  SmallVector<int64_t> clamp;
  bool uniform = true;
  for (int64_t c = 0; c < channels; ++c) {
    auto [lo, hi] = activation.getBounds(c);
    clamp.push_back(realToCode(lo, sy, zy, qmin, qmax));
    clamp.push_back(realToCode(hi, sy, zy, qmin, qmax));
    uniform &= clamp[2 * c] == clamp[0] && clamp[2 * c + 1] == clamp[1];
  }
  if (uniform)
    clamp.resize(2);
  return clamp;
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
    FailureOr<SmallVector<float>> values = readF32Constant(bias);
    if (failed(values) || static_cast<int64_t>(values->size()) != numOut)
      return op->emitOpError("bias must be an f32 constant (dense or "
                             "dense_resource with data) of ")
                 << numOut << " elements",
             failure();
    for (auto [i, v] : llvm::enumerate(*values))
      realBias[i] = v;
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

  plan.clamp = getIntegerClamp(activation, yType);
  return std::optional<FoldPlan>(std::move(plan));
}

//===----------------------------------------------------------------------===//
// Building blocks of the integer program
//===----------------------------------------------------------------------===//

/// The integer tensor type holding the stored values of quantized `type`.
static RankedTensorType storageTensorType(Type type) {
  auto tensor = cast<RankedTensorType>(type);
  auto q = cast<quant::QuantizedType>(tensor.getElementType());
  return tensor.clone(q.getStorageType());
}

/// The stored integers of the Q value `v`: the integer behind it when `v`
/// is itself a `quant.scast` of one, a new `quant.scast` otherwise.
static Value toStorage(RewriterBase &rewriter, Location loc, Value v) {
  RankedTensorType type = storageTensorType(v.getType());
  if (auto cast = v.getDefiningOp<quant::StorageCastOp>())
    if (cast.getInput().getType() == type)
      return cast.getInput();
  return quant::StorageCastOp::create(rewriter, loc, type, v);
}

/// A per-tensor or per-channel `qnn.requantize` in the float form.
static Value createRequantize(RewriterBase &rewriter, Location loc, Value input,
                              Type resultElement, ArrayRef<double> scales,
                              int64_t axis, int64_t inputZeroPoint,
                              int64_t outputZeroPoint,
                              ArrayRef<int64_t> clamp) {
  auto inType = cast<RankedTensorType>(input.getType());
  return RequantizeOp::create(
      rewriter, loc, inType.clone(resultElement), input,
      rewriter.getDenseF64ArrayAttr(scales), FixedPointMultiplierAttr(),
      rewriter.getI64IntegerAttr(axis),
      rewriter.getI64IntegerAttr(inputZeroPoint),
      rewriter.getI64IntegerAttr(outputZeroPoint),
      rewriter.getDenseI64ArrayAttr(clamp),
      RoundingModeAttr::get(rewriter.getContext(), RoundingMode::Double));
}

/// A requantize of integers whose distance from `inputZeroPoint` is at most
/// `bound`, made precise under double rounding. gemmlowp's double rounding
/// rounds twice, first at 2^shift output units: with a multiplier near 1
/// (shift -1) every value with a fractional part in [0.25, 0.5) rounds up,
/// a bias of a quarter LSB. When the inputs are narrow, they are first
/// widened exactly to i32 by 2^k (k <= 20, bound * 2^k < 2^30), and the
/// multipliers divided by 2^k: the first rounding then errs by at most
/// 2^-(k+1) of an output unit, as in TFLite's ADD with its left shift 20.
static Value createPreciseRequantize(RewriterBase &rewriter, Location loc,
                                     Value input, int64_t bound,
                                     Type resultElement,
                                     ArrayRef<double> scales, int64_t axis,
                                     int64_t inputZeroPoint,
                                     int64_t outputZeroPoint,
                                     ArrayRef<int64_t> clamp) {
  int64_t k = 0;
  while (k < 20 && (std::max<int64_t>(bound, 1) << (k + 1)) < (int64_t(1) << 30))
    ++k;
  if (k == 0)
    return createRequantize(rewriter, loc, input, resultElement, scales, axis,
                            inputZeroPoint, outputZeroPoint, clamp);
  double widen = std::ldexp(1.0, static_cast<int>(k));
  Value wide = createRequantize(
      rewriter, loc, input, rewriter.getI32Type(), {widen}, 0, inputZeroPoint,
      0,
      {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()});
  SmallVector<double> narrowed;
  for (double m : scales)
    narrowed.push_back(m / widen);
  return createRequantize(rewriter, loc, wide, resultElement, narrowed, axis,
                          0, outputZeroPoint, clamp);
}

/// The largest |q - z| of a quantized type's stored values.
static int64_t storageDistance(quant::UniformQuantizedType type) {
  return std::max(type.getStorageTypeMax() - type.getZeroPoint(),
                  type.getZeroPoint() - type.getStorageTypeMin());
}

/// Requantizes the stored integers `v` of grid `from` to grid `to` (the
/// same storage type), saturating to the storage range.
static Value rescale(RewriterBase &rewriter, Location loc, Value v,
                     quant::UniformQuantizedType from,
                     quant::UniformQuantizedType to) {
  if (from == to)
    return v;
  return createPreciseRequantize(
      rewriter, loc, v, storageDistance(from), to.getStorageType(),
      {from.getScale() / to.getScale()}, 0, from.getZeroPoint(),
      to.getZeroPoint(), {to.getStorageTypeMin(), to.getStorageTypeMax()});
}

/// Rewrites one planned conv2d/dense: scast in, I-form op, requantize, scast
/// out.
static void applyFold(RewriterBase &rewriter, const FoldPlan &plan) {
  Operation *op = plan.op;
  Location loc = op->getLoc();
  rewriter.setInsertionPoint(op);
  Value intInput = toStorage(rewriter, loc, op->getOperand(0));

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

  Value requant = createRequantize(
      rewriter, loc, acc, plan.outputStorage, plan.multipliers,
      resultType.getRank() - 1, 0, plan.outputZeroPoint, plan.clamp);
  rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType, requant);
}

//===----------------------------------------------------------------------===//
// Rules of the other ops
//===----------------------------------------------------------------------===//

namespace {

/// The rewrite of one op other than conv2d/dense, planned (and checked)
/// before the IR changes. `apply` builds the integer result; it reads the
/// op's operands when it runs, after the rewrites of their producers.
struct OpPlan {
  Operation *op;
  std::function<Value(RewriterBase &, Location)> apply;
};

} // namespace

/// The left shift of qnn.add's common grid: TFLite's 20 for 8-bit inputs,
/// less for wider ones so that the i32 sum cannot overflow
/// (|q - z| < 2^bits, each rescaled term below 2^(bits + shift - 1)).
static int64_t addLeftShift(unsigned bits) {
  return std::min<int64_t>(20, 30 - static_cast<int64_t>(bits));
}

static FailureOr<OpPlan> planAdd(AddOp op) {
  auto a = perTensorType(op.getLhs().getType());
  auto b = perTensorType(op.getRhs().getType());
  auto y = perTensorType(op.getType());
  SmallVector<int64_t> clamp = getIntegerClamp(op.getActivationAttr(), y);
  unsigned bits = std::max(a.getStorageTypeIntegralWidth(),
                           b.getStorageTypeIntegralWidth());
  int64_t shift = addLeftShift(bits);
  // The common grid s_c = 2 max(s_a, s_b) / 2^shift (multipliers <= 2^(shift-1)).
  double common = 2.0 * std::max(a.getScale(), b.getScale()) /
                  std::ldexp(1.0, static_cast<int>(shift));
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    Type i32 = rewriter.getI32Type();
    int64_t i32Min = std::numeric_limits<int32_t>::min();
    int64_t i32Max = std::numeric_limits<int32_t>::max();
    Value l = createRequantize(rewriter, loc, toStorage(rewriter, loc, op.getLhs()),
                               i32, {a.getScale() / common}, 0,
                               a.getZeroPoint(), 0, {i32Min, i32Max});
    Value r = createRequantize(rewriter, loc, toStorage(rewriter, loc, op.getRhs()),
                               i32, {b.getScale() / common}, 0,
                               b.getZeroPoint(), 0, {i32Min, i32Max});
    auto sumType = cast<RankedTensorType>(op.getType()).clone(i32);
    Value sum = AddOp::create(rewriter, loc, sumType, l, r, ActivationAttr());
    // The channel axis, for a per-channel clamp.
    int64_t axis = sumType.getRank() - 1;
    return createRequantize(rewriter, loc, sum, y.getStorageType(),
                            {common / y.getScale()}, axis, 0, y.getZeroPoint(),
                            clamp);
  }};
}

static FailureOr<OpPlan> planActivation(ActivationOp op) {
  auto x = perTensorType(op.getInput().getType());
  auto y = perTensorType(op.getType());
  SmallVector<int64_t> clamp = getIntegerClamp(op.getKind(), y);
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    int64_t axis = op.getType().getRank() - 1;
    return createPreciseRequantize(
        rewriter, loc, toStorage(rewriter, loc, op.getInput()),
        storageDistance(x), y.getStorageType(), {x.getScale() / y.getScale()},
        axis, x.getZeroPoint(), y.getZeroPoint(), clamp);
  }};
}

static FailureOr<OpPlan> planGlobalAvgPool(GlobalAvgPoolOp op) {
  auto x = perTensorType(op.getInput().getType());
  auto y = perTensorType(op.getType());
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  int64_t count = in[1] * in[2];
  if (x.getStorageTypeIntegralWidth() > 16)
    return op.emitOpError("integer global average pooling needs storage of "
                          "at most 16 bits, got ")
               << x.getStorageType(),
           failure();
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    auto sumType = cast<RankedTensorType>(op.getType())
                       .clone(rewriter.getI32Type());
    Value sum = GlobalAvgPoolOp::create(rewriter, loc, sumType,
                                        toStorage(rewriter, loc, op.getInput()));
    // mean = s_x (sum - HW z_x) / HW on the grid s_y.
    return createPreciseRequantize(
        rewriter, loc, sum, count * storageDistance(x), y.getStorageType(),
        {x.getScale() / (y.getScale() * static_cast<double>(count))}, 0,
        count * x.getZeroPoint(), y.getZeroPoint(),
        {y.getStorageTypeMin(), y.getStorageTypeMax()});
  }};
}

static FailureOr<OpPlan> planMatmul(MatmulOp op) {
  auto a = perTensorType(op.getLhs().getType());
  auto b = perTensorType(op.getRhs().getType());
  auto y = perTensorType(op.getType());
  if (!a || !b)
    return op.emitOpError("both operands must be quantized per tensor"),
           failure();
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    auto accType = cast<RankedTensorType>(op.getType())
                       .clone(rewriter.getI32Type());
    Value acc = MatmulOp::create(
        rewriter, loc, accType, toStorage(rewriter, loc, op.getLhs()),
        toStorage(rewriter, loc, op.getRhs()),
        rewriter.getI64IntegerAttr(a.getZeroPoint()),
        rewriter.getI64IntegerAttr(b.getZeroPoint()));
    return createRequantize(rewriter, loc, acc, y.getStorageType(),
                            {a.getScale() * b.getScale() / y.getScale()}, 0,
                            0, y.getZeroPoint(),
                            {y.getStorageTypeMin(), y.getStorageTypeMax()});
  }};
}

static FailureOr<OpPlan> planConcat(ConcatOp op) {
  auto y = perTensorType(op.getType());
  int64_t axis = op.getAxis();
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    SmallVector<Value> ints;
    for (Value v : op.getInputs())
      ints.push_back(rescale(rewriter, loc, toStorage(rewriter, loc, v),
                             perTensorType(v.getType()), y));
    return ConcatOp::create(rewriter, loc,
                            storageTensorType(op.getType()), ints, axis);
  }};
}

/// max_pool2d, avg_pool2d, reshape, transpose and pad share one grid on
/// input and result; the I form is the same op on the stored integers.
static FailureOr<OpPlan> planSameGrid(Operation *op) {
  auto x = perTensorType(op->getOperand(0).getType());
  auto y = perTensorType(op->getResult(0).getType());
  if (!x || x != y)
    return op->emitOpError("needs one per-tensor quantized type on input and "
                           "result, got ")
               << op->getOperand(0).getType() << " and "
               << op->getResult(0).getType(),
           failure();
  NamedAttrList attrs(op->getAttrDictionary());
  if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
    PaddingAttr p = pool.getPadding();
    bool padded = p.getTop() || p.getLeft() || p.getBottom() || p.getRight();
    if (padded && pool.getDivisor() == PoolDivisor::IncludePad &&
        x.getZeroPoint() != 0)
      return op->emitOpError("include_pad average pooling with padding needs "
                             "zero point 0 (the integer form adds nothing "
                             "for padded positions), got ")
                 << x.getZeroPoint(),
             failure();
  }
  if (auto pad = dyn_cast<PadOp>(op)) {
    // The real pad value becomes its stored integer (exact: verifier).
    double code = std::nearbyint(pad.getValue().convertToDouble() /
                                 x.getScale()) +
                  static_cast<double>(x.getZeroPoint());
    attrs.set(pad.getValueAttrName(),
              FloatAttr::get(Float64Type::get(op->getContext()), code));
  }
  OperationName name = op->getName();
  return OpPlan{op, [=](RewriterBase &rewriter, Location loc) mutable -> Value {
    OperationState state(loc, name);
    state.addOperands(toStorage(rewriter, loc, op->getOperand(0)));
    state.addTypes(storageTensorType(op->getResult(0).getType()));
    state.addAttributes(attrs);
    return rewriter.create(state)->getResult(0);
  }};
}

/// True when `op` is a qnn op in the Q form (its result is quantized).
static bool isQuantizedQnnOp(Operation *op) {
  if (!isa<QnnDialect>(op->getDialect()) || isa<StatsOp>(op) ||
      op->getNumResults() != 1)
    return false;
  return isa<quant::QuantizedType>(
      getElementTypeOrSelf(op->getResult(0).getType()));
}

static FailureOr<OpPlan> planOther(Operation *op) {
  if (auto add = dyn_cast<AddOp>(op))
    return planAdd(add);
  if (auto act = dyn_cast<ActivationOp>(op))
    return planActivation(act);
  if (auto pool = dyn_cast<GlobalAvgPoolOp>(op))
    return planGlobalAvgPool(pool);
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return planMatmul(matmul);
  if (auto concat = dyn_cast<ConcatOp>(op))
    return planConcat(concat);
  if (isa<MaxPool2DOp, AvgPool2DOp, ReshapeOp, TransposeOp, PadOp>(op))
    return planSameGrid(op);
  return op->emitOpError("has no integer rule in --fold-scales (supported: "
                         "conv2d, dense, matmul, add, activation, avg_pool2d, "
                         "max_pool2d, global_avg_pool, concat, pad, reshape, "
                         "transpose); keep it in float with --quantize="
                         "\"keep-float=...\""),
         failure();
}

namespace {
struct FoldScalesPass : qnn::impl::FoldScalesBase<FoldScalesPass> {
  using FoldScalesBase::FoldScalesBase;

  void runOnOperation() override {
    SmallVector<FoldPlan> layerPlans;
    SmallVector<OpPlan> otherPlans;
    bool anyError = false;
    getOperation()->walk([&](Operation *op) {
      if (!isQuantizedQnnOp(op))
        return;
      if (isa<Conv2DOp, DenseOp>(op)) {
        FailureOr<std::optional<FoldPlan>> plan = failure();
        if (auto conv = dyn_cast<Conv2DOp>(op))
          plan = planFold(op, conv.getInput(), conv.getFilter(),
                          conv.getBias(), conv.getActivationAttr());
        else if (auto dense = dyn_cast<DenseOp>(op))
          plan = planFold(op, dense.getInput(), dense.getWeight(),
                          dense.getBias(), dense.getActivationAttr());
        if (failed(plan))
          anyError = true;
        else if (*plan)
          layerPlans.push_back(std::move(**plan));
        else
          anyError = true, op->emitOpError(
                               "input and result must be quantized per "
                               "tensor and the weight quantized for the "
                               "integer form");
        return;
      }
      FailureOr<OpPlan> plan = planOther(op);
      if (failed(plan))
        anyError = true;
      else
        otherPlans.push_back(std::move(*plan));
    });
    if (anyError)
      return signalPassFailure();

    IRRewriter rewriter(&getContext());
    for (const FoldPlan &plan : layerPlans)
      applyFold(rewriter, plan);
    for (const OpPlan &plan : otherPlans) {
      rewriter.setInsertionPoint(plan.op);
      Value result = plan.apply(rewriter, plan.op->getLoc());
      rewriter.replaceOpWithNewOp<quant::StorageCastOp>(
          plan.op, plan.op->getResult(0).getType(), result);
    }
    numFolded += layerPlans.size() + otherPlans.size();

    // scast(scast(x)) back to x's type is x: the chains the rewrites leave
    // between consecutive integer ops.
    getOperation()->walk([&](quant::StorageCastOp cast) {
      auto inner = cast.getInput().getDefiningOp<quant::StorageCastOp>();
      if (inner && inner.getInput().getType() == cast.getType())
        cast.replaceAllUsesWith(inner.getInput());
    });
    getOperation()->walk([&](quant::StorageCastOp cast) {
      if (cast->use_empty())
        cast->erase();
    });
  }
};
} // namespace
