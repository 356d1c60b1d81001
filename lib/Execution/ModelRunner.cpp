//===- ModelRunner.cpp - Run a qnn model in the MLIR JIT --------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Execution/ModelRunner.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Target/TargetMachine.h"

#include <numeric>

using namespace mlir;
using namespace qnn;
using qnn::runtime::DType;

int64_t TensorSpec::numElements() const {
  return std::accumulate(shape.begin(), shape.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

size_t TensorSpec::numBytes() const {
  return numElements() * runtime::getDTypeSize(dtype);
}

std::string TensorSpec::describe() const {
  std::string s = runtime::getDTypeName(dtype).str() + "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

/// The runtime dtype of an MLIR element type, if quant-run can pass it.
static std::optional<DType> toDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  switch (intType.getWidth()) {
  case 1:
    return DType::Bool;
  case 8:
    return intType.isUnsigned() ? DType::U8 : DType::I8;
  case 16:
    return intType.isUnsigned() ? std::nullopt : std::optional(DType::I16);
  case 32:
    return intType.isUnsigned() ? std::nullopt : std::optional(DType::I32);
  case 64:
    return intType.isUnsigned() ? std::nullopt : std::optional(DType::I64);
  default:
    return std::nullopt;
  }
}

static llvm::Expected<TensorSpec> toSpec(Type type, StringRef what) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return llvm::createStringError("%s must be a statically shaped tensor",
                                   what.str().c_str());
  std::optional<DType> dtype = toDType(tensorType.getElementType());
  if (!dtype) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << tensorType.getElementType();
    return llvm::createStringError("%s has unsupported element type %s",
                                   what.str().c_str(), s.c_str());
  }
  TensorSpec spec;
  spec.dtype = *dtype;
  spec.shape.assign(tensorType.getShape().begin(),
                    tensorType.getShape().end());
  return spec;
}

static void initializeNativeTargetOnce() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
}

/// The name of the packed entry point: `void name(void **args)`.
static std::string packedName(StringRef entry) {
  return ("_qnn_packed_" + entry).str();
}

/// Adds `void _qnn_packed_<entry>(void **args)` to the lowered module: it
/// loads each argument (a pointer to a memref descriptor) from `args` and
/// calls `_mlir_ciface_<entry>`, so that callers need one signature for every
/// model.
static LogicalResult addPackedWrapper(ModuleOp module, StringRef entry) {
  auto callee =
      module.lookupSymbol<LLVM::LLVMFuncOp>(("_mlir_ciface_" + entry).str());
  if (!callee)
    return failure();
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = callee.getLoc();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto wrapper = LLVM::LLVMFuncOp::create(
      b, loc, packedName(entry),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptrType}));
  Block *body = wrapper.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<Value> args;
  for (unsigned i = 0, e = callee.getNumArguments(); i < e; ++i) {
    Value slot = LLVM::GEPOp::create(b, loc, ptrType, ptrType,
                                     body->getArgument(0),
                                     ArrayRef<LLVM::GEPArg>{int32_t(i)});
    args.push_back(LLVM::LoadOp::create(b, loc, ptrType, slot));
  }
  LLVM::CallOp::create(b, loc, callee, args);
  LLVM::ReturnOp::create(b, loc, ValueRange{});
  return success();
}

bool qnn::hostHasAvx512Vnni() {
  return llvm::sys::getHostCPUFeatures().lookup("avx512vnni");
}

bool qnn::hostHasAvx2() {
  return llvm::sys::getHostCPUFeatures().lookup("avx2");
}

