//===- QnnOps.td - qnn operations --------------------------*- tablegen -*-===//
//
// Part of quant-opt. Every op states its semantics as pseudocode and its
// constraints as a numbered list; each constraint is one verifier check
// (QnnOps.cpp) and one case in test/Dialect/Qnn/invalid*.mlir.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_IR_QNNOPS_TD
#define QNN_DIALECT_QNN_IR_QNNOPS_TD

include "qnn/Dialect/Qnn/IR/QnnBase.td"
include "qnn/Dialect/Qnn/IR/QnnAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Qnn_QuantizedType
    : Type<CPred<"::llvm::isa<::mlir::quant::QuantizedType>($_self)">,
           "quantized type">;

/// An element of any numeric form: f32 (F), !quant.uniform (Q) or an integer
/// (I). Which forms an op accepts, and how its operands must agree, is
/// checked by its verifier with a message naming the offending types.
def Qnn_Element : AnyTypeOf<[F32, Qnn_QuantizedType, AnyInteger]>;

def Qnn_Tensor : RankedTensorOf<[Qnn_Element]>;
def Qnn_Tensor4D : 4DTensorOf<[Qnn_Element]>;
def Qnn_Tensor2D : 2DTensorOf<[Qnn_Element]>;
def Qnn_Tensor1D : 1DTensorOf<[Qnn_Element]>;
def Qnn_F32Tensor : RankedTensorOf<[F32]>;
def Qnn_F32Tensor1D : 1DTensorOf<[F32]>;
def Qnn_IntTensor : RankedTensorOf<[AnyInteger]>;

def Qnn_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;

class Qnn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qnn_Dialect, mnemonic, !listconcat([Pure], traits)>;

//===----------------------------------------------------------------------===//
// qnn.conv2d
//===----------------------------------------------------------------------===//

def Qnn_Conv2DOp : Qnn_Op<"conv2d"> {
  let summary = "2-D convolution, NHWC input, [O, KH, KW, I/groups] filter";
  let description = [{
    A grouped 2-D convolution with explicit asymmetric padding and an
    optional fused activation. `groups == C` with `O == k * C` is a depthwise
    convolution with channel multiplier k.

    ```
    G = groups; Cg = C / G; Og = O / G
    for n, oh, ow, o:
      g = o / Og
      acc = bias[o] (0 if absent)
      for kh, kw, c in [0, Cg):
        ih = oh * strides[0] + kh * dilations[0] - padding.top
        iw = ow * strides[1] + kw * dilations[1] - padding.left
        x = input[n, ih, iw, g * Cg + c] if inside the input else P
        acc += x * filter[o, kh, kw, c]
      result[n, oh, ow, o] = activation(acc)
    OH = (H + top + bottom - dilations[0] * (KH - 1) - 1) / strides[0] + 1
    OW = (W + left + right - dilations[1] * (KW - 1) - 1) / strides[1] + 1
    ```

    The padding value `P` is the value representing real zero: `0.0` in the
    F form, the input zero point in the Q form, and `input_zero_point` in
    the I form. In the I form the multiplication is on stored integers
    (`x * w` with no zero-point subtraction: `--fold-scales` folds the input
    zero-point term into the int32 bias), the accumulator is i32 and the
    activation lives in the following `qnn.requantize`.

    Numeric forms:
    * F: input, filter, bias and result `f32`;
    * Q: input and result per-tensor `!quant.uniform`; filter
      `!quant.uniform` per-tensor or per-axis along axis 0; bias `f32` or
      `!quant.uniform` with i32 storage;
    * I: input and filter integers of at most 16 bits, bias and result i32.

    ```mlir
    %y = qnn.conv2d %x, %w, %b strides = [2, 2] dilations = [1, 1]
           padding = [0, 0, 1, 1] groups = 1 activation = relu6
           : (tensor<1x96x96x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>)
           -> tensor<1x48x48x8xf32>
    ```

    Constraints:
    1. `strides` and `dilations` are positive;
    2. `groups` is positive and divides both the input channels C and the
       output channels O;
    3. the filter's last dimension is `C / groups`;
    4. the bias, when present, has shape `[O]`;
    5. the padded input is at least as large as the dilated kernel;
    6. the result shape is `[N, OH, OW, O]`;
    7. all operands and the result are in one numeric form (see above);
    8. a per-axis filter is quantized along axis 0 with O scales;
    9. in the I form there is no fused activation, and `input_zero_point`
       (default 0) fits the input's integer type; it is absent in the F and
       Q forms;
    10. per-channel activation bounds number O.
  }];
  let arguments = (ins
    Qnn_Tensor4D:$input,
    Qnn_Tensor4D:$filter,
    Optional<Qnn_Tensor1D>:$bias,
    Qnn_Pair:$strides,
    Qnn_Pair:$dilations,
    Qnn_PaddingAttr:$padding,
    I64Attr:$groups,
    OptionalAttr<Qnn_ActivationAttr>:$activation,
    OptionalAttr<I64Attr>:$input_zero_point);
  let results = (outs Qnn_Tensor4D:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)?
    `strides` `=` $strides `dilations` `=` $dilations
    `padding` `=` `` $padding `groups` `=` $groups
    (`activation` `=` `` $activation^)?
    (`input_zero_point` `=` $input_zero_point^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// True for a depthwise convolution: one group per input channel.
    bool isDepthwise();
  }];
}

