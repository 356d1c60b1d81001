//===- Passes.td - qnn dialect transformations -------------*- tablegen -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ImportCalibration : Pass<"import-calibration", "::mlir::ModuleOp"> {
  let summary = "Attach calibration statistics from a file as qnn.stats";
  let description = [{
    Reads a statistics file (the project's JSON of
    `docs/CalibrationStats.md`, AIMET encodings, a TensorRT calibration
    cache or an ONNX Runtime calibration table; `format=auto` recognizes
    it) and attaches each entry to the values carrying its name: function
    arguments located at a `NameLoc` and single-result ops whose location
    is a `NameLoc` (or a `FusedLoc` whose first name it is), as the ONNX
    importer produces. Names match exactly: the importer's helper ops at
    `"<tensor>#<role>"` do not match `"<tensor>"`.

    A matched f32 value gets a `qnn.stats` right after it (at the top of
    the function for an argument), located at the same name, and every
    other use reads the `qnn.stats` result. A `qnn.stats` already on the
    value is updated in place, never stacked.

    ```mlir
    func.func @main(%x: tensor<1x8x8x4xf32> loc("input")) -> tensor<1x8x8x4xf32> {
      %y = qnn.activation %x kind = relu : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32> loc("relu_out")
      return %y : tensor<1x8x8x4xf32>
    }
    // with {"input": min -1, max 1; "relu_out": min 0, max 6} becomes
    func.func @main(%x: tensor<1x8x8x4xf32> loc("input")) -> tensor<1x8x8x4xf32> {
      %xs = qnn.stats %x <count = 0, min = -1.0, max = 1.0> : tensor<1x8x8x4xf32> loc("input")
      %y = qnn.activation %xs kind = relu : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32> loc("relu_out")
      %ys = qnn.stats %y <count = 0, min = 0.0, max = 6.0> : tensor<1x8x8x4xf32> loc("relu_out")
      return %ys : tensor<1x8x8x4xf32>
    }
    ```

    Entries naming weights (values computed from constants only) are not
    attached: weight ranges come from the weights themselves, and
    per-output-channel weight statistics do not fit the last-dimension
    convention of `qnn.stats`; a remark lists them.

    Names that do not match are reported in both directions: file entries
    no value carries, and named f32 activations (not weights, not `#`
    helpers) the file does not cover. With `on-missing=error` (the
    default) either is an error listing the first names and a count; with
    `on-missing=warn` they are warnings. Per-channel statistics whose
    length is not the value's last dimension are always errors. Everything
    is checked before anything changes: on error the module is untouched.
    The file's producer is kept in the module attribute
    `qnn.calibration_producer`, which `--export-calibration` writes back.
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"\"\"",
           "Statistics file to read">,
    Option<"format", "format", "std::string", /*default=*/"\"auto\"",
           "File format: auto, qnn, aimet, tensorrt or ort">,
    Option<"onMissing", "on-missing", "std::string", /*default=*/"\"error\"",
           "Unmatched names in either direction: error or warn">
  ];
  let dependentDialects = ["::qnn::QnnDialect"];
  let statistics = [
    Statistic<"numMatchedEntries", "num-matched-entries",
              "File entries attached to at least one value">,
    Statistic<"numAnnotatedValues", "num-annotated-values",
              "Values given qnn.stats">,
    Statistic<"numReplacedStats", "num-replaced-stats",
              "Existing qnn.stats updated in place">,
    Statistic<"numWeightEntries", "num-weight-entries",
              "File entries naming weights, not attached">,
    Statistic<"numUnmatchedEntries", "num-unmatched-entries",
              "File entries that name no value">,
    Statistic<"numMissingValues", "num-missing-values",
              "Named f32 activations without statistics in the file">
  ];
}

