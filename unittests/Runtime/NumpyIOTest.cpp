//===- NumpyIOTest.cpp - .npy reading and writing -------------------------===//
//
// Part of quant-opt. Headers and byte layouts are written out by hand from
// NumPy's format specification (numpy/lib/format.py), not produced by the
// code under test; test/Runtime checks the same code against NumPy itself.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOTestUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace llvm;
using namespace qnn::runtime;
using namespace qnn::runtime::testing;

namespace {

//===----------------------------------------------------------------------===//
// Dtypes and NDArray
//===----------------------------------------------------------------------===//

TEST(NumpyIO, DTypeNamesAndSizes) {
  EXPECT_EQ(getDTypeName(DType::F32), "float32");
  EXPECT_EQ(getDTypeName(DType::F64), "float64");
  EXPECT_EQ(getDTypeName(DType::I8), "int8");
  EXPECT_EQ(getDTypeName(DType::U8), "uint8");
  EXPECT_EQ(getDTypeName(DType::I16), "int16");
  EXPECT_EQ(getDTypeName(DType::I32), "int32");
  EXPECT_EQ(getDTypeName(DType::I64), "int64");
  EXPECT_EQ(getDTypeName(DType::Bool), "bool");
  EXPECT_EQ(getDTypeSize(DType::F32), 4u);
  EXPECT_EQ(getDTypeSize(DType::F64), 8u);
  EXPECT_EQ(getDTypeSize(DType::I8), 1u);
  EXPECT_EQ(getDTypeSize(DType::U8), 1u);
  EXPECT_EQ(getDTypeSize(DType::I16), 2u);
  EXPECT_EQ(getDTypeSize(DType::I32), 4u);
  EXPECT_EQ(getDTypeSize(DType::I64), 8u);
  EXPECT_EQ(getDTypeSize(DType::Bool), 1u);
}

TEST(NumpyIO, DescribeAndNumElements) {
  NDArray array = makeArray<float>(DType::F32, {1, 3, 96, 96}, {});
  EXPECT_EQ(array.describe(), "float32[1, 3, 96, 96]");
  EXPECT_EQ(array.numElements(), 3 * 96 * 96);
  NDArray scalar = makeArray<int64_t>(DType::I64, {}, {7});
  EXPECT_EQ(scalar.describe(), "int64[]");
  EXPECT_EQ(scalar.numElements(), 1);
  NDArray empty = makeArray<int8_t>(DType::I8, {0, 4}, {});
  EXPECT_EQ(empty.numElements(), 0);
}

//===----------------------------------------------------------------------===//
// toInt64
//===----------------------------------------------------------------------===//

TEST(NumpyIO, ToInt64FromEveryIntegerType) {
  auto check = [](const NDArray &array, std::vector<int64_t> expected) {
    Expected<std::vector<int64_t>> values = toInt64(array, "labels");
    ASSERT_TRUE(bool(values)) << toString(values.takeError());
    EXPECT_EQ(*values, expected) << array.describe();
  };
  check(makeArray<int8_t>(DType::I8, {3}, {-128, 0, 127}), {-128, 0, 127});
  check(makeArray<uint8_t>(DType::U8, {3}, {0, 128, 255}), {0, 128, 255});
  check(makeArray<int16_t>(DType::I16, {2}, {-32768, 32767}), {-32768, 32767});
  check(makeArray<int32_t>(DType::I32, {2}, {INT32_MIN, INT32_MAX}),
        {INT32_MIN, INT32_MAX});
  check(makeArray<int64_t>(DType::I64, {2}, {INT64_MIN, INT64_MAX}),
        {INT64_MIN, INT64_MAX});
  // NumPy reads any non-zero byte of a bool array as True.
  check(makeArray<uint8_t>(DType::Bool, {4}, {0, 1, 2, 255}), {0, 1, 1, 1});
  check(makeArray<int32_t>(DType::I32, {0}, {}), {});
}

TEST(NumpyIO, ToInt64RefusesFloats) {
  for (DType dtype : {DType::F32, DType::F64}) {
    NDArray array;
    array.dtype = dtype;
    array.shape = {2};
    array.data.resize(2 * getDTypeSize(dtype));
    std::string message = errorOf(toInt64(array, "eval_idx"));
    EXPECT_EQ(message,
              "eval_idx must be an integer array, got " + array.describe());
  }
}

//===----------------------------------------------------------------------===//
// Round trips
//===----------------------------------------------------------------------===//

/// One array of every dtype, with values that exercise every byte.
static std::vector<NDArray> arraysOfEveryDType() {
  return {
      makeArray<float>(DType::F32, {2, 3},
                       {0.0f, -1.5f, 3.25e-30f, 1e30f, -0.0f, 0.1f}),
      makeArray<double>(DType::F64, {3}, {1.0 / 3.0, -2e300, 5e-324}),
      makeArray<int8_t>(DType::I8, {2, 2}, {-128, -1, 0, 127}),
      makeArray<uint8_t>(DType::U8, {4}, {0, 1, 128, 255}),
      makeArray<int16_t>(DType::I16, {1, 3}, {-32768, 258, 32767}),
      makeArray<int32_t>(DType::I32, {3, 1}, {INT32_MIN, 0x01020304, -7}),
      makeArray<int64_t>(DType::I64, {2},
                         {INT64_MIN, int64_t(0x0102030405060708)}),
      makeArray<uint8_t>(DType::Bool, {2, 1, 2}, {1, 0, 0, 1}),
  };
}

TEST(NumpyIO, RoundTripEveryDType) {
  for (const NDArray &array : arraysOfEveryDType()) {
    std::string bytes = serializeNpy(array);
    Expected<NDArray> back = parseNpy(bytes, "x.npy");
    ASSERT_TRUE(bool(back)) << toString(back.takeError());
    expectSameArray(*back, array);
  }
}

TEST(NumpyIO, SerializedBytesAreNumPys) {
  // What np.save writes for a (2, 3) float32 array (format.py's
  // _write_array_header): version 1.0; the dict; 21 - len("2") spaces of
  // room for the first dimension to grow; spaces and a newline up to a
  // 64-byte boundary (128 here); then the data.
  NDArray array = makeArray<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, 6});
  std::string bytes = serializeNpy(array);
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string expected = std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict +
                         std::string(128 - 10 - dict.size() - 1, ' ') + "\n" +
                         le<float>({1, 2, 3, 4, 5, 6});
  EXPECT_EQ(bytes, expected);

  // One-dimensional shapes need the tuple's trailing comma; scalars are ()
  // with no growth room.
  EXPECT_NE(serializeNpy(makeArray<int64_t>(DType::I64, {5}, {1, 2, 3, 4, 5}))
                .find("'shape': (5,), }"),
            std::string::npos);
  NDArray scalar = makeArray<uint8_t>(DType::Bool, {}, {1});
  std::string scalarDict =
      "{'descr': '|b1', 'fortran_order': False, 'shape': (), }";
  EXPECT_EQ(serializeNpy(scalar),
            std::string("\x93NUMPY\x01\x00\x76\x00", 10) + scalarDict +
                std::string(128 - 10 - scalarDict.size() - 1, ' ') + "\n\x01");
  Expected<NDArray> back = parseNpy(serializeNpy(scalar), "s.npy");
  ASSERT_TRUE(bool(back)) << toString(back.takeError());
  expectSameArray(*back, scalar);
}

