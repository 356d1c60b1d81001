//===- NpzWrite.cpp - Writing .npz archives -------------------------------===//
//
// Part of quant-opt. A plain zip archive: per member a local header, the
// stored (uncompressed) .npy bytes, then a central directory and its end
// record. Without zip64 records, so the archive must stay under 4 GiB and
// 65535 members, which quant-run's outputs do by far.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOInternal.h"
#include "ZipFormat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/EndianStream.h"

using namespace llvm;
using namespace qnn::runtime;
using qnn::runtime::detail::makeError;

/// "Version needed to extract": 2.0, the version that introduced deflate
/// and directories; what Python's zipfile writes.
static constexpr uint16_t kVersion = 20;
/// "Version made by": Unix (3) in the high byte, so that the external
/// attributes below are Unix permissions.
static constexpr uint16_t kVersionMadeBy = (3 << 8) | kVersion;
/// A regular file, rw-r--r--.
static constexpr uint32_t kExternalAttributes = 0100644u << 16;
/// 1980-01-01 00:00:00, the earliest MS-DOS date: a fixed timestamp keeps
/// the output reproducible.
static constexpr uint16_t kDosTime = 0;
static constexpr uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;

namespace {
/// What the central directory repeats about a written member.
struct WrittenMember {
  std::string name;
  uint16_t flags;
  uint32_t crc32;
  uint32_t size;
  uint32_t localOffset;
};
} // namespace

Error qnn::runtime::writeNpz(
    StringRef path, ArrayRef<std::pair<std::string, const NDArray *>> members) {
  StringSet<> seen;
  for (const auto &[key, array] : members) {
    std::string memberName = (path + ":" + key).str();
    if (key.empty())
      return makeError(path, "empty .npz key");
    if (!seen.insert(key).second)
      return makeError(memberName, "duplicate .npz key");
    if (!array)
      return makeError(memberName, "no array given");
    if (Error error = detail::checkArray(*array, memberName))
      return error;
  }
  if (members.size() >= zip::kZip64Marker16)
    return makeError(path, Twine(members.size()) +
                               " members need zip64 records, which are not "
                               "supported; the limit is 65534");

  return detail::writeFileAtomically(path, [&](raw_ostream &os) -> Error {
    support::endian::Writer out(os, endianness::little);
    std::vector<WrittenMember> written;
    uint64_t offset = 0;
    auto tooLarge = [&] {
      return makeError(path, "archive would exceed 4 GiB, which needs zip64 "
                             "records; they are not supported");
    };

    for (const auto &[key, array] : members) {
      std::string name = key + ".npy";
      std::string bytes = serializeNpy(*array);
      if (name.size() > UINT16_MAX)
        return makeError(path, "key of " + Twine(key.size()) +
                                   " bytes is too long for a zip member name");
      if (offset >= zip::kZip64Marker32 || bytes.size() >= zip::kZip64Marker32)
        return tooLarge();
      WrittenMember member;
      member.name = name;
      member.flags =
          any_of(name, [](char c) { return static_cast<uint8_t>(c) >= 0x80; })
              ? zip::kFlagUtf8Name
              : 0;
      member.crc32 = zip::computeCrc32(bytes);
      member.size = static_cast<uint32_t>(bytes.size());
      member.localOffset = static_cast<uint32_t>(offset);

      out.write<uint32_t>(zip::kLocalHeaderSignature);
      out.write<uint16_t>(kVersion);
      out.write<uint16_t>(member.flags);
      out.write<uint16_t>(zip::kMethodStored);
      out.write<uint16_t>(kDosTime);
      out.write<uint16_t>(kDosDate);
      out.write<uint32_t>(member.crc32);
      out.write<uint32_t>(member.size); // compressed size
      out.write<uint32_t>(member.size);
      out.write<uint16_t>(static_cast<uint16_t>(name.size()));
      out.write<uint16_t>(0); // extra field length
      os << name << bytes;
      offset += zip::kLocalHeaderSize + name.size() + bytes.size();
      written.push_back(std::move(member));
    }

    uint64_t directoryOffset = offset;
    for (const WrittenMember &member : written) {
      out.write<uint32_t>(zip::kCentralHeaderSignature);
      out.write<uint16_t>(kVersionMadeBy);
      out.write<uint16_t>(kVersion);
      out.write<uint16_t>(member.flags);
      out.write<uint16_t>(zip::kMethodStored);
      out.write<uint16_t>(kDosTime);
      out.write<uint16_t>(kDosDate);
      out.write<uint32_t>(member.crc32);
      out.write<uint32_t>(member.size); // compressed size
      out.write<uint32_t>(member.size);
      out.write<uint16_t>(static_cast<uint16_t>(member.name.size()));
      out.write<uint16_t>(0); // extra field length
      out.write<uint16_t>(0); // comment length
      out.write<uint16_t>(0); // disk number start
      out.write<uint16_t>(0); // internal attributes
      out.write<uint32_t>(kExternalAttributes);
      out.write<uint32_t>(member.localOffset);
      os << member.name;
      offset += zip::kCentralHeaderSize + member.name.size();
    }
    uint64_t directorySize = offset - directoryOffset;
    if (directoryOffset >= zip::kZip64Marker32 || offset >= zip::kZip64Marker32)
      return tooLarge();

    out.write<uint32_t>(zip::kEndSignature);
    out.write<uint16_t>(0); // this disk
    out.write<uint16_t>(0); // disk where the central directory starts
    out.write<uint16_t>(static_cast<uint16_t>(written.size()));
    out.write<uint16_t>(static_cast<uint16_t>(written.size()));
    out.write<uint32_t>(static_cast<uint32_t>(directorySize));
    out.write<uint32_t>(static_cast<uint32_t>(directoryOffset));
    out.write<uint16_t>(0); // comment length
    return Error::success();
  });
}
