//===- NpzFile.cpp - Reading .npz archives --------------------------------===//
//
// Part of quant-opt. An .npz file is a zip archive of .npy members named
// "<key>.npy". NumPy's savez writes every member with force_zip64=True:
// its local header then holds 0xFFFFFFFF sizes and the real ones in a zip64
// extra field, so sizes and CRCs are taken from the central directory and
// the local header only tells where the data starts.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOInternal.h"
#include "ZipFormat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"

#include <zlib.h>

#include <algorithm>

using namespace llvm;
using namespace qnn::runtime;
using qnn::runtime::detail::makeError;

namespace {

/// Little-endian fields of the archive at absolute offsets. Callers check
/// that a record lies inside the file before reading its fields.
struct Fields {
  StringRef bytes;

  bool fits(uint64_t offset, uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
  uint16_t u16(uint64_t offset) const {
    return support::endian::read16le(bytes.data() + offset);
  }
  uint32_t u32(uint64_t offset) const {
    return support::endian::read32le(bytes.data() + offset);
  }
  uint64_t u64(uint64_t offset) const {
    return support::endian::read64le(bytes.data() + offset);
  }
};

/// Where the central directory is, from the end records.
struct CentralDirectory {
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t entries = 0;
};

} // namespace

/// Finds the end of central directory record, searching backwards over a
/// possible archive comment, and the zip64 record it may defer to.
static Expected<CentralDirectory> findCentralDirectory(const Fields &file,
                                                       StringRef path) {
  uint64_t size = file.bytes.size();
  if (size < zip::kEndSize)
    return makeError(path, "not an .npz archive: " + Twine(size) +
                               " bytes is too short for a zip file");
  std::optional<uint64_t> end;
  uint64_t lowest = size - zip::kEndSize -
                    std::min(size - zip::kEndSize, zip::kMaxCommentSize);
  for (uint64_t at = size - zip::kEndSize + 1; at-- > lowest;) {
    if (file.u32(at) == zip::kEndSignature &&
        file.u16(at + 20) <= size - zip::kEndSize - at) {
      end = at;
      break;
    }
  }
  if (!end)
    return makeError(path, "not an .npz archive, or truncated: no zip "
                           "end-of-central-directory record");

  uint64_t disk = file.u16(*end + 4), directoryDisk = file.u16(*end + 6);
  uint64_t entriesOnDisk = file.u16(*end + 8);
  CentralDirectory directory;
  directory.entries = file.u16(*end + 10);
  directory.size = file.u32(*end + 12);
  directory.offset = file.u32(*end + 16);

  // A zip64 locator just before the record points at the zip64 record,
  // whose 64-bit values replace the 16- and 32-bit ones.
  if (*end >= zip::kZip64LocatorSize &&
      file.u32(*end - zip::kZip64LocatorSize) == zip::kZip64LocatorSignature) {
    uint64_t zip64End = file.u64(*end - zip::kZip64LocatorSize + 8);
    if (!file.fits(zip64End, zip::kZip64EndSize) ||
        file.u32(zip64End) != zip::kZip64EndSignature)
      return makeError(path, "corrupt .npz archive: no zip64 "
                             "end-of-central-directory record at offset " +
                                 Twine(zip64End));
    disk = file.u32(zip64End + 16);
    directoryDisk = file.u32(zip64End + 20);
    entriesOnDisk = file.u64(zip64End + 24);
    directory.entries = file.u64(zip64End + 32);
    directory.size = file.u64(zip64End + 40);
    directory.offset = file.u64(zip64End + 48);
  }
  if (disk != 0 || directoryDisk != 0 || entriesOnDisk != directory.entries)
    return makeError(path, "multi-disk (split) zip archives are not supported");
  if (!file.fits(directory.offset, directory.size))
    return makeError(path, "corrupt or truncated .npz archive: the central "
                           "directory (" +
                               Twine(directory.size) + " bytes at offset " +
                               Twine(directory.offset) +
                               ") runs past the end of the " + Twine(size) +
                               "-byte file");
  return directory;
}

/// Replaces the 0xFFFFFFFF/0xFFFF markers of a central directory entry by
/// the values of its zip64 extra field, which holds exactly the marked
/// fields in this order.
static Error readZip64Extra(StringRef extra, uint64_t &size,
                            uint64_t &compressedSize, uint64_t &localOffset,
                            uint64_t disk, StringRef memberName) {
  Fields fields{extra};
  for (uint64_t at = 0; fields.fits(at, 4);) {
    uint16_t id = fields.u16(at), length = fields.u16(at + 2);
    if (!fields.fits(at + 4, length))
      break;
    if (id != zip::kZip64ExtraId) {
      at += 4 + length;
      continue;
    }
    uint64_t field = at + 4, blockEnd = at + 4 + length;
    for (uint64_t *value : {&size, &compressedSize, &localOffset}) {
      if (*value != zip::kZip64Marker32)
        continue;
      if (blockEnd - field < 8)
        return makeError(memberName, "corrupt .npz archive: zip64 extra "
                                     "field is too short");
      *value = fields.u64(field);
      field += 8;
    }
    if (disk == zip::kZip64Marker16 && blockEnd - field < 4)
      return makeError(memberName,
                       "corrupt .npz archive: zip64 extra field is too short");
    return Error::success();
  }
  return makeError(memberName, "corrupt .npz archive: sizes or offset are "
                               "0xFFFFFFFF but there is no zip64 extra field");
}

Expected<NpzFile> NpzFile::open(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError(path, "cannot read: " + buffer.getError().message());

  NpzFile npz;
  npz.path = path.str();
  npz.buffer = std::move(*buffer);
  Fields file{npz.buffer->getBuffer()};

  Expected<CentralDirectory> directory = findCentralDirectory(file, path);
  if (!directory)
    return directory.takeError();

  StringSet<> seen;
  uint64_t at = directory->offset;
  uint64_t directoryEnd = directory->offset + directory->size;
  for (uint64_t index = 0; index < directory->entries; ++index) {
    if (directoryEnd - at < zip::kCentralHeaderSize ||
        file.u32(at) != zip::kCentralHeaderSignature)
      return makeError(path, "corrupt .npz archive: central directory entry " +
                                 Twine(index) + " at offset " + Twine(at) +
                                 " is damaged");
    Member member;
    member.flags = file.u16(at + 8);
    member.method = file.u16(at + 10);
    member.crc32 = file.u32(at + 16);
    member.compressedSize = file.u32(at + 20);
    member.size = file.u32(at + 24);
    uint64_t nameLength = file.u16(at + 28);
    uint64_t extraLength = file.u16(at + 30);
    uint64_t commentLength = file.u16(at + 32);
    uint64_t disk = file.u16(at + 34);
    uint64_t localOffset = file.u32(at + 42);
    uint64_t entrySize =
        zip::kCentralHeaderSize + nameLength + extraLength + commentLength;
    if (directoryEnd - at < entrySize)
      return makeError(path, "corrupt .npz archive: central directory entry " +
                                 Twine(index) + " runs past the directory");
    StringRef name =
        file.bytes.substr(at + zip::kCentralHeaderSize, nameLength);
    StringRef extra = file.bytes.substr(
        at + zip::kCentralHeaderSize + nameLength, extraLength);
    at += entrySize;

    std::string memberName = (path + ":" + name).str();
    if (member.size == zip::kZip64Marker32 ||
        member.compressedSize == zip::kZip64Marker32 ||
        localOffset == zip::kZip64Marker32 || disk == zip::kZip64Marker16)
      if (Error error =
              readZip64Extra(extra, member.size, member.compressedSize,
                             localOffset, disk, memberName))
        return std::move(error);

    // The local header repeats the name and has its own extra field (the
    // zip64 one, for NumPy), whose lengths differ from the central ones.
    if (!file.fits(localOffset, zip::kLocalHeaderSize) ||
        file.u32(localOffset) != zip::kLocalHeaderSignature)
      return makeError(memberName, "corrupt .npz archive: no local header at "
                                   "offset " +
                                       Twine(localOffset));
    member.dataOffset = localOffset + zip::kLocalHeaderSize +
                        file.u16(localOffset + 26) + file.u16(localOffset + 28);
    if (!file.fits(member.dataOffset, member.compressedSize))
      return makeError(
          memberName,
          "corrupt or truncated .npz archive: " + Twine(member.compressedSize) +
              " bytes of data at offset " + Twine(member.dataOffset) +
              " run past the end of the " + Twine(file.bytes.size()) +
              "-byte file");

    // Directories are not arrays.
    if (name.ends_with("/"))
      continue;
    member.key = name.str();
    StringRef key(member.key);
    if (key.ends_with(".npy"))
      member.key.resize(key.size() - 4);
    if (!seen.insert(member.key).second)
      return makeError(path, "corrupt .npz archive: key '" + member.key +
                                 "' appears twice");
    npz.members.push_back(std::move(member));
  }
  return npz;
}

std::vector<std::string> NpzFile::keys() const {
  std::vector<std::string> result;
  for (const Member &member : members)
    result.push_back(member.key);
  return result;
}

bool NpzFile::contains(StringRef key) const {
  return any_of(members,
                [&](const Member &member) { return member.key == key; });
}

/// Inflates a raw deflate stream (no zlib or gzip wrapper) that the central
/// directory says holds `size` bytes.
static Expected<std::string> inflateMember(StringRef input, uint64_t size,
                                           StringRef memberName) {
  z_stream stream = {};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
    return makeError(memberName, "cannot initialize zlib");
  scope_exit cleanup([&] { inflateEnd(&stream); });

  // zlib counts in 32 bits: feed the input in pieces, and grow the output
  // with what actually inflates rather than trusting the declared size.
  constexpr uint64_t kMaxPiece = 1u << 30;
  constexpr size_t kChunk = 1 << 16;
  std::string output;
  output.reserve(std::min<uint64_t>(size, kMaxPiece));
  uint64_t consumed = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < input.size()) {
      uint64_t piece = std::min<uint64_t>(input.size() - consumed, kMaxPiece);
      stream.next_in = reinterpret_cast<Bytef *>(
          const_cast<char *>(input.data() + consumed));
      stream.avail_in = static_cast<uInt>(piece);
      consumed += piece;
    }
    size_t before = output.size();
    output.resize(before + kChunk);
    stream.next_out = reinterpret_cast<Bytef *>(output.data() + before);
    stream.avail_out = kChunk;
    status = inflate(&stream, Z_NO_FLUSH);
    output.resize(before + kChunk - stream.avail_out);
    if (status == Z_BUF_ERROR)
      return makeError(memberName, "corrupt .npz archive: deflated data is "
                                   "truncated");
    if (status != Z_OK && status != Z_STREAM_END)
      return makeError(memberName,
                       "corrupt .npz archive: cannot inflate (zlib: " +
                           Twine(stream.msg ? stream.msg : zError(status)) +
                           ")");
    if (output.size() > size)
      return makeError(memberName, "corrupt .npz archive: data inflates to "
                                   "more than the " +
                                       Twine(size) +
                                       " bytes the directory declares");
  }
  if (output.size() != size)
    return makeError(memberName, "corrupt .npz archive: data inflates to " +
                                     Twine(output.size()) +
                                     " bytes, the "
                                     "directory declares " +
                                     Twine(size));
  return output;
}

