//===- ObserverTest.cpp - Histogram accumulation and tensor observers -----===//
//
// Part of quant-opt. Expected values are worked out by hand in the comments
// (PyTorch 1.13 HistogramObserver arithmetic for the re-binning cases).
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Observer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace qnn::calib;

namespace {

std::vector<double> counts(const HistogramAccumulator &acc) {
  return std::vector<double>(acc.getCounts().begin(), acc.getCounts().end());
}

TEST(HistogramAccumulatorTest, FirstBatchIsHistcOverItsRange) {
  HistogramAccumulator acc(4, 2);
  EXPECT_TRUE(acc.empty());
  // [0, 4] in 4 bins of width 1; 4 == max goes to the last bin.
  acc.add({0.f, 1.f, 2.f, 3.f, 4.f});
  EXPECT_FALSE(acc.empty());
  EXPECT_EQ(acc.getMin(), 0);
  EXPECT_EQ(acc.getMax(), 4);
  EXPECT_EQ(counts(acc), (std::vector<double>{1, 1, 1, 2}));
}

TEST(HistogramAccumulatorTest, RebinsLikePyTorch) {
  HistogramAccumulator acc(4, 2);
  acc.add({0.f, 1.f, 2.f, 3.f, 4.f}); // [1, 1, 1, 2] over [0, 4]
  // {8}: combined [0, 8]. hist_bin_width = 4 / (4 * 2) = 0.5, so the old
  // histogram is 8 cells of 0.5; downsample_rate = ceil(8 / (4 * 0.5)) = 4,
  // no relaxation, start_idx 0. New bin j sums cells [4j, 4j + 4):
  // bin 0 = old bins 0 + 1 = 2, bin 1 = old bins 2 + 3 = 3. histc puts 8 in
  // the last bin.
  acc.add({8.f});
  EXPECT_EQ(acc.getMin(), 0);
  EXPECT_EQ(acc.getMax(), 8);
  EXPECT_EQ(counts(acc), (std::vector<double>{2, 3, 0, 1}));
  // {-2}: combined [-2, 8]. hist_bin_width = 8 / 8 = 1; downsample_rate =
  // ceil(10 / 4) = 3; e = 3 * 4 - 10 = 2 relaxes the max to 10; start_idx =
  // round((0 - -2) / 1) = 2. Cells (width 1, from -2): c2 c3 = 1 (old bin
  // 0), c4 c5 = 1.5 (old bin 1), c8 c9 = 0.5 (old bin 3). New bins sum
  // cells [3j, 3j + 3): 1, 1 + 1.5 + 1.5, 0.5, 0.5; histc adds -2 to bin 0.
  acc.add({-2.f});
  EXPECT_EQ(acc.getMin(), -2);
  EXPECT_EQ(acc.getMax(), 10);
  EXPECT_EQ(counts(acc), (std::vector<double>{2, 4, 0.5, 0.5}));
}

TEST(HistogramAccumulatorTest, BatchInsideTheRangeAddsCounts) {
  HistogramAccumulator acc(4, 2);
  acc.add({0.f, 4.f});
  // hist_bin_width = 0.5, downsample_rate = ceil(4 / 2) = 2 = the upsample
  // rate, e = 0: the range is unchanged and the counts simply add up.
  acc.add({1.5f, 2.5f, 2.5f});
  EXPECT_EQ(acc.getMin(), 0);
  EXPECT_EQ(acc.getMax(), 4);
  EXPECT_EQ(counts(acc), (std::vector<double>{1, 1, 2, 1}));
}

TEST(HistogramAccumulatorTest, AllEqualValuesKeepTheirCounts) {
  HistogramAccumulator acc(4, 2);
  // histc falls back to [v - 1, v + 1]: the values land in the middle bin.
  acc.add({5.f, 5.f, 5.f});
  EXPECT_EQ(acc.getMin(), 5);
  EXPECT_EQ(acc.getMax(), 5);
  EXPECT_EQ(counts(acc), (std::vector<double>{0, 0, 3, 0}));
  acc.add({5.f});
  EXPECT_EQ(counts(acc), (std::vector<double>{0, 0, 4, 0}));
  // {1, 3}: combined [1, 5], bins of width 1; the four 5s stay, as a point
  // mass in the last bin (PyTorch's same_values path would drop them).
  acc.add({1.f, 3.f});
  EXPECT_EQ(acc.getMin(), 1);
  EXPECT_EQ(acc.getMax(), 5);
  EXPECT_EQ(counts(acc), (std::vector<double>{1, 0, 1, 4}));
}

TEST(HistogramAccumulatorTest, EmptyBatchesAndNaNsAreIgnored) {
  HistogramAccumulator acc(4, 2);
  acc.add({});
  EXPECT_TRUE(acc.empty());
  float nan = std::numeric_limits<float>::quiet_NaN();
  acc.add({nan});
  EXPECT_TRUE(acc.empty());
  acc.add({0.f, nan, 4.f, 2.f});
  EXPECT_EQ(counts(acc), (std::vector<double>{1, 0, 1, 1}));
  Histogram hist = acc.getHistogram();
  EXPECT_EQ(hist.lo, 0);
  EXPECT_EQ(hist.hi, 4);
  EXPECT_EQ(hist.total(), 3);
}

TEST(HistogramAccumulatorTest, HistcBinsInFloat32) {
  // torch.histc computes (x - lo) / (hi - lo) * bins in float32: with
  // [0, 0.3] and 3 bins, 0.1f lands in bin 0 (0.1f / 0.3f * 3 rounds to
  // 0.99999994f), not bin 1 as exact arithmetic on the decimal values would
  // suggest.
  HistogramAccumulator acc(3, 2);
  acc.add({0.f, 0.1f, 0.3f});
  EXPECT_EQ(counts(acc), (std::vector<double>{2, 0, 1}));
}

TEST(HistogramAccumulatorTest, MemoryStaysSmallWhenTheRangeExplodes) {
  HistogramAccumulator acc;
  acc.add({0.f, 1e-6f});
  // PyTorch would allocate bins * downsample_rate ~ 2048 * 1.3e11 floats.
  acc.add({1e3f});
  EXPECT_EQ(acc.getMin(), 0);
  EXPECT_GE(acc.getMax(), 1e3);
  Histogram hist = acc.getHistogram();
  EXPECT_EQ(hist.counts.size(), 2048u);
  EXPECT_FLOAT_EQ(hist.total(), 3);
  EXPECT_EQ(hist.counts.front(), 2);
}

TEST(TensorObserverTest, PerChannelMinMaxMean) {
  TensorObserver observer("act", 3);
  // Two samples of 2 positions x 3 channels.
  const float first[] = {1, 2, 3, 4, 5, 6};
  const float second[] = {-1, 0, 1, 7, 8, 9};
  ASSERT_TRUE(observer.observe(first, 6));
  ASSERT_TRUE(observer.observe(second, 6));
  TensorStatistics stats = observer.finish();
  EXPECT_EQ(stats.name, "act");
  EXPECT_EQ(stats.count, 2u);
  EXPECT_EQ(stats.min, -1);
  EXPECT_EQ(stats.max, 9);
  EXPECT_EQ(stats.channelMin, (std::vector<double>{-1, 0, 1}));
  EXPECT_EQ(stats.channelMax, (std::vector<double>{7, 8, 9}));
  // Channel 0: (1 + 4 - 1 + 7) / 4, channel 1: (2 + 5 + 0 + 8) / 4, ...
  EXPECT_EQ(stats.channelMean, (std::vector<double>{2.75, 3.75, 4.75}));
  ASSERT_TRUE(stats.histogram.has_value());
  EXPECT_EQ(stats.histogram->total(), 12);
}

TEST(TensorObserverTest, PerChannelStatsForNarrowAndWideTensors) {
  // 5 channels (lanes span several positions, with a partial tail) and 40
  // channels (one position per lane row): compare with a plain loop.
  for (int64_t channels : {1, 5, 40}) {
    std::mt19937 rng(channels);
    std::normal_distribution<float> normal(1.f, 3.f);
    TensorObserver observer("t", channels);
    std::vector<double> min(channels, 1e30), max(channels, -1e30),
        sum(channels, 0);
    const int64_t positions = 9;
    for (int sample = 0; sample < 3; ++sample) {
      std::vector<float> data(positions * channels);
      for (size_t i = 0; i < data.size(); ++i) {
        data[i] = normal(rng);
        int64_t c = static_cast<int64_t>(i) % channels;
        min[c] = std::min<double>(min[c], data[i]);
        max[c] = std::max<double>(max[c], data[i]);
        sum[c] += data[i];
      }
      ASSERT_TRUE(observer.observe(data.data(), data.size()));
    }
    TensorStatistics stats = observer.finish();
    ASSERT_EQ(stats.channelMean.size(), static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
      EXPECT_EQ(stats.channelMin[c], min[c]) << channels << " " << c;
      EXPECT_EQ(stats.channelMax[c], max[c]) << channels << " " << c;
      EXPECT_DOUBLE_EQ(stats.channelMean[c], sum[c] / (3 * positions));
    }
    EXPECT_EQ(stats.min, *std::min_element(min.begin(), min.end()));
    EXPECT_EQ(stats.max, *std::max_element(max.begin(), max.end()));
  }
}

TEST(TensorObserverTest, NonFiniteSamplesAreRefusedWhole) {
  for (int64_t channels : {0, 2}) {
    TensorObserver observer("t", channels);
    const float good[] = {1, -2, 3, 4};
    const float withNaN[] = {1, std::numeric_limits<float>::quiet_NaN(), 30,
                             40};
    const float withInf[] = {-std::numeric_limits<float>::infinity(), 2, 3, 4};
    EXPECT_FALSE(observer.observe(withNaN, 4));
    EXPECT_FALSE(observer.observe(withInf, 4));
    TensorStatistics empty = observer.finish();
    EXPECT_EQ(empty.count, 0u);
    EXPECT_FALSE(empty.histogram.has_value());
    EXPECT_FALSE(empty.hasChannelStats());

    EXPECT_TRUE(observer.observe(good, 4));
    EXPECT_FALSE(observer.observe(withNaN, 4));
    TensorStatistics stats = observer.finish();
    EXPECT_EQ(stats.count, 1u);
    EXPECT_EQ(stats.min, -2);
    EXPECT_EQ(stats.max, 4);
    EXPECT_EQ(stats.histogram->total(), 4);
    if (channels) {
      EXPECT_EQ(stats.channelMin, (std::vector<double>{1, -2}));
      EXPECT_EQ(stats.channelMean, (std::vector<double>{2, 1}));
    }
  }
}

TEST(TensorObserverTest, EmptySamplesCountButHoldNoMass) {
  TensorObserver observer("t", 4);
  EXPECT_TRUE(observer.observe(nullptr, 0));
  TensorStatistics stats = observer.finish();
  EXPECT_EQ(stats.count, 1u);
  EXPECT_EQ(stats.min, 0);
  EXPECT_EQ(stats.max, 0);
  ASSERT_TRUE(stats.histogram.has_value());
  EXPECT_EQ(stats.histogram->counts.size(), 2048u);
  EXPECT_EQ(stats.histogram->total(), 0);
  EXPECT_FALSE(stats.hasChannelStats());
}

TEST(TensorObserverTest, HistogramMatchesTheAccumulator) {
  std::mt19937 rng(7);
  std::student_t_distribution<float> heavy(3);
  TensorObserver observer("t", 8);
  HistogramAccumulator acc;
  for (int sample = 0; sample < 5; ++sample) {
    std::vector<float> data(64 * 8);
    for (float &v : data)
      v = heavy(rng) * (1 + sample);
    ASSERT_TRUE(observer.observe(data.data(), data.size()));
    acc.add(data);
  }
  TensorStatistics stats = observer.finish();
  EXPECT_EQ(stats.histogram->lo, acc.getMin());
  EXPECT_EQ(stats.histogram->hi, acc.getMax());
  EXPECT_EQ(stats.histogram->counts, counts(acc));
  // The observed max is the data's; the histogram's is relaxed beyond it.
  EXPECT_LE(stats.max, stats.histogram->hi);
  EXPECT_EQ(stats.min, stats.histogram->lo);
}

} // namespace
