//===- NDArray.cpp - Element types and dense arrays -----------------------===//
//
// Part of quant-opt. The dtype table, NDArray's helpers, toInt64, and the
// helpers the .npy and .npz readers and writers share.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOInternal.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace llvm;

namespace qnn::runtime {

StringRef getDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "float32";
  case DType::F64:
    return "float64";
  case DType::I8:
    return "int8";
  case DType::U8:
    return "uint8";
  case DType::I16:
    return "int16";
  case DType::I32:
    return "int32";
  case DType::I64:
    return "int64";
  case DType::Bool:
    return "bool";
  }
  llvm_unreachable("unknown dtype");
}

size_t getDTypeSize(DType dtype) {
  switch (dtype) {
  case DType::I8:
  case DType::U8:
  case DType::Bool:
    return 1;
  case DType::I16:
    return 2;
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

int64_t NDArray::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

std::string NDArray::describe() const {
  std::string result;
  raw_string_ostream os(result);
  os << getDTypeName(dtype) << '[';
  interleaveComma(shape, os);
  os << ']';
  return result;
}

/// Reads element `index` of `bytes` as a little-endian T.
template <typename T> static T loadElement(const uint8_t *bytes, size_t index) {
  T value;
  std::memcpy(&value, bytes + index * sizeof(T), sizeof(T));
  return value;
}

Expected<std::vector<int64_t>> toInt64(const NDArray &array, StringRef what) {
  if (array.dtype == DType::F32 || array.dtype == DType::F64)
    return createStringError(inconvertibleErrorCode(),
                             what + " must be an integer array, got " +
                                 array.describe());
  size_t elementSize = getDTypeSize(array.dtype);
  if (array.data.size() % elementSize != 0)
    return createStringError(inconvertibleErrorCode(),
                             what + " has " + Twine(array.data.size()) +
                                 " data bytes, not a multiple of " +
                                 Twine(elementSize));
  size_t count = array.data.size() / elementSize;
  const uint8_t *bytes = array.data.data();
  std::vector<int64_t> result(count);
  for (size_t i = 0; i < count; ++i) {
    switch (array.dtype) {
    case DType::I8:
      result[i] = loadElement<int8_t>(bytes, i);
      break;
    case DType::U8:
      result[i] = loadElement<uint8_t>(bytes, i);
      break;
    case DType::Bool:
      // NumPy treats any non-zero byte as true.
      result[i] = loadElement<uint8_t>(bytes, i) != 0;
      break;
    case DType::I16:
      result[i] = loadElement<int16_t>(bytes, i);
      break;
    case DType::I32:
      result[i] = loadElement<int32_t>(bytes, i);
      break;
    case DType::I64:
      result[i] = loadElement<int64_t>(bytes, i);
      break;
    case DType::F32:
    case DType::F64:
      llvm_unreachable("floating-point arrays are refused above");
    }
  }
  return result;
}

namespace detail {

Error makeError(StringRef name, const Twine &message) {
  return createStringError(inconvertibleErrorCode(), name + ": " + message);
}

Error checkArray(const NDArray &array, StringRef name) {
  int64_t count = 1;
  for (int64_t dim : array.shape) {
    if (dim < 0)
      return makeError(name,
                       "negative dimension in shape of " + array.describe());
    if (MulOverflow(count, dim, count))
      return makeError(name,
                       "element count of " + array.describe() + " overflows");
  }
  uint64_t expected = static_cast<uint64_t>(count);
  if (expected > UINT64_MAX / getDTypeSize(array.dtype))
    return makeError(name, "byte size of " + array.describe() + " overflows");
  expected *= getDTypeSize(array.dtype);
  if (array.data.size() != expected)
    return makeError(name, array.describe() + " needs " + Twine(expected) +
                               " data bytes, has " + Twine(array.data.size()));
  return Error::success();
}

Error writeFileAtomically(StringRef path,
                          function_ref<Error(raw_ostream &)> write) {
  // The temporary file lives beside the target so that the final rename
  // never crosses file systems.
  Expected<sys::fs::TempFile> temp =
      sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return makeError(path, "cannot create a temporary file: " +
                               toString(temp.takeError()));
  std::error_code writeError;
  Error callbackError = [&] {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    Error error = write(os);
    os.flush();
    writeError = os.error();
    // Reported below; a stream destroyed with an error pending would abort.
    os.clear_error();
    return error;
  }();
  if (callbackError || writeError) {
    consumeError(temp->discard());
    if (callbackError)
      return callbackError;
    return makeError(path, "cannot write: " + writeError.message());
  }
  // keep() removes the temporary file itself when it cannot rename it.
  if (Error error = temp->keep(path))
    return makeError(path, "cannot rename the temporary file into place: " +
                               toString(std::move(error)));
  return Error::success();
}

} // namespace detail
} // namespace qnn::runtime