llvm::Expected<std::unique_ptr<ModelRunner>>
ModelRunner::create(OwningOpRef<ModuleOp> module, StringRef entry,
                    unsigned optLevel, const CodegenOptions &codegen) {
  initializeNativeTargetOnce();
  std::unique_ptr<ModelRunner> runner(new ModelRunner());
  MLIRContext *ctx = module->getContext();

  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function @%s in the module",
                                   entry.str().c_str());
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto spec = toSpec(type, "argument " + std::to_string(i) + " of @" +
                                 entry.str());
    if (!spec)
      return spec.takeError();
    runner->inputs.push_back(std::move(*spec));
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto spec =
        toSpec(type, "result " + std::to_string(i) + " of @" + entry.str());
    if (!spec)
      return spec.takeError();
    runner->outputs.push_back(std::move(*spec));
  }
  // The C interface takes each memref as a pointer to its descriptor.
  func->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));

  PassManager pm(ctx);
  LowerToCPUOptions options;
  options.targetCpu = codegen.targetCpu;
  options.targetFeatures = codegen.targetFeatures;
  options.int8Kernels = codegen.int8Kernels;
  options.floatKernels = codegen.floatKernels;
  // Without a feature string, auto means: what the host (the JIT's target)
  // has.
  if (codegen.int8Kernels == Int8Kernels::Auto &&
      codegen.targetFeatures.empty())
    options.int8Kernels = hostHasAvx512Vnni() ? Int8Kernels::Vnni
                          : hostHasAvx2()     ? Int8Kernels::Avx2
                                              : Int8Kernels::Vector;
  runner->int8Kernels = resolveInt8Kernels(options);
  buildLowerToCPUPipeline(pm, options);
  if (failed(pm.run(*module)))
    return llvm::createStringError("lowering @%s to LLVM failed (see the "
                                   "diagnostics above)",
                                   entry.str().c_str());

  if (failed(addPackedWrapper(*module, entry)))
    return llvm::createStringError("lowering did not produce "
                                   "_mlir_ciface_%s",
                                   entry.str().c_str());

  // MLIR (LLVM dialect) -> LLVM IR, optimized for the host CPU.
  registerBuiltinDialectTranslation(*ctx);
  registerLLVMDialectTranslation(*ctx);
  auto llvmContext = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, *llvmContext, "qnn-model");
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");
  auto targetBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!targetBuilder)
    return targetBuilder.takeError();
  targetBuilder->setCodeGenOptLevel(optLevel >= 3
                                        ? llvm::CodeGenOptLevel::Aggressive
                                        : llvm::CodeGenOptLevel::Default);
  auto targetMachine = targetBuilder->createTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  llvmModule->setDataLayout((*targetMachine)->createDataLayout());
  llvmModule->setTargetTriple((*targetMachine)->getTargetTriple());
  if (llvm::Error err = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                                 targetMachine->get())(
          llvmModule.get()))
    return std::move(err);

  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*targetBuilder))
                 .create();
  if (!jit)
    return jit.takeError();
  // malloc, free, expf, ... come from this process.
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator)
    return generator.takeError();
  (*jit)->getMainJITDylib().addGenerator(std::move(*generator));
  if (llvm::Error err = (*jit)->addIRModule(llvm::orc::ThreadSafeModule(
          std::move(llvmModule), std::move(llvmContext))))
    return std::move(err);
  auto symbol = (*jit)->lookup(packedName(entry));
  if (!symbol)
    return symbol.takeError();
  runner->packedEntry = symbol->toPtr<void (*)(void **)>();
  runner->jit = std::move(*jit);
  runner->module = std::move(module);
  return runner;
}

ModelRunner::~ModelRunner() = default;

/// A strided memref descriptor of rank R as the C interface lays it out:
/// {allocated, aligned, offset, sizes[R], strides[R]}, all 8 bytes wide.
static std::vector<int64_t> makeDescriptor(const void *data,
                                           ArrayRef<int64_t> shape) {
  std::vector<int64_t> desc(3 + 2 * shape.size());
  desc[0] = reinterpret_cast<int64_t>(data);
  desc[1] = reinterpret_cast<int64_t>(data);
  desc[2] = 0;
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    desc[3 + i] = shape[i];
    desc[3 + shape.size() + i] = stride;
    stride *= shape[i];
  }
  return desc;
}

llvm::Error ModelRunner::run(ArrayRef<const void *> inputBuffers,
                             ArrayRef<void *> outputBuffers) {
  if (inputBuffers.size() != inputs.size() ||
      outputBuffers.size() != outputs.size())
    return llvm::createStringError(
        "the model takes %zu inputs and %zu outputs, got %zu and %zu",
        inputs.size(), outputs.size(), inputBuffers.size(),
        outputBuffers.size());
  std::vector<std::vector<int64_t>> descriptors;
  for (auto [buffer, spec] : llvm::zip_equal(inputBuffers, inputs))
    descriptors.push_back(makeDescriptor(buffer, spec.shape));
  for (auto [buffer, spec] : llvm::zip_equal(outputBuffers, outputs))
    descriptors.push_back(makeDescriptor(buffer, spec.shape));
  std::vector<void *> descriptorPtrs;
  for (auto &d : descriptors)
    descriptorPtrs.push_back(d.data());
  packedEntry(descriptorPtrs.data());
  return llvm::Error::success();
}

llvm::Expected<std::vector<runtime::NDArray>>
ModelRunner::run(ArrayRef<const runtime::NDArray *> args,
                 ArrayRef<std::string> names) {
  if (args.size() != inputs.size())
    return llvm::createStringError("the model takes %zu inputs, got %zu",
                                   inputs.size(), args.size());
  std::vector<const void *> inputBuffers;
  for (auto [i, arg] : llvm::enumerate(args)) {
    const TensorSpec &spec = inputs[i];
    if (arg->dtype != spec.dtype ||
        ArrayRef<int64_t>(arg->shape) != ArrayRef<int64_t>(spec.shape))
      return llvm::createStringError(
          "%s holds %s but input %zu of the model is %s",
          i < names.size() ? names[i].c_str() : "the input",
          arg->describe().c_str(), i, spec.describe().c_str());
    inputBuffers.push_back(arg->data.data());
  }
  std::vector<runtime::NDArray> results(outputs.size());
  std::vector<void *> outputBuffers;
  for (auto [result, spec] : llvm::zip_equal(results, outputs)) {
    result.dtype = spec.dtype;
    result.shape = spec.shape;
    result.data.assign(spec.numBytes(), 0);
    outputBuffers.push_back(result.data.data());
  }
  if (llvm::Error err = run(inputBuffers, outputBuffers))
    return std::move(err);
  return results;
}