TEST(NumpyIO, EmptyArray) {
  NDArray array = makeArray<int32_t>(DType::I32, {0, 3}, {});
  Expected<NDArray> back = parseNpy(serializeNpy(array), "e.npy");
  ASSERT_TRUE(bool(back)) << toString(back.takeError());
  expectSameArray(*back, array);
}

TEST(NumpyIO, LongHeaderUsesVersion2) {
  // A rank-30000 shape ("1, " each) does not fit a 65535-byte 1.0 header.
  NDArray array;
  array.dtype = DType::U8;
  array.shape.assign(30000, 1);
  array.data = {42};
  std::string bytes = serializeNpy(array);
  ASSERT_GT(bytes.size(), 12u);
  EXPECT_EQ(bytes[6], 2);
  EXPECT_EQ(bytes[7], 0);
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i)
    length |= uint32_t(uint8_t(bytes[8 + i])) << (8 * i);
  EXPECT_EQ((12 + length) % 64, 0u);
  Expected<NDArray> back = parseNpy(bytes, "long.npy");
  ASSERT_TRUE(bool(back)) << toString(back.takeError());
  expectSameArray(*back, array);
}

//===----------------------------------------------------------------------===//
// Hand-written headers
//===----------------------------------------------------------------------===//

TEST(NumpyIO, Versions2And3) {
  std::string data = le<int16_t>({-2, 3, 1000});
  for (uint8_t major : {1, 2, 3}) {
    Expected<NDArray> array = parseNpy(
        makeNpy("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }\n",
                data, major),
        "v.npy");
    ASSERT_TRUE(bool(array)) << toString(array.takeError());
    EXPECT_EQ(array->dtype, DType::I16);
    EXPECT_EQ(array->as<int16_t>().vec(), (std::vector<int16_t>{-2, 3, 1000}));
  }
}

