//===- IntegerInterpreterTest.cpp - The reference interpreter, op by op ----===//
//
// Part of quant-opt. Small programs parsed from strings and run through
// qnn::reference::IntegerInterpreter; every expected value is worked out by
// hand in the comments or recomputed here by a naive formula written from
// the op descriptions (QnnOps.td) and docs/Numerics.md.
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/IntegerInterpreter.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace qnn::reference;

namespace {

constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();

/// `values` as a nested MLIR dense literal of `shape`: [[1, 2], [3, 4]].
std::string literal(const std::vector<int64_t> &values,
                    const std::vector<int64_t> &shape) {
  std::string s;
  size_t pos = 0;
  std::function<void(size_t)> emit = [&](size_t dim) {
    if (dim == shape.size()) {
      s += std::to_string(values[pos++]);
      return;
    }
    s += "[";
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i)
        s += ", ";
      emit(dim + 1);
    }
    s += "]";
  };
  emit(0);
  return s;
}

std::vector<int64_t> randomInts(size_t n, int64_t lo, int64_t hi,
                                unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  std::vector<int64_t> v(n);
  for (int64_t &x : v)
    x = dist(gen);
  return v;
}

class IntegerInterpreterTest : public ::testing::Test {
protected:
  IntegerInterpreterTest() {
    ctx.loadDialect<qnn::QnnDialect, func::FuncDialect, arith::ArithDialect,
                    quant::QuantDialect>();
  }

  /// Parses `source`, creates the interpreter for @main and runs it; the
  /// error text (parse diagnostics included) lands in `lastError`.
  std::optional<std::vector<Tensor>> run(const std::string &source,
                                         std::vector<Tensor> inputs) {
    lastError.clear();
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      lastError += diag.str() + "\n";
      return success();
    });
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &ctx);
    if (!module)
      return std::nullopt;
    auto interp = IntegerInterpreter::create(*module, "main");
    if (!interp) {
      lastError = llvm::toString(interp.takeError());
      return std::nullopt;
    }
    module = {}; // the interpreter keeps no reference to the IR
    auto results = (*interp)->run(inputs);
    if (!results) {
      lastError = llvm::toString(results.takeError());
      return std::nullopt;
    }
    return std::move(*results);
  }

  /// Runs a program with one result and returns its integers.
  std::vector<int64_t> runInts(const std::string &source,
                               std::vector<Tensor> inputs) {
    auto results = run(source, std::move(inputs));
    EXPECT_TRUE(results) << lastError;
    if (!results || results->size() != 1)
      return {};
    return (*results)[0].ints;
  }

  MLIRContext ctx;
  std::string lastError;
};

Tensor ints(ElementKind kind, std::vector<int64_t> shape,
            std::vector<int64_t> values) {
  return Tensor::makeInt(kind, shape, std::move(values));
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

/// Naive grouped convolution from the qnn.conv2d pseudocode; padded
/// positions read `izp`.
std::vector<int64_t> naiveConv(const std::vector<int64_t> &x, int64_t N,
                               int64_t H, int64_t W, int64_t C,
                               const std::vector<int64_t> &w, int64_t O,
                               int64_t KH, int64_t KW,
                               const std::vector<int64_t> &bias, int64_t sh,
                               int64_t sw, int64_t dh, int64_t dw, int64_t top,
                               int64_t left, int64_t bottom, int64_t right,
                               int64_t groups, int64_t izp) {
  int64_t Cg = C / groups, Og = O / groups;
  int64_t OH = (H + top + bottom - dh * (KH - 1) - 1) / sh + 1;
  int64_t OW = (W + left + right - dw * (KW - 1) - 1) / sw + 1;
  std::vector<int64_t> y;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t o = 0; o < O; ++o) {
          int64_t g = o / Og;
          int64_t acc = bias.empty() ? 0 : bias[o];
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw)
              for (int64_t c = 0; c < Cg; ++c) {
                int64_t ih = oh * sh + kh * dh - top;
                int64_t iw = ow * sw + kw * dw - left;
                bool inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                int64_t v =
                    inside ? x[((n * H + ih) * W + iw) * C + g * Cg + c] : izp;
                acc += v * w[((o * KH + kh) * KW + kw) * Cg + c];
              }
          y.push_back(acc);
        }
  return y;
}

TEST_F(IntegerInterpreterTest, ConvPadsWithInputZeroPointByHand) {
  // 1x2x2x1 input [[1, 2], [3, 4]], 2x2 filter [[1, 10], [100, 1000]],
  // padding top = 1, left = 1 (bottom = right = 0), stride 1,
  // input_zero_point = -5, bias 7. Output (0,0) sees the window
  // [[P, P], [P, 1]] = -5 - 50 - 500 + 1000 + 7 = 452; (0,1): [[P, P],
  // [1, 2]] = -5 - 50 + 100 + 2000 + 7 = 2052; (1,0): [[P, 1], [P, 3]] =
  // -5 + 10 - 500 + 3000 + 7 = 2512; (1,1): [[1, 2], [3, 4]] = 1 + 20 +
  // 300 + 4000 + 7 = 4328.
  std::string src = R"mlir(
func.func @main(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi32> {
  %w = arith.constant dense<[[[[1], [10]], [[100], [1000]]]]> : tensor<1x2x2x1xi16>
  %b = arith.constant dense<[7]> : tensor<1xi32>
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1]
         padding = [1, 1, 0, 0] groups = 1 input_zero_point = -5
       : (tensor<1x2x2x1xi8>, tensor<1x2x2x1xi16>, tensor<1xi32>) -> tensor<1x2x2x1xi32>
  return %y : tensor<1x2x2x1xi32>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {1, 2, 2, 1}, {1, 2, 3, 4})}),
            (std::vector<int64_t>{452, 2052, 2512, 4328}));
}

