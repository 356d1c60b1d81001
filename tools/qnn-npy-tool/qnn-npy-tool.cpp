//===- qnn-npy-tool.cpp - Test driver for the .npy/.npz library -----------===//
//
// Part of quant-opt. Test-only: reads and writes .npy and .npz files with
// qnn::runtime so that lit tests can compare against NumPy.
//
//   qnn-npy-tool dump FILE.npy         dtype, shape, CRC-32 and values
//   qnn-npy-tool dump FILE.npz KEY     the same for one member
//   qnn-npy-tool keys FILE.npz         the member keys, one a line
//   qnn-npy-tool copy IN.npy OUT.npy   read, then write back
//   qnn-npy-tool pack OUT.npz KEY=IN.npy...
//
//===----------------------------------------------------------------------===//

#include "qnn/Runtime/NumpyIO.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>

using namespace llvm;
using namespace qnn::runtime;

/// At most this many values are printed; the CRC-32 covers the rest.
static constexpr size_t kMaxValues = 32;

template <typename T> static void printValue(raw_ostream &os, T value) {
  if constexpr (std::is_floating_point_v<T>) {
    // The sign of a NaN is not portable between printf and Python.
    if (std::isnan(value))
      os << "nan";
    else
      os << format(sizeof(T) == 4 ? "%.9g" : "%.17g",
                   static_cast<double>(value));
  } else {
    os << static_cast<int64_t>(value);
  }
}

template <typename T>
static void printValues(raw_ostream &os, const NDArray &array) {
  ArrayRef<T> values = array.as<T>();
  os << "values:";
  for (T value : values.take_front(kMaxValues)) {
    os << ' ';
    printValue(os, value);
  }
  if (values.size() > kMaxValues)
    os << " ...";
  os << '\n';
}

static Error dump(const NDArray &array, raw_ostream &os) {
  os << "dtype: " << getDTypeName(array.dtype) << '\n';
  os << "shape: [";
  interleaveComma(array.shape, os);
  os << "]\n";
  uLong crc = crc32(0, Z_NULL, 0);
  for (size_t at = 0; at < array.data.size(); at += 1u << 30)
    crc = crc32(
        crc, array.data.data() + at,
        static_cast<uInt>(std::min<size_t>(array.data.size() - at, 1u << 30)));
  os << "crc32: " << format_hex(crc, 10) << '\n';
  switch (array.dtype) {
  case DType::F32:
    printValues<float>(os, array);
    break;
  case DType::F64:
    printValues<double>(os, array);
    break;
  case DType::I8:
    printValues<int8_t>(os, array);
    break;
  case DType::U8:
  case DType::Bool:
    printValues<uint8_t>(os, array);
    break;
  case DType::I16:
    printValues<int16_t>(os, array);
    break;
  case DType::I32:
    printValues<int32_t>(os, array);
    break;
  case DType::I64:
    printValues<int64_t>(os, array);
    break;
  }
  if (array.dtype != DType::F32 && array.dtype != DType::F64) {
    Expected<std::vector<int64_t>> ints = toInt64(array, "array");
    if (!ints)
      return ints.takeError();
    int64_t sum = 0;
    for (int64_t value : *ints)
      sum += value;
    os << "int64sum: " << sum << '\n';
  }
  return Error::success();
}

static Error run(ArrayRef<const char *> args) {
  auto usage = [] {
    return createStringError(
        inconvertibleErrorCode(),
        "usage: qnn-npy-tool dump FILE.npy | dump FILE.npz KEY | keys "
        "FILE.npz | copy IN.npy OUT.npy | pack OUT.npz KEY=IN.npy...");
  };
  if (args.empty())
    return usage();
  StringRef command = args.front();
  args = args.drop_front();

  if (command == "dump" && (args.size() == 1 || args.size() == 2)) {
    Expected<NDArray> array = [&]() -> Expected<NDArray> {
      if (args.size() == 1)
        return readNpy(args[0]);
      Expected<NpzFile> npz = NpzFile::open(args[0]);
      if (!npz)
        return npz.takeError();
      return npz->get(args[1]);
    }();
    if (!array)
      return array.takeError();
    return dump(*array, outs());
  }

  if (command == "keys" && args.size() == 1) {
    Expected<NpzFile> npz = NpzFile::open(args[0]);
    if (!npz)
      return npz.takeError();
    for (const std::string &key : npz->keys())
      outs() << key << '\n';
    return Error::success();
  }

  if (command == "copy" && args.size() == 2) {
    Expected<NDArray> array = readNpy(args[0]);
    if (!array)
      return array.takeError();
    return writeNpy(args[1], *array);
  }

  if (command == "pack" && !args.empty()) {
    std::vector<NDArray> arrays;
    std::vector<std::string> keys;
    for (StringRef arg : args.drop_front()) {
      auto [key, file] = arg.split('=');
      if (file.empty())
        return usage();
      Expected<NDArray> array = readNpy(file);
      if (!array)
        return array.takeError();
      keys.push_back(key.str());
      arrays.push_back(std::move(*array));
    }
    std::vector<std::pair<std::string, const NDArray *>> members;
    for (auto [key, array] : zip_equal(keys, arrays))
      members.emplace_back(key, &array);
    return writeNpz(args[0], members);
  }
  return usage();
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  if (Error error = run(ArrayRef(argv + 1, argc - 1))) {
    WithColor::error(errs(), "qnn-npy-tool")
        << toString(std::move(error)) << '\n';
    return 1;
  }
  return 0;
}
