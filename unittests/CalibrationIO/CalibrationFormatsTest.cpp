//===- CalibrationFormatsTest.cpp - Calibration statistics files ----------===//
//
// Part of quant-opt. Every format the readers understand, every error they
// report, and the byte-identical round trip of the project's JSON. The
// example files are written here by hand from the format descriptions
// (docs/CalibrationStats.md, algorithms.md 6); test/CalibrationIO reads the
// reference examples of ../shared.
//
//===----------------------------------------------------------------------===//

#include "qnn/CalibrationIO/CalibrationFormats.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <random>

using namespace llvm;
using namespace qnn::calib;

namespace {

/// Parses `text` (named "f.json" in errors) and expects success.
CalibrationTable parseOk(StringRef text,
                         CalibrationFormat format = CalibrationFormat::Auto) {
  Expected<CalibrationTable> table = parseCalibration(text, "f.json", format);
  if (!table) {
    ADD_FAILURE() << toString(table.takeError());
    return {};
  }
  return std::move(*table);
}

/// Parses `text` and returns the error message (empty on success).
std::string parseError(StringRef text,
                       CalibrationFormat format = CalibrationFormat::Auto) {
  Expected<CalibrationTable> table = parseCalibration(text, "f.json", format);
  if (table) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return toString(table.takeError());
}

#define EXPECT_ERROR(text, substring)                                          \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, substring, parseError(text))

/// A qnn-calibration document around `tensors` (the JSON of the tensors
/// object's members).
std::string qnnDoc(StringRef tensors) {
  return (R"({"format": "qnn-calibration", "version": 1, "producer": "t", )"
          R"("tensors": {)" +
          tensors + "}}")
      .str();
}

TensorStatistics makeStats(StringRef name, double min, double max) {
  TensorStatistics stats;
  stats.name = name.str();
  stats.min = min;
  stats.max = max;
  return stats;
}

//===----------------------------------------------------------------------===//
// Format names
//===----------------------------------------------------------------------===//

TEST(CalibrationFormats, Names) {
  for (CalibrationFormat format :
       {CalibrationFormat::Auto, CalibrationFormat::Qnn,
        CalibrationFormat::Aimet, CalibrationFormat::TensorRT,
        CalibrationFormat::Ort})
    EXPECT_EQ(parseCalibrationFormat(stringifyCalibrationFormat(format)),
              format);
  EXPECT_EQ(stringifyCalibrationFormat(CalibrationFormat::TensorRT),
            "tensorrt");
  EXPECT_FALSE(parseCalibrationFormat("onnx"));
  EXPECT_FALSE(parseCalibrationFormat(""));
}

//===----------------------------------------------------------------------===//
// The project's JSON
//===----------------------------------------------------------------------===//

const char *const kCanonical = R"({
  "format": "qnn-calibration",
  "producer": "quant-run 1",
  "tensors": {
    "conv1_out": {
      "channel_max": [
        3.25,
        1
      ],
      "channel_mean": [
        0.25,
        0.5
      ],
      "channel_min": [
        -1.5,
        0
      ],
      "count": 100,
      "histogram": {
        "bins": 3,
        "counts": [
          10,
          80.5,
          9.5
        ],
        "max": 3.25,
        "min": -1.5
      },
      "max": 3.25,
      "min": -1.5
    },
    "input": {
      "count": 7,
      "max": 0.1,
      "min": -1e-07
    }
  },
  "version": 1
}
)";

TEST(QnnStatsJson, ReadsEveryField) {
  CalibrationTable table = parseOk(kCanonical);
  EXPECT_EQ(table.producer, "quant-run 1");
  ASSERT_EQ(table.tensors.size(), 2u);
  const TensorStatistics *conv = table.lookup("conv1_out");
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->count, 100u);
  EXPECT_EQ(conv->min, -1.5);
  EXPECT_EQ(conv->max, 3.25);
  ASSERT_TRUE(conv->histogram);
  EXPECT_EQ(conv->histogram->lo, -1.5);
  EXPECT_EQ(conv->histogram->hi, 3.25);
  EXPECT_EQ(conv->histogram->counts, (std::vector<double>{10, 80.5, 9.5}));
  EXPECT_EQ(conv->channelMin, (std::vector<double>{-1.5, 0}));
  EXPECT_EQ(conv->channelMax, (std::vector<double>{3.25, 1}));
  EXPECT_EQ(conv->channelMean, (std::vector<double>{0.25, 0.5}));
  const TensorStatistics *input = table.lookup("input");
  ASSERT_TRUE(input);
  EXPECT_EQ(input->count, 7u);
  EXPECT_EQ(input->max, 0.1);
  EXPECT_EQ(input->min, -1e-7);
  EXPECT_FALSE(input->histogram);
  EXPECT_FALSE(input->hasChannelStats());
}

