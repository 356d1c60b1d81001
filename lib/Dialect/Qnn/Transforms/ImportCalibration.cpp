//===- ImportCalibration.cpp - The import-calibration pass ----------------===//
//
// Part of quant-opt. Matches the entries of a statistics file to the values
// named by their ONNX tensor names and attaches them as qnn.stats. Two
// phases: everything is matched and checked first (names in both
// directions, per-channel lengths, the #qnn.stats constraints), and the IR
// changes only when nothing failed.
//
//===----------------------------------------------------------------------===//

#include "qnn/CalibrationIO/CalibrationFormats.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Transforms/StatsConversion.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"

namespace qnn {
#define GEN_PASS_DEF_IMPORTCALIBRATION
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

/// The module attribute keeping the producer of imported statistics, which
/// --export-calibration writes back.
static constexpr llvm::StringLiteral kProducerAttr = "qnn.calibration_producer";

/// How many names a diagnostic lists before "and N more".
static constexpr size_t kListedNames = 10;

static std::string listNames(ArrayRef<std::string> names) {
  std::string text;
  llvm::raw_string_ostream os(text);
  size_t shown = std::min(names.size(), kListedNames);
  for (size_t i = 0; i < shown; ++i)
    os << (i ? ", '" : "'") << names[i] << "'";
  if (names.size() > shown)
    os << " and " << (names.size() - shown) << " more";
  return text;
}

namespace {
/// The named f32 values of a module, in program order.
struct NamedValues {
  /// Activations: function arguments and op results not computed from
  /// constants alone.
  llvm::MapVector<StringRef, SmallVector<Value, 1>> activations;
  /// Names of weights: values computed from constants only.
  llvm::StringSet<> weights;
  /// Owns the names (getTensorName returns strings).
  llvm::StringSet<> names;

  void add(Value value, llvm::DenseSet<Operation *> &constantDerived) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.getElementType().isF32())
      return;
    std::optional<std::string> name = getTensorName(value);
    if (!name)
      return;
    StringRef key = names.insert(*name).first->getKey();
    Operation *def = value.getDefiningOp();
    if (def && constantDerived.contains(def))
      weights.insert(key);
    else
      activations[key].push_back(value);
  }

  static NamedValues collect(ModuleOp module) {
    NamedValues result;
    // Constants, and side-effect-free ops whose every operand comes from
    // constants (transitively); program order visits definitions before
    // their uses.
    llvm::DenseSet<Operation *> constantDerived;
    auto isConstantDerived = [&](Operation *op) {
      if (op->getNumRegions() != 0 || !isMemoryEffectFree(op))
        return false;
      if (op->getNumOperands() == 0)
        return op->hasTrait<OpTrait::ConstantLike>();
      return llvm::all_of(op->getOperands(), [&](Value operand) {
        Operation *def = operand.getDefiningOp();
        return def && constantDerived.contains(def);
      });
    };
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto func = dyn_cast<FunctionOpInterface>(op)) {
        if (!func.isExternal())
          for (BlockArgument arg : func.getArguments())
            result.add(arg, constantDerived);
        return;
      }
      if (isConstantDerived(op))
        constantDerived.insert(op);
      // A qnn.stats carries the name of the value it annotates.
      if (isa<StatsOp>(op) || op->getNumResults() != 1)
        return;
      result.add(op->getResult(0), constantDerived);
    });
    return result;
  }
};

/// One qnn.stats to create.
struct Attachment {
  Value value;
  TensorStatsAttr stats;
  StringRef name;
};

struct ImportCalibrationPass
    : qnn::impl::ImportCalibrationBase<ImportCalibrationPass> {
  using ImportCalibrationBase::ImportCalibrationBase;

  void runOnOperation() override;
};
} // namespace

void ImportCalibrationPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *context = &getContext();
  Location moduleLoc = module.getLoc();

  if (file.empty()) {
    emitError(moduleLoc, "import-calibration needs file=<path>");
    return signalPassFailure();
  }
  std::optional<calib::CalibrationFormat> parsedFormat =
      calib::parseCalibrationFormat(format);
  if (!parsedFormat) {
    emitError(moduleLoc, "import-calibration: unknown format '")
        << format << "', expected auto, qnn, aimet, tensorrt or ort";
    return signalPassFailure();
  }
  if (onMissing != "error" && onMissing != "warn") {
    emitError(moduleLoc, "import-calibration: unknown on-missing value '")
        << onMissing << "', expected error or warn";
    return signalPassFailure();
  }
  llvm::Expected<calib::CalibrationTable> table =
      calib::readCalibrationFile(file, *parsedFormat);
  if (!table) {
    emitError(moduleLoc, llvm::toString(table.takeError()));
    return signalPassFailure();
  }

  // Phase 1: match and check; nothing changes.
  NamedValues named = NamedValues::collect(module);
  SmallVector<Attachment> attachments;
  SmallVector<std::string> unmatched, weights, missing;
  bool failed = false;
  for (const calib::TensorStatistics &stats : table->tensors) {
    auto it = named.activations.find(stats.name);
    if (it == named.activations.end()) {
      (named.weights.contains(stats.name) ? weights : unmatched)
          .push_back(stats.name);
      continue;
    }
    TensorStatsAttr attr = getTensorStatsAttr(context, stats, [&] {
      return emitError(moduleLoc)
             << file << ": tensor '" << stats.name << "': ";
    });
    if (!attr) {
      failed = true;
      continue;
    }
    bool fits = true;
    for (Value value : it->second) {
      if (!stats.hasChannelStats())
        continue;
      auto type = cast<RankedTensorType>(value.getType());
      int64_t channels = type.getRank() == 0 ? 1 : type.getShape().back();
      if (ShapedType::isDynamic(channels) ||
          channels == static_cast<int64_t>(stats.channelMin.size()))
        continue;
      emitError(value.getLoc())
          << "statistics of tensor '" << stats.name << "' in " << file
          << " have " << stats.channelMin.size()
          << " channels but the value has " << channels
          << " in its last dimension (" << type << ")";
      fits = false;
    }
    if (!fits) {
      failed = true;
      continue;
    }
    ++numMatchedEntries;
    for (Value value : it->second)
      attachments.push_back({value, attr, it->first});
  }
  for (const auto &[name, values] : named.activations)
    if (!name.contains('#') && !table->lookup(name))
      missing.push_back(name.str());

  numWeightEntries += weights.size();
  numUnmatchedEntries += unmatched.size();
  numMissingValues += missing.size();
  bool strict = onMissing == "error";
  auto report = [&](ArrayRef<std::string> names, const Twine &what) {
    if (names.empty())
      return;
    InFlightDiagnostic diag =
        strict ? emitError(moduleLoc) : emitWarning(moduleLoc);
    diag << names.size() << " " << what << ": " << listNames(names);
    failed |= strict;
  };
  report(unmatched, "statistics entries of " + file + " name no value");
  report(missing, "named activations have no statistics in " + file);
  if (failed)
    return signalPassFailure();
  if (!weights.empty())
    emitRemark(moduleLoc)
        << weights.size() << " statistics entries of " << file
        << " name weights and are not attached (weight ranges come from the "
           "weights): "
        << listNames(weights);

  // Phase 2: attach.
  IRRewriter rewriter(context);
  module->setAttr(kProducerAttr, StringAttr::get(context, table->producer));
  for (const Attachment &attachment : attachments) {
    Value value = attachment.value;
    SmallVector<StatsOp> existing;
    for (Operation *user : value.getUsers())
      if (auto stats = dyn_cast<StatsOp>(user))
        existing.push_back(stats);
    rewriter.setInsertionPointAfterValue(value);
    auto stats = StatsOp::create(
        rewriter, NameLoc::get(StringAttr::get(context, attachment.name)),
        value.getType(), value, attachment.stats);
    for (StatsOp old : existing)
      rewriter.replaceOp(old, stats.getResult());
    rewriter.replaceAllUsesExcept(value, stats.getResult(), stats);
    numReplacedStats += existing.size();
    ++numAnnotatedValues;
  }
}