TEST(NumpyIO, AlternativeSpellings) {
  struct Case {
    const char *descr;
    DType dtype;
  };
  for (Case c : {Case{"<f4", DType::F32},     Case{"=f4", DType::F32},
                 Case{"f4", DType::F32},      Case{"<f", DType::F32},
                 Case{"float32", DType::F32}, Case{"=f8", DType::F64},
                 Case{"<d", DType::F64},      Case{"|i1", DType::I8},
                 Case{"<i1", DType::I8},      Case{">i1", DType::I8},
                 Case{"|u1", DType::U8},      Case{"uint8", DType::U8},
                 Case{"=i2", DType::I16},     Case{"<i4", DType::I32},
                 Case{"=i4", DType::I32},     Case{"<i8", DType::I64},
                 Case{"<q", DType::I64},      Case{"|b1", DType::Bool},
                 Case{"?", DType::Bool},      Case{"bool", DType::Bool}}) {
    std::string header = std::string("{'descr': '") + c.descr +
                         "', 'fortran_order': False, 'shape': (1,), }";
    std::string data(getDTypeSize(c.dtype), '\0');
    Expected<NDArray> array = parseNpy(makeNpy(header, data), "a.npy");
    ASSERT_TRUE(bool(array)) << c.descr << ": " << toString(array.takeError());
    EXPECT_EQ(array->dtype, c.dtype) << c.descr;
  }
}

TEST(NumpyIO, PythonLiteralVariants) {
  std::string data = le<int32_t>({1, 2, 3, 4, 5, 6});
  // Key order, double quotes, no trailing comma, Python 2's long integers
  // and unicode strings, odd whitespace.
  for (const char *header :
       {"{'shape': (2, 3), 'fortran_order': False, 'descr': '<i4'}",
        "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2,3)}",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 3L), }",
        "{u'descr': u'<i4', u'fortran_order': False, u'shape': (2, 3)}",
        "\t{ 'descr' :'<i4' ,'fortran_order':False,'shape':( 2 , 3 , ) }\n"}) {
    Expected<NDArray> array = parseNpy(makeNpy(header, data), "p.npy");
    ASSERT_TRUE(bool(array)) << header << ": " << toString(array.takeError());
    EXPECT_EQ(array->shape, (SmallVector<int64_t>{2, 3})) << header;
  }
}

