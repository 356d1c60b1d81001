//===- OrtCalibrationTable.cpp - ONNX Runtime calibration tables ----------===//
//
// Part of quant-opt. What onnxruntime.quantization.write_calibration_table
// writes (algorithms.md 6.3):
// - calibration.json: {tensor: TensorData}, TensorData holding `lowest`,
//   `highest` and optionally `hist`/`hist_edges` (plus `bins`, `avg`, `std`,
//   ignored), NumPy arrays encoded as {"data": ..., "dtype": ...,
//   "CLS": "numpy.array"}; possibly wrapped as {"CLS": "TensorsData",
//   "data": {...}}; old versions wrote {tensor: [min, max]};
// - calibration.cache: "<tensor> <amax>" lines (decimal, not TensorRT's
//   hex), read as the range [-|amax|, |amax|] (ORT >= 1.17 writes
//   max(highest, lowest), negative for an all-negative tensor).
//
//===----------------------------------------------------------------------===//

#include "FormatUtils.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

//===----------------------------------------------------------------------===//
// calibration.json
//===----------------------------------------------------------------------===//

namespace {
struct Entry {
  StringRef path;
  StringRef name;

  Error error(StringRef key, const Twine &message) const {
    return makeError(path,
                     "tensor '" + name + "': key '" + key + "': " + message);
  }

  /// A NumPy array {"data": ..., "CLS": "numpy.array"} or a bare value.
  static const json::Value &unwrap(const json::Value &value) {
    if (const json::Object *object = value.getAsObject())
      if (const json::Value *data = object->get("data"))
        return *data;
    return value;
  }

  /// A number, or a NumPy scalar (0-d array, or one element, nested).
  Expected<double> scalar(const json::Value &raw, StringRef key) const {
    const json::Value *value = &unwrap(raw);
    while (const json::Array *array = value->getAsArray()) {
      if (array->size() != 1)
        return error(key, "must be a single number, got an array of " +
                              Twine(array->size()));
      value = &array->front();
    }
    std::optional<double> number = value->getAsNumber();
    if (!number)
      return error(key, "must be a number");
    if (!std::isfinite(*number))
      return error(key, "must be finite, got " + formatNumber(*number));
    return *number;
  }

  Expected<std::vector<double>> vector(const json::Value &raw,
                                       StringRef key) const {
    const json::Array *array = unwrap(raw).getAsArray();
    if (!array)
      return error(key, "must be an array of numbers");
    std::vector<double> result;
    for (auto [i, element] : llvm::enumerate(*array)) {
      std::optional<double> number = element.getAsNumber();
      if (!number || !std::isfinite(*number))
        return error(key, "element " + Twine(i) + " must be a finite number");
      result.push_back(*number);
    }
    return result;
  }

  Expected<TensorStatistics> read(const json::Value &value) const {
    TensorStatistics stats;
    stats.name = name.str();
    // Old form: [min, max].
    if (const json::Array *pair = value.getAsArray()) {
      if (pair->size() != 2)
        return makeError(path, "tensor '" + name +
                                   "': expected [min, max], got an array of " +
                                   Twine(pair->size()));
      Expected<double> min = scalar((*pair)[0], "[0]");
      if (!min)
        return min.takeError();
      Expected<double> max = scalar((*pair)[1], "[1]");
      if (!max)
        return max.takeError();
      stats.min = *min;
      stats.max = *max;
      return stats;
    }
    const json::Object *object = value.getAsObject();
    if (!object)
      return makeError(path, "tensor '" + name +
                                 "': expected an object with lowest and "
                                 "highest, or [min, max]");
    for (StringRef key : {"lowest", "highest"})
      if (!object->get(key))
        return error(key, "missing");
    Expected<double> lowest = scalar(*object->get("lowest"), "lowest");
    if (!lowest)
      return lowest.takeError();
    Expected<double> highest = scalar(*object->get("highest"), "highest");
    if (!highest)
      return highest.takeError();
    stats.min = *lowest;
    stats.max = *highest;
    const json::Value *hist = object->get("hist");
    const json::Value *edges = object->get("hist_edges");
    if (!hist != !edges)
      return error(hist ? "hist_edges" : "hist",
                   "missing: a histogram needs both hist and hist_edges");
    if (hist) {
      Expected<std::vector<double>> counts = vector(*hist, "hist");
      if (!counts)
        return counts.takeError();
      Expected<std::vector<double>> bounds = vector(*edges, "hist_edges");
      if (!bounds)
        return bounds.takeError();
      if (counts->empty() || bounds->size() != counts->size() + 1)
        return error("hist_edges", "has " + Twine(bounds->size()) +
                                       " edges for " + Twine(counts->size()) +
                                       " bins, expected " +
                                       Twine(counts->size() + 1));
      double lo = bounds->front(), hi = bounds->back();
      double width = (hi - lo) / counts->size();
      // np.histogram edges are a linspace; our histograms are equal-width.
      for (auto [i, edge] : llvm::enumerate(*bounds))
        if (std::fabs(edge - (lo + i * width)) > 1e-3 * std::fabs(width))
          return error("hist_edges", "edge " + Twine(i) + " (" +
                                         formatNumber(edge) +
                                         ") is not equally spaced");
      stats.histogram = Histogram{lo, hi, std::move(*counts)};
    }
    return stats;
  }
};
} // namespace

