//===- CalibrationFormats.h - Reading and writing statistics ------*- C++ -*-===//
//
// Part of quant-opt. The project's calibration JSON (docs/CalibrationStats.md)
// and the formats users bring from other tools: AIMET encodings (0.6.1 dict
// and 1.0.0 list schemas), TensorRT calibration caches and ONNX Runtime
// calibration tables. Errors name the file and the key (and line:column for
// JSON syntax); nothing is partially returned.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CALIBRATIONIO_CALIBRATIONFORMATS_H
#define QNN_CALIBRATIONIO_CALIBRATIONFORMATS_H

#include "qnn/Calibration/TensorStatistics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace qnn::calib {

enum class CalibrationFormat { Auto, Qnn, Aimet, TensorRT, Ort };

/// "auto", "qnn", "aimet", "tensorrt", "ort".
std::optional<CalibrationFormat> parseCalibrationFormat(llvm::StringRef name);
llvm::StringRef stringifyCalibrationFormat(CalibrationFormat format);

/// Parses `contents` (the bytes of `path`, which only names it in errors).
/// `Auto` recognizes the format from the contents.
llvm::Expected<CalibrationTable>
parseCalibration(llvm::StringRef contents, llvm::StringRef path,
                 CalibrationFormat format = CalibrationFormat::Auto);

/// Reads and parses a file.
llvm::Expected<CalibrationTable>
readCalibrationFile(llvm::StringRef path,
                    CalibrationFormat format = CalibrationFormat::Auto);

/// The project's JSON, deterministic: same table, same bytes (sorted names,
/// sorted keys, doubles printed exactly).
std::string writeQnnStatsJson(const CalibrationTable &table);

/// Writes it whole or not at all (temporary file, then rename).
llvm::Error writeQnnStatsFile(llvm::StringRef path,
                              const CalibrationTable &table);

} // namespace qnn::calib

#endif // QNN_CALIBRATIONIO_CALIBRATIONFORMATS_H
