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
  let summary = "Rewrite memref.copy as vector loops (or linalg.copy)";
  let description = [{
    Bufferization and `buffer-results-to-out-params` create `memref.copy`
    (the padded copy of a convolution input into a subview, for instance).
    The LLVM lowering of a copy between non-contiguous buffers calls
    `memrefCopy` from MLIR's C runner library, which neither the JIT nor an
    emitted object file should depend on, and as `linalg.copy` lowered to
    loops it copies one element at a time (LLVM does not vectorize those
    loops). So a copy between statically shaped buffers whose innermost
    dimension is contiguous becomes `scf.for` loops over the outer
    dimensions and 64-byte `vector.transfer_read`/`transfer_write` chunks
    along the innermost one (the last chunk shorter); any other copy
    becomes `linalg.copy`.

    ```mlir
    memref.copy %src, %dst : memref<4x100xi8, strided<[128, 1]>> to memref<4x100xi8>
    // becomes
    scf.for %i = %c0 to %c4 step %c1 {
      %a = vector.transfer_read %src[%i, %c0], %z {in_bounds = [true]} : memref<4x100xi8, strided<[128, 1]>>, vector<64xi8>
      vector.transfer_write %a, %dst[%i, %c0] {in_bounds = [true]} : vector<64xi8>, memref<4x100xi8>
      %b = vector.transfer_read %src[%i, %c64], %z {in_bounds = [true]} : memref<4x100xi8, strided<[128, 1]>>, vector<36xi8>
      vector.transfer_write %b, %dst[%i, %c64] {in_bounds = [true]} : vector<36xi8>, memref<4x100xi8>
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def UniqueReturnedBuffers : Pass<"qnn-unique-returned-buffers",
                                  "::mlir::ModuleOp"> {
  let summary = "Return allocations directly (reshapes folded into them); "
                "a repeated allocation through a copy of its own";
  let description = [{
    `buffer-results-to-out-params` with `hoist-static-allocs` replaces a
    returned static `memref.alloc` by the caller's out-parameter (the
    kernels then write the result in place: no allocation and no copy per
    call) and erases the allocation; MLIR 22 erases it once per return
    operand, so a buffer returned twice (`return %y, %y`, as a calibration
    module that returns the statistics taps of a result does) would be
    erased twice. This pass, run just before, returns every repeated
    allocation after the first through a fresh allocation and a copy:

    ```mlir
    return %a, %a : memref<4xf32>, memref<4xf32>
    // becomes
    %b = memref.alloc() : memref<4xf32>
    memref.copy %a, %b : memref<4xf32> to memref<4xf32>
    return %a, %b : memref<4xf32>, memref<4xf32>
    ```

    First, a returned `memref.expand_shape` or `memref.collapse_shape` of a
    static identity-layout allocation (the int8 kernels write flat views of
    their results) becomes an allocation of the returned type, which the
    old allocation's users see through the reverse reshape; the
    out-parameter then receives the kernel's writes directly instead of a
    copy of them.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def StackBuffers : Pass<"qnn-stack-buffers", "::mlir::func::FuncOp"> {
  let summary = "Put small temporary buffers on the stack";
  let description = [{
    Replaces the `memref.alloc`s of the function's entry block that do not
    escape (not returned, not passed to a call, also through views) and
    have a static shape of at most `max-size` bytes by `memref.alloca`s of
    the same type and alignment, smallest first, while their total stays
    within `budget` bytes (0: none). Run it after bufferization (and out-parameter
    hoisting), before buffer deallocation: the promoted buffers need no
    free, and a call no longer pays a `malloc` and a `free` per layer
    (about 3% of VWW's int8 latency). Allocations inside loops are left
    alone (an alloca there would grow the frame on every iteration).

    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<48x48x8xi8>
    // becomes
    %a = memref.alloca() {alignment = 64 : i64} : memref<48x48x8xi8>
    ```
  }];
  let options = [
    Option<"maxSize", "max-size", "int64_t", /*default=*/"65536",
           "Largest buffer (bytes) put on the stack">,
    Option<"budget", "budget", "int64_t", /*default=*/"524288",
           "Total bytes of stack buffers per function (0: none)">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
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
      are read as u8 by flipping their top bit (`x_u8 = x_s8 + 128`: in
      the im2col copy; for dense and 1x1 layers with at most 3 blocks of
      32 output channels, row tile by row tile into a small scratch just
      before the tile's reduction; else one elementwise pass) so that the
      4-byte group broadcast is a plain load, and the compensation
      `-128 * sum_k w[o, k]` is folded into the int32 bias at compile time;
      i32 wrap-around makes this exact for every input. Layers with K
      (padded) >= 256 instead keep the activations as they are, in
      vpdpbusd's signed operand, and pack the weights as u8 (`w + 128`,
      the unsigned operand): no flipped copy; each row's
      `-128 * sum_k x[m, k]` (one vpdpbusd of 1s per 64 activations and a
      lane sum, per row) is added to the row's initial accumulators.
    * `avx2`: `llvm.x86.avx2.pmadd.wd` (vpmaddwd, s16 x s16 pairs -> i32,
      exact: no vpmaddubsw, whose s16 saturation would not be) on ymm
      registers. The weights are packed sign-extended to i16 in pairs
      (`tensor<B x K2 x 64 x i16>`), the activation pair is sign-extended
      and broadcast; no compensation.
    * `vector`: portable vector arithmetic for any target: the activation
      sign-extended and broadcast, the weight row (`tensor<B x K x 32 x
      i8>`) sign-extended, `arith.muli` + `arith.addi` on `vector<16xi32>`.

    * avx512vnni, N = 8 or 4 output channels (M and `tile-rows` multiples
      of 16 / N): 16 / N rows share one accumulator (lanes [r N, (r + 1)
      N) are row r; weights and bias packed 16 / N times over; the rows'
      broadcasts merged), so a tile needs a half or a quarter of the
      epilogues and 16-byte stores of whole rows.
    * avx512vnni, N = 16 or 32 with an i8 epilogue, and the rows sharing
      a vector: the result is built flat (`tensor<M*N x i8>`, expanded at
      the end) and each tile's vectors, contiguous there, are narrowed in
      runs of 4 (`packssdw`, `packsswb`, one 32-bit permute) and written
      as one 64-byte vector (a 3-vector tail as a masked 48-byte one).
    * Convolutions with K padded to at most 32, at most 4 filter rows, no
      W dilation, `(stride_w + kw) * C <= 16` and an even output width
      build the im2col copy two rows per 64-byte vector: the filter rows'
      16-byte input windows in one vector, one byte shuffle placing,
      zero-padding and flipping both rows. With N = 8 the rows' 4-byte
      groups alternate and the kernel reads a group of both rows with one
      8-byte broadcast (the accumulator permuted to row halves before the
      epilogue).
    * `input-quantize`: `quant.qcast` + `quant.scast` + `qnn.transpose`
      NCHW -> NHWC of an f32 tensor with at most 4 channels (per-tensor,
      i8) becomes one vector kernel: per row and 16 pixels the channel
      rows are quantized in f32 (the proven reciprocal multiply, the clamp
      before the rounding, `vcvtps2dq` on avx512vnni) and interleaved into
      whole NHWC pixels (saturating packs and one byte permute).
    * The register tile is `tile-rows` rows x 32 channels (two 16-lane
      accumulators per row; AVX2 holds each as two ymm halves; by default
      on avx512vnni 12 rows, and 24 rows of one accumulator for layers
      with at most 16 output channels and K >= 32); the loop
      over the 32-channel blocks is outside the loop over the row tiles (a
      block's packed weights stay in L1); the row and channel tails are
      specialised copies of the tile (masked stores for a partial
      16-channel vector).
    * A `qnn.requantize` that is the only user of the layer's result (and
      reads the channel axis, or has one multiplier and one clamp pair) is
      fused into the tile's epilogue when `fuse-requantize` is set: the i32
      accumulators never go to memory. The epilogue computes the same
      arithmetic as the scalar lowering (docs/Numerics.md) on 16 lanes:
      the fixed-point forms with a 64-bit product and a 32-bit
      round-half-away division, the float form in f64. On avx512vnni with
      `float-requantize` (the default) the fixed-point forms are computed
      in f32 instead (two FMAs, the second and the conversion rounded
      toward -inf) wherever that is proven bit-exact for every accumulator
      the layer's constant weights and bias allow (docs/Numerics.md, "Exact
      float requantization"); in dense and convolution layers the choice is
      made per block of 32 output channels (a block with an unproven
      channel keeps the integer form), in depthwise layers per layer.

    Depthwise `qnn.conv2d` (`groups` = C = O > 1, filter `[C, KH, KW, 1]`,
    any stride, padding and dilation; i8 input, constant i8 filter,
    constant or absent i32 bias) becomes a kernel vectorized over the
    channels when `depthwise` is set (no reduction over channels).

    On avx512vnni, with at most 4 filter rows and C a multiple of 16 (or C
    dividing 16 with unit stride along W and OW a multiple of 16 / C), the
    filter rows go in the 4 bytes of a `vpdpbusd` lane: for each group of
    output rows the input rows it reads are interleaved byte by byte and
    flipped to u8 into an L1 scratch (`Q[4 f + q] = x[row q][f] ^ 0x80`
    over the flat (column, channel) index f, the zero point in padding
    rows and columns), so that one 64-byte load holds 16 positions x 4
    rows and one `vpdpbusd` with the weights `(w[0][kw], .., w[3][kw])`
    per lane adds a filter column: 3 per 16 outputs of a 3x3 filter. With
    unit stride and dilation along H and at most 3 filter rows, rows y ..
    y + 3 serve output rows y and y + 1 (second weights `(0, w[0], w[1],
    w[2])`): each load feeds two `vpdpbusd` and the scratch is built once
    per two output rows (64 positions at a time: `vpermt2b` per row pair,
    in-lane word unpacks); with a 3-row filter every group after an
    image's first takes the previous group's rows 2, 3 as its rows 0, 1
    (one permute in L1) and reads only its two new input rows. `-128 * sum(w)` per channel goes into the bias;
    tiles of up to 16 accumulators; the border row groups are static
    copies. Every other depthwise layer, and the other ISAs, use:

    * The filter is repacked tap-major at compile time to a constant
      `tensor<KH*KW x C16 x i32>` already in the operand form of the
      multiply-accumulate (zeros past C), the bias to `tensor<C16 x i32>`.
    * Loops: image, output row, `depthwise-pixels` output pixels along W,
      16-channel block (innermost: a tile reads and writes whole pixels;
      the tail block a static copy with masked loads and stores). In a tile
      each input column of each filter row is read and sign-extended once
      and used by every pixel that needs it.
    * Borders without a padding copy: the output rows and columns whose
      taps leave the input are peeled into static copies that read only
      their valid taps; the taps in the padding (which holds
      `input_zero_point`, the I-form padding) add `zp * w` to the
      accumulators' initial value. With more than 8 border rows or columns
      the input is padded with the zero point by a copy instead.
    * Each tap is one `vpdpwssd` (avx512vnni) or two `vpmaddwd` (avx2) on
      the sign-extended x and w seen as i16 pairs with w's high halves 0
      (acc + x w exactly), or `arith.muli` + `arith.addi` (vector). On
      avx512vnni the filter rows go in pairs: the input bytes of rows kh
      and kh+1 of a column are interleaved, then sign-extended to i16, and
      one `vpdpwssd` against a pair table adds both taps (6 instead of 9
      per 3x3 pixel).
    * Fewer than 16 channels dividing 16 with stride and dilation 1 along
      W: 16 / C neighbouring pixels share one vector (lane l is channel
      l % C of pixel l / C; the input padded by a copy), instead of a
      vector with 16 - C idle lanes.
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
           "Rows of the register tile (1-12; 0: 12 for avx512vnni, 24 "
           "there for layers with at most 16 output channels and K >= 32, "
           "3 for avx2, 8 for vector)">,
    Option<"depthwise", "depthwise", "bool", /*default=*/"true",
           "Lower depthwise convolutions (groups = C = O, filter "
           "[C, KH, KW, 1]) to the channel-vectorized kernel">,
    Option<"depthwisePixels", "depthwise-pixels", "int64_t",
           /*default=*/"8",
           "Output pixels (along W) per depthwise register tile (1-16)">,
    Option<"floatRequantize", "float-requantize", "bool", /*default=*/"true",
           "avx512vnni: compute a fused fixed-point requantize in the f32 "
           "form where it is proven exact for every accumulator the layer "
           "can produce (docs/Numerics.md)">,
    Option<"inputQuantize", "input-quantize", "bool", /*default=*/"true",
           "Lower quant.qcast + quant.scast + qnn.transpose NCHW -> NHWC of "
           "an f32 input with at most 4 channels (per-tensor, i8) to one "
           "vector kernel">
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
    Statistic<"numDepthwise", "num-depthwise", "Number of depthwise convolutions lowered to the channel-vectorized kernel">,
    Statistic<"numFloatRequantize", "num-float-requantize", "Number of fused requantize epilogues in the exact f32 form">,
    Statistic<"numInputQuantize", "num-input-quantize", "Number of input quantize + NCHW -> NHWC transposes lowered to one kernel">
  ];
}

