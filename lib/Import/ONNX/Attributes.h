//===- Attributes.h - Checked access to ONNX node attributes ----*- C++ -*-===//
//
// Part of quant-opt. Every attribute a node carries must be read (or
// explicitly ignored) by the op's importer: an attribute nobody looked at is
// one whose meaning would be silently dropped, so it is an error naming it.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_ATTRIBUTES_H
#define QNN_LIB_IMPORT_ONNX_ATTRIBUTES_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <cstdint>
#include <functional>
#include <string>

namespace onnx {
class AttributeProto;
class NodeProto;
class TensorProto;
} // namespace onnx

namespace qnn::onnx_import {

/// The attributes of one node, read with type checks. Each getter leaves its
/// output untouched when the attribute is absent and fails, with a
/// diagnostic naming the node and the attribute, when it has another type.
class NodeAttributes {
public:
  using ErrorFn = std::function<mlir::InFlightDiagnostic()>;

  /// `emitError` starts a diagnostic that names the node.
  NodeAttributes(const onnx::NodeProto &node, ErrorFn emitError);

  bool has(llvm::StringRef name) const { return attrs.count(name); }

  llvm::LogicalResult getInt(llvm::StringRef name, int64_t &value);
  llvm::LogicalResult getFloat(llvm::StringRef name, float &value);
  llvm::LogicalResult getString(llvm::StringRef name, std::string &value);
  llvm::LogicalResult getInts(llvm::StringRef name,
                              llvm::SmallVectorImpl<int64_t> &values);
  llvm::LogicalResult getFloats(llvm::StringRef name,
                                llvm::SmallVectorImpl<float> &values);
  /// Sets `tensor` to the attribute's tensor (owned by the node).
  llvm::LogicalResult getTensor(llvm::StringRef name,
                                const onnx::TensorProto *&tensor);

  /// Marks `name` as deliberately ignored (e.g. BatchNormalization's
  /// momentum, which only matters in training).
  void ignore(llvm::StringRef name) { used.insert(name); }

  /// Fails, naming the first attribute that no getter read and that was not
  /// ignored.
  llvm::LogicalResult checkAllUsed();

private:
  /// The attribute `name` if it has `type`, null if absent; fails on a type
  /// mismatch.
  mlir::FailureOr<const onnx::AttributeProto *>
  lookup(llvm::StringRef name, int type, llvm::StringRef typeName);

  const onnx::NodeProto &node;
  ErrorFn emitError;
  llvm::StringMap<const onnx::AttributeProto *> attrs;
  llvm::StringSet<> used;
};

} // namespace qnn::onnx_import

#endif // QNN_LIB_IMPORT_ONNX_ATTRIBUTES_H
