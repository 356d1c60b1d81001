#!/usr/bin/env python3
"""Calibration cost on VWW's 100 calibration samples: `quant-run --calibrate`
(statistics of every named tensor: min/max, 2048-bin histogram, per-channel
min/max/mean of layer inputs) against the plain float run of the same
samples (`quant-run --dataset ... --indices-key cal_idx`), both whole
commands, in one run, repeated, min and median of wall time. The per-sample
cost is also reported from quant-run's own samples-per-second line (the
sample loop only: running the model, and observing in --calibrate; without
JIT compilation and dataset loading).

  /usr/bin/python3 bench/calibration_time.py --build build --repeat 3
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def wall(cmd):
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - start
    sps = float(re.search(r"samples-per-second: ([0-9.]+)", out).group(1))
    return elapsed, 1e3 / sps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--models", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "models"))
    parser.add_argument("--network", default="vww_mobilenetv1_025")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    data = os.path.join(args.models, args.network, "data.npz")
    with tempfile.TemporaryDirectory() as tmp:
        mlir = os.path.join(tmp, "model.mlir")
        subprocess.run([os.path.join(bin_dir, "quant-import-onnx"),
                        os.path.join(args.models, args.network, "model_bn.onnx"),
                        "-o", mlir], check=True)
        common = [os.path.join(bin_dir, "quant-run"), mlir, "--dataset", data,
                  "--input-key", "X", "--indices-key", "cal_idx", "--no-progress"]
        plain = common
        calib = common + ["--calibrate", "-o", os.path.join(tmp, "stats.json")]
        times = {k: [] for k in ("plain", "calib", "plain_ms", "calib_ms")}
        for _ in range(args.repeat):
            t, ms = wall(plain)
            times["plain"].append(t)
            times["plain_ms"].append(ms)
            t, ms = wall(calib)
            times["calib"].append(t)
            times["calib_ms"].append(ms)
    mn = {k: min(v) for k, v in times.items()}
    md = {k: statistics.median(v) for k, v in times.items()}
    per_plain, per_calib = mn["plain_ms"], mn["calib_ms"]
    print("| measure | quant-run --calibrate | plain float run | ratio |")
    print("|---|---|---|---|")
    print("| whole command, 100 samples, min / median (s) | %.2f / %.2f | %.2f / %.2f | %.2f |"
          % (mn["calib"], md["calib"], mn["plain"], md["plain"], mn["calib"] / mn["plain"]))
    print("| per sample, sample loop only, min / median (ms) | %.2f / %.2f | %.2f / %.2f | %.2f |"
          % (per_calib, md["calib_ms"], per_plain, md["plain_ms"], per_calib / per_plain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