TEST(NumpyIO, FortranOrderIsTransposed) {
  // a[i][j] = 10 * i + j, shape (2, 3): Fortran order lists column by
  // column, a[0][0] a[1][0] a[0][1] a[1][1] a[0][2] a[1][2].
  std::string data = le<int16_t>({0, 10, 1, 11, 2, 12});
  Expected<NDArray> array = parseNpy(
      makeNpy("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }",
              data),
      "f.npy");
  ASSERT_TRUE(bool(array)) << toString(array.takeError());
  EXPECT_EQ(array->as<int16_t>().vec(),
            (std::vector<int16_t>{0, 1, 2, 10, 11, 12}));

  // Rank 3, shape (2, 3, 4), a[i][j][k] = 100 i + 10 j + k: the Fortran
  // offset of (i, j, k) is i + 2 j + 6 k.
  std::vector<double> fortran(24), c;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        c.push_back(100 * i + 10 * j + k);
      }
  array = parseNpy(
      makeNpy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }",
              le<double>(fortran)),
      "f3.npy");
  ASSERT_TRUE(bool(array)) << toString(array.takeError());
  EXPECT_EQ(array->as<double>().vec(), c);

  // Rank 0 and 1 are the same in both orders; empty arrays have no data.
  for (const char *shape : {"()", "(3,)", "(0, 5)", "(5, 0)"}) {
    int64_t count = StringRef(shape) == "()"     ? 1
                    : StringRef(shape) == "(3,)" ? 3
                                                 : 0;
    std::string bytes(count, '\x07');
    array = parseNpy(makeNpy(std::string("{'descr': '|u1', 'fortran_order': "
                                         "True, 'shape': ") +
                                 shape + "}",
                             bytes),
                     "f0.npy");
    ASSERT_TRUE(bool(array)) << shape << ": " << toString(array.takeError());
    EXPECT_EQ(array->data, std::vector<uint8_t>(count, 7)) << shape;
  }
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// The error of parsing `header` with `data` as "bad.npy".
static std::string headerError(StringRef header, StringRef data = "") {
  return errorOf(parseNpy(makeNpy(header, data), "bad.npy"));
}

TEST(NumpyIO, MalformedHeaders) {
  struct Case {
    const char *header;
    const char *message;
  };
  for (Case c : {
           Case{"", "malformed .npy header: expected a value at offset 0"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)",
                "malformed .npy header: expected ',' or '}'"},
           Case{"{'descr': '<f4' 'fortran_order': False}",
                "malformed .npy header: expected ',' or '}' at offset 16"},
           Case{"{'descr' '<f4'}", "malformed .npy header: expected ':'"},
           Case{"{'descr': '<f4}",
                "malformed .npy header: unterminated string"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x",
                "malformed .npy header: unexpected text after the dict"},
           Case{"{'descr': '<f4', 'fortran_order': Nope, 'shape': (1,)}",
                "malformed .npy header: unexpected character 'N'"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (-,)}",
                "malformed .npy header: expected digits"},
           Case{"{'descr': '<f4', 'fortran_order': False, "
                "'shape': (99999999999999999999,)}",
                "malformed .npy header: integer out of range"},
           Case{"['descr']",
                "malformed .npy header: expected a dict, got a list"},
           Case{"{1: 2}", "malformed .npy header: key is an integer"},
           Case{"{'descr': '<f4', 'shape': (1,)}",
                ".npy header has no 'fortran_order' key"},
           Case{"{'descr': '<f4', 'fortran_order': False}",
                ".npy header has no 'shape' key"},
           Case{"{'fortran_order': False, 'shape': (1,)}",
                ".npy header has no 'descr' key"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), "
                "'extra': 1}",
                "unexpected .npy header key 'extra'"},
           Case{"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
                "'shape': (1,)}",
                "duplicate .npy header key 'descr'"},
           Case{"{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
                "'fortran_order' must be True or False, got an integer"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
                "'shape' must be a tuple, got a list"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (1, '2')}",
                "'shape' has a string, expected integers"},
           Case{"{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}",
                "'shape' has a negative dimension -1"},
       }) {
    std::string message = headerError(c.header, std::string(4, '\0'));
    EXPECT_TRUE(StringRef(message).starts_with("bad.npy: "))
        << c.header << " -> " << message;
    EXPECT_NE(message.find(c.message), std::string::npos)
        << c.header << " -> " << message;
  }
}

TEST(NumpyIO, DeeplyNestedHeaderIsRefused) {
  std::string header = "{'descr': " + std::string(100000, '(');
  EXPECT_NE(headerError(header).find("nested too deeply"), std::string::npos);
}

