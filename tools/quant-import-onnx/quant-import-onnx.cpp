//===- quant-import-onnx.cpp - ONNX model to qnn MLIR ---------------------===//
//
// Part of quant-opt. `quant-import-onnx model.onnx -o model.mlir` writes the
// float qnn function of an ONNX model, tensor names as locations, weights as
// dense_resource blobs. The output file is written whole or not at all.
//
//===----------------------------------------------------------------------===//

#include "qnn/Import/ONNX/ImportONNX.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory category("quant-import-onnx options");

static cl::opt<std::string> inputFilename(cl::Positional, cl::Required,
                                          cl::desc("<model.onnx>"),
                                          cl::cat(category));

static cl::opt<std::string> outputFilename("o",
                                           cl::desc("Output file (default: "
                                                    "standard output)"),
                                           cl::value_desc("filename"),
                                           cl::init("-"), cl::cat(category));

static cl::opt<std::string> funcName("func-name",
                                     cl::desc("Name of the generated function"),
                                     cl::init("main"), cl::cat(category));

static cl::opt<bool>
    nhwcIO("nhwc-io",
           cl::desc("Take and return 4-D tensors as NHWC instead of the "
                    "model's NCHW (other ranks keep their ONNX shapes)"),
           cl::init(false), cl::cat(category));

static cl::opt<int64_t> batchSize(
    "batch-size",
    cl::desc("Size of a symbolic or unknown leading (batch) dimension of the "
             "graph inputs; static dimensions are kept (default: 1)"),
    cl::init(1), cl::cat(category));

static cl::opt<bool> printLocations(
    "print-locations",
    cl::desc("Print locations, which carry the ONNX tensor names that "
             "calibration statistics are matched by (default: on; use "
             "--mlir-print-local-scope to print them inline)"),
    cl::init(true), cl::cat(category));

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  // Show this tool's options and the MLIR printing flags that matter for
  // its output, not the hundreds of options linked-in libraries register.
  cl::HideUnrelatedOptions(category);
  for (const char *name : {"mlir-print-local-scope", "mlir-print-debuginfo",
                           "mlir-pretty-debuginfo", "mlir-print-op-generic",
                           "mlir-elide-resource-strings-if-larger"}) {
    auto it = cl::getRegisteredOptions().find(name);
    if (it != cl::getRegisteredOptions().end())
      it->second->setHiddenFlag(cl::NotHidden);
  }
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-import-onnx: ONNX model to the qnn dialect\n\n"
      "Translates an ONNX model (opsets 6 to 17, default domain) into one\n"
      "func.func of float qnn ops on NHWC tensors. The function keeps the\n"
      "model's interface (NCHW inputs and outputs; --nhwc-io for NHWC), with\n"
      "the layout changes at its boundary. Every op is located at the ONNX\n"
      "tensor it computes (loc(\"name\")), helper ops at loc(\"name#role\");\n"
      "weights are dense_resource blobs. QuantizeLinear/DequantizeLinear\n"
      "become quant.qcast/quant.dcast on !quant.uniform types. Errors name\n"
      "the node, its op type and the offending attribute; the exit code is\n"
      "then 1 and no output is written.\n");

  mlir::DialectRegistry registry;
  qnn::registerImportONNXDialects(registry);
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);

  qnn::ImportOptions options;
  options.funcName = funcName;
  options.nhwcIO = nhwcIO;
  options.batchSize = batchSize;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      qnn::importONNXModel(inputFilename, &context, options);
  if (!module)
    return 1;

  mlir::OpPrintingFlags flags;
  if (printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  // Print to memory first, then write the file in one go (through a
  // temporary file and a rename), so that a failure leaves no partial
  // output behind.
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, flags);
  if (Error error = writeToOutput(outputFilename, [&](raw_ostream &out) {
        out << text;
        return Error::success();
      })) {
    errs() << "quant-import-onnx: cannot write '" << outputFilename
           << "': " << toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
