//===- HostTensor.h - Constant ONNX tensors on the host ---------*- C++ -*-===//
//
// Part of quant-opt. Initializers and Constant nodes are decoded into host
// memory first: the importer permutes them into the layout their user needs
// (conv filters OIHW -> [O, KH, KW, I]), folds scalars into them (Gemm's
// alpha and beta, Sub's negation) and reads shapes and bounds from them, and
// only then turns them into `arith.constant`s.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H
#define QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace qnn::onnx_import {

/// The ONNX element types the importer reads.
enum class ElemKind { Float, Int8, UInt8, Int32, Int64, Bool };

/// The ONNX spelling of `kind` ("FLOAT", "INT8", ...).
llvm::StringRef stringifyElemKind(ElemKind kind);

/// The ONNX name of a `TensorProto::DataType` value ("DOUBLE", "FLOAT16"),
/// or its number for values this version of ONNX does not know.
std::string stringifyONNXDataType(int32_t dataType);

/// The kind of an ONNX data type, or nullopt for one the importer does not
/// read.
std::optional<ElemKind> getElemKind(int32_t dataType);

/// The MLIR element type of `kind`: f32, or a signless integer of the ONNX
/// width (u8 values are stored as their bit pattern in i8, the storage type
/// of `!quant.uniform<u8:...>`), i1 for BOOL.
mlir::Type getMLIRElementType(ElemKind kind, mlir::MLIRContext *ctx);

/// A dense, row-major tensor in host memory. Floats live in `floats`, every
/// integer kind widened to int64 in `ints`.
struct HostTensor {
  ElemKind kind = ElemKind::Float;
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<float> floats;
  std::vector<int64_t> ints;

  bool isFloat() const { return kind == ElemKind::Float; }
  int64_t getNumElements() const;
  /// Element `i` as a double, whatever the kind.
  double getDouble(int64_t i) const;
};

/// Decodes `proto` (raw_data or the typed fields float_data, int32_data,
/// int64_data). External data, segments, other element types, negative
/// dimensions and data sizes that disagree with the dimensions are errors,
/// reported through `emitError`.
mlir::FailureOr<HostTensor>
decodeTensor(const onnx::TensorProto &proto,
             llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// The tensor transposed by `perm`: `result.shape[d] = shape[perm[d]]`.
HostTensor permuteTensor(const HostTensor &tensor,
                         llvm::ArrayRef<int64_t> perm);

/// The elements attribute holding `tensor` with element type
/// getMLIRElementType(kind). Tensors of more than one element become a
/// `dense_resource` blob whose key is `blobName` (made unique by the context),
/// so that weights never print element by element; single elements are
/// inline `dense` attributes.
mlir::ElementsAttr buildElementsAttr(const HostTensor &tensor,
                                     llvm::StringRef blobName,
                                     mlir::MLIRContext *ctx);

} // namespace qnn::onnx_import

#endif // QNN_LIB_IMPORT_ONNX_HOSTTENSOR_H
