//===- NumpyIOTestUtils.h - Helpers for the NumpyIO tests -------*- C++ -*-===//
//
// Part of quant-opt. Arrays from literal values, hand-made .npy bytes, error
// messages as strings, and a scratch directory per test.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_UNITTESTS_RUNTIME_NUMPYIOTESTUTILS_H
#define QNN_UNITTESTS_RUNTIME_NUMPYIOTESTUTILS_H

#include "qnn/Runtime/NumpyIO.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

namespace qnn::runtime::testing {

/// The little-endian bytes of `values` (the tests run on little-endian
/// hosts, as quant-run does).
template <typename T> std::string le(const std::vector<T> &values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  if (!values.empty())
    std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

/// An array of `dtype` holding `values`; T must have the dtype's size. The
/// shape is not checked against the values, so that tests can build
/// inconsistent arrays on purpose.
template <typename T>
NDArray makeArray(DType dtype, llvm::ArrayRef<int64_t> shape,
                  std::vector<T> values) {
  NDArray array;
  array.dtype = dtype;
  array.shape.assign(shape.begin(), shape.end());
  std::string bytes = le(values);
  array.data.assign(bytes.begin(), bytes.end());
  return array;
}

/// A .npy file with the given header text (unpadded) and data bytes.
inline std::string makeNpy(llvm::StringRef header, llvm::StringRef data,
                           uint8_t major = 1) {
  std::string bytes("\x93NUMPY", 6);
  bytes.push_back(static_cast<char>(major));
  bytes.push_back(0);
  size_t lengthSize = major == 1 ? 2 : 4;
  for (size_t i = 0; i < lengthSize; ++i)
    bytes.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
  bytes += header;
  bytes += data;
  return bytes;
}

/// The message of a failed result, or "" on success.
inline std::string errorOf(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}
template <typename T> std::string errorOf(llvm::Expected<T> result) {
  return result ? std::string() : llvm::toString(result.takeError());
}

inline void expectSameArray(const NDArray &actual, const NDArray &expected) {
  EXPECT_EQ(actual.dtype, expected.dtype) << expected.describe();
  EXPECT_EQ(actual.shape, expected.shape) << expected.describe();
  EXPECT_EQ(actual.data, expected.data) << expected.describe();
}

/// A fresh directory for each test, removed afterwards.
class TempDirTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qnn-numpyio", dir));
  }
  void TearDown() override {
    ASSERT_FALSE(llvm::sys::fs::remove_directories(dir));
  }

  std::string file(llvm::StringRef name) const {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    return std::string(path);
  }

  /// The names in the directory, sorted.
  std::vector<std::string> listDir() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    return names;
  }

  static void writeFile(llvm::StringRef path, llvm::StringRef bytes) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec) << path.str();
    os << bytes;
  }

  static std::string readFile(llvm::StringRef path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    return buffer ? (*buffer)->getBuffer().str() : std::string("<missing>");
  }

  llvm::SmallString<128> dir;
};

} // namespace qnn::runtime::testing

#endif // QNN_UNITTESTS_RUNTIME_NUMPYIOTESTUTILS_H
