//===- StatsConversion.cpp - TensorStatistics <-> #qnn.stats --------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Transforms/StatsConversion.h"

#include "mlir/IR/MLIRContext.h"

using namespace mlir;
using namespace qnn;

TensorStatsAttr
qnn::getTensorStatsAttr(MLIRContext *context,
                        const calib::TensorStatistics &stats,
                        function_ref<InFlightDiagnostic()> emitError) {
  SmallVector<double, 2> histRange;
  ArrayRef<double> hist;
  if (stats.histogram && !stats.histogram->empty()) {
    histRange = {stats.histogram->lo, stats.histogram->hi};
    hist = stats.histogram->counts;
  }
  auto array = [&](ArrayRef<double> values) {
    return DenseF64ArrayAttr::get(context, values);
  };
  return TensorStatsAttr::getChecked(
      emitError, context, stats.count, llvm::APFloat(stats.min),
      llvm::APFloat(stats.max), array(histRange), array(hist),
      array(stats.channelMin), array(stats.channelMax),
      array(stats.channelMean));
}

calib::TensorStatistics qnn::getTensorStatistics(TensorStatsAttr attr,
                                                 StringRef name) {
  calib::TensorStatistics stats;
  stats.name = name.str();
  stats.count = attr.getCount();
  stats.min = attr.getMinValue();
  stats.max = attr.getMaxValue();
  if (attr.hasHistogram()) {
    ArrayRef<double> range = attr.getHistRange().asArrayRef();
    ArrayRef<double> counts = attr.getHist().asArrayRef();
    stats.histogram =
        calib::Histogram{range[0], range[1], {counts.begin(), counts.end()}};
  }
  auto vec = [](DenseF64ArrayAttr attr) {
    ArrayRef<double> values = attr.asArrayRef();
    return std::vector<double>(values.begin(), values.end());
  };
  stats.channelMin = vec(attr.getChannelMin());
  stats.channelMax = vec(attr.getChannelMax());
  stats.channelMean = vec(attr.getChannelMean());
  return stats;
}
