//===- Emit.cpp - LLVM IR, assembly, objects and shared libraries ---------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Emit/Emit.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

std::optional<qnn::EmitKind> qnn::parseEmitKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("llvm-ir", EmitKind::LLVMIR)
      .Case("asm", EmitKind::Assembly)
      .Case("obj", EmitKind::Object)
      .Case("shared", EmitKind::SharedLibrary)
      .Default(std::nullopt);
}

/// The target machine for `options`: host triple/CPU/features by default.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const qnn::EmitOptions &options) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : options.triple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("unknown target triple '%s': %s",
                                   triple.str().c_str(), error.c_str());
  std::string cpu = options.cpu;
  llvm::SubtargetFeatures features;
  if (cpu.empty() || cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
      features.AddFeature(name, enabled);
  }
  if (!options.features.empty()) {
    for (llvm::StringRef feature : llvm::split(options.features, ',')) {
      feature = feature.trim();
      if (feature.empty())
        continue;
      if (!feature.starts_with("+") && !feature.starts_with("-"))
        return llvm::createStringError(
            "target feature '%s' must start with '+' or '-'",
            feature.str().c_str());
      features.AddFeature(feature);
    }
  }
  // Asked of a generic subtarget: one made for an unknown CPU warns.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget || !subtarget->isCPUStringValid(cpu))
    return llvm::createStringError("unknown CPU '%s' for target '%s'",
                                   cpu.c_str(), triple.str().c_str());
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features.getString(), targetOptions, llvm::Reloc::PIC_,
      std::nullopt,
      options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                              : llvm::CodeGenOptLevel::Default));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for '%s'",
                                   triple.str().c_str());
  return machine;
}

llvm::Expected<bool> qnn::targetHasFeature(const EmitOptions &options,
                                           llvm::StringRef feature) {
  auto machine = createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  const llvm::Target &target = (*machine)->getTarget();
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target.createMCSubtargetInfo((*machine)->getTargetTriple(),
                                   (*machine)->getTargetCPU(),
                                   (*machine)->getTargetFeatureString()));
  return subtarget && subtarget->checkFeatures(("+" + feature).str());
}

/// Writes `module` as assembly or an object file to `path`.
static llvm::Error emitMachineCode(llvm::Module &module,
                                   llvm::TargetMachine &machine,
                                   llvm::CodeGenFileType type,
                                   llvm::StringRef path) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot open '%s': %s", path.str().c_str(),
                                   ec.message().c_str());
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, out.os(), nullptr, type))
    return llvm::createStringError("the target cannot emit this file type");
  pm.run(module);
  out.os().flush();
  if (out.os().has_error())
    return llvm::createStringError("error writing '%s'", path.str().c_str());
  out.keep();
  return llvm::Error::success();
}

llvm::Error qnn::emitModule(ModuleOp module, const EmitOptions &options,
                            llvm::StringRef outputPath) {
  if (options.optLevel > 3)
    return llvm::createStringError("optimization level %u is not in 0-3",
                                   options.optLevel);
  MLIRContext *ctx = module.getContext();
  registerBuiltinDialectTranslation(*ctx);
  registerLLVMDialectTranslation(*ctx);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "qnn-model");
  if (!llvmModule)
    return llvm::createStringError(
        "translation to LLVM IR failed (is the module lowered to the LLVM "
        "dialect? see the diagnostics above)");
  auto machine = createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  // Every function carries the CPU and features, as clang does, so that
  // the optimizer's cost model and the inliner see them too. Only the C
  // interfaces are exported: the entry's own symbol (often `main`) must not
  // clash with, or be interposed by, the program that links the model.
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    if (!f.getName().starts_with("_mlir_ciface_"))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
    f.addFnAttr("target-cpu", (*machine)->getTargetCPU());
    if (!(*machine)->getTargetFeatureString().empty())
      f.addFnAttr("target-features", (*machine)->getTargetFeatureString());
  }
  if (llvm::Error err = makeOptimizingTransformer(
          options.optLevel, /*sizeLevel=*/0, machine->get())(llvmModule.get()))
    return err;

  switch (options.kind) {
  case EmitKind::LLVMIR: {
    std::error_code ec;
    llvm::ToolOutputFile out(outputPath, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return llvm::createStringError("cannot open '%s': %s",
                                     outputPath.str().c_str(),
                                     ec.message().c_str());
    llvmModule->print(out.os(), nullptr);
    out.keep();
    return llvm::Error::success();
  }
  case EmitKind::Assembly:
    return emitMachineCode(*llvmModule, **machine,
                           llvm::CodeGenFileType::AssemblyFile, outputPath);
  case EmitKind::Object:
    return emitMachineCode(*llvmModule, **machine,
                           llvm::CodeGenFileType::ObjectFile, outputPath);
  case EmitKind::SharedLibrary:
    break;
  }

  // A shared library: an object in a temporary file, linked by the system
  // linker into a temporary library, renamed over the output on success.
  llvm::SmallString<128> object, library;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("qnn-model", "o", object))
    return llvm::createStringError("cannot create a temporary file: %s",
                                   ec.message().c_str());
  llvm::FileRemover objectRemover(object);
  if (llvm::Error err = emitMachineCode(*llvmModule, **machine,
                                        llvm::CodeGenFileType::ObjectFile,
                                        object))
    return err;
  // The C compiler driver links: it knows where libm and libc are (the
  // model calls expf, malloc, free, memset).
  llvm::ErrorOr<std::string> linker = std::make_error_code(std::errc::no_such_file_or_directory);
  for (const char *driver : {"clang-22", "clang", "cc", "gcc"})
    if ((linker = llvm::sys::findProgramByName(driver)))
      break;
  if (!linker)
    return llvm::createStringError("no C compiler driver (clang-22, clang, "
                                   "cc or gcc) on PATH to link a shared "
                                   "library");
  library = outputPath;
  library += ".tmp";
  llvm::FileRemover libraryRemover(library);
  // What the driver and the linker print goes into the error, so that a
  // failure is one message.
  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("qnn-link", "log", log))
    return llvm::createStringError("cannot create a temporary file: %s",
                                   ec.message().c_str());
  llvm::FileRemover logRemover(log);
  std::string message;
  llvm::SmallVector<llvm::StringRef> args = {*linker, "-shared", "-o",
                                             library, object, "-lm"};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  int status = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt,
                                         redirects, 0, 0, &message);
  if (status != 0) {
    std::string detail = message.empty() ? "" : ": " + message;
    if (auto output = llvm::MemoryBuffer::getFile(log)) {
      std::string text = (*output)->getBuffer().trim().str();
      if (!text.empty())
        detail += "\n  " + llvm::join(llvm::split(text, '\n'), "\n  ");
    }
    return llvm::createStringError("linking '%s' with %s failed%s",
                                   outputPath.str().c_str(), linker->c_str(),
                                   detail.c_str());
  }
  if (std::error_code ec = llvm::sys::fs::rename(library, outputPath))
    return llvm::createStringError("cannot write '%s': %s",
                                   outputPath.str().c_str(),
                                   ec.message().c_str());
  return llvm::Error::success();
}
