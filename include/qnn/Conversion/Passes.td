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

def LowerInt8Kernels : Pass<"lower-int8-kernels", "::mlir::ModuleOp"> {
  let summary = "Lower integer-form dense, conv2d and depthwise conv2d to "
                "register-tiled int8 kernels (AVX-512 VNNI, AVX2 or portable "
                "vectors)";
  let description = [{
    Rewrites the integer (I) form of `qnn.dense` and of `qnn.conv2d` with
    `groups = 1` (1x1 stride-1 unpadded convolutions directly as a matrix
    product over the N*H*W rows, other convolutions through an im2col copy
    when `im2col` is set), with i8 input, constant i8 weights and constant
    (or absent) i32 bias, into a register-tiled micro-kernel on tensors
    (`scf.for`, `vector.transfer_read/write`) whose multiply-accumulate
    depends on `isa`:

    * `avx512vnni`: `llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"` on
      `vector<16xi32>, vector<64xi8>, vector<64xi8>` (u8 x s8 -> i32, no
      saturation). The weights are packed at compile time into the VNNI-4
      layout `packed[b][k4][c][j] = w[32 b + c][4 k4 + j]`
      (`tensor<B x K4 x 128 x i8>`, K padded to a multiple of 4 and the
      output channels to a multiple of 32 with zeros). The s8 activations
      are read as u8 by flipping their top bit (`x_u8 = x_s8 + 128`, done
      once per layer while the activation matrix is formed: in the im2col
      copy, or one elementwise pass for dense and 1x1 layers) so that the
      4-byte group broadcast is a plain load, and the compensation
      `-128 * sum_k w[o, k]` is folded into the int32 bias at compile time;
      i32 wrap-around makes this exact for every input.
    * `avx2`: `llvm.x86.avx2.pmadd.wd` (vpmaddwd, s16 x s16 pairs -> i32,
      exact: no vpmaddubsw, whose s16 saturation would not be) on ymm
      registers. The weights are packed sign-extended to i16 in pairs
      (`tensor<B x K2 x 64 x i16>`), the activation pair is sign-extended
      and broadcast; no compensation.
    * `vector`: portable vector arithmetic for any target: the activation
      sign-extended and broadcast, the weight row (`tensor<B x K x 32 x
      i8>`) sign-extended, `arith.muli` + `arith.addi` on `vector<16xi32>`.

    * The register tile is `tile-rows` rows x 32 channels (two 16-lane
      accumulators per row; AVX2 holds each as two ymm halves); the row and
      channel tails are specialised copies of the tile (masked stores for
      a partial 16-channel vector).
    * A `qnn.requantize` that is the only user of the layer's result (and
      reads the channel axis, or has one multiplier and one clamp pair) is
      fused into the tile's epilogue when `fuse-requantize` is set: the i32
      accumulators never go to memory. The epilogue computes the same
      arithmetic as the scalar lowering (docs/Numerics.md) on 16 lanes:
      the fixed-point forms with a 64-bit product and a 32-bit
      round-half-away division, the float form in f64.

    Depthwise `qnn.conv2d` (`groups` = C = O > 1, filter `[C, KH, KW, 1]`,
    any stride, padding and dilation; i8 input, constant i8 filter,
    constant or absent i32 bias) becomes a kernel vectorized over the
    channels when `depthwise` is set (no reduction over channels):

    * The input is padded with `input_zero_point` (the I-form padding) and
      its channels to a multiple of 16 (zero weights there), so every
      read is in bounds; the filter is repacked tap-major to a constant
      `tensor<KH*KW x C16 x i8>` and the bias to `tensor<C16 x i32>`.
    * Loops: image, 16-channel block (the tail block is a static copy with
      masked stores), output row, `depthwise-pixels` output pixels along W
      (the W tail a static copy). The block's KH*KW weight vectors are
      read once per block; in a tile each input column of each filter row
      is read and sign-extended once and used by every pixel that needs
      it.
    * Each tap is one `vpdpwssd` (avx512vnni) or two `vpmaddwd` (avx2) on
      the sign-extended x and w seen as i16 pairs with w's high halves 0
      (acc + x w exactly), or `arith.muli` + `arith.addi` (vector).
    * The fused requantize uses the same epilogue as the dense kernel.

    Every ISA is bit-exact with `--lower-to-linalg` and the reference
    interpreter. Everything else (other ops, other types, non-constant
    weights) is left to `--lower-to-linalg`. Run it before
    `--lower-to-linalg`; `--lower-to-cpu="int8-kernels=vnni|avx2|vector"`
    does.
  }];
  let options = [
    Option<"isaName", "isa", "std::string", /*default=*/"\"avx512vnni\"",
           "Instruction set of the kernels: avx512vnni, avx2 or vector">,
    Option<"fuseRequantize", "fuse-requantize", "bool", /*default=*/"true",
           "Fuse a following qnn.requantize into the kernel's epilogue">,
    Option<"im2col", "im2col", "bool", /*default=*/"true",
           "Lower convolutions other than 1x1 stride-1 unpadded ones "
           "through an im2col copy">,
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"0",
           "Rows of the register tile (1-12; 0: 8, or 3 for avx2)">,
    Option<"depthwise", "depthwise", "bool", /*default=*/"true",
           "Lower depthwise convolutions (groups = C = O, filter "
           "[C, KH, KW, 1]) to the channel-vectorized kernel">,
    Option<"depthwisePixels", "depthwise-pixels", "int64_t",
           /*default=*/"8",
           "Output pixels (along W) per depthwise register tile (1-16)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
  let statistics = [
    Statistic<"numKernels", "num-kernels", "Number of layers lowered to VNNI kernels">,
    Statistic<"numFused", "num-fused-requantize", "Number of qnn.requantize fused into a kernel">,
    Statistic<"numDepthwise", "num-depthwise", "Number of depthwise convolutions lowered to the channel-vectorized kernel">
  ];
}

def SetLLVMTargetAttributes : Pass<"qnn-set-llvm-target", "::mlir::ModuleOp"> {
  let summary = "Attach target-cpu / target-features to every llvm.func";
  let description = [{
    Sets `target_cpu` and `target_features` on every `llvm.func` definition
    of the module, so that the LLVM IR carries `"target-cpu"` and
    `"target-features"` function attributes and any target machine
    compiles it for the named CPU (the VNNI kernels need
    `+avx512vnni`). Empty options leave the functions alone.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "LLVM CPU name (e.g. znver4)">,
    Option<"features", "features", "std::string", /*default=*/"\"\"",
           "LLVM feature string (e.g. +avx512f,+avx512vnni)">
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // QNN_CONVERSION_PASSES_TD
