//===- AimetEncodings.cpp - AIMET encodings files -------------------------===//
//
// Part of quant-opt. AIMET exports (scale, offset, bitwidth) encodings, not
// ranges. Each encoding becomes the range whose grid it is:
//
//   min = offset * scale,  max = (2^bw - 1 + offset) * scale
//
// i.e. q in [0, 2^bw - 1] dequantizes to (q + offset) * scale (AIMET
// quantization_utils.cpp getComputedEncodings; algorithms.md 4.1, 6.1), so
// the asymmetric formula of range selection, applied to this range, gives
// back exactly this scale and offset. Per-channel encodings become
// channel_min/channel_max (channel_mean is the midpoint: AIMET records no
// mean) with min/max the overall range. count is 0 (nothing observed here).
//
//===----------------------------------------------------------------------===//

#include "FormatUtils.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

namespace {
/// One (per-tensor or per-channel) encoding on its integer grid.
struct Encoding {
  unsigned bitwidth;
  double scale;
  double offset;

  double gridMin() const { return offset * scale; }
  double gridMax() const {
    return (std::ldexp(1.0, bitwidth) - 1 + offset) * scale;
  }
};

/// Errors name the tensor, where in the file it is, and the key.
struct Where {
  StringRef path;
  std::string tensor;
  std::string place;

  Error error(StringRef key, const Twine &message) const {
    return makeError(path, "tensor '" + tensor + "' (" + place + "): key '" +
                               key + "': " + message);
  }
  Error error(const Twine &message) const {
    return makeError(path,
                     "tensor '" + tensor + "' (" + place + "): " + message);
  }
};
} // namespace

static Expected<double> getNumber(const json::Object &object, StringRef key,
                                  const Where &where) {
  const json::Value *value = object.get(key);
  if (!value)
    return where.error(key, "missing");
  std::optional<double> number = value->getAsNumber();
  if (!number)
    return where.error(key, "must be a number");
  if (!std::isfinite(*number))
    return where.error(key, "must be finite, got " + formatNumber(*number));
  return *number;
}

static Expected<unsigned> getBitwidth(const json::Object &object, StringRef key,
                                      const Where &where) {
  const json::Value *value = object.get(key);
  if (!value)
    return where.error(key, "missing");
  std::optional<int64_t> bits = value->getAsInteger();
  if (!bits || *bits < 1 || *bits > 32)
    return where.error(key, "must be an integer from 1 to 32");
  return static_cast<unsigned>(*bits);
}

static Expected<Encoding> makeEncoding(unsigned bitwidth, double scale,
                                       double offset, StringRef scaleKey,
                                       const Where &where) {
  if (scale < 0)
    return where.error(scaleKey,
                       "must be non-negative, got " + formatNumber(scale));
  // AIMET's offset is minus the unsigned zero point (<= 0); the old
  // TensorFlow-style example of the specification writes the zero point
  // itself (positive), so a positive offset is read as a zero point.
  if (offset > 0)
    offset = -offset;
  return Encoding{bitwidth, scale, offset};
}

/// Checks the min/max a 0.x encoding also stores against its grid. min is
/// offset * scale; max is the top of the full grid or, for strict symmetric
/// encodings (2^bw - 2 steps), one step below. Half a step of slack.
static Error checkStoredRange(const json::Object &object,
                              const Encoding &encoding, const Where &where) {
  double slack = 0.5 * encoding.scale;
  auto close = [&](double stored, double expected) {
    return std::fabs(stored - expected) <=
           slack + 1e-9 * std::max(1.0, std::fabs(expected));
  };
  if (object.get("min")) {
    Expected<double> min = getNumber(object, "min", where);
    if (!min)
      return min.takeError();
    if (!close(*min, encoding.gridMin()))
      return where.error("min", formatNumber(*min) +
                                    " disagrees with offset * scale = " +
                                    formatNumber(encoding.gridMin()));
  }
  if (object.get("max")) {
    Expected<double> max = getNumber(object, "max", where);
    if (!max)
      return max.takeError();
    double top = encoding.gridMax();
    if (!close(*max, top) && !close(*max, top - encoding.scale))
      return where.error("max", formatNumber(*max) +
                                    " disagrees with (2^bitwidth - 1 + "
                                    "offset) * scale = " +
                                    formatNumber(top));
  }
  return Error::success();
}