TEST(QnnStatsJson, ReadWriteIsByteIdentical) {
  CalibrationTable table = parseOk(kCanonical, CalibrationFormat::Qnn);
  EXPECT_EQ(writeQnnStatsJson(table), kCanonical);
}

TEST(QnnStatsJson, WriterIsDeterministic) {
  CalibrationTable a;
  a.producer = "p";
  a.tensors = {makeStats("b", 0, 1), makeStats("a", -1, 1),
               makeStats("c", 2, 3)};
  CalibrationTable b = a;
  std::reverse(b.tensors.begin(), b.tensors.end());
  EXPECT_EQ(writeQnnStatsJson(a), writeQnnStatsJson(b));
  std::string text = writeQnnStatsJson(a);
  EXPECT_LT(text.find("\"a\""), text.find("\"b\""));
  EXPECT_LT(text.find("\"b\""), text.find("\"c\""));
}

TEST(QnnStatsJson, DoublesAreShortestAndExact) {
  CalibrationTable table;
  table.tensors = {makeStats("x", -0.0, 0.1)};
  std::string text = writeQnnStatsJson(table);
  EXPECT_NE(text.find("\"max\": 0.1,\n"), std::string::npos) << text;
  // -0 is written as 0 (llvm::json reads "-0" as the integer 0).
  EXPECT_NE(text.find("\"min\": 0\n"), std::string::npos) << text;

  // Extremes and random bit patterns come back bit for bit.
  std::vector<double> values = {DBL_MAX,
                                -DBL_MAX,
                                DBL_MIN,
                                5e-324,
                                1.0 / 3,
                                2.0 / 3,
                                123456789.125,
                                1e22,
                                9007199254740993.0,
                                18446744073709551616.0};
  std::mt19937_64 random(42);
  while (values.size() < 2000) {
    double v = llvm::bit_cast<double>(random());
    if (std::isfinite(v))
      values.push_back(v);
  }
  CalibrationTable many;
  for (size_t i = 0; i < values.size(); ++i) {
    double v = values[i];
    TensorStatistics stats =
        makeStats("t" + std::to_string(i), std::min(v, 0.0), std::max(v, 0.0));
    stats.histogram = Histogram{-1, 1, {std::fabs(v)}};
    many.tensors.push_back(stats);
  }
  std::string written = writeQnnStatsJson(many);
  CalibrationTable back = parseOk(written);
  ASSERT_EQ(back.tensors.size(), values.size());
  for (const TensorStatistics &original : many.tensors) {
    const TensorStatistics *read = back.lookup(original.name);
    ASSERT_TRUE(read) << original.name;
    EXPECT_EQ(llvm::bit_cast<uint64_t>(read->min),
              llvm::bit_cast<uint64_t>(original.min == 0 ? 0.0 : original.min));
    EXPECT_EQ(llvm::bit_cast<uint64_t>(read->max),
              llvm::bit_cast<uint64_t>(original.max == 0 ? 0.0 : original.max));
    EXPECT_EQ(read->histogram->counts, original.histogram->counts);
  }
  EXPECT_EQ(writeQnnStatsJson(back), written);
}

TEST(QnnStatsJson, LargeCountsAndEmptyTable) {
  CalibrationTable table;
  TensorStatistics stats = makeStats("x", 0, 0);
  stats.count = UINT64_MAX;
  table.tensors = {stats};
  CalibrationTable back = parseOk(writeQnnStatsJson(table));
  EXPECT_EQ(back.tensors.at(0).count, UINT64_MAX);

  CalibrationTable empty;
  std::string text = writeQnnStatsJson(empty);
  EXPECT_EQ(parseOk(text).tensors.size(), 0u);
  EXPECT_EQ(writeQnnStatsJson(parseOk(text)), text);
}

TEST(QnnStatsJson, IntegralDoubleCountIsAccepted) {
  CalibrationTable table =
      parseOk(qnnDoc(R"("x": {"count": 3.0, "min": 0, "max": 1})"));
  EXPECT_EQ(table.tensors.at(0).count, 3u);
}

TEST(QnnStatsJson, SyntaxErrorsHaveLineAndColumn) {
  std::string error = parseError("{\n  \"format\": \"qnn-calibration\",\n"
                                 "  \"version\": 1 \"tensors\": {}\n}");
  EXPECT_NE(error.find("f.json:3:16: invalid JSON: "), std::string::npos)
      << error;
  // At the end of the input, and at the rejected character.
  EXPECT_ERROR("{\"format\": ", "f.json:1:12: invalid JSON");
  EXPECT_ERROR("{\"a\": 1", "f.json:1:8: invalid JSON: expected , or }");
  EXPECT_ERROR("{\"a\": 1 x, \"b\": 2}", "f.json:1:9: invalid JSON");
  EXPECT_ERROR("{\"a\": [1,, 2]}", "f.json:1:10: invalid JSON");
}

