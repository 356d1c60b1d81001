//===- QnnAttrs.td - qnn structured attributes -------------*- tablegen -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNATTRS_TD
#define QNN_DIALECT_QNN_IR_QNNATTRS_TD

include "qnn/Dialect/Qnn/IR/QnnBase.td"

class Qnn_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Qnn_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Qnn_PaddingAttr : Qnn_Attr<"Padding", "padding"> {
  let summary = "explicit, possibly asymmetric 2-D spatial padding";
  let description = [{
    Rows and columns added around the H and W dimensions of an NHWC tensor,
    in the order `[top, left, bottom, right]` (TensorFlow's 'SAME' padding of
    a stride-2 layer is typically `[0, 0, 1, 1]`).

    ```mlir
    padding = [0, 0, 1, 1]
    ```

    Constraints:
    1. every amount is non-negative.
  }];
  let parameters = (ins "int64_t":$top, "int64_t":$left, "int64_t":$bottom,
                        "int64_t":$right);
  // The leading space makes the full form `#qnn<padding [0, 0, 1, 1]>`.
  let assemblyFormat = "` ` `[` $top `,` $left `,` $bottom `,` $right `]`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True when no row or column is added.
    bool isZero() const {
      return getTop() == 0 && getLeft() == 0 && getBottom() == 0 &&
             getRight() == 0;
    }
  }];
}

def Qnn_ActivationAttr : Qnn_Attr<"Activation", "activation"> {
  let summary = "an activation function, possibly with per-channel bounds";
  let description = [{
    `none`, `relu` (max(x, 0)), `relu6` (min(max(x, 0), 6)) or
    `clamp(min = lo, max = hi)`, where `lo` and `hi` are either scalars or
    lists with one bound per channel (the last dimension of the tensor it
    applies to). Per-channel clamps appear when cross-layer equalization
    rescales a ReLU6 network: channel i is then clamped at `6 / s_i`.

    ```mlir
    activation = relu6
    activation = clamp(min = -1.0, max = 1.0)
    activation = clamp(min = [0.0, 0.0], max = [6.0, 3.5])
    ```

    Constraints:
    1. `none`, `relu` and `relu6` carry no bounds; `clamp` carries both;
    2. both bound lists have the same length, at least one;
    3. every bound is finite (no NaN, no infinity);
    4. for every channel, `min <= max`.
  }];
  // Bounds are dense arrays (empty when absent): LLVM has no hash of double.
  let parameters = (ins
    EnumParameter<Qnn_ActivationKind>:$kind,
    "::mlir::DenseF64ArrayAttr":$min,
    "::mlir::DenseF64ArrayAttr":$max);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "ActivationKind":$kind,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$min,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$max), [{
      return $_get($_ctxt, kind, ::mlir::DenseF64ArrayAttr::get($_ctxt, min),
                   ::mlir::DenseF64ArrayAttr::get($_ctxt, max));
    }]>
  ];
  let extraClassDeclaration = [{
    /// Number of per-channel bound pairs: 0 without bounds, 1 for scalar
    /// bounds, C for per-channel bounds.
    size_t getNumBounds() const { return getMin().size(); }
    /// The lower and upper bound applied to `channel`, including the implicit
    /// bounds of relu (0, +inf) and relu6 (0, 6); (-inf, +inf) for none.
    std::pair<double, double> getBounds(int64_t channel) const;
  }];
}

def Qnn_FixedPointMultiplierAttr : Qnn_Attr<"FixedPointMultiplier",
                                            "fixed_point"> {
  let summary = "per-channel fixed-point multipliers M = m0 * 2^(shift - 31)";
  let description = [{
    The integer form of a real multiplier `M`, after Jacob et al. 2018
    (section 2.2) and TFLite's `QuantizeMultiplier`: `m0` is a Q31 value in
    `[2^30, 2^31)` (or 0 for a zero multiplier) and `shift` a power-of-two
    exponent in `[-31, 30]`, so that `M = m0 * 2^(shift - 31)`. TOSA writes
    the same pair as `(m0, 31 - shift)`.

    ```mlir
    fixed_point = <m0 = [1073741824, 1431655765], shift = [0, -1]>
    ```

    Constraints:
    1. `m0` and `shift` have the same length, at least one;
    2. every `m0` is 0 or in `[2^30, 2^31)`;
    3. every `shift` is in `[-31, 30]`.
  }];
  let parameters = (ins ArrayRefParameter<"int32_t">:$m0,
                        ArrayRefParameter<"int32_t">:$shift);
  let assemblyFormat = "`<` `m0` `=` `[` $m0 `]` `,` `shift` `=` `[` $shift `]` `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The real multiplier m0 * 2^(shift - 31) of entry `i`.
    double getRealMultiplier(size_t i) const;
  }];
}

def Qnn_TensorStatsAttr : Qnn_Attr<"TensorStats", "stats"> {
  let summary = "calibration statistics of one tensor";
  let description = [{
    What calibration observed on a tensor: the number of samples, the
    global range, optionally a histogram over `hist_range` with equal-width
    bins, and optionally per-channel (last dimension) minimum, maximum and
    mean. The JSON schema these come from is `docs/CalibrationStats.md`.

    ```mlir
    #qnn.stats<count = 100, min = -1.5, max = 3.25,
               hist_range = [-1.5, 3.25], hist = [10.0, 80.0, 10.0],
               channel_min = [-1.5, 0.0], channel_max = [3.25, 1.0],
               channel_mean = [0.25, 0.5]>
    ```

    Constraints:
    1. `min`, `max` and every other number is finite; counts are non-negative;
    2. `min <= max`;
    3. a histogram has at least one bin, a range `lo < hi`, and no negative
       bin count;
    4. the per-channel lists are all present or all absent, have equal
       lengths, and `channel_min[c] <= channel_mean[c] <= channel_max[c]`.
  }];
  // Reals are APFloat (f64) and dense arrays (empty when absent): LLVM has
  // no hash of double.
  let parameters = (ins
    "uint64_t":$count, APFloatParameter<"">:$min, APFloatParameter<"">:$max,
    "::mlir::DenseF64ArrayAttr":$hist_range,
    "::mlir::DenseF64ArrayAttr":$hist,
    "::mlir::DenseF64ArrayAttr":$channel_min,
    "::mlir::DenseF64ArrayAttr":$channel_max,
    "::mlir::DenseF64ArrayAttr":$channel_mean);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "uint64_t":$count, "double":$min, "double":$max,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$hist_range,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$hist,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$channel_min,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$channel_max,
                     CArg<"::llvm::ArrayRef<double>", "{}">:$channel_mean), [{
      auto arr = [&](::llvm::ArrayRef<double> v) {
        return ::mlir::DenseF64ArrayAttr::get($_ctxt, v);
      };
      return $_get($_ctxt, count, ::llvm::APFloat(min), ::llvm::APFloat(max),
                   arr(hist_range), arr(hist), arr(channel_min),
                   arr(channel_max), arr(channel_mean));
    }]>
  ];
  let extraClassDeclaration = [{
    double getMinValue() const { return getMin().convertToDouble(); }
    double getMaxValue() const { return getMax().convertToDouble(); }
    bool hasHistogram() const { return !getHist().empty(); }
    bool hasChannelStats() const { return !getChannelMin().empty(); }
  }];
}

#endif // QNN_DIALECT_QNN_IR_QNNATTRS_TD
