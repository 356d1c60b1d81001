//===- GraphImporter.h - One ONNX graph to one func.func --------*- C++ -*-===//
//
// Part of quant-opt. The importer walks the nodes of an ONNX graph in
// topological order and emits qnn ops into one function. It keeps, for every
// ONNX tensor name, either an SSA value together with the layout it is held
// in (NHWC for 4-D activations, see Layout.h), or a lazy constant that
// becomes IR only when used, in the layout its user needs.
//
// The handlers of the individual ONNX ops live in ConvPoolOps.cpp,
// ElementwiseOps.cpp, LinearOps.cpp, ShapeOps.cpp and QuantOps.cpp; the
// value table in ValueTable.cpp; the driver in GraphImporter.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "Attributes.h"
#include "HostTensor.h"
#include "Layout.h"

#include "qnn/Import/ONNX/ImportONNX.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace onnx {
class GraphProto;
class NodeProto;
} // namespace onnx

namespace qnn::onnx_import {

/// The parameters of a QuantizeLinear or DequantizeLinear: storage type,
/// scales and zero points, and the quantized ONNX dimension (-1 for per
/// tensor).
struct QuantParams {
  unsigned width = 8;
  bool isSigned = false;
  llvm::SmallVector<double, 1> scales;
  llvm::SmallVector<int64_t, 1> zeroPoints;
  int64_t axis = -1;

  bool operator==(const QuantParams &other) const {
    return width == other.width && isSigned == other.isSigned &&
           scales == other.scales && zeroPoints == other.zeroPoints &&
           axis == other.axis;
  }
};

/// A constant tensor, or a chain of quant casts over one, that becomes IR
/// only when an op uses it (and then once per layout asked for).
struct LazyConstant {
  enum class Kind {
    /// Host data: an initializer, a Constant node or a folded constant.
    Data,
    /// quant.qcast of `operand` (QuantizeLinear of a constant).
    Quantize,
    /// quant.scast of `operand` to `params` (DequantizeLinear of an integer
    /// initializer reads its stored values with the DequantizeLinear's
    /// parameters).
    StorageCast,
    /// quant.dcast of `operand` (DequantizeLinear).
    Dequantize,
  };
  Kind kind = Kind::Data;
  /// The ONNX tensor name: the location and resource key of what it becomes.
  std::string name;
  std::shared_ptr<const HostTensor> data;
  std::shared_ptr<const LazyConstant> operand;
  QuantParams params;

  llvm::ArrayRef<int64_t> getShape() const {
    return kind == Kind::Data ? llvm::ArrayRef<int64_t>(data->shape)
                              : operand->getShape();
  }
};
using LazyConstantPtr = std::shared_ptr<const LazyConstant>;

/// What the importer holds for one ONNX tensor.
struct TensorValue {
  /// An SSA value holding the tensor in `layout`...
  mlir::Value value;
  Layout layout;
  /// ... or a constant, materialized on use.
  LazyConstantPtr constant;
  /// The ONNX shape (the held shape is `permute(shape, layout)`).
  llvm::SmallVector<int64_t, 4> shape;

