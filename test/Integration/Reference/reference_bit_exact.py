"""The JIT (quant-run) against the plain C++ reference interpreter
(qnn-interpret) on an integer program made by quant-opt.

A small float network in the layout of the real ones (NCHW input transposed
to NHWC; conv stride 2 with asymmetric padding and relu; depthwise conv with
relu6; pointwise conv; a residual add; max and average pooling; concat;
global average pooling; dense) is calibrated with `quant-run --calibrate`,
its statistics imported by name, and turned into the integer program with
`quant-opt --quantize --fold-scales [--fixed-point-requant=rounding=...]`.
Both tools then run the same samples in dataset mode and write the stacked
outputs with --save-outputs; the two .npy files must be identical byte for
byte.

  reference_bit_exact.py QUANT_OPT QUANT_RUN QNN_INTERPRET WORKDIR MODE

MODE is `double` or `single` (fixed-point requantization) or `float` (the
float form of qnn.requantize, no --fixed-point-requant). Prints the integer
program's op counts (`OPS ...`), then `BIT-EXACT` or `MISMATCH` with the
first differing sample.
"""
import collections
import os
import re
import subprocess
import sys

import numpy as np

quant_opt, quant_run, qnn_interpret, work, mode = sys.argv[1:6]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(11)
f32 = np.float32


def lit(a):
    return "dense<" + np.array2string(
        np.asarray(a, dtype=np.float64), separator=", ", threshold=10**9,
        floatmode="unique").replace("\n", "") + ">"


def const(name, a):
    t = "tensor<" + "x".join(map(str, a.shape)) + "xf32>"
    return f'  %{name} = arith.constant {lit(a)} : {t} loc("{name}")', t


w1 = rng.uniform(-0.5, 0.5, (8, 3, 3, 3)).astype(f32)
b1 = rng.uniform(-0.2, 0.2, 8).astype(f32)
wd = rng.uniform(-0.6, 0.6, (8, 3, 3, 1)).astype(f32)
bd = rng.uniform(-0.2, 0.2, 8).astype(f32)
wp = rng.uniform(-0.5, 0.5, (8, 1, 1, 8)).astype(f32)
bp = rng.uniform(-0.2, 0.2, 8).astype(f32)
wf = rng.uniform(-0.5, 0.5, (5, 16)).astype(f32)
bf = rng.uniform(-0.2, 0.2, 5).astype(f32)

T_IN, T_X = "tensor<1x3x10x10xf32>", "tensor<1x10x10x3xf32>"
T5, T3 = "tensor<1x5x5x8xf32>", "tensor<1x3x3x8xf32>"
lines = []
types = {}
for name, a in [("w1", w1), ("b1", b1), ("wd", wd), ("bd", bd), ("wp", wp),
                ("bp", bp), ("wf", wf), ("bf", bf)]:
    line, types[name] = const(name, a)
    lines.append(line)
consts = "\n".join(lines)
src = f'''func.func @main(%input: {T_IN} loc("input")) -> tensor<1x5xf32> {{
{consts}
  %x = qnn.transpose %input permutation = [0, 2, 3, 1] : {T_IN} -> {T_X} loc("x")
  %c1 = qnn.conv2d %x, %w1, %b1 strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 activation = relu : ({T_X}, {types["w1"]}, {types["b1"]}) -> {T5} loc("c1")
  %dw = qnn.conv2d %c1, %wd, %bd strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 8 activation = relu6 : ({T5}, {types["wd"]}, {types["bd"]}) -> {T5} loc("dw")
  %pw = qnn.conv2d %dw, %wp, %bp strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : ({T5}, {types["wp"]}, {types["bp"]}) -> {T5} loc("pw")
  %sum = qnn.add %pw, %c1 activation = relu : ({T5}, {T5}) -> {T5} loc("sum")
  %mx = qnn.max_pool2d %sum kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : {T5} -> {T3} loc("mx")
  %av = qnn.avg_pool2d %sum kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] divisor = exclude_pad : {T5} -> {T3} loc("av")
  %cat = qnn.concat %mx, %av axis = 3 : ({T3}, {T3}) -> tensor<1x3x3x16xf32> loc("cat")
  %gap = qnn.global_avg_pool %cat : tensor<1x3x3x16xf32> -> tensor<1x1x1x16xf32> loc("gap")
  %flat = qnn.reshape %gap : tensor<1x1x1x16xf32> -> tensor<1x16xf32> loc("flat")
  %fc = qnn.dense %flat, %wf, %bf : (tensor<1x16xf32>, {types["wf"]}, {types["bf"]}) -> tensor<1x5xf32> loc("fc")
  return %fc : tensor<1x5xf32>
}}
'''
path = lambda name: os.path.join(work, name)
open(path("net.mlir"), "w").write(src)

# Calibration and evaluation samples (different ones).
x = rng.uniform(-1.0, 1.0, (96, 3, 10, 10)).astype(f32)
np.savez(path("data.npz"), X=x, cal_idx=np.arange(0, 32), eval_idx=np.arange(95, 31, -1))


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stdout.write(r.stdout)
        sys.stdout.write(r.stderr)
        print("FAILED:", " ".join(cmd))
        sys.exit(1)
    return r.stdout


run([quant_run, path("net.mlir"), "--calibrate", "--dataset", path("data.npz"),
     "--input-key", "X", "--indices-key", "cal_idx", "-o", path("stats.json"),
     "--no-progress"])
run([quant_opt, path("net.mlir"), "--mlir-print-debuginfo",
     "--import-calibration=file=%s on-missing=error" % path("stats.json"),
     "-o", path("net.stats.mlir")])
passes = ["--quantize", "--fold-scales"]
if mode != "float":
    passes.append("--fixed-point-requant=rounding=" + mode)
run([quant_opt, path("net.stats.mlir")] + passes + ["-o", path("int.mlir")])

ir = open(path("int.mlir")).read()
ops = collections.Counter(re.findall(r"= ((?:qnn|quant)\.[a-z_0-9]+)", ir))
print("OPS " + " ".join(f"{k}={v}" for k, v in sorted(ops.items())))

common = ["--dataset", path("data.npz"), "--input-key", "X", "--indices-key",
          "eval_idx", "--no-progress"]
run([quant_run, path("int.mlir")] + common + ["--save-outputs", path("jit.npy")])
run([qnn_interpret, path("int.mlir")] + common + ["--save-outputs", path("ref.npy")])

jit, ref = np.load(path("jit.npy")), np.load(path("ref.npy"))
print("shape", jit.shape, jit.dtype, "distinct outputs", len(np.unique(jit)))
same_bytes = open(path("jit.npy"), "rb").read() == open(path("ref.npy"), "rb").read()
if jit.shape == (64, 1, 5) and same_bytes:
    print("BIT-EXACT")
else:
    bad = [i for i in range(min(len(jit), len(ref))) if not np.array_equal(jit[i], ref[i])]
    print("MISMATCH: shapes", jit.shape, ref.shape, "first differing samples", bad[:5])
    if bad:
        print("jit", jit[bad[0]].tolist())
        print("ref", ref[bad[0]].tolist())
