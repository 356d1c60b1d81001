//===- QuantTypeUtils.h - Numeric forms and quantized types ------*- C++ -*-===//
//
// Part of quant-opt. Plain helpers over element types, shared by the qnn
// verifiers and the passes, and reachable from unit tests without ops.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_QUANTTYPEUTILS_H
#define QNN_DIALECT_QNN_UTILS_QUANTTYPEUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace qnn {

/// The three numeric forms of a qnn op (see the dialect description).
enum class NumericForm {
  /// f32 elements.
  Float,
  /// !quant.uniform elements (per-tensor or per-axis).
  Quantized,
  /// Integer elements: signless integers are signed, `uiN` unsigned.
  Integer,
};

/// Returns the form an element type belongs to, or nullopt for a type of no
/// form (e.g. f16, index, !quant.calibrated).
std::optional<NumericForm> getNumericForm(mlir::Type elementType);

/// "float", "quantized" or "integer".
llvm::StringRef stringifyNumericForm(NumericForm form);

/// The closed range of integers representable in `type`: signless types are
/// read as two's complement, `uiN` as unsigned. Widths up to 64 bits.
std::pair<int64_t, int64_t> getIntegerRange(mlir::IntegerType type);

/// True when `value` is representable in `type` (see getIntegerRange).
bool fitsIntegerType(int64_t value, mlir::IntegerType type);

/// Checks what the quant dialect leaves unchecked or only asserts: the type
/// is `!quant.uniform` (per-tensor or per-axis) with an f32 expressed type,
/// every scale is positive and finite, and every zero point lies in the
/// storage range. Emits one error naming the offending value.
llvm::LogicalResult
verifyQuantizedType(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
                    mlir::quant::QuantizedType type);

/// Checks a per-axis type used as a weight or bias with `numChannels`
/// output channels: quantized along axis 0 with one scale per channel.
/// `what` names the operand in the message ("filter", "bias").
llvm::LogicalResult verifyPerAxisChannels(
    llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
    mlir::quant::UniformQuantizedPerAxisType type, int64_t numChannels,
    llvm::StringRef what);

/// The storage width in bits of an integer or quantized element type, or 0
/// for any other type.
unsigned getStorageWidth(mlir::Type elementType);

/// The shortest decimal form of `value` that reads back to the same double
/// ("0.5", "-2", "1e-10", "nan"): what diagnostics print for real numbers.
std::string formatReal(double value);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_QUANTTYPEUTILS_H
