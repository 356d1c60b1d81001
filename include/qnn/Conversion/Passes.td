//===- Passes.td - qnn conversion passes -------------------*- tablegen -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_CONVERSION_PASSES_TD
#define QNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerToLinalg : Pass<"lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower qnn ops and quant casts to linalg on tensors";
  let description = [{
    Rewrites every qnn op of the float form into linalg (mostly
    `linalg.generic`) and tensor ops on tensors, with the semantics stated in
    each op's description (zero padding, grouped and depthwise convolution
    with dilation, asymmetric padding, exclusive or inclusive average
    pooling, batch normalization, NumPy broadcasting, per-channel clamps).
    `qnn.stats` is dropped. The upstream quant casts of QDQ models are
    lowered too, with ONNX's rounding (round half to even, then saturate),
    and quantized tensor types become their storage integer types:

    ```mlir
    %q = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
    // becomes
    %q = linalg.generic ... {
      %s = arith.divf %in, %scale : f32
      %r = math.roundeven %s : f32
      %z = arith.addf %r, %zero_point : f32
      %c = arith.minimumf (arith.maximumf %z, -128.0), 127.0 : f32
      %i = arith.fptosi %c : f32 to i8
    } -> tensor<4xi8>
    ```

    The integer (I) form of `conv2d`, `dense` and `matmul` lowers too:
    padding with `input_zero_point`, operands extended to i32 by their
    signedness (`ui8` zero-extends, signless and signed integers
    sign-extend), matmul zero points subtracted, i32 multiply-accumulate
    onto the bias. `qnn.requantize` becomes an elementwise generic computing
    bit for bit `qnn::requantize()` of `Utils/FixedPoint.h` in i64
    (per-channel multipliers as constant tensors read at `axis`); its float
    `scale` form rounds the f64 product half away from zero
    (docs/Numerics.md). Signed and unsigned integer types become signless
    ones of the same width (the bit patterns are unchanged):

    ```mlir
    %y = qnn.requantize %acc fixed_point = <m0 = [1395864371], shift = [-8]>
           axis = 0 input_zero_point = 0 output_zero_point = 3
           clamp = [0, 255] rounding = single : tensor<8xi32> -> tensor<8xui8>
    // becomes
    %y = linalg.generic ... {
      %x = arith.extsi %in : i32 to i64
      %p = arith.muli %x, %m0 : i64
      %t = arith.shrsi (arith.addi %p, %round), %shift : i64
      %c = arith.minsi (arith.maxsi (arith.addi %t, %zp), %lo), %hi : i64
      %r = arith.trunci %c : i64 to i8
    } -> tensor<8xi8>
    ```

    The result is correct, not fast: the vectorized CPU schedule replaces
    these generics for the integer program. The quantized forms of qnn ops,
    and the integer forms of the other arithmetic ops, are reported as
    errors naming the op (they are lowered after `--fold-scales`).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let statistics = [
    Statistic<"numLowered", "num-lowered", "Number of qnn and quant ops lowered">
  ];
}

def MemRefCopyToLinalg : Pass<"memref-copy-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization and `buffer-results-to-out-params` create `memref.copy`.
    The LLVM lowering of a copy between non-contiguous buffers (a subview of
    a padded buffer, for instance) calls `memrefCopy` from MLIR's C runner
    library, which neither the JIT nor an emitted object file should depend
    on. As `linalg.copy`, the copy lowers to loops like every other linalg
    op.

    ```mlir
    memref.copy %src, %dst : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
    // becomes
    linalg.copy ins(%src : memref<4x4xf32, strided<[8, 1]>>) outs(%dst : memref<4x4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QNN_CONVERSION_PASSES_TD
