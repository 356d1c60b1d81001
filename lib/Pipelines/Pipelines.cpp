//===- Pipelines.cpp - Registered qnn pass pipelines ------------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Pipelines/Pipelines.h"
#include "qnn/Conversion/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using qnn::FloatKernels;
using qnn::Int8Kernels;

bool qnn::featuresEnableVnni(StringRef features) {
  bool enabled = false;
  SmallVector<StringRef> parts;
  features.split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef f : parts) {
    f = f.trim();
    if (f == "+avx512vnni")
      enabled = true;
    else if (f == "-avx512vnni" || f == "-avx512f")
      enabled = false;
  }
  return enabled;
}

bool qnn::featuresEnableAvx2(StringRef features) {
  bool enabled = false;
  SmallVector<StringRef> parts;
  features.split(parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef f : parts) {
    f = f.trim();
    if (f == "+avx2" || f == "+avx512f" || f == "+avx512vnni")
      enabled = true;
    else if (f == "-avx2" || f == "-avx")
      enabled = false;
  }
  return enabled;
}

StringRef qnn::int8KernelIsa(Int8Kernels kernels) {
  switch (kernels) {
  case Int8Kernels::Vnni:
    return "avx512vnni";
  case Int8Kernels::Avx2:
    return "avx2";
  default:
    return "vector";
  }
}

qnn::Int8Kernels qnn::resolveInt8Kernels(const LowerToCPUOptions &options) {
  if (options.int8Kernels != Int8Kernels::Auto)
    return options.int8Kernels;
  if (featuresEnableVnni(options.targetFeatures))
    return Int8Kernels::Vnni;
  if (featuresEnableAvx2(options.targetFeatures))
    return Int8Kernels::Avx2;
  return StringRef(options.targetFeatures).trim().empty() ? Int8Kernels::Generic
                                                          : Int8Kernels::Vector;
}

qnn::FloatKernels
qnn::resolveFloatKernels(const LowerToCPUOptions &options) {
  // vector.fma lowers on every target (llvm.intr.fmuladd), so auto is
  // vector everywhere.
  return options.floatKernels == FloatKernels::Generic ? FloatKernels::Generic
                                                       : FloatKernels::Vector;
}

void qnn::buildLowerToCPUPipeline(OpPassManager &pm,
                                  const LowerToCPUOptions &options) {
  Int8Kernels kernels = resolveInt8Kernels(options);
  bool vectorKernels = kernels != Int8Kernels::Generic;
  // The integer dense/conv2d layers (and the requantize after them) become
  // micro-kernels on tensors: scf loops, vector transfers and vpdpbusd /
  // vpmaddwd intrinsic calls (or portable vector arithmetic), with the
  // weights packed as constants.
  if (vectorKernels) {
    LowerInt8KernelsOptions int8Options;
    int8Options.isaName = int8KernelIsa(kernels).str();
    pm.addPass(createLowerInt8Kernels(int8Options));
  }
  // The float dense/conv2d layers (and a qnn.activation after them) become
  // vector.fma micro-kernels on tensors with the weights packed as
  // constants; the generic loops would keep every fp32 reduction scalar.
  bool floatKernels = resolveFloatKernels(options) == FloatKernels::Vector;
  if (floatKernels)
    pm.addPass(createLowerF32Kernels());
  // qnn ops and quant casts become linalg on tensors; quantized tensor types
  // become their storage integers.
  pm.addPass(createLowerToLinalg());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());

  // Tensors to buffers across function boundaries, with identity layouts so
  // that callers pass plain contiguous buffers.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  pm.addPass(memref::createExpandReallocPass());
  // The kernels return the result of their scf.for nests; once bufferized
  // those loops carry the output buffer unchanged and fold away, so that
  // the function returns the allocation itself and out-params can hoist it
  // (otherwise every call allocates its result and copies it out).
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  if (options.outParams) {
    // Hoisting erases a returned allocation once per return operand: a
    // buffer returned twice is returned through a copy instead.
    pm.addPass(createUniqueReturnedBuffers());
    bufferization::BufferResultsToOutParamsPassOptions outParamsOptions;
    outParamsOptions.hoistStaticAllocs = true;
    // @main is public: its signature is exactly what we want to change.
    outParamsOptions.modifyPublicFunctions = true;
    pm.addPass(
        bufferization::createBufferResultsToOutParamsPass(outParamsOptions));
  }
  // Small temporaries on the stack (no malloc and free per layer and call).
  if (options.stackBuffers > 0) {
    StackBuffersOptions stackOptions;
    stackOptions.budget = options.stackBuffers;
    pm.addNestedPass<func::FuncOp>(createStackBuffers(stackOptions));
  }
  // Every temporary buffer is freed: a dataset run calls the model
  // thousands of times.
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  // memref.copy between strided buffers would call into MLIR's runtime
  // library; as linalg.copy it becomes loops.
  pm.addPass(createMemRefCopyToLinalg());

  // Buffers to loops to the LLVM dialect. expand-strided-metadata creates
  // affine.apply, so it runs before lower-affine.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // The kernels' and the copies' vector transfers, bitcasts and broadcasts
  // (1-D: no vector-to-scf needed); llvm.call_intrinsic is already LLVM.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  if (!options.targetCpu.empty() || !options.targetFeatures.empty()) {
    SetLLVMTargetAttributesOptions target;
    target.cpu = options.targetCpu;
    target.features = options.targetFeatures;
    pm.addPass(createSetLLVMTargetAttributes(target));
  }
}

void qnn::registerQnnPipelines() {
  PassPipelineRegistration<LowerToCPUOptions>(
      "lower-to-cpu",
      "Lower a qnn module (float and integer forms, quant casts) to the LLVM "
      "dialect: linalg on tensors (integer dense/conv2d optionally as AVX-512 "
      "VNNI kernels), one-shot bufferization, loops",
      buildLowerToCPUPipeline);
}
