//===- ImportONNX.cpp - ONNX models to the qnn dialect --------------------===//
//
// Part of quant-opt. Reads and checks the ModelProto, then hands its graph
// to the GraphImporter.
//
//===----------------------------------------------------------------------===//

#include "qnn/Import/ONNX/ImportONNX.h"

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx_pb.h"

#include <google/protobuf/io/coded_stream.h>

#include <climits>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

/// The opsets of the default domain whose op semantics the importer
/// implements. Below 11 only attribute forms differ (Clip's and Pad's
/// attributes, BatchNormalization's and Dropout's is_test, the legacy
/// broadcast attributes, which are rejected as unknown), and Softmax's
/// coercion to 2-D lasts until 13.
static constexpr int64_t kMinOpset = 6;
static constexpr int64_t kMaxOpset = 17;

void qnn::registerImportONNXDialects(DialectRegistry &registry) {
  registry.insert<QnnDialect, arith::ArithDialect, func::FuncDialect,
                  quant::QuantDialect>();
}

OwningOpRef<ModuleOp>
qnn::importONNXModelFromBuffer(StringRef bytes, StringRef bufferName,
                               MLIRContext *ctx, const ImportOptions &options) {
  DialectRegistry registry;
  registerImportONNXDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadDialect<QnnDialect, arith::ArithDialect, func::FuncDialect,
                   quant::QuantDialect>();
  Location fileLoc = FileLineColLoc::get(ctx, bufferName, 0, 0);

  if (bytes.empty()) {
    emitError(fileLoc) << "'" << bufferName << "' is empty, not an ONNX model";
    return nullptr;
  }
  // Parse with the whole size allowed (protobuf's default limit is lower
  // than what large models need) and require every byte to be consumed.
  onnx::ModelProto model;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()),
      static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX)));
  stream.SetTotalBytesLimit(INT_MAX);
  if (bytes.size() > INT_MAX || !model.ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage()) {
    emitError(fileLoc) << "'" << bufferName
                       << "' is not a valid ONNX model: the protobuf data is "
                          "truncated or corrupt";
    return nullptr;
  }
  if (!model.has_graph() || model.ir_version() <= 0) {
    emitError(fileLoc) << "'" << bufferName
                       << "' is not an ONNX model (no graph or IR version)";
    return nullptr;
  }

  int64_t opset = -1;
  for (const onnx::OperatorSetIdProto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();
  if (opset < 0) {
    emitError(fileLoc) << "'" << bufferName
                       << "' imports no opset of the default ONNX domain";
    return nullptr;
  }
  if (opset < kMinOpset || opset > kMaxOpset) {
    emitError(fileLoc) << "unsupported opset version " << opset
                       << " of the default ONNX domain (supported: "
                       << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }
  if (options.funcName.empty()) {
    emitError(fileLoc) << "the function name must not be empty";
    return nullptr;
  }
  if (options.batchSize <= 0) {
    emitError(fileLoc) << "the batch size must be positive, got "
                       << options.batchSize;
    return nullptr;
  }

  GraphImporter importer(ctx, model.graph(), opset, bufferName, options);
  return importer.importGraph();
}

OwningOpRef<ModuleOp> qnn::importONNXModel(StringRef path, MLIRContext *ctx,
                                           const ImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (std::error_code error = buffer.getError()) {
    emitError(FileLineColLoc::get(ctx, path, 0, 0))
        << "cannot read '" << path << "': " << error.message();
    return nullptr;
  }
  return importONNXModelFromBuffer((*buffer)->getBuffer(), path, ctx, options);
}
