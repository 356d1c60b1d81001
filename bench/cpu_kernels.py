#!/usr/bin/env python3
"""CPU kernel and whole-network latency: the project's generated code
(quant-run's JIT, --lower-to-cpu) against oneDNN 2.6 (Debian libdnnl-dev),
int8 and fp32, in one run, one thread, >= 7 repetitions, min and median.

  /usr/bin/python3 bench/cpu_kernels.py --build build --repeat 15 --rounds 3

Each kernel is timed in --rounds rounds, each round running oneDNN (both
ISAs), then our int8 and fp32 code, --repeat calls each: on a shared host
a slow spell then slows every contender, not one. Reported: the minimum
over all rounds and the median of the rounds' medians.

Kernels (int8 and fp32 each):
  - matmul M=N=K=256, 512, 1024 and the 1x1 convolutions of MobileNetV2 as
    matmuls (M=12544 K=32 N=16, M=3136 K=144 N=24, M=196 K=576 N=96):
    ours = qnn.dense [M,K] x [N,K] (+ i32 bias, I form) -> qnn.requantize
    (per-channel fixed-point multipliers, double rounding) -> i8; fp32 =
    qnn.dense in f32 with bias. Weights and biases are arith.constant dense
    (hex) in the module, the activation is the function argument.
  - 3x3 depthwise convolutions NHWC 56x56x144 and 28x28x192, stride 1 and 2,
    padding 1: qnn.conv2d groups = C (I form, input_zero_point, i32 bias) ->
    qnn.requantize axis 3 -> i8; fp32 = qnn.conv2d in f32.
  oneDNN (bench/onednn_kernels.cpp, compiled here with clang++ -O3 -ldnnl):
  u8 x s8 -> s32 with src/dst zero points, s32 bias and per-output-channel
  fp32 output scales to s8 (the same computation with the activation moved
  by +128, fp32 instead of fixed-point requantization), and fp32. Weights
  pre-reordered to oneDNN's preferred layout outside the timing. Run twice:
  oneDNN's default ISA (AMX where the CPU has it) and capped with
  ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI (what the project's code generation
  targets).
Networks: VWW, KWS, ResNet-8 from ../shared/models/<net>/model_folded.onnx,
  fp32 (quant-import-onnx) and int8 (--fuse-activations, quant-run
  --calibrate on cal_idx, --import-calibration --quantize --fold-scales
  --fixed-point-requant), one held-out sample, quant-run --repeat.

GOP/s counts 2 ops per MAC (convolutions nominally 2*OH*OW*OC*(IC/g)*KH*KW,
padding taps included); % of peak is given of 470 GOP/s (int8 vpdpbusd) and
117.6 GFLOP/s (fp32 FMA), one Zen 4 core (../shared/reference/
cpu-perf-anchors.md), and of this host's peaks measured at the start
(`onednn_kernels peak`). Every process runs pinned to one CPU (--cpu) with
OMP_NUM_THREADS=1.

Numerics checked on every kernel: our int8 output against a NumPy integer
reference of the same I-form program (must be bit-exact), oneDNN's int8
output against the same reference (|diff| <= 1 expected: fp32 scales),
both fp32 outputs against a float64 NumPy reference.

Prints Markdown tables for bench/RESULTS.md. Needs libdnnl-dev
(scripts/setup.sh --bench-deps) and, for the networks, ../shared/models.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

INT8_PEAK = 470.0    # GOP/s, vpdpbusd zmm, 1 core (cpu-perf-anchors.md)
FP32_PEAK = 117.6    # GFLOP/s, vfmadd231ps zmm, 1 core
CLANG = "/usr/lib/llvm-22/bin/clang++"
HERE = os.path.dirname(os.path.abspath(__file__))

# (name, kind, dims): matmul dims (M, K, N); dw dims (H, W, C, stride).
KERNELS = [
    ("matmul 256", "matmul", (256, 256, 256)),
    ("matmul 512", "matmul", (512, 512, 512)),
    ("matmul 1024", "matmul", (1024, 1024, 1024)),
    ("1x1 112x112x32->16", "matmul", (12544, 32, 16)),
    ("1x1 56x56x144->24", "matmul", (3136, 144, 24)),
    ("1x1 14x14x576->96", "matmul", (196, 576, 96)),
    ("dw3x3 56x56x144 s1", "dw", (56, 56, 144, 1)),
    ("dw3x3 56x56x144 s2", "dw", (56, 56, 144, 2)),
    ("dw3x3 28x28x192 s1", "dw", (28, 28, 192, 1)),
    ("dw3x3 28x28x192 s2", "dw", (28, 28, 192, 2)),
]
NETWORKS = ["vww_mobilenetv1_025", "kws_dscnn", "ic_resnet8"]

X_ZP = 7      # input_zero_point of the int8 activation (oneDNN u8: 135)
Y_ZP = -5     # output_zero_point


def shape_text(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def hex_const(array, elem):
    data = np.ascontiguousarray(array).tobytes()
    return ('arith.constant dense<"0x%s"> : %s'
            % (data.hex().upper(), shape_text(array.shape, elem)))


def quantize_multiplier(m):
    """TFLite QuantizeMultiplier for 0 < m < 1: (m0, shift), m = m0 2^(shift-31)."""
    mant, exp = np.frexp(m)
    m0 = np.floor(mant * 2.0**31 + 0.5).astype(np.int64)   # half away from zero (m > 0)
    carry = m0 == 2**31
    m0[carry] //= 2
    exp = exp + carry
    return m0, exp.astype(np.int64)


def requantize_ref(acc, m0, shift, zp_out):
    """gemmlowp double rounding (docs/Numerics.md), shift <= 0, int64 NumPy."""
    assert np.all(shift <= 0)
    p = acc.astype(np.int64) * m0
    srdhm = np.floor_divide(p + (1 << 30), 1 << 31)  # floor((a*b + 2^30) / 2^31)
    e = -shift
    mask = (np.int64(1) << e) - 1
    rem = srdhm & mask
    threshold = (mask >> 1) + (srdhm < 0)
    r = (srdhm >> e) + (rem > threshold)
    return np.clip(r + zp_out, -128, 127).astype(np.int8)


class Kernel:
    """One shape: its data, the two MLIR modules, the NumPy references."""

    def __init__(self, name, kind, dims, rng):
        self.name, self.kind, self.dims = name, kind, dims
        if kind == "matmul":
            m, k, n = dims
            self.x_shape, self.w_shape, self.out_shape = (m, k), (n, k), (m, n)
            self.oc, self.taps = n, k
            self.macs = m * n * k
        else:
            h, w, c, s = dims
            oh, ow = (h + 2 - 3) // s + 1, (w + 2 - 3) // s + 1
            self.x_shape, self.w_shape = (1, h, w, c), (c, 3, 3, 1)
            self.out_shape = (1, oh, ow, c)
            self.oc, self.taps = c, 9
            self.macs = oh * ow * c * 9
        self.gop = 2.0 * self.macs / 1e9
        # int8: x in [-128, 127], weights symmetric narrow [-127, 127].
        self.x = rng.integers(-128, 128, size=self.x_shape, dtype=np.int64).astype(np.int8)
        self.w = rng.integers(-127, 128, size=self.w_shape, dtype=np.int64).astype(np.int8)
        acc_std = 73.9 * 73.3 * np.sqrt(self.taps)
        self.bias = np.round(rng.normal(0, acc_std, size=self.oc)).astype(np.int32)
        mult = 40.0 / acc_std * rng.uniform(0.5, 2.0, size=self.oc)
        self.m0, self.shift = quantize_multiplier(mult)
        self.scale = (self.m0 * 2.0**(self.shift - 31)).astype(np.float32)
        # fp32
        self.xf = rng.standard_normal(self.x_shape).astype(np.float32)
        self.wf = (rng.standard_normal(self.w_shape) / np.sqrt(self.taps)).astype(np.float32)
        self.bf = rng.standard_normal(self.oc).astype(np.float32)

    # --- references -------------------------------------------------------
    def _layer(self, x, w, b, pad_value):
        """acc = b + layer(x, w) in float64 (exact for the int8 data: every
        partial sum is below 2^53)."""
        x = x.astype(np.float64)
        w = w.astype(np.float64)
        if self.kind == "matmul":
            return x @ w.T + b.astype(np.float64)
        h, wd, c, s = self.dims
        xp = np.full((h + 2, wd + 2, c), pad_value, dtype=np.float64)
        xp[1:-1, 1:-1] = x[0]
        _, oh, ow, _ = self.out_shape
        acc = np.zeros((oh, ow, c)) + b.astype(np.float64)
        for kh in range(3):
            for kw in range(3):
                acc += xp[kh:kh + s * (oh - 1) + 1:s, kw:kw + s * (ow - 1) + 1:s] * w[:, kh, kw, 0]
        return acc[None]

    def int8_reference(self):
        acc = self._layer(self.x, self.w, self.bias, X_ZP).astype(np.int64)
        return requantize_ref(acc, self.m0, self.shift, Y_ZP)

    def f32_reference(self):
        return self._layer(self.xf, self.wf, self.bf, 0.0)

    # --- MLIR -------------------------------------------------------------
    def _op(self, x_t, w_t, b_t, acc_t, int8):
        zp = " input_zero_point = %d" % X_ZP if int8 else ""
        if self.kind == "matmul":
            return ("qnn.dense %%x, %%w, %%b%s : (%s, %s, %s) -> %s"
                    % (zp, x_t, w_t, b_t, acc_t))
        s = self.dims[3]
        return ("qnn.conv2d %%x, %%w, %%b strides = [%d, %d] dilations = [1, 1] "
                "padding = [1, 1, 1, 1] groups = %d%s : (%s, %s, %s) -> %s"
                % (s, s, self.oc, zp, x_t, w_t, b_t, acc_t))

    def int8_module(self):
        x_t = shape_text(self.x_shape, "i8")
        w_t = shape_text(self.w_shape, "i8")
        b_t = shape_text((self.oc,), "i32")
        acc_t = shape_text(self.out_shape, "i32")
        y_t = shape_text(self.out_shape, "i8")
        axis = len(self.out_shape) - 1
        return "\n".join([
            "func.func @main(%%x: %s) -> %s {" % (x_t, y_t),
            "  %%w = %s" % hex_const(self.w, "i8"),
            "  %%b = %s" % hex_const(self.bias, "i32"),
            "  %%acc = %s" % self._op(x_t, w_t, b_t, acc_t, True),
            "  %%y = qnn.requantize %%acc fixed_point = <m0 = [%s], shift = [%s]> "
            "axis = %d input_zero_point = 0 output_zero_point = %d "
            "clamp = [-128, 127] rounding = double : %s -> %s"
            % (", ".join(map(str, self.m0)), ", ".join(map(str, self.shift)),
               axis, Y_ZP, acc_t, y_t),
            "  return %%y : %s" % y_t,
            "}", ""])

    def f32_module(self):
        x_t = shape_text(self.x_shape, "f32")
        w_t = shape_text(self.w_shape, "f32")
        b_t = shape_text((self.oc,), "f32")
        y_t = shape_text(self.out_shape, "f32")
        return "\n".join([
            "func.func @main(%%x: %s) -> %s {" % (x_t, y_t),
            "  %%w = %s" % hex_const(self.wf, "f32"),
            "  %%b = %s" % hex_const(self.bf, "f32"),
            "  %%y = %s" % self._op(x_t, w_t, b_t, y_t, False),
            "  return %%y : %s" % y_t,
            "}", ""])

    def identity_module(self, elem):
        t = shape_text(self.out_shape, elem)
        return "func.func @main(%%x: %s) -> %s {\n  return %%x : %s\n}\n" % (t, t, t)

    # --- oneDNN inputs ----------------------------------------------------
    def write_onednn_inputs(self, d):
        wsum = self.w.reshape(self.oc, -1).astype(np.int64).sum(axis=1)
        # u8 activation = s8 + 128; zero point X_ZP + 128.
        (self.x.view(np.uint8) ^ np.uint8(0x80)).tofile(os.path.join(d, "x_u8.bin"))
        self.w.tofile(os.path.join(d, "w_s8.bin"))
        # sum (x_u8 - zp_u8) w + bias_zp = x.w + bias; sum x_u8 w + bias_fold = x.w + bias
        (self.bias + X_ZP * wsum).astype(np.int32).tofile(os.path.join(d, "bias_zp.bin"))
        (self.bias - 128 * wsum).astype(np.int32).tofile(os.path.join(d, "bias_fold.bin"))
        self.scale.astype(np.float32).tofile(os.path.join(d, "scales.bin"))
        self.xf.tofile(os.path.join(d, "xf.bin"))
        self.wf.tofile(os.path.join(d, "wf.bin"))
        self.bf.tofile(os.path.join(d, "bf.bin"))

    def onednn_args(self):
        if self.kind == "matmul":
            return ["matmul"] + [str(v) for v in self.dims]
        return ["dw"] + [str(v) for v in self.dims]


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        raise RuntimeError("command failed: " + os.path.basename(cmd[0]))
    return proc.stdout


def quant_run(runner, model, x_path, out_path, repeat):
    """quant-run --repeat: (min ms, median ms, process wall s)."""
    start = time.perf_counter()
    text = run([runner, model, "--input", x_path, "--output", out_path,
                "--repeat", str(repeat)])
    wall = time.perf_counter() - start
    m = re.search(r"latency-ms: min ([0-9.]+) median ([0-9.]+)", text)
    return float(m.group(1)), float(m.group(2)), wall


def ratio(x):
    """A speed ratio; below 0.5 also as a fraction (0.2500 (1/4.0))."""
    return "%.4f" % x if x >= 0.5 else "%.4f (1/%.1f)" % (x, 1 / x)


def log(msg):
    sys.stderr.write("[cpu_kernels] %s\n" % msg)
    sys.stderr.flush()


def gops(gop, ms):
    return gop / (ms * 1e-3)


def host_peaks(harness):
    """Instruction-stream peaks of this host (onednn_kernels peak)."""
    text = run([harness, "peak"])
    peaks = {}
    for m in re.finditer(r"PEAK (?:clock_ghz=([0-9.]+)|(\S+) gops=([0-9.]+))", text):
        if m.group(1):
            peaks["clock_ghz"] = float(m.group(1))
        else:
            peaks[m.group(2)] = float(m.group(3))
    return peaks


def host_cpu():
    model, amx = "unknown", False
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name") and model == "unknown":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                amx = "amx_int8" in line.split()
    return model + (" (AMX)" if amx else "")


def onednn(harness, k, d, repeat, isa):
    """oneDNN timings of one shape: {variant: (min_ms, median_ms, impl)}."""
    env = dict(os.environ)
    if isa:
        env["ONEDNN_MAX_CPU_ISA"] = isa
    text = run([harness] + k.onednn_args() +
               [d, str(repeat), str(X_ZP + 128), str(Y_ZP)], env=env)
    out = {}
    for m in re.finditer(r"RESULT (\S+) min_ms=(\S+) median_ms=(\S+) impl=(\S+)", text):
        out[m.group(1)] = (float(m.group(2)), float(m.group(3)), m.group(4))
    # Keep this run's outputs for the numerics check.
    suffix = "vnni" if isa else "default"
    for name in ("out_int8", "out_int8fold", "out_f32"):
        os.replace(os.path.join(d, name + ".bin"), os.path.join(d, name + "." + suffix + ".bin"))
    return out


def bench_kernels(args, tmp, harness):
    runner = os.path.join(args.build, "bin", "quant-run")
    rng = np.random.default_rng(20261122)
    rows, checks, compile_rows = [], [], []
    for name, kind, dims in KERNELS:
        k = Kernel(name, kind, dims, rng)
        d = os.path.join(tmp, re.sub(r"[^A-Za-z0-9]+", "_", name))
        os.makedirs(d)
        k.write_onednn_inputs(d)
        models = {}
        for prec, module, xarr in (("int8", k.int8_module(), k.x),
                                   ("fp32", k.f32_module(), k.xf)):
            model = os.path.join(d, prec + ".mlir")
            with open(model, "w") as f:
                f.write(module)
            x_path = os.path.join(d, prec + ".x.npy")
            np.save(x_path, xarr)
            models[prec] = (model, x_path, len(module) / 1e6)
        # The four timings alternate, round after round, so that a slow
        # spell of the host (a shared VM) hits all of them alike: min of
        # the rounds' minima, median of their medians.
        rounds = {"dnnl": [], "vnni": [], "int8": [], "fp32": []}
        for rnd in range(args.rounds):
            log("%s: round %d/%d: oneDNN (default ISA, then ONEDNN_MAX_CPU_ISA="
                "AVX512_CORE_VNNI), quant-run int8 and fp32" % (name, rnd + 1, args.rounds))
            rounds["dnnl"].append(onednn(harness, k, d, args.repeat, None))
            rounds["vnni"].append(onednn(harness, k, d, args.repeat, "AVX512_CORE_VNNI"))
            for prec in ("int8", "fp32"):
                model, x_path, _ = models[prec]
                out_path = os.path.join(d, prec + ".out.npy")
                rounds[prec].append(quant_run(runner, model, x_path, out_path, args.repeat))

        def merged(results):
            return {key: (min(r[key][0] for r in results),
                          statistics.median(r[key][1] for r in results),
                          results[0][key][2])
                    for key in results[0]}
        dnnl, vnni = merged(rounds["dnnl"]), merged(rounds["vnni"])
        res = {}
        for prec in ("int8", "fp32"):
            model, x_path, mb = models[prec]
            out_path = os.path.join(d, prec + ".out.npy")
            tmin = min(r[0] for r in rounds[prec])
            tmed = statistics.median(r[1] for r in rounds[prec])
            wall = rounds[prec][0][2]
            # quant-run's own per-call floor: a model returning its argument
            # (same output shape and type: checks, output allocation and
            # zero fill, descriptors, the copy into the output).
            ident = os.path.join(d, prec + ".identity.mlir")
            with open(ident, "w") as f:
                f.write(k.identity_module("i8" if prec == "int8" else "f32"))
            ident_x = os.path.join(d, prec + ".identity.x.npy")
            np.save(ident_x, np.zeros(k.out_shape, np.int8 if prec == "int8" else np.float32))
            fmin, _, _ = quant_run(runner, ident, ident_x,
                                   os.path.join(d, prec + ".identity.out.npy"), args.repeat)
            res[prec] = (tmin, tmed, np.load(out_path), fmin)
            compile_rows.append((name, prec, mb, wall,
                                 wall - (args.repeat + 1) * tmed / 1e3))
        # Numerics.
        ref8, reff = k.int8_reference(), k.f32_reference()
        denom = float(np.max(np.abs(reff)))

        def diff8(a):
            if a.shape != ref8.shape:
                return (ref8.size, 999)
            dd = np.abs(a.astype(np.int32) - ref8.astype(np.int32))
            return int((dd != 0).sum()), int(dd.max())

        def load(fname, dtype):
            return np.fromfile(os.path.join(d, fname), dtype).reshape(k.out_shape)

        checks.append(dict(
            name=name, n=ref8.size,
            saturated=float(np.mean((ref8 == -128) | (ref8 == 127))),
            ours8=diff8(res["int8"][2]),
            dnnl8=diff8(load("out_int8.default.bin", np.int8)),
            vnni8=diff8(load("out_int8.vnni.bin", np.int8)),
            fold8=diff8(load("out_int8fold.vnni.bin", np.int8)),
            oursf=float(np.max(np.abs(res["fp32"][2] - reff))) / denom,
            dnnlf=float(np.max(np.abs(load("out_f32.default.bin", np.float32) - reff))) / denom))
        for prec, key in (("int8", "int8"), ("fp32", "f32")):
            tmin, tmed, _, fmin = res[prec]
            rows.append(dict(name=name, prec=prec, gop=k.gop, tmin=tmin, tmed=tmed, floor=fmin,
                             dnnl=dnnl[key], vnni=vnni[key],
                             dnnl_fold=dnnl.get(key + "fold"), vnni_fold=vnni.get(key + "fold")))
    return rows, checks, compile_rows


def onnx_macs(path):
    """Nominal MACs of Conv/Gemm/MatMul nodes of an ONNX model (batch 1)."""
    import onnx
    from onnx import shape_inference
    model = shape_inference.infer_shapes(onnx.load(path))
    g = model.graph
    shapes = {}
    for v in list(g.value_info) + list(g.input) + list(g.output):
        dims = [d.dim_value if d.HasField("dim_value") else 1
                for d in v.type.tensor_type.shape.dim]
        shapes[v.name] = dims
    for init in g.initializer:
        shapes[init.name] = list(init.dims)
    macs = 0
    for node in g.node:
        if node.op_type == "Conv":
            out = shapes[node.output[0]]
            w = shapes[node.input[1]]
            macs += int(np.prod(out)) * int(np.prod(w[1:]))
        elif node.op_type in ("Gemm", "MatMul"):
            a = shapes[node.input[0]]
            out = shapes[node.output[0]]
            macs += int(np.prod(out)) * a[-1]
    return macs


def bench_networks(args, tmp):
    importer = os.path.join(args.build, "bin", "quant-import-onnx")
    opt = os.path.join(args.build, "bin", "quant-opt")
    runner = os.path.join(args.build, "bin", "quant-run")
    rows = []
    for net in NETWORKS:
        onnx_path = os.path.join(args.models, net, "model_folded.onnx")
        data_path = os.path.join(args.models, net, "data.npz")
        d = os.path.join(tmp, net)
        os.makedirs(d)
        f = lambda n: os.path.join(d, n)
        log("%s: import, fuse, calibrate, quantize" % net)
        run([importer, onnx_path, "-o", f("float.mlir")])
        run([opt, f("float.mlir"), "--mlir-print-debuginfo", "--fuse-activations",
             "-o", f("fused.mlir")])
        run([runner, f("fused.mlir"), "--calibrate", "--dataset", data_path,
             "--input-key", "X", "--indices-key", "cal_idx", "-o", f("stats.json"),
             "--no-progress"])
        run([opt, f("fused.mlir"), "--mlir-print-debuginfo",
             "--import-calibration=file=%s on-missing=error" % f("stats.json"),
             "-o", f("stats.mlir")])
        run([opt, f("stats.mlir"), "--quantize", "--fold-scales",
             "--fixed-point-requant=rounding=double", "-o", f("int8.mlir")])
        data = np.load(data_path)
        x = data["X"][data["eval_idx"][0]][None].astype(np.float32)
        np.save(f("x.npy"), x)
        log("%s: quant-run fp32 and int8" % net)
        fmin, fmed, fwall = quant_run(runner, f("float.mlir"), f("x.npy"), f("fp32.out.npy"),
                                      args.net_repeat)
        imin, imed, iwall = quant_run(runner, f("int8.mlir"), f("x.npy"), f("int8.out.npy"),
                                      args.net_repeat)
        agree = int(np.argmax(np.load(f("fp32.out.npy"))) == np.argmax(np.load(f("int8.out.npy"))))
        ref = data["ref_logits_fp32"][data["eval_idx"][0]] if "ref_logits_fp32" in data else None
        fdiff = (float(np.max(np.abs(np.load(f("fp32.out.npy")).ravel() - ref.ravel())))
                 if ref is not None else float("nan"))
        rows.append((net, 2.0 * onnx_macs(onnx_path) / 1e9, imin, imed, fmin, fmed,
                     agree, fdiff, iwall - (args.net_repeat + 1) * imed / 1e3,
                     fwall - (args.net_repeat + 1) * fmed / 1e3))
    return rows


def pct(v, peak):
    return "%.1f%%" % (100.0 * v / peak) if v / peak >= 0.1 else "%.2f%%" % (100.0 * v / peak)


def print_tables(args, cpu, peaks, krows, checks, compile_rows, nrows):
    vnni_peak = peaks.get("vpdpbusd_zmm", float("nan"))
    fma_peak = peaks.get("vfmadd231ps_zmm", float("nan"))
    print("Host: %s, 1 thread pinned to CPU %d. Measured instruction-stream peaks "
          "(`onednn_kernels peak`, 12 accumulators): clock %.2f GHz (dependent adds), "
          "vpdpbusd zmm %.0f GOP/s, vpdpbusd ymm %.0f GOP/s, vfmadd231ps zmm %.1f GFLOP/s, "
          "vfmadd231ps ymm %.1f GFLOP/s, AMX tdpbusd %s GOP/s."
          % (cpu, args.cpu, peaks.get("clock_ghz", float("nan")), vnni_peak,
             peaks.get("vpdpbusd_ymm", float("nan")), fma_peak,
             peaks.get("vfmadd231ps_ymm", float("nan")),
             "%.0f" % peaks["amx_tdpbusd"] if "amx_tdpbusd" in peaks else "n/a"))
    print()
    if krows:
        print("### int8 kernels: quant-opt (qnn I form -> requantize, quant-run JIT) vs oneDNN 2.6 "
              "u8s8 -> s8 (min / median ms per call: %d alternating rounds of %d calls each, the "
              "rounds' min and the median of their medians; GOP/s from the min)"
              % (args.rounds, args.repeat))
        print()
        print("| kernel | GOP | quant-opt min / median (ms) | quant-opt GOP/s | % of 470 | "
              "% of host VNNI peak | oneDNN default ISA min / median (ms) | GOP/s | "
              "oneDNN AVX512-VNNI min / median (ms) | GOP/s | quant-opt / oneDNN default | "
              "quant-opt / oneDNN VNNI |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in krows:
            if r["prec"] != "int8":
                continue
            og = gops(r["gop"], r["tmin"])
            dg = gops(r["gop"], r["dnnl"][0])
            vg = gops(r["gop"], r["vnni"][0])
            print("| %s | %.4f | %.3f / %.3f | %.1f | %s | %s | %.4f / %.4f | %.0f | "
                  "%.4f / %.4f | %.0f | %s | %s |"
                  % (r["name"], r["gop"], r["tmin"], r["tmed"], og, pct(og, INT8_PEAK),
                     pct(og, vnni_peak), r["dnnl"][0], r["dnnl"][1], dg,
                     r["vnni"][0], r["vnni"][1], vg, ratio(og / dg), ratio(og / vg)))
        print()
        print("### fp32 kernels: quant-opt (qnn f32, quant-run JIT) vs oneDNN 2.6 f32")
        print()
        print("| kernel | GFLOP | quant-opt min / median (ms) | quant-opt GFLOP/s | % of 117.6 | "
              "% of host FMA peak | oneDNN min / median (ms) | oneDNN GFLOP/s | % of host FMA peak "
              "| quant-opt / oneDNN |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for r in krows:
            if r["prec"] != "fp32":
                continue
            og = gops(r["gop"], r["tmin"])
            dg = gops(r["gop"], r["dnnl"][0])
            print("| %s | %.4f | %.3f / %.3f | %.2f | %s | %s | %.4f / %.4f | %.1f | %s | "
                  "%s |"
                  % (r["name"], r["gop"], r["tmin"], r["tmed"], og, pct(og, FP32_PEAK),
                     pct(og, fma_peak), r["dnnl"][0], r["dnnl"][1], dg, pct(dg, fma_peak),
                     ratio(og / dg)))
        print()
        print("### oneDNN details and quant-run's floor")
        print()
        print("| kernel | oneDNN int8 impl (default / VNNI cap) | int8 with the src zero point folded "
              "into the bias, GOP/s (default / VNNI cap) | fp32 impl | quant-run floor int8 / fp32 "
              "(ms, identity model) |")
        print("|---|---|---|---|---|")
        by_name = {}
        for r in krows:
            by_name.setdefault(r["name"], {})[r["prec"]] = r
        for name, p in by_name.items():
            i8, f32 = p["int8"], p["fp32"]
            print("| %s | %s / %s | %.0f / %.0f | %s | %.4f / %.4f |"
                  % (name, i8["dnnl"][2], i8["vnni"][2], gops(i8["gop"], i8["dnnl_fold"][0]),
                     gops(i8["gop"], i8["vnni_fold"][0]), f32["dnnl"][2], i8["floor"],
                     f32["floor"]))
        print()
        print("### Numerics of the benchmarked programs")
        print()
        print("int8: (elements that differ, max |diff|) against a NumPy int64 reference of the "
              "same I-form program (gemmlowp double rounding); fp32: max |error| / max |y| "
              "against float64.")
        print()
        print("| kernel | elements | saturated | quant-opt int8 | oneDNN int8 default | "
              "oneDNN int8 VNNI | oneDNN int8 VNNI, zp folded | quant-opt fp32 | oneDNN fp32 |")
        print("|---|---|---|---|---|---|---|---|---|")
        for c in checks:
            print("| %s | %d | %.1f%% | %d, %d | %d, %d | %d, %d | %d, %d | %.1e | %.1e |"
                  % (c["name"], c["n"], 100 * c["saturated"], c["ours8"][0], c["ours8"][1],
                     c["dnnl8"][0], c["dnnl8"][1], c["vnni8"][0], c["vnni8"][1],
                     c["fold8"][0], c["fold8"][1], c["oursf"], c["dnnlf"]))
        print()
        print("### quant-run process time per kernel module")
        print()
        print("| kernel | prec | module (MB) | process wall (s) | wall - timed calls "
              "(s; parse + lowering + LLVM -O3 JIT) |")
        print("|---|---|---|---|---|")
        for name, prec, mb, wall, comp in compile_rows:
            print("| %s | %s | %.2f | %.2f | %.2f |" % (name, prec, mb, wall, comp))
        print()
    if nrows:
        print("### Networks, latency per image (quant-run --repeat %d, one held-out sample)"
              % args.net_repeat)
        print()
        print("| network | GOP/image | int8 min / median (ms) | int8 GOP/s | % of 470 | "
              "% of host VNNI peak | fp32 min / median (ms) | fp32 GFLOP/s | % of 117.6 | "
              "% of host FMA peak | int8 speed-up over fp32 | argmax int8 = fp32 | "
              "fp32 max-abs-diff vs ref logits | process wall - timed calls, int8 / fp32 (s) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for net, gop, imin, imed, fmin, fmed, agree, fdiff, icomp, fcomp in nrows:
            ig, fg = gops(gop, imin), gops(gop, fmin)
            print("| %s | %.4f | %.3f / %.3f | %.2f | %s | %s | %.3f / %.3f | %.2f | %s | %s "
                  "| %.2f | %s | %.1e | %.1f / %.1f |"
                  % (net, gop, imin, imed, ig, pct(ig, INT8_PEAK), pct(ig, vnni_peak),
                     fmin, fmed, fg, pct(fg, FP32_PEAK), pct(fg, fma_peak), fmin / imin,
                     "yes" if agree else "no", fdiff, icomp, fcomp))
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--models", default=os.path.join(HERE, "..", "..", "shared", "models"))
    parser.add_argument("--repeat", type=int, default=15,
                        help="timed calls per kernel (>= 7)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of the kernel timings (>= 1)")
    parser.add_argument("--net-repeat", type=int, default=200,
                        help="timed calls per network (>= 7)")
    parser.add_argument("--cpu", type=int, default=1,
                        help="pin every process to this CPU (-1: no pinning)")
    parser.add_argument("--only", choices=["kernels", "networks"])
    parser.add_argument("--keep", help="write the work files here and keep them")
    args = parser.parse_args()
    if args.repeat < 7 or args.net_repeat < 7:
        parser.error("--repeat and --net-repeat must be >= 7")
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")
    args.build = os.path.abspath(args.build)
    os.environ["OMP_NUM_THREADS"] = "1"
    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})   # inherited by every child
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or tmpdir
        os.makedirs(tmp, exist_ok=True)
        krows, checks, compile_rows, nrows = [], [], [], []
        harness = os.path.join(tmp, "onednn_kernels")
        log("compiling bench/onednn_kernels.cpp")
        run([CLANG, "-std=c++17", "-O3", os.path.join(HERE, "onednn_kernels.cpp"),
             "-o", harness, "-ldnnl"])
        log("peaks of this host")
        peaks = host_peaks(harness)
        if args.only != "networks":
            krows, checks, compile_rows = bench_kernels(args, tmp, harness)
        if args.only != "kernels":
            nrows = bench_networks(args, tmp)
    print_tables(args, host_cpu(), peaks, krows, checks, compile_rows, nrows)
    print("Total time of the script: %.0f s; load average at the end: %s"
          % (time.perf_counter() - start, " ".join("%.2f" % v for v in os.getloadavg())))
    bad = [c["name"] for c in checks if c["ours8"][0] != 0]
    if bad:
        log("int8 output differs from the NumPy reference: " + ", ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
