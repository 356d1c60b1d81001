"""The fp32 FMA kernels (--lower-to-cpu float-kernels=vector) against an
independent float64 NumPy reference.

  float_kernels.py QUANT_OPT QUANT_RUN WORKDIR

Every case is a small float (F-form) program: qnn.dense, qnn.conv2d with
groups = 1 or a depthwise qnn.conv2d (groups = C) with constant f32 weights
and bias, an optional fused activation attribute (relu, relu6, clamp with
scalar or per-channel bounds) or a following qnn.activation. Shapes cover
every tail of the kernels: rows past the last full register tile, a partial
16-channel vector (masked store), a last block narrower than the others,
K = 1 and odd K, several block groups (the L2 panel), 1x1 convolutions as
matrix products, strided / padded / dilated convolutions through im2col,
depthwise channel tails (masked loads and stores), border rows and columns
peeled statically (asymmetric padding, dilation, no interior at all) and
the padding-copy fallback (more than 8 border rows), batch 2.

For each case the script checks that quant-opt --lower-f32-kernels lowers
the layer (vector.fma, no qnn.dense / qnn.conv2d left and, when expected,
no qnn.activation), runs the same random input through quant-run with
--float-kernels=vector (compiled for the host, for haswell with +avx2,+fma:
FMA on ymm registers, and for x86-64 with +sse2 only: a multiply and an
add per FMA on xmm registers; the function attributes decide what the JIT
emits) and --float-kernels=generic, and compares each with
the float64 reference: max |y - ref| <= 1e-5 * max |ref| (the sums are
computed in another order than the reference's, so they are not
bit-identical to it). Prints `PASS <case> <error>` or `FAIL <case>: why`,
then `CASES <n>`.
"""
import os
import subprocess
import sys

import numpy as np

quant_opt, quant_run, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(7)
TOLERANCE = 1e-5


