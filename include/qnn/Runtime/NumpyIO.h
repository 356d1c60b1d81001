//===- NumpyIO.h - Reading and writing .npy and .npz files -------*- C++ -*-===//
//
// Part of quant-opt. NumPy's array formats, for quant-run's inputs, outputs
// and datasets: .npy (format versions 1.0, 2.0 and 3.0) and .npz (a zip of
// .npy members, stored or deflated, with or without zip64 records).
//
// Errors are llvm::Error values whose message names the file, the key (for
// .npz members) and the offending value; nothing here aborts or crashes on
// bad input.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_RUNTIME_NUMPYIO_H
#define QNN_RUNTIME_NUMPYIO_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class MemoryBuffer;
} // namespace llvm

namespace qnn::runtime {

/// The element types quant-run reads and writes. Anything else (strings,
/// objects, complex, big-endian multi-byte types) is refused with an error
/// naming the dtype.
enum class DType { F32, F64, I8, U8, I16, I32, I64, Bool };

/// "float32", "int64", ...: the NumPy name of a dtype.
llvm::StringRef getDTypeName(DType dtype);
/// Bytes per element.
size_t getDTypeSize(DType dtype);

/// A dense C-order array with its element type.
struct NDArray {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  /// Little-endian, C-order element bytes: numElements() * getDTypeSize().
  std::vector<uint8_t> data;

  int64_t numElements() const;
  /// The elements as T; T must match dtype (asserted).
  template <typename T> llvm::ArrayRef<T> as() const {
    return {reinterpret_cast<const T *>(data.data()),
            data.size() / sizeof(T)};
  }
  template <typename T> llvm::MutableArrayRef<T> asMutable() {
    return {reinterpret_cast<T *>(data.data()), data.size() / sizeof(T)};
  }
  /// "float32[1, 3, 96, 96]", for messages.
  std::string describe() const;
};

/// Converts an integer or boolean array to int64 values (labels, indices).
/// A floating-point array is an error naming `what`.
llvm::Expected<std::vector<int64_t>> toInt64(const NDArray &array,
                                             llvm::StringRef what);

/// Parses the bytes of a .npy file. `name` names it in error messages (a
/// path, or "data.npz:X" for a member). A Fortran-order array is
/// transposed into C order.
llvm::Expected<NDArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Reads a .npy file.
llvm::Expected<NDArray> readNpy(llvm::StringRef path);

/// The bytes of a .npy file (format 1.0, or 2.0 if the header needs it).
std::string serializeNpy(const NDArray &array);

/// Writes a .npy file whole or not at all (a temporary file, then rename).
llvm::Error writeNpy(llvm::StringRef path, const NDArray &array);

/// An open .npz archive. Members are read on demand, so a large archive
/// costs only the members used.
class NpzFile {
public:
  /// Opens and indexes an archive (reads its central directory).
  static llvm::Expected<NpzFile> open(llvm::StringRef path);

  /// Member keys without the ".npy" suffix, in archive order.
  std::vector<std::string> keys() const;
  bool contains(llvm::StringRef key) const;
  /// Reads, inflates if needed (checking the CRC-32), and parses a member.
  /// A missing key is an error listing the keys that exist.
  llvm::Expected<NDArray> get(llvm::StringRef key) const;

  llvm::StringRef getPath() const { return path; }

private:
  /// One archive member, from the central directory (and zip64 extra
  /// fields): where its data starts, how it is stored, and its CRC-32.
  struct Member {
    std::string key;
    uint64_t dataOffset = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint16_t method = 0; // 0 stored, 8 deflated
    uint16_t flags = 0;  // general-purpose bits; bit 0 means encrypted
    uint32_t crc32 = 0;
  };
  NpzFile() = default;
  std::string path;
  /// The whole archive, memory-mapped when large; shared so that copies of
  /// an NpzFile stay cheap.
  std::shared_ptr<llvm::MemoryBuffer> buffer;
  std::vector<Member> members;
};

/// Writes an .npz archive of stored (uncompressed) members, whole or not at
/// all.
llvm::Error
writeNpz(llvm::StringRef path,
         llvm::ArrayRef<std::pair<std::string, const NDArray *>> members);

} // namespace qnn::runtime

#endif // QNN_RUNTIME_NUMPYIO_H
