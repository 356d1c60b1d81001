//===- HostTensor.cpp - Constant ONNX tensors held by the importer --------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "HostTensor.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Endian.h"

#include "onnx/onnx_pb.h"

#include <cstring>

using namespace mlir;
using namespace qnn::onnx_import;

StringRef qnn::onnx_import::stringifyElemKind(ElemKind kind) {
  switch (kind) {
  case ElemKind::Float:
    return "FLOAT";
  case ElemKind::Int8:
    return "INT8";
  case ElemKind::UInt8:
    return "UINT8";
  case ElemKind::Int32:
    return "INT32";
  case ElemKind::Int64:
    return "INT64";
  case ElemKind::Bool:
    return "BOOL";
  }
  llvm_unreachable("unknown element kind");
}

std::string qnn::onnx_import::stringifyONNXDataType(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

std::optional<ElemKind> qnn::onnx_import::getElemKind(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return ElemKind::Float;
  case onnx::TensorProto::INT8:
    return ElemKind::Int8;
  case onnx::TensorProto::UINT8:
    return ElemKind::UInt8;
  case onnx::TensorProto::INT32:
    return ElemKind::Int32;
  case onnx::TensorProto::INT64:
    return ElemKind::Int64;
  case onnx::TensorProto::BOOL:
    return ElemKind::Bool;
  default:
    return std::nullopt;
  }
}

Type qnn::onnx_import::getMLIRElementType(ElemKind kind, MLIRContext *ctx) {
  switch (kind) {
  case ElemKind::Float:
    return Float32Type::get(ctx);
  case ElemKind::Int8:
  case ElemKind::UInt8:
    return IntegerType::get(ctx, 8);
  case ElemKind::Int32:
    return IntegerType::get(ctx, 32);
  case ElemKind::Int64:
    return IntegerType::get(ctx, 64);
  case ElemKind::Bool:
    return IntegerType::get(ctx, 1);
  }
  llvm_unreachable("unknown element kind");
}

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double HostTensor::getDouble(int64_t i) const {
  return isFloat() ? static_cast<double>(floats[i])
                   : static_cast<double>(ints[i]);
}

/// Bytes per element in ONNX raw_data.
static size_t getRawElementSize(ElemKind kind) {
  switch (kind) {
  case ElemKind::Float:
  case ElemKind::Int32:
    return 4;
  case ElemKind::Int8:
  case ElemKind::UInt8:
  case ElemKind::Bool:
    return 1;
  case ElemKind::Int64:
    return 8;
  }
  llvm_unreachable("unknown element kind");
}

/// Reads element `i` of little-endian raw data as an integer.
static int64_t readRawInt(const char *data, ElemKind kind, size_t i) {
  using namespace llvm::support;
  switch (kind) {
  case ElemKind::Int8:
    return static_cast<int8_t>(data[i]);
  case ElemKind::UInt8:
    return static_cast<uint8_t>(data[i]);
  case ElemKind::Bool:
    return data[i] != 0;
  case ElemKind::Int32:
    return endian::read<int32_t, llvm::endianness::little>(data + 4 * i);
  case ElemKind::Int64:
    return endian::read<int64_t, llvm::endianness::little>(data + 8 * i);
  case ElemKind::Float:
    break;
  }
  llvm_unreachable("not an integer kind");
}

