//===- quant-compile.cpp - qnn MLIR to LLVM IR, assembly, objects, .so ----===//
//
// Part of quant-opt. `quant-compile model.mlir --emit=shared -o model.so`
// lowers a qnn module (any numeric form) with the --lower-to-cpu pipeline
// and writes it for a target triple / CPU / feature set. The output is
// written whole or not at all.
//
//===----------------------------------------------------------------------===//

#include "qnn/Emit/CHeader.h"
#include "qnn/Emit/Emit.h"
#include "qnn/InitAll.h"
#include "qnn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("quant-compile options");

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<model.mlir>"),
                                          cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::Required,
                                           cl::desc("Output file"),
                                           cl::value_desc("filename"),
                                           cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: mlir (the LLVM-dialect module), llvm-ir, "
                  "asm, obj or shared (a shared library linked by the C "
                  "compiler driver, with libm)"),
         cl::init("obj"), cl::cat(category));
static cl::opt<std::string>
    entry("entry",
          cl::desc("Function that gets a C interface (_mlir_ciface_<entry>, "
                   "memref descriptors by pointer; default: main)"),
          cl::init("main"), cl::cat(category));
static cl::opt<std::string>
    targetTriple("target-triple",
                 cl::desc("Target triple (default: the host's)"),
                 cl::cat(category));
static cl::opt<std::string>
    targetCPU("target-cpu",
              cl::desc("Target CPU, e.g. znver4, skylake-avx512, x86-64-v3 "
                       "(default: native, the host CPU and its features)"),
              cl::cat(category));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("Comma-separated LLVM target features added to the CPU's, "
             "e.g. +avx512vnni or -avx512f"),
    cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<std::string> headerFilename(
    "header",
    cl::desc("Also write a C header for the entry: its C interface, the "
             "shapes, element types and quantization parameters of inputs "
             "and outputs, and a wrapper on plain pointers"),
    cl::value_desc("filename"), cl::cat(category));
static cl::opt<bool> printTiming(
    "print-timing",
    cl::desc("Print the seconds spent parsing, lowering and emitting"),
    cl::init(false), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-compile: compile a qnn model to LLVM IR, assembly, an object "
      "file or a shared library\n\n"
      "Lowers with the --lower-to-cpu pipeline (docs/Pipelines.md), then "
      "optimizes and emits for the target (default: the host CPU).\n");
  auto tool = [](llvm::StringRef message) {
    llvm::WithColor::error(llvm::errs(), "quant-compile") << message << "\n";
    return 1;
  };

  std::optional<qnn::EmitKind> kind;
  if (emit != "mlir") {
    kind = qnn::parseEmitKind(emit);
    if (!kind)
      return tool("unknown --emit='" + emit +
                  "', expected mlir, llvm-ir, asm, obj or shared");
  }
  if (optLevel > 3)
    return tool("-O" + std::to_string(optLevel) + " is not in 0-3");

  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  };
  auto start = Clock::now();
  DialectRegistry registry;
  qnn::registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  std::string error;
  auto file = mlir::openInputFile(inputFilename, &error);
  if (!file)
    return tool("cannot open '" + inputFilename + "': " + error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return tool("cannot parse '" + inputFilename + "'");
  double parseTime = seconds(start);

  auto func = module->lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return tool("'" + inputFilename + "' has no function @" + entry);
  // The header describes the signature before lowering (tensor and
  // quantized types); it is written only once the model is.
  std::string header;
  if (!headerFilename.empty()) {
    auto text = qnn::buildCHeader(func, llvm::sys::path::filename(inputFilename));
    if (!text)
      return tool("cannot write a C header for @" + entry + ": " +
                  llvm::toString(text.takeError()));
    header = std::move(*text);
  }
  func->setAttr("llvm.emit_c_interface", UnitAttr::get(&context));
  start = Clock::now();
  PassManager pm(&context);
  qnn::LowerToCPUOptions options;
  qnn::buildLowerToCPUPipeline(pm, options);
  if (failed(pm.run(*module)))
    return tool("lowering '" + inputFilename +
                "' failed (see the diagnostics above)");
  double lowerTime = seconds(start);

  start = Clock::now();
  if (!kind) {
    std::string message;
    auto out = mlir::openOutputFile(outputFilename, &message);
    if (!out)
      return tool(message);
    module->print(out->os());
    out->keep();
  } else {
    qnn::EmitOptions emitOptions;
    emitOptions.triple = targetTriple;
    emitOptions.cpu = targetCPU;
    emitOptions.features = targetFeatures;
    emitOptions.optLevel = optLevel;
    emitOptions.kind = *kind;
    if (llvm::Error err = qnn::emitModule(*module, emitOptions, outputFilename))
      return tool(llvm::toString(std::move(err)));
  }
  if (!headerFilename.empty()) {
    std::string message;
    auto out = mlir::openOutputFile(headerFilename, &message);
    if (!out)
      return tool(message);
    out->os() << header;
    out->keep();
  }
  if (printTiming)
    llvm::errs() << llvm::format("parse: %.3f s\nlower: %.3f s\nemit: %.3f s\n",
                                 parseTime, lowerTime, seconds(start));
  return 0;
}
