//===- Emit.h - LLVM IR, assembly, objects and shared libraries -*- C++ -*-===//
//
// Part of quant-opt. The last step of compilation: a module in the LLVM
// dialect (after --lower-to-cpu) becomes LLVM IR, optimized for a target
// triple, CPU and feature set, and is written as LLVM IR, assembly, an
// object file or a shared library.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_EMIT_EMIT_H
#define QNN_EMIT_EMIT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace qnn {

enum class EmitKind { LLVMIR, Assembly, Object, SharedLibrary };

/// Parses `llvm-ir`, `asm`, `obj` or `shared`.
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);

struct EmitOptions {
  /// Target triple; empty: the host's.
  std::string triple;
  /// Target CPU (e.g. znver4, skylake-avx512, x86-64-v3); empty or
  /// "native": the host CPU, and then the host's features too.
  std::string cpu;
  /// Comma-separated LLVM target features added to the CPU's
  /// (e.g. "+avx512vnni,-avx512f").
  std::string features;
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 3;
  EmitKind kind = EmitKind::Object;
};

/// Whether the target of `options` (its CPU, with the host's features for
/// the native CPU, plus `features`) has the LLVM feature `feature`
/// (e.g. "avx512vnni"); an error for an unknown triple, CPU or feature
/// syntax.
llvm::Expected<bool> targetHasFeature(const EmitOptions &options,
                                      llvm::StringRef feature);

/// Translates `module` (LLVM dialect) and writes it to `outputPath` as
/// `options.kind` says; the file is written whole or not at all. A shared
/// library is linked by the C compiler driver (clang-22, clang, cc or gcc)
/// with libm. Only the `_mlir_ciface_*` functions are exported; every other
/// function gets internal linkage.
llvm::Error emitModule(mlir::ModuleOp module, const EmitOptions &options,
                       llvm::StringRef outputPath);

} // namespace qnn

#endif // QNN_EMIT_EMIT_H