//===----------------------------------------------------------------------===//
// qnn.dense
//===----------------------------------------------------------------------===//

def Qnn_DenseOp : Qnn_Op<"dense"> {
  let summary = "fully connected layer, [N, K] input, [O, K] weight";
  let description = [{
    ```
    result[n, o] = activation(bias[o] + sum_k input[n, k] * weight[o, k])
    ```
    The numeric forms are those of `qnn.conv2d` (weight in place of filter);
    in the I form `input_zero_point` is carried for the same reason.

    ```mlir
    %y = qnn.dense %x, %w, %b activation = relu
           : (tensor<1x256xf32>, tensor<10x256xf32>, tensor<10xf32>)
           -> tensor<1x10xf32>
    ```

    Constraints:
    1. the weight's second dimension equals the input's K;
    2. the bias, when present, has shape `[O]`;
    3. the result shape is `[N, O]`;
    4. all operands and the result are in one numeric form;
    5. a per-axis weight is quantized along axis 0 with O scales;
    6. in the I form there is no fused activation, and `input_zero_point`
       fits the input's integer type; it is absent in the F and Q forms;
    7. per-channel activation bounds number O.
  }];
  let arguments = (ins
    Qnn_Tensor2D:$input,
    Qnn_Tensor2D:$weight,
    Optional<Qnn_Tensor1D>:$bias,
    OptionalAttr<Qnn_ActivationAttr>:$activation,
    OptionalAttr<I64Attr>:$input_zero_point);
  let results = (outs Qnn_Tensor2D:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)?
    (`activation` `=` `` $activation^)?
    (`input_zero_point` `=` $input_zero_point^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.matmul
//===----------------------------------------------------------------------===//

def Qnn_MatmulOp : Qnn_Op<"matmul"> {
  let summary = "batched matrix product of two activations";
  let description = [{
    ```
    result[b..., m, n] = sum_k (lhs[b..., m, k] - zl) * (rhs[b..., k, n] - zr)
    ```
    `zl` and `zr` are `lhs_zero_point` and `rhs_zero_point` in the I form
    (both operands are activations, so their zero points cannot be folded
    into a constant bias) and 0 otherwise; in the Q form the zero points are
    those of the operand types.

    Numeric forms: F (`f32`), Q (per-tensor `!quant.uniform` only) and I
    (integers of at most 16 bits in, i32 out).

    ```mlir
    %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<4x16x32xf32>)
                           -> tensor<4x8x32xf32>
    ```

    Constraints:
    1. both operands have the same rank, at least 2;
    2. the batch dimensions agree;
    3. the contraction dimensions agree (`lhs[..., K]`, `rhs[..., K, :]`);
    4. the result shape is `[b..., M, N]`;
    5. all operands and the result are in one numeric form, per-tensor only;
    6. zero points are given only in the I form and fit their operand types.
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs,
                       OptionalAttr<I64Attr>:$lhs_zero_point,
                       OptionalAttr<I64Attr>:$rhs_zero_point);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs
    (`lhs_zero_point` `=` $lhs_zero_point^)?
    (`rhs_zero_point` `=` $rhs_zero_point^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.add, qnn.mul
//===----------------------------------------------------------------------===//

class Qnn_BinaryOp<string mnemonic, string opSummary, string expr>
    : Qnn_Op<mnemonic> {
  let summary = opSummary;
  let description = [{
    ```
    result[i...] = activation(lhs[broadcast(i...)] }] # expr # [{ rhs[broadcast(i...)])
    ```
    NumPy broadcasting: shapes are aligned at the right; each pair of
    dimensions is equal or one of them is 1.

    Numeric forms: F (`f32`) and Q (per-tensor `!quant.uniform`, each operand
    and the result with its own scale and zero point: the quantized op
    rescales both inputs to the output grid). `qnn.add` also has an I form:
    operands and result of one integer type (i32 after `--fold-scales`,
    which rescales both inputs to a common grid with `qnn.requantize`
    first), exact integer addition, no activation.

    Constraints:
    1. the operand shapes broadcast;
    2. the result shape is the broadcast shape;
    3. all operands and the result are in one numeric form, F or Q
       (per-tensor only), or for `add` I with one integer type and no fused
       activation;
    4. per-channel activation bounds number the result's last dimension.
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs,
                       OptionalAttr<Qnn_ActivationAttr>:$activation);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`activation` `=` `` $activation^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_AddOp : Qnn_BinaryOp<"add", "broadcasting elementwise addition", "+">;
def Qnn_MulOp : Qnn_BinaryOp<"mul", "broadcasting elementwise multiplication",
                             "*">;

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Qnn_AvgPool2DOp : Qnn_Op<"avg_pool2d"> {
  let summary = "2-D average pooling over NHWC";
  let description = [{
    ```
    for n, oh, ow, c:
      window = {(ih, iw) = (oh * strides[0] + kh - padding.top,
                            ow * strides[1] + kw - padding.left)
                for kh < kernel[0], kw < kernel[1]}
      s = sum of input[n, ih, iw, c] over the window positions inside the input
      d = kernel[0] * kernel[1]              if divisor = include_pad
          number of positions inside input   if divisor = exclude_pad
      result[n, oh, ow, c] = s / d
    OH = (H + top + bottom - kernel[0]) / strides[0] + 1  (likewise OW)
    ```
    Numeric forms: F; Q with the same quantized type on input and result;
    I with the same integer type (at most 32 bits) on input and result.
    In the Q and I forms `s` sums the stored integers (padded positions add
    nothing) and the average rounds half away from zero:
    `s >= 0 ? (s + d / 2) / d : -((-s + d / 2) / d)` in integer division
    (docs/Numerics.md).

    ```mlir
    %y = qnn.avg_pool2d %x kernel = [25, 5] strides = [1, 1]
           padding = [0, 0, 0, 0] divisor = exclude_pad
           : tensor<1x25x5x64xf32> -> tensor<1x1x1x64xf32>
    ```

    Constraints:
    1. `kernel` and `strides` are positive;
    2. every window overlaps the input: each padding amount is smaller than
       the kernel in its dimension;
    3. the padded input is at least as large as the kernel;
    4. the result shape is `[N, OH, OW, C]`;
    5. the form is F, Q with the same per-tensor type on input and result,
       or I with the same integer type (at most 32 bits).
  }];
  let arguments = (ins Qnn_Tensor4D:$input, Qnn_Pair:$kernel,
                       Qnn_Pair:$strides, Qnn_PaddingAttr:$padding,
                       Qnn_PoolDivisorAttr:$divisor);
  let results = (outs Qnn_Tensor4D:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides
    `padding` `=` `` $padding `divisor` `=` `` $divisor
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Qnn_MaxPool2DOp : Qnn_Op<"max_pool2d"> {
  let summary = "2-D max pooling over NHWC";
  let description = [{
    ```
    for n, oh, ow, c:
      result[n, oh, ow, c] = max over kh < kernel[0], kw < kernel[1] of
          input[n, oh * strides[0] + kh - padding.top,
                   ow * strides[1] + kw - padding.left, c]
      (positions outside the input are ignored)
    ```
    Output sizes as for `qnn.avg_pool2d`. Numeric forms: F; Q with the
    same quantized type on input and result (max commutes with the monotone
    dequantization, so the quantized op is exact); I with the same integer
    type (at most 32 bits).

    ```mlir
    %y = qnn.max_pool2d %x kernel = [2, 2] strides = [2, 2]
           padding = [0, 0, 0, 0] : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
    ```

    Constraints:
    1. `kernel` and `strides` are positive;
    2. every window overlaps the input: each padding amount is smaller than
       the kernel in its dimension;
    3. the padded input is at least as large as the kernel;
    4. the result shape is `[N, OH, OW, C]`;
    5. the form is F, Q with the same per-tensor type on input and result,
       or I with the same integer type (at most 32 bits).
  }];
  let arguments = (ins Qnn_Tensor4D:$input, Qnn_Pair:$kernel,
                       Qnn_Pair:$strides, Qnn_PaddingAttr:$padding);
  let results = (outs Qnn_Tensor4D:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides
    `padding` `=` `` $padding attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Qnn_GlobalAvgPoolOp : Qnn_Op<"global_avg_pool"> {
  let summary = "average over the spatial dimensions of NHWC";
  let description = [{
    ```
    result[n, 0, 0, c] = (sum_{h, w} input[n, h, w, c]) / (H * W)
    ```
    Numeric forms: F; Q (input and result may differ in scale and zero
    point; the result is rescaled to its own grid); I: integers of at most
    16 bits in, and the result is the i32 *sum* `sum_{h, w} input[n, h, w,
    c]` (like the accumulator of `qnn.conv2d`, the division by `H * W`
    moves into the `qnn.requantize` that `--fold-scales` puts after it).

    ```mlir
    %y = qnn.global_avg_pool %x : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
    %s = qnn.global_avg_pool %q : tensor<1x7x7x64xi8> -> tensor<1x1x1x64xi32>
    ```

    Constraints:
    1. the result shape is `[N, 1, 1, C]`;
    2. the form is F, Q (per-tensor) or I (input of at most 16 bits, result
       i32), the same for input and result;
    3. in the I form the sum of `H * W` inputs cannot overflow i32
       (`H * W * 2^bits <= 2^31`).
  }];
  let arguments = (ins Qnn_Tensor4D:$input);
  let results = (outs Qnn_Tensor4D:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.activation
//===----------------------------------------------------------------------===//

def Qnn_ActivationOp : Qnn_Op<"activation"> {
  let summary = "standalone relu, relu6 or clamp";
  let description = [{
    ```
    (lo, hi) = bounds of `kind` for channel c (the last dimension)
    result[i..., c] = min(max(input[i..., c], lo), hi)
    ```
    `--fuse-activations` folds it into the producing conv2d, dense or add.
    Numeric forms: F, and Q (per-tensor, the same storage type on input and
    result).

    ```mlir
    %y = qnn.activation %x kind = clamp(min = [0.0, 0.0], max = [6.0, 2.5])
           : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
    ```

    Constraints:
    1. the kind is not `none`;
    2. per-channel bounds number the input's last dimension;
    3. input and result shapes are equal;
    4. the form is F or Q, the same for input and result, with equal storage
       types in the Q form.
  }];
  let arguments = (ins Qnn_Tensor:$input, Qnn_ActivationAttr:$kind);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `kind` `=` `` $kind attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.batch_norm
//===----------------------------------------------------------------------===//

def Qnn_BatchNormOp : Qnn_Op<"batch_norm"> {
  let summary = "inference batch normalization over the channel dimension";
  let description = [{
    ```
    result[n, ..., c] = scale[c] * (input[n, ..., c] - mean[c])
                        / sqrt(variance[c] + epsilon) + offset[c]
    ```
    The channel is the last dimension (NHWC, or [N, C] after a dense layer).
    Float form only: `--fold-batchnorm` folds it into the producing layer and
    keeps the per-channel mean and standard deviation it implies as
    statistics.

    ```mlir
    %y = qnn.batch_norm %x scale %g offset %b mean %m variance %v
           epsilon = 1.0e-03 : (tensor<1x8x8x4xf32>, tensor<4xf32>,
           tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
    ```

    Constraints:
    1. the input has rank 2 to 4, and the result has the input's shape;
    2. scale, offset, mean and variance have shape `[C]`;
    3. `epsilon` is non-negative and finite.
  }];
  let arguments = (ins Qnn_F32Tensor:$input, Qnn_F32Tensor1D:$scale,
                       Qnn_F32Tensor1D:$offset, Qnn_F32Tensor1D:$mean,
                       Qnn_F32Tensor1D:$variance, F64Attr:$epsilon);
  let results = (outs Qnn_F32Tensor:$result);
  let assemblyFormat = [{
    $input `scale` $scale `offset` $offset `mean` $mean `variance` $variance
    `epsilon` `=` $epsilon attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def Qnn_ReshapeOp : Qnn_Op<"reshape"> {
  let summary = "reinterpret a tensor with a new shape";
  let description = [{
    The elements in row-major order are unchanged; the new shape is the
    result type's. Any numeric form (quantized: per-tensor).

    ```mlir
    %y = qnn.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
    ```

    Constraints:
    1. input and result have the same element type, per-tensor if quantized;
    2. both shapes are static and hold the same number of elements (which
       fits in int64).
  }];
  let arguments = (ins Qnn_Tensor:$input);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Qnn_TransposeOp : Qnn_Op<"transpose"> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    ```
    result[i_0, ..., i_(r-1)] = input[j] where j[permutation[d]] = i_d
    result.shape[d] = input.shape[permutation[d]]
    ```
    Any numeric form (quantized: per-tensor).

    ```mlir
    %y = qnn.transpose %x permutation = [0, 2, 3, 1]
           : tensor<1x3x96x96xf32> -> tensor<1x96x96x3xf32>
    ```

    Constraints:
    1. `permutation` is a permutation of `[0, rank)`;
    2. the result shape is the permuted input shape;
    3. input and result have the same element type, per-tensor if
       quantized.
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `permutation` `=` $permutation attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def Qnn_ConcatOp : Qnn_Op<"concat"> {
  let summary = "concatenate tensors along one dimension";
  let description = [{
    ```
    result = inputs[0] ++ inputs[1] ++ ... along dimension `axis`
    ```
    Numeric forms: F; Q (per-tensor, one storage type; inputs with another
    scale or zero point than the result are rescaled to its grid); I (one
    integer type throughout).

    ```mlir
    %y = qnn.concat %a, %b axis = 3
           : (tensor<1x8x8x4xf32>, tensor<1x8x8x12xf32>) -> tensor<1x8x8x16xf32>
    ```

    Constraints:
    1. there is at least one input;
    2. `axis` is in `[0, rank)`;
    3. all inputs and the result have the same rank;
    4. all dimensions but `axis` agree, and the result's `axis` dimension is
       the sum of the inputs';
    5. inputs and result are in one numeric form with one storage type.
  }];
  let arguments = (ins Variadic<Qnn_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` functional-type($inputs, $result)
  }];
  let hasVerifier = 1;
}

def Qnn_PadOp : Qnn_Op<"pad"> {
  let summary = "pad every dimension of a tensor";
  let description = [{
    ```
    result.shape[d] = low[d] + input.shape[d] + high[d]
    result[i] = input[i - low]                    inside
              = value                             mode = constant
              = input[reflect(i - low)]           mode = reflect (no edge repeat)
              = input[clamp(i - low)]             mode = edge
    ```
    `value` is a real number. In the Q form it is stored as
    `round(value / scale) + zero_point` and must be exactly representable;
    in the I form it is the stored integer itself.

    ```mlir
    %y = qnn.pad %x low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant
           value = 0.0 : tensor<1x8x8x4xf32> -> tensor<1x10x10x4xf32>
    ```

    Constraints:
    1. `low` and `high` have one non-negative entry per dimension;
    2. the result shape is `low + input shape + high`;
    3. in `reflect` mode every pad is smaller than its dimension, in `edge`
       mode padded dimensions are non-empty;
    4. input and result have the same element type;
    5. `value` is finite; in the Q form it is a point of the quantization
       grid inside the storage range, in the I form an integer in the range
       of the element type.
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high, Qnn_PadModeAttr:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high `mode` `=` `` $mode
    `value` `=` $value attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.softmax
//===----------------------------------------------------------------------===//

def Qnn_SoftmaxOp : Qnn_Op<"softmax"> {
  let summary = "softmax along one dimension (float only)";
  let description = [{
    ```
    result[i] = exp(input[i] - max_axis(input)) / sum_axis exp(input - max)
    ```
    Softmax stays in float: quantized networks dequantize before it.

    ```mlir
    %p = qnn.softmax %logits axis = 1 : tensor<1x10xf32> -> tensor<1x10xf32>
    ```

    Constraints:
    1. `axis` is in `[0, rank)`;
    2. input and result types are equal.
  }];
  let arguments = (ins Qnn_F32Tensor:$input, I64Attr:$axis);
  let results = (outs Qnn_F32Tensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// qnn.requantize
//===----------------------------------------------------------------------===//

def Qnn_RequantizeOp : Qnn_Op<"requantize"> {
  let summary = "rescale integers to another grid, per channel";
  let description = [{
    The only place where scales live in the integer (I) form.

    ```
    for each element x in channel c (dimension `axis`, or one channel):
      v = x - input_zero_point
      M = scale[c]                                (float form)
        = m0[c] * 2^(shift[c] - 31)               (fixed-point form)
      y = round(M * v) + output_zero_point
      result = min(max(y, lo[c]), hi[c])
    ```
    The clamp is one pair `[lo, hi]` for every channel, or one pair per
    channel, `[lo_0, hi_0, lo_1, hi_1, ...]` (a per-channel clamp of an
    equalized relu6 network: channel i at `6 / s_i`).
    The float form (`scale`) is what `--fold-scales` produces; its `round`
    is to nearest, ties away from zero, on the exact product.
    `--fixed-point-requant` turns it into the fixed-point form
    (`fixed_point`), whose rounding is specified bit for bit by `rounding`:
    * `double` (TFLite/gemmlowp): `RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(v << max(shift, 0), m0),
      max(-shift, 0))`;
    * `single` (TOSA SINGLE_ROUND): `(v * m0 + 2^(30 - shift)) >> (31 - shift)`
      computed in 64 bits.
    docs/Numerics.md gives the exact definitions and where they differ.

    ```mlir
    %y = qnn.requantize %acc scale = [0.0123, 0.0456] axis = 3
           output_zero_point = -128 clamp = [-128, 127] rounding = double
           : tensor<1x8x8x2xi32> -> tensor<1x8x8x2xi8>
    ```

    Constraints:
    1. exactly one of `scale` and `fixed_point` is present;
    2. the number of multipliers is 1 or the size of dimension `axis`;
    3. `axis` is in `[0, rank)`;
    4. every `scale` is positive and finite, or zero (a dead channel);
    5. input and result shapes are equal;
    6. `input_zero_point` fits the input type and `output_zero_point` the
       result type;
    7. `clamp` is `[min, max]` or one such pair per channel of dimension
       `axis`, each with `min <= max`, both inside the result type's range;
    8. input and result are integers of at most 32 bits.
  }];
  let arguments = (ins
    Qnn_IntTensor:$input,
    OptionalAttr<DenseF64ArrayAttr>:$scale,
    OptionalAttr<Qnn_FixedPointMultiplierAttr>:$fixed_point,
    DefaultValuedAttr<I64Attr, "0">:$axis,
    DefaultValuedAttr<I64Attr, "0">:$input_zero_point,
    DefaultValuedAttr<I64Attr, "0">:$output_zero_point,
    DenseI64ArrayAttr:$clamp,
    DefaultValuedAttr<Qnn_RoundingModeAttr, "RoundingMode::Double">:$rounding);
  let results = (outs Qnn_IntTensor:$result);
  let assemblyFormat = [{
    $input (`scale` `=` custom<ExactReals>($scale)^)?
    (`fixed_point` `=` $fixed_point^)?
    `axis` `=` $axis `input_zero_point` `=` $input_zero_point
    `output_zero_point` `=` $output_zero_point `clamp` `=` $clamp
    `rounding` `=` `` $rounding attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Number of per-channel multipliers in whichever form is present.
    size_t getNumMultipliers();
  }];
}

//===----------------------------------------------------------------------===//
// qnn.stats
//===----------------------------------------------------------------------===//

def Qnn_StatsOp : Qnn_Op<"stats", [AllTypesMatch<["input", "result"]>]> {
  let summary = "identity carrying the calibration statistics of a value";
  let description = [{
    ```
    result = input
    ```
    `--import-calibration` and the calibration run attach statistics to a
    value by inserting this op after it; `--quantize` reads them and removes
    it. Equalization rescales the per-channel entries when it rescales the
    channels of the value. Float form only.

    ```mlir
    %y = qnn.stats %x <count = 10, min = 0.0, max = 5.5>
           : tensor<1x8x8x4xf32>
    ```

    Constraints:
    1. input and result types are equal;
    2. per-channel statistics, when present, number the last dimension.
  }];
  let arguments = (ins Qnn_F32Tensor:$input, Qnn_TensorStatsAttr:$stats);
  let results = (outs Qnn_F32Tensor:$result);
  let assemblyFormat = "$input $stats attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QNN_DIALECT_QNN_IR_QNNOPS_TD
