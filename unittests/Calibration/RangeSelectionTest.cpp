//===- RangeSelectionTest.cpp - Integer grids, scales and range methods ---===//
//
// Part of quant-opt. Expected values are worked out by hand in the comments;
// algorithms.md §4.1 has the worked example rmin = -1, rmax = 2.
// test/Calibration compares the methods with PyTorch and NumPy on real and
// synthetic data.
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/RangeSelection.h"
#include "qnn/Calibration/Observer.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace qnn::calib;

namespace {

constexpr double kMinScale = 1.0 / (1 << 23);

QuantScheme scheme(unsigned bits, bool isSigned, bool symmetric,
                   bool narrow = false) {
  return QuantScheme{bits, isSigned, symmetric, narrow};
}

TensorStatistics statsWith(double min, double max,
                           std::optional<Histogram> hist = std::nullopt) {
  TensorStatistics stats;
  stats.name = "t";
  stats.count = 1;
  stats.min = min;
  stats.max = max;
  stats.histogram = std::move(hist);
  return stats;
}

Range select(const TensorStatistics &stats, const QuantScheme &s,
             CalibrationMethod method, double percentile = 99.99,
             unsigned klLevels = 128) {
  llvm::Expected<Range> range =
      selectRange(stats, s, RangeOptions{method, percentile, klLevels});
  if (!range) {
    ADD_FAILURE() << llvm::toString(range.takeError());
    return Range{};
  }
  return *range;
}

/// The message of `error`, or "" for success.
std::string messageOf(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : "";
}

std::string errorOf(const TensorStatistics &stats, const QuantScheme &s,
                    const RangeOptions &options) {
  llvm::Expected<Range> range = selectRange(stats, s, options);
  if (range)
    return "";
  return llvm::toString(range.takeError());
}

TEST(CalibrationMethodTest, ParseAndPrint) {
  for (CalibrationMethod method :
       {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
        CalibrationMethod::MSE, CalibrationMethod::KL})
    EXPECT_EQ(parseCalibrationMethod(stringifyCalibrationMethod(method)),
              method);
  EXPECT_EQ(stringifyCalibrationMethod(CalibrationMethod::KL), "kl");
  EXPECT_FALSE(parseCalibrationMethod("entropy").has_value());
}

TEST(QuantSchemeTest, GridsForEveryBitWidth) {
  // bits, signed [qmin, qmax], unsigned qmax; narrow range adds 1 to qmin.
  struct Row {
    unsigned bits;
    int64_t signedMin, signedMax, unsignedMax;
  };
  const Row table[] = {{2, -2, 1, 3},
                       {3, -4, 3, 7},
                       {4, -8, 7, 15},
                       {5, -16, 15, 31},
                       {6, -32, 31, 63},
                       {7, -64, 63, 127},
                       {8, -128, 127, 255},
                       {9, -256, 255, 511},
                       {10, -512, 511, 1023},
                       {11, -1024, 1023, 2047},
                       {12, -2048, 2047, 4095},
                       {13, -4096, 4095, 8191},
                       {14, -8192, 8191, 16383},
                       {15, -16384, 16383, 32767},
                       {16, -32768, 32767, 65535}};
  for (const Row &row : table) {
    for (bool symmetric : {false, true}) {
      QuantScheme s = scheme(row.bits, true, symmetric);
      EXPECT_EQ(messageOf(s.validate()), "");
      EXPECT_EQ(s.qmin(), row.signedMin) << row.bits;
      EXPECT_EQ(s.qmax(), row.signedMax) << row.bits;
      s.narrowRange = true;
      EXPECT_EQ(s.qmin(), row.signedMin + 1) << row.bits;
      EXPECT_EQ(s.qmax(), row.signedMax) << row.bits;
      QuantScheme u = scheme(row.bits, false, symmetric);
      EXPECT_EQ(u.qmin(), 0) << row.bits;
      EXPECT_EQ(u.qmax(), row.unsignedMax) << row.bits;
      u.narrowRange = true;
      EXPECT_EQ(u.qmin(), 1) << row.bits;
    }
  }
}

TEST(QuantSchemeTest, BitsOutOfRange) {
  EXPECT_EQ(messageOf(scheme(1, true, false).validate()),
            "bits must be in [2, 16], got 1");
  EXPECT_EQ(messageOf(scheme(17, false, true).validate()),
            "bits must be in [2, 16], got 17");
}

TEST(ComputeQuantParamsTest, WorkedExample) {
  // algorithms.md §4.1: rmin = -1, rmax = 2.
  Range range{-1, 2};
  // uint8 asymmetric: s = 3/255, zp = 0 - round(-1 / s) = 85.
  QuantParams u8 = computeQuantParams(range, scheme(8, false, false));
  EXPECT_DOUBLE_EQ(u8.scale, 3.0 / 255);
  EXPECT_EQ(u8.zeroPoint, 85);
  EXPECT_EQ(u8.qmin, 0);
  EXPECT_EQ(u8.qmax, 255);
  // int8 asymmetric: same scale, zp = -128 + 85 = -43.
  QuantParams i8 = computeQuantParams(range, scheme(8, true, false));
  EXPECT_DOUBLE_EQ(i8.scale, 3.0 / 255);
  EXPECT_EQ(i8.zeroPoint, -43);
  // int8 symmetric narrow [-127, 127]: s = 2/127 (TensorRT, TFLite, ORT).
  QuantParams narrow = computeQuantParams(range, scheme(8, true, true, true));
  EXPECT_DOUBLE_EQ(narrow.scale, 2.0 / 127);
  EXPECT_EQ(narrow.zeroPoint, 0);
  EXPECT_EQ(narrow.qmin, -127);
  // int8 symmetric full [-128, 127]: s = 2/127.5 (PyTorch).
  QuantParams full = computeQuantParams(range, scheme(8, true, true));
  EXPECT_DOUBLE_EQ(full.scale, 2.0 / 127.5);
  EXPECT_EQ(full.zeroPoint, 0);
  EXPECT_EQ(full.qmin, -128);
  // uint8 symmetric: the grid's centre 127.5 rounds (half to even) to 128,
  // PyTorch's quint8 symmetric zero point.
  QuantParams u8sym = computeQuantParams(range, scheme(8, false, true));
  EXPECT_DOUBLE_EQ(u8sym.scale, 2.0 / 127.5);
  EXPECT_EQ(u8sym.zeroPoint, 128);
  // 4-bit signed symmetric narrow [-7, 7]: s = 2/7.
  QuantParams i4 = computeQuantParams(range, scheme(4, true, true, true));
  EXPECT_DOUBLE_EQ(i4.scale, 2.0 / 7);
}

TEST(ComputeQuantParamsTest, ZeroPointRoundsHalfToEven) {
  // s = 255 / 255 = 1; -min / s = 0.5, 1.5, 2.5 round to 0, 2, 2.
  auto zp = [](double min) {
    return computeQuantParams(Range{min, min + 255}, scheme(8, false, false))
        .zeroPoint;
  };
  EXPECT_EQ(zp(-0.5), 0);
  EXPECT_EQ(zp(-1.5), 2);
  EXPECT_EQ(zp(-2.5), 2);
  EXPECT_EQ(zp(-3.5), 4);
}

TEST(ComputeQuantParamsTest, ZeroIsForcedIntoTheRange) {
  // [1, 3] becomes [0, 3]; [-3, -1] becomes [-3, 0].
  QuantParams positive =
      computeQuantParams(Range{1, 3}, scheme(8, false, false));
  EXPECT_DOUBLE_EQ(positive.scale, 3.0 / 255);
  EXPECT_EQ(positive.zeroPoint, 0);
  QuantParams negative =
      computeQuantParams(Range{-3, -1}, scheme(8, false, false));
  EXPECT_DOUBLE_EQ(negative.scale, 3.0 / 255);
  EXPECT_EQ(negative.zeroPoint, 255);
  QuantParams i8 = computeQuantParams(Range{-3, -1}, scheme(8, true, false));
  EXPECT_EQ(i8.zeroPoint, 127);
}

TEST(ComputeQuantParamsTest, NeverAZeroScale) {
  // The floor is float32 epsilon, PyTorch's observer eps.
  QuantParams u8 = computeQuantParams(Range{0, 0}, scheme(8, false, false));
  EXPECT_EQ(u8.scale, kMinScale);
  EXPECT_EQ(u8.zeroPoint, 0);
  QuantParams i8 = computeQuantParams(Range{0, 0}, scheme(8, true, false));
  EXPECT_EQ(i8.scale, kMinScale);
  EXPECT_EQ(i8.zeroPoint, -128);
  QuantParams sym = computeQuantParams(Range{0, 0}, scheme(8, true, true));
  EXPECT_EQ(sym.scale, kMinScale);
  EXPECT_EQ(sym.zeroPoint, 0);
  QuantParams tiny =
      computeQuantParams(Range{-1e-12, 1e-12}, scheme(16, true, false));
  EXPECT_EQ(tiny.scale, kMinScale);
}

TEST(SelectRangeTest, MinMaxForcesZeroIn) {
  TensorStatistics stats = statsWith(-1, 2);
  Range r = select(stats, scheme(8, true, true), CalibrationMethod::MinMax);
  EXPECT_EQ(r.min, -1);
  EXPECT_EQ(r.max, 2);
  r = select(statsWith(0.5, 2), scheme(8, false, false),
             CalibrationMethod::MinMax);
  EXPECT_EQ(r.min, 0);
  EXPECT_EQ(r.max, 2);
  // No histogram needed.
  EXPECT_FALSE(stats.histogram.has_value());
}

TEST(SelectRangeTest, DeadTensorsGetTheSmallestScale) {
  // All zeros, or observed without elements: every method gives the range
  // of the smallest scale with zero exact.
  TensorObserver observer("dead", 2);
  const float zeros[] = {0, 0, 0, 0};
  ASSERT_TRUE(observer.observe(zeros, 4));
  ASSERT_TRUE(observer.observe(nullptr, 0));
  TensorStatistics stats = observer.finish();
  for (CalibrationMethod method :
       {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
        CalibrationMethod::MSE, CalibrationMethod::KL}) {
    Range u8 = select(stats, scheme(8, false, false), method);
    EXPECT_EQ(u8.min, 0);
    EXPECT_DOUBLE_EQ(u8.max, 255 * kMinScale);
    QuantParams params = computeQuantParams(u8, scheme(8, false, false));
    EXPECT_DOUBLE_EQ(params.scale, kMinScale);
    EXPECT_EQ(params.zeroPoint, 0);
    Range sym = select(stats, scheme(8, true, true), method);
    EXPECT_DOUBLE_EQ(sym.max, 127.5 * kMinScale);
    EXPECT_DOUBLE_EQ(computeQuantParams(sym, scheme(8, true, true)).scale,
                     kMinScale);
  }
  TensorObserver empty("empty", 0);
  ASSERT_TRUE(empty.observe(nullptr, 0));
  Range r =
      select(empty.finish(), scheme(8, true, false), CalibrationMethod::KL);
  EXPECT_EQ(computeQuantParams(r, scheme(8, true, false)).zeroPoint, -128);
}

TEST(SelectRangeTest, ConstantTensors) {
  // A constant 3: the histogram has no width, so every method is min-max
  // on [0, 3]: s = 3/255, zp = 0. A constant -2: [-2, 0], zp = 255.
  for (float value : {3.f, -2.f}) {
    TensorObserver observer("c", 0);
    const float data[] = {value, value, value};
    ASSERT_TRUE(observer.observe(data, 3));
    ASSERT_TRUE(observer.observe(data, 3));
    TensorStatistics stats = observer.finish();
    for (CalibrationMethod method :
         {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
          CalibrationMethod::MSE, CalibrationMethod::KL}) {
      Range r = select(stats, scheme(8, false, false), method);
      EXPECT_EQ(r.min, std::min(value, 0.f));
      EXPECT_EQ(r.max, std::max(value, 0.f));
      QuantParams params = computeQuantParams(r, scheme(8, false, false));
      EXPECT_DOUBLE_EQ(params.scale,
                       std::fabs(static_cast<double>(value)) / 255);
      EXPECT_EQ(params.zeroPoint, value > 0 ? 0 : 255);
    }
  }
}

/// `bins` bins of one count each over [lo, hi].
Histogram uniform(double lo, double hi, size_t bins) {
  return Histogram{lo, hi, std::vector<double>(bins, 1.0)};
}

TEST(SelectRangeTest, PercentileOnAUniformHistogram) {
  // 1000 bins of 1 over [0, 1000].
  TensorStatistics relu = statsWith(0, 1000, uniform(0, 1000, 1000));
  // Symmetric, 90 %: the |x| histogram is the same; 900 is reached at the
  // upper edge of bin 899.
  Range r =
      select(relu, scheme(8, true, true), CalibrationMethod::Percentile, 90);
  EXPECT_DOUBLE_EQ(r.max, 900);
  EXPECT_EQ(r.min, 0); // [-900, 900] clipped to the observed [0, 1000]
  // Asymmetric, 90 %: 5 % (50) off each tail gives [50, 950]; the lower
  // end then moves to zero.
  r = select(relu, scheme(8, false, false), CalibrationMethod::Percentile, 90);
  EXPECT_EQ(r.min, 0);
  EXPECT_DOUBLE_EQ(r.max, 950);
  // 99.99 % of 1000 is 999.9: the last bin, the whole range.
  r = select(relu, scheme(8, false, false), CalibrationMethod::Percentile);
  EXPECT_DOUBLE_EQ(r.max, 1000);
  r = select(relu, scheme(8, false, false), CalibrationMethod::Percentile, 100);
  EXPECT_DOUBLE_EQ(r.max, 1000);

  // 1000 bins of 1 over [-500, 500].
  TensorStatistics centred = statsWith(-500, 500, uniform(-500, 500, 1000));
  // Asymmetric 90 %: [-450, 450].
  r = select(centred, scheme(8, true, false), CalibrationMethod::Percentile,
             90);
  EXPECT_DOUBLE_EQ(r.min, -450);
  EXPECT_DOUBLE_EQ(r.max, 450);
  // Symmetric: |x| folds into 1000 bins of 0.5 over [0, 500] holding 1
  // each; 900 is reached at 900 * 0.5 = 450.
  r = select(centred, scheme(8, true, true), CalibrationMethod::Percentile, 90);
  EXPECT_DOUBLE_EQ(r.min, -450);
  EXPECT_DOUBLE_EQ(r.max, 450);
  // Symmetric 50 %: half the mass within |x| <= 250.
  r = select(centred, scheme(8, true, true), CalibrationMethod::Percentile, 50);
  EXPECT_DOUBLE_EQ(r.max, 250);
}

TEST(SelectRangeTest, PercentileFoldsAnAsymmetricHistogram) {
  // Mass 1 on [-1, 0] and 3 on [0, 1] in 2 bins; observed [-1, 1]. The |x|
  // histogram (2 bins over [0, 1]) holds 2 and 2: 50 % is reached at 0.5.
  TensorStatistics stats = statsWith(-1, 1, Histogram{-1, 1, {1, 3}});
  Range r =
      select(stats, scheme(8, true, true), CalibrationMethod::Percentile, 50);
  EXPECT_DOUBLE_EQ(r.max, 0.5);
  EXPECT_DOUBLE_EQ(r.min, -0.5);
}

TEST(SelectRangeTest, KlOnAHandExample) {
  // |x| histogram of 8 bins over [0, 8]; 2 levels, candidates i = 2..8.
  // bins[0] = bins[1] gives h = [4, 4, 4, 2, 2, 0, 0, 1], total 17.
  //   i = 2: P = [4, 13], Q = [4, 4]                       KL = 0.14755
  //   i = 3: P = [4, 4, 9], Q = [4, 4, 4]                  KL = 0.08101
  //   i = 4: P = [4, 4, 4, 5], Q = [4, 4, 3, 3]            KL = 0.02378
  //   i = 5: P = [4, 4, 4, 2, 3], Q = [4, 4, 4, 2, 2]      KL = 0.01093
  //   i = 6, 7: P's last bin holds the tail, Q's is empty  KL = inf
  //   i = 8: Q = [3.5, 3.5, 3.5, 3.5, 1.5, 0, 0, 1.5]       KL = 0.03842
  // so amax = edges[5] = 5.
  TensorStatistics stats =
      statsWith(0, 8, Histogram{0, 8, {9, 4, 4, 2, 2, 0, 0, 1}});
  Range r = select(stats, scheme(8, true, true), CalibrationMethod::KL, 99.99,
                   /*klLevels=*/2);
  EXPECT_DOUBLE_EQ(r.min, 0);
  EXPECT_DOUBLE_EQ(r.max, 5);
}

TEST(SelectRangeTest, KlKeepsAUniformRange) {
  // A uniform |x| histogram: at i = len(bins) Q equals P (KL = 0), any
  // smaller i piles the tail into P's last bin.
  TensorStatistics relu = statsWith(0, 2048, uniform(0, 2048, 2048));
  Range r = select(relu, scheme(8, true, true), CalibrationMethod::KL);
  EXPECT_DOUBLE_EQ(r.max, 2048);
  r = select(relu, scheme(8, false, false), CalibrationMethod::KL);
  EXPECT_DOUBLE_EQ(r.max, 2048);
}

TEST(SelectRangeTest, MseSymmetricOnAHandExample) {
  // 2-bit signed symmetric: grid k * s, k in [-2, 1], s = t / 1.5. Mass 1
  // uniform on [-1, 0] and on [0, 1]; observed [-2, 2], so the candidates
  // are t = 0.5, 1, 1.5, 2. Expected squared errors (sum over both bins):
  //   t = 0.5: 78/648 = 0.120   t = 1: 6/81 = 0.074
  //   t = 1.5: 1/6 = 0.167      t = 2: 30/81 = 0.370
  TensorStatistics stats = statsWith(-2, 2, Histogram{-2, 2, {0, 1, 1, 0}});
  Range r = select(stats, scheme(2, true, true), CalibrationMethod::MSE);
  EXPECT_DOUBLE_EQ(r.min, -1);
  EXPECT_DOUBLE_EQ(r.max, 1);
}

TEST(SelectRangeTest, MseClipsAnOutlierOnlyWhenItPays) {
  // n values spread over [-1, 1] and one at 100; symmetric int8 with
  // threshold t: step s = t / 127.5, the outlier clips to 127 s = 0.996 t.
  // Error ~ (100 - 0.996 t)^2 + n s^2 / 12, minimal at t = 99.6 / (0.992 +
  // n / 195075): t = 100 (no clipping) for n = 1000, t ~ 16 for n = 10^6.
  // PyTorch's search (asymmetric) walks in from the ends and stops at the
  // first increase: it keeps the outlier for n = 1000 and, for n = 10^6,
  // jumps straight over the empty bins to clip at about 1.
  for (int n : {1000, 1000000}) {
    TensorObserver observer("t", 0);
    std::vector<float> data;
    for (int i = 0; i < n; ++i)
      data.push_back(-1 + 2 * (i + 0.5f) / n);
    data.push_back(100);
    ASSERT_TRUE(observer.observe(data.data(), data.size()));
    TensorStatistics stats = observer.finish();
    Range sym = select(stats, scheme(8, true, true), CalibrationMethod::MSE);
    Range asym = select(stats, scheme(8, true, false), CalibrationMethod::MSE);
    EXPECT_LT(asym.min, -0.9);
    if (n == 1000) {
      EXPECT_GT(sym.max, 99);
      EXPECT_GT(asym.max, 99);
    } else {
      EXPECT_GT(sym.max, 12);
      EXPECT_LT(sym.max, 20);
      EXPECT_GT(asym.max, 0.9);
      EXPECT_LT(asym.max, 1.5);
    }
  }
}

TEST(SelectRangeTest, ErrorsNameTheTensor) {
  TensorStatistics noHistogram = statsWith(-1, 1);
  EXPECT_EQ(errorOf(noHistogram, scheme(8, true, false),
                    RangeOptions{CalibrationMethod::MSE}),
            "tensor 't': method 'mse' needs a histogram and there is none");
  EXPECT_EQ(errorOf(noHistogram, scheme(8, true, false),
                    RangeOptions{CalibrationMethod::KL}),
            "tensor 't': method 'kl' needs a histogram and there is none");
  EXPECT_EQ(errorOf(noHistogram, scheme(20, true, false),
                    RangeOptions{CalibrationMethod::MinMax}),
            "tensor 't': bits must be in [2, 16], got 20");

  TensorStatistics stats = statsWith(-1, 1, uniform(-1, 1, 16));
  for (double p : {0.0, -5.0, 100.5}) {
    std::string message =
        errorOf(stats, scheme(8, true, false),
                RangeOptions{CalibrationMethod::Percentile, p});
    EXPECT_EQ(
        message.rfind("tensor 't': percentile must be in (0, 100], got ", 0),
        0u)
        << message;
  }
  EXPECT_EQ(errorOf(stats, scheme(8, true, false),
                    RangeOptions{CalibrationMethod::Percentile, NAN}),
            "tensor 't': percentile must be in (0, 100], got nan");
  // The percentile only matters to the percentile method.
  EXPECT_EQ(errorOf(stats, scheme(8, true, false),
                    RangeOptions{CalibrationMethod::MinMax, 0}),
            "");
  EXPECT_EQ(errorOf(stats, scheme(8, true, false),
                    RangeOptions{CalibrationMethod::KL, 99.99, 1}),
            "tensor 't': kl levels must be in [2, 16] (the histogram bins), "
            "got 1");
  EXPECT_EQ(errorOf(statsWith(2, 1), scheme(8, true, false),
                    RangeOptions{CalibrationMethod::MinMax}),
            "tensor 't': min 2 is greater than max 1");
}

} // namespace