  int64_t getRank() const { return shape.size(); }
};

/// The numeric class of a tensor, as the ONNX ops see it.
enum class TensorClass { Float, Quantized, Integer, Other };

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext *ctx, const onnx::GraphProto &graph,
                int64_t opset, llvm::StringRef fileName,
                const ImportOptions &options);

  /// Imports the whole graph; null after an error has been reported.
  mlir::OwningOpRef<mlir::ModuleOp> importGraph();

  //===--------------------------------------------------------------------===//
  // Diagnostics and locations (GraphImporter.cpp)
  //===--------------------------------------------------------------------===//

  /// An error at the model file.
  mlir::InFlightDiagnostic emitFileError();
  /// An error naming the node being imported: "node 'n' (Op): ...".
  mlir::InFlightDiagnostic emitNodeError();

  /// `loc("name")`: the location of whatever defines ONNX tensor `name`.
  mlir::Location getNameLoc(llvm::StringRef name);
  /// `loc("name#role")`: an op the importer adds on the way to (or from)
  /// tensor `name` that is no ONNX tensor itself.
  mlir::Location getAuxLoc(llvm::StringRef name, llvm::StringRef role);

  //===--------------------------------------------------------------------===//
  // The current node's inputs and outputs (ValueTable.cpp)
  //===--------------------------------------------------------------------===//

  const onnx::NodeProto &getNode() const { return *currentNode; }
  int64_t getOpset() const { return opset; }
  mlir::MLIRContext *getContext() { return ctx; }
  mlir::OpBuilder &getBuilder() { return builder; }

  /// True when input `i` is present (optional inputs may be missing or "").
  bool hasInput(unsigned i) const;
  llvm::StringRef getInputName(unsigned i) const;
  llvm::StringRef getOutputName(unsigned i) const;
  /// True when output `i` exists and some node or graph output reads it.
  bool isOutputUsed(unsigned i) const;
  /// Fails unless the node has between `min` and `max` inputs (counting
  /// trailing optional ones) and at least one output.
  llvm::LogicalResult checkArity(unsigned min, unsigned max);

  /// The tensor read as input `i`.
  mlir::FailureOr<const TensorValue *> getInput(unsigned i);
  /// Input `i` as an SSA value held in `layout`, which must have the input's
  /// rank: constants are materialized in that layout, other values
  /// transposed (once, then reused).
  mlir::FailureOr<mlir::Value> getInputValue(unsigned i,
                                             llvm::ArrayRef<int64_t> layout);
  /// As getInputValue, failing unless the input is a float tensor (a
  /// QuantizeLinear result must pass through DequantizeLinear first).
  mlir::FailureOr<mlir::Value>
  getFloatInputValue(unsigned i, llvm::ArrayRef<int64_t> layout);
  /// The host data of input `i`, which must be an initializer or a Constant
  /// (`what` describes the input in the error otherwise).
  mlir::FailureOr<const HostTensor *> getConstantInput(unsigned i,
                                                       llvm::StringRef what);

  /// The tensor `value` in `layout`: see getInputValue; `name` is its ONNX
  /// name, for the locations of the added ops.
  mlir::FailureOr<mlir::Value> getValueIn(const TensorValue &value,
                                          llvm::StringRef name,
                                          llvm::ArrayRef<int64_t> layout);
  /// Emits IR for `constant` held in `layout` (cached per layout).
  mlir::Value materialize(const LazyConstantPtr &constant,
                          llvm::ArrayRef<int64_t> layout);

  TensorClass classify(const TensorValue &value) const;
  /// The layout an op without a layout of its own (elementwise, pad,
  /// concat, softmax, quantize) computes `value` in: the held layout, except
  /// that 4-D function arguments and constants go to NHWC.
  Layout getPreferredLayout(const TensorValue &value) const;
  /// The layout for such an op with `operands` and a result of rank `rank`:
  /// the preferred layout of the first non-constant operand of that rank;
  /// otherwise NHWC at rank 4 and the ONNX order elsewhere.
  Layout chooseLayout(llvm::ArrayRef<const TensorValue *> operands,
                      int64_t rank) const;

  /// Records output `i` as `value` held in `layout` with ONNX shape `shape`.
  void defineOutput(unsigned i, mlir::Value value,
                    llvm::ArrayRef<int64_t> layout,
                    llvm::ArrayRef<int64_t> shape);
  /// Records output `i` as a lazy constant.
  void defineOutputConstant(unsigned i, LazyConstantPtr constant);
  /// Output `i` is the tensor `value` (Identity, Dropout).
  void aliasOutput(unsigned i, const TensorValue &value);
  /// A Data lazy constant named after output `i`.
  LazyConstantPtr makeConstant(llvm::StringRef name, HostTensor tensor);

  //===--------------------------------------------------------------------===//
  // IR helpers (ValueTable.cpp)
  //===--------------------------------------------------------------------===//

  /// The quantized element type of `params` for a tensor held in `layout`;
  /// null after reporting an error through emitNodeError.
  mlir::quant::QuantizedType getQuantizedType(const QuantParams &params,
                                              llvm::ArrayRef<int64_t> layout,
                                              bool reportErrors);
  /// `qnn.transpose` of `value` by `perm` (a `qnn.reshape` when only unit
  /// dimensions move, nothing for the identity). Fails for per-axis
  /// quantized values, whose quantized dimension would move.
  mlir::FailureOr<mlir::Value> createTranspose(mlir::Value value,
                                               llvm::ArrayRef<int64_t> perm,
                                               mlir::Location loc);
  /// `qnn.reshape` of `value` to `shape` (nothing when equal).
  mlir::Value createReshape(mlir::Value value, llvm::ArrayRef<int64_t> shape,
                            mlir::Location loc);
  /// A rank-0 f32 constant.
  mlir::Value createScalar(float value, mlir::Location loc);
  /// The ONNX tensor `value` as a value of ONNX shape `shape` in the ONNX
  /// order (Reshape, Flatten): a plain reshape when the held layout keeps
  /// the ONNX element order, a transpose back to the ONNX order first
  /// otherwise.
  mlir::FailureOr<mlir::Value> reshapeTensor(const TensorValue &value,
                                             llvm::StringRef name,
                                             llvm::ArrayRef<int64_t> shape,
                                             mlir::Location loc);

  //===--------------------------------------------------------------------===//
  // Op handlers
  //===--------------------------------------------------------------------===//

  // ConvPoolOps.cpp
  llvm::LogicalResult importConv(NodeAttributes &attrs);
  llvm::LogicalResult importAveragePool(NodeAttributes &attrs);
  llvm::LogicalResult importMaxPool(NodeAttributes &attrs);
  llvm::LogicalResult importGlobalAveragePool(NodeAttributes &attrs);
  llvm::LogicalResult importBatchNormalization(NodeAttributes &attrs);
  // ElementwiseOps.cpp
  llvm::LogicalResult importAdd(NodeAttributes &attrs);
  llvm::LogicalResult importSub(NodeAttributes &attrs);
  llvm::LogicalResult importMul(NodeAttributes &attrs);
  llvm::LogicalResult importRelu(NodeAttributes &attrs);
  llvm::LogicalResult importClip(NodeAttributes &attrs);
  llvm::LogicalResult importIdentity(NodeAttributes &attrs);
  llvm::LogicalResult importDropout(NodeAttributes &attrs);
  // LinearOps.cpp
  llvm::LogicalResult importGemm(NodeAttributes &attrs);
  llvm::LogicalResult importMatMul(NodeAttributes &attrs);
  // ShapeOps.cpp
  llvm::LogicalResult importConstant(NodeAttributes &attrs);
  llvm::LogicalResult importFlatten(NodeAttributes &attrs);
  llvm::LogicalResult importReshape(NodeAttributes &attrs);
  llvm::LogicalResult importTranspose(NodeAttributes &attrs);
  llvm::LogicalResult importConcat(NodeAttributes &attrs);
  llvm::LogicalResult importPad(NodeAttributes &attrs);
  llvm::LogicalResult importSoftmax(NodeAttributes &attrs);
  // QuantOps.cpp
  llvm::LogicalResult importQuantizeLinear(NodeAttributes &attrs);
  llvm::LogicalResult importDequantizeLinear(NodeAttributes &attrs);