/// The statistics an encoding list stands for (one entry: per tensor).
static TensorStatistics
toStatistics(StringRef name, ArrayRef<Encoding> encodings, bool perChannel) {
  TensorStatistics stats;
  stats.name = name.str();
  stats.count = 0;
  stats.min = encodings.front().gridMin();
  stats.max = encodings.front().gridMax();
  for (const Encoding &e : encodings) {
    stats.min = std::min(stats.min, e.gridMin());
    stats.max = std::max(stats.max, e.gridMax());
    if (perChannel) {
      stats.channelMin.push_back(e.gridMin());
      stats.channelMax.push_back(e.gridMax());
      stats.channelMean.push_back(0.5 * (e.gridMin() + e.gridMax()));
    }
  }
  return stats;
}

/// The 0.x dict schema: {"activation_encodings": {name: [encoding...]},
/// "param_encodings": {...}}; a list longer than one is per channel.
static Error readDictSchema(const json::Object &root, StringRef section,
                            StringRef path, CalibrationTable &table) {
  const json::Value *value = root.get(section);
  if (!value)
    return Error::success();
  const json::Object *object = value->getAsObject();
  if (!object)
    return makeError(path,
                     "key '" + section + "': must be an object (version 0.x)");
  for (const auto &entry : *object) {
    Where where{path, entry.first.str(), section.str()};
    const json::Array *list = entry.second.getAsArray();
    if (!list || list->empty())
      return where.error("must be a non-empty list of encodings");
    SmallVector<Encoding> encodings;
    bool isFloat = false;
    for (auto [i, element] : llvm::enumerate(*list)) {
      Where channel{path, where.tensor,
                    (section + ", encoding " + Twine(i)).str()};
      const json::Object *fields = element.getAsObject();
      if (!fields)
        return channel.error("must be an object");
      std::optional<StringRef> dtype = fields->getString("dtype");
      bool elementIsFloat = dtype && dtype->equals_insensitive("float");
      if (i != 0 && elementIsFloat != isFloat)
        return channel.error("dtype", "mixes int and float encodings");
      isFloat = elementIsFloat;
      if (isFloat)
        continue;
      if (dtype && !dtype->equals_insensitive("int"))
        return channel.error("dtype", "unknown dtype '" + *dtype +
                                          "', expected int or float");
      Expected<unsigned> bits = getBitwidth(*fields, "bitwidth", channel);
      if (!bits)
        return bits.takeError();
      Expected<double> scale = getNumber(*fields, "scale", channel);
      if (!scale)
        return scale.takeError();
      Expected<double> offset = getNumber(*fields, "offset", channel);
      if (!offset)
        return offset.takeError();
      Expected<Encoding> encoding =
          makeEncoding(*bits, *scale, *offset, "scale", channel);
      if (!encoding)
        return encoding.takeError();
      if (Error error = checkStoredRange(*fields, *encoding, channel))
        return error;
      encodings.push_back(*encoding);
    }
    // Float tensors (kept in floating point by AIMET) have no range.
    if (isFloat)
      continue;
    table.tensors.push_back(
        toStatistics(entry.first, encodings, encodings.size() > 1));
  }
  return Error::success();
}

