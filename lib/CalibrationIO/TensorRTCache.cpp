//===- TensorRTCache.cpp - TensorRT calibration caches --------------------===//
//
// Part of quant-opt. The text cache TensorRT's IInt8Calibrator writes:
//
//   TRT-8601-EntropyCalibration2
//   conv1_out: 3caa54fa
//
// Each value is the big-endian IEEE-754 bit pattern of the float32 scale;
// TensorRT's dynamic range is amax = scale * 127 and the range [-amax, amax]
// (algorithms.md 6.2; ORT's TensorRT EP ReadDynamicRange does the same).
// Names may contain ": ", so a line splits at its last ": ".
//
//===----------------------------------------------------------------------===//

#include "FormatUtils.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/bit.h"

#include <cmath>

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

/// `TRT-<version>-<algo>`: the version is digits, the algorithm a name.
static bool parseHeader(StringRef line, StringRef &version, StringRef &algo) {
  if (!line.consume_front("TRT-"))
    return false;
  std::tie(version, algo) = line.split('-');
  return !version.empty() && all_of(version, isDigit) && !algo.empty();
}

bool qnn::calib::detail::looksLikeTensorRTCache(StringRef contents) {
  return contents.ltrim().starts_with("TRT-");
}

Expected<CalibrationTable>
qnn::calib::detail::parseTensorRTCache(StringRef contents, StringRef path) {
  SmallVector<StringRef> lines;
  contents.split(lines, '\n');
  size_t first = 0;
  while (first < lines.size() && lines[first].trim().empty())
    ++first;
  if (first == lines.size())
    return makeError(path, "empty file");
  StringRef header = lines[first].trim(), version, algo;
  if (!parseHeader(header, version, algo))
    return makeLineError(path, first + 1,
                         "expected the TensorRT header 'TRT-<version>-<algo>', "
                         "got '" +
                             header + "'");
  CalibrationTable table;
  table.producer = ("tensorrt " + version + " " + algo).str();
  StringMap<size_t> seen;
  for (size_t i = first + 1, e = lines.size(); i < e; ++i) {
    size_t lineNo = i + 1;
    StringRef line = lines[i].rtrim("\r");
    if (line.trim().empty())
      continue;
    size_t split = line.rfind(": ");
    if (split == StringRef::npos || split == 0)
      return makeLineError(
          path, lineNo, "expected '<tensor>: <hex scale>', got '" + line + "'");
    StringRef name = line.take_front(split);
    StringRef hex = line.drop_front(split + 2).trim();
    uint32_t bits;
    if (hex.empty() || hex.size() > 8 || !all_of(hex, isHexDigit) ||
        hex.getAsInteger(16, bits))
      return makeLineError(path, lineNo,
                           "tensor '" + name +
                               "': expected a float32 bit pattern of 1 to 8 "
                               "hex digits, got '" +
                               hex + "'");
    double scale = llvm::bit_cast<float>(bits);
    if (!std::isfinite(scale))
      return makeLineError(path, lineNo,
                           "tensor '" + name + "': scale " + hex +
                               " is not finite (" + formatNumber(scale) + ")");
    if (scale < 0)
      return makeLineError(path, lineNo,
                           "tensor '" + name + "': scale " + hex +
                               " is negative (" + formatNumber(scale) + ")");
    auto [it, inserted] = seen.try_emplace(name, lineNo);
    if (!inserted)
      return makeLineError(path, lineNo,
                           "duplicate tensor '" + name + "' (also on line " +
                               Twine(it->second) + ")");
    TensorStatistics stats;
    stats.name = name.str();
    // Exact in double: a float times 127 needs at most 31 bits.
    double amax = scale * 127.0;
    stats.min = -amax;
    stats.max = amax;
    table.tensors.push_back(std::move(stats));
  }
  return table;
}
