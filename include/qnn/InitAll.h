//===- InitAll.h - Register what quant-opt's tools understand ---*- C++ -*-===//
//
// Part of quant-opt. One place that lists the dialects, interface models and
// passes the quant-opt tools register, so that quant-opt, quant-run and
// quant-compile (and compilers that link our passes) agree.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_INITALL_H
#define QNN_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace qnn {

/// Inserts qnn and the upstream dialects the pipeline produces or consumes
/// (func, arith, math, quant, tensor, linalg, bufferization, memref, scf, cf,
/// vector, affine, index, ub, llvm, x86vector), plus the external interface
/// models that bufferization and the LLVM lowering need.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers the qnn passes and the upstream passes used between the qnn
/// dialect and LLVM IR (canonicalize, cse, linalg, bufferization, the
/// conversions to the LLVM dialect).
void registerAllPasses();

} // namespace qnn

#endif // QNN_INITALL_H