TEST(QnnStatsJson, NonFiniteValues) {
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": NaN, "max": 1})"),
               "f.json:1:99: non-finite number 'NaN'");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": 0, "max": Infinity})"),
               "non-finite number 'Infinity'");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": -Infinity, "max": 0})"),
               "non-finite number '-Infinity'");
  // Overflowing literals parse to infinity.
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": 0, "max": 1e999})"),
               "f.json: tensor 'x': key 'max': must be finite, got inf");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": 0, "max": 1,
                      "histogram": {"min": 0, "max": 1, "bins": 1,
                                    "counts": [1e999]}})"),
               "tensor 'x': key 'histogram.counts': element 0 must be finite");
  // Inside a string it is only a name.
  EXPECT_EQ(parseOk(qnnDoc(R"("NaN": {"count": 1, "min": 0, "max": 1})"))
                .tensors.at(0)
                .name,
            "NaN");
}

TEST(QnnStatsJson, ValueErrors) {
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": 2, "max": 1})"),
               "f.json: tensor 'x': key 'min': 2 exceeds max 1");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": -3, "min": 0, "max": 1})"),
               "tensor 'x': key 'count': must be a non-negative integer, got "
               "-3");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1.5, "min": 0, "max": 1})"),
               "key 'count': must be a non-negative integer, got 1.5");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": "1", "min": 0, "max": 1})"),
               "key 'count': must be a non-negative integer, got a string");
  EXPECT_ERROR(qnnDoc(R"("x": {"min": 0, "max": 1})"),
               "tensor 'x': key 'count': missing");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "max": 1})"),
               "tensor 'x': key 'min': missing");
  EXPECT_ERROR(qnnDoc(R"("x": {"count": 1, "min": 0, "max": 1, "mean": 0})"),
               "tensor 'x': key 'mean': unknown key");
  EXPECT_ERROR(qnnDoc(R"("x": [0, 1])"), "tensor 'x': must be an object");
  EXPECT_ERROR(qnnDoc(R"("": {"count": 1, "min": 0, "max": 1})"),
               "a tensor has an empty name");
}

TEST(QnnStatsJson, HistogramErrors) {
  auto doc = [](StringRef histogram) {
    return qnnDoc((R"("h": {"count": 1, "min": 0, "max": 1, "histogram": )" +
                   histogram + "}")
                      .str());
  };
  EXPECT_ERROR(doc(R"({"min": 0, "max": 1, "bins": 4, "counts": [1, 2, 3]})"),
               "f.json: tensor 'h': key 'histogram.counts': has 3 entries but "
               "'bins' is 4");
  EXPECT_ERROR(doc(R"({"min": 0, "max": 1, "bins": 0, "counts": []})"),
               "key 'histogram.bins': must be at least 1");
  EXPECT_ERROR(doc(R"({"min": 1, "max": 1, "bins": 1, "counts": [1]})"),
               "key 'histogram': needs min < max, got [1, 1]");
  EXPECT_ERROR(doc(R"({"min": 0, "max": 1, "bins": 2, "counts": [1, -2]})"),
               "key 'histogram.counts': element 1 is a negative count -2");
  EXPECT_ERROR(doc(R"({"min": 0, "max": 1, "bins": 1})"),
               "key 'histogram.counts': missing");
  EXPECT_ERROR(doc(R"({"min": 0, "max": 1, "bins": 1, "counts": [1],
                       "edges": []})"),
               "key 'histogram.edges': unknown key");
}

TEST(QnnStatsJson, ChannelErrors) {
  EXPECT_ERROR(qnnDoc(R"("c": {"count": 1, "min": 0, "max": 1,
                               "channel_min": [0], "channel_max": [1]})"),
               "tensor 'c': key 'channel_min': channel_min, channel_max and "
               "channel_mean must be all present or all absent");
  EXPECT_ERROR(qnnDoc(R"("c": {"count": 1, "min": 0, "max": 1,
                               "channel_min": [0, 0], "channel_max": [1],
                               "channel_mean": [0.5]})"),
               "need equal lengths, got 2, 1 and 1");
  EXPECT_ERROR(qnnDoc(R"("c": {"count": 1, "min": 0, "max": 1,
                               "channel_min": [0], "channel_max": [1],
                               "channel_mean": [2]})"),
               "key 'channel_mean': channel 0 needs channel_min <= "
               "channel_mean <= channel_max, got 0, 2, 1");
  EXPECT_ERROR(qnnDoc(R"("c": {"count": 1, "min": 0, "max": 1,
                               "channel_min": [], "channel_max": [],
                               "channel_mean": []})"),
               "key 'channel_min': must not be empty");
}

