//===- Quantize.cpp - The quantize pass -----------------------------------===//
//
// Part of quant-opt. From the float form with qnn.stats to the Q form on
// !quant.uniform types (Jacob et al. 2018, section 2: affine quantization;
// weights symmetric with zero point 0, section 2.3). The range and grid math
// lives in qnn/Calibration/RangeSelection.h; this file decides which values
// are quantized, quantizes the weight constants and rewrites the types.
//
// The pass plans first (which ops take the Q form, each value's type, every
// error) on the untouched IR, then rewrites: an error leaves the module as
// it was.
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/RangeSelection.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Transforms/StatsConversion.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>

namespace qnn {
#define GEN_PASS_DEF_QUANTIZE
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// The scale of a dead weight channel: float32 epsilon, the smallest scale
/// the activation ranges use too (RangeSelection.cpp, kMinScale).
static constexpr double kDeadChannelScale = 1.0 / (1 << 23);

/// The largest |bias| / (s_x * s_w[o]) a weight scale may imply: 2^30
/// leaves room in int32 for --fold-scales' zero-point term z_x * sum(w).
/// A channel whose weights are so small that this would be exceeded (VWW's
/// "dead" kernels of 1e-31 carry their output in the bias alone) gets the
/// larger scale |b| / (s_x * 2^30), on which its weights round to 0.
static constexpr double kBiasBudget = 1073741824.0;

namespace {

/// How an op is treated.
enum class OpKind {
  /// Result quantized from its own statistics.
  Compute,
  /// Result shares its input's quantized type.
  PassThrough,
  /// Stays float.
  Float,
};

OpKind classify(Operation *op) {
  if (isa<Conv2DOp, DenseOp, MatmulOp, AddOp, MulOp, GlobalAvgPoolOp,
          ActivationOp, ConcatOp>(op))
    return OpKind::Compute;
  if (isa<MaxPool2DOp, AvgPool2DOp, ReshapeOp, TransposeOp>(op))
    return OpKind::PassThrough;
  // A pad of real 0 is exact on any grid (the zero point); other values
  // generally are not grid points.
  if (auto pad = dyn_cast<PadOp>(op))
    return pad.getValue().convertToDouble() == 0.0 ? OpKind::PassThrough
                                                   : OpKind::Float;
  return OpKind::Float;
}

/// The operand index of the constant weight of a layer, if any.
std::optional<unsigned> getWeightOperand(Operation *op) {
  if (isa<Conv2DOp, DenseOp>(op))
    return 1;
  return std::nullopt;
}

/// The bias operand is left float.
bool isBiasOperand(Operation *op, unsigned index) {
  return isa<Conv2DOp, DenseOp>(op) && index == 2;
}

struct QuantizePass : qnn::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;

  void runOnOperation() override;

private:
  /// Checks the options and fills the schemes; false after an error.
  bool parseOptions();
  /// Plans `func` and, when `rewrite`, rewrites it; planning alone reports
  /// every error without changing anything.
  LogicalResult runOnFunction(func::FuncOp func, bool rewrite);
  /// The quantized type of an activation with statistics `attr`.
  FailureOr<quant::UniformQuantizedType>
  getActivationType(StatsOp op);
  /// Quantizes `constant` for a layer with `numChannels` outputs; returns
  /// the storage constant's attribute and the quantized element type.
  FailureOr<std::pair<DenseElementsAttr, quant::QuantizedType>>
  quantizeWeight(arith::ConstantOp constant, ArrayRef<double> scaleFloor);

  calib::QuantScheme activationScheme, weightScheme;
  calib::RangeOptions rangeOptions;
  bool perChannel = true;
  /// Statistics are counted on the rewriting run only.
  bool counting = false;
  llvm::StringSet<> keepFloatNames;
};

} // namespace