def ExportCalibration : Pass<"export-calibration", "::mlir::ModuleOp"> {
  let summary = "Write the statistics of every qnn.stats to a file";
  let description = [{
    Collects every `qnn.stats` op, named by its location (`loc("name")`,
    or the first name of a `FusedLoc`), into a table and writes it as the
    project's calibration JSON (`docs/CalibrationStats.md`): sorted names
    and keys, doubles in their shortest exact form, written to a temporary
    file that is renamed into place, so the file is whole or absent. The
    IR is not changed.

    ```mlir
    %s = qnn.stats %y <count = 8, min = 0.0, max = 6.0> : tensor<1x8x8x4xf32> loc("relu_out")
    ```
    becomes
    ```json
    {
      "format": "qnn-calibration",
      "producer": "quant-opt",
      "tensors": {
        "relu_out": {
          "count": 8,
          "max": 6,
          "min": 0
        }
      },
      "version": 1
    }
    ```

    The producer is the module's `qnn.calibration_producer` attribute when
    present (set by `--import-calibration`), else "quant-opt"; importing a
    qnn-format file and exporting it therefore reproduces it byte for byte.
    A `qnn.stats` without a name, or two with one name but different
    statistics, is an error and nothing is written.
  }];
  let options = [
    Option<"file", "file", "std::string", /*default=*/"\"\"",
           "Statistics file to write">
  ];
  let statistics = [
    Statistic<"numExported", "num-exported", "Tensors written">
  ];
}

def FixedPointRequant : Pass<"fixed-point-requant"> {
  let summary = "Turn qnn.requantize float scales into fixed-point multipliers";
  let description = [{
    Rewrites every `qnn.requantize` that carries a float `scale` into the
    fixed-point form: each multiplier becomes `(m0, shift)` with
    `M = m0 * 2^(shift - 31)` by TFLite's `QuantizeMultiplier` (frexp, m0
    rounded half away from zero, the 2^31 carry, multipliers below about
    2^-32 flushed to 0; `qnn::quantizeMultiplier`), and `rounding` is set
    from the `rounding` option. Ops already in the fixed-point form are left
    alone. docs/Numerics.md defines what each rounding computes.

    ```mlir
    %y = qnn.requantize %acc scale = [1.0, 0.3333333333333333] axis = 1
           input_zero_point = 0 output_zero_point = -128 clamp = [-128, 127]
           rounding = double : tensor<4x2xi32> -> tensor<4x2xi8>
    // becomes, with rounding=single
    %y = qnn.requantize %acc
           fixed_point = <m0 = [1073741824, 1431655765], shift = [1, -1]>
           axis = 1 input_zero_point = 0 output_zero_point = -128
           clamp = [-128, 127] rounding = single
           : tensor<4x2xi32> -> tensor<4x2xi8>
    ```

    A scale the fixed-point form cannot hold (at least 2^30 - 0.25, where
    m0 would round past 2^31 - 1 at shift 30; negative; NaN or infinite) is
    an error naming the op, the channel and the value; all ops are checked
    before any is rewritten, so on error the IR is unchanged.
  }];
  let options = [
    Option<"rounding", "rounding", "::qnn::RoundingMode",
           /*default=*/"::qnn::RoundingMode::Double",
           "Rounding of the fixed-point multiply",
           [{::llvm::cl::values(
             clEnumValN(::qnn::RoundingMode::Double, "double",
                        "TFLite/gemmlowp double rounding (TOSA DOUBLE_ROUND)"),
             clEnumValN(::qnn::RoundingMode::Single, "single",
                        "one round-half-up (TOSA SINGLE_ROUND)"))}]>
  ];
  let dependentDialects = ["::qnn::QnnDialect"];
  let statistics = [
    Statistic<"numRewritten", "num-rewritten",
              "qnn.requantize ops given fixed-point multipliers">,
    Statistic<"numFlushed", "num-flushed",
              "Nonzero multipliers flushed to 0 (below about 2^-32)">
  ];
}

