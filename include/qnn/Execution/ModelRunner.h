//===- ModelRunner.h - Run a qnn model in the MLIR JIT ----------*- C++ -*-===//
//
// Part of quant-opt. Lowers a module with `--lower-to-cpu`, compiles it with
// LLVM's ORC JIT for the host CPU and calls its entry function on
// caller-owned buffers. (MLIR's ExecutionEngine library links Debian's
// libMLIR.so, which must not meet our static MLIR libraries in one process.)
//
//===----------------------------------------------------------------------===//

#ifndef QNN_EXECUTION_MODELRUNNER_H
#define QNN_EXECUTION_MODELRUNNER_H

#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Runtime/NumpyIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace qnn {

/// The type of one argument or result of the entry function.
struct TensorSpec {
  runtime::DType dtype = runtime::DType::F32;
  llvm::SmallVector<int64_t> shape;

  int64_t numElements() const;
  size_t numBytes() const;
  /// "float32[1, 3, 96, 96]".
  std::string describe() const;
};

/// How ModelRunner lowers the module (`--lower-to-cpu` options).
struct CodegenOptions {
  /// `Auto`: the kernels `targetFeatures` selects or, with no
  /// `targetFeatures`, the host CPU's (VNNI with avx512vnni, AVX2 with avx2,
  /// else portable vectors; the JIT compiles for the host, so the choice
  /// always matches what the JIT can run).
  Int8Kernels int8Kernels = Int8Kernels::Auto;
  /// `Auto`: the vector.fma kernels (every target).
  FloatKernels floatKernels = FloatKernels::Auto;
  /// Put on every function as target-cpu / target-features (empty: none;
  /// the JIT compiles for the host either way).
  std::string targetCpu, targetFeatures;
};

/// True when the host CPU (LLVM's detection, as the JIT uses) has
/// avx512vnni.
bool hostHasAvx512Vnni();

/// True when the host CPU has avx2.
bool hostHasAvx2();

class ModelRunner {
public:
  /// Takes ownership of `module`, lowers it and JIT-compiles `entry` (a
  /// func.func with static ranked-tensor arguments and results of
  /// f32/i8/u8/i16/i32/i64 elements). Lowering diagnostics go to the
  /// context's handler; the error says what failed.
  static llvm::Expected<std::unique_ptr<ModelRunner>>
  create(mlir::OwningOpRef<mlir::ModuleOp> module, llvm::StringRef entry,
         unsigned optLevel = 3, const CodegenOptions &codegen = {});

  /// The int8 kernels the module was lowered with (`Auto` resolved).
  Int8Kernels getInt8Kernels() const { return int8Kernels; }

  ~ModelRunner();

  llvm::ArrayRef<TensorSpec> getInputs() const { return inputs; }
  llvm::ArrayRef<TensorSpec> getOutputs() const { return outputs; }

  /// Calls the entry function. `inputs[i]` and `outputs[i]` point to
  /// contiguous row-major buffers of getInputs()[i] / getOutputs()[i].
  llvm::Error run(llvm::ArrayRef<const void *> inputBuffers,
                  llvm::ArrayRef<void *> outputBuffers);

  /// Convenience: checks dtypes and shapes of `args` against the inputs
  /// (error naming `names[i]` and both types) and returns the outputs.
  llvm::Expected<std::vector<runtime::NDArray>>
  run(llvm::ArrayRef<const runtime::NDArray *> args,
      llvm::ArrayRef<std::string> names);

private:
  ModelRunner() = default;

  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// `void _qnn_packed_<entry>(void **descriptors)`.
  void (*packedEntry)(void **) = nullptr;
  std::vector<TensorSpec> inputs, outputs;
  Int8Kernels int8Kernels = Int8Kernels::Generic;
};

} // namespace qnn

#endif // QNN_EXECUTION_MODELRUNNER_H