TEST_F(IntegerInterpreterTest, ConvStride2AsymmetricPaddingMatchesNaive) {
  const int64_t N = 1, H = 7, W = 6, C = 3, O = 4, KH = 3, KW = 3;
  std::vector<int64_t> x = randomInts(N * H * W * C, -128, 127, 1);
  std::vector<int64_t> w = randomInts(O * KH * KW * C, -127, 127, 2);
  std::vector<int64_t> b = randomInts(O, -5000, 5000, 3);
  // padding [top, left, bottom, right] = [0, 1, 1, 0], izp = -30.
  std::vector<int64_t> expected =
      naiveConv(x, N, H, W, C, w, O, KH, KW, b, 2, 2, 1, 1, 0, 1, 1, 0, 1, -30);
  // OH = (7 + 1 - 3) / 2 + 1 = 3, OW = (6 + 1 - 3) / 2 + 1 = 3.
  ASSERT_EQ(expected.size(), size_t(3 * 3 * O));
  std::string src = "func.func @main(%x: tensor<1x7x6x3xi8>) -> "
                    "tensor<1x3x3x4xi32> {\n"
                    "  %w = arith.constant dense<" +
                    literal(w, {O, KH, KW, C}) +
                    "> : tensor<4x3x3x3xi8>\n"
                    "  %b = arith.constant dense<" +
                    literal(b, {O}) +
                    "> : tensor<4xi32>\n"
                    "  %y = qnn.conv2d %x, %w, %b strides = [2, 2] dilations "
                    "= [1, 1] padding = [0, 1, 1, 0] groups = 1 "
                    "input_zero_point = -30 : (tensor<1x7x6x3xi8>, "
                    "tensor<4x3x3x3xi8>, tensor<4xi32>) -> "
                    "tensor<1x3x3x4xi32>\n"
                    "  return %y : tensor<1x3x3x4xi32>\n}\n";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {N, H, W, C}, x)}), expected);
}

TEST_F(IntegerInterpreterTest, DepthwiseWithMultiplierMatchesNaive) {
  // groups = C = 3, O = 6 (channel multiplier 2), padding 1 all round,
  // stride 1, izp 5, no bias.
  const int64_t N = 1, H = 4, W = 5, C = 3, O = 6, KH = 3, KW = 3;
  std::vector<int64_t> x = randomInts(N * H * W * C, -128, 127, 4);
  std::vector<int64_t> w = randomInts(O * KH * KW * 1, -127, 127, 5);
  std::vector<int64_t> expected =
      naiveConv(x, N, H, W, C, w, O, KH, KW, {}, 1, 1, 1, 1, 1, 1, 1, 1, 3, 5);
  std::string src = "func.func @main(%x: tensor<1x4x5x3xi8>) -> "
                    "tensor<1x4x5x6xi32> {\n"
                    "  %w = arith.constant dense<" +
                    literal(w, {O, KH, KW, 1}) +
                    "> : tensor<6x3x3x1xi8>\n"
                    "  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = "
                    "[1, 1] padding = [1, 1, 1, 1] groups = 3 "
                    "input_zero_point = 5 : (tensor<1x4x5x3xi8>, "
                    "tensor<6x3x3x1xi8>) -> tensor<1x4x5x6xi32>\n"
                    "  return %y : tensor<1x4x5x6xi32>\n}\n";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {N, H, W, C}, x)}), expected);
}

TEST_F(IntegerInterpreterTest, DepthwiseStride2MatchesNaive) {
  // The MobileNet shape: groups = C = O = 8, stride 2, padding [0, 0, 1, 1].
  const int64_t N = 1, H = 6, W = 6, C = 8, O = 8, KH = 3, KW = 3;
  std::vector<int64_t> x = randomInts(N * H * W * C, -128, 127, 14);
  std::vector<int64_t> w = randomInts(O * KH * KW, -127, 127, 15);
  std::vector<int64_t> b = randomInts(O, -300, 300, 16);
  std::vector<int64_t> expected = naiveConv(x, N, H, W, C, w, O, KH, KW, b, 2,
                                            2, 1, 1, 0, 0, 1, 1, 8, -128);
  std::string src = "func.func @main(%x: tensor<1x6x6x8xi8>) -> "
                    "tensor<1x3x3x8xi32> {\n"
                    "  %w = arith.constant dense<" +
                    literal(w, {O, KH, KW, 1}) +
                    "> : tensor<8x3x3x1xi8>\n"
                    "  %b = arith.constant dense<" +
                    literal(b, {O}) +
                    "> : tensor<8xi32>\n"
                    "  %y = qnn.conv2d %x, %w, %b strides = [2, 2] dilations "
                    "= [1, 1] padding = [0, 0, 1, 1] groups = 8 "
                    "input_zero_point = -128 : (tensor<1x6x6x8xi8>, "
                    "tensor<8x3x3x1xi8>, tensor<8xi32>) -> "
                    "tensor<1x3x3x8xi32>\n"
                    "  return %y : tensor<1x3x3x8xi32>\n}\n";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {N, H, W, C}, x)}), expected);
}