TEST(QnnStatsJson, DocumentErrors) {
  EXPECT_ERROR("", "f.json: empty file");
  EXPECT_ERROR(" \n\t\n", "f.json: empty file");
  EXPECT_ERROR(
      R"({"format": "qnn-stats", "version": 1, "tensors": {}})",
      "f.json: key 'format': unknown format name 'qnn-stats', expected "
      "'qnn-calibration'");
  EXPECT_ERROR(R"({"format": "qnn-calibration", "version": 2, "tensors": {}})",
               "f.json: key 'version': unsupported schema version 2, this "
               "reader understands version 1");
  EXPECT_ERROR(R"({"format": "qnn-calibration", "tensors": {}})",
               "key 'version': missing");
  EXPECT_ERROR(R"({"format": "qnn-calibration", "version": "1",
                   "tensors": {}})",
               "key 'version': must be an integer, got a string");
  EXPECT_ERROR(R"({"version": 1, "tensors": {}})", "key 'format': missing");
  EXPECT_ERROR(R"({"format": "qnn-calibration", "version": 1})",
               "key 'tensors': missing");
  EXPECT_ERROR(R"({"format": "qnn-calibration", "version": 1, "tensors": {},
                   "date": "today"})",
               "key 'date': unknown key");
  EXPECT_ERROR("[1, 2]", "expected a JSON object at the top level");
}

TEST(QnnStatsJson, DuplicateNames) {
  std::string error =
      parseError(qnnDoc("\n\"x\": {\"count\": 1, \"min\": 0, \"max\": 1},\n"
                        "\"x\": {\"count\": 2, \"min\": 0, \"max\": 1}"));
  EXPECT_NE(error.find("f.json:3:1: duplicate key 'x'"), std::string::npos)
      << error;
  // Escapes name the same key.
  EXPECT_ERROR(qnnDoc(R"("a": {"count": 1, "min": 0, "max": 1},
                         "\u0061": {"count": 1, "min": 0, "max": 1})"),
               "duplicate key 'a'");
  // The same key in different objects is fine.
  EXPECT_EQ(parseOk(qnnDoc(R"("a": {"count": 1, "min": 0, "max": 1},
                              "b": {"count": 1, "min": 0, "max": 1})"))
                .tensors.size(),
            2u);
}

//===----------------------------------------------------------------------===//
// AIMET
//===----------------------------------------------------------------------===//

/// (2^bw - 1 + offset) * scale and offset * scale reproduce scale and
/// offset under the asymmetric rule of algorithms.md 4.1.
void expectGrid(double min, double max, double scale, double offset,
                unsigned bits) {
  double steps = std::ldexp(1.0, bits) - 1;
  double recovered = (max - min) / steps;
  EXPECT_NEAR(recovered, scale, 1e-15 * scale + 1e-300);
  EXPECT_EQ(-std::round(-min / recovered), offset);
}

const char *const kAimet061 = R"({
  "version": "0.6.1",
  "activation_encodings": {
    "act": [{"bitwidth": 8, "dtype": "int", "is_symmetric": "False",
             "max": 3.2, "min": -1.9, "offset": -95, "scale": 0.02}],
    "kept_float": [{"bitwidth": 16, "dtype": "float"}]
  },
  "param_encodings": {
    "fc.weight": [
      {"bitwidth": 8, "dtype": "int", "is_symmetric": "True",
       "max": 0.127, "min": -0.128, "offset": -128, "scale": 0.001},
      {"bitwidth": 8, "dtype": "int", "is_symmetric": "True",
       "max": 0.254, "min": -0.256, "offset": -128, "scale": 0.002}
    ]
  },
  "excluded_layers": [],
  "quantizer_args": {"activation_bitwidth": 8, "is_symmetric": true}
})";

TEST(Aimet, Version061) {
  CalibrationTable table = parseOk(kAimet061);
  EXPECT_EQ(table.producer, "aimet 0.6.1");
  ASSERT_EQ(table.tensors.size(), 2u) << "float encodings are skipped";
  const TensorStatistics *act = table.lookup("act");
  ASSERT_TRUE(act);
  EXPECT_DOUBLE_EQ(act->min, -95 * 0.02);
  EXPECT_DOUBLE_EQ(act->max, (255 - 95) * 0.02);
  EXPECT_EQ(act->count, 0u);
  EXPECT_FALSE(act->hasChannelStats());
  expectGrid(act->min, act->max, 0.02, -95, 8);

  const TensorStatistics *weight = table.lookup("fc.weight");
  ASSERT_TRUE(weight);
  EXPECT_EQ(weight->channelMin, (std::vector<double>{-0.128, -0.256}));
  EXPECT_EQ(weight->channelMax,
            (std::vector<double>{127 * 0.001, 127 * 0.002}));
  EXPECT_EQ(weight->channelMean,
            (std::vector<double>{(-0.128 + 127 * 0.001) / 2,
                                 (-0.256 + 127 * 0.002) / 2}));
  EXPECT_EQ(weight->min, -0.256);
  EXPECT_EQ(weight->max, 127 * 0.002);
  expectGrid(weight->channelMin[1], weight->channelMax[1], 0.002, -128, 8);
  EXPECT_EQ(table.lookup("kept_float"), nullptr);
}

