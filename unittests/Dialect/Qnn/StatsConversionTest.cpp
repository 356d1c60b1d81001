//===- StatsConversionTest.cpp - TensorStatistics <-> #qnn.stats ----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Transforms/StatsConversion.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace qnn;

namespace {
class StatsConversionTest : public ::testing::Test {
protected:
  StatsConversionTest() { ctx.loadDialect<QnnDialect>(); }

  TensorStatsAttr convert(const calib::TensorStatistics &stats) {
    diagnostic.clear();
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      diagnostic = diag.str();
      return success();
    });
    return getTensorStatsAttr(&ctx, stats,
                              [&] { return emitError(UnknownLoc::get(&ctx)); });
  }

  MLIRContext ctx;
  std::string diagnostic;
};

TEST_F(StatsConversionTest, RoundTripsEveryField) {
  calib::TensorStatistics stats;
  stats.name = "conv1_out";
  stats.count = 12;
  stats.min = -1.0 / 3;
  stats.max = 0.1;
  stats.histogram = calib::Histogram{-0.5, 0.25, {1, 2.5, 0}};
  stats.channelMin = {-1.0 / 3, 0};
  stats.channelMax = {0, 0.1};
  stats.channelMean = {-0.1, 0.05};
  TensorStatsAttr attr = convert(stats);
  ASSERT_TRUE(attr) << diagnostic;
  EXPECT_EQ(attr.getCount(), 12u);
  EXPECT_EQ(attr.getMinValue(), -1.0 / 3);
  EXPECT_EQ(attr.getHistRange().asArrayRef(), (ArrayRef<double>{-0.5, 0.25}));

  calib::TensorStatistics back = getTensorStatistics(attr, "conv1_out");
  EXPECT_EQ(back.name, "conv1_out");
  EXPECT_EQ(back.count, stats.count);
  EXPECT_EQ(back.min, stats.min);
  EXPECT_EQ(back.max, stats.max);
  ASSERT_TRUE(back.histogram);
  EXPECT_EQ(back.histogram->lo, -0.5);
  EXPECT_EQ(back.histogram->hi, 0.25);
  EXPECT_EQ(back.histogram->counts, stats.histogram->counts);
  EXPECT_EQ(back.channelMin, stats.channelMin);
  EXPECT_EQ(back.channelMax, stats.channelMax);
  EXPECT_EQ(back.channelMean, stats.channelMean);
}

TEST_F(StatsConversionTest, MinimalStatistics) {
  calib::TensorStatistics stats;
  stats.min = 0;
  stats.max = 6;
  TensorStatsAttr attr = convert(stats);
  ASSERT_TRUE(attr) << diagnostic;
  EXPECT_FALSE(attr.hasHistogram());
  EXPECT_FALSE(attr.hasChannelStats());
  calib::TensorStatistics back = getTensorStatistics(attr, "x");
  EXPECT_FALSE(back.histogram);
  EXPECT_FALSE(back.hasChannelStats());
}

TEST_F(StatsConversionTest, ReportsBrokenConstraints) {
  calib::TensorStatistics stats;
  stats.min = 2;
  stats.max = 1;
  EXPECT_FALSE(convert(stats));
  EXPECT_EQ(diagnostic, "statistics min 2 exceeds max 1");
}
} // namespace