def AbsorbBias : Pass<"absorb-bias"> {
  let summary = "High-bias absorption (Nagel et al. 2019, section 4.1.1)";
  let description = [{
    For a float layer L1 with a relu, relu6 or clamp(0, hi) activation whose
    output reaches only the inputs of float layers L2 (the links of
    `--equalize`), channel `i` gives the amount `c_i >= 0` to L2:

    ```
    c_i     = max(0, mean_i - sigmas * std_i)     from qnn.preactivation_mean/std
                                                  (--fold-batchnorm, after --equalize)
            = max(0, channel_min_i)               else, from the calibrated
                                                  per-channel minimum of the output
    b1[i]  -= c_i
    b2[o]  += sum of W2[o, ...] over the weights reading channel i, times c_i
    relu stays relu; relu6 / clamp(0, hi) becomes clamp(0, hi - c_i)
    ```

    This is exact wherever the activation input `h_i >= c_i` (with batch-norm
    statistics and `sigmas = 3`, 99.87% of a Gaussian channel) and where
    every tap of L2 reads a real value: **it is not exact at the borders of a
    zero-padded L2** (a padded tap stands for 0 in both programs, but only
    the original network subtracted nothing there) **nor across a zero
    `qnn.pad` or an include_pad average pool**. The change is bounded by
    `sum |W2 border taps| * c_i` at border outputs; docs/DataFreeQuantization.md
    gives the measured effect on the real networks.

    Also shifted: the batch-norm mean of L1 and `qnn.stats` on the crossed
    tensors (per-channel figures, global range recomputed, histogram
    dropped). Calibrate after `--absorb-bias`.
  }];
  let options = [
    Option<"sigmas", "sigmas", "double", /*default=*/"3.0",
           "c = max(0, mean - sigmas * std) from batch-norm statistics">,
    Option<"report", "report", "bool", /*default=*/"false",
           "A remark per layer: channels absorbed, or why none">
  ];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numChannels", "num-channels", "channels whose bias was absorbed">
  ];
}

def CorrectBias : Pass<"correct-bias"> {
  let summary = "Bias correction of quantized weights (Nagel et al. 2019, section 4.2)";
  let description = [{
    Runs after `--quantize`, before `--fold-scales`. Quantizing the weights
    of a layer shifts its expected output by `(W^ - W) E[x]`; for every
    Q-form `qnn.conv2d` and `qnn.dense` the float bias takes it back:

    ```
    b[o] <- b[o] - sum_{k, c} f_k (W^[o, k, c] - W[o, k, c]) * E[x_c]
    ```

    summed over the spatial taps `k` and the input channels `c` that output
    `o` reads (its group), with `f_k` the fraction of output positions at
    which tap `k` reads the input (1 for dense). `W^` comes from the integer weights and their
    quantized type, `W` from the `qnn.float_weight` attribute `--quantize`
    leaves on the weight's `quant.scast`. `E[x]` per input channel:

    * `mode=empirical`: the calibrated per-channel mean of the layer's input
      (`qnn.input_mean`, which `--quantize` copies from statistics with
      `channel_mean`, as `quant-run --calibrate` collects for layer inputs);
    * `mode=analytic` (data-free): from the batch-norm statistics of the
      layer that produced the input (`qnn.preactivation_mean/std`, kept by
      `--fold-batchnorm`, rescaled by `--equalize` and shifted by
      `--absorb-bias`) through its activation: for `h ~ N(mu, sigma^2)`
      clamped to `[a, b]` (relu: `[0, inf)`; relu6 and per-channel clamps:
      their bounds), `E = sigma (phi(alpha) - phi(beta)) + mu (Phi(beta) -
      Phi(alpha)) + a Phi(alpha) + b (1 - Phi(beta))`. Average pooling and
      flattening in between keep the mean; anything else stops it.

    Like the paper, the correction assumes `E[x]` is the same at every
    position of the input. Unlike the paper, it does not ignore zero
    padding: each filter tap is weighted by the fraction of output positions
    at which it reads the input, so the correction is the shift of the mean
    output over all positions (on VWW's 3x3 feature maps a border tap is in
    the padding for a third of the outputs). A layer without what its mode
    needs keeps its bias (a remark with `report`).
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"empirical\"",
           "Where E[x] comes from: empirical (calibrated input means) or "
           "analytic (batch-norm statistics)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "A remark per layer: the largest bias shift, or why none">
  ];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numCorrected", "num-corrected", "layers whose bias was corrected">
  ];
}

