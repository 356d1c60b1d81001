"""The fused input kernel of --lower-int8-kernels (quant.qcast + quant.scast +
qnn.transpose NCHW -> NHWC, Int8InputQuantize.cpp) against NumPy and the
reference interpreter.

Each case quantizes an f32 NCHW tensor (C = 1..4, W with and without a
16-pixel tail, batch 2) to i8 and transposes it to NHWC. The input holds
the hard values: exact ties (k + 1/2) * scale and their float neighbours,
the clamp bounds, +-0, denormals, +-1e30 and +-inf (no NaN: its result is
unspecified). The expected output is computed here with NumPy:
clip(rint(float32(x) / float32(scale)) + zp, lo, hi), rint rounding half to
even, then the transpose. quant-run with each kernel ISA (vnni, avx2,
vector, and generic, which does not fuse), and qnn-interpret, must all
write exactly that.

  input_quantize.py QUANT_OPT QUANT_RUN QNN_INTERPRET WORKDIR

Prints `PASS <case>` or `FAIL <case>: <reason>` per case, then `CASES <n>`.
"""
import os
import subprocess
import sys

import numpy as np

quant_opt, quant_run, qnn_interpret, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(5)
f32 = np.float32


def case(shape, scale, zp, lo=-128, hi=127):
    n, c, h, w = shape
    storage = "i8" if (lo, hi) == (-128, 127) else f"i8<{lo}:{hi}>"
    q = f"!quant.uniform<{storage}:f32, {scale!r}:{zp}>"
    x_t = "tensor<" + "x".join(map(str, shape)) + "xf32>"
    q_t = "tensor<" + "x".join(map(str, shape)) + f"x{q}>"
    i_t = "tensor<" + "x".join(map(str, shape)) + "xi8>"
    o_t = f"tensor<{n}x{h}x{w}x{c}xi8>"
    src = f"""func.func @main(%x: {x_t}) -> {o_t} {{
  %q = quant.qcast %x : {x_t} to {q_t}
  %i = quant.scast %q : {q_t} to {i_t}
  %t = qnn.transpose %i permutation = [0, 2, 3, 1] : {i_t} -> {o_t}
  return %t : {o_t}
}}
"""
    s = f32(scale)
    ties = (np.arange(-140, 140) + f32(0.5)).astype(f32) * s
    special = np.array([0.0, -0.0, 1e-45, -1e-45, 1e30, -1e30, np.inf,
                        -np.inf, (lo - zp) * s, (hi - zp) * s], dtype=f32)
    pool = np.concatenate([
        ties, np.nextafter(ties, f32(np.inf)), np.nextafter(ties, f32(-np.inf)),
        special, rng.uniform(-300, 300, 200).astype(f32) * s])
    x = rng.choice(pool, size=shape).astype(f32)
    with np.errstate(over="ignore"):
        expected = np.clip(np.rint(x / s) + zp, lo, hi).astype(np.int8)
    return src, x, expected.transpose(0, 2, 3, 1)


cases = {
    # VWW's input: C = 3, scale 1/255 (the x * high + x * low form), zp -128.
    "c3_vww": case((1, 3, 4, 96), 0.0039215686274509803, -128),
    "c3_tail_batch": case((2, 3, 3, 21), 0.0039215686274509803, -128),
    "c1_tail": case((1, 1, 2, 7), 0.5, 0),
    "c2_narrow": case((1, 2, 3, 17), 0.25, 5, lo=-127, hi=127),
    "c4": case((2, 4, 2, 33), 0.1, -3),
}


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + "\n" + r.stderr)
    return r.stdout


failures = 0
for name, (src, x, expected) in cases.items():
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    model = os.path.join(d, "model.mlir")
    with open(model, "w") as f:
        f.write(src)
    xin = os.path.join(d, "x.npy")
    np.save(xin, x)
    try:
        for isa in ("avx512vnni", "avx2", "vector"):
            lowered = run([quant_opt, model, f"--lower-int8-kernels=isa={isa}"])
            if "qnn.transpose" in lowered or "quant.qcast" in lowered:
                raise RuntimeError(f"isa={isa}: not lowered to the kernel")
        for kind, flags in (("vnni", []), ("generic", []),
                            ("avx2", ["--target-cpu=haswell",
                                      "--target-features=+avx2,+fma"]),
                            ("vector", ["--target-cpu=x86-64",
                                        "--target-features=+sse2"])):
            out = os.path.join(d, f"{kind}.npy")
            run([quant_run, model, "--input", xin, "--output", out,
                 f"--int8-kernels={kind}"] + flags)
            got = np.load(out)
            if got.dtype != np.int8 or not np.array_equal(got, expected):
                bad = np.argwhere(got != expected)
                raise RuntimeError(f"{kind}: {len(bad)} values differ from "
                                   f"NumPy, first at {bad[0].tolist()}")
        ref = os.path.join(d, "reference.npy")
        run([qnn_interpret, model, "--input", xin, "--output", ref])
        if not np.array_equal(np.load(ref), expected):
            raise RuntimeError("qnn-interpret differs from NumPy")
        print(f"PASS {name}")
    except RuntimeError as e:
        failures += 1
        print(f"FAIL {name}: {e}")
print(f"CASES {len(cases)}")
sys.exit(1 if failures else 0)