TEST(NumpyIO, BadPreamble) {
  EXPECT_EQ(errorOf(parseNpy("", "e.npy")),
            "e.npy: not a .npy file (no \\x93NUMPY magic string)");
  EXPECT_EQ(errorOf(parseNpy("PK\x03\x04 not npy", "z.npy")),
            "z.npy: not a .npy file (no \\x93NUMPY magic string)");
  EXPECT_EQ(errorOf(parseNpy(StringRef("\x93NUMPY\x01", 7), "s.npy")),
            "s.npy: truncated .npy file: no format version");
  EXPECT_EQ(
      errorOf(parseNpy(StringRef("\x93NUMPY\x04\x00\x00\x00", 10), "v.npy")),
      "v.npy: unsupported .npy format version 4.0; expected 1.0, 2.0 "
      "or 3.0");
  EXPECT_EQ(
      errorOf(parseNpy(StringRef("\x93NUMPY\x01\x01\x00\x00", 10), "v.npy")),
      "v.npy: unsupported .npy format version 1.1; expected 1.0, 2.0 "
      "or 3.0");
  EXPECT_EQ(
      errorOf(parseNpy(StringRef("\x93NUMPY\x02\x00\x00\x00", 10), "l.npy")),
      "l.npy: truncated .npy file: no header length");
  EXPECT_EQ(
      errorOf(parseNpy(StringRef("\x93NUMPY\x01\x00\x46\x00{}", 12), "h.npy")),
      "h.npy: truncated .npy header: expected 70 bytes, got 2");
}

TEST(NumpyIO, DataLengthMustMatch) {
  const char *header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(headerError(header, std::string(20, '\0')),
            "bad.npy: data of float32[2, 3] is 20 bytes, expected 24 "
            "(truncated file)");
  EXPECT_EQ(headerError(header, std::string(25, '\0')),
            "bad.npy: data of float32[2, 3] is 25 bytes, expected 24 "
            "(trailing bytes)");
  EXPECT_EQ(headerError(header), "bad.npy: data of float32[2, 3] is 0 bytes, "
                                 "expected 24 (truncated file)");
}

TEST(NumpyIO, HugeShapesDoNotOverflow) {
  EXPECT_EQ(headerError("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (4294967296, 4294967296)}"),
            "bad.npy: element count of float32[4294967296, 4294967296] "
            "overflows");
  EXPECT_EQ(headerError("{'descr': '<f8', 'fortran_order': False, "
                        "'shape': (4611686018427387904,)}"),
            "bad.npy: byte size of float64[4611686018427387904] overflows");
  EXPECT_NE(headerError("{'descr': '<f8', 'fortran_order': True, "
                        "'shape': (1000000, 1000000)}")
                .find("expected 8000000000000 (truncated file)"),
            std::string::npos);
}

TEST(NumpyIO, UnsupportedDTypes) {
  struct Case {
    const char *descr;
    const char *message;
  };
  for (Case c : {
           Case{"'>f4'", "bad.npy: big-endian dtype '>f4' is not supported; "
                         "save the array little-endian"},
           Case{"'>i8'", "bad.npy: big-endian dtype '>i8' is not supported"},
           Case{"'<U10'", "bad.npy: unsupported dtype '<U10' (strings are not "
                          "supported); expected one of float32, float64, "
                          "int8, uint8, int16, int32, int64, bool"},
           Case{"'|S5'", "unsupported dtype '|S5' (strings are not supported)"},
           Case{"'|O'", "unsupported dtype '|O' (object arrays are not "
                        "supported)"},
           Case{"'<c8'", "unsupported dtype '<c8' (complex numbers are not "
                         "supported)"},
           Case{"'|V8'", "unsupported dtype '|V8' (structured and void"},
           Case{"'<f2'", "unsupported dtype '<f2'; expected one of"},
           Case{"'<u4'", "unsupported dtype '<u4'"},
           Case{"''", "unsupported dtype ''"},
           Case{"[('a', '<f4'), ('b', '<i4')]",
                "bad.npy: unsupported dtype: 'descr' is a list (structured "
                "dtypes are not supported)"},
       }) {
    std::string message =
        headerError(std::string("{'descr': ") + c.descr +
                        ", 'fortran_order': False, 'shape': (1,), }",
                    std::string(8, '\0'));
    EXPECT_NE(message.find(c.message), std::string::npos)
        << c.descr << " -> " << message;
  }
}