bool QuantizePass::parseOptions() {
  Location loc = getOperation().getLoc();
  if (weights != "per-channel" && weights != "per-tensor") {
    emitError(loc) << "unknown weights granularity '" << weights
                   << "', expected per-channel or per-tensor";
    return false;
  }
  perChannel = weights == "per-channel";
  if (activations != "asymmetric" && activations != "symmetric") {
    emitError(loc) << "unknown activations scheme '" << activations
                   << "', expected asymmetric or symmetric";
    return false;
  }
  for (auto [name, bits] : {std::pair<StringRef, unsigned>{"weight-bits",
                                                           weightBits},
                            {"activation-bits", activationBits}}) {
    if (bits < 2 || bits > 16) {
      emitError(loc) << name << " must be in [2, 16], got " << bits;
      return false;
    }
  }
  std::optional<calib::CalibrationMethod> method =
      calib::parseCalibrationMethod(calibration);
  if (!method) {
    emitError(loc) << "unknown calibration method '" << calibration
                   << "', expected minmax, percentile, mse or kl";
    return false;
  }
  if (!(percentile > 0 && percentile <= 100)) {
    emitError(loc) << "percentile must be in (0, 100], got " << percentile;
    return false;
  }
  // Signed storage for activations: the grid of TFLite's int8 scheme and of
  // the int8 weights, so one storage type runs through the graph; the CPU
  // back end may choose u8 (VNNI multiplies u8 x s8) when it lowers.
  activationScheme = {activationBits, /*isSigned=*/true,
                      /*symmetric=*/activations == "symmetric",
                      /*narrowRange=*/false};
  weightScheme = {weightBits, /*isSigned=*/true, /*symmetric=*/true,
                  /*narrowRange=*/narrowRange};
  rangeOptions.method = *method;
  rangeOptions.percentile = percentile;
  keepFloatNames.clear();
  for (const std::string &name : keepFloat)
    keepFloatNames.insert(name);
  return true;
}

FailureOr<quant::UniformQuantizedType>
QuantizePass::getActivationType(StatsOp op) {
  std::string name = getTensorName(op.getLoc()).value_or("<unnamed>");
  calib::TensorStatistics stats = getTensorStatistics(op.getStats(), name);
  llvm::Expected<calib::Range> range =
      calib::selectRange(stats, activationScheme, rangeOptions);
  if (!range) {
    op.emitOpError() << toString(range.takeError());
    return failure();
  }
  calib::QuantParams params =
      calib::computeQuantParams(*range, activationScheme);
  MLIRContext *context = op.getContext();
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed,
      IntegerType::get(context, activationScheme.bits),
      Float32Type::get(context), params.scale, params.zeroPoint, params.qmin,
      params.qmax);
}

FailureOr<std::pair<DenseElementsAttr, quant::QuantizedType>>
QuantizePass::quantizeWeight(arith::ConstantOp constant,
                             ArrayRef<double> scaleFloor) {
  auto type = cast<RankedTensorType>(constant.getType());
  auto attr = dyn_cast<ElementsAttr>(constant.getValue());
  FailureOr<SmallVector<float>> values =
      attr ? readF32Elements(attr) : FailureOr<SmallVector<float>>(failure());
  if (failed(values)) {
    constant.emitOpError()
        << "weight data cannot be read (f32 dense or dense_resource "
           "elements with their data are needed)";
    return failure();
  }
  const int64_t qmax = weightScheme.qmax();
  const int64_t qmin = weightScheme.qmin();
  const int64_t channels = perChannel ? type.getDimSize(0) : 1;
  const int64_t perChannelSize =
      channels == 0 ? 0 : static_cast<int64_t>(values->size()) / channels;
  SmallVector<double> scales(channels);
  for (int64_t c = 0; c < channels; ++c) {
    float amax = 0;
    for (int64_t i = 0; i < perChannelSize; ++i)
      amax = std::max(amax, std::fabs((*values)[c * perChannelSize + i]));
    // A dead channel quantizes to zeros on any grid; its scale must still
    // be positive for the type and for --fold-scales' multipliers.
    if (amax == 0) {
      scales[c] = kDeadChannelScale;
      numDeadChannels += counting;
    } else {
      scales[c] = static_cast<double>(amax) / qmax;
    }
    // The floor that keeps the channel's i32 bias representable (see
    // getBiasScaleFloor): weights that small quantize to 0.
    double floor = 0;
    for (int64_t o = 0; o < static_cast<int64_t>(scaleFloor.size()); ++o)
      if (perChannel ? o == c : true)
        floor = std::max(floor, scaleFloor[o]);
    if (floor > scales[c]) {
      scales[c] = floor;
      numBiasLimitedChannels += counting;
    }
  }
  // Round half to even (std::nearbyint in the default rounding mode), the
  // rounding of TFLite's and PyTorch's weight quantizers; symmetric, so
  // w and -w get opposite codes.
  SmallVector<APInt> codes;
  codes.reserve(values->size());
  for (auto [i, w] : llvm::enumerate(*values)) {
    double scale = scales[perChannelSize == 0 ? 0 : i / perChannelSize];
    double q = std::clamp<double>(std::nearbyint(w / scale), -qmax, qmax);
    codes.push_back(APInt(weightScheme.bits, static_cast<int64_t>(q),
                          /*isSigned=*/true));
  }
  MLIRContext *context = constant.getContext();
  auto storage = IntegerType::get(context, weightScheme.bits);
  auto expressed = Float32Type::get(context);
  quant::QuantizedType elementType;
  if (perChannel)
    elementType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, storage, expressed, scales,
        SmallVector<int64_t>(channels, 0), /*quantizedDimension=*/0, qmin,
        qmax);
  else
    elementType = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, storage, expressed, scales[0], 0,
        qmin, qmax);
  auto intType = RankedTensorType::get(type.getShape(), storage);
  return std::make_pair(DenseElementsAttr::get(intType, codes), elementType);
}