def LowerF32Kernels : Pass<"lower-f32-kernels", "::mlir::ModuleOp"> {
  let summary = "Lower float dense, conv2d and depthwise conv2d to FMA vector kernels";
  let description = [{
    Rewrites the float (F) form of `qnn.dense` and of `qnn.conv2d` with
    `groups = 1` (1x1 stride-1 unpadded convolutions directly as a matrix
    product over the N*H*W rows, other convolutions through an im2col copy
    of the zero-padded input when `im2col` is set), with f32 input,
    constant f32 weights (`dense` or `dense_resource`) and constant (or
    absent) f32 bias, into a register-tiled micro-kernel on tensors
    (`scf.for`, `vector.transfer_read/write`) whose multiply-accumulate is
    `vector.fma` on `vector<16xf32>` (`llvm.intr.fmuladd`: one
    `vfmadd231ps` per vector on x86-64 with FMA; a multiply and an add on
    targets without it).

    * The weights are packed at compile time into the layout the kernel
      reads: `packed[b][k][c] = w[NB b + c][k]`, a
      `tensor<B x K x NB x f32>` with NB = `block-cols` (narrowed to the
      layer's channels rounded up to 16) and zeros past O.
    * The register tile is R rows x NB/16 vectors (`tile-rows`; 0 picks
      R = 24 / (NB/16) accumulators' worth, at most 12): per k, one load of
      each weight vector, one broadcast of `lhs[m][k]` per row and R x NB/16
      `vector.fma`. The bias is the accumulators' initial value.
    * The blocks are visited in groups whose weight panel (K x NB x 4 bytes
      per block) fits in `panel-kib` KiB, every row tile streaming through
      a group before the next one (weights stay in L2 on large layers).
    * The row and channel tails are specialised static copies of the tile
      (masked stores for a partial 16-channel vector).

    ```mlir
    %y = qnn.dense %x, %w, %b activation = relu6
           : (tensor<9x40xf32>, tensor<20x40xf32>, tensor<20xf32>) -> tensor<9x20xf32>
    // becomes (tile of 8 rows x 2 vectors, then the row tail)
    %p = arith.constant dense<...> : tensor<1x40x32xf32>   // packed weights
    scf.for %m0 = %c0 to %c8 step %c8 iter_args(%o = %empty) {
      %acc = scf.for %k = %c0 to %c40 step %c1 iter_args(%a0 = %bias0, ...) {
        %w0 = vector.transfer_read %p[%c0, %k, %c0] ... : vector<16xf32>
        %x0 = tensor.extract %x[%m0, %k] : tensor<9x40xf32>
        %s0 = vector.broadcast %x0 : f32 to vector<16xf32>
        %n0 = vector.fma %s0, %w0, %a0 : vector<16xf32>
        ...
      }
      %r = arith.minimumf (arith.maximumf %acc#0, %zero), %six : vector<16xf32>
      vector.transfer_write %r, %o[%m0, %c0] {in_bounds = [true]} ...
      vector.transfer_write %r1, %o[%m0, %c16] {in_bounds = [false]} ... // 4 of 16
    }
    ```

    Depthwise `qnn.conv2d` (`groups` = C = O > 1, filter `[C, KH, KW, 1]`,
    any stride, padding and dilation) becomes a kernel vectorized over the
    channels when `depthwise` is set:

    * The filter is repacked tap-major to a constant
      `tensor<KH*KW x C16 x f32>` (zeros past C) and the bias to
      `tensor<C16 x f32>`; a tile reads the KH*KW weight vectors of its
      16-channel block (from L1).
    * Loops: image, output row, `depthwise-pixels` output pixels along W,
      16-channel block (innermost, so that a tile reads and writes whole
      pixels, contiguous; the tail block a static copy with masked loads
      and stores). In a tile each input column of each filter row is
      loaded once and used by every pixel that needs it; each tap is one
      `vector.fma`.
    * Borders without a padding copy: the output rows and columns whose
      taps leave the input are peeled into static copies that read only
      their valid taps (the interior loops read no padding). With more than
      8 border rows or columns the input is padded with zeros by a copy
      instead.

    The activation of the layer (`relu`, `relu6`, `clamp` with scalar or
    per-channel bounds), or, when `fuse-activation` is set, that of a
    following `qnn.activation` that is the layer's only user, is applied to
    the accumulators in registers before the store (`arith.maximumf`, then
    `arith.minimumf`, as the generic lowering does per element).

    The fp32 sums are computed in another order than the generic lowering's
    (and fused): results differ from it by rounding only
    (`test/Integration/CPU/float-kernels.test` checks both against a
    float64 reference). Everything else (other ops, grouped convolutions,
    non-constant weights) is left to `--lower-to-linalg`. Run it before
    `--lower-to-linalg`; `--lower-to-cpu="float-kernels=vector"` (and
    `auto`, the default) does.
  }];
  let options = [
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"0",
           "Rows of the matrix-product register tile (1-16; 0: about 24 "
           "accumulators: 6 rows of 64 columns, 8 of 48, 12 of 32 or 16)">,
    Option<"blockCols", "block-cols", "int64_t", /*default=*/"64",
           "Output channels per packed weight block (16, 32, 48 or 64)">,
    Option<"panelKib", "panel-kib", "int64_t", /*default=*/"1024",
           "Weight panel (KiB) a group of blocks may fill while every row "
           "tile streams through it (0: one group)">,
    Option<"im2col", "im2col", "bool", /*default=*/"true",
           "Lower convolutions other than 1x1 stride-1 unpadded ones "
           "through an im2col copy">,
    Option<"depthwise", "depthwise", "bool", /*default=*/"true",
           "Lower depthwise convolutions (groups = C = O, filter "
           "[C, KH, KW, 1]) to the channel-vectorized kernel">,
    Option<"depthwisePixels", "depthwise-pixels", "int64_t",
           /*default=*/"8",
           "Output pixels (along W) per depthwise register tile (1-16)">,
    Option<"fuseActivation", "fuse-activation", "bool", /*default=*/"true",
           "Apply a following qnn.activation (the layer's only user) in the "
           "kernel's epilogue">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
  let statistics = [
    Statistic<"numKernels", "num-kernels", "Number of layers lowered to FMA kernels">,
    Statistic<"numDepthwise", "num-depthwise", "Number of depthwise convolutions lowered to the channel-vectorized kernel">,
    Statistic<"numFloatRequantize", "num-float-requantize", "Number of fused requantize epilogues in the exact f32 form">,
    Statistic<"numFused", "num-fused-activation", "Number of qnn.activation fused into a kernel">
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
