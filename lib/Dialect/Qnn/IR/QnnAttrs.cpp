//===- QnnAttrs.cpp - qnn attributes: parsing, printing, verification -----===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/IR/QnnAttrs.h"
#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace qnn;

#include "qnn/Dialect/Qnn/IR/QnnEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "qnn/Dialect/Qnn/IR/QnnAttrs.cpp.inc"

void QnnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "qnn/Dialect/Qnn/IR/QnnAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared parsing and printing of real numbers
//===----------------------------------------------------------------------===//

/// Prints `v` so that it parses back to the same double.
static void printReal(AsmPrinter &printer, double v) {
  printer.printFloat(llvm::APFloat(v));
}

/// Parses `[v, v, ...]` (possibly empty).
static ParseResult parseRealList(AsmParser &parser,
                                 SmallVectorImpl<double> &values) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        double v;
        if (parser.parseFloat(v))
          return failure();
        values.push_back(v);
        return success();
      });
}

static void printRealList(AsmPrinter &printer, ArrayRef<double> values) {
  printer << '[';
  llvm::interleaveComma(values, printer,
                        [&](double v) { printReal(printer, v); });
  printer << ']';
}

/// Parses either a scalar or a `[...]` list into `values`.
static ParseResult parseScalarOrList(AsmParser &parser,
                                     SmallVectorImpl<double> &values) {
  if (succeeded(parser.parseOptionalLSquare())) {
    if (succeeded(parser.parseOptionalRSquare()))
      return success();
    do {
      double v;
      if (parser.parseFloat(v))
        return failure();
      values.push_back(v);
    } while (succeeded(parser.parseOptionalComma()));
    return parser.parseRSquare();
  }
  double v;
  if (parser.parseFloat(v))
    return failure();
  values.push_back(v);
  return success();
}

static void printScalarOrList(AsmPrinter &printer, ArrayRef<double> values) {
  if (values.size() == 1)
    printReal(printer, values.front());
  else
    printRealList(printer, values);
}

//===----------------------------------------------------------------------===//
// PaddingAttr
//===----------------------------------------------------------------------===//

LogicalResult PaddingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  int64_t top, int64_t left, int64_t bottom,
                                  int64_t right) {
  if (top < 0 || left < 0 || bottom < 0 || right < 0)
    return emitError() << "padding must be non-negative, got [" << top << ", "
                       << left << ", " << bottom << ", " << right << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, DenseF64ArrayAttr minAttr,
                       DenseF64ArrayAttr maxAttr) {
  if (!minAttr || !maxAttr)
    return emitError() << "activation bounds must be arrays (empty if none)";
  ArrayRef<double> min = minAttr, max = maxAttr;
  if (kind != ActivationKind::Clamp) {
    if (!min.empty() || !max.empty()) {
      InFlightDiagnostic diag = emitError();
      diag << "activation '" << stringifyActivationKind(kind)
           << "' takes no bounds, got min [";
      llvm::interleaveComma(min, diag,
                            [&](double v) { diag << formatReal(v); });
      diag << "] max [";
      llvm::interleaveComma(max, diag,
                            [&](double v) { diag << formatReal(v); });
      return diag << "]";
    }
    return success();
  }
  if (min.empty() || max.empty())
    return emitError() << "clamp activation needs both min and max bounds";
  if (min.size() != max.size())
    return emitError() << "clamp activation has " << min.size()
                       << " min bounds but " << max.size() << " max bounds";
  for (size_t c = 0, e = min.size(); c < e; ++c) {
    if (!std::isfinite(min[c]) || !std::isfinite(max[c]))
      return emitError() << "clamp bounds must be finite, got [" << formatReal(min[c])
                         << ", " << formatReal(max[c]) << "] for channel " << c;
    if (min[c] > max[c])
      return emitError() << "clamp min " << formatReal(min[c]) << " exceeds max "
                         << formatReal(max[c])
                         << " for channel " << c;
  }
  return success();
}

std::pair<double, double> ActivationAttr::getBounds(int64_t channel) const {
  constexpr double inf = std::numeric_limits<double>::infinity();
  switch (getKind()) {
  case ActivationKind::None:
    return {-inf, inf};
  case ActivationKind::Relu:
    return {0.0, inf};
  case ActivationKind::Relu6:
    return {0.0, 6.0};
  case ActivationKind::Clamp: {
    size_t i = getMin().size() == 1 ? 0 : static_cast<size_t>(channel);
    assert(i < getMin().size() && "channel out of range");
    return {getMin()[i], getMax()[i]};
  }
  }
  llvm_unreachable("unknown activation kind");
}

