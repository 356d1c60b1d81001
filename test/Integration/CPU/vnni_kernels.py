"""The int8 kernels of --lower-int8-kernels (--lower-to-cpu int8-kernels=
vnni|avx2|vector) against the generic lowering and the plain C++ reference
interpreter, byte for byte.

  vnni_kernels.py QUANT_OPT QUANT_RUN QNN_INTERPRET WORKDIR

Every case is a small integer (I-form) program: qnn.dense or qnn.conv2d with
constant i8 weights and i32 bias, usually followed by qnn.requantize. Shapes
have odd M (rows), K (depth) and N (output channels) so that every tail of
the kernel runs: rows past the last full 8-row tile, a partial 16-channel
vector (masked store), a 32-channel block with one vector, K not a multiple
of 4. The requantizations cover double and single rounding (negative and
positive shifts), the float form, a nonzero input zero point (saturation of
x - izp), per-channel clamp pairs, i16 and i32 results (a zero point that
needs the wide clamp), accumulators that wrap around int32 (compared with
the generic lowering only: the reference reports the overflow as an error),
and layers whose i32 result is stored as is (not fused).

For each case the script checks that quant-opt --lower-int8-kernels lowers
the layer (a vpdpbusd call, or vpmaddwd with isa=avx2, and, when expected,
no qnn.requantize left), then runs the same random input through quant-run
--int8-kernels=vnni (the host's AVX-512 code), the VNNI kernels compiled for
--target-cpu=cascadelake without AVX512-VBMI (the byte shuffles of the
depthwise, im2col and input kernels then lower without vpermb/vpermt2b),
--int8-kernels=avx2 compiled
for --target-cpu=haswell --target-features=+avx2,+fma (AVX2, no AVX-512
instruction: a function's target-features replace the JIT's host features;
a target-cpu alone would keep them), --int8-kernels=vector compiled for
--target-cpu=x86-64 --target-features=+sse2 (SSE2 only),
--int8-kernels=generic
and qnn-interpret, and compares the six .npy outputs byte for byte. Prints `PASS <case>` or `FAIL <case>: why`, then
`CASES <n>`.
"""
import os
import subprocess
import sys

import numpy as np

quant_opt, quant_run, qnn_interpret, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(2024)


def lit(a):
    return "dense<" + np.array2string(
        np.asarray(a), separator=", ", threshold=10**9).replace("\n", "") + ">"


def ttype(shape, elem):
    return "tensor<" + "x".join(map(str, shape)) + "x" + elem + ">"


def fixed_point(n, shifts, per_channel=True):
    count = n if per_channel else 1
    m0 = rng.integers(2**30, 2**31, count)
    s = rng.choice(shifts, count)
    return ("fixed_point = <m0 = [" + ", ".join(map(str, m0)) +
            "], shift = [" + ", ".join(map(str, s)) + "]>")


def scales(n, lo, hi, per_channel=True):
    count = n if per_channel else 1
    return "scale = [" + ", ".join(
        repr(float(x)) for x in rng.uniform(lo, hi, count)) + "]"


def requantize(value, shape, axis, mult, izp=0, ozp=3, clamp=(-128, 127),
               rounding="double", out="i8"):
    return (f"qnn.requantize {value} {mult} axis = {axis} "
            f"input_zero_point = {izp} output_zero_point = {ozp} "
            f"clamp = [{', '.join(map(str, clamp))}] rounding = {rounding} "
            f": {ttype(shape, 'i32')} -> {ttype(shape, out)}")