TEST_F(IntegerInterpreterTest, GroupedDilatedConvMatchesNaive) {
  // groups = 2 with 2 channels per group, dilation [2, 1], batch 2.
  const int64_t N = 2, H = 6, W = 5, C = 4, O = 4, KH = 2, KW = 3;
  std::vector<int64_t> x = randomInts(N * H * W * C, 0, 255, 6);
  std::vector<int64_t> w = randomInts(O * KH * KW * 2, -127, 127, 7);
  std::vector<int64_t> b = randomInts(O, -100, 100, 8);
  std::vector<int64_t> expected = naiveConv(x, N, H, W, C, w, O, KH, KW, b, 1,
                                            2, 2, 1, 1, 0, 2, 1, 2, 200);
  // OH = (6 + 3 - 2 - 1) / 1 + 1 = 7, OW = (5 + 1 - 2 - 1) / 2 + 1 = 2.
  ASSERT_EQ(expected.size(), size_t(N * 7 * 2 * O));
  std::string src = "func.func @main(%x: tensor<2x6x5x4xui8>) -> "
                    "tensor<2x7x2x4xi32> {\n"
                    "  %w = arith.constant dense<" +
                    literal(w, {O, KH, KW, 2}) +
                    "> : tensor<4x2x3x2xi8>\n"
                    "  %b = arith.constant dense<" +
                    literal(b, {O}) +
                    "> : tensor<4xi32>\n"
                    "  %y = qnn.conv2d %x, %w, %b strides = [1, 2] dilations "
                    "= [2, 1] padding = [1, 0, 2, 1] groups = 2 "
                    "input_zero_point = 200 : (tensor<2x6x5x4xui8>, "
                    "tensor<4x2x3x2xi8>, tensor<4xi32>) -> "
                    "tensor<2x7x2x4xi32>\n"
                    "  return %y : tensor<2x7x2x4xi32>\n}\n";
  EXPECT_EQ(runInts(src, {ints(ElementKind::U8, {N, H, W, C}, x)}), expected);
}

TEST_F(IntegerInterpreterTest, ConvAccumulatorOverflowIsAnError) {
  // 4 x (-32768)^2 = 2^32 does not fit the i32 accumulator.
  std::string src = R"mlir(
func.func @main(%x: tensor<1x1x1x4xi16>) -> tensor<1x1x1x1xi32> {
  %w = arith.constant dense<-32768> : tensor<1x1x1x4xi16>
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1]
         padding = [0, 0, 0, 0] groups = 1 input_zero_point = 0
       : (tensor<1x1x1x4xi16>, tensor<1x1x1x4xi16>) -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}
)mlir";
  auto results =
      run(src, {ints(ElementKind::I16, {1, 1, 1, 4}, {-32768, -32768, -32768,
                                                      -32768})});
  ASSERT_FALSE(results);
  EXPECT_NE(lastError.find("'qnn.conv2d'"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("overflows"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("4294967296"), std::string::npos) << lastError;
}

//===----------------------------------------------------------------------===//
// dense, matmul
//===----------------------------------------------------------------------===//

TEST_F(IntegerInterpreterTest, DenseByHand) {
  // x = [[1, -2, 3], [-128, 0, 127]], w = [[1, 2, 3], [-4, 5, -6]],
  // b = [10, -20]. Row 0: 1 - 4 + 9 + 10 = 16, -4 - 10 - 18 - 20 = -52.
  // Row 1: -128 + 381 + 10 = 263, 512 - 762 - 20 = -270.
  // input_zero_point has no effect on dense (no padding).
  std::string src = R"mlir(
func.func @main(%x: tensor<2x3xi8>) -> tensor<2x2xi32> {
  %w = arith.constant dense<[[1, 2, 3], [-4, 5, -6]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %y = qnn.dense %x, %w, %b input_zero_point = 9
       : (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi32>
  return %y : tensor<2x2xi32>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {2, 3},
                               {1, -2, 3, -128, 0, 127})}),
            (std::vector<int64_t>{16, -52, 263, -270}));
}

