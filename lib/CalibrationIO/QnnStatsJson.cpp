//===- QnnStatsJson.cpp - The project's calibration JSON ------------------===//
//
// Part of quant-opt. Reads and writes the "qnn-calibration" JSON of
// docs/CalibrationStats.md. The reader is strict (unknown keys are errors:
// a misspelt "histogram" must not be silently ignored); the writer is
// deterministic (sorted names and keys, shortest exact doubles), so a
// file it wrote reads back and writes out byte for byte.
//
//===----------------------------------------------------------------------===//

#include "FormatUtils.h"
#include "qnn/CalibrationIO/CalibrationFormats.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

static constexpr StringLiteral kFormatName = "qnn-calibration";
static constexpr int64_t kVersion = 1;

static bool isOneOf(StringRef key, ArrayRef<StringRef> keys) {
  return llvm::is_contained(keys, key);
}

static StringRef describeKind(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "an array";
  case json::Value::Object:
    return "an object";
  }
  llvm_unreachable("unknown JSON kind");
}

namespace {
/// Reads one tensor entry; errors name the file, the tensor and the key.
class TensorReader {
public:
  TensorReader(StringRef path, StringRef name) : path(path), name(name) {}

  Error error(StringRef key, const Twine &message) const {
    return makeError(path,
                     "tensor '" + name + "': key '" + key + "': " + message);
  }

  Expected<double> number(const json::Object &object, StringRef key,
                          StringRef where) const {
    const json::Value *value = object.get(key);
    if (!value)
      return error(where, "missing");
    std::optional<double> number = value->getAsNumber();
    if (!number)
      return error(where, "must be a number, got " + describeKind(*value));
    if (!std::isfinite(*number))
      return error(where, "must be finite, got " + formatNumber(*number));
    return *number;
  }

  Expected<uint64_t> count(const json::Object &object, StringRef key,
                           StringRef where) const {
    const json::Value *value = object.get(key);
    if (!value)
      return error(where, "missing");
    if (std::optional<uint64_t> n = value->getAsUINT64())
      return *n;
    // 3.0 is an integer too.
    if (std::optional<int64_t> n = value->getAsInteger(); n && *n >= 0)
      return static_cast<uint64_t>(*n);
    std::optional<double> number = value->getAsNumber();
    if (!number)
      return error(where, "must be a non-negative integer, got " +
                              describeKind(*value));
    return error(where, "must be a non-negative integer, got " +
                            formatNumber(*number));
  }

  Expected<std::vector<double>> list(const json::Value &value,
                                     StringRef where) const {
    const json::Array *array = value.getAsArray();
    if (!array)
      return error(where,
                   "must be an array of numbers, got " + describeKind(value));
    std::vector<double> result;
    result.reserve(array->size());
    for (auto [i, element] : llvm::enumerate(*array)) {
      std::optional<double> number = element.getAsNumber();
      if (!number)
        return error(where, "element " + Twine(i) + " must be a number, got " +
                                describeKind(element));
      if (!std::isfinite(*number))
        return error(where, "element " + Twine(i) + " must be finite, got " +
                                formatNumber(*number));
      result.push_back(*number);
    }
    return result;
  }

  Expected<Histogram> histogram(const json::Value &value) const {
    const json::Object *object = value.getAsObject();
    if (!object)
      return error("histogram",
                   "must be an object, got " + describeKind(value));
    for (const auto &entry : *object)
      if (!isOneOf(entry.first, {"min", "max", "bins", "counts"}))
        return error(("histogram." + entry.first.str()),
                     "unknown key, expected min, max, bins or counts");
    Histogram h;
    Expected<double> lo = number(*object, "min", "histogram.min");
    if (!lo)
      return lo.takeError();
    Expected<double> hi = number(*object, "max", "histogram.max");
    if (!hi)
      return hi.takeError();
    if (!(*lo < *hi))
      return error("histogram", "needs min < max, got [" + formatNumber(*lo) +
                                    ", " + formatNumber(*hi) + "]");
    Expected<uint64_t> bins = count(*object, "bins", "histogram.bins");
    if (!bins)
      return bins.takeError();
    if (*bins == 0)
      return error("histogram.bins", "must be at least 1");
    const json::Value *counts = object->get("counts");
    if (!counts)
      return error("histogram.counts", "missing");
    Expected<std::vector<double>> values = list(*counts, "histogram.counts");
    if (!values)
      return values.takeError();
    if (values->size() != *bins)
      return error("histogram.counts", "has " + Twine(values->size()) +
                                           " entries but 'bins' is " +
                                           Twine(*bins));
    for (auto [i, c] : llvm::enumerate(*values))
      if (c < 0)
        return error("histogram.counts", "element " + Twine(i) +
                                             " is a negative count " +
                                             formatNumber(c));
    h.lo = *lo;
    h.hi = *hi;
    h.counts = std::move(*values);
    return h;
  }