def dense_case(m, k, n, rq=None, wlo=-128, whi=127, bias_range=20000,
               bias=None, twice=False):
    """A dense layer; `rq(shape, value)` makes the requantize text (None:
    the i32 accumulator is the result; `twice`: two requantizes read it)."""
    w = rng.integers(wlo, whi + 1, (n, k)).astype(np.int8)
    b = (bias if bias is not None else
         rng.integers(-bias_range, bias_range, n)).astype(np.int32)
    x_t, acc_t = ttype((m, k), "i8"), ttype((m, n), "i32")
    body = [
        f"  %w = arith.constant {lit(w)} : {ttype((n, k), 'i8')}",
        f"  %b = arith.constant {lit(b)} : {ttype((n,), 'i32')}",
        f"  %acc = qnn.dense %x, %w, %b input_zero_point = -7 : "
        f"({x_t}, {ttype((n, k), 'i8')}, {ttype((n,), 'i32')}) -> {acc_t}",
    ]
    if rq is None:
        result, res_t = "%acc", acc_t
    else:
        text, res_t = rq((m, n), "%acc", 1)
        body.append(f"  %y = {text}")
        result = "%y"
        if twice:
            text2, _ = rq((m, n), "%acc", 1)
            body.append(f"  %y2 = {text2}")
            body.append(f"  %sum = qnn.add %y, %y2 : ({res_t}, {res_t}) -> "
                        f"{res_t}") if res_t.endswith("xi32>") else None
            result = "%sum" if res_t.endswith("xi32>") else "%y"
    src = (f"func.func @main(%x: {x_t}) -> {res_t} {{\n" + "\n".join(
        line for line in body if line) + f"\n  return {result} : {res_t}\n}}\n")
    return src, (m, k)