/// The 1.0.0 list schema: [{"name", "dtype", "enc_type", "bw", "is_sym",
/// "scale": [...], "offset": [...]}].
static Error readListSchema(const json::Object &root, StringRef section,
                            StringRef path, CalibrationTable &table) {
  const json::Value *value = root.get(section);
  if (!value)
    return Error::success();
  const json::Array *list = value->getAsArray();
  if (!list)
    return makeError(path,
                     "key '" + section + "': must be a list (version 1.0.0)");
  for (auto [i, element] : llvm::enumerate(*list)) {
    const json::Object *object = element.getAsObject();
    std::string place = (section + "[" + Twine(i) + "]").str();
    if (!object)
      return makeError(path, "key '" + place + "': must be an object");
    std::optional<StringRef> name = object->getString("name");
    if (!name || name->empty())
      return makeError(path,
                       "key '" + place + ".name': missing or not a string");
    Where where{path, name->str(), place};
    std::optional<StringRef> dtype = object->getString("dtype");
    if (!dtype)
      return where.error("dtype", "missing or not a string");
    if (dtype->equals_insensitive("float"))
      continue;
    if (!dtype->equals_insensitive("int"))
      return where.error("dtype", "unknown dtype '" + *dtype +
                                      "', expected INT or FLOAT");
    std::optional<StringRef> encType = object->getString("enc_type");
    if (!encType)
      return where.error("enc_type", "missing or not a string");
    bool perChannel = *encType == "PER_CHANNEL";
    if (!perChannel && *encType != "PER_TENSOR")
      return where.error("enc_type",
                         "'" + *encType +
                             "' has no min/max equivalent; PER_TENSOR and "
                             "PER_CHANNEL are supported");
    Expected<unsigned> bits = getBitwidth(*object, "bw", where);
    if (!bits)
      return bits.takeError();
    const json::Array *scales = object->getArray("scale");
    const json::Array *offsets = object->getArray("offset");
    if (!scales || scales->empty())
      return where.error("scale", "must be a non-empty list of numbers");
    if (!offsets || offsets->size() != scales->size())
      return where.error("offset", "must be a list with as many entries as "
                                   "'scale' (" +
                                       Twine(scales->size()) + ")");
    if (!perChannel && scales->size() != 1)
      return where.error("scale", "a PER_TENSOR encoding has one scale, got " +
                                      Twine(scales->size()));
    SmallVector<Encoding> encodings;
    for (size_t c = 0, e = scales->size(); c < e; ++c) {
      std::optional<double> scale = (*scales)[c].getAsNumber();
      std::optional<double> offset = (*offsets)[c].getAsNumber();
      if (!scale || !std::isfinite(*scale))
        return where.error("scale",
                           "element " + Twine(c) + " must be a finite number");
      if (!offset || !std::isfinite(*offset))
        return where.error("offset",
                           "element " + Twine(c) + " must be a finite number");
      Expected<Encoding> encoding =
          makeEncoding(*bits, *scale, *offset, "scale", where);
      if (!encoding)
        return encoding.takeError();
      encodings.push_back(*encoding);
    }
    table.tensors.push_back(toStatistics(*name, encodings, perChannel));
  }
  return Error::success();
}

bool qnn::calib::detail::looksLikeAimet(const json::Object &object) {
  return object.get("activation_encodings") || object.get("param_encodings");
}

Expected<CalibrationTable>
qnn::calib::detail::parseAimet(const json::Value &rootValue, StringRef path) {
  const json::Object *root = rootValue.getAsObject();
  if (!root)
    return makeError(path, "expected a JSON object at the top level");
  if (!looksLikeAimet(*root))
    return makeError(path, "not an AIMET encodings file: neither "
                           "'activation_encodings' nor 'param_encodings'");
  // The schema follows the version when there is one, else the shape.
  std::string version;
  if (const json::Value *v = root->get("version")) {
    std::optional<StringRef> text = v->getAsString();
    if (!text)
      return makeError(path, "key 'version': must be a string");
    version = text->str();
  }
  bool listSchema;
  if (version.empty()) {
    const json::Value *section = root->get("activation_encodings");
    if (!section)
      section = root->get("param_encodings");
    listSchema = section->getAsArray() != nullptr;
  } else if (version == "1.0.0") {
    listSchema = true;
  } else if (StringRef(version).starts_with("0.")) {
    listSchema = false;
  } else {
    return makeError(path, "key 'version': unsupported AIMET encoding "
                           "version '" +
                               version +
                               "', this reader understands 0.x (dict) and "
                               "1.0.0 (list)");
  }
  CalibrationTable table;
  table.producer = version.empty() ? "aimet" : "aimet " + version;
  for (StringRef section : {"activation_encodings", "param_encodings"})
    if (Error error = listSchema ? readListSchema(*root, section, path, table)
                                 : readDictSchema(*root, section, path, table))
      return std::move(error);
  return table;
}