uint32_t zip::computeCrc32(StringRef bytes) {
  // zlib counts in 32 bits: feed it pieces.
  uLong crc = crc32(0, Z_NULL, 0);
  for (size_t at = 0; at < bytes.size();) {
    uInt piece = static_cast<uInt>(
        std::min<uint64_t>(bytes.size() - at, uint64_t(1) << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef *>(bytes.data() + at), piece);
    at += piece;
  }
  return static_cast<uint32_t>(crc);
}

Expected<NDArray> NpzFile::get(StringRef key) const {
  auto it =
      find_if(members, [&](const Member &member) { return member.key == key; });
  if (it == members.end())
    return makeError(path,
                     "no array '" + key + "' in the archive; it has " +
                         (members.empty() ? std::string("none")
                                          : "'" + join(keys(), "', '") + "'"));
  const Member &member = *it;
  std::string memberName = (path + ":" + key).str();
  if (member.flags & zip::kFlagEncrypted)
    return makeError(memberName, "encrypted members are not supported");

  StringRef raw =
      buffer->getBuffer().substr(member.dataOffset, member.compressedSize);
  std::string inflated;
  StringRef content;
  switch (member.method) {
  case zip::kMethodStored:
    if (member.compressedSize != member.size)
      return makeError(memberName, "corrupt .npz archive: stored member has "
                                   "compressed size " +
                                       Twine(member.compressedSize) +
                                       " but size " + Twine(member.size));
    content = raw;
    break;
  case zip::kMethodDeflated: {
    Expected<std::string> data = inflateMember(raw, member.size, memberName);
    if (!data)
      return data.takeError();
    inflated = std::move(*data);
    content = inflated;
    break;
  }
  default:
    return makeError(memberName, "unsupported zip compression method " +
                                     Twine(member.method) +
                                     "; expected 0 (stored) or 8 (deflated)");
  }

  uint32_t crc = zip::computeCrc32(content);
  if (crc != member.crc32)
    return makeError(memberName,
                     "corrupt .npz archive: CRC-32 of the data is 0x" +
                         utohexstr(crc, /*LowerCase=*/true) +
                         ", the directory says 0x" +
                         utohexstr(member.crc32, /*LowerCase=*/true));
  return parseNpy(content, memberName);
}
