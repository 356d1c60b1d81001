//===- ExportCalibration.cpp - The export-calibration pass ----------------===//
//
// Part of quant-opt. Writes the statistics of every qnn.stats, named by its
// location, as the project's calibration JSON. The file is written whole or
// not at all, and only when every qnn.stats could be exported.
//
//===----------------------------------------------------------------------===//

#include "qnn/CalibrationIO/CalibrationFormats.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Transforms/StatsConversion.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "llvm/ADT/StringMap.h"

namespace qnn {
#define GEN_PASS_DEF_EXPORTCALIBRATION
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {
struct ExportCalibrationPass
    : qnn::impl::ExportCalibrationBase<ExportCalibrationPass> {
  using ExportCalibrationBase::ExportCalibrationBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (file.empty()) {
      emitError(module.getLoc(), "export-calibration needs file=<path>");
      return signalPassFailure();
    }
    calib::CalibrationTable table;
    table.producer = "quant-opt";
    if (auto producer =
            module->getAttrOfType<StringAttr>("qnn.calibration_producer"))
      table.producer = producer.str();

    // A value that carries one name twice (an op duplicated by a pass) has
    // one entry; different statistics under one name cannot be written.
    llvm::StringMap<StatsOp> first;
    WalkResult result = module.walk([&](StatsOp op) {
      std::optional<std::string> name = getTensorName(op.getLoc());
      if (!name) {
        op.emitOpError("has no tensor name to export its statistics under "
                       "(expected a location such as loc(\"conv1_out\"))");
        return WalkResult::interrupt();
      }
      auto [it, inserted] = first.try_emplace(*name, op);
      if (!inserted) {
        if (it->second.getStats() == op.getStats())
          return WalkResult::advance();
        InFlightDiagnostic diag = op.emitOpError()
                                  << "has statistics for tensor '" << *name
                                  << "' that differ from another qnn.stats "
                                     "of that name";
        diag.attachNote(it->second.getLoc()) << "the other qnn.stats";
        return WalkResult::interrupt();
      }
      table.tensors.push_back(getTensorStatistics(op.getStats(), *name));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    table.sortAndCheckUnique();
    if (llvm::Error error = calib::writeQnnStatsFile(file, table)) {
      emitError(module.getLoc(), llvm::toString(std::move(error)));
      return signalPassFailure();
    }
    numExported += table.tensors.size();
    markAllAnalysesPreserved();
  }
};
} // namespace
