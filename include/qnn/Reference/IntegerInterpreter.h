//===- IntegerInterpreter.h - Plain C++ reference of the I-level program -*- C++ -*-===//
//
// Part of quant-opt. A reference interpreter of the integer (I-level) qnn
// program that `quant-opt --quantize --fold-scales --fixed-point-requant`
// produces. MLIR is used only to parse the module and to read the ops and
// their attributes once, when the interpreter is created; every op's
// arithmetic is a plain C++ loop written from the documented semantics
// (docs/Numerics.md, the op descriptions of QnnOps.td), independent of the
// lowering in lib/Conversion. Fixed-point double rounding calls gemmlowp's
// own SaturatingRoundingDoublingHighMul and RoundingDivideByPOT.
//
// Tests compare the JIT-compiled program (quant-run) with this reference bit
// for bit; docs/Reference.md lists the ops and the exact rules.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REFERENCE_INTEGERINTERPRETER_H
#define QNN_REFERENCE_INTEGERINTERPRETER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace qnn::reference {

/// Element types of the entry function's arguments and results. Quantized
/// (`!quant.uniform`) arguments and results use their storage type.
enum class ElementKind { F32, I8, U8, I16, I32, I64 };

/// "float32", "int8", ...: NumPy's names.
llvm::StringRef getElementKindName(ElementKind kind);

/// A dense row-major tensor: `floats` holds the elements of an F32 tensor,
/// `ints` those of every integer kind (the other vector is empty).
struct Tensor {
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t> shape;
  std::vector<float> floats;
  std::vector<int64_t> ints;

  int64_t numElements() const;
  bool isFloat() const { return kind == ElementKind::F32; }
  /// "int8[1, 6]", for messages.
  std::string describe() const;

  static Tensor makeFloat(llvm::ArrayRef<int64_t> shape,
                          std::vector<float> values);
  static Tensor makeInt(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                        std::vector<int64_t> values);
};

/// The type of an argument or result of the entry function.
struct TensorSignature {
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements() const;
  std::string describe() const;
};

class IntegerInterpreter {
public:
  /// Reads `entry` of `module` (a func.func with one block and static ranked
  /// tensor arguments and results): checks every op that contributes to a
  /// result, reads its attributes, and evaluates once the ops whose operands
  /// are all constants (weights, their quant.scast). Ops whose results are
  /// unused are skipped. An unsupported op or type is an error naming the
  /// op and its location. The interpreter keeps no reference to the module.
  static llvm::Expected<std::unique_ptr<IntegerInterpreter>>
  create(mlir::ModuleOp module, llvm::StringRef entry);

  ~IntegerInterpreter();

  llvm::ArrayRef<TensorSignature> getInputs() const { return inputs; }
  llvm::ArrayRef<TensorSignature> getOutputs() const { return outputs; }

  /// Runs the entry function. The inputs must match getInputs() in kind and
  /// shape, and integer values must fit their kind. Errors at run time (an
  /// i32 accumulator or sum that overflows, NaN into quant.qcast) name the
  /// op. Safe to call concurrently.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs) const;

  struct Program;

private:
  IntegerInterpreter();
  std::unique_ptr<Program> program;
  std::vector<TensorSignature> inputs, outputs;
};

} // namespace qnn::reference

#endif // QNN_REFERENCE_INTEGERINTERPRETER_H