def Equalize : Pass<"equalize"> {
  let summary = "Cross-layer weight equalization (Nagel et al. 2019)";
  let description = [{
    For every float layer L1 (`qnn.conv2d` or `qnn.dense` with f32 constant
    weights) whose output reaches only the *inputs* of float layers L2
    through ops that commute with a positive per-channel scale, output
    channel `i` of L1 is divided by `s_i` and every weight of L2 that reads
    channel `i` is multiplied by `s_i`, with

    ```
    r1_i = max |W1[i, ...]|                   (output channel range)
    r2_i = max |W2[..., reading channel i]|   (input channel range)
    s_i  = sqrt(r1_i / r2_i)                  (both ranges become sqrt(r1_i r2_i))
    ```

    over all such pairs in program order, repeated until no scale moves by
    more than `threshold` (relative) or `max-iterations` rounds. Chains
    conv → dw → conv are equalized as two pairs, iterated to convergence.

    Between L1 and L2 the pass crosses: L1's fused activation and standalone
    `qnn.activation` (relu and none are scale-equivariant; relu6 and clamps
    become per-channel clamps at `bound / s_i`, never relu: the function is
    unchanged), `qnn.max_pool2d`, `qnn.avg_pool2d`, `qnn.global_avg_pool`,
    `qnn.pad` with 0, `qnn.stats`, and one NHWC flatten (`qnn.reshape`
    [N, H, W, C] → [N, H*W*C], then dense inputs `k` read channel `k % C`).
    Grouped and depthwise L2 are handled by their group structure. Every
    use of the crossed tensor must be the input of a float layer: a branch
    into anything else (a residual `qnn.add`, a concat, a function result)
    stops the pair, since those users would see the rescaled tensor.

    Dead channels: when `r1_i <= dead-range * max_j r1_j`, `s_i = 1` (VWW
    has pointwise kernels of 1e-31 whose output is their bias alone:
    dividing by their range would multiply the bias by ~1e16). Ignored
    channels: when `r2_i <= dead-range * max_j r2_j` (the consumers do not
    read channel i), `s_i = max-scale`: the channel shrinks, bias included,
    so it no longer sets L1's per-tensor weight range (VWW's depthwise layers
    fed by dead channels have their largest kernels there). The cumulative
    scale of every channel is kept in `[min-scale, max-scale]`, so no bias
    grows by more than `1 / min-scale`.

    Also rescaled: `qnn.preactivation_mean/std` of L1 (from
    `--fold-batchnorm`), and `qnn.stats` on the crossed tensors (per-channel
    figures divided by `s_i`, the global range recomputed from them, the
    histogram dropped; statistics without per-channel figures are dropped
    with a warning). Calibrating after `--equalize` is simplest.

    With `report`, a remark per layer gives the weight range spread
    (largest / median output channel range) before and after, and per pair
    the channels kept at 1; a layer that could not be paired gets a remark
    naming the op that stopped it.
  }];
  let options = [
    Option<"maxIterations", "max-iterations", "unsigned", /*default=*/"100",
           "Rounds over all pairs at most">,
    Option<"threshold", "threshold", "double", /*default=*/"1e-4",
           "Stop when no scale moves by more than this (relative)">,
    Option<"deadRange", "dead-range", "double", /*default=*/"1e-6",
           "A channel range at or below this fraction of the layer's largest "
           "keeps s = 1">,
    Option<"minScale", "min-scale", "double", /*default=*/"0.01",
           "Lower bound of a channel's cumulative scale s_i">,
    Option<"maxScale", "max-scale", "double", /*default=*/"100",
           "Upper bound of a channel's cumulative scale s_i">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Remarks: per-layer range spread before/after, skipped channels "
           "and layers">
  ];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numPairs", "num-pairs", "equalized layer pairs">,
    Statistic<"numDeadChannels", "num-dead-channels",
              "dead channels kept at scale 1">,
    Statistic<"numIgnoredChannels", "num-ignored-channels",
              "channels the next layer ignores, scaled by max-scale">,
    Statistic<"numIterations", "num-iterations", "rounds over all pairs">
  ];
}

