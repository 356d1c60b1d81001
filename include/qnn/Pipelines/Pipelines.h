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

/// Which kernels `--lower-to-cpu` uses for the integer (I) form of
/// qnn.dense and qnn.conv2d (groups = 1).
enum class Int8Kernels {
  /// `vnni` when `target-features` enables avx512vnni, else `avx2` when it
  /// enables avx2, else `vector` when it is not empty, else `generic`.
  Auto,
  /// linalg.generic, then scalar loops (LLVM vectorizes what it can); every
  /// target. The reference schedule.
  Generic,
  /// `--lower-int8-kernels=isa=avx512vnni`: register-tiled AVX-512 VNNI
  /// micro-kernels with packed weights and the requantization fused (needs
  /// avx512vnni).
  Vnni,
  /// `--lower-int8-kernels=isa=avx2`: the same kernels with vpmaddwd on ymm
  /// registers (needs avx2).
  Avx2,
  /// `--lower-int8-kernels=isa=vector`: the same kernels in portable vector
  /// arithmetic (every target).
  Vector,
};

/// Which kernels `--lower-to-cpu` uses for the float (F) form of qnn.dense
/// and qnn.conv2d (groups = 1 and depthwise).
enum class FloatKernels {
  /// `vector` on every target (vector.fma lowers everywhere: one FMA
  /// instruction per vector where the target has FMA).
  Auto,
  /// linalg.generic, then scalar loops; fp32 reductions stay scalar (LLVM
  /// may not reassociate them). The reference schedule.
  Generic,
  /// `--lower-f32-kernels`: register-tiled vector.fma micro-kernels with
  /// packed weights and the activation fused.
  Vector,
};

/// Options of `--lower-to-cpu`.
struct LowerToCPUOptions : mlir::PassPipelineOptions<LowerToCPUOptions> {
  Option<bool> outParams{
      *this, "out-params",
      llvm::cl::desc("Return function results through caller-allocated "
                     "out-parameters appended to the arguments (the C ABI of "
                     "quant-run and of emitted libraries)"),
      llvm::cl::init(true)};
  Option<int64_t> stackBuffers{
      *this, "stack-buffers",
      llvm::cl::desc("Total bytes of temporary buffers (each at most 64 KiB) "
                     "put on the stack instead of the heap, per function "
                     "(--qnn-stack-buffers; 0: none)"),
      llvm::cl::init(524288)};
  Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("LLVM CPU name put on every llvm.func as target_cpu "
                     "(e.g. znver4); empty: none"),
      llvm::cl::init("")};
  Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("LLVM feature string put on every llvm.func as "
                     "target_features (e.g. +avx512f,+avx512vnni); it also "
                     "decides int8-kernels=auto. Empty: none"),
      llvm::cl::init("")};
  Option<Int8Kernels> int8Kernels{
      *this, "int8-kernels",
      llvm::cl::desc("Kernels of the integer dense/conv2d layers"),
      llvm::cl::init(Int8Kernels::Auto),
      llvm::cl::values(
          clEnumValN(Int8Kernels::Auto, "auto",
                     "vnni if target-features enables avx512vnni, avx2 if "
                     "it enables avx2, vector if it is not empty, else "
                     "generic (default)"),
          clEnumValN(Int8Kernels::Generic, "generic",
                     "linalg.generic lowered to scalar loops"),
          clEnumValN(Int8Kernels::Vnni, "vnni",
                     "AVX-512 VNNI micro-kernels (the target must have "
                     "avx512vnni)"),
          clEnumValN(Int8Kernels::Avx2, "avx2",
                     "AVX2 micro-kernels with vpmaddwd (the target must "
                     "have avx2)"),
          clEnumValN(Int8Kernels::Vector, "vector",
                     "the micro-kernels in portable vector arithmetic"))};
  Option<FloatKernels> floatKernels{
      *this, "float-kernels",
      llvm::cl::desc("Kernels of the float dense/conv2d layers"),
      llvm::cl::init(FloatKernels::Auto),
      llvm::cl::values(
          clEnumValN(FloatKernels::Auto, "auto", "vector (default)"),
          clEnumValN(FloatKernels::Generic, "generic",
                     "linalg.generic lowered to scalar loops"),
          clEnumValN(FloatKernels::Vector, "vector",
                     "vector.fma micro-kernels (--lower-f32-kernels)"))};
};

/// True when the LLVM feature string `features` ("+a,-b,...") enables
/// avx512vnni (the last mention wins; -avx512f disables it).
bool featuresEnableVnni(llvm::StringRef features);

/// True when `features` enables avx2 (+avx2, or +avx512vnni/+avx512f which
/// imply it; -avx2 disables it).
bool featuresEnableAvx2(llvm::StringRef features);

/// The `isa` option of `--lower-int8-kernels` for `kernels` (not Auto or
/// Generic).
llvm::StringRef int8KernelIsa(Int8Kernels kernels);

/// The kernels `options` select, `Auto` resolved.
Int8Kernels resolveInt8Kernels(const LowerToCPUOptions &options);

/// The float kernels `options` select, `Auto` resolved (to `Vector`).
FloatKernels resolveFloatKernels(const LowerToCPUOptions &options);

/// qnn (float form) and quant casts -> linalg on tensors -> buffers -> loops
/// -> the LLVM dialect. With the generic int8 kernels this is the reference
/// schedule: correct for every op, scalar loops, no target-specific code.
/// `int8-kernels=vnni` lowers the integer dense/conv2d layers to AVX-512
/// VNNI micro-kernels first (bit-exact with the reference schedule).
/// `float-kernels=vector` (and `auto`) lowers the float dense/conv2d layers
/// to vector.fma micro-kernels (equal to the reference up to rounding).
void buildLowerToCPUPipeline(mlir::OpPassManager &pm,
                             const LowerToCPUOptions &options);

/// Registers `--lower-to-cpu`.
void registerQnnPipelines();

} // namespace qnn

#endif // QNN_PIPELINES_PIPELINES_H
