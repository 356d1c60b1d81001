//===- FormatUtils.cpp - Helpers shared by the calibration readers --------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "FormatUtils.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>
#include <cmath>

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

Error qnn::calib::detail::makeError(StringRef path, const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           path + ": " + message.str());
}

Error qnn::calib::detail::makeLineError(StringRef path, size_t line,
                                        const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           path + ":" + Twine(line) + ": " + message.str());
}

Error qnn::calib::detail::makeOffsetError(StringRef path, StringRef contents,
                                          size_t offset, const Twine &message) {
  offset = std::min(offset, contents.size());
  StringRef before = contents.take_front(offset);
  size_t line = before.count('\n') + 1;
  size_t lineStart = before.rfind('\n');
  size_t column =
      lineStart == StringRef::npos ? offset + 1 : offset - lineStart;
  return createStringError(inconvertibleErrorCode(), path + ":" + Twine(line) +
                                                         ":" + Twine(column) +
                                                         ": " + message.str());
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

/// Returns the end of the string literal starting at `text[begin]` (the
/// opening quote), i.e. the index of its closing quote, or npos.
static size_t findStringEnd(StringRef text, size_t begin) {
  for (size_t i = begin + 1, e = text.size(); i < e; ++i) {
    if (text[i] == '\\')
      ++i;
    else if (text[i] == '"')
      return i;
  }
  return StringRef::npos;
}

/// Python's json.dumps writes NaN, Infinity and -Infinity, which are not
/// JSON; name them instead of reporting an anonymous syntax error.
static Error checkNonFiniteLiterals(StringRef text, StringRef path) {
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      i = findStringEnd(text, i);
      if (i == StringRef::npos)
        return Error::success(); // The parser reports the open string.
      continue;
    }
    for (StringRef literal : {"NaN", "Infinity", "-Infinity"})
      if (text.substr(i).starts_with(literal))
        return makeOffsetError(path, text, i,
                               "non-finite number '" + literal +
                                   "': statistics must be finite (and NaN "
                                   "and Infinity are not JSON)");
  }
  return Error::success();
}

/// llvm::json keeps the last of repeated object keys; a repeated tensor
/// name must be an error, so find repeats in the (already valid) text.
static Error checkDuplicateKeys(StringRef text, StringRef path) {
  struct Frame {
    bool isObject;
    bool expectKey;
    StringSet<> keys;
  };
  SmallVector<Frame> stack;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    if (c == '"') {
      size_t end = findStringEnd(text, i);
      if (end == StringRef::npos)
        return Error::success();
      if (!stack.empty() && stack.back().isObject && stack.back().expectKey) {
        StringRef raw = text.slice(i, end + 1);
        std::string key = raw.drop_front().drop_back().str();
        if (raw.contains('\\')) {
          // Decode escapes so that "a" and "\u0061" are the same key.
          Expected<json::Value> decoded = json::parse(raw);
          if (decoded && decoded->getAsString())
            key = decoded->getAsString()->str();
          else
            consumeError(decoded.takeError());
        }
        if (!stack.back().keys.insert(key).second)
          return makeOffsetError(path, text, i,
                                 "duplicate key '" + key +
                                     "': a name may appear only once");
        stack.back().expectKey = false;
      }
      i = end;
    } else if (c == '{') {
      stack.push_back({/*isObject=*/true, /*expectKey=*/true, {}});
    } else if (c == '[') {
      stack.push_back({/*isObject=*/false, /*expectKey=*/false, {}});
    } else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
    } else if (c == ',' && !stack.empty() && stack.back().isObject) {
      stack.back().expectKey = true;
    }
  }
  return Error::success();
}

Expected<json::Value> qnn::calib::detail::parseJson(StringRef contents,
                                                    StringRef path) {
  if (Error error = checkNonFiniteLiterals(contents, path))
    return std::move(error);
  Expected<json::Value> value = json::parse(contents);
  if (!value) {
    // The message is "[line:col, byte=N]: Msg"; recompute a 1-based
    // position from the byte offset and keep the message.
    std::string message = toString(value.takeError());
    StringRef text = message;
    size_t offset = contents.size();
    size_t bytePos = text.find("byte=");
    if (bytePos != StringRef::npos)
      (void)text.substr(bytePos + 5)
          .take_while(isDigit)
          .getAsInteger(10, offset);
    // The parser reports the position after the character it rejected
    // (it reads with next()); point at that character unless the input
    // ended there.
    if (offset > 0 && offset < contents.size() &&
        !isSpace(contents[offset - 1]))
      --offset;
    size_t msgPos = text.find("]: ");
    std::string reason =
        msgPos == StringRef::npos ? message : text.substr(msgPos + 3).str();
    if (!reason.empty())
      reason[0] = toLower(reason[0]);
    return makeOffsetError(path, contents, offset, "invalid JSON: " + reason);
  }
  if (Error error = checkDuplicateKeys(contents, path))
    return std::move(error);
  return std::move(*value);
}

