"""conv(stride 2, asymmetric pads, relu) -> conv -> dense through
--quantize --fold-scales --fixed-point-requant and quant-run, compared
bit-exactly with an integer simulation written here from docs/Numerics.md.
Usage: fold_scales_numerics.py QUANT_OPT QUANT_RUN WORKDIR"""
import os, subprocess, sys
import numpy as np

quant_opt, quant_run, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(7)
f32 = np.float32

def conv_f(x, w, b, stride, pad):  # NHWC, [O,KH,KW,C], pad [t,l,b,r]
    t, l, bo, r = pad
    x = np.pad(x, ((0, 0), (t, bo), (l, r), (0, 0)))
    O, KH, KW, _ = w.shape
    OH = (x.shape[1] - KH) // stride + 1; OW = (x.shape[2] - KW) // stride + 1
    y = np.zeros((1, OH, OW, O), dtype=np.float64 if b is None or b.dtype != object else object)
    for oh in range(OH):
        for ow in range(OW):
            patch = x[0, oh*stride:oh*stride+KH, ow*stride:ow*stride+KW, :]
            for o in range(O):
                y[0, oh, ow, o] = (patch * w[o]).sum() + (0 if b is None else b[o])
    return y

w1 = rng.uniform(-1, 1, (4, 3, 3, 3)).astype(f32); b1 = rng.uniform(-.5, .5, 4).astype(f32)
w2 = rng.uniform(-1, 1, (5, 2, 2, 4)).astype(f32); b2 = rng.uniform(-.5, .5, 5).astype(f32)
w3 = rng.uniform(-1, 1, (6, 45)).astype(f32); b3 = rng.uniform(-.5, .5, 6).astype(f32)
P1, P2 = (0, 1, 1, 0), (1, 0, 0, 1)

# Input on its grid so quant.qcast is exact: x = s * (q - z).
in_min, in_max = -1.3, 2.1
def act_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    s = (hi - lo) / 255.0
    z = int(min(127, max(-128, -128 - np.rint(lo / s))))
    return s, z
sx, zx = act_params(in_min, in_max)
xq = rng.integers(-128, 128, (1, 7, 7, 3))
x = (sx * (xq - zx)).astype(f32)

# Float run for the statistics.
c1 = np.maximum(conv_f(x.astype(np.float64), w1, b1, 2, P1), 0)
c2 = conv_f(c1, w2, b2, 1, P2)
d = c2.reshape(1, 45) @ w3.astype(np.float64).T + b3
stats = {"c1": (c1.min(), c1.max()), "c2": (c2.min(), c2.max()), "d": (d.min(), d.max())}

def lit(a):
    return "dense<" + np.array2string(np.asarray(a, dtype=np.float64), separator=", ",
        threshold=10**9, floatmode="unique").replace("\n", "") + ">"
def st(v, t, name):
    lo, hi = stats.get(name, (in_min, in_max))
    return f'%{name}s = qnn.stats %{v} <count = 1, min = {float(lo)!r}, max = {float(hi)!r}> : {t} loc("{name}")'
T0, T1, T2, T3, T4 = ("tensor<1x7x7x3xf32>", "tensor<1x3x3x4xf32>", "tensor<1x3x3x5xf32>",
                      "tensor<1x45xf32>", "tensor<1x6xf32>")
src = f'''func.func @main(%input: {T0} loc("input")) -> {T4} {{
  {st("input", T0, "input")}
  %w1 = arith.constant {lit(w1)} : tensor<4x3x3x3xf32>
  %b1 = arith.constant {lit(b1)} : tensor<4xf32>
  %c1 = qnn.conv2d %inputs, %w1, %b1 strides = [2, 2] dilations = [1, 1] padding = [0, 1, 1, 0] groups = 1 activation = relu : ({T0}, tensor<4x3x3x3xf32>, tensor<4xf32>) -> {T1} loc("c1")
  {st("c1", T1, "c1")}
  %w2 = arith.constant {lit(w2)} : tensor<5x2x2x4xf32>
  %b2 = arith.constant {lit(b2)} : tensor<5xf32>
  %c2 = qnn.conv2d %c1s, %w2, %b2 strides = [1, 1] dilations = [1, 1] padding = [1, 0, 0, 1] groups = 1 : ({T1}, tensor<5x2x2x4xf32>, tensor<5xf32>) -> {T2} loc("c2")
  {st("c2", T2, "c2")}
  %r = qnn.reshape %c2s : {T2} -> {T3} loc("r")
  %w3 = arith.constant {lit(w3)} : tensor<6x45xf32>
  %b3 = arith.constant {lit(b3)} : tensor<6xf32>
  %d = qnn.dense %r, %w3, %b3 : ({T3}, tensor<6x45xf32>, tensor<6xf32>) -> {T4} loc("d")
  {st("d", T4, "d")}
  return %ds : {T4}
}}
'''
open(os.path.join(work, "net.mlir"), "w").write(src)
q = subprocess.run([quant_opt, os.path.join(work, "net.mlir"), "--quantize", "--fold-scales",
                    "--fixed-point-requant", "-o", os.path.join(work, "int.mlir")])
