"""JIT numerics of the integer (I) form lowering, bit-exact.

  integer_numerics.py {requantize|conv} --workdir DIR --run-tool quant-run
                      --ref-tool qnn-requant-ref

`requantize`: seeded random qnn.requantize ops (per-tensor and per-channel,
both roundings, the float form, edge multipliers, negative values, exact
ties, int32/int16/int8/uint8 inputs, int8/uint8/int16 results) run by
quant-run and compared with qnn-requant-ref (FixedPoint.h's requantize()).

`conv`: integer conv2d (asymmetric padding with a nonzero input zero point,
groups and depthwise, stride, dilation) followed by a per-channel
requantize, on random int8/uint8 data: the i32 accumulator is compared with
a NumPy int64 reference written here, the requantized result with
qnn-requant-ref applied to that reference.

Prints `PASS NAME` or `FAIL NAME: ...` per case; exit status 1 on a failure.
Run with /usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
MLIR_TYPE = {"i32": "i32", "i16": "i16", "i8": "i8", "u8": "ui8"}
NP_TYPE = {"i32": np.int32, "i16": np.int16, "i8": np.int8, "u8": np.uint8}
RANGE = {"i32": (INT32_MIN, INT32_MAX), "i16": (-(2**15), 2**15 - 1),
         "i8": (-128, 127), "u8": (0, 255)}


def tensor_type(shape, dtype):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + MLIR_TYPE[dtype] + ">"


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        raise RuntimeError("command failed: " + cmd[0])


def requant_attr_text(case):
    if "scale" in case:
        mult = "scale = [" + ", ".join("%.17e" % s for s in case["scale"]) + "]"
    else:
        mult = ("fixed_point = <m0 = [" + ", ".join(str(m) for m in case["m0"])
                + "], shift = [" + ", ".join(str(s) for s in case["shift"]) + "]>")
    return (f"{mult} axis = {case['axis']} input_zero_point = {case['izp']} "
            f"output_zero_point = {case['ozp']} clamp = [{case['clamp'][0]}, "
            f"{case['clamp'][1]}] rounding = {case['rounding']}")


def ref_args(case):
    args = [f"--out-dtype={case['out']}", f"--axis={case['axis']}",
            f"--input-zero-point={case['izp']}",
            f"--output-zero-point={case['ozp']}",
            f"--clamp={case['clamp'][0]},{case['clamp'][1]}",
            f"--rounding={case['rounding']}"]
    if "scale" in case:
        args.append("--scale=" + ",".join("%.17e" % s for s in case["scale"]))
    else:
        args.append("--m0=" + ",".join(str(m) for m in case["m0"]))
        args.append("--shift=" + ",".join(str(s) for s in case["shift"]))
    return args


def compare(name, got, want):
    if got.dtype != want.dtype or got.shape != want.shape:
        print(f"FAIL {name}: got {got.dtype}{got.shape}, want {want.dtype}{want.shape}")
        return False
    bad = np.flatnonzero(got.astype(np.int64) != want.astype(np.int64))
    if bad.size:
        i = bad[0]
        print(f"FAIL {name}: {bad.size} of {got.size} differ, first at flat "
              f"index {i}: got {got.flat[i]}, want {want.flat[i]}")
        return False
    print(f"PASS {name} ({got.size} elements)")
    return True


# --- requantize --------------------------------------------------------------

def random_input(rng, dtype, shape, m0=None, shift=None):
    lo, hi = RANGE[dtype]
    n = int(np.prod(shape))
    x = rng.integers(lo, hi, size=n, endpoint=True, dtype=np.int64)
    if dtype == "i32":
        # Mostly accumulator-sized values, some anywhere, the extremes.
        small = rng.integers(-(2**20), 2**20, size=n, dtype=np.int64)
        x = np.where(rng.random(n) < 0.7, small, x)
        x[:4] = [INT32_MIN, INT32_MAX, -1, 0]
        if shift is not None and n > 40:
            # Exact ties of the final shift: odd multiples of 2^(k-1).
            k = max(1, -min(shift))
            if k < 30:
                t = rng.integers(-(2**10), 2**10, size=32) * 2 + 1
                x[8:40] = np.clip(t << (k - 1), INT32_MIN, INT32_MAX)
    return x.astype(NP_TYPE[dtype]).reshape(shape)


def requantize_cases(rng):
    cases = []

    def fixed(name, shape, inp, out, m0, shift, rounding, axis=0, izp=0,
              ozp=0, clamp=None):
        cases.append(dict(name=name, shape=shape, inp=inp, out=out, m0=m0,
                          shift=shift, rounding=rounding, axis=axis, izp=izp,
                          ozp=ozp, clamp=clamp or RANGE[out]))

    def rand_m(n, lo=-12, hi=0):
        m0 = [int(v) for v in rng.integers(2**30, 2**31, size=n)]
        shift = [int(v) for v in rng.integers(lo, hi, size=n, endpoint=True)]
        return m0, shift

    for rounding in ("double", "single"):
        m0, sh = rand_m(1)
        fixed(f"per_tensor_i32_i8_{rounding}", [4, 64], "i32", "i8", m0, sh,
              rounding, ozp=-5)
        m0, sh = rand_m(6)
        fixed(f"per_channel_axis3_i32_u8_{rounding}", [2, 5, 7, 6], "i32", "u8",
              m0, sh, rounding, axis=3, ozp=128, clamp=(3, 250))
        m0, sh = rand_m(5)
        fixed(f"per_channel_axis1_i32_i16_{rounding}", [3, 5, 40], "i32", "i16",
              m0, sh, rounding, axis=1, ozp=17)
        # Ties: M = 2^-k exactly (m0 = 2^30), negative and positive ties.
        fixed(f"ties_pow2_{rounding}", [512], "i32", "i8", [2**30] * 1, [-3],
              rounding)
        fixed(f"ties_half_{rounding}", [512], "i32", "i16", [2**30], [0],
              rounding)
        # Edge multipliers: m0 = 2^31 - 1 and 2^30, 0 (dead channel), the
        # shift extremes -31 and 30 (saturation), positive shifts.
        fixed(f"edges_{rounding}", [256, 8], "i32", "i8",
              [2**31 - 1, 2**30, 0, 2**31 - 1, 2**30, 1518500250, 2**31 - 1,
               2**30],
              [-31, -31, 0, 30, 30, 1, 0, 5], rounding, axis=1, ozp=3)
        fixed(f"edges_i32_out_{rounding}", [256, 4], "i32", "i32",
              [2**31 - 1, 2**30, 2**31 - 1, 1518500250], [30, 3, -1, 12],
              rounding, axis=1)
        # Narrow inputs with zero points, including a 32-bit input zero point
        # that pushes x - izp out of int32 (saturated).
        m0, sh = rand_m(1, -2, 2)
        fixed(f"u8_in_{rounding}", [300], "u8", "i8", m0, sh, rounding,
              izp=200, ozp=-1)
        m0, sh = rand_m(4, -6, 1)
        fixed(f"i8_in_per_channel_{rounding}", [50, 4], "i8", "u8", m0, sh,
              rounding, axis=1, izp=-7, ozp=120)
        m0, sh = rand_m(1, -8, 0)
        fixed(f"i16_in_{rounding}", [400], "i16", "i16", m0, sh, rounding,
              izp=1000)
        fixed(f"i32_izp_saturates_{rounding}", [256], "i32", "i32",
              [2**30], [-1], rounding, izp=-(2**31) + 5)
    for rounding in ("double", "single"):
        m0, sh = rand_m(1, -20, -8)
        fixed(f"random_negative_shift_{rounding}", [2000], "i32", "i8", m0, sh,
              rounding, ozp=-128)

    # The float form: round half away from zero of the f64 product.
    def flt(name, shape, inp, out, scale, axis=0, izp=0, ozp=0, clamp=None):
        cases.append(dict(name=name, shape=shape, inp=inp, out=out,
                          scale=scale, rounding="double", axis=axis, izp=izp,
                          ozp=ozp, clamp=clamp or RANGE[out]))

    flt("float_per_tensor", [4, 100], "i32", "i8",
        [float(rng.uniform(1e-5, 1e-3))], ozp=-3)
    flt("float_ties", [300], "i32", "i16", [0.5], ozp=0)
    flt("float_per_channel", [10, 3, 4], "i32", "u8",
        [0.25, 0.0, float(rng.uniform(1e-4, 1e-2)), 1e-6], axis=2, ozp=128)
    flt("float_u8_in", [300], "u8", "i8", [0.75], izp=128, ozp=2)
    return cases


def run_requantize(args):
    rng = np.random.default_rng(20240607)
    cases = requantize_cases(rng)
    os.makedirs(args.workdir, exist_ok=True)
    ok = True
    for case in cases:
        name = case["name"]
        x = random_input(rng, case["inp"], case["shape"], case.get("m0"),
                         case.get("shift"))
        d = os.path.join(args.workdir, name)
        os.makedirs(d, exist_ok=True)
        xin, got_path, want_path = (os.path.join(d, f) for f in
                                    ("x.npy", "got.npy", "want.npy"))
        np.save(xin, x)
        tin = tensor_type(case["shape"], case["inp"])
        tout = tensor_type(case["shape"], case["out"])
        model = os.path.join(d, "model.mlir")
        with open(model, "w") as f:
            f.write(f"func.func @main(%x: {tin}) -> {tout} {{\n"
                    f"  %y = qnn.requantize %x {requant_attr_text(case)} : "
                    f"{tin} -> {tout}\n  return %y : {tout}\n}}\n")
        run([args.run_tool, model, "--input", xin, "--output", got_path])
        run([args.ref_tool, xin, want_path] + ref_args(case))
        ok &= compare(name, np.load(got_path), np.load(want_path))
    return ok


# --- conv --------------------------------------------------------------------

def conv_reference(x, w, b, strides, dilations, pad, groups, izp):
    """NHWC x, [O, KH, KW, C/G] w; pad = [top, left, bottom, right]; int64."""
    n, h, wd, c = x.shape
    o, kh, kw, cg = w.shape
    og = o // groups
    top, left, bottom, right = pad
    xp = np.full((n, h + top + bottom, wd + left + right, c), izp, np.int64)
    xp[:, top:top + h, left:left + wd, :] = x.astype(np.int64)
    oh = (h + top + bottom - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + left + right - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    out = np.zeros((n, oh, ow, o), np.int64)
    w64 = w.astype(np.int64)
    for oc in range(o):
        g = oc // og
        acc = np.full((n, oh, ow), int(b[oc]), np.int64)
        for i in range(kh):
            for j in range(kw):
                hs = i * dilations[0]
                ws = j * dilations[1]
                patch = xp[:, hs:hs + strides[0] * (oh - 1) + 1:strides[0],
                           ws:ws + strides[1] * (ow - 1) + 1:strides[1],
                           g * cg:(g + 1) * cg]
                acc += patch @ w64[oc, i, j, :]
        out[..., oc] = acc
    # i32 accumulation wraps; these sizes never reach it, check anyway.
    assert out.min() >= INT32_MIN and out.max() <= INT32_MAX
    return out.astype(np.int32), (oh, ow)


def conv_cases():
    return [
        dict(name="conv_i8_asym_pad", inp="i8", shape=[2, 9, 8, 4], o=6, k=[3, 2],
             strides=[1, 2], dilations=[1, 1], pad=[1, 0, 2, 1], groups=1,
             izp=-7, out="i8", rounding="double"),
        dict(name="conv_u8_grouped_dilated", inp="u8", shape=[1, 11, 10, 6], o=9,
             k=[3, 3], strides=[2, 1], dilations=[2, 3], pad=[2, 3, 1, 0],
             groups=3, izp=131, out="u8", rounding="single"),
        dict(name="conv_u8_depthwise", inp="u8", shape=[1, 8, 8, 5], o=10,
             k=[3, 3], strides=[2, 2], dilations=[1, 1], pad=[1, 1, 1, 1],
             groups=5, izp=255, out="u8", rounding="double"),
        dict(name="conv_i8_depthwise_dilated", inp="i8", shape=[2, 7, 9, 4], o=4,
             k=[2, 3], strides=[1, 1], dilations=[3, 2], pad=[0, 2, 3, 1],
             groups=4, izp=127, out="i8", rounding="single"),
    ]


def run_conv(args):
    rng = np.random.default_rng(7)
    os.makedirs(args.workdir, exist_ok=True)
    ok = True
    for case in conv_cases():
        name = case["name"]
        d = os.path.join(args.workdir, name)
        os.makedirs(d, exist_ok=True)
        lo, hi = RANGE[case["inp"]]
        x = rng.integers(lo, hi, size=case["shape"], endpoint=True).astype(
            NP_TYPE[case["inp"]])
        c = case["shape"][3]
        o, groups = case["o"], case["groups"]
        wshape = [o, case["k"][0], case["k"][1], c // groups]
        w = rng.integers(-128, 127, size=wshape, endpoint=True).astype(np.int8)
        b = rng.integers(-5000, 5000, size=[o]).astype(np.int32)
        acc, (oh, ow) = conv_reference(x, w, b, case["strides"],
                                       case["dilations"], case["pad"], groups,
                                       case["izp"])
        oshape = [case["shape"][0], oh, ow, o]
        m0 = [int(v) for v in rng.integers(2**30, 2**31, size=o)]
        shift = [int(v) for v in rng.integers(-14, -6, size=o)]
        rq = dict(m0=m0, shift=shift, axis=3, izp=0,
                  ozp=-3 if case["out"] == "i8" else 120,
                  clamp=RANGE[case["out"]], rounding=case["rounding"],
                  out=case["out"])
        paths = {k: os.path.join(d, k + ".npy")
                 for k in ("x", "w", "b", "acc_got", "acc_want", "y_got",
                           "y_want")}
        np.save(paths["x"], x)
        np.save(paths["w"], w)
        np.save(paths["b"], b)
        np.save(paths["acc_want"], acc)
        tx = tensor_type(case["shape"], case["inp"])
        tw = tensor_type(wshape, "i8")
        tb = tensor_type([o], "i32")
        tacc = tensor_type(oshape, "i32")
        ty = tensor_type(oshape, case["out"])
        p = case["pad"]
        model = os.path.join(d, "model.mlir")
        with open(model, "w") as f:
            f.write(
                f"func.func @main(%x: {tx}, %w: {tw}, %b: {tb}) -> ({tacc}, {ty}) {{\n"
                f"  %acc = qnn.conv2d %x, %w, %b strides = {case['strides']} "
                f"dilations = {case['dilations']} padding = [{p[0]}, {p[1]}, "
                f"{p[2]}, {p[3]}] groups = {groups} input_zero_point = "
                f"{case['izp']} : ({tx}, {tw}, {tb}) -> {tacc}\n"
                f"  %y = qnn.requantize %acc {requant_attr_text(rq)} : "
                f"{tacc} -> {ty}\n"
                f"  return %acc, %y : {tacc}, {ty}\n}}\n")
        run([args.run_tool, model, "--input",
             ",".join(paths[k] for k in ("x", "w", "b")), "--output",
             paths["acc_got"] + "," + paths["y_got"]])
        run([args.ref_tool, paths["acc_want"], paths["y_want"]] + ref_args(rq))
        ok &= compare(name + "_acc", np.load(paths["acc_got"]), acc)
        ok &= compare(name + "_requantized", np.load(paths["y_got"]),
                      np.load(paths["y_want"]))
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["requantize", "conv"])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--run-tool", required=True)
    parser.add_argument("--ref-tool", required=True)
    args = parser.parse_args()
    ok = run_requantize(args) if args.what == "requantize" else run_conv(args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