bool qnn::calib::detail::looksLikeOrtJson(const json::Object &object) {
  if (std::optional<StringRef> cls = object.getString("CLS"))
    return *cls == "TensorsData";
  if (object.empty())
    return false;
  return all_of(object, [](const auto &entry) {
    if (const json::Array *pair = entry.second.getAsArray())
      return pair->size() == 2;
    const json::Object *fields = entry.second.getAsObject();
    return fields && fields->get("lowest") && fields->get("highest");
  });
}

Expected<CalibrationTable>
qnn::calib::detail::parseOrtJson(const json::Value &root, StringRef path) {
  const json::Object *object = root.getAsObject();
  if (!object)
    return makeError(path, "expected a JSON object at the top level");
  CalibrationTable table;
  table.producer = "onnxruntime";
  const json::Object *entries = object;
  if (std::optional<StringRef> cls = object->getString("CLS")) {
    if (*cls != "TensorsData")
      return makeError(path,
                       "key 'CLS': expected 'TensorsData', got '" + *cls + "'");
    entries = object->getObject("data");
    if (!entries)
      return makeError(path, "key 'data': missing or not an object");
    if (const json::Object *method = object->getObject("calibration_method"))
      if (std::optional<StringRef> value = method->getString("value"))
        table.producer = ("onnxruntime " + *value).str();
  }
  for (const auto &entry : *entries) {
    Expected<TensorStatistics> stats =
        Entry{path, entry.first}.read(entry.second);
    if (!stats)
      return stats.takeError();
    table.tensors.push_back(std::move(*stats));
  }
  return table;
}

//===----------------------------------------------------------------------===//
// calibration.cache
//===----------------------------------------------------------------------===//

/// "<tensor> <number>", split at the last space.
static bool splitCacheLine(StringRef line, StringRef &name, double &value) {
  line = line.trim();
  size_t split = line.rfind(' ');
  if (split == StringRef::npos)
    return false;
  name = line.take_front(split).rtrim();
  return !name.empty() &&
         !line.drop_front(split + 1).getAsDouble(value, /*AllowInexact=*/true);
}

bool qnn::calib::detail::looksLikeOrtCacheLine(StringRef line) {
  StringRef name;
  double value;
  return splitCacheLine(line, name, value);
}

Expected<CalibrationTable> qnn::calib::detail::parseOrtCache(StringRef contents,
                                                             StringRef path) {
  SmallVector<StringRef> lines;
  contents.split(lines, '\n');
  CalibrationTable table;
  table.producer = "onnxruntime calibration.cache";
  StringMap<size_t> seen;
  for (auto [i, rawLine] : llvm::enumerate(lines)) {
    size_t lineNo = i + 1;
    if (rawLine.trim().empty())
      continue;
    StringRef name;
    double amax;
    if (!splitCacheLine(rawLine, name, amax))
      return makeLineError(path, lineNo,
                           "expected '<tensor> <amax>', got '" +
                               rawLine.rtrim() + "'");
    if (!std::isfinite(amax))
      return makeLineError(path, lineNo,
                           "tensor '" + name + "': amax must be finite, got " +
                               formatNumber(amax));
    auto [it, inserted] = seen.try_emplace(name, lineNo);
    if (!inserted)
      return makeLineError(path, lineNo,
                           "duplicate tensor '" + name + "' (also on line " +
                               Twine(it->second) + ")");
    TensorStatistics stats;
    stats.name = name.str();
    stats.min = -std::fabs(amax);
    stats.max = std::fabs(amax);
    table.tensors.push_back(std::move(stats));
  }
  return table;
}
