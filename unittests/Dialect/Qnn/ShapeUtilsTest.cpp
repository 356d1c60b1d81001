//===- ShapeUtilsTest.cpp - Windowed output sizes ---------------------------===//
//
// Part of quant-opt. Expected values are worked by hand from the definition
// (PyTorch/ONNX conv output-size formula), not taken from the program.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/ShapeUtils.h"

#include <gtest/gtest.h>

using qnn::getWindowedOutputSize;

TEST(ShapeUtils, UnitStrideNoPadding) {
  // 5 wide, 3-tap kernel: positions 0..2.
  EXPECT_EQ(getWindowedOutputSize(5, 0, 0, 3, 1), 3);
}

TEST(ShapeUtils, SameUpperPaddingStrideTwo) {
  // TensorFlow 'SAME' on 96 with a 3x3 stride-2 kernel pads [0, 1]: 48 out.
  EXPECT_EQ(getWindowedOutputSize(96, 0, 1, 3, 2), 48);
  // Symmetric padding 1 gives the same count here.
  EXPECT_EQ(getWindowedOutputSize(96, 1, 1, 3, 2), 48);
  // Odd input: 7 + 0 + 1 = 8, (8 - 3) / 2 + 1 = 3.
  EXPECT_EQ(getWindowedOutputSize(7, 0, 1, 3, 2), 3);
}

TEST(ShapeUtils, Dilation) {
  // Dilation 2 turns a 3-tap kernel into a 5-wide window: 9 - 5 + 1 = 5.
  EXPECT_EQ(getWindowedOutputSize(9, 0, 0, 3, 1, 2), 5);
  EXPECT_EQ(getWindowedOutputSize(4, 0, 0, 3, 1, 2), std::nullopt);
}

TEST(ShapeUtils, KernelLargerThanInput) {
  EXPECT_EQ(getWindowedOutputSize(2, 0, 0, 3, 1), std::nullopt);
  // Padding can make it fit exactly.
  EXPECT_EQ(getWindowedOutputSize(2, 1, 0, 3, 1), 1);
}

TEST(ShapeUtils, GlobalWindow) {
  // KWS's 25x5 average pool over a 25x5 map gives 1x1.
  EXPECT_EQ(getWindowedOutputSize(25, 0, 0, 25, 1), 1);
  EXPECT_EQ(getWindowedOutputSize(5, 0, 0, 5, 1), 1);
}

TEST(ShapeUtils, OverflowIsReportedNotWrapped) {
  qnn::WindowError error = qnn::WindowError::None;
  // dilation * (kernel - 1) = 2^62 * 4 wraps to 0 in int64.
  EXPECT_EQ(getWindowedOutputSize(8, 0, 0, 5, 1, int64_t(1) << 62, &error),
            std::nullopt);
  EXPECT_EQ(error, qnn::WindowError::Overflow);
  EXPECT_EQ(getWindowedOutputSize(INT64_MAX, 1, 0, 1, 1, 1, &error),
            std::nullopt);
  EXPECT_EQ(error, qnn::WindowError::Overflow);
  EXPECT_EQ(getWindowedOutputSize(2, 0, 0, 3, 1, 1, &error), std::nullopt);
  EXPECT_EQ(error, qnn::WindowError::TooSmall);
  EXPECT_EQ(getWindowedOutputSize(3, 0, 0, 3, 1, 1, &error), 1);
  EXPECT_EQ(error, qnn::WindowError::None);
}

TEST(ShapeUtils, CheckedArithmetic) {
  EXPECT_EQ(qnn::checkedNumElements({2, 3, 4}), 24);
  EXPECT_EQ(qnn::checkedNumElements({}), 1);
  EXPECT_EQ(qnn::checkedNumElements({int64_t(1) << 32, int64_t(1) << 32}),
            std::nullopt);
  EXPECT_EQ(qnn::checkedAdd(INT64_MAX, 1), std::nullopt);
  EXPECT_EQ(qnn::checkedAdd(int64_t(1) << 62, int64_t(1) << 62), std::nullopt);
  EXPECT_EQ(qnn::checkedAdd(-5, 3), -2);
}