TEST(Aimet, Version061Variants) {
  // A positive offset is a zero point (the old TensorFlow-style example);
  // min/max are optional; 16 bits.
  CalibrationTable table = parseOk(R"({"activation_encodings": {
      "a": [{"bitwidth": 8, "offset": 10, "scale": 0.5}],
      "b": [{"bitwidth": 16, "offset": -32768, "scale": 0.001,
             "min": -32.768, "max": 32.767}]}})");
  EXPECT_EQ(table.producer, "aimet");
  EXPECT_EQ(table.lookup("a")->min, -5);
  EXPECT_EQ(table.lookup("a")->max, 122.5);
  expectGrid(table.lookup("b")->min, table.lookup("b")->max, 0.001, -32768, 16);
  // Strict symmetric (254 steps): max is one step below the full grid.
  parseOk(R"({"param_encodings": {"w": [{"bitwidth": 8, "offset": -127,
      "scale": 0.01, "min": -1.27, "max": 1.27}]}})");
}

TEST(Aimet, Version061Errors) {
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 8,
                   "offset": -100, "scale": 0.1, "min": -5}]}})",
               "f.json: tensor 'a' (activation_encodings, encoding 0): key "
               "'min': -5 disagrees with offset * scale = -10");
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 8,
                   "offset": -100, "scale": 0.1, "max": 99}]}})",
               "key 'max': 99 disagrees with (2^bitwidth - 1 + offset) * "
               "scale = 15.5");
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 8,
                   "offset": -100}]}})",
               "tensor 'a' (activation_encodings, encoding 0): key 'scale': "
               "missing");
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 8,
                   "offset": -100, "scale": -0.1}]}})",
               "key 'scale': must be non-negative, got -0.1");
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 0,
                   "offset": 0, "scale": 1}]}})",
               "key 'bitwidth': must be an integer from 1 to 32");
  EXPECT_ERROR(R"({"activation_encodings": {"a": []}})",
               "tensor 'a' (activation_encodings): must be a non-empty list");
  EXPECT_ERROR(R"({"activation_encodings": {"a": [{"bitwidth": 8,
                   "offset": 0, "scale": 1}]},
                   "param_encodings": {"a": [{"bitwidth": 8,
                   "offset": 0, "scale": 1}]}})",
               "f.json: duplicate tensor 'a'");
  EXPECT_ERROR(R"({"version": "0.6.1", "activation_encodings": []})",
               "key 'activation_encodings': must be an object (version 0.x)");
  EXPECT_ERROR(R"({"version": "2.0.0", "activation_encodings": []})",
               "key 'version': unsupported AIMET encoding version '2.0.0'");
}

const char *const kAimet100 = R"({
  "version": "1.0.0",
  "activation_encodings": [
    {"name": "act", "dtype": "INT", "enc_type": "PER_TENSOR", "bw": 8,
     "is_sym": false, "scale": [0.02], "offset": [-95]},
    {"name": "kept_float", "dtype": "FLOAT", "bw": 16}
  ],
  "param_encodings": [
    {"name": "fc.weight", "dtype": "INT", "enc_type": "PER_CHANNEL", "bw": 8,
     "is_sym": true, "scale": [0.001, 0.002, 0.004], "offset": [-128, -128, -128]}
  ],
  "excluded_layers": []
})";

TEST(Aimet, Version100) {
  CalibrationTable table = parseOk(kAimet100);
  EXPECT_EQ(table.producer, "aimet 1.0.0");
  ASSERT_EQ(table.tensors.size(), 2u);
  const TensorStatistics *act = table.lookup("act");
  EXPECT_DOUBLE_EQ(act->min, -1.9);
  EXPECT_DOUBLE_EQ(act->max, 3.2);
  const TensorStatistics *weight = table.lookup("fc.weight");
  ASSERT_EQ(weight->channelMin.size(), 3u);
  EXPECT_EQ(weight->channelMin[2], -128 * 0.004);
  EXPECT_EQ(weight->channelMax[2], 127 * 0.004);
  EXPECT_EQ(weight->min, -128 * 0.004);
  for (size_t c = 0; c < 3; ++c)
    expectGrid(weight->channelMin[c], weight->channelMax[c],
               std::array{0.001, 0.002, 0.004}[c], -128, 8);
  // Both schemas give the same statistics.
  CalibrationTable old = parseOk(kAimet061);
  EXPECT_EQ(old.lookup("act")->min, act->min);
  EXPECT_EQ(old.lookup("act")->max, act->max);
}