TEST(NumpyIO, CorruptedBytesNeverCrash) {
  // Every truncation and many random corruptions of a valid file either
  // parse or fail with a message; none may crash (run under ASan to see
  // overreads).
  NDArray array = makeArray<int32_t>(DType::I32, {3, 2}, {1, 2, 3, 4, 5, 6});
  std::string valid = serializeNpy(array);
  for (size_t length = 0; length < valid.size(); ++length)
    EXPECT_FALSE(errorOf(parseNpy(valid.substr(0, length), "t.npy")).empty())
        << length;
  std::mt19937 random(12345);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string bytes = valid;
    int flips = 1 + random() % 4;
    for (int i = 0; i < flips; ++i)
      bytes[random() % bytes.size()] = static_cast<char>(random());
    Expected<NDArray> result = parseNpy(bytes, "r.npy");
    if (!result)
      EXPECT_FALSE(toString(result.takeError()).empty());
    else
      EXPECT_EQ(result->data.size(),
                result->numElements() * getDTypeSize(result->dtype));
  }
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

class NpyFileTest : public TempDirTest {};

TEST_F(NpyFileTest, WriteAndReadNpyFiles) {
  for (const NDArray &array : arraysOfEveryDType()) {
    std::string path = file("a.npy");
    ASSERT_FALSE(bool(writeNpy(path, array)));
    Expected<NDArray> back = readNpy(path);
    ASSERT_TRUE(bool(back)) << toString(back.takeError());
    expectSameArray(*back, array);
  }
  // Overwriting replaced the file each time and left nothing else behind.
  EXPECT_EQ(listDir(), std::vector<std::string>{"a.npy"});
}

TEST_F(NpyFileTest, ReadErrorsNameTheFile) {
  std::string missing = file("missing.npy");
  std::string message = errorOf(readNpy(missing));
  EXPECT_TRUE(StringRef(message).starts_with(missing + ": cannot read: "))
      << message;

  std::string truncated = file("truncated.npy");
  std::string bytes =
      serializeNpy(makeArray<float>(DType::F32, {4}, {1, 2, 3, 4}));
  writeFile(truncated, StringRef(bytes).drop_back(4));
  EXPECT_EQ(errorOf(readNpy(truncated)),
            truncated + ": data of float32[4] is 12 bytes, expected 16 "
                        "(truncated file)");
}

TEST_F(NpyFileTest, FailedWritesLeaveNoFile) {
  // Data that does not match the shape is refused before anything is
  // written.
  NDArray bad = makeArray<float>(DType::F32, {2, 2}, {1, 2, 3});
  std::string path = file("bad.npy");
  EXPECT_EQ(errorOf(writeNpy(path, bad)),
            path + ": float32[2, 2] needs 16 data bytes, has 12");
  NDArray negative = makeArray<float>(DType::F32, {-1}, {});
  EXPECT_EQ(errorOf(writeNpy(path, negative)),
            path + ": negative dimension in shape of float32[-1]");
  EXPECT_TRUE(listDir().empty());

  // An existing output survives a failed write.
  writeFile(path, "old");
  EXPECT_FALSE(errorOf(writeNpy(path, bad)).empty());
  EXPECT_EQ(readFile(path), "old");

  std::string noDir = file("no/such/dir/x.npy");
  std::string message =
      errorOf(writeNpy(noDir, makeArray<int8_t>(DType::I8, {1}, {1})));
  EXPECT_TRUE(StringRef(message).starts_with(
      noDir + ": cannot create a temporary file: "))
      << message;
}

} // namespace