TEST_F(IntegerInterpreterTest, DenseResourceWeights) {
  // The same weights as DenseByHand from dense_resource blobs (4-byte
  // alignment header, then little-endian elements).
  std::string src = R"mlir(
func.func @main(%x: tensor<2x3xi8>) -> tensor<2x2xi32> {
  %w = arith.constant dense_resource<w> : tensor<2x3xi8>
  %b = arith.constant dense_resource<b> : tensor<2xi32>
  %y = qnn.dense %x, %w, %b input_zero_point = 0
       : (tensor<2x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi32>
  return %y : tensor<2x2xi32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x01000000010203FC05FA",
      b: "0x040000000A000000ECFFFFFF"
    }
  }
#-}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {2, 3},
                               {1, -2, 3, -128, 0, 127})}),
            (std::vector<int64_t>{16, -52, 263, -270}));
}

TEST_F(IntegerInterpreterTest, MatmulSubtractsZeroPoints) {
  // (lhs - 2) = [[-1, 0], [1, 3]], (rhs + 1) = [[2, 0], [-1, 4]]:
  // [[-2, 0], [-1, 12]].
  std::string src = R"mlir(
func.func @main(%a: tensor<2x2xi8>, %b: tensor<2x2xi8>) -> tensor<2x2xi32> {
  %c = qnn.matmul %a, %b lhs_zero_point = 2 rhs_zero_point = -1
       : (tensor<2x2xi8>, tensor<2x2xi8>) -> tensor<2x2xi32>
  return %c : tensor<2x2xi32>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {2, 2}, {1, 2, 3, 5}),
                          ints(ElementKind::I8, {2, 2}, {1, -1, -2, 3})}),
            (std::vector<int64_t>{-2, 0, -1, 12}));
}

//===----------------------------------------------------------------------===//
// requantize
//===----------------------------------------------------------------------===//

std::string requantProgram(const std::string &type, int64_t n,
                           const std::string &attrs) {
  std::string t = "tensor<" + std::to_string(n) + "x";
  return "func.func @main(%x: " + t + type + ">) -> " + t + type +
         "> {\n  %y = qnn.requantize %x " + attrs + " : " + t + type +
         "> -> " + t + type + ">\n  return %y : " + t + type + ">\n}\n";
}

TEST_F(IntegerInterpreterTest, RequantizeDoubleRoundingByHand) {
  // M = 2^30 * 2^(-1-31) = 0.25. SRDHM(x, 2^30) = floor((x + 1) / 2), then
  // RoundingDivideByPOT(., 1) rounds half away from zero:
  //   x = -6: floor(-2.5) = -3 -> -1.5 -> -2   (exact -1.5)
  //   x = -2: floor(-0.5) = -1 -> -0.5 -> -1   (exact -0.5)
  //   x =  5: floor(3)    =  3 ->  1.5 ->  2   (exact 1.25: double rounds twice)
  //   x =  6: floor(3.5)  =  3 ->  1.5 ->  2
  //   x = -5: floor(-2)   = -2 -> -1   -> -1
  //   x = 1000 -> 250, clamped to 100.
  std::string src = requantProgram(
      "i32", 6,
      "fixed_point = <m0 = [1073741824], shift = [-1]> axis = 0 "
      "input_zero_point = 0 output_zero_point = 0 clamp = [-100, 100] "
      "rounding = double");
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {6}, {-6, -2, 5, 6, -5, 1000})}),
            (std::vector<int64_t>{-2, -1, 2, 2, -1, 100}));
}

TEST_F(IntegerInterpreterTest, RequantizeSingleRoundingByHand) {
  // (x * 2^30 + 2^31) >> 32 = floor(x / 4 + 1/2): round half up.
  //   -6 -> floor(-1) = -1; -2 -> floor(0) = 0; 5 -> floor(1.75) = 1;
  //    6 -> floor(2) = 2;   -5 -> floor(-0.75) = -1; 1000 -> 250 -> 100.
  std::string src = requantProgram(
      "i32", 6,
      "fixed_point = <m0 = [1073741824], shift = [-1]> axis = 0 "
      "input_zero_point = 0 output_zero_point = 0 clamp = [-100, 100] "
      "rounding = single");
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {6}, {-6, -2, 5, 6, -5, 1000})}),
            (std::vector<int64_t>{-1, 0, 1, 2, -1, 100}));
}

TEST_F(IntegerInterpreterTest, RequantizeZeroPointsPerChannelClamp) {
  // Shape 2x2, axis 1: channel 0 M = 0.5 (m0 2^30, shift 0), channel 1
  // M = 0.75 (m0 3 * 2^29, shift 0); input_zero_point 3, output -10,
  // clamp [-12, 20].
  //   [0,0] x = 8:  v = 5,  2.5 -> 3,  -7
  //   [0,1] x = 8:  v = 5,  3.75 -> 4, -6
  //   [1,0] x = -1: v = -4, -2 -> -2,  -12
  //   [1,1] x = 99: v = 96, 72,        62 -> 20
  std::string src = R"mlir(
func.func @main(%x: tensor<2x2xi16>) -> tensor<2x2xi8> {
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824, 1610612736], shift = [0, 0]>
         axis = 1 input_zero_point = 3 output_zero_point = -10 clamp = [-12, 20]
         rounding = double : tensor<2x2xi16> -> tensor<2x2xi8>
  return %y : tensor<2x2xi8>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I16, {2, 2}, {8, 8, -1, 99})}),
            (std::vector<int64_t>{-7, -6, -12, 20}));
}

