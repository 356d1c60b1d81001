//===- NumpyIOInternal.h - Shared .npy and .npz helpers ---------*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Runtime: error construction, array
// consistency checks and whole-or-nothing file writes.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_RUNTIME_NUMPYIOINTERNAL_H
#define QNN_LIB_RUNTIME_NUMPYIOINTERNAL_H

#include "qnn/Runtime/NumpyIO.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

namespace qnn::runtime::detail {

/// An error whose message is "<name>: <message>"; `name` is a path or a
/// "file.npz:key" member name.
llvm::Error makeError(llvm::StringRef name, const llvm::Twine &message);

/// Checks that `array` is well formed before it is written: non-negative
/// dimensions whose product does not overflow, and exactly
/// numElements() * getDTypeSize() data bytes.
llvm::Error checkArray(const NDArray &array, llvm::StringRef name);

/// Writes `path` whole or not at all: `write` fills a temporary file in the
/// same directory, which is renamed over `path` only if `write` returned
/// success and every write reached the file.
llvm::Error
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

} // namespace qnn::runtime::detail

#endif // QNN_LIB_RUNTIME_NUMPYIOINTERNAL_H
