//===- CalibrationFormats.cpp - Reading and writing statistics ------------===//
//
// Part of quant-opt. Format names, recognition of a file's format from its
// contents, and whole-file reading and writing. The readers of each format
// live in their own file; every table they return passes the checks of
// #qnn.stats (finishTable), so nothing invalid reaches the IR.
//
//===----------------------------------------------------------------------===//

#include "qnn/CalibrationIO/CalibrationFormats.h"
#include "FormatUtils.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace qnn::calib;
using namespace qnn::calib::detail;

std::optional<CalibrationFormat>
qnn::calib::parseCalibrationFormat(StringRef name) {
  return StringSwitch<std::optional<CalibrationFormat>>(name)
      .Case("auto", CalibrationFormat::Auto)
      .Case("qnn", CalibrationFormat::Qnn)
      .Case("aimet", CalibrationFormat::Aimet)
      .Case("tensorrt", CalibrationFormat::TensorRT)
      .Case("ort", CalibrationFormat::Ort)
      .Default(std::nullopt);
}

StringRef qnn::calib::stringifyCalibrationFormat(CalibrationFormat format) {
  switch (format) {
  case CalibrationFormat::Auto:
    return "auto";
  case CalibrationFormat::Qnn:
    return "qnn";
  case CalibrationFormat::Aimet:
    return "aimet";
  case CalibrationFormat::TensorRT:
    return "tensorrt";
  case CalibrationFormat::Ort:
    return "ort";
  }
  llvm_unreachable("unknown calibration format");
}

static bool looksLikeJson(StringRef trimmed) {
  return trimmed.starts_with("{") || trimmed.starts_with("[");
}

/// Which reader a JSON document needs, from its top-level keys.
static Expected<CalibrationTable> parseAnyJson(const json::Value &root,
                                               StringRef path) {
  const json::Object *object = root.getAsObject();
  if (!object)
    return makeError(path, "expected a JSON object at the top level");
  if (object->get("format") || object->get("tensors"))
    return parseQnnStats(root, path);
  if (looksLikeAimet(*object))
    return parseAimet(root, path);
  if (looksLikeOrtJson(*object))
    return parseOrtJson(root, path);
  return makeError(path, "unrecognized calibration JSON: expected 'format' "
                         "(qnn-calibration), 'activation_encodings' or "
                         "'param_encodings' (AIMET), or tensor entries with "
                         "'lowest' and 'highest' (ONNX Runtime)");
}

static Expected<CalibrationTable>
parseByFormat(StringRef contents, StringRef path, CalibrationFormat format) {
  StringRef trimmed = contents.trim();
  auto withJson = [&](auto reader) -> Expected<CalibrationTable> {
    Expected<json::Value> root = parseJson(contents, path);
    if (!root)
      return root.takeError();
    return reader(*root, path);
  };
  switch (format) {
  case CalibrationFormat::Qnn:
    return withJson(parseQnnStats);
  case CalibrationFormat::Aimet:
    return withJson(parseAimet);
  case CalibrationFormat::TensorRT:
    return parseTensorRTCache(contents, path);
  case CalibrationFormat::Ort:
    if (looksLikeJson(trimmed))
      return withJson(parseOrtJson);
    return parseOrtCache(contents, path);
  case CalibrationFormat::Auto:
    break;
  }
  if (looksLikeTensorRTCache(trimmed))
    return parseTensorRTCache(contents, path);
  if (looksLikeJson(trimmed))
    return withJson(parseAnyJson);
  StringRef firstLine = trimmed.split('\n').first;
  if (looksLikeOrtCacheLine(firstLine))
    return parseOrtCache(contents, path);
  return makeError(path, "unrecognized calibration file: not JSON, no "
                         "TensorRT 'TRT-<version>-<algo>' header, and the "
                         "first line is not an ONNX Runtime '<tensor> "
                         "<amax>' line");
}

Expected<CalibrationTable>
qnn::calib::parseCalibration(StringRef contents, StringRef path,
                             CalibrationFormat format) {
  if (contents.starts_with("\xEF\xBB\xBF")) // UTF-8 byte order mark.
    contents = contents.drop_front(3);
  if (contents.trim().empty())
    return makeError(path, "empty file");
  Expected<CalibrationTable> table = parseByFormat(contents, path, format);
  if (!table)
    return table.takeError();
  if (Error error = finishTable(*table, path))
    return std::move(error);
  return table;
}

Expected<CalibrationTable>
qnn::calib::readCalibrationFile(StringRef path, CalibrationFormat format) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError(path, "cannot read: " + buffer.getError().message());
  return parseCalibration((*buffer)->getBuffer(), path, format);
}

Error qnn::calib::writeQnnStatsFile(StringRef path,
                                    const CalibrationTable &table) {
  std::string text = writeQnnStatsJson(table);
  // "-", a symlink (/dev/stdout), a device or a pipe: renaming would
  // replace the link or node itself, so write through it directly. Only a
  // plain file, or a new one, gets the temporary file and the rename.
  sys::fs::file_status status;
  if (path == "-" ||
      (!sys::fs::status(path, status, /*Follow=*/false) &&
       sys::fs::exists(status) && !sys::fs::is_regular_file(status))) {
    std::error_code ec;
    raw_fd_ostream os(path, ec);
    if (ec)
      return makeError(path, "cannot open: " + ec.message());
    os << text;
    os.flush();
    if (std::error_code writeError = os.error()) {
      os.clear_error();
      return makeError(path, "cannot write: " + writeError.message());
    }
    return Error::success();
  }
  // The temporary file lives beside the target so that the rename never
  // crosses file systems; a failure leaves the target untouched.
  Expected<sys::fs::TempFile> temp =
      sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return makeError(path, "cannot create a temporary file: " +
                               toString(temp.takeError()));
  std::error_code writeError;
  {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << text;
    os.flush();
    writeError = os.error();
    os.clear_error();
  }
  if (writeError) {
    consumeError(temp->discard());
    return makeError(path, "cannot write: " + writeError.message());
  }
  if (Error error = temp->keep(path))
    return makeError(path, "cannot rename the temporary file into place: " +
                               toString(std::move(error)));
  return Error::success();
}