def ttype(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def const(name, array):
    data = np.ascontiguousarray(array, dtype=np.float32).tobytes().hex()
    return f'  %{name} = arith.constant dense<"0x{data.upper()}"> : ' \
           f'{ttype(array.shape)}'


def activation_text(act):
    """(attribute text, numpy function) of an activation spec."""
    if act is None:
        return "", lambda y: y
    if act == "relu":
        return "relu", lambda y: np.maximum(y, 0.0)
    if act == "relu6":
        return "relu6", lambda y: np.minimum(np.maximum(y, 0.0), 6.0)
    lo, hi = act
    fmt = (lambda v: "[" + ", ".join(repr(float(x)) for x in v) + "]") \
        if np.ndim(lo) else (lambda v: repr(float(v)))
    lo32 = np.asarray(lo, np.float32).astype(np.float64)
    hi32 = np.asarray(hi, np.float32).astype(np.float64)
    return (f"clamp(min = {fmt(lo)}, max = {fmt(hi)})",
            lambda y: np.minimum(np.maximum(y, lo32), hi32))


def per_channel_clamp(n):
    lo = rng.uniform(-2.0, 0.0, n).round(3)
    return lo, (lo + rng.uniform(0.5, 3.0, n)).round(3)


def finish(body, x_shape, y_shape, act, standalone, bias):
    """The module text, with the activation as an attribute of the layer
    (`standalone` False) or as a following qnn.activation."""
    text, fn = activation_text(act)
    layer = body[-1]
    if act is not None and not standalone:
        layer = layer.replace(" : (", f" activation = {text} : (", 1)
    body[-1] = layer
    result = "%y"
    if act is not None and standalone:
        body.append(f"  %a = qnn.activation %y kind = {text} : "
                    f"{ttype(y_shape)} -> {ttype(y_shape)}")
        result = "%a"
    src = (f"func.func @main(%x: {ttype(x_shape)}) -> {ttype(y_shape)} {{\n"
           + "\n".join(body) + f"\n  return {result} : {ttype(y_shape)}\n}}\n")
    return src, fn


def dense_case(m, k, n, act=None, standalone=False, bias=True):
    w = rng.standard_normal((n, k)) / np.sqrt(k)
    b = rng.standard_normal(n)
    w32, b32 = w.astype(np.float32), b.astype(np.float32)
    body = [const("w", w32)]
    operands = "%x, %w"
    types = f"{ttype((m, k))}, {ttype((n, k))}"
    if bias:
        body.append(const("b", b32))
        operands += ", %b"
        types += f", {ttype((n,))}"
    body.append(f"  %y = qnn.dense {operands} : ({types}) -> {ttype((m, n))}")
    src, fn = finish(body, (m, k), (m, n), act, standalone, bias)

    def ref(x):
        y = x.astype(np.float64) @ w32.astype(np.float64).T
        if bias:
            y = y + b32.astype(np.float64)
        return fn(y)
    return src, (m, k), ref


def conv_ref(x, f, b, strides, pads, dil, groups):
    """Grouped NHWC convolution in float64; f is [O, KH, KW, C/groups]."""
    x = x.astype(np.float64)
    f = f.astype(np.float64)
    n, h, wd, c = x.shape
    o, kh, kw, cg = f.shape
    og = o // groups
    xp = np.zeros((n, h + pads[0] + pads[2], wd + pads[1] + pads[3], c))
    xp[:, pads[0]:pads[0] + h, pads[1]:pads[1] + wd] = x
    oh = (xp.shape[1] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (xp.shape[2] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, oh, ow, o)) + b.astype(np.float64)
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dil[0], j * dil[1]
            patch = xp[:, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                       c0:c0 + strides[1] * (ow - 1) + 1:strides[1]]
            for g in range(groups):
                xs = patch[..., g * cg:(g + 1) * cg]
                ws = f[g * og:(g + 1) * og, i, j, :]
                y[..., g * og:(g + 1) * og] += xs @ ws.T
    return y


def conv_case(n, h, wd, c, o, kh, kw, strides, pads, dil=(1, 1), groups=1,
              act=None, standalone=False):
    """pads = [top, left, bottom, right]; groups = c means depthwise."""
    cg = c // groups
    f = (rng.standard_normal((o, kh, kw, cg)) /
         np.sqrt(kh * kw * cg)).astype(np.float32)
    b = rng.standard_normal(o).astype(np.float32)
    oh = (h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    x_t, y_t = ttype((n, h, wd, c)), ttype((n, oh, ow, o))
    body = [
        const("f", f), const("b", b),
        f"  %y = qnn.conv2d %x, %f, %b strides = [{strides[0]}, {strides[1]}]"
        f" dilations = [{dil[0]}, {dil[1]}] padding = "
        f"[{', '.join(map(str, pads))}] groups = {groups} : "
        f"({x_t}, {ttype(f.shape)}, {ttype(b.shape)}) -> {y_t}",
    ]
    src, fn = finish(body, (n, h, wd, c), (n, oh, ow, o), act, standalone,
                     True)
    return src, (n, h, wd, c), \
        lambda x: fn(conv_ref(x, f, b, strides, pads, dil, groups))


def dw_case(n, h, wd, c, kh, kw, strides, pads, dil=(1, 1), **kw_args):
    return conv_case(n, h, wd, c, c, kh, kw, strides, pads, dil, groups=c,
                     **kw_args)


cases = {
    # Matrix products: row tails (M % R), channel tails (N % 16, N % 64),
    # K = 1, odd K, several blocks and block groups.
    "dense_1x16x5": dense_case(1, 16, 5),
    "dense_5x1x3_k1": dense_case(5, 1, 3),
    "dense_7x13x17": dense_case(7, 13, 17, act="relu"),
    "dense_8x32x32": dense_case(8, 32, 32),
    "dense_9x64x33_relu6": dense_case(9, 64, 33, act="relu6"),
    "dense_17x100x48": dense_case(17, 100, 48),
    "dense_33x7x70": dense_case(33, 7, 70, act="relu6"),
    "dense_6x3x65": dense_case(6, 3, 65),
    "dense_25x40x130_no_bias": dense_case(25, 40, 130, bias=False),
    "dense_64x256x200": dense_case(64, 256, 200),
    "dense_13x1537x330": dense_case(13, 1537, 330),
    "dense_clamp": dense_case(11, 40, 21, act=(-0.5, 0.25)),
    "dense_clamp_per_channel": dense_case(12, 24, 20,
                                          act=per_channel_clamp(20)),
    "dense_standalone_relu6": dense_case(10, 30, 19, act="relu6",
                                         standalone=True),
    "dense_standalone_clamp_per_channel": dense_case(
        10, 30, 40, act=per_channel_clamp(40), standalone=True),
    # Convolutions: 1x1 as a matrix product, the others through im2col.
    "conv_1x1": conv_case(2, 3, 5, 7, 19, 1, 1, (1, 1), (0, 0, 0, 0)),
    "conv_1x1_c64_o96_relu6": conv_case(1, 6, 6, 64, 96, 1, 1, (1, 1),
                                        (0, 0, 0, 0), act="relu6"),
    "conv_1x1_stride2": conv_case(1, 7, 7, 12, 20, 1, 1, (2, 2),
                                  (0, 0, 0, 0)),
    "conv_3x3_pad_stride2": conv_case(1, 10, 9, 3, 8, 3, 3, (2, 2),
                                      (0, 1, 1, 0), act="relu"),
    "conv_3x3_dilated": conv_case(2, 9, 8, 5, 33, 3, 3, (1, 1), (2, 2, 2, 2),
                                  dil=(2, 2)),
    "conv_10x4_c1": conv_case(1, 20, 10, 1, 16, 10, 4, (2, 2), (4, 5, 1, 2),
                              act="relu", standalone=True),
    # Depthwise: channel tails (24, 144, 7, 40), pixel tails, strides 1
    # and 2, symmetric and asymmetric padding, dilation, batch 2, borders
    # peeled, no interior at all, the padding-copy fallback.
    "dw_3x3_c24_s1": dw_case(1, 9, 11, 24, 3, 3, (1, 1), (1, 1, 1, 1)),
    "dw_3x3_c144_s2_asym": dw_case(1, 12, 13, 144, 3, 3, (2, 2),
                                   (0, 0, 1, 1), act="relu6"),
    "dw_3x3_c144_s1_relu6": dw_case(1, 8, 10, 144, 3, 3, (1, 1),
                                    (1, 1, 1, 1), act="relu6"),
    "dw_3x3_c32_s2_batch2": dw_case(2, 7, 9, 32, 3, 3, (2, 2), (1, 1, 1, 1),
                                    act="relu", standalone=True),
    "dw_5x5_c7_dilated": dw_case(1, 11, 10, 7, 5, 5, (1, 1), (4, 3, 2, 4),
                                 dil=(2, 2)),
    "dw_3x1_c40_clamp_per_channel": dw_case(1, 6, 17, 40, 3, 1, (1, 2),
                                            (1, 0, 1, 0),
                                            act=per_channel_clamp(40)),
    "dw_3x3_c17_tiny": dw_case(1, 2, 2, 17, 3, 3, (1, 1), (1, 1, 1, 1)),
    "dw_3x3_c16_pad_copy": dw_case(1, 20, 20, 16, 3, 3, (1, 1),
                                   (6, 6, 6, 6), dil=(6, 6),
                                   act=(-1.0, 1.0)),
    "dw_3x3_c48_unpadded": dw_case(1, 12, 30, 48, 3, 3, (1, 1),
                                   (0, 0, 0, 0)),
}
standalone = {name for name in cases if "standalone" in name} | {
    "conv_10x4_c1", "dw_3x3_c32_s2_batch2"}


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + r.stderr)
    return r.stdout


failures = 0
for name, (src, in_shape, reference) in cases.items():
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    model = os.path.join(d, "model.mlir")
    with open(model, "w") as f:
        f.write(src)
    # Values of both signs around the clamp bounds.
    x = (2.0 * rng.standard_normal(in_shape)).astype(np.float32)
    xin = os.path.join(d, "x.npy")
    np.save(xin, x)
    try:
        lowered = run([quant_opt, model, "--lower-f32-kernels"])
        if "vector.fma" not in lowered:
            raise RuntimeError("no vector.fma after --lower-f32-kernels")
        if "qnn.dense" in lowered or "qnn.conv2d" in lowered:
            raise RuntimeError("the layer was not lowered")
        if name in standalone and "qnn.activation" in lowered:
            raise RuntimeError("the qnn.activation was not fused")
        # Depthwise borders are peeled (no padding copy) unless there are
        # too many of them.
        if name.startswith("dw_") and \
                ("tensor.pad" in lowered) != name.endswith("_pad_copy"):
            raise RuntimeError("tensor.pad " + ("missing" if name.endswith(
                "_pad_copy") else "present") + " after --lower-f32-kernels")
        ref = reference(x)
        scale = float(np.max(np.abs(ref)))
        errors = {}
        for kind, flags in (("vector", ["--float-kernels=vector"]),
                            ("vector-avx2", ["--float-kernels=vector",
                                             "--target-cpu=haswell",
                                             "--target-features=+avx2,+fma"]),
                            ("vector-sse2", ["--float-kernels=vector",
                                             "--target-cpu=x86-64",
                                             "--target-features=+sse2"]),
                            ("generic", ["--float-kernels=generic"])):
            out = os.path.join(d, f"{kind}.npy")
            run([quant_run, model, "--input", xin, "--output", out] + flags)
            y = np.load(out)
            if y.shape != ref.shape or y.dtype != np.float32:
                raise RuntimeError(f"{kind}: got {y.dtype}{list(y.shape)}, "
                                   f"expected float32{list(ref.shape)}")
            errors[kind] = float(np.max(np.abs(y - ref))) / scale
            if not errors[kind] <= TOLERANCE:
                raise RuntimeError(f"{kind}: max |y - ref| / max |ref| = "
                                   f"{errors[kind]:.3g} > {TOLERANCE}")
        print(f"PASS {name} {errors['vector']:.1e}")
    except RuntimeError as e:
        failures += 1
        print(f"FAIL {name}: {e}")
print(f"CASES {len(cases)}")
sys.exit(1 if failures else 0)