TEST_F(IntegerInterpreterTest, RequantizePerChannelClampPairs) {
  // One multiplier 1.0 (float form), axis 1, a clamp pair per channel:
  // channel 0 [0, 4], channel 1 [-2, 8] (an equalized relu6).
  //   [0,0] 9 -> 4, [0,1] 9 -> 8, [1,0] -5 -> 0, [1,1] -5 -> -2.
  std::string src = R"mlir(
func.func @main(%x: tensor<2x2xi32>) -> tensor<2x2xi8> {
  %y = qnn.requantize %x scale = [1.0] axis = 1 input_zero_point = 0
         output_zero_point = 0 clamp = [0, 4, -2, 8] rounding = double
         : tensor<2x2xi32> -> tensor<2x2xi8>
  return %y : tensor<2x2xi8>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {2, 2}, {9, 9, -5, -5})}),
            (std::vector<int64_t>{4, 8, 0, -2}));
}

TEST_F(IntegerInterpreterTest, RequantizeUndefinedInTFLiteRules) {
  // docs/Numerics.md's two rules.
  // 1. shift > 0: v << shift overflows int32. M = 2^30 * 2^(2-31) = 2:
  //    x = 2^30 gives R = 2^31, saturated to 2^31 - 1, then + (-5):
  //    2147483642 (saturating after the zero point would give 2147483647).
  //    x = 3 stays inside int32 (gemmlowp's path): 6 - 5 = 1.
  // 2. v = x - input_zero_point saturated to int32: with izp = 0 here; see
  //    the second program.
  std::string src = requantProgram(
      "i32", 2,
      "fixed_point = <m0 = [1073741824], shift = [2]> axis = 0 "
      "input_zero_point = 0 output_zero_point = -5 clamp = [-2147483648, "
      "2147483647] rounding = double");
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {2}, {1 << 30, 3})}),
            (std::vector<int64_t>{2147483642, 1}));
  // x = INT32_MIN + 5, izp = 10: v = INT32_MIN - 5 saturates to INT32_MIN;
  // M = 0.5 exactly: -2^30 (unsaturated it would be -2^30 - 2.5 -> -2^30-3).
  std::string src2 = requantProgram(
      "i32", 1,
      "fixed_point = <m0 = [1073741824], shift = [0]> axis = 0 "
      "input_zero_point = 10 output_zero_point = 0 clamp = [-2147483648, "
      "2147483647] rounding = single");
  EXPECT_EQ(runInts(src2, {ints(ElementKind::I32, {1}, {kI32Min + 5})}),
            (std::vector<int64_t>{-(int64_t(1) << 30)}));
}

TEST_F(IntegerInterpreterTest, RequantizeFloatFormByHand) {
  // scale 0.5, output_zero_point 2: round half away from zero.
  //   -3 -> -1.5 -> -2 -> 0;  -1 -> -0.5 -> -1 -> 1;  1 -> 0.5 -> 1 -> 3;
  //    3 ->  1.5 ->  2 -> 4;   5 ->  2.5 ->  3 -> 5;  1000 -> 502 -> 127.
  //   -1000 -> -498 -> -128.
  std::string src = R"mlir(
func.func @main(%x: tensor<7xi32>) -> tensor<7xi8> {
  %y = qnn.requantize %x scale = [5.000000e-01] axis = 0 input_zero_point = 0
         output_zero_point = 2 clamp = [-128, 127] rounding = double
       : tensor<7xi32> -> tensor<7xi8>
  return %y : tensor<7xi8>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {7},
                               {-3, -1, 1, 3, 5, 1000, -1000})}),
            (std::vector<int64_t>{0, 1, 3, 4, 5, 127, -128}));
}

TEST_F(IntegerInterpreterTest, RequantizeFloatFormDoesNotSaturateV) {
  // x = INT32_MIN, izp = 1: v = -2^31 - 1 exactly; scale 1, ozp 10:
  // -2147483639 (saturating v would give -2147483638).
  std::string src = R"mlir(
func.func @main(%x: tensor<1xi32>) -> tensor<1xi32> {
  %y = qnn.requantize %x scale = [1.000000e+00] axis = 0 input_zero_point = 1
         output_zero_point = 10 clamp = [-2147483648, 2147483647] rounding = double
       : tensor<1xi32> -> tensor<1xi32>
  return %y : tensor<1xi32>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I32, {1}, {kI32Min})}),
            (std::vector<int64_t>{-2147483639}));
}

//===----------------------------------------------------------------------===//
// Pooling, add
//===----------------------------------------------------------------------===//

