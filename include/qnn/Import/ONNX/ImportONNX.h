//===- ImportONNX.h - ONNX models to the qnn dialect ------------*- C++ -*-===//
//
// Part of quant-opt. Translates an ONNX model (opsets 6 to 17, default
// domain) into one `func.func` of float qnn ops on NHWC tensors, with
// QuantizeLinear/DequantizeLinear pairs as upstream `quant` casts. The
// conventions of the produced IR are documented in docs/ImportONNX.md.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_IMPORT_ONNX_IMPORTONNX_H
#define QNN_IMPORT_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace qnn {

/// What the importer may choose differently from the model's own interface.
struct ImportOptions {
  /// Name of the generated function.
  std::string funcName = "main";
  /// Take and return 4-D tensors as NHWC instead of the model's NCHW; other
  /// ranks keep their ONNX shapes.
  bool nhwcIO = false;
  /// Size given to a symbolic or unknown leading (batch) dimension of a graph
  /// input. Static dimensions are never changed; any other symbolic
  /// dimension is an error.
  int64_t batchSize = 1;
};

/// Reads the ONNX model at `path` and returns a module holding one function
/// named `options.funcName`. Errors (unreadable or corrupt file, unsupported
/// opset, op, attribute or attribute value) are reported as diagnostics on
/// `ctx`, naming the file and the offending node; the result is then null.
/// The module is verified before it is returned. Loads the dialects it uses
/// (qnn, func, arith, quant) into `ctx`.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModel(llvm::StringRef path, mlir::MLIRContext *ctx,
                const ImportOptions &options = {});

/// Same as importONNXModel, from the serialized `ModelProto` in `bytes`;
/// `bufferName` names it in diagnostics and locations.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModelFromBuffer(llvm::StringRef bytes, llvm::StringRef bufferName,
                          mlir::MLIRContext *ctx,
                          const ImportOptions &options = {});

/// Inserts the dialects the importer produces into `registry`.
void registerImportONNXDialects(mlir::DialectRegistry &registry);

} // namespace qnn

#endif // QNN_IMPORT_ONNX_IMPORTONNX_H