private:
  /// Elementwise Add, Sub (`negateRhs`) and Mul.
  llvm::LogicalResult importBinary(bool isMul, bool negateRhs);
  /// Reads the QuantizeLinear/DequantizeLinear parameters from inputs 1 and
  /// 2 and the `axis` attribute, for an input of rank `rank`.
  mlir::FailureOr<QuantParams> readQuantParams(NodeAttributes &attrs,
                                               int64_t rank, bool allowInt32);
  /// readQuantParams for input `x`, checking that per-axis scales number
  /// its quantized dimension.
  mlir::FailureOr<QuantParams> readAxisQuantParams(NodeAttributes &attrs,
                                                   const TensorValue &x,
                                                   bool allowInt32);

  // GraphImporter.cpp
  llvm::LogicalResult importInitializers();
  llvm::LogicalResult importInputs();
  llvm::LogicalResult sortNodes(std::vector<const onnx::NodeProto *> &order);
  llvm::LogicalResult importNode(const onnx::NodeProto &node);
  llvm::LogicalResult importOutputs();

  mlir::MLIRContext *ctx;
  const onnx::GraphProto &graph;
  int64_t opset;
  std::string fileName;
  ImportOptions options;
  mlir::OpBuilder builder;
  mlir::Location fileLoc;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp func;
  /// The last op of the function prologue: the layout conversions of the
  /// arguments, kept at the top of the function.
  mlir::Operation *lastPrologueOp = nullptr;
  const onnx::NodeProto *currentNode = nullptr;

  llvm::StringMap<TensorValue> values;
  /// Names read by some node or graph output.
  llvm::StringSet<> usedNames;
  std::map<std::pair<const LazyConstant *, std::vector<int64_t>>, mlir::Value>
      materialized;
  std::map<std::pair<const void *, std::vector<int64_t>>, mlir::Value>
      converted;
};

} // namespace qnn::onnx_import

#endif // QNN_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
