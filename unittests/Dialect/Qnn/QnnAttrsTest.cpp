//===- QnnAttrsTest.cpp - qnn attribute helpers -----------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

namespace {
class QnnAttrsTest : public ::testing::Test {
protected:
  QnnAttrsTest() { ctx.loadDialect<QnnDialect>(); }

  /// Parses `text` as an attribute; returns null and records the diagnostic
  /// on failure.
  Attribute parse(StringRef text) {
    diagnostic.clear();
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      diagnostic = diag.str();
      return success();
    });
    return parseAttribute(text, &ctx);
  }

  /// Prints an attribute to a string.
  static std::string print(Attribute attr) {
    std::string s;
    llvm::raw_string_ostream os(s);
    attr.print(os);
    return s;
  }

  MLIRContext ctx;
  std::string diagnostic;
};
} // namespace

TEST_F(QnnAttrsTest, ActivationBounds) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  auto relu = ActivationAttr::get(&ctx, ActivationKind::Relu);
  EXPECT_EQ(relu.getBounds(5), std::make_pair(0.0, inf));
  auto relu6 = ActivationAttr::get(&ctx, ActivationKind::Relu6);
  EXPECT_EQ(relu6.getBounds(0), std::make_pair(0.0, 6.0));
  auto none = ActivationAttr::get(&ctx, ActivationKind::None);
  EXPECT_EQ(none.getBounds(0), std::make_pair(-inf, inf));

  // Per-channel clamps after equalization: 6 / s_i for s = {1, 2, 0.5}.
  auto perChannel = ActivationAttr::get(&ctx, ActivationKind::Clamp,
                                        {0.0, 0.0, 0.0}, {6.0, 3.0, 12.0});
  EXPECT_EQ(perChannel.getNumBounds(), 3u);
  EXPECT_EQ(perChannel.getBounds(2), std::make_pair(0.0, 12.0));
  // A scalar clamp applies to every channel.
  auto scalar = ActivationAttr::get(&ctx, ActivationKind::Clamp, {-1.0}, {1.0});
  EXPECT_EQ(scalar.getBounds(7), std::make_pair(-1.0, 1.0));
}

TEST_F(QnnAttrsTest, ActivationRoundTrip) {
  for (StringRef text :
       {"#qnn<activation relu6>", "#qnn<activation clamp(min = -1.5, max = 2.25)>",
        "#qnn<activation clamp(min = [0.000000e+00, 1.000000e+00], max = "
        "[6.000000e+00, 3.000000e+00])>"}) {
    Attribute attr = parse(text);
    ASSERT_TRUE(attr) << text.str() << ": " << diagnostic;
    EXPECT_EQ(parse(print(attr)), attr) << print(attr);
  }
}

TEST_F(QnnAttrsTest, ActivationRejectsBadBounds) {
  EXPECT_FALSE(parse("#qnn<activation clamp(min = 2.0, max = 1.0)>"));
  EXPECT_EQ(diagnostic, "clamp min 2 exceeds max 1 for channel 0");
  EXPECT_FALSE(parse("#qnn<activation relu(min = 0.0, max = 1.0)>"));
  EXPECT_EQ(diagnostic, "activation 'relu' takes no bounds, got min [0] max [1]");
  EXPECT_FALSE(parse("#qnn<activation clamp(min = [0.0, 0.0], max = 1.0)>"));
  EXPECT_EQ(diagnostic, "clamp activation has 2 min bounds but 1 max bounds");
  EXPECT_FALSE(parse("#qnn<activation gelu>"));
  EXPECT_NE(diagnostic.find("unknown activation kind 'gelu'"),
            std::string::npos);
}

TEST_F(QnnAttrsTest, FixedPointMultiplier) {
  // Worked values of TFLite's QuantizeMultiplier (algorithms.md §1.1):
  // 1.0 = 2^30 * 2^(1 - 31), 1/3 = 1431655765 * 2^(-1 - 31).
  auto fp = FixedPointMultiplierAttr::get(&ctx, {1 << 30, 1431655765},
                                          {1, -1});
  EXPECT_DOUBLE_EQ(fp.getRealMultiplier(0), 1.0);
  EXPECT_NEAR(fp.getRealMultiplier(1), 1.0 / 3.0, 1e-10);

  EXPECT_FALSE(parse("#qnn.fixed_point<m0 = [1000], shift = [0]>"));
  EXPECT_EQ(diagnostic,
            "m0 must be 0 or in [2^30, 2^31), got 1000 at index 0");
  EXPECT_FALSE(parse("#qnn.fixed_point<m0 = [1073741824], shift = [31]>"));
  EXPECT_EQ(diagnostic, "shift must be in [-31, 30], got 31 at index 0");
  EXPECT_FALSE(parse("#qnn.fixed_point<m0 = [0, 0], shift = [0]>"));
  EXPECT_EQ(diagnostic,
            "fixed-point multiplier has 2 m0 values but 1 shifts");
}

TEST_F(QnnAttrsTest, Padding) {
  Attribute attr = parse("#qnn<padding [0, 0, 1, 1]>");
  ASSERT_TRUE(attr) << diagnostic;
  auto pad = cast<PaddingAttr>(attr);
  EXPECT_EQ(pad.getBottom(), 1);
  EXPECT_FALSE(pad.isZero());
  EXPECT_FALSE(parse("#qnn<padding [0, -1, 0, 0]>"));
  EXPECT_EQ(diagnostic, "padding must be non-negative, got [0, -1, 0, 0]");
}

TEST_F(QnnAttrsTest, TensorStats) {
  Attribute attr = parse("#qnn.stats<count = 4, min = -1.0, max = 2.0, "
                         "hist_range = [-1.0, 2.0], hist = [1.0, 3.0], "
                         "channel_min = [-1.0], channel_max = [2.0], "
                         "channel_mean = [0.5]>");
  ASSERT_TRUE(attr) << diagnostic;
  auto stats = cast<TensorStatsAttr>(attr);
  EXPECT_EQ(stats.getCount(), 4u);
  EXPECT_TRUE(stats.hasHistogram());
  EXPECT_TRUE(stats.hasChannelStats());
  EXPECT_EQ(parse(print(attr)), attr) << print(attr);

  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 3.0, max = 2.0>"));
  EXPECT_EQ(diagnostic, "statistics min 3 exceeds max 2");
  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 0.0, max = 2.0, "
                     "hist_range = [2.0, 1.0], hist = [1.0]>"));
  EXPECT_EQ(diagnostic, "'hist_range' must have lo < hi, got [2, 1]");
  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 0.0, max = 2.0, "
                     "hist_range = [0.0, 1.0], hist = [1.0, -2.0]>"));
  EXPECT_EQ(diagnostic, "histogram bin 1 has a negative count -2");
  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 0.0, max = 1.0, min = 0.0>"));
  EXPECT_EQ(diagnostic, "duplicate statistics key 'min'");
  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 0.0>"));
  EXPECT_EQ(diagnostic, "statistics need 'count', 'min' and 'max'");
  EXPECT_FALSE(parse("#qnn.stats<count = 1, min = 0.0, max = 1.0, "
                     "channel_min = [0.0], channel_max = [1.0], "
                     "channel_mean = [2.0]>"));
  EXPECT_EQ(diagnostic, "channel 0 needs min <= mean <= max, got 0, 2, 1");
}
