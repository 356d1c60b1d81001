//===- NpzTest.cpp - .npz archive reading and writing ---------------------===//
//
// Part of quant-opt. Archives are assembled here field by field from
// PKWARE's APPNOTE.TXT, in the layouts NumPy and Python's zipfile produce
// (zip64 extra fields in local headers, zip64 end records, deflate, archive
// comments), independently of the writer under test.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOTestUtils.h"

#include "llvm/ADT/StringExtras.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

using namespace llvm;
using namespace qnn::runtime;
using namespace qnn::runtime::testing;

namespace {

void put16(std::string &out, uint16_t value) {
  for (int i = 0; i < 2; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}
void put32(std::string &out, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}
void put64(std::string &out, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>(value >> (8 * i)));
}

uint32_t crcOf(StringRef bytes) {
  return crc32(0, reinterpret_cast<const Bytef *>(bytes.data()),
               static_cast<uInt>(bytes.size()));
}

/// Raw deflate (no zlib header), as zip method 8 stores it.
std::string deflateRaw(StringRef bytes) {
  z_stream stream = {};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  stream.avail_in = bytes.size();
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  stream.avail_out = out.size();
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

/// One member of a hand-built archive.
struct ZipMember {
  std::string name;
  std::string content;
  uint16_t method = 0;
  /// NumPy's layout: 0xFFFFFFFF sizes in the local header, the real ones in
  /// its zip64 extra field.
  bool zip64Local = false;
  /// Sizes and offset as 0xFFFFFFFF in the central directory, with a zip64
  /// extra field there.
  bool zip64Central = false;
  /// Store this CRC instead of the right one.
  std::optional<uint32_t> crc;
  /// Store these bytes instead of the (compressed) content.
  std::optional<std::string> stored;
};

ZipMember makeMember(StringRef name, StringRef content, uint16_t method = 0) {
  ZipMember member;
  member.name = name.str();
  member.content = content.str();
  member.method = method;
  return member;
}

struct ZipOptions {
  bool zip64End = false;
  std::string comment;
};

std::string buildZip(ArrayRef<ZipMember> members, ZipOptions options = {}) {
  std::string out, central;
  for (const ZipMember &member : members) {
    std::string data = member.stored        ? *member.stored
                       : member.method == 8 ? deflateRaw(member.content)
                                            : member.content;
    uint32_t crc = member.crc.value_or(crcOf(member.content));
    uint64_t offset = out.size();

    std::string localExtra;
    if (member.zip64Local) {
      put16(localExtra, 1);
      put16(localExtra, 16);
      put64(localExtra, member.content.size());
      put64(localExtra, data.size());
    }
    put32(out, 0x04034b50);
    put16(out, member.zip64Local ? 45 : 20);
    put16(out, 0);
    put16(out, member.method);
    put16(out, 0x6000); // 12:00:00
    put16(out, 0x5a21); // 2025-01-01
    put32(out, crc);
    put32(out, member.zip64Local ? 0xFFFFFFFF : data.size());
    put32(out, member.zip64Local ? 0xFFFFFFFF : member.content.size());
    put16(out, member.name.size());
    put16(out, localExtra.size());
    out += member.name + localExtra + data;

    std::string centralExtra;
    if (member.zip64Central) {
      // An unrelated block first: readers must skip it.
      put16(centralExtra, 0x5455);
      put16(centralExtra, 5);
      centralExtra += std::string(5, '\x01');
      put16(centralExtra, 1);
      put16(centralExtra, 24);
      put64(centralExtra, member.content.size());
      put64(centralExtra, data.size());
      put64(centralExtra, offset);
    }
    put32(central, 0x02014b50);
    put16(central, 0x031e);
    put16(central, 20);
    put16(central, 0);
    put16(central, member.method);
    put16(central, 0x6000);
    put16(central, 0x5a21);
    put32(central, crc);
    put32(central, member.zip64Central ? 0xFFFFFFFF : data.size());
    put32(central, member.zip64Central ? 0xFFFFFFFF : member.content.size());
    put16(central, member.name.size());
    put16(central, centralExtra.size());
    put16(central, 3); // comment length
    put16(central, 0);
    put16(central, 0);
    put32(central, 0100644u << 16);
    put32(central, member.zip64Central ? 0xFFFFFFFF : offset);
    central += member.name + centralExtra + "abc";
  }
  uint64_t centralOffset = out.size();
  out += central;

  if (options.zip64End) {
    uint64_t zip64EndOffset = out.size();
    put32(out, 0x06064b50);
    put64(out, 44);
    put16(out, 45);
    put16(out, 45);
    put32(out, 0);
    put32(out, 0);
    put64(out, members.size());
    put64(out, members.size());
    put64(out, central.size());
    put64(out, centralOffset);
    put32(out, 0x07064b50);
    put32(out, 0);
    put64(out, zip64EndOffset);
    put32(out, 1);
  }
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, options.zip64End ? 0xFFFF : members.size());
  put16(out, options.zip64End ? 0xFFFF : members.size());
  put32(out, options.zip64End ? 0xFFFFFFFF : central.size());
  put32(out, options.zip64End ? 0xFFFFFFFF : centralOffset);
  put16(out, options.comment.size());
  out += options.comment;
  return out;
}

/// The dataset layout quant-run reads.
struct Dataset {
  NDArray x =
      makeArray<float>(DType::F32, {2, 1, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7.5});
  NDArray y = makeArray<int64_t>(DType::I64, {2}, {3, 9});
  NDArray calIdx = makeArray<int64_t>(DType::I64, {1}, {0});
  std::string names =
      makeNpy("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }",
              std::string(24, '\0'));
};

class NpzTest : public TempDirTest {
protected:
  std::string writeArchive(StringRef name, StringRef bytes) {
    std::string path = file(name);
    writeFile(path, bytes);
    return path;
  }

