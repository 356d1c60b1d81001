//===- QuantTypeUtilsTest.cpp - Numeric forms and quantized types -----------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <limits>

using namespace mlir;
using namespace qnn;

namespace {
class QuantTypeUtilsTest : public ::testing::Test {
protected:
  QuantTypeUtilsTest() { ctx.loadDialect<quant::QuantDialect>(); }

  /// Runs verifyQuantizedType and returns the diagnostic text ("" if none).
  std::string verifyMessage(quant::QuantizedType type) {
    std::string message;
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      message = diag.str();
      return success();
    });
    LogicalResult result = verifyQuantizedType(
        [&] { return emitError(UnknownLoc::get(&ctx)); }, type);
    EXPECT_EQ(failed(result), !message.empty());
    return message;
  }

  quant::UniformQuantizedType perTensor(double scale, int64_t zeroPoint,
                                        unsigned flags = quant::QuantizationFlags::Signed,
                                        unsigned width = 8) {
    Builder b(&ctx);
    Type storage = b.getIntegerType(width);
    int64_t min = quant::QuantizedType::getDefaultMinimumForInteger(
        flags & quant::QuantizationFlags::Signed, width);
    int64_t max = quant::QuantizedType::getDefaultMaximumForInteger(
        flags & quant::QuantizationFlags::Signed, width);
    // `get`, not `getChecked`: the point is to build what the quant dialect
    // would refuse to parse and check that our verifier refuses it too.
    return quant::UniformQuantizedType::get(flags, storage, b.getF32Type(),
                                            scale, zeroPoint, min, max);
  }

  MLIRContext ctx;
};
} // namespace

TEST_F(QuantTypeUtilsTest, NumericForms) {
  Builder b(&ctx);
  EXPECT_EQ(getNumericForm(b.getF32Type()), NumericForm::Float);
  EXPECT_EQ(getNumericForm(b.getIntegerType(8)), NumericForm::Integer);
  EXPECT_EQ(getNumericForm(b.getIntegerType(8, /*isSigned=*/false)),
            NumericForm::Integer);
  EXPECT_EQ(getNumericForm(perTensor(0.5, 0)), NumericForm::Quantized);
  EXPECT_EQ(getNumericForm(b.getF16Type()), std::nullopt);
  EXPECT_EQ(getNumericForm(b.getIndexType()), std::nullopt);
  EXPECT_EQ(stringifyNumericForm(NumericForm::Integer), "integer");
}

TEST_F(QuantTypeUtilsTest, IntegerRanges) {
  Builder b(&ctx);
  using Range = std::pair<int64_t, int64_t>;
  EXPECT_EQ(getIntegerRange(b.getIntegerType(8)), Range(-128, 127));
  EXPECT_EQ(getIntegerRange(IntegerType::get(&ctx, 8, IntegerType::Unsigned)),
            Range(0, 255));
  EXPECT_EQ(getIntegerRange(b.getIntegerType(4)), Range(-8, 7));
  EXPECT_EQ(getIntegerRange(b.getI32Type()),
            Range(-2147483648LL, 2147483647LL));
  EXPECT_EQ(getIntegerRange(b.getI64Type()).first,
            std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(fitsIntegerType(-128, b.getIntegerType(8)));
  EXPECT_FALSE(fitsIntegerType(128, b.getIntegerType(8)));
  EXPECT_FALSE(
      fitsIntegerType(-1, IntegerType::get(&ctx, 8, IntegerType::Unsigned)));
  EXPECT_EQ(getStorageWidth(perTensor(0.5, 0, quant::QuantizationFlags::Signed, 4)), 4u);
  EXPECT_EQ(getStorageWidth(b.getI32Type()), 32u);
  EXPECT_EQ(getStorageWidth(b.getF32Type()), 0u);
}

TEST_F(QuantTypeUtilsTest, AcceptsValidTypes) {
  EXPECT_EQ(verifyMessage(perTensor(0.02, -3)), "");
  EXPECT_EQ(verifyMessage(perTensor(0.02, 255, /*flags=*/0)), "");
}

TEST_F(QuantTypeUtilsTest, RejectsBadScales) {
  EXPECT_NE(verifyMessage(perTensor(0.0, 0)).find("positive and finite"),
            std::string::npos);
  EXPECT_NE(verifyMessage(perTensor(-1.0, 0)).find("got -1"),
            std::string::npos);
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_NE(verifyMessage(perTensor(inf, 0)).find("positive and finite"),
            std::string::npos);
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(verifyMessage(perTensor(nan, 0)).find("positive and finite"),
            std::string::npos);
}

TEST_F(QuantTypeUtilsTest, RejectsZeroPointOutsideStorage) {
  // The quant dialect parses !quant.uniform<i8:f32, 0.5:300>; we refuse it.
  std::string message = verifyMessage(perTensor(0.5, 300));
  EXPECT_NE(message.find("zero point 300 is outside the storage range "
                         "[-128, 127]"),
            std::string::npos)
      << message;
  EXPECT_NE(verifyMessage(perTensor(0.5, -1, /*flags=*/0)).find("[0, 255]"),
            std::string::npos);
}

TEST_F(QuantTypeUtilsTest, PerAxisChecks) {
  Builder b(&ctx);
  auto perAxis = [&](int32_t axis, ArrayRef<double> scales,
                     ArrayRef<int64_t> zeroPoints) {
    return quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, b.getIntegerType(8), b.getF32Type(), scales, zeroPoints,
        axis, -127, 127);
  };
  auto emit = [&] { return emitError(UnknownLoc::get(&ctx)); };
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });

  auto good = perAxis(0, {0.1, 0.2, 0.3}, {0, 0, 0});
  EXPECT_TRUE(succeeded(verifyQuantizedType(emit, good)));
  EXPECT_TRUE(succeeded(verifyPerAxisChannels(emit, good, 3, "filter")));

  EXPECT_TRUE(failed(verifyPerAxisChannels(emit, good, 4, "filter")));
  EXPECT_EQ(message, "per-axis filter has 3 scales but 4 output channels");

  auto axis1 = perAxis(1, {0.1, 0.2, 0.3}, {0, 0, 0});
  EXPECT_TRUE(failed(verifyPerAxisChannels(emit, axis1, 3, "filter")));
  EXPECT_NE(message.find("along axis 0"), std::string::npos);

  auto badScale = perAxis(0, {0.1, 0.0, 0.3}, {0, 0, 0});
  EXPECT_TRUE(failed(verifyQuantizedType(emit, badScale)));
  EXPECT_NE(message.find("(channel 1)"), std::string::npos) << message;

  auto badZeroPoint = perAxis(0, {0.1, 0.2, 0.3}, {0, 0, -128});
  EXPECT_TRUE(failed(verifyQuantizedType(emit, badZeroPoint)));
  EXPECT_NE(message.find("zero point -128 is outside the storage range "
                         "[-127, 127] (channel 2)"),
            std::string::npos)
      << message;
}

TEST(FormatReal, ShortestExactForm) {
  EXPECT_EQ(formatReal(0.5), "0.5");
  EXPECT_EQ(formatReal(100.0), "100");
  EXPECT_EQ(formatReal(-10.0), "-10");
  EXPECT_EQ(formatReal(0.0235), "0.0235");
  EXPECT_EQ(formatReal(1e-10), "1e-10");
  EXPECT_EQ(formatReal(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(formatReal(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(formatReal(1e300), "1e+300");
}
