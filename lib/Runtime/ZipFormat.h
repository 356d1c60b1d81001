//===- ZipFormat.h - Zip record signatures and sizes ------------*- C++ -*-===//
//
// Part of quant-opt. The parts of PKWARE's APPNOTE.TXT (sections 4.3 and
// 4.5) that .npz archives use. All fields are little-endian.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_RUNTIME_ZIPFORMAT_H
#define QNN_LIB_RUNTIME_ZIPFORMAT_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace qnn::runtime::zip {

/// Local file header (4.3.7): 30 fixed bytes, then name and extra field.
constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint64_t kLocalHeaderSize = 30;
/// Central directory file header (4.3.12): 46 fixed bytes, then name, extra
/// field and comment.
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint64_t kCentralHeaderSize = 46;
/// End of central directory record (4.3.16): 22 fixed bytes, then a comment
/// of at most 65535 bytes.
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint64_t kEndSize = 22;
constexpr uint64_t kMaxCommentSize = 0xFFFF;
/// Zip64 end of central directory record (4.3.14): 56 fixed bytes.
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint64_t kZip64EndSize = 56;
/// Zip64 end of central directory locator (4.3.15): 20 bytes, just before
/// the end of central directory record.
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint64_t kZip64LocatorSize = 20;
/// The extra field block holding 64-bit sizes and offsets (4.5.3).
constexpr uint16_t kZip64ExtraId = 0x0001;

/// A 16- or 32-bit field holding this value defers to the zip64 records.
constexpr uint16_t kZip64Marker16 = 0xFFFF;
constexpr uint32_t kZip64Marker32 = 0xFFFFFFFF;

/// Compression methods (4.4.5).
constexpr uint16_t kMethodStored = 0;
constexpr uint16_t kMethodDeflated = 8;

/// General purpose bit flags (4.4.4).
constexpr uint16_t kFlagEncrypted = 1 << 0;
constexpr uint16_t kFlagUtf8Name = 1 << 11;

/// The CRC-32 (ISO 3309, as zip uses it) of `bytes`.
uint32_t computeCrc32(llvm::StringRef bytes);

} // namespace qnn::runtime::zip

#endif // QNN_LIB_RUNTIME_ZIPFORMAT_H