def FoldBatchNorm : Pass<"fold-batchnorm"> {
  let summary = "Fold qnn.batch_norm into the producing conv2d or dense";
  let description = [{
    For a float `qnn.conv2d` or `qnn.dense` (f32 constant weights, no fused
    activation, no other user) followed by `qnn.batch_norm`, with
    `sigma = sqrt(variance + epsilon)`:

    ```
    W'[o, ...] = W[o, ...] * gamma[o] / sigma[o]
    b'[o]      = beta[o] + (b[o] - mean[o]) * gamma[o] / sigma[o]
    ```

    (computed in double, stored as f32). The layer takes the batch norm's
    location (its tensor name) and keeps the distribution the batch norm
    implies for its output, `N(beta, gamma^2)` per channel, as the
    discardable attributes `qnn.preactivation_mean = array<f64: beta...>`
    and `qnn.preactivation_std = array<f64: |gamma|...>`: `--equalize`
    rescales them, `--absorb-bias` shifts the mean and the analytic
    `--correct-bias` reads them. A `qnn.stats` between layer and batch norm
    (statistics of a tensor that no longer exists) is removed.

    A batch norm whose producer is not such a layer stays (float); if the
    producer is a layer whose parameters cannot be read, a warning names the
    batch norm.

    ```mlir
    %c = qnn.conv2d %x, %w, %b ... loc("conv1")
    %n = qnn.batch_norm %c scale %g offset %be mean %m variance %v epsilon = 1.0e-03 ... loc("bn1")
    // becomes
    %n = qnn.conv2d %x, %w2, %b2 ... {qnn.preactivation_mean = array<f64: ...>,
                                      qnn.preactivation_std = array<f64: ...>} loc("bn1")
    ```
  }];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numFolded", "num-folded", "batch norms folded">
  ];
}

def FuseActivations : Pass<"fuse-activations"> {
  let summary = "Fold standalone activations into conv2d, dense and add";
  let description = [{
    Rewrites `qnn.activation` whose input is produced by a float (F form)
    `qnn.conv2d`, `qnn.dense` or `qnn.add` that has no activation of its own
    and no other user: the producer takes the activation (`relu`, `relu6`
    or a scalar or per-channel `clamp`), the activation op disappears, and
    the producer takes the activation's location, i.e. its tensor name. The
    result is computed exactly as before (the fused activation is applied to
    the same values).

    Why it matters for quantization: the fused result is quantized once, on
    the activation's range; unfused, the pre-activation tensor is quantized
    too (a grid that spends half its levels on values relu discards), then
    requantized, which loses accuracy.

    Run it before calibration: the fused tensor is the activation's, so
    its statistics are found under the activation's name. A `qnn.stats`
    between producer and activation (pre-activation statistics, which no
    longer describe any tensor) is removed.

    ```mlir
    %c = qnn.conv2d %x, %w, %b ... : (...) -> tensor<1x8x8x16xf32> loc("conv1")
    %r = qnn.activation %c kind = relu : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xf32> loc("relu1")
    // becomes
    %r = qnn.conv2d %x, %w, %b ... activation = relu : (...) -> tensor<1x8x8x16xf32> loc("relu1")
    ```
  }];
  let dependentDialects = ["::qnn::QnnDialect"];
  let statistics = [
    Statistic<"numFused", "num-fused", "activations folded into producers">
  ];
}