  Expected<TensorStatistics> read(const json::Value &value) const {
    const json::Object *object = value.getAsObject();
    if (!object)
      return makeError(path, "tensor '" + name + "': must be an object, got " +
                                 describeKind(value));
    for (const auto &entry : *object)
      if (!isOneOf(entry.first, {"count", "min", "max", "histogram",
                                 "channel_min", "channel_max", "channel_mean"}))
        return error(entry.first.str(),
                     "unknown key, expected count, min, max, histogram, "
                     "channel_min, channel_max or channel_mean");
    TensorStatistics stats;
    stats.name = name.str();
    Expected<uint64_t> n = count(*object, "count", "count");
    if (!n)
      return n.takeError();
    stats.count = *n;
    Expected<double> min = number(*object, "min", "min");
    if (!min)
      return min.takeError();
    Expected<double> max = number(*object, "max", "max");
    if (!max)
      return max.takeError();
    if (*min > *max)
      return error("min",
                   formatNumber(*min) + " exceeds max " + formatNumber(*max));
    stats.min = *min;
    stats.max = *max;
    if (const json::Value *h = object->get("histogram")) {
      Expected<Histogram> histogram = this->histogram(*h);
      if (!histogram)
        return histogram.takeError();
      stats.histogram = std::move(*histogram);
    }
    struct Channel {
      StringLiteral key;
      std::vector<double> *values;
    } channels[] = {{"channel_min", &stats.channelMin},
                    {"channel_max", &stats.channelMax},
                    {"channel_mean", &stats.channelMean}};
    unsigned present = 0;
    for (Channel &channel : channels) {
      const json::Value *v = object->get(channel.key);
      if (!v)
        continue;
      ++present;
      Expected<std::vector<double>> values = list(*v, channel.key);
      if (!values)
        return values.takeError();
      if (values->empty())
        return error(channel.key, "must not be empty (omit the key instead)");
      *channel.values = std::move(*values);
    }
    if (present != 0 && present != 3)
      return error(
          "channel_min",
          "channel_min, channel_max and channel_mean must be all present "
          "or all absent");
    size_t c = stats.channelMin.size();
    if (stats.channelMax.size() != c || stats.channelMean.size() != c)
      return error("channel_min", "channel_min, channel_max and channel_mean "
                                  "need equal lengths, got " +
                                      Twine(c) + ", " +
                                      Twine(stats.channelMax.size()) + " and " +
                                      Twine(stats.channelMean.size()));
    for (size_t i = 0; i < c; ++i)
      if (!(stats.channelMin[i] <= stats.channelMean[i] &&
            stats.channelMean[i] <= stats.channelMax[i]))
        return error("channel_mean",
                     "channel " + Twine(i) +
                         " needs channel_min <= channel_mean <= channel_max, "
                         "got " +
                         formatNumber(stats.channelMin[i]) + ", " +
                         formatNumber(stats.channelMean[i]) + ", " +
                         formatNumber(stats.channelMax[i]));
    return stats;
  }

private:
  StringRef path;
  StringRef name;
};
} // namespace