TEST_F(IntegerInterpreterTest, AvgPoolRoundsNegativeTiesAwayFromZero) {
  // Windows of 2: (-1, 0) -> -0.5 -> -1; (-3, 0) -> -1.5 -> -2;
  // (5, 0) -> 2.5 -> 3; (-7, 2) -> -2.5 -> -3.
  std::string src = R"mlir(
func.func @main(%x: tensor<1x1x8x1xi32>) -> tensor<1x1x4x1xi32> {
  %y = qnn.avg_pool2d %x kernel = [1, 2] strides = [1, 2] padding = [0, 0, 0, 0]
         divisor = exclude_pad : tensor<1x1x8x1xi32> -> tensor<1x1x4x1xi32>
  return %y : tensor<1x1x4x1xi32>
}
)mlir";
  auto results = run(src, {ints(ElementKind::I32, {1, 1, 8, 1},
                                {-1, 0, -3, 0, 5, 0, -7, 2})});
  if (!results) {
    // The integer form of avg_pool2d is new; say so rather than pass.
    FAIL() << "the integer avg_pool2d does not run: " << lastError;
  }
  EXPECT_EQ((*results)[0].ints, (std::vector<int64_t>{-1, -2, 3, -3}));
}

TEST_F(IntegerInterpreterTest, AvgPoolDivisorsAtBorders) {
  // Input [[-3, 5], [7, -9]], kernel 2x2, stride 1, padding top = left = 1.
  // Windows (inside positions): (0,0) {-3}: include_pad -3/4 -> -1,
  // exclude_pad -3; (0,1) {-3, 5} = 2: 2/4 -> 1, 2/2 = 1; (1,0) {-3, 7} = 4:
  // 1, 2; (1,1) all = 0: 0, 0.
  auto program = [](const char *divisor) {
    return std::string(R"mlir(
func.func @main(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %y = qnn.avg_pool2d %x kernel = [2, 2] strides = [1, 1] padding = [1, 1, 0, 0]
         divisor = )mlir") +
           divisor + R"mlir( : tensor<1x2x2x1xi8> -> tensor<1x2x2x1xi8>
  return %y : tensor<1x2x2x1xi8>
}
)mlir";
  };
  Tensor x = ints(ElementKind::I8, {1, 2, 2, 1}, {-3, 5, 7, -9});
  EXPECT_EQ(runInts(program("include_pad"), {x}),
            (std::vector<int64_t>{-1, 1, 1, 0}));
  EXPECT_EQ(runInts(program("exclude_pad"), {x}),
            (std::vector<int64_t>{-3, 1, 2, 0}));
}

TEST_F(IntegerInterpreterTest, MaxPoolIgnoresPadding) {
  // All-negative input: a padded position must not contribute a 0 (or the
  // zero point). Kernel 2x2 stride 2, padding bottom = right = 1 on 3x3.
  std::string src = R"mlir(
func.func @main(%x: tensor<1x3x3x1xi8>) -> tensor<1x2x2x1xi8> {
  %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 1, 1]
       : tensor<1x3x3x1xi8> -> tensor<1x2x2x1xi8>
  return %y : tensor<1x2x2x1xi8>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {1, 3, 3, 1},
                               {-9, -8, -7, -6, -5, -4, -3, -2, -100})}),
            (std::vector<int64_t>{-5, -4, -2, -100}));
}

TEST_F(IntegerInterpreterTest, GlobalAvgPoolIsThePlainSum) {
  // 1x2x3x2 input; channel 0 sums 1+2+3+4+5+6 = 21, channel 1
  // -1-2-3-4-5-128 = -143 (no division: it lives in the next requantize).
  std::string src = R"mlir(
func.func @main(%x: tensor<1x2x3x2xi8>) -> tensor<1x1x1x2xi32> {
  %y = qnn.global_avg_pool %x : tensor<1x2x3x2xi8> -> tensor<1x1x1x2xi32>
  return %y : tensor<1x1x1x2xi32>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {1, 2, 3, 2},
                               {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -128})}),
            (std::vector<int64_t>{21, -143}));
}

