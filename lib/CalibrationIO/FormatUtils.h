//===- FormatUtils.h - Helpers of the calibration readers -------*- C++ -*-===//
//
// Part of quant-opt. Internal to QnnCalibrationIO: error construction (every
// message names the file, and the key or line), JSON parsing with
// line:column, the checks every imported table must pass, and the readers
// of each format.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CALIBRATIONIO_FORMATUTILS_H
#define QNN_LIB_CALIBRATIONIO_FORMATUTILS_H

#include "qnn/Calibration/TensorStatistics.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace qnn::calib::detail {

/// "<path>: <message>".
llvm::Error makeError(llvm::StringRef path, const llvm::Twine &message);
/// "<path>:<line>: <message>" (1-based line).
llvm::Error makeLineError(llvm::StringRef path, size_t line,
                          const llvm::Twine &message);
/// "<path>:<line>:<column>: <message>" for the byte `offset` of `contents`
/// (1-based line and column).
llvm::Error makeOffsetError(llvm::StringRef path, llvm::StringRef contents,
                            size_t offset, const llvm::Twine &message);

/// Parses JSON; a syntax error names its line and column, and a NaN or
/// Infinity literal (Python's json.dumps writes them) is reported as such.
llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef contents,
                                            llvm::StringRef path);

/// A number for messages: shortest exact decimal.
std::string formatNumber(double value);
/// Writes the shortest decimal that reads back as exactly `value` (finite
/// only; -0 is written as 0 so that it reads back identically).
void writeNumber(llvm::raw_ostream &os, double value);

/// Why `stats` breaks a constraint of #qnn.stats (finite values, min <= max,
/// well-formed histogram, consistent per-channel lists), or nothing.
std::optional<std::string> checkStatistics(const TensorStatistics &stats);

/// Checks every entry (empty names, checkStatistics), sorts by name and
/// rejects duplicates; errors name the file and the tensor.
llvm::Error finishTable(CalibrationTable &table, llvm::StringRef path);

/// The readers of each format; `root` is the parsed JSON.
llvm::Expected<CalibrationTable> parseQnnStats(const llvm::json::Value &root,
                                               llvm::StringRef path);
llvm::Expected<CalibrationTable> parseAimet(const llvm::json::Value &root,
                                            llvm::StringRef path);
llvm::Expected<CalibrationTable> parseOrtJson(const llvm::json::Value &root,
                                              llvm::StringRef path);
llvm::Expected<CalibrationTable> parseTensorRTCache(llvm::StringRef contents,
                                                    llvm::StringRef path);
llvm::Expected<CalibrationTable> parseOrtCache(llvm::StringRef contents,
                                               llvm::StringRef path);

/// Content sniffing for CalibrationFormat::Auto.
bool looksLikeTensorRTCache(llvm::StringRef contents);
bool looksLikeOrtCacheLine(llvm::StringRef line);
bool looksLikeAimet(const llvm::json::Object &object);
bool looksLikeOrtJson(const llvm::json::Object &object);

} // namespace qnn::calib::detail

#endif // QNN_LIB_CALIBRATIONIO_FORMATUTILS_H