Expected<CalibrationTable>
qnn::calib::detail::parseQnnStats(const json::Value &root, StringRef path) {
  const json::Object *object = root.getAsObject();
  if (!object)
    return makeError(path, "expected a JSON object at the top level, got " +
                               describeKind(root));
  const json::Value *format = object->get("format");
  if (!format)
    return makeError(path, "key 'format': missing (expected \"" + kFormatName +
                               "\")");
  std::optional<StringRef> formatName = format->getAsString();
  if (!formatName)
    return makeError(path, "key 'format': must be a string, got " +
                               describeKind(*format));
  if (*formatName != kFormatName)
    return makeError(path, "key 'format': unknown format name '" + *formatName +
                               "', expected '" + kFormatName + "'");
  const json::Value *version = object->get("version");
  if (!version)
    return makeError(path, "key 'version': missing (expected " +
                               Twine(kVersion) + ")");
  std::optional<int64_t> versionNumber = version->getAsInteger();
  if (!versionNumber)
    return makeError(path, "key 'version': must be an integer, got " +
                               describeKind(*version));
  if (*versionNumber != kVersion)
    return makeError(path, "key 'version': unsupported schema version " +
                               Twine(*versionNumber) +
                               ", this reader understands version " +
                               Twine(kVersion));
  for (const auto &entry : *object)
    if (!isOneOf(entry.first, {"format", "version", "producer", "tensors"}))
      return makeError(path, "key '" + entry.first.str() +
                                 "': unknown key, expected format, version, "
                                 "producer or tensors");
  CalibrationTable table;
  if (const json::Value *producer = object->get("producer")) {
    std::optional<StringRef> text = producer->getAsString();
    if (!text)
      return makeError(path, "key 'producer': must be a string, got " +
                                 describeKind(*producer));
    table.producer = text->str();
  }
  const json::Value *tensors = object->get("tensors");
  if (!tensors)
    return makeError(path, "key 'tensors': missing");
  const json::Object *tensorObject = tensors->getAsObject();
  if (!tensorObject)
    return makeError(path, "key 'tensors': must be an object, got " +
                               describeKind(*tensors));
  for (const auto &entry : *tensorObject) {
    StringRef name = entry.first;
    if (name.empty())
      return makeError(path, "key 'tensors': a tensor has an empty name");
    Expected<TensorStatistics> stats =
        TensorReader(path, name).read(entry.second);
    if (!stats)
      return stats.takeError();
    table.tensors.push_back(std::move(*stats));
  }
  return table;
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

static std::string validUTF8(StringRef text) {
  return json::isUTF8(text) ? text.str() : json::fixUTF8(text);
}

std::string qnn::calib::writeQnnStatsJson(const CalibrationTable &table) {
  std::vector<const TensorStatistics *> sorted;
  sorted.reserve(table.tensors.size());
  for (const TensorStatistics &stats : table.tensors)
    sorted.push_back(&stats);
  // Ties (a table with duplicates) keep their order: pointers into one
  // vector compare by position.
  std::sort(sorted.begin(), sorted.end(),
            [](const TensorStatistics *a, const TensorStatistics *b) {
              return std::tie(a->name, a) < std::tie(b->name, b);
            });

  std::string text;
  raw_string_ostream os(text);
  json::OStream json(os, /*IndentSize=*/2);
  auto number = [&](double value) {
    json.rawValue([&](raw_ostream &out) { writeNumber(out, value); });
  };
  auto numbers = [&](StringRef key, ArrayRef<double> values) {
    json.attributeArray(key, [&] {
      for (double value : values)
        number(value);
    });
  };
  // Keys in sorted order, as llvm::json::Value would print them.
  json.object([&] {
    json.attribute("format", kFormatName);
    json.attribute("producer", validUTF8(table.producer));
    json.attributeObject("tensors", [&] {
      for (const TensorStatistics *stats : sorted) {
        json.attributeObject(validUTF8(stats->name), [&] {
          if (stats->hasChannelStats()) {
            numbers("channel_max", stats->channelMax);
            numbers("channel_mean", stats->channelMean);
            numbers("channel_min", stats->channelMin);
          }
          json.attribute("count", stats->count);
          if (stats->histogram && !stats->histogram->empty()) {
            const Histogram &h = *stats->histogram;
            json.attributeObject("histogram", [&] {
              json.attribute("bins", static_cast<uint64_t>(h.counts.size()));
              numbers("counts", h.counts);
              json.attributeBegin("max");
              number(h.hi);
              json.attributeEnd();
              json.attributeBegin("min");
              number(h.lo);
              json.attributeEnd();
            });
          }
          json.attributeBegin("max");
          number(stats->max);
          json.attributeEnd();
          json.attributeBegin("min");
          number(stats->min);
          json.attributeEnd();
        });
      }
    });
    json.attribute("version", kVersion);
  });
  os << '\n';
  return text;
}