assert q.returncode == 0
np.save(os.path.join(work, "x.npy"), x)
r = subprocess.run([quant_run, os.path.join(work, "int.mlir"), "--input", os.path.join(work, "x.npy"),
                    "--output", os.path.join(work, "y.npy")])
assert r.returncode == 0
y = np.load(os.path.join(work, "y.npy")).astype(np.float64)

# ---- integer simulation (docs/Numerics.md) ----
def quant_w(w):
    O = w.shape[0]; flat = w.reshape(O, -1).astype(np.float64)
    s = np.array([float(np.abs(w.reshape(O, -1)[o]).max()) / 127.0 for o in range(O)])
    qw = np.clip(np.rint(flat / s[:, None]), -127, 127).astype(np.int64)
    return qw.reshape(w.shape), s
def qmul(M):
    if M == 0: return 0, 0
    m, e = np.frexp(M)
    m0 = int(np.floor(abs(m) * 2**31 + 0.5))
    if m0 == 2**31: m0 //= 2; e += 1
    return m0, int(e)
def srdhm(a, b):
    if a == b == -2**31: return 2**31 - 1
    return (a * b + 2**30) >> 31
def rdbpot(v, e):
    if e == 0: return v
    mag = (abs(v) + (1 << (e - 1))) >> e
    return mag if v >= 0 else -mag
def requant(acc, M, zy, lo, hi):
    m0, sh = qmul(M)
    v = min(max(acc * 2**max(sh, 0), -2**31), 2**31 - 1)
    out = rdbpot(srdhm(v, m0), max(-sh, 0)) + zy
    return min(max(out, lo), hi)
def layer(xq, zx, sx, w, b, sy, zy, lo, hi, stride=None, pad=None):
    qw, sw = quant_w(w)
    bq = [int(np.rint(float(b[o]) / (sx * sw[o]))) for o in range(len(b))]
    centred = (xq - zx).astype(object)  # real zero is 0 here: pad with 0
    if stride is None:
        acc = [[sum(int(centred[0, k]) * int(qw[o, k]) for k in range(qw.shape[1])) + bq[o]
                for o in range(qw.shape[0])]]
        acc = np.array(acc, dtype=object)
    else:
        acc = conv_f(centred, qw.astype(object), np.array(bq, dtype=object), stride, pad)
    out = np.empty(acc.shape, dtype=np.int64)
    for idx in np.ndindex(acc.shape):
        o = idx[-1]
        out[idx] = requant(int(acc[idx]), sx * sw[o] / sy, zy, lo, hi)
    return out
s1, z1 = act_params(*stats["c1"]); s2, z2 = act_params(*stats["c2"]); s3, z3 = act_params(*stats["d"])
q1 = layer(xq, zx, sx, w1, b1, s1, z1, z1, 127, 2, P1)
q2 = layer(q1, z1, s1, w2, b2, s2, z2, -128, 127, 1, P2)
q3 = layer(q2.reshape(1, 45), z2, s2, w3, b3, s3, z3, -128, 127)
codes = np.rint(y / s3).astype(np.int64) + z3
print("expected", q3.tolist()); print("got     ", codes.tolist())
nonsat = int(((q3 > -128) & (q3 < 127)).sum())
print("non-saturated outputs:", nonsat)
print("BIT-EXACT" if np.array_equal(codes, q3) else "MISMATCH")
