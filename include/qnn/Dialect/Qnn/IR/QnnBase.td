//===- QnnBase.td - qnn dialect definition and enums -------*- tablegen -*-===//
//
// Part of quant-opt. The qnn dialect: quantizable neural-network ops.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNBASE_TD
#define QNN_DIALECT_QNN_IR_QNNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Qnn_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::qnn";
  let summary = "Quantizable neural-network ops for post-training quantization";
  let description = [{
    The `qnn` dialect holds the layers of a neural network in a form that the
    quant-opt pipeline can make quantization-friendly, quantize, fold into
    integer arithmetic and lower to linalg.

    Conventions shared by every op:

    * Value semantics on ranked tensors.
    * Activations are NHWC; weights put the output channel first
      (`[O, KH, KW, I/groups]` for convolutions, `[O, K]` for dense layers),
      so that the per-channel quantization axis is always 0.
    * Each op exists in up to three numeric forms, never mixed within one op:
      1. **F**, the float form: `f32` elements;
      2. **Q**, the quantized form: upstream `!quant.uniform` elements
         (per-tensor; per-axis along axis 0 for weights and biases only);
      3. **I**, the integer form: signless (signed) or unsigned integer
         elements, produced by `--fold-scales`, where every scale lives in a
         `qnn.requantize`.
      Each op's description says which forms it accepts.
    * Quantized element types are checked beyond what the `quant` dialect
      checks: scales positive and finite, zero points inside the storage
      range, the expressed type `f32`, per-axis types along axis 0 with one
      scale per output channel.
    * Tensor names from the importer are carried as `NameLoc`s; calibration
      statistics are matched by these names.

    Numerics of the quantized forms are specified in `docs/Numerics.md`.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let extraClassDeclaration = [{
    /// Registers the attributes of QnnAttrs.td (defined in QnnAttrs.cpp).
    void registerAttributes();
  }];
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Qnn_ActivationKind : I32EnumAttr<"ActivationKind",
    "activation function applied to a layer's output", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Relu", 1, "relu">,
      I32EnumAttrCase<"Relu6", 2, "relu6">,
      I32EnumAttrCase<"Clamp", 3, "clamp">
    ]> {
  let cppNamespace = "::qnn";
  let genSpecializedAttr = 0;
}

def Qnn_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of fixed-point requantization", [
      // TFLite/gemmlowp: SaturatingRoundingDoublingHighMul, then
      // RoundingDivideByPOT (TOSA DOUBLE_ROUND).
      I32EnumAttrCase<"Double", 0, "double">,
      // One round-half-up of the 64-bit product (TOSA SINGLE_ROUND).
      I32EnumAttrCase<"Single", 1, "single">
    ]> {
  let cppNamespace = "::qnn";
  let genSpecializedAttr = 0;
}
def Qnn_RoundingModeAttr : EnumAttr<Qnn_Dialect, Qnn_RoundingMode, "rounding"> {
  let assemblyFormat = "$value";
}

def Qnn_PadMode : I32EnumAttr<"PadMode", "how qnn.pad fills the border", [
      I32EnumAttrCase<"Constant", 0, "constant">,
      I32EnumAttrCase<"Reflect", 1, "reflect">,
      I32EnumAttrCase<"Edge", 2, "edge">
    ]> {
  let cppNamespace = "::qnn";
  let genSpecializedAttr = 0;
}
def Qnn_PadModeAttr : EnumAttr<Qnn_Dialect, Qnn_PadMode, "pad_mode"> {
  let assemblyFormat = "$value";
}

def Qnn_PoolDivisor : I32EnumAttr<"PoolDivisor",
    "what qnn.avg_pool2d divides a window's sum by", [
      // The number of window elements inside the unpadded input.
      I32EnumAttrCase<"ExcludePad", 0, "exclude_pad">,
      // KH * KW, padding included (ONNX count_include_pad = 1).
      I32EnumAttrCase<"IncludePad", 1, "include_pad">
    ]> {
  let cppNamespace = "::qnn";
  let genSpecializedAttr = 0;
}
def Qnn_PoolDivisorAttr : EnumAttr<Qnn_Dialect, Qnn_PoolDivisor, "divisor"> {
  let assemblyFormat = "$value";
}

#endif // QNN_DIALECT_QNN_IR_QNNBASE_TD