def FoldScales : Pass<"fold-scales"> {
  let summary = "Turn the Q form into the integer (I) form";
  let description = [{
    Rewrites every qnn op in the Q form into integer arithmetic whose scales
    all live in `qnn.requantize` ops (float multipliers, which
    `--fixed-point-requant` then makes fixed-point). docs/Numerics.md gives
    every rule with worked numbers.

    `qnn.conv2d` and `qnn.dense` (per-tensor `!quant.uniform` input and
    result, weight an integer `arith.constant` behind a `quant.scast`, as
    `--quantize` produces):

    * the input is read as its storage integers (`quant.scast`);
    * the filter is the integer weight constant (zero point 0);
    * the bias is i32, `round_half_even(b[o] / (s_x * s_w[o])) -
      z_x * sum(w[o, ...])`: the input zero-point term is folded in, exact at
      the borders because the I form pads with `input_zero_point = z_x`;
      a missing bias becomes the zero-point term alone;
    * the i32 accumulator goes to a `qnn.requantize` with one float
      multiplier `s_x * s_w[o] / s_y` per output channel (last dimension),
      `output_zero_point = z_y` and a clamp: the result storage range
      intersected with the fused activation's bounds on the output grid
      (`z_y + round_half_away(bound / s_y)`; relu gives `[z_y, qmax]`, relu6
      `[z_y, min(qmax, z_y + round(6 / s_y))]`);
    * a `quant.scast` gives back the Q result type, so users are unchanged.

    ```mlir
    %y = qnn.dense %x, %wq, %b activation = relu
           : (tensor<1x4x!quant.uniform<i8:f32, 0.5:1>>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {...}>>,
              tensor<2xf32>) -> tensor<1x2x!quant.uniform<i8:f32, 0.25:-3>>
    // becomes
    %xi = quant.scast %x : ... to tensor<1x4xi8>
    %bi = arith.constant dense<[...]> : tensor<2xi32>
    %acc = qnn.dense %xi, %wi, %bi input_zero_point = 1
             : (tensor<1x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<1x2xi32>
    %yi = qnn.requantize %acc scale = [...] axis = 1 input_zero_point = 0
            output_zero_point = -3 clamp = [-3, 127] rounding = double
            : tensor<1x2xi32> -> tensor<1x2xi8>
    %y = quant.scast %yi : tensor<1x2xi8> to tensor<1x2x!quant.uniform<i8:f32, 0.25:-3>>
    ```

    The other ops (each input is read as its stored integers, each result
    given back as its Q type with a `quant.scast`; consecutive casts cancel):
    * `qnn.add` of `(s_a, z_a)` and `(s_b, z_b)` into `(s_y, z_y)`: both
      inputs are requantized to i32 on the common grid
      `s_c = 2 max(s_a, s_b) / 2^L` (`L = 20`, TFLite's left shift, less
      for inputs wider than 10 bits so that the sum cannot overflow), added
      by the I-form `qnn.add`, and the sum requantized with `s_c / s_y` and
      the activation's clamp;
    * `qnn.activation`: a requantize `s_x / s_y` with the activation's
      integer clamp;
    * `qnn.global_avg_pool`: the I form sums into i32, then a requantize
      with `s_x / (s_y H W)` and `input_zero_point = H W z_x`;
    * `qnn.matmul`: the I form with both zero points, then `s_a s_b / s_y`;
    * `qnn.concat`: inputs on another grid than the result are requantized
      to it (`s_in / s_y`), then the I-form concat;
    * `qnn.avg_pool2d`, `qnn.max_pool2d`, `qnn.pad`, `qnn.reshape`,
      `qnn.transpose`: the same op on the stored integers (the pad value
      becomes its stored integer).
    A requantize of narrow integers (activation, concat, the pooled sum) is
    made in two steps, an exact widening by `2^k` into i32 and the
    multiplier divided by `2^k`, so that gemmlowp's double rounding, which
    with a multiplier near 1 rounds a quarter of the values the wrong way,
    errs by at most `2^-(k+1)` of an output step.

    Errors, reported before anything changes: a Q-form weight that is not a
    constant behind `quant.scast` or has a nonzero zero point, a bias that is
    not an f32 constant, an i32 bias overflow, per-channel clamp bounds that
    map to different integer bounds (one `qnn.requantize` clamp serves all
    channels), include_pad average pooling with padding and a nonzero zero
    point, and a Q-form op without an integer rule (`qnn.mul`, `qnn.softmax`):
    each names the op; keep such ops float with `--quantize="keep-float=..."`.
  }];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numFolded", "num-folded",
              "Q-form ops rewritten to the I form">
  ];
}