FailureOr<HostTensor> qnn::onnx_import::decodeTensor(
    const onnx::TensorProto &proto,
    llvm::function_ref<InFlightDiagnostic()> emitError) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0)
    return emitError() << "uses external data, which is not supported (save "
                          "the model with its tensors inside the file)";
  if (proto.has_segment())
    return emitError() << "is segmented, which is not supported";
  std::optional<ElemKind> kind = getElemKind(proto.data_type());
  if (!kind)
    return emitError() << "has unsupported element type "
                       << stringifyONNXDataType(proto.data_type());

  HostTensor tensor;
  tensor.kind = *kind;
  uint64_t numElements = 1;
  for (int64_t dim : proto.dims()) {
    if (dim < 0)
      return emitError() << "has a negative dimension " << dim;
    if (dim != 0 && numElements > (uint64_t(1) << 40) / uint64_t(dim))
      return emitError() << "is too large";
    numElements *= dim;
    tensor.shape.push_back(dim);
  }

  auto resize = [&] {
    if (tensor.isFloat())
      tensor.floats.resize(numElements);
    else
      tensor.ints.resize(numElements);
  };

  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    uint64_t expected = numElements * getRawElementSize(*kind);
    if (raw.size() != expected)
      return emitError() << "holds " << raw.size()
                         << " bytes of raw data, expected " << expected
                         << " for " << numElements << " "
                         << stringifyElemKind(*kind) << " elements";
    resize();
    for (uint64_t i = 0; i < numElements; ++i) {
      if (tensor.isFloat())
        tensor.floats[i] =
            llvm::support::endian::read<float, llvm::endianness::little>(
                raw.data() + 4 * i);
      else
        tensor.ints[i] = readRawInt(raw.data(), *kind, i);
    }
    return tensor;
  }

  // Typed fields: FLOAT in float_data, INT64 in int64_data, the narrower
  // integers and BOOL in int32_data.
  uint64_t count = tensor.isFloat()           ? proto.float_data_size()
                   : *kind == ElemKind::Int64 ? proto.int64_data_size()
                                              : proto.int32_data_size();
  if (count != numElements)
    return emitError() << "holds " << count << " " << stringifyElemKind(*kind)
                       << " values, expected " << numElements;
  resize();
  for (uint64_t i = 0; i < numElements; ++i) {
    if (tensor.isFloat())
      tensor.floats[i] = proto.float_data(i);
    else if (*kind == ElemKind::Int64)
      tensor.ints[i] = proto.int64_data(i);
    else
      tensor.ints[i] = proto.int32_data(i);
  }
  return tensor;
}

/// Moves elements of `in` (shape `shape`) into `out` transposed by `perm`.
template <typename T>
static void permuteElements(const std::vector<T> &in, std::vector<T> &out,
                            ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  size_t rank = shape.size();
  out.resize(in.size());
  if (in.empty())
    return;
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = static_cast<int64_t>(rank) - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * shape[d + 1];
  SmallVector<int64_t> outShape, strides;
  for (int64_t p : perm) {
    outShape.push_back(shape[p]);
    strides.push_back(inStrides[p]);
  }
  // Walk the result in row-major order, carrying the source offset.
  SmallVector<int64_t> index(rank, 0);
  int64_t offset = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = in[offset];
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++index[d] < outShape[d]) {
        offset += strides[d];
        break;
      }
      offset -= strides[d] * (outShape[d] - 1);
      index[d] = 0;
    }
  }
}

HostTensor qnn::onnx_import::permuteTensor(const HostTensor &tensor,
                                           ArrayRef<int64_t> perm) {
  HostTensor result;
  result.kind = tensor.kind;
  for (int64_t p : perm)
    result.shape.push_back(tensor.shape[p]);
  if (tensor.isFloat())
    permuteElements(tensor.floats, result.floats, tensor.shape, perm);
  else
    permuteElements(tensor.ints, result.ints, tensor.shape, perm);
  return result;
}

/// A resource blob of `values` narrowed to T.
template <typename T>
static AsmResourceBlob makeBlob(const std::vector<int64_t> &values) {
  std::vector<T> narrow(values.begin(), values.end());
  return HeapAsmResourceBlob::allocateAndCopyInferAlign<T>(narrow);
}

ElementsAttr qnn::onnx_import::buildElementsAttr(const HostTensor &tensor,
                                                 StringRef blobName,
                                                 MLIRContext *ctx) {
  Type elementType = getMLIRElementType(tensor.kind, ctx);
  auto type = RankedTensorType::get(tensor.shape, elementType);

  if (tensor.getNumElements() > 1 && tensor.kind != ElemKind::Bool) {
    AsmResourceBlob blob;
    switch (tensor.kind) {
    case ElemKind::Float:
      blob =
          HeapAsmResourceBlob::allocateAndCopyInferAlign<float>(tensor.floats);
      break;
    case ElemKind::Int8:
    case ElemKind::UInt8:
      blob = makeBlob<int8_t>(tensor.ints);
      break;
    case ElemKind::Int32:
      blob = makeBlob<int32_t>(tensor.ints);
      break;
    case ElemKind::Int64:
      blob = makeBlob<int64_t>(tensor.ints);
      break;
    case ElemKind::Bool:
      llvm_unreachable("bool tensors are inline");
    }
    return DenseResourceElementsAttr::get(type, blobName, std::move(blob));
  }

  if (tensor.isFloat())
    return DenseElementsAttr::get(type, ArrayRef<float>(tensor.floats));
  unsigned width = elementType.getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (int64_t v : tensor.ints)
    values.push_back(APInt(width, static_cast<uint64_t>(v),
                           /*isSigned=*/tensor.kind != ElemKind::UInt8 &&
                               tensor.kind != ElemKind::Bool,
                           /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}