TEST_F(IntegerInterpreterTest, AddBroadcasts) {
  // [2, 3] + [3] and [2, 3] + [2, 1].
  std::string src = R"mlir(
func.func @main(%a: tensor<2x3xi32>, %b: tensor<3xi32>, %c: tensor<2x1xi32>)
    -> (tensor<2x3xi32>, tensor<2x3xi32>) {
  %x = qnn.add %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %y = qnn.add %a, %c : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  return %x, %y : tensor<2x3xi32>, tensor<2x3xi32>
}
)mlir";
  auto results =
      run(src, {ints(ElementKind::I32, {2, 3}, {1, 2, 3, 4, 5, 6}),
                ints(ElementKind::I32, {3}, {10, 20, 30}),
                ints(ElementKind::I32, {2, 1}, {-100, 1000})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].ints, (std::vector<int64_t>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ((*results)[1].ints,
            (std::vector<int64_t>{-99, -98, -97, 1004, 1005, 1006}));
}

TEST_F(IntegerInterpreterTest, AddOverflowIsAnError) {
  std::string src = R"mlir(
func.func @main(%a: tensor<2xi32>, %b: tensor<2xi32>) -> tensor<2xi32> {
  %x = qnn.add %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %x : tensor<2xi32>
}
)mlir";
  auto results = run(src, {ints(ElementKind::I32, {2}, {1, kI32Max}),
                           ints(ElementKind::I32, {2}, {1, 1})});
  ASSERT_FALSE(results);
  EXPECT_NE(lastError.find("'qnn.add'"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("2147483648"), std::string::npos) << lastError;
}

//===----------------------------------------------------------------------===//
// quant casts
//===----------------------------------------------------------------------===//

TEST_F(IntegerInterpreterTest, QuantizeCastTiesToEvenAndSaturates) {
  // scale 0.5, zero point 1: x / 0.5 rounded half to even, + 1, saturated.
  //   0.25 -> 0.5 -> 0 -> 1;   0.75 -> 1.5 -> 2 -> 3;  -0.25 -> -0.5 -> 0 -> 1
  //   1.25 -> 2.5 -> 2 -> 3;  -0.75 -> -1.5 -> -2 -> -1
  //   100 -> 201 -> 127;  -100 -> -199 -> -128 (narrow: -127).
  std::string src = R"mlir(
func.func @main(%x: tensor<7xf32>) -> (tensor<7xi8>, tensor<7xi8>) {
  %q = quant.qcast %x : tensor<7xf32> to tensor<7x!quant.uniform<i8:f32, 0.5:1>>
  %i = quant.scast %q : tensor<7x!quant.uniform<i8:f32, 0.5:1>> to tensor<7xi8>
  %n = quant.qcast %x : tensor<7xf32> to tensor<7x!quant.uniform<i8<-127:127>:f32, 0.5:1>>
  %j = quant.scast %n : tensor<7x!quant.uniform<i8<-127:127>:f32, 0.5:1>> to tensor<7xi8>
  return %i, %j : tensor<7xi8>, tensor<7xi8>
}
)mlir";
  auto results =
      run(src, {Tensor::makeFloat({7}, {0.25f, 0.75f, -0.25f, 1.25f, -0.75f,
                                        100.0f, -100.0f})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].kind, ElementKind::I8);
  EXPECT_EQ((*results)[0].ints,
            (std::vector<int64_t>{1, 3, 1, 3, -1, 127, -128}));
  EXPECT_EQ((*results)[1].ints,
            (std::vector<int64_t>{1, 3, 1, 3, -1, 127, -127}));
}

TEST_F(IntegerInterpreterTest, QuantizeCastUnsignedAndNaN) {
  // u8, scale 0.1 (f32 0.100000001), zero point 128: 1.0 / 0.1f rounds to
  // 10 -> 138; -20 -> -200 + 128 -> 0 (saturated); 20 -> 328 -> 255. The
  // result is returned as the quantized type (uint8) and through
  // quant.scast to i8, which keeps the storage bits: 138 -> -118, 255 -> -1.
  std::string src = R"mlir(
func.func @main(%x: tensor<3xf32>) -> (tensor<3x!quant.uniform<u8:f32, 0.1:128>>, tensor<3xi8>) {
  %q = quant.qcast %x : tensor<3xf32> to tensor<3x!quant.uniform<u8:f32, 0.1:128>>
  %i = quant.scast %q : tensor<3x!quant.uniform<u8:f32, 0.1:128>> to tensor<3xi8>
  return %q, %i : tensor<3x!quant.uniform<u8:f32, 0.1:128>>, tensor<3xi8>
}
)mlir";
  auto results = run(src, {Tensor::makeFloat({3}, {1.0f, -20.0f, 20.0f})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].kind, ElementKind::U8);
  EXPECT_EQ((*results)[0].ints, (std::vector<int64_t>{138, 0, 255}));
  EXPECT_EQ((*results)[1].kind, ElementKind::I8);
  EXPECT_EQ((*results)[1].ints, (std::vector<int64_t>{-118, 0, -1}));
  auto nan = run(src, {Tensor::makeFloat({3}, {0.0f, std::nanf(""), 1.0f})});
  ASSERT_FALSE(nan);
  EXPECT_NE(lastError.find("'quant.qcast'"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("NaN"), std::string::npos) << lastError;
}

TEST_F(IntegerInterpreterTest, DequantizeCast) {
  // scale 0.5, zero point -3: (q + 3) * 0.5.
  std::string src = R"mlir(
func.func @main(%x: tensor<3xi8>) -> tensor<3xf32> {
  %q = quant.scast %x : tensor<3xi8> to tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  %f = quant.dcast %q : tensor<3x!quant.uniform<i8:f32, 0.5:-3>> to tensor<3xf32>
  return %f : tensor<3xf32>
}
)mlir";
  auto results = run(src, {ints(ElementKind::I8, {3}, {-128, 0, 127})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].floats, (std::vector<float>{-62.5f, 1.5f, 65.0f}));
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

TEST_F(IntegerInterpreterTest, TransposeReshapeConcat) {
  // x = [[1, 2, 3], [4, 5, 6]] (2x3), transposed [[1, 4], [2, 5], [3, 6]],
  // reshaped to 2x3 = [[1, 4, 2], [5, 3, 6]], concatenated with x along 1.
  std::string src = R"mlir(
func.func @main(%x: tensor<2x3xi8>) -> tensor<2x6xi8> {
  %t = qnn.transpose %x permutation = [1, 0] : tensor<2x3xi8> -> tensor<3x2xi8>
  %r = qnn.reshape %t : tensor<3x2xi8> -> tensor<2x3xi8>
  %c = qnn.concat %r, %x axis = 1 : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x6xi8>
  return %c : tensor<2x6xi8>
}
)mlir";
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {2, 3}, {1, 2, 3, 4, 5, 6})}),
            (std::vector<int64_t>{1, 4, 2, 1, 2, 3, 5, 3, 6, 4, 5, 6}));
}