def Quantize : Pass<"quantize", "::mlir::ModuleOp"> {
  let summary = "Quantize a calibrated float network to the Q form";
  let description = [{
    Turns the float (F) form of every `func.func` into the quantized (Q)
    form on upstream `!quant.uniform` types, from the `qnn.stats` ops that
    `--import-calibration` or a calibration run attached.

    * Activations: every value with a `qnn.stats` gets the type chosen by
      `selectRange` (the `calibration` method) and `computeQuantParams`
      (docs/CalibrationStats.md) on signed `i<activation-bits>` storage,
      asymmetric by default; the `qnn.stats` op is removed.
    * Weights: the filter of `qnn.conv2d` and the weight of `qnn.dense`
      must be `arith.constant`s (dense or `dense_resource`). They are
      quantized now, symmetric with zero point 0, per output channel
      (axis 0) or per tensor: `scale = max|w| / qmax` with
      `qmax = 2^(weight-bits - 1) - 1`, `q = clamp(round_half_even(w /
      scale), -qmax, qmax)`. A dead channel (all zeros) gets the scale
      2^-23, never 0. The scale of channel `o` is at least
      `|b[o]| / (s_x * 2^30)` (over every layer reading the weight), so
      that `--fold-scales` can hold the bias in int32 with room for the
      zero-point term: a channel whose weights are negligible next to its
      bias (VWW's "dead" kernels of 1e-31) gets this larger scale and its
      weights round to 0, which is what they contribute. The result is an
      integer `arith.constant` and a
      `quant.scast` to the quantized type. Biases stay `f32`
      (`--fold-scales` quantizes them).
    * Ops: `conv2d`, `dense`, `matmul`, `add`, `mul`, `global_avg_pool`,
      `activation` and `concat` whose result has statistics take the Q form
      with their result's type; `max_pool2d`, `avg_pool2d`, `reshape`,
      `transpose` and `pad` (constant 0 padding) take their input's type.
      `softmax`, `batch_norm`, ops whose result has no statistics and the
      layers named in `keep-float` stay float; `quant.dcast` and
      `quant.qcast` are inserted where the two forms meet.
    * Signature: float by default (`quant.qcast` at entry, `quant.dcast`
      before `return`); with `integer-io`, arguments with statistics and
      quantized results keep their `!quant.uniform` types.

    ```mlir
    func.func @f(%x: tensor<1x4xf32> loc("x")) -> tensor<1x2xf32> {
      %xs = qnn.stats %x <count = 1, min = -1.0, max = 1.0> : tensor<1x4xf32> loc("x")
      %w = arith.constant dense<...> : tensor<2x4xf32>
      %y = qnn.dense %xs, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32> loc("y")
      %ys = qnn.stats %y <count = 1, min = 0.0, max = 6.0> : tensor<1x2xf32> loc("y")
      return %ys : tensor<1x2xf32>
    }
    // becomes
    func.func @f(%x: tensor<1x4xf32> loc("x")) -> tensor<1x2xf32> {
      %xq = quant.qcast %x : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.0078431372549019607:-1>>
      %wi = arith.constant dense<...> : tensor<2x4xi8>
      %wq = quant.scast %wi : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {...}>>
      %y = qnn.dense %xq, %wq : (...) -> tensor<1x2x!quant.uniform<i8:f32, 0.023529411764705882:-128>>
      %yf = quant.dcast %y : ... to tensor<1x2xf32>
      return %yf : tensor<1x2xf32>
    }
    ```

    A value that must be quantized (an activation input of an op taking
    the Q form) without statistics is an error naming the tensor and the
    op; so is a weight that is not a constant, and an option out of range.
    Everything is checked before anything changes: on error the module is
    untouched.
  }];
  let options = [
    Option<"weights", "weights", "std::string", /*default=*/"\"per-channel\"",
           "Weight granularity: per-channel (axis 0) or per-tensor">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Weight storage bits, in [2, 16]">,
    Option<"activationBits", "activation-bits", "unsigned", /*default=*/"8",
           "Activation storage bits, in [2, 16]">,
    Option<"activations", "activations", "std::string",
           /*default=*/"\"asymmetric\"",
           "Activation grid: asymmetric or symmetric (zero point 0)">,
    Option<"narrowRange", "narrow-range", "bool", /*default=*/"true",
           "Weight storage type drops the most negative code "
           "([-(2^(b-1)-1), 2^(b-1)-1]); the scale is max|w| / qmax either way">,
    Option<"calibration", "calibration", "std::string",
           /*default=*/"\"minmax\"",
           "Activation range method: minmax, percentile, mse or kl">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile method: mass kept, in percent (0, 100]">,
    ListOption<"keepFloat", "keep-float", "std::string",
               "Layers kept float, by result tensor name">,
    Option<"integerIO", "integer-io", "bool", /*default=*/"false",
           "Quantized function arguments and results instead of float ones">
  ];
  let dependentDialects = ["::qnn::QnnDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numQuantizedOps", "num-quantized-ops",
              "qnn ops rewritten to the Q form">,
    Statistic<"numFloatOps", "num-float-ops",
              "qnn ops kept float (no statistics, softmax, keep-float)">,
    Statistic<"numQuantizedWeights", "num-quantized-weights",
              "Weight constants quantized">,
    Statistic<"numDeadChannels", "num-dead-channels",
              "Weight channels (or tensors) that are all zero">,
    Statistic<"numBiasLimitedChannels", "num-bias-limited-channels",
              "Weight channels whose scale was raised to keep the bias in "
              "int32">,
    Statistic<"numCasts", "num-casts",
              "quant.qcast and quant.dcast ops inserted">
  ];
}

#endif // QNN_DIALECT_QNN_TRANSFORMS_PASSES_TD
