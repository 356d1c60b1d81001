//===- Pipelines.h - Registered qnn pass pipelines --------------*- C++ -*-===//
//
// Part of quant-opt. Pipelines are typed PassPipelineOptions plus a builder
// that says why each pass is there (after torch-mlir).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_PIPELINES_PIPELINES_H
#define QNN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qnn {

/// Options of `--lower-to-cpu`.
struct LowerToCPUOptions : mlir::PassPipelineOptions<LowerToCPUOptions> {
  Option<bool> outParams{
      *this, "out-params",
      llvm::cl::desc("Return function results through caller-allocated "
                     "out-parameters appended to the arguments (the C ABI of "
                     "quant-run and of emitted libraries)"),
      llvm::cl::init(true)};
};

/// qnn (float form) and quant casts -> linalg on tensors -> buffers -> loops
/// -> the LLVM dialect. This is the reference schedule: correct for every op,
/// scalar loops, no target-specific code yet.
void buildLowerToCPUPipeline(mlir::OpPassManager &pm,
                             const LowerToCPUOptions &options);

/// Registers `--lower-to-cpu`.
void registerQnnPipelines();

} // namespace qnn

#endif // QNN_PIPELINES_PIPELINES_H