/// none | relu | relu6 | clamp(min = B, max = B), B = real | [real, ...]
Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::string keyword;
  if (parser.parseOptionalKeywordOrString(&keyword)) {
    parser.emitError(loc, "expected activation kind: none, relu, relu6 or "
                          "clamp");
    return {};
  }
  std::optional<ActivationKind> kind = symbolizeActivationKind(keyword);
  if (!kind) {
    parser.emitError(loc, "unknown activation kind '")
        << keyword << "', expected none, relu, relu6 or clamp";
    return {};
  }
  SmallVector<double> min, max;
  if (succeeded(parser.parseOptionalLParen())) {
    if (parser.parseKeyword("min") || parser.parseEqual() ||
        parseScalarOrList(parser, min) || parser.parseComma() ||
        parser.parseKeyword("max") || parser.parseEqual() ||
        parseScalarOrList(parser, max) || parser.parseRParen())
      return {};
  }
  return getChecked([&] { return parser.emitError(loc); },
                    parser.getContext(), *kind, ArrayRef<double>(min),
                    ArrayRef<double>(max));
}

void ActivationAttr::print(AsmPrinter &printer) const {
  // Like ODS enum attributes: a leading space, so that the full form reads
  // `#qnn<activation relu6>` and the op form `activation = relu6`.
  printer << ' ' << stringifyActivationKind(getKind());
  if (getMin().empty())
    return;
  printer << "(min = ";
  printScalarOrList(printer, getMin());
  printer << ", max = ";
  printScalarOrList(printer, getMax());
  printer << ')';
}

//===----------------------------------------------------------------------===//
// FixedPointMultiplierAttr
//===----------------------------------------------------------------------===//

LogicalResult FixedPointMultiplierAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int32_t> m0,
    ArrayRef<int32_t> shift) {
  if (m0.empty())
    return emitError() << "fixed-point multiplier needs at least one entry";
  if (m0.size() != shift.size())
    return emitError() << "fixed-point multiplier has " << m0.size()
                       << " m0 values but " << shift.size() << " shifts";
  constexpr int64_t lo = int64_t(1) << 30;
  for (size_t i = 0, e = m0.size(); i < e; ++i) {
    if (m0[i] != 0 && m0[i] < lo)
      return emitError() << "m0 must be 0 or in [2^30, 2^31), got " << m0[i]
                         << " at index " << i;
    if (shift[i] < -31 || shift[i] > 30)
      return emitError() << "shift must be in [-31, 30], got " << shift[i]
                         << " at index " << i;
  }
  return success();
}

double FixedPointMultiplierAttr::getRealMultiplier(size_t i) const {
  return std::ldexp(static_cast<double>(getM0()[i]), getShift()[i] - 31);
}

//===----------------------------------------------------------------------===//
// TensorStatsAttr
//===----------------------------------------------------------------------===//

static LogicalResult checkFinite(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef key, ArrayRef<double> values) {
  for (size_t i = 0, e = values.size(); i < e; ++i)
    if (!std::isfinite(values[i]))
      return emitError() << "statistics entry '" << key << "' must be finite, "
                         << "got " << formatReal(values[i]) << " at index " << i;
  return success();
}