TEST(Aimet, Version100Errors) {
  auto doc = [](StringRef encoding) {
    return (R"({"version": "1.0.0", "activation_encodings": [)" + encoding +
            "]}")
        .str();
  };
  EXPECT_ERROR(doc(R"({"name": "a", "dtype": "INT", "enc_type": "PER_BLOCK",
                       "bw": 4, "scale": [1], "offset": [0], "block_size": 32})"),
               "tensor 'a' (activation_encodings[0]): key 'enc_type': "
               "'PER_BLOCK' has no min/max equivalent");
  EXPECT_ERROR(doc(R"({"name": "a", "dtype": "INT", "enc_type": "PER_CHANNEL",
                       "bw": 8, "scale": [1, 2], "offset": [0]})"),
               "key 'offset': must be a list with as many entries as 'scale' "
               "(2)");
  EXPECT_ERROR(doc(R"({"name": "a", "dtype": "INT", "enc_type": "PER_TENSOR",
                       "bw": 8, "scale": [1, 2], "offset": [0, 0]})"),
               "key 'scale': a PER_TENSOR encoding has one scale, got 2");
  EXPECT_ERROR(doc(R"({"dtype": "INT", "enc_type": "PER_TENSOR", "bw": 8,
                       "scale": [1], "offset": [0]})"),
               "key 'activation_encodings[0].name': missing or not a string");
  EXPECT_ERROR(doc(R"({"name": "a", "dtype": "FP8"})"),
               "key 'dtype': unknown dtype 'FP8'");
  EXPECT_ERROR(
      doc(R"({"name": "a", "dtype": "INT", "enc_type": "PER_TENSOR", "bw": 8,
              "scale": [1], "offset": [0]},
             {"name": "a", "dtype": "INT", "enc_type": "PER_TENSOR", "bw": 8,
              "scale": [1], "offset": [0]})"),
      "f.json: duplicate tensor 'a'");
  EXPECT_ERROR(R"({"version": "1.0.0", "activation_encodings": {}})",
               "must be a list (version 1.0.0)");
}

//===----------------------------------------------------------------------===//
// TensorRT
//===----------------------------------------------------------------------===//

double trtScale(uint32_t bits) { return llvm::bit_cast<float>(bits); }

TEST(TensorRT, Cache) {
  CalibrationTable table = parseOk("TRT-8601-EntropyCalibration2\n"
                                   "data: 3c010204\n"
                                   "conv_a: 3caa54fa\n"
                                   "(Unnamed Layer* 3) [Shuffle]_output: 0\n"
                                   "odd: name: 3d418306\r\n"
                                   "\n");
  EXPECT_EQ(table.producer, "tensorrt 8601 EntropyCalibration2");
  ASSERT_EQ(table.tensors.size(), 4u);
  const TensorStatistics *conv = table.lookup("conv_a");
  ASSERT_TRUE(conv);
  EXPECT_EQ(conv->max, trtScale(0x3caa54fa) * 127);
  EXPECT_EQ(conv->min, -conv->max);
  EXPECT_NEAR(conv->max, 2.640644, 1e-6);
  EXPECT_NEAR(table.lookup("data")->max, 1.0, 1e-8);
  // Split at the last ": ".
  ASSERT_TRUE(table.lookup("odd: name"));
  EXPECT_NEAR(table.lookup("odd: name")->max, 6.0, 1e-6);
  EXPECT_EQ(table.lookup("(Unnamed Layer* 3) [Shuffle]_output")->max, 0.0);
  // scale = amax / 127 is the float32 of the file exactly.
  EXPECT_EQ(static_cast<float>(conv->max / 127),
            llvm::bit_cast<float>(uint32_t(0x3caa54fa)));
  EXPECT_EQ(parseOk("TRT-101401-MinMaxCalibration\n").producer,
            "tensorrt 101401 MinMaxCalibration");
}