TEST_F(IntegerInterpreterTest, PadModes) {
  // [1, 2, 3] padded low 2, high 1: constant -7: [-7, -7, 1, 2, 3, -7];
  // reflect: [3, 2, 1, 2, 3, 2]; edge: [1, 1, 1, 2, 3, 3].
  std::string src = R"mlir(
func.func @main(%x: tensor<3xi8>) -> (tensor<6xi8>, tensor<6xi8>, tensor<6xi8>) {
  %c = qnn.pad %x low = [2] high = [1] mode = constant value = -7.0 : tensor<3xi8> -> tensor<6xi8>
  %r = qnn.pad %x low = [2] high = [1] mode = reflect value = 0.0 : tensor<3xi8> -> tensor<6xi8>
  %e = qnn.pad %x low = [2] high = [1] mode = edge value = 0.0 : tensor<3xi8> -> tensor<6xi8>
  return %c, %r, %e : tensor<6xi8>, tensor<6xi8>, tensor<6xi8>
}
)mlir";
  auto results = run(src, {ints(ElementKind::I8, {3}, {1, 2, 3})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].ints, (std::vector<int64_t>{-7, -7, 1, 2, 3, -7}));
  EXPECT_EQ((*results)[1].ints, (std::vector<int64_t>{3, 2, 1, 2, 3, 2}));
  EXPECT_EQ((*results)[2].ints, (std::vector<int64_t>{1, 1, 1, 2, 3, 3}));
}

//===----------------------------------------------------------------------===//
// Errors and program structure
//===----------------------------------------------------------------------===//

TEST_F(IntegerInterpreterTest, UnsupportedOpIsNamedWithItsLocation) {
  std::string src = R"mlir(
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = qnn.softmax %x axis = 1 : tensor<1x4xf32> -> tensor<1x4xf32> loc("probs")
  return %y : tensor<1x4xf32>
}
)mlir";
  auto results = run(src, {Tensor::makeFloat({1, 4}, {0, 1, 2, 3})});
  ASSERT_FALSE(results);
  EXPECT_NE(lastError.find("'qnn.softmax'"), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("\"probs\""), std::string::npos) << lastError;
  EXPECT_NE(lastError.find("unsupported op"), std::string::npos) << lastError;
}

TEST_F(IntegerInterpreterTest, FloatFormLayerIsRejected) {
  std::string src = R"mlir(
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %y = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32> loc("fc")
  return %y : tensor<1x1xf32>
}
)mlir";
  ASSERT_FALSE(run(src, {Tensor::makeFloat({1, 2}, {1, 2})}));
  EXPECT_NE(lastError.find("'qnn.dense' at loc(\"fc\")"), std::string::npos)
      << lastError;
  EXPECT_NE(lastError.find("integer form"), std::string::npos) << lastError;
}

TEST_F(IntegerInterpreterTest, DeadOpsAreSkipped) {
  // The unused softmax (an unsupported op) is never evaluated.
  std::string src = R"mlir(
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %unused = qnn.softmax %x axis = 1 : tensor<1x4xf32> -> tensor<1x4xf32>
  %t = qnn.reshape %x : tensor<1x4xf32> -> tensor<1x4xf32>
  return %t : tensor<1x4xf32>
}
)mlir";
  auto results = run(src, {Tensor::makeFloat({1, 4}, {0, 1, 2, 3})});
  ASSERT_TRUE(results) << lastError;
  EXPECT_EQ((*results)[0].floats, (std::vector<float>{0, 1, 2, 3}));
}

TEST_F(IntegerInterpreterTest, BadInputsAndEntry) {
  std::string src = R"mlir(
func.func @main(%x: tensor<2xi8>) -> tensor<2xi8> {
  return %x : tensor<2xi8>
}
)mlir";
  EXPECT_FALSE(run(src, {ints(ElementKind::I16, {2}, {1, 2})}));
  EXPECT_NE(lastError.find("int16[2], expected int8[2]"), std::string::npos)
      << lastError;
  EXPECT_FALSE(run(src, {ints(ElementKind::I8, {2}, {1, 200})}));
  EXPECT_NE(lastError.find("200"), std::string::npos) << lastError;
  EXPECT_EQ(runInts(src, {ints(ElementKind::I8, {2}, {-1, 2})}),
            (std::vector<int64_t>{-1, 2}));

  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, &ctx);
  ASSERT_TRUE(module);
  auto interp = IntegerInterpreter::create(*module, "nope");
  ASSERT_FALSE(interp);
  EXPECT_EQ(llvm::toString(interp.takeError()),
            "the module has no func.func @nope");
}

} // namespace