  /// Opens `bytes` as an archive and checks it holds the Dataset.
  void expectDataset(StringRef bytes) {
    Dataset expected;
    Expected<NpzFile> npz = NpzFile::open(writeArchive("d.npz", bytes));
    ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
    EXPECT_EQ(npz->keys(),
              (std::vector<std::string>{"X", "y", "cal_idx", "names"}));
    for (auto [key, array] :
         {std::pair{"X", &expected.x}, std::pair{"y", &expected.y},
          std::pair{"cal_idx", &expected.calIdx}}) {
      EXPECT_TRUE(npz->contains(key));
      Expected<NDArray> actual = npz->get(key);
      ASSERT_TRUE(bool(actual)) << toString(actual.takeError());
      expectSameArray(*actual, *array);
    }
    EXPECT_FALSE(npz->contains("X.npy"));
    // A unicode member is listed but refused only when read.
    EXPECT_NE(errorOf(npz->get("names"))
                  .find("d.npz:names: unsupported dtype '<U3' (strings"),
              std::string::npos);
  }

  std::vector<ZipMember> datasetMembers(uint16_t method, bool zip64Local,
                                        bool zip64Central) {
    Dataset dataset;
    std::vector<ZipMember> members;
    for (auto [name, content] :
         {std::pair{"X.npy", serializeNpy(dataset.x)},
          std::pair{"y.npy", serializeNpy(dataset.y)},
          std::pair{"cal_idx.npy", serializeNpy(dataset.calIdx)},
          std::pair{"names.npy", dataset.names}}) {
      ZipMember member;
      member.name = name;
      member.content = content;
      member.method = method;
      member.zip64Local = zip64Local;
      member.zip64Central = zip64Central;
      members.push_back(member);
    }
    return members;
  }
};

TEST_F(NpzTest, StoredAndDeflatedInEveryZipLayout) {
  for (uint16_t method : {0, 8})
    for (bool zip64Local : {false, true})
      for (bool zip64Central : {false, true})
        for (bool zip64End : {false, true}) {
          SCOPED_TRACE(::testing::Message()
                       << "method " << method << " zip64Local " << zip64Local
                       << " zip64Central " << zip64Central << " zip64End "
                       << zip64End);
          ZipOptions options;
          options.zip64End = zip64End;
          expectDataset(buildZip(
              datasetMembers(method, zip64Local, zip64Central), options));
        }
}

TEST_F(NpzTest, ArchiveComment) {
  // The end record is found behind a comment, even one that contains the
  // record's signature.
  ZipOptions options;
  options.comment = "made by hand; PK\x05\x06 inside";
  expectDataset(buildZip(datasetMembers(8, true, false), options));
  options.comment = std::string(0xFFFF, 'c');
  expectDataset(buildZip(datasetMembers(0, false, false), options));
}

TEST_F(NpzTest, WriteNpzRoundTrip) {
  Dataset dataset;
  NDArray flags = makeArray<uint8_t>(DType::Bool, {3}, {1, 0, 1});
  NDArray empty = makeArray<double>(DType::F64, {0}, {});
  std::string path = file("out.npz");
  ASSERT_FALSE(errorOf(writeNpz(path, {{"logits", &dataset.x},
                                       {"labels", &dataset.y},
                                       {"flags", &flags},
                                       {"empty", &empty}}))
                   .size());
  EXPECT_EQ(listDir(), std::vector<std::string>{"out.npz"});
  Expected<NpzFile> npz = NpzFile::open(path);
  ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
  EXPECT_EQ(npz->getPath(), path);
  EXPECT_EQ(npz->keys(),
            (std::vector<std::string>{"logits", "labels", "flags", "empty"}));
  for (auto [key, array] :
       {std::pair{"logits", &dataset.x}, std::pair{"labels", &dataset.y},
        std::pair{"flags", &flags}, std::pair{"empty", &empty}}) {
    Expected<NDArray> actual = npz->get(key);
    ASSERT_TRUE(bool(actual)) << toString(actual.takeError());
    expectSameArray(*actual, *array);
  }
  // Copies share the mapped archive.
  NpzFile copy = *npz;
  EXPECT_TRUE(bool(copy.get("labels")));
}

TEST_F(NpzTest, WrittenArchiveLayout) {
  // One stored member: local header, name, .npy bytes, central directory,
  // end record, checked field by field.
  NDArray array = makeArray<int8_t>(DType::I8, {2}, {-1, 5});
  std::string path = file("one.npz");
  ASSERT_FALSE(bool(writeNpz(path, {{"a", &array}})));
  std::string bytes = readFile(path);
  std::string npy = serializeNpy(array);
  auto u16 = [&](size_t at) {
    return uint16_t(uint8_t(bytes[at]) | uint8_t(bytes[at + 1]) << 8);
  };
  auto u32 = [&](size_t at) {
    return uint32_t(u16(at)) | uint32_t(u16(at + 2)) << 16;
  };
  size_t centralAt = 30 + 5 + npy.size();
  ASSERT_EQ(bytes.size(), centralAt + 46 + 5 + 22);
  EXPECT_EQ(u32(0), 0x04034b50u);
  EXPECT_EQ(u16(8), 0u); // stored
  EXPECT_EQ(u32(14), crcOf(npy));
  EXPECT_EQ(u32(18), npy.size());
  EXPECT_EQ(u32(22), npy.size());
  EXPECT_EQ(bytes.substr(30, 5), "a.npy");
  EXPECT_EQ(bytes.substr(35, npy.size()), npy);
  EXPECT_EQ(u32(centralAt), 0x02014b50u);
  EXPECT_EQ(u32(centralAt + 16), crcOf(npy));
  EXPECT_EQ(u32(centralAt + 42), 0u); // local header offset
  size_t endAt = centralAt + 46 + 5;
  EXPECT_EQ(u32(endAt), 0x06054b50u);
  EXPECT_EQ(u16(endAt + 10), 1u);
  EXPECT_EQ(u32(endAt + 12), 46u + 5u);
  EXPECT_EQ(u32(endAt + 16), centralAt);
}

TEST_F(NpzTest, MissingKeyListsTheKeys) {
  Dataset dataset;
  std::string path = file("d.npz");
  ASSERT_FALSE(bool(writeNpz(path, {{"X", &dataset.x}, {"y", &dataset.y}})));
  Expected<NpzFile> npz = NpzFile::open(path);
  ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
  EXPECT_FALSE(npz->contains("eval_idx"));
  EXPECT_EQ(errorOf(npz->get("eval_idx")),
            path + ": no array 'eval_idx' in the archive; it has 'X', 'y'");

  std::string emptyPath = file("empty.npz");
  ASSERT_FALSE(bool(writeNpz(emptyPath, {})));
  npz = NpzFile::open(emptyPath);
  ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
  EXPECT_TRUE(npz->keys().empty());
  EXPECT_EQ(errorOf(npz->get("X")),
            emptyPath + ": no array 'X' in the archive; it has none");
}

TEST_F(NpzTest, WriteNpzRefusesBadMembers) {
  Dataset dataset;
  NDArray bad = makeArray<float>(DType::F32, {3}, {1});
  std::string path = file("bad.npz");
  EXPECT_EQ(errorOf(writeNpz(path, {{"a", &dataset.x}, {"a", &dataset.y}})),
            path + ":a: duplicate .npz key");
  EXPECT_EQ(errorOf(writeNpz(path, {{"", &dataset.x}})),
            path + ": empty .npz key");
  EXPECT_EQ(errorOf(writeNpz(path, {{"a", nullptr}})),
            path + ":a: no array given");
  EXPECT_EQ(errorOf(writeNpz(path, {{"a", &dataset.x}, {"b", &bad}})),
            path + ":b: float32[3] needs 12 data bytes, has 4");
  EXPECT_TRUE(listDir().empty());
}

TEST_F(NpzTest, MemberErrors) {
  Dataset dataset;
  std::string npy = serializeNpy(dataset.y);
  ZipMember badCrc = makeMember("y.npy", npy);
  badCrc.crc = crcOf(npy) ^ 1;
  ZipMember badDeflate = makeMember("z.npy", npy, 8);
  badDeflate.stored = std::string("\xff\xff\xff\xff", 4);
  ZipMember truncatedDeflate = makeMember("t.npy", npy, 8);
  truncatedDeflate.stored = deflateRaw(npy).substr(0, 10);
  ZipMember bzip2 = makeMember("b.npy", npy, 12);
  ZipMember storedMismatch = makeMember("s.npy", npy);
  storedMismatch.stored = npy.substr(0, npy.size() - 1);
  ZipMember notNpy = makeMember("text.npy", "hello");
  std::string path =
      writeArchive("m.npz", buildZip({badCrc, badDeflate, truncatedDeflate,
                                      bzip2, storedMismatch, notNpy}));
  Expected<NpzFile> npz = NpzFile::open(path);
  ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
  EXPECT_EQ(errorOf(npz->get("y")),
            (path + ":y: corrupt .npz archive: CRC-32 of the data is 0x" +
             utohexstr(crcOf(npy), true) + ", the directory says 0x" +
             utohexstr(crcOf(npy) ^ 1, true)));
  EXPECT_NE(
      errorOf(npz->get("z"))
          .find(path + ":z: corrupt .npz archive: cannot inflate (zlib: "),
      std::string::npos);
  EXPECT_EQ(errorOf(npz->get("t")),
            path + ":t: corrupt .npz archive: deflated data is truncated");
  EXPECT_EQ(errorOf(npz->get("b")),
            path + ":b: unsupported zip compression method 12; expected 0 "
                   "(stored) or 8 (deflated)");
  EXPECT_EQ(errorOf(npz->get("s")),
            path +
                ":s: corrupt .npz archive: stored member has compressed "
                "size " +
                std::to_string(npy.size() - 1) + " but size " +
                std::to_string(npy.size()));
  EXPECT_EQ(errorOf(npz->get("text")),
            path + ":text: not a .npy file (no \\x93NUMPY magic string)");
}

TEST_F(NpzTest, DeclaredSizeIsNotTrusted) {
  // The central directory claims fewer bytes than the data inflates to.
  Dataset dataset;
  std::string npy = serializeNpy(dataset.x);
  std::string bytes = buildZip({makeMember("X.npy", npy, 8)});
  std::string small = npy.substr(0, 10);
  // Patch the central directory's uncompressed size (offset 24 in the
  // entry) to 10.
  size_t central = bytes.rfind(std::string("PK\x01\x02", 4));
  ASSERT_NE(central, std::string::npos);
  bytes[central + 24] = 10;
  bytes[central + 25] = bytes[central + 26] = bytes[central + 27] = 0;
  Expected<NpzFile> npz = NpzFile::open(writeArchive("s.npz", bytes));
  ASSERT_TRUE(bool(npz)) << toString(npz.takeError());
  EXPECT_NE(errorOf(npz->get("X"))
                .find("data inflates to more than the 10 "
                      "bytes the directory declares"),
            std::string::npos);
}

TEST_F(NpzTest, ArchiveErrors) {
  std::string missing = file("missing.npz");
  EXPECT_TRUE(StringRef(errorOf(NpzFile::open(missing)))
                  .starts_with(missing + ": cannot read: "));

  std::string tiny = writeArchive("tiny.npz", "PK");
  EXPECT_EQ(errorOf(NpzFile::open(tiny)),
            tiny + ": not an .npz archive: 2 bytes is too short for a zip "
                   "file");

  std::string npy = writeArchive(
      "a.npz", serializeNpy(makeArray<float>(DType::F32, {16}, {})));
  EXPECT_EQ(errorOf(NpzFile::open(npy)),
            npy + ": not an .npz archive, or truncated: no zip "
                  "end-of-central-directory record");

  std::string valid = buildZip(datasetMembers(8, true, false));
  std::string cut = writeArchive("cut.npz", valid.substr(0, valid.size() - 1));
  EXPECT_EQ(errorOf(NpzFile::open(cut)),
            cut + ": not an .npz archive, or truncated: no zip "
                  "end-of-central-directory record");

  // Data cut out of the middle: the directory now points past the end.
  std::string middle = valid.substr(0, 40) + valid.substr(200);
  std::string shifted = writeArchive("shifted.npz", middle);
  EXPECT_NE(errorOf(NpzFile::open(shifted))
                .find(shifted +
                      ": corrupt or truncated .npz archive: the central "
                      "directory"),
            std::string::npos);

  ZipOptions zip64;
  zip64.zip64End = true;
  std::string withZip64 = buildZip(datasetMembers(0, false, false), zip64);
  // Point the locator at a wrong offset.
  std::string badLocator = withZip64;
  size_t locator = badLocator.rfind(std::string("PK\x06\x07", 4));
  ASSERT_NE(locator, std::string::npos);
  badLocator[locator + 8] ^= 0x10;
  std::string badLocatorPath = writeArchive("loc.npz", badLocator);
  EXPECT_NE(errorOf(NpzFile::open(badLocatorPath))
                .find(badLocatorPath + ": corrupt .npz archive: no zip64 "
                                       "end-of-central-directory record at"),
            std::string::npos);

  std::vector<ZipMember> twice = datasetMembers(0, false, false);
  twice[1].name = "X.npy";
  std::string dup = writeArchive("dup.npz", buildZip(twice));
  EXPECT_EQ(errorOf(NpzFile::open(dup)),
            dup + ": corrupt .npz archive: key 'X' appears twice");
}

TEST_F(NpzTest, Zip64MarkersWithoutExtraField) {
  std::vector<ZipMember> members = datasetMembers(0, false, true);
  std::string bytes = buildZip(members);
  // Rename the zip64 extra block's id (after the 9-byte 0x5455 block) so
  // that the markers have no values.
  size_t central = bytes.find(std::string("PK\x01\x02", 4));
  size_t extra = central + 46 + members[0].name.size() + 9;
  ASSERT_EQ(bytes[extra], 1);
  bytes[extra] = 2;
  std::string path = writeArchive("z.npz", bytes);
  EXPECT_EQ(errorOf(NpzFile::open(path)),
            path + ":X.npy: corrupt .npz archive: sizes or offset are "
                   "0xFFFFFFFF but there is no zip64 extra field");
}

TEST_F(NpzTest, CorruptedArchivesNeverCrash) {
  // Every truncation and many random corruptions of an archive in NumPy's
  // layout either open and read or fail with a message.
  ZipOptions options;
  options.zip64End = true;
  std::string valid = buildZip(datasetMembers(8, true, true), options);
  std::string path = file("fuzz.npz");
  auto tryAll = [&](StringRef bytes) {
    writeFile(path, bytes);
    Expected<NpzFile> npz = NpzFile::open(path);
    if (!npz) {
      EXPECT_FALSE(toString(npz.takeError()).empty());
      return;
    }
    for (const std::string &key : npz->keys()) {
      Expected<NDArray> array = npz->get(key);
      if (!array)
        EXPECT_FALSE(toString(array.takeError()).empty());
    }
  };
  for (size_t length = 0; length < valid.size(); length += 3)
    tryAll(StringRef(valid).take_front(length));
  std::mt19937 random(777);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = valid;
    int flips = 1 + random() % 3;
    for (int i = 0; i < flips; ++i)
      bytes[random() % bytes.size()] = static_cast<char>(random());
    tryAll(bytes);
  }
}

} // namespace