TEST(TensorRT, Errors) {
  auto error = [](StringRef text) {
    return parseError(text, CalibrationFormat::TensorRT);
  };
  EXPECT_NE(error("TRT-x-Entropy\na: 0\n")
                .find("f.json:1: expected the TensorRT header "
                      "'TRT-<version>-<algo>', got 'TRT-x-Entropy'"),
            std::string::npos);
  EXPECT_NE(error("a: 3c010204\n")
                .find("f.json:1: expected the TensorRT "
                      "header"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: 3c01020g\n")
                .find("f.json:2: tensor 'a': expected a float32 bit pattern "
                      "of 1 to 8 hex digits, got '3c01020g'"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: 3c0102040\n").find("1 to 8 hex digits"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na 3c010204\n")
                .find("f.json:2: expected '<tensor>: <hex scale>', got 'a "
                      "3c010204'"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: 7fc00000\n")
                .find("f.json:2: tensor 'a': scale 7fc00000 is not finite "
                      "(nan)"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: 7f800000\n").find("is not finite (inf)"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: bf800000\n")
                .find("tensor 'a': scale bf800000 is negative (-1)"),
            std::string::npos);
  EXPECT_NE(error("TRT-8601-E\na: 0\n\nb: 0\na: 1\n")
                .find("f.json:5: duplicate tensor 'a' (also on line 2)"),
            std::string::npos);
  EXPECT_NE(error("").find("f.json: empty file"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// ONNX Runtime
//===----------------------------------------------------------------------===//

TEST(Ort, CalibrationJson) {
  CalibrationTable table = parseOk(R"({
    "in": {"lowest": {"data": -1.25, "dtype": "float32", "CLS": "numpy.array"},
           "highest": {"data": [2.5], "dtype": "float32", "CLS": "numpy.array"},
           "CLS": "TensorData"},
    "relu": {"lowest": 0, "highest": 6,
             "hist": {"data": [5, 0, 3, 2], "dtype": "int64", "CLS": "numpy.array"},
             "hist_edges": {"data": [-2, -1, 0, 1, 2], "dtype": "float32",
                            "CLS": "numpy.array"},
             "bins": 4, "avg": 1.0, "std": 0.5, "CLS": "TensorData"}
  })");
  EXPECT_EQ(table.producer, "onnxruntime");
  ASSERT_EQ(table.tensors.size(), 2u);
  EXPECT_EQ(table.lookup("in")->min, -1.25);
  EXPECT_EQ(table.lookup("in")->max, 2.5);
  const TensorStatistics *relu = table.lookup("relu");
  EXPECT_EQ(relu->min, 0);
  EXPECT_EQ(relu->max, 6);
  ASSERT_TRUE(relu->histogram);
  EXPECT_EQ(relu->histogram->lo, -2);
  EXPECT_EQ(relu->histogram->hi, 2);
  EXPECT_EQ(relu->histogram->counts, (std::vector<double>{5, 0, 3, 2}));
}

TEST(Ort, TensorsDataAndOldForms) {
  CalibrationTable wrapped = parseOk(R"({"CLS": "TensorsData",
    "data": {"a": {"lowest": -1, "highest": 1, "CLS": "TensorData"}},
    "calibration_method": {"CLS": "CalibrationMethod",
                           "value": "CalibrationMethod.MinMax"}})");
  EXPECT_EQ(wrapped.producer, "onnxruntime CalibrationMethod.MinMax");
  EXPECT_EQ(wrapped.lookup("a")->max, 1);
  CalibrationTable old = parseOk(R"({"a": [-0.5, 0.75], "b": [0, 3]})");
  EXPECT_EQ(old.lookup("a")->min, -0.5);
  EXPECT_EQ(old.lookup("a")->max, 0.75);
  EXPECT_EQ(old.tensors.size(), 2u);
}

TEST(Ort, CalibrationCache) {
  CalibrationTable table = parseOk("data_0 2.008338\nrelu_1 6\n"
                                   "neg -0.5\r\n\n");
  EXPECT_EQ(table.producer, "onnxruntime calibration.cache");
  ASSERT_EQ(table.tensors.size(), 3u);
  EXPECT_EQ(table.lookup("data_0")->min, -2.008338);
  EXPECT_EQ(table.lookup("data_0")->max, 2.008338);
  EXPECT_EQ(table.lookup("relu_1")->max, 6);
  // ORT >= 1.17 writes max(highest, lowest), negative for an all-negative
  // tensor: the range is +-|value|.
  EXPECT_EQ(table.lookup("neg")->min, -0.5);
  EXPECT_EQ(table.lookup("neg")->max, 0.5);
}

TEST(Ort, Errors) {
  EXPECT_ERROR(R"({"a": {"lowest": 0, "highest": 1, "hist": [1, 2],
                         "hist_edges": [0, 1]}})",
               "f.json: tensor 'a': key 'hist_edges': has 2 edges for 2 bins, "
               "expected 3");
  EXPECT_ERROR(R"({"a": {"lowest": 0, "highest": 1, "hist": [1, 2]}})",
               "key 'hist_edges': missing");
  EXPECT_ERROR(R"({"a": {"lowest": 0, "highest": 1, "hist": [1, 2],
                         "hist_edges": [0, 0.1, 1]}})",
               "key 'hist_edges': edge 1 (0.1) is not equally spaced");
  EXPECT_ERROR(R"({"a": {"lowest": 2, "highest": 1}})",
               "f.json: tensor 'a': min 2 exceeds max 1");
  EXPECT_ERROR(R"({"a": {"lowest": NaN, "highest": 1}})",
               "non-finite number 'NaN'");
  EXPECT_NE(parseError(R"({"a": {"lowest": 0}})", CalibrationFormat::Ort)
                .find("tensor 'a': key 'highest': missing"),
            std::string::npos);
  EXPECT_NE(parseError(R"({"a": {"lowest": {"data": [1, 2]}, "highest": 1}})",
                       CalibrationFormat::Ort)
                .find("key 'lowest': must be a single number, got an array "
                      "of 2"),
            std::string::npos);
  EXPECT_NE(parseError("a 1\nb\n", CalibrationFormat::Ort)
                .find("f.json:2: expected '<tensor> <amax>', got 'b'"),
            std::string::npos);
  EXPECT_NE(parseError("a 1\nb nan\n", CalibrationFormat::Ort)
                .find("f.json:2: tensor 'b': amax must be finite, got nan"),
            std::string::npos);
  EXPECT_NE(parseError("a 1\nb 2\na 3\n", CalibrationFormat::Ort)
                .find("f.json:3: duplicate tensor 'a' (also on line 1)"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Recognition
//===----------------------------------------------------------------------===//

TEST(Recognition, ExplicitFormats) {
  EXPECT_EQ(parseOk(kCanonical, CalibrationFormat::Qnn).tensors.size(), 2u);
  EXPECT_EQ(parseOk(kAimet100, CalibrationFormat::Aimet).tensors.size(), 2u);
  EXPECT_EQ(
      parseOk("TRT-1-A\na: 0\n", CalibrationFormat::TensorRT).tensors.size(),
      1u);
  EXPECT_EQ(parseOk(R"({"a": [0, 1]})", CalibrationFormat::Ort).tensors.size(),
            1u);
  // The wrong reader says what it expected.
  EXPECT_NE(parseError(kAimet100, CalibrationFormat::Qnn)
                .find("key 'format': missing"),
            std::string::npos);
  EXPECT_NE(parseError(kCanonical, CalibrationFormat::Aimet)
                .find("not an AIMET encodings file"),
            std::string::npos);
  EXPECT_NE(parseError(kCanonical, CalibrationFormat::TensorRT)
                .find("expected the TensorRT header"),
            std::string::npos);
}

TEST(Recognition, Unrecognized) {
  EXPECT_ERROR(R"({"something": 1})", "unrecognized calibration JSON");
  EXPECT_ERROR("{}", "unrecognized calibration JSON");
  EXPECT_ERROR("hello\n", "f.json: unrecognized calibration file");
  // A byte order mark is skipped.
  EXPECT_EQ(parseOk("\xEF\xBB\xBF"
                    "a 1\n")
                .tensors.size(),
            1u);
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

TEST(Files, WriteThenRead) {
  SmallString<128> dir;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("qnn-calib-io", dir));
  SmallString<128> path(dir);
  sys::path::append(path, "stats.json");
  CalibrationTable table = parseOk(kCanonical);
  ASSERT_FALSE(errorToBool(writeQnnStatsFile(path, table)));
  ErrorOr<std::unique_ptr<MemoryBuffer>> bytes = MemoryBuffer::getFile(path);
  ASSERT_TRUE(bytes);
  EXPECT_EQ((*bytes)->getBuffer(), kCanonical);
  Expected<CalibrationTable> back = readCalibrationFile(path);
  ASSERT_TRUE(bool(back));
  EXPECT_EQ(writeQnnStatsJson(*back), kCanonical);

  // Only the file itself is left: no temporary.
  std::error_code ec;
  unsigned entries = 0;
  for (sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec))
    ++entries;
  EXPECT_EQ(entries, 1u);
  sys::fs::remove(path);
  sys::fs::remove(dir);
}

TEST(Files, Errors) {
  Expected<CalibrationTable> missing =
      readCalibrationFile("/nonexistent/qnn/stats.json");
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(toString(missing.takeError())
                .find("/nonexistent/qnn/stats.json: cannot read: "),
            std::string::npos);
  Error error = writeQnnStatsFile("/nonexistent/qnn/out.json", {});
  ASSERT_TRUE(bool(error));
  EXPECT_NE(toString(std::move(error)).find("/nonexistent/qnn/out.json: "),
            std::string::npos);
}

} // namespace