/// `type`'s shape with element type `element`.
static RankedTensorType withElement(Type type, Type element) {
  return cast<RankedTensorType>(type).clone(element);
}

/// The value a qnn.stats chain stands for.
static Value stripStats(Value value) {
  while (auto stats = value.getDefiningOp<StatsOp>())
    value = stats.getInput();
  return value;
}

static std::string nameOf(Value value) {
  return getTensorName(value).value_or("<unnamed>");
}

LogicalResult QuantizePass::runOnFunction(func::FuncOp func, bool rewrite) {
  counting = rewrite;
  if (func.isExternal())
    return success();

  //===--------------------------------------------------------------------===//
  // Plan on the untouched IR.
  //===--------------------------------------------------------------------===//

  // Quantized type of each activation with statistics (the stats' input).
  DenseMap<Value, quant::UniformQuantizedType> statsType;
  SmallVector<StatsOp> statsOps;
  bool failedAny = false;
  func.walk([&](StatsOp op) {
    statsOps.push_back(op);
    FailureOr<quant::UniformQuantizedType> type = getActivationType(op);
    if (failed(type)) {
      failedAny = true;
      return;
    }
    statsType[stripStats(op.getInput())] = *type;
  });
  if (failedAny)
    return failure();

  // Values that are produced with a quantized type, and the ops that take
  // the Q form with their result element type.
  DenseMap<Value, quant::UniformQuantizedType> producedType;
  if (integerIO)
    for (BlockArgument arg : func.getArguments())
      if (auto it = statsType.find(arg); it != statsType.end())
        producedType[arg] = it->second;
  auto availableType = [&](Value v) -> quant::UniformQuantizedType {
    v = stripStats(v);
    if (auto it = producedType.find(v); it != producedType.end())
      return it->second;
    if (auto it = statsType.find(v); it != statsType.end())
      return it->second;
    return {};
  };

  llvm::MapVector<Operation *, quant::UniformQuantizedType> quantizedOps;
  // Pass-through ops whose input has no type of its own take the result's.
  DenseMap<Operation *, quant::UniformQuantizedType> inputCastType;
  SetVector<Operation *> weightConstants;
  func.walk([&](Operation *op) {
    if (failedAny || !isa<QnnDialect>(op->getDialect()) || isa<StatsOp>(op))
      return;
    OpKind kind = classify(op);
    std::optional<std::string> name = getTensorName(op->getLoc());
    if (kind != OpKind::Float && name && keepFloatNames.contains(*name))
      kind = OpKind::Float;
    if (kind == OpKind::Float || op->getNumResults() != 1) {
      numFloatOps += counting;
      return;
    }
    Value result = op->getResult(0);
    if (kind == OpKind::PassThrough) {
      Value input = op->getOperand(0);
      if (quant::UniformQuantizedType type = availableType(input)) {
        quantizedOps[op] = type;
        producedType[result] = type;
      } else if (auto it = statsType.find(result); it != statsType.end()) {
        quantizedOps[op] = it->second;
        inputCastType[op] = it->second;
        producedType[result] = it->second;
      } else {
        numFloatOps += counting;
      }
      return;
    }
    auto it = statsType.find(result);
    if (it == statsType.end()) {
      // No statistics on the output: the op stays float.
      numFloatOps += counting;
      return;
    }
    std::optional<unsigned> weightIndex = getWeightOperand(op);
    for (OpOperand &operand : op->getOpOperands()) {
      unsigned index = operand.getOperandNumber();
      if (isBiasOperand(op, index))
        continue;
      Value value = stripStats(operand.get());
      if (weightIndex && index == *weightIndex) {
        auto constant = value.getDefiningOp<arith::ConstantOp>();
        if (!constant) {
          op->emitOpError() << "weight '" << nameOf(value)
                            << "' is not a constant and cannot be quantized";
          failedAny = true;
          return;
        }
        weightConstants.insert(constant);
        continue;
      }
      if (!availableType(value)) {
        op->emitOpError() << "input '" << nameOf(value)
                          << "' has no statistics (qnn.stats) and the op "
                             "must be quantized: its result '"
                          << name.value_or("<unnamed>") << "' has statistics";
        failedAny = true;
        return;
      }
    }
    quantizedOps[op] = it->second;
    producedType[result] = it->second;
  });
  if (failedAny)
    return failure();

  // Weights, quantized once each even when shared.
  DenseMap<Operation *, std::pair<DenseElementsAttr, quant::QuantizedType>>
      quantizedWeights;
  for (Operation *op : weightConstants) {
    // The bias of every layer reading this weight must stay representable
    // as int32 on the accumulator grid s_x * s_w[o].
    SmallVector<double> floor;
    for (Operation *user : op->getUsers()) {
      auto layerType = quantizedOps.find(user);
      if (layerType == quantizedOps.end() || !isa<Conv2DOp, DenseOp>(user) ||
          user->getNumOperands() < 3)
        continue;
      quant::UniformQuantizedType inputType =
          availableType(user->getOperand(0));
      FailureOr<SmallVector<float>> bias =
          readF32Constant(stripStats(user->getOperand(2)));
      if (!inputType || failed(bias))
        continue;
      floor.resize(std::max(floor.size(), bias->size()), 0.0);
      for (auto [o, b] : llvm::enumerate(*bias))
        floor[o] = std::max(floor[o], std::fabs(static_cast<double>(b)) /
                                          (inputType.getScale() *
                                           kBiasBudget));
    }
    auto result = quantizeWeight(cast<arith::ConstantOp>(op), floor);
    if (failed(result))
      return failure();
    quantizedWeights[op] = *result;
  }
  if (!rewrite)
    return success();

  //===--------------------------------------------------------------------===//
  // Rewrite.
  //===--------------------------------------------------------------------===//

  IRRewriter rewriter(func.getContext());
  // What --correct-bias needs once the statistics are gone: the calibrated
  // per-channel mean of each layer's input.
  for (auto &[op, type] : quantizedOps) {
    if (!isa<Conv2DOp, DenseOp>(op))
      continue;
    auto stats = op->getOperand(0).getDefiningOp<StatsOp>();
    if (!stats)
      continue;
    ArrayRef<double> mean = stats.getStats().getChannelMean().asArrayRef();
    auto inputType = cast<RankedTensorType>(op->getOperand(0).getType());
    if (!mean.empty() &&
        static_cast<int64_t>(mean.size()) == inputType.getShape().back())
      op->setAttr(kInputMeanAttr,
                  DenseF64ArrayAttr::get(func.getContext(), mean));
  }
  for (StatsOp op : llvm::reverse(statsOps))
    rewriter.replaceOp(op, op.getInput());

  Block &entry = func.getBody().front();
  auto insertAfterDef = [&](Value v) {
    if (auto arg = dyn_cast<BlockArgument>(v))
      rewriter.setInsertionPointToStart(arg.getOwner());
    else
      rewriter.setInsertionPointAfter(v.getDefiningOp());
  };

  if (integerIO)
    for (BlockArgument arg : func.getArguments())
      if (auto it = producedType.find(arg); it != producedType.end())
        rewriter.modifyOpInPlace(func, [&] {
          arg.setType(withElement(arg.getType(), it->second));
        });

  // Casts, made once per value and placed right after its definition.
  DenseMap<Value, Value> quantizedOf, floatOf, weightOf;
  auto getQuantized = [&](Value v, quant::UniformQuantizedType type) {
    if (isa<quant::QuantizedType>(getElementTypeOrSelf(v.getType())))
      return v;
    Value &cached = quantizedOf[v];
    if (!cached) {
      insertAfterDef(v);
      cached = quant::QuantizeCastOp::create(
          rewriter, v.getLoc(), withElement(v.getType(), type), v);
      ++numCasts;
    }
    return cached;
  };
  auto getFloat = [&](Value v) {
    Type element = getElementTypeOrSelf(v.getType());
    if (!isa<quant::QuantizedType>(element))
      return v;
    Value &cached = floatOf[v];
    if (!cached) {
      insertAfterDef(v);
      cached = quant::DequantizeCastOp::create(
          rewriter, v.getLoc(),
          withElement(v.getType(), Float32Type::get(func.getContext())), v);
      ++numCasts;
    }
    return cached;
  };
  auto getWeight = [&](Value v) {
    Value &cached = weightOf[v];
    if (!cached) {
      Operation *constant = v.getDefiningOp();
      auto [storage, type] = quantizedWeights.lookup(constant);
      rewriter.setInsertionPointAfter(constant);
      Value ints = arith::ConstantOp::create(rewriter, constant->getLoc(),
                                             storage);
      auto scast = quant::StorageCastOp::create(
          rewriter, constant->getLoc(), withElement(v.getType(), type), ints);
      // The float weights, for --correct-bias (the same attribute, so a
      // dense_resource blob is shared, not copied).
      scast->setAttr(kFloatWeightAttr,
                    cast<arith::ConstantOp>(constant).getValue());
      cached = scast;
      ++numQuantizedWeights;
    }
    return cached;
  };

  SmallVector<Operation *> ops;
  for (Operation &op : entry)
    ops.push_back(&op);
  for (Operation *op : ops) {
    auto planned = quantizedOps.find(op);
    if (planned == quantizedOps.end()) {
      bool keepQuantized = integerIO && isa<func::ReturnOp>(op);
      for (OpOperand &operand : op->getOpOperands()) {
        if (keepQuantized)
          continue;
        Value f = getFloat(operand.get());
        if (f != operand.get())
          rewriter.modifyOpInPlace(op, [&] { operand.set(f); });
      }
      continue;
    }
    std::optional<unsigned> weightIndex = getWeightOperand(op);
    for (OpOperand &operand : op->getOpOperands()) {
      unsigned index = operand.getOperandNumber();
      Value value = operand.get();
      Value replacement;
      if (isBiasOperand(op, index))
        replacement = getFloat(value);
      else if (weightIndex && index == *weightIndex)
        replacement = getWeight(value);
      else if (auto cast = inputCastType.lookup(op))
        replacement = getQuantized(value, cast);
      else
        replacement = getQuantized(value, availableType(value));
      if (replacement != value)
        rewriter.modifyOpInPlace(op, [&] { operand.set(replacement); });
    }
    rewriter.modifyOpInPlace(op, [&] {
      op->getResult(0).setType(
          withElement(op->getResult(0).getType(), planned->second));
    });
    ++numQuantizedOps;
  }

  for (Operation *op : weightConstants)
    if (op->use_empty())
      rewriter.eraseOp(op);

  Operation *terminator = entry.getTerminator();
  rewriter.modifyOpInPlace(func, [&] {
    func.setFunctionType(rewriter.getFunctionType(
        entry.getArgumentTypes(), terminator->getOperandTypes()));
  });
  return success();
}

void QuantizePass::runOnOperation() {
  if (!parseOptions())
    return signalPassFailure();
  // Plan every function before rewriting any: on error nothing changes.
  for (bool rewrite : {false, true}) {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func.getBody().hasOneBlock() && !func.isExternal()) {
        func.emitOpError("must have a single block to be quantized");
        return signalPassFailure();
      }
      if (failed(runOnFunction(func, rewrite)))
        return signalPassFailure();
    }
  }
}