def conv_case(n, h, wd, c, o, kh, kw, strides, pads, dil=(1, 1), izp=-3,
              rq=None):
    f = rng.integers(-127, 128, (o, kh, kw, c)).astype(np.int8)
    b = rng.integers(-20000, 20000, o).astype(np.int32)
    # padding = [top, left, bottom, right]
    oh = (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    x_t, acc_t = ttype((n, h, wd, c), "i8"), ttype((n, oh, ow, o), "i32")
    f_t, b_t = ttype((o, kh, kw, c), "i8"), ttype((o,), "i32")
    body = [
        f"  %f = arith.constant {lit(f)} : {f_t}",
        f"  %b = arith.constant {lit(b)} : {b_t}",
        f"  %acc = qnn.conv2d %x, %f, %b strides = [{strides[0]}, {strides[1]}]"
        f" dilations = [{dil[0]}, {dil[1]}] padding = [{', '.join(map(str, pads))}]"
        f" groups = 1 input_zero_point = {izp} : ({x_t}, {f_t}, {b_t}) -> {acc_t}",
    ]
    if rq is None:
        result, res_t = "%acc", acc_t
    else:
        text, res_t = rq((n, oh, ow, o), "%acc", 3)
        body.append(f"  %y = {text}")
        result = "%y"
    src = (f"func.func @main(%x: {x_t}) -> {res_t} {{\n" + "\n".join(body) +
           f"\n  return {result} : {res_t}\n}}\n")
    return src, (n, h, wd, c)


def dw_case(n, h, wd, c, kh, kw, strides, pads, dil=(1, 1), izp=-3,
            rq=None):
    """A depthwise convolution: groups = C = O, filter [C, KH, KW, 1]."""
    f = rng.integers(-128, 128, (c, kh, kw, 1)).astype(np.int8)
    b = rng.integers(-20000, 20000, c).astype(np.int32)
    oh = (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    x_t, acc_t = ttype((n, h, wd, c), "i8"), ttype((n, oh, ow, c), "i32")
    f_t, b_t = ttype((c, kh, kw, 1), "i8"), ttype((c,), "i32")
    body = [
        f"  %f = arith.constant {lit(f)} : {f_t}",
        f"  %b = arith.constant {lit(b)} : {b_t}",
        f"  %acc = qnn.conv2d %x, %f, %b strides = [{strides[0]}, {strides[1]}]"
        f" dilations = [{dil[0]}, {dil[1]}] padding = [{', '.join(map(str, pads))}]"
        f" groups = {c} input_zero_point = {izp} : ({x_t}, {f_t}, {b_t}) -> {acc_t}",
    ]
    if rq is None:
        result, res_t = "%acc", acc_t
    else:
        text, res_t = rq((n, oh, ow, c), "%acc", 3)
        body.append(f"  %y = {text}")
        result = "%y"
    src = (f"func.func @main(%x: {x_t}) -> {res_t} {{\n" + "\n".join(body) +
           f"\n  return {result} : {res_t}\n}}\n")
    return src, (n, h, wd, c)


def rq_double(shifts=(-12, -11, -10, -9, -8), per_channel=True, **kw):
    def make(shape, value, axis):
        out = kw.get("out", "i8")
        return requantize(value, shape, axis,
                          fixed_point(shape[-1], shifts, per_channel),
                          **kw), ttype(shape, out)
    return make


def rq_single(shifts=(-12, -9, -3, 0, 2), **kw):
    def make(shape, value, axis):
        out = kw.get("out", "i8")
        return requantize(value, shape, axis,
                          fixed_point(shape[-1], shifts), rounding="single",
                          **kw), ttype(shape, out)
    return make


def rq_float(lo=1e-4, hi=2e-3, per_channel=True, **kw):
    def make(shape, value, axis):
        out = kw.get("out", "i8")
        return requantize(value, shape, axis,
                          scales(shape[-1], lo, hi, per_channel),
                          **kw), ttype(shape, out)
    return make


def rq_clamp_pairs(**kw):
    def make(shape, value, axis):
        n = shape[-1]
        pairs = []
        for _ in range(n):
            lo = int(rng.integers(-128, 0))
            pairs += [lo, int(rng.integers(lo, 128))]
        return requantize(value, shape, axis, fixed_point(n, (-11, -10, -9)),
                          clamp=pairs, **kw), ttype(shape, "i8")
    return make


def dense_mixed_epilogue_case(m):
    """K = 136 taps of weight 127: accumulators up to about 2^21, where the
    f32 requantization has no proven plan for the multipliers of channels
    5 and 70 (2^-12 * 1126380131 / 2^31, 2^-13 * 1471418428 / 2^31) but has
    one for the others: blocks 0 and 2 (channels 0-31, 64-79) compute in
    the integer form, block 1 in f32."""
    k, n = 136, 80
    m0 = [(1200000000, 1500000000, 2000000000)[c % 3] for c in range(n)]
    shift = [(-12, -13)[c % 2] for c in range(n)]
    m0[5], shift[5] = 1126380131, -12
    m0[70], shift[70] = 1471418428, -13
    x_t, acc_t, y_t = (ttype((m, k), "i8"), ttype((m, n), "i32"),
                       ttype((m, n), "i8"))
    src = (f"func.func @main(%x: {x_t}) -> {y_t} {{\n"
           f"  %w = arith.constant dense<127> : {ttype((n, k), 'i8')}\n"
           f"  %b = arith.constant dense<0> : {ttype((n,), 'i32')}\n"
           f"  %acc = qnn.dense %x, %w, %b : ({x_t}, {ttype((n, k), 'i8')}, "
           f"{ttype((n,), 'i32')}) -> {acc_t}\n"
           f"  %y = qnn.requantize %acc fixed_point = <m0 = "
           f"[{', '.join(map(str, m0))}], shift = [{', '.join(map(str, shift))}]>"
           f" axis = 1 input_zero_point = 0 output_zero_point = 3 "
           f"clamp = [-128, 127] rounding = double : {acc_t} -> {y_t}\n"
           f"  return %y : {y_t}\n}}\n")
    return src, (m, k)


I32 = (-2**31, 2**31 - 1)
cases = {
    # Shapes: tails in M (rows), N (channels), K (depth).
    "dense_1x16x5": dense_case(1, 16, 5, rq_double()),
    "dense_3x6x5": dense_case(3, 6, 5, rq_double()),
    "dense_7x13x17": dense_case(7, 13, 17, rq_double()),
    "dense_8x32x32": dense_case(8, 32, 32, rq_double()),
    "dense_9x64x33": dense_case(9, 64, 33, rq_double()),
    "dense_17x100x48": dense_case(17, 100, 48, rq_double()),
    "dense_33x7x70": dense_case(33, 7, 70, rq_double()),
    "dense_5x3x1": dense_case(5, 3, 1, rq_double()),
    "dense_64x256x64": dense_case(64, 256, 64, rq_double()),
    "dense_per_tensor": dense_case(11, 40, 21, rq_double(per_channel=False)),
    # Requantization forms and edges.
    "dense_single_pos_shift": dense_case(10, 30, 19, rq_single()),
    "dense_double_pos_shift": dense_case(10, 30, 19,
                                         rq_double(shifts=(-3, 0, 1, 4))),
    "dense_float": dense_case(13, 50, 37, rq_float()),
    "dense_float_per_tensor": dense_case(13, 50, 37,
                                         rq_float(per_channel=False)),
    # acc near INT32_MAX (|x w| sums < 4e5): x - izp saturates to int32.
    "dense_izp_saturates": dense_case(
        9, 20, 18, rq_double(shifts=(-2, 0, 3), izp=-2**31 + 5), wlo=-127,
        whi=127, bias=np.full(18, 2**31 - 400000)),
    # The accumulation wraps around int32: defined by the lowering (two's
    # complement), an error in the reference, so vnni == generic only.
    "dense_wraps_int32": dense_case(
        9, 20, 18, rq_single(shifts=(-20, -1, 5)), wlo=120, whi=127,
        bias=np.full(18, 2**31 - 50)),
    "dense_clamp_pairs": dense_case(12, 24, 20, rq_clamp_pairs()),
    "dense_i16_out": dense_case(7, 33, 29, rq_double(
        shifts=(-6, -4), ozp=-100, clamp=(-32768, 32767), out="i16")),
    "dense_i32_out_wide_clamp": dense_case(7, 33, 29, rq_double(
        shifts=(-1, 2, 8), izp=11, ozp=-100, clamp=I32, out="i32")),
    "dense_float_i32_out": dense_case(7, 33, 29, rq_float(
        lo=0.5, hi=3.0, ozp=5, clamp=I32, out="i32")),
    # The i32 accumulator stored as it is.
    "dense_acc_only": dense_case(9, 21, 35),
    "dense_two_users": dense_case(9, 21, 35, rq_double(
        shifts=(-2,), clamp=I32, ozp=0, out="i32"), twice=True),
    # Convolutions: 1x1 as a matmul, the others through im2col.
    "conv_1x1": conv_case(2, 3, 5, 7, 19, 1, 1, (1, 1), (0, 0, 0, 0),
                          rq=rq_double()),
    "conv_1x1_c64_o96": conv_case(1, 6, 6, 64, 96, 1, 1, (1, 1),
                                  (0, 0, 0, 0), rq=rq_double()),
    "conv_1x1_stride2": conv_case(1, 7, 7, 12, 20, 1, 1, (2, 2),
                                  (0, 0, 0, 0), rq=rq_single()),
    "conv_3x3_pad_stride2": conv_case(1, 10, 9, 3, 8, 3, 3, (2, 2),
                                      (0, 1, 1, 0), izp=-1, rq=rq_double()),
    "conv_3x3_dilated": conv_case(2, 9, 8, 5, 33, 3, 3, (1, 1),
                                  (2, 2, 2, 2), dil=(2, 2), izp=17,
                                  rq=rq_float()),
    "conv_10x4_c1": conv_case(1, 20, 10, 1, 16, 10, 4, (2, 2),
                              (4, 5, 1, 2), izp=-128, rq=rq_double()),
    "conv_acc_only": conv_case(1, 5, 5, 6, 10, 3, 3, (1, 1), (1, 1, 1, 1)),
    # N = 8 and 4 output channels on VNNI: 2 and 4 rows per vector (VWW's
    # first layer is 3x3 stride 2, C = 3, N = 8); a row-tile tail, i32 and
    # i16 results, the float form, the per-tile flip of a 1x1 layer.
    "conv_rows_o8": conv_case(1, 10, 20, 3, 8, 3, 3, (2, 2), (0, 0, 1, 1),
                              izp=-128, rq=rq_double()),
    "conv_rows_o4_float": conv_case(1, 7, 4, 5, 4, 3, 3, (1, 1),
                                    (1, 1, 1, 1), izp=6, rq=rq_float()),
    "dense_rows_o8_acc_only": dense_case(24, 9, 8),
    # im2col two rows per vector (K padded <= 32, (sw + kw) C <= 16, OW
    # even): row dilation with batch 2, 4 filter rows with stride 2 along W.
    "conv_im2col_pairs_dilated": conv_case(2, 8, 8, 2, 12, 3, 3, (1, 1),
                                           (1, 1, 1, 1), dil=(2, 1), izp=5,
                                           rq=rq_single()),
    "conv_im2col_pairs_4x2": conv_case(1, 9, 6, 1, 5, 4, 2, (1, 2),
                                       (0, 1, 0, 1), izp=-7, rq=rq_float()),
    "conv_rows_1x1_o8_i16": conv_case(1, 4, 6, 16, 8, 1, 1, (1, 1),
                                      (0, 0, 0, 0),
                                      rq=rq_double(shifts=(-6, -4), ozp=-100,
                                                   clamp=(-32768, 32767),
                                                   out="i16")),
    # Depthwise (groups = C): channel-vectorized kernel, no vpdpbusd.
    # Channel tails (24, 144, 7), pixel tails, strides 1 and 2, symmetric
    # and asymmetric zero-point padding, dilation, batch 2.
    "dw_3x3_c24_s1": dw_case(1, 9, 11, 24, 3, 3, (1, 1), (1, 1, 1, 1),
                             izp=-5, rq=rq_double()),
    "dw_3x3_c144_s2_asym": dw_case(1, 12, 13, 144, 3, 3, (2, 2),
                                   (0, 0, 1, 1), izp=7, rq=rq_double()),
    "dw_3x3_c144_s1": dw_case(1, 8, 10, 144, 3, 3, (1, 1), (1, 1, 1, 1),
                              izp=-128, rq=rq_single()),
    "dw_3x3_c32_s2_pad": dw_case(2, 7, 9, 32, 3, 3, (2, 2), (1, 1, 1, 1),
                                 izp=12, rq=rq_float()),
    "dw_5x5_c7_dilated": dw_case(1, 11, 10, 7, 5, 5, (1, 1), (4, 3, 2, 4),
                                 dil=(2, 2), izp=-1,
                                 rq=rq_double(per_channel=False)),
    "dw_3x1_c40_clamp_pairs": dw_case(1, 6, 17, 40, 3, 1, (1, 2),
                                      (1, 0, 1, 0), izp=3,
                                      rq=rq_clamp_pairs()),
    "dw_3x3_c24_i16": dw_case(1, 5, 6, 24, 3, 3, (1, 1), (0, 0, 1, 1),
                              rq=rq_double(shifts=(-6, -4), ozp=-100,
                                           clamp=(-32768, 32767), out="i16")),
    "dw_acc_only": dw_case(1, 6, 7, 20, 3, 3, (1, 1), (1, 1, 1, 1), izp=9),
    # C = 8, 4, 2 with stride 1 along W: 16 / C pixels share a vector
    # (VWW's first depthwise layer); a pixel tail (12 = 8 + 4), per-channel
    # clamp pairs, the float form, i32 accumulators.
    "dw_3x3_c8_s1_packed": dw_case(1, 9, 12, 8, 3, 3, (1, 1), (1, 1, 1, 1),
                                   izp=-5, rq=rq_double()),
    "dw_3x3_c4_packed_asym": dw_case(2, 7, 13, 4, 3, 3, (2, 1), (0, 0, 1, 1),
                                     izp=100, rq=rq_clamp_pairs()),
    "dw_3x3_c2_packed_float": dw_case(1, 5, 16, 2, 3, 3, (1, 1),
                                      (1, 1, 1, 1), izp=-7, rq=rq_float()),
    "dw_3x3_c8_packed_acc_only": dw_case(1, 6, 8, 8, 3, 3, (1, 1),
                                         (1, 1, 1, 1), izp=9),
    # VNNI: the filter rows in the bytes of a vpdpbusd lane (C a multiple
    # of 16 or packed pixels, at most 4 filter rows). Row pairs with an odd
    # row count (the last group single), stride 2 with batch 2, 4 filter
    # rows (single rows), dilation, i32 and i16 results, padding wider than
    # the filter (groups with no input row), 1x1, a masked row tail
    # (W * C = 56 with packed pixels), the zero point at both ends.
    "dw_quad_c16_odd_rows": dw_case(1, 7, 9, 16, 3, 3, (1, 1), (1, 1, 1, 1),
                                    izp=-128, rq=rq_double()),
    "dw_quad_c64_s2_batch": dw_case(2, 9, 10, 64, 3, 3, (2, 2), (0, 0, 1, 1),
                                    izp=5, rq=rq_float()),
    "dw_quad_4x3_c32": dw_case(1, 8, 7, 32, 4, 3, (1, 1), (2, 1, 1, 1),
                               izp=-9, rq=rq_single()),
    "dw_quad_2x2_c16_dilated": dw_case(1, 9, 8, 16, 2, 2, (1, 1),
                                       (1, 1, 1, 1), dil=(2, 2), izp=3,
                                       rq=rq_clamp_pairs()),
    "dw_quad_c48_acc_only": dw_case(1, 6, 5, 48, 3, 3, (1, 1), (1, 1, 1, 1),
                                    izp=127),
    "dw_quad_c32_i16": dw_case(1, 5, 6, 32, 3, 3, (1, 2), (0, 0, 1, 1),
                               rq=rq_double(shifts=(-6, -4), ozp=-100,
                                            clamp=(-32768, 32767),
                                            out="i16")),
    "dw_quad_c8_wide_pad": dw_case(1, 5, 6, 8, 3, 3, (1, 1), (3, 2, 3, 2),
                                   izp=-3, rq=rq_double()),
    "dw_quad_1x1_c16": dw_case(1, 4, 5, 16, 1, 1, (1, 1), (0, 0, 0, 0),
                               izp=0, rq=rq_double()),
    "dw_quad_c8_row_tail": dw_case(1, 6, 7, 8, 3, 3, (1, 1), (1, 1, 1, 2),
                                   izp=-60, rq=rq_float()),
    # No padding (the first row group is interior: peeled, the others shift
    # the previous group's rows), batch 2 (every image starts afresh), a
    # 64-position chunk and 16-position chunks per row (W C = 288).
    "dw_quad_c32_unpadded_batch": dw_case(2, 7, 9, 32, 3, 3, (1, 1),
                                          (0, 0, 0, 0), izp=-20,
                                          rq=rq_double()),
    # Rows of at least 28 vectors: a tile holds 2 (C = 32), 3 (C = 48, 96)
    # or 4 (C = 128) channel blocks of each pixel, whose i8 results are
    # packed and stored in runs of up to 4 vectors (whole pixels at C = 32
    # and 48: runs of 4 and 2; at C = 96 a 48-byte masked store per pixel;
    # two block groups at C = 96 and 128); a one-pixel tail tile (OW = 29),
    # per-channel clamps (the clamp in f32, not by the packs).
    "dw_quad_c32_wide_rows": dw_case(1, 5, 28, 32, 3, 3, (1, 1),
                                     (1, 1, 1, 1), izp=-7, rq=rq_double()),
    "dw_quad_c48_wide_rows": dw_case(1, 4, 30, 48, 3, 3, (1, 1),
                                     (1, 1, 1, 1), izp=11,
                                     rq=rq_clamp_pairs()),
    "dw_quad_c128_wide_rows": dw_case(1, 5, 29, 128, 3, 3, (1, 1),
                                      (1, 1, 1, 1), izp=-128,
                                      rq=rq_single()),
    "dw_quad_c96_wide_rows": dw_case(1, 4, 28, 96, 3, 3, (1, 1),
                                     (1, 1, 1, 1), izp=2, rq=rq_double()),
    # The f32 epilogue for the channel blocks where it is proven, the
    # integer one for the others, in one layer.
    "dense_mixed_epilogue": dense_mixed_epilogue_case(13),
    # Depth >= 256: s8 activations as they are, u8 weights, the row sums'
    # correction in the initial accumulators (a masked 48-byte tail of the
    # sums at K = 301 -> 304; im2col with zero-point padding at K = 288;
    # a 1x1 convolution with 3 blocks, 8 rows in the last tile; the i32
    # accumulators).
    "dense_signed_k301": dense_case(11, 301, 40, rq_double()),
    "conv_signed_3x3_c32": conv_case(1, 6, 7, 32, 72, 3, 3, (1, 1),
                                     (1, 1, 1, 1), izp=-20, rq=rq_single()),
    "conv_signed_1x1_k512": conv_case(1, 4, 5, 512, 96, 1, 1, (1, 1),
                                      (0, 0, 0, 0), izp=0,
                                      rq=rq_float(lo=1e-5, hi=5e-5)),
    "dense_signed_acc_only": dense_case(7, 260, 33),
    # 16 or 32 output channels: the results stored flat, runs of 4 vectors
    # narrowed together (tails of 1-3 vectors: M = 13, 35, 6), i16 results
    # one vector at a time.
    "dense_flat_13x40x16": dense_case(13, 40, 16, rq_double()),
    "conv_1x1_flat_c32": conv_case(1, 5, 7, 24, 32, 1, 1, (1, 1),
                                   (0, 0, 0, 0), izp=9, rq=rq_single()),
    "dense_flat_float": dense_case(6, 30, 16, rq_float()),
    "dense_flat_i16": dense_case(11, 20, 16, rq_double(
        shifts=(-6, -4), ozp=-100, clamp=(-32768, 32767), out="i16")),
    # At most 16 output channels and K >= 32: 24-row tiles (two and a
    # tail of 5 rows; a 1x1 convolution with 10 channels, 2 tiles and 12
    # rows).
    "dense_tall_53x40x16": dense_case(53, 40, 16, rq_double()),
    "conv_1x1_tall_c48_o10": conv_case(1, 6, 10, 48, 10, 1, 1, (1, 1),
                                       (0, 0, 0, 0), izp=-3,
                                       rq=rq_float()),
}
# Depthwise layers the VNNI path lowers with vpdpbusd (the others keep the
# channel-vectorized vpdpwssd kernel).
quad = {name for name in cases
        if name.startswith("dw_quad") or name in (
            "dw_3x3_c144_s2_asym", "dw_3x3_c144_s1", "dw_3x3_c32_s2_pad",
            "dw_3x3_c8_s1_packed", "dw_3x3_c4_packed_asym",
            "dw_3x3_c2_packed_float", "dw_3x3_c8_packed_acc_only")}

wraps = {"dense_wraps_int32"}
fused = {name for name in cases
         if name not in ("dense_acc_only", "dense_two_users", "conv_acc_only",
                         "dense_signed_acc_only",
                         "dense_rows_o8_acc_only",
                         "dw_acc_only", "dw_3x3_c8_packed_acc_only",
                         "dw_quad_c48_acc_only")}


NO_VBMI = ("+avx512f,+avx512bw,+avx512vl,+avx512dq,+avx512cd,+avx512vnni,"
           "+avx2,+fma,+f16c,+bmi2,-avx512vbmi,-avx512vbmi2")


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + r.stderr)
    return r.stdout


failures = 0
for name, (src, in_shape) in cases.items():
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    model = os.path.join(d, "model.mlir")
    with open(model, "w") as f:
        f.write(src)
    x = rng.integers(-128, 128, in_shape).astype(np.int8)
    xin = os.path.join(d, "x.npy")
    np.save(xin, x)
    try:
        for isa, call in (("avx512vnni", "llvm.x86.avx512.vpdpbusd.512"),
                          ("avx2", "llvm.x86.avx2.pmadd.wd"),
                          ("vector", None)):
            lowered = run([quant_opt, model,
                           f"--lower-int8-kernels=isa={isa}"])
            if name.startswith("dw_") or call is None:
                if "qnn.conv2d" in lowered or "qnn.dense" in lowered:
                    raise RuntimeError(f"isa={isa}: the layer was not lowered")
                if isa == "avx512vnni" and (
                        (name in quad) != (call in lowered)):
                    raise RuntimeError(
                        f"isa={isa}: expected {call} in a depthwise layer: "
                        f"{name in quad}")
            elif call not in lowered:
                raise RuntimeError(f"isa={isa}: no {call} call")
            if name in fused and "qnn.requantize" in lowered:
                raise RuntimeError(f"isa={isa}: the requantize was not fused")
        outs = {}
        for kind, flags in (("vnni", []), ("generic", []),
                            # AVX-512 VNNI without VBMI (Cascade Lake): the
                            # kernels' byte shuffles lower without vpermb.
                            ("vnni_no_vbmi", ["--int8-kernels=vnni",
                                              "--target-cpu=cascadelake",
                                              "--target-features=" + NO_VBMI]),
                            ("avx2", ["--target-cpu=haswell",
                                      "--target-features=+avx2,+fma"]),
                            ("vector", ["--target-cpu=x86-64",
                                        "--target-features=+sse2"])):
            out = os.path.join(d, f"{kind}.npy")
            kernels = [] if kind == "vnni_no_vbmi" else [
                f"--int8-kernels={kind}"]
            run([quant_run, model, "--input", xin, "--output", out] +
                kernels + flags)
            outs[kind] = out
        if name not in wraps:
            outs["reference"] = os.path.join(d, "reference.npy")
            run([qnn_interpret, model, "--input", xin, "--output",
                 outs["reference"]])
        data = {k: open(v, "rb").read() for k, v in outs.items()}
        for kind in ("vnni", "vnni_no_vbmi", "avx2", "vector"):
            if data[kind] != data["generic"]:
                raise RuntimeError(f"{kind} != generic")
        if name not in wraps and data["vnni"] != data["reference"]:
            raise RuntimeError("vnni != qnn-interpret")
        print(f"PASS {name}")
    except RuntimeError as e:
        failures += 1
        print(f"FAIL {name}: {e}")
print(f"CASES {len(cases)}")
sys.exit(1 if failures else 0)