LogicalResult TensorStatsAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, uint64_t count,
    llvm::APFloat minValue, llvm::APFloat maxValue,
    DenseF64ArrayAttr histRangeAttr, DenseF64ArrayAttr histAttr,
    DenseF64ArrayAttr channelMinAttr, DenseF64ArrayAttr channelMaxAttr,
    DenseF64ArrayAttr channelMeanAttr) {
  if (!histRangeAttr || !histAttr || !channelMinAttr || !channelMaxAttr ||
      !channelMeanAttr)
    return emitError() << "statistics lists must be arrays (empty if absent)";
  double min = minValue.convertToDouble(), max = maxValue.convertToDouble();
  ArrayRef<double> histRange = histRangeAttr, hist = histAttr,
                   channelMin = channelMinAttr, channelMax = channelMaxAttr,
                   channelMean = channelMeanAttr;
  if (failed(checkFinite(emitError, "min", min)) ||
      failed(checkFinite(emitError, "max", max)) ||
      failed(checkFinite(emitError, "hist_range", histRange)) ||
      failed(checkFinite(emitError, "hist", hist)) ||
      failed(checkFinite(emitError, "channel_min", channelMin)) ||
      failed(checkFinite(emitError, "channel_max", channelMax)) ||
      failed(checkFinite(emitError, "channel_mean", channelMean)))
    return failure();
  (void)count;
  if (min > max)
    return emitError() << "statistics min " << formatReal(min) << " exceeds max "
                       << formatReal(max);
  if (hist.empty() != histRange.empty())
    return emitError() << "a histogram needs both 'hist' and 'hist_range', "
                       << (hist.empty() ? "'hist'" : "'hist_range'")
                       << " is missing";
  if (!hist.empty()) {
    if (histRange.size() != 2)
      return emitError() << "'hist_range' must be [lo, hi], got "
                         << histRange.size() << " values";
    if (!(histRange[0] < histRange[1]))
      return emitError() << "'hist_range' must have lo < hi, got ["
                         << formatReal(histRange[0]) << ", "
                         << formatReal(histRange[1]) << "]";
    for (size_t i = 0, e = hist.size(); i < e; ++i)
      if (hist[i] < 0.0)
        return emitError() << "histogram bin " << i
                           << " has a negative count "
                           << formatReal(hist[i]);
  }
  size_t numChannels = channelMin.size();
  if (channelMax.size() != numChannels || channelMean.size() != numChannels)
    return emitError() << "per-channel statistics need equal lengths, got "
                       << channelMin.size() << " channel_min, "
                       << channelMax.size() << " channel_max and "
                       << channelMean.size() << " channel_mean";
  for (size_t c = 0; c < numChannels; ++c)
    if (!(channelMin[c] <= channelMean[c] && channelMean[c] <= channelMax[c]))
      return emitError() << "channel " << c << " needs min <= mean <= max, got "
                         << formatReal(channelMin[c]) << ", "
                         << formatReal(channelMean[c]) << ", "
                         << formatReal(channelMax[c]);
  return success();
}

/// <count = N, min = R, max = R [, hist_range = [..], hist = [..]]
///  [, channel_min = [..], channel_max = [..], channel_mean = [..]]>
/// Keys may come in any order; count, min and max are required.
Attribute TensorStatsAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  std::optional<uint64_t> count;
  std::optional<double> min, max;
  SmallVector<double> histRange, hist, channelMin, channelMax, channelMean;
  llvm::StringSet<> seen;
  if (parser.parseLess())
    return {};
  auto parseEntry = [&]() -> ParseResult {
    SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (!seen.insert(key).second)
      return parser.emitError(keyLoc, "duplicate statistics key '")
             << key << "'";
    if (key == "count") {
      SMLoc valueLoc = parser.getCurrentLocation();
      int64_t value;
      if (parser.parseInteger(value))
        return failure();
      if (value < 0)
        return parser.emitError(valueLoc,
                                "statistics 'count' must be non-negative, got ")
               << value;
      count = static_cast<uint64_t>(value);
      return success();
    }
    if (key == "min" || key == "max") {
      double value;
      if (parser.parseFloat(value))
        return failure();
      (key == "min" ? min : max) = value;
      return success();
    }
    SmallVectorImpl<double> *list =
        llvm::StringSwitch<SmallVectorImpl<double> *>(key)
            .Case("hist_range", &histRange)
            .Case("hist", &hist)
            .Case("channel_min", &channelMin)
            .Case("channel_max", &channelMax)
            .Case("channel_mean", &channelMean)
            .Default(nullptr);
    if (!list)
      return parser.emitError(keyLoc, "unknown statistics key '")
             << key
             << "', expected count, min, max, hist_range, hist, "
                "channel_min, channel_max or channel_mean";
    return parseRealList(parser, *list);
  };
  if (parser.parseCommaSeparatedList(parseEntry) || parser.parseGreater())
    return {};
  if (!count || !min || !max) {
    parser.emitError(loc, "statistics need 'count', 'min' and 'max'");
    return {};
  }
  return getChecked([&] { return parser.emitError(loc); },
                    parser.getContext(), *count, *min, *max,
                    ArrayRef<double>(histRange), ArrayRef<double>(hist),
                    ArrayRef<double>(channelMin), ArrayRef<double>(channelMax),
                    ArrayRef<double>(channelMean));
}

void TensorStatsAttr::print(AsmPrinter &printer) const {
  printer << "<count = " << getCount() << ", min = ";
  printReal(printer, getMinValue());
  printer << ", max = ";
  printReal(printer, getMaxValue());
  auto printList = [&](StringRef key, ArrayRef<double> values) {
    if (values.empty())
      return;
    printer << ", " << key << " = ";
    printRealList(printer, values);
  };
  printList("hist_range", getHistRange());
  printList("hist", getHist());
  printList("channel_min", getChannelMin());
  printList("channel_max", getChannelMax());
  printList("channel_mean", getChannelMean());
  printer << '>';
}
