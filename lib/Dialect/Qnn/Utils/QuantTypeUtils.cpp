//===- QuantTypeUtils.cpp - Numeric forms and quantized types ---------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

using namespace mlir;

std::optional<qnn::NumericForm> qnn::getNumericForm(Type elementType) {
  if (elementType.isF32())
    return NumericForm::Float;
  if (isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          elementType))
    return NumericForm::Quantized;
  if (isa<IntegerType>(elementType))
    return NumericForm::Integer;
  return std::nullopt;
}

StringRef qnn::stringifyNumericForm(NumericForm form) {
  switch (form) {
  case NumericForm::Float:
    return "float";
  case NumericForm::Quantized:
    return "quantized";
  case NumericForm::Integer:
    return "integer";
  }
  llvm_unreachable("unknown numeric form");
}

std::pair<int64_t, int64_t> qnn::getIntegerRange(IntegerType type) {
  unsigned width = type.getWidth();
  if (type.isUnsigned()) {
    if (width >= 64)
      return {0, std::numeric_limits<int64_t>::max()};
    return {0, static_cast<int64_t>((uint64_t(1) << width) - 1)};
  }
  if (width >= 64)
    return {std::numeric_limits<int64_t>::min(),
            std::numeric_limits<int64_t>::max()};
  if (width == 0)
    return {0, 0};
  int64_t half = int64_t(1) << (width - 1);
  return {-half, half - 1};
}

bool qnn::fitsIntegerType(int64_t value, IntegerType type) {
  auto [lo, hi] = getIntegerRange(type);
  return value >= lo && value <= hi;
}

unsigned qnn::getStorageWidth(Type elementType) {
  if (auto intType = dyn_cast<IntegerType>(elementType))
    return intType.getWidth();
  if (auto quantType = dyn_cast<quant::QuantizedType>(elementType))
    return quantType.getStorageTypeIntegralWidth();
  return 0;
}

/// Checks one (scale, zero point) pair of `type`; `channel` is -1 for a
/// per-tensor type.
static LogicalResult
verifyScaleAndZeroPoint(function_ref<InFlightDiagnostic()> emitError,
                        quant::QuantizedType type, double scale,
                        int64_t zeroPoint, int64_t channel) {
  auto where = [&](InFlightDiagnostic diag) -> InFlightDiagnostic {
    if (channel >= 0)
      diag << " (channel " << channel << ")";
    diag << " in " << type;
    return diag;
  };
  if (!(scale > 0.0) || !std::isfinite(scale))
    return where(emitError() << "quantization scale must be positive and "
                                "finite, got "
                             << qnn::formatReal(scale));
  if (zeroPoint < type.getStorageTypeMin() ||
      zeroPoint > type.getStorageTypeMax())
    return where(emitError() << "zero point " << zeroPoint
                             << " is outside the storage range ["
                             << type.getStorageTypeMin() << ", "
                             << type.getStorageTypeMax() << "]");
  return success();
}

LogicalResult
qnn::verifyQuantizedType(function_ref<InFlightDiagnostic()> emitError,
                         quant::QuantizedType type) {
  if (!type.getExpressedType().isF32())
    return emitError() << "quantized type must express f32, got " << type;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type))
    return verifyScaleAndZeroPoint(emitError, type, uniform.getScale(),
                                   uniform.getZeroPoint(), -1);
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    ArrayRef<double> scales = perAxis.getScales();
    ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
    if (scales.size() != zeroPoints.size())
      return emitError() << "per-axis type has " << scales.size()
                         << " scales but " << zeroPoints.size()
                         << " zero points: " << type;
    for (size_t i = 0, e = scales.size(); i < e; ++i)
      if (failed(verifyScaleAndZeroPoint(emitError, type, scales[i],
                                         zeroPoints[i], i)))
        return failure();
    return success();
  }
  return emitError() << "expected a !quant.uniform type (per-tensor or "
                        "per-axis), got "
                     << type;
}

LogicalResult
qnn::verifyPerAxisChannels(function_ref<InFlightDiagnostic()> emitError,
                           quant::UniformQuantizedPerAxisType type,
                           int64_t numChannels, StringRef what) {
  if (type.getQuantizedDimension() != 0)
    return emitError() << "per-axis " << what
                       << " must be quantized along axis 0 (output "
                          "channels), got axis "
                       << type.getQuantizedDimension();
  if (static_cast<int64_t>(type.getScales().size()) != numChannels)
    return emitError() << "per-axis " << what << " has "
                       << type.getScales().size() << " scales but "
                       << numChannels << " output channels";
  return success();
}

std::string qnn::formatReal(double value) {
  char buffer[32];
  // Integral values of moderate size read best without an exponent.
  if (std::isfinite(value) && value == std::trunc(value) &&
      std::fabs(value) < 1e15) {
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    return buffer;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  // NaN never compares equal: the last (17-digit) form, "nan", stands.
  return buffer;
}