//===----------------------------------------------------------------------===//
// Numbers
//===----------------------------------------------------------------------===//

void qnn::calib::detail::writeNumber(raw_ostream &os, double value) {
  if (value == 0) {
    os << '0';
    return;
  }
  // std::to_chars without a format gives the shortest representation that
  // reads back as exactly `value` (C++17 [charconv.to.chars]).
  char buffer[64];
  std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  os << StringRef(buffer, result.ptr - buffer);
}

std::string qnn::calib::detail::formatNumber(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  std::string text;
  raw_string_ostream os(text);
  writeNumber(os, value);
  return text;
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

static std::optional<std::string> checkFinite(StringRef key,
                                              ArrayRef<double> values) {
  for (size_t i = 0, e = values.size(); i < e; ++i)
    if (!std::isfinite(values[i]))
      return (key + " must be finite, got " + formatNumber(values[i]) +
              (values.size() > 1 ? " at index " + Twine(i) : Twine("")))
          .str();
  return std::nullopt;
}

std::optional<std::string>
qnn::calib::detail::checkStatistics(const TensorStatistics &s) {
  if (auto error = checkFinite("min", s.min))
    return error;
  if (auto error = checkFinite("max", s.max))
    return error;
  if (!(s.min <= s.max))
    return "min " + formatNumber(s.min) + " exceeds max " + formatNumber(s.max);
  if (s.histogram) {
    const Histogram &h = *s.histogram;
    if (auto error = checkFinite("histogram min", h.lo))
      return error;
    if (auto error = checkFinite("histogram max", h.hi))
      return error;
    if (!(h.lo < h.hi))
      return "histogram range needs min < max, got [" + formatNumber(h.lo) +
             ", " + formatNumber(h.hi) + "]";
    if (h.counts.empty())
      return std::string("histogram has no bins");
    if (auto error = checkFinite("histogram counts", h.counts))
      return error;
    for (size_t i = 0, e = h.counts.size(); i < e; ++i)
      if (h.counts[i] < 0)
        return "histogram bin " + std::to_string(i) + " has a negative count " +
               formatNumber(h.counts[i]);
  }
  size_t channels = s.channelMin.size();
  if (s.channelMax.size() != channels || s.channelMean.size() != channels)
    return "channel_min, channel_max and channel_mean need equal lengths, "
           "got " +
           std::to_string(s.channelMin.size()) + ", " +
           std::to_string(s.channelMax.size()) + " and " +
           std::to_string(s.channelMean.size());
  if (auto error = checkFinite("channel_min", s.channelMin))
    return error;
  if (auto error = checkFinite("channel_max", s.channelMax))
    return error;
  if (auto error = checkFinite("channel_mean", s.channelMean))
    return error;
  for (size_t c = 0; c < channels; ++c)
    if (!(s.channelMin[c] <= s.channelMean[c] &&
          s.channelMean[c] <= s.channelMax[c]))
      return "channel " + std::to_string(c) +
             " needs channel_min <= channel_mean <= channel_max, got " +
             formatNumber(s.channelMin[c]) + ", " +
             formatNumber(s.channelMean[c]) + ", " +
             formatNumber(s.channelMax[c]);
  return std::nullopt;
}

Error qnn::calib::detail::finishTable(CalibrationTable &table, StringRef path) {
  for (const TensorStatistics &stats : table.tensors) {
    if (stats.name.empty())
      return makeError(path, "a tensor has an empty name");
    if (std::optional<std::string> error = checkStatistics(stats))
      return makeError(path, "tensor '" + stats.name + "': " + *error);
  }
  if (std::optional<std::string> duplicate = table.sortAndCheckUnique())
    return makeError(path, "duplicate tensor '" + *duplicate +
                               "': a name may appear only once");
  return Error::success();
}
