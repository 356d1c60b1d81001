//===- SvgTest.cpp - The plots of the quantization report -----------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Report/Svg.h"

#include "gtest/gtest.h"

#include <limits>

using namespace qnn::report;

namespace {

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + 1))
    ++n;
  return n;
}

// Expected values: numpy.percentile(values, [0, 25, 50, 75, 100]) (linear).
TEST(ReportSvg, SummarizeInterpolatesLikeNumPy) {
  BoxStats odd = summarize({5, 1, 4, 2, 3});
  EXPECT_DOUBLE_EQ(odd.min, 1);
  EXPECT_DOUBLE_EQ(odd.q1, 2);
  EXPECT_DOUBLE_EQ(odd.median, 3);
  EXPECT_DOUBLE_EQ(odd.q3, 4);
  EXPECT_DOUBLE_EQ(odd.max, 5);
  BoxStats even = summarize({4, 3, 2, 1});
  EXPECT_DOUBLE_EQ(even.q1, 1.75);
  EXPECT_DOUBLE_EQ(even.median, 2.5);
  EXPECT_DOUBLE_EQ(even.q3, 3.25);
  BoxStats one = summarize({-0.5});
  EXPECT_DOUBLE_EQ(one.min, -0.5);
  EXPECT_DOUBLE_EQ(one.median, -0.5);
  EXPECT_DOUBLE_EQ(one.max, -0.5);
}

TEST(ReportSvg, FormatNumber) {
  EXPECT_EQ(formatNumber(-0.0), "0");
  EXPECT_EQ(formatNumber(-1e-30 * 1e-300), "0");
  EXPECT_EQ(formatNumber(1e-7), "1e-07");
  EXPECT_EQ(formatNumber(8.36612), "8.366");
  EXPECT_EQ(formatNumber(123456.0, 6), "123456");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(formatNumber(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(ReportSvg, EscapeHtml) {
  EXPECT_EQ(escapeHtml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escapeHtml("conv1/relu:0"), "conv1/relu:0");
}

TEST(ReportSvg, BoxPlotHasOneGroupPerChannel) {
  std::vector<BoxStats> channels = {summarize({-1, 0, 1}),
                                    summarize({-0.01, 0.02}),
                                    summarize({0, 0, 0})};
  std::string svg = boxPlotSvg(channels, "w <before>");
  EXPECT_EQ(svg.rfind("<svg class=\"boxplot\"", 0), 0u);
  EXPECT_EQ(count(svg, "<g class=\"channel\">"), 3u);
  EXPECT_EQ(count(svg, "<line class=\"whisker\""), 3u);
  EXPECT_EQ(count(svg, "<rect class=\"box\""), 3u);
  EXPECT_EQ(count(svg, "<line class=\"median\""), 3u);
  EXPECT_NE(svg.find("<title>w &lt;before&gt;</title>"), std::string::npos);
  // Coordinates are never printed as "-0.00".
  EXPECT_EQ(svg.find("\"-0.00\""), std::string::npos);
  EXPECT_EQ(svg, boxPlotSvg(channels, "w <before>"));
}

TEST(ReportSvg, HistogramRebinsAndMarksClippedBars) {
  // 2048 bins over [0, 2048): one count each. Clipping at [0, 1024]: the 64
  // bars of 16 bins above 1024 lie entirely outside.
  std::vector<double> counts(2048, 1.0);
  std::string svg = histogramSvg(0, 2048, counts, 0, 1024, "act");
  EXPECT_EQ(svg.rfind("<svg class=\"histogram\"", 0), 0u);
  EXPECT_EQ(count(svg, "<rect class=\"bar"), 128u);
  EXPECT_EQ(count(svg, "<rect class=\"bar clipped\""), 64u);
  EXPECT_EQ(count(svg, "<line class=\"clip-min\""), 1u);
  EXPECT_EQ(count(svg, "<line class=\"clip-max\""), 1u);
  EXPECT_EQ(count(svg, "<rect class=\"clip-range\""), 1u);
  // A clipping range beyond the histogram widens the axis; nothing clipped.
  std::string wide = histogramSvg(0, 1, {1, 2, 3}, -1, 2, "act");
  EXPECT_EQ(count(wide, "<rect class=\"bar\""), 3u);
  EXPECT_EQ(count(wide, "clipped"), 0u);
}

} // namespace
