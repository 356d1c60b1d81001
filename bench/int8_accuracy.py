#!/usr/bin/env python3
"""Held-out accuracy of the integer program on the three real networks, and
the time `quant-opt` takes to quantize, fold scales and make the
multipliers fixed-point.

For each network: import model_folded.onnx, --fuse-activations, calibrate
on cal_idx with quant-run (once), then for each scheme
  quant-opt --import-calibration --quantize=<scheme> --fold-scales
            --fixed-point-requant=rounding=<r>
and run the integer program in quant-run on eval_idx: accuracy and argmax
agreement with the FP32 reference logits. Prints a Markdown table.

  /usr/bin/python3 bench/int8_accuracy.py --build build
  /usr/bin/python3 bench/int8_accuracy.py --build build --timing-only --repeat 7
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

NETWORKS = ["vww_mobilenetv1_025", "kws_dscnn", "ic_resnet8"]

# (label, --quantize options, rounding)
SCHEMES = [
    ("W8A8 per-channel, min-max, double rounding", "", "double"),
    ("W8A8 per-channel, min-max, single rounding", "", "single"),
    ("W8A8 per-tensor, min-max, double rounding", "weights=per-tensor", "double"),
    ("W6A8 per-tensor, min-max, double rounding",
     "weights=per-tensor weight-bits=6", "double"),
]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def metric(text, key):
    return float(re.search(key + r": ([0-9.]+)", text).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--models", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "models"))
    parser.add_argument("--repeat", type=int, default=7,
                        help="repetitions of the quant-opt timing")
    parser.add_argument("--timing-only", action="store_true")
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    tool = lambda name: os.path.join(bin_dir, name)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for net in NETWORKS:
            data = os.path.join(args.models, net, "data.npz")
            imported = os.path.join(tmp, net + ".mlir")
            fused = os.path.join(tmp, net + ".fused.mlir")
            stats = os.path.join(tmp, net + ".json")
            run([tool("quant-import-onnx"),
                 os.path.join(args.models, net, "model_folded.onnx"), "-o", imported])
            run([tool("quant-opt"), "--mlir-print-debuginfo", imported,
                 "--fuse-activations", "-o", fused])
            run([tool("quant-run"), fused, "--calibrate", "--dataset", data,
                 "--input-key", "X", "--indices-key", "cal_idx", "-o", stats,
                 "--no-progress"])
            pipeline = [tool("quant-opt"), fused,
                        "--import-calibration=file=" + stats, "--quantize",
                        "--fold-scales", "--fixed-point-requant", "-o",
                        os.path.join(tmp, net + ".timing.mlir")]
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run(pipeline)
                times.append(time.perf_counter() - start)
            print("%s: quant-opt --import-calibration --quantize --fold-scales "
                  "--fixed-point-requant: min %.3f s, median %.3f s (%d runs)"
                  % (net, min(times), statistics.median(times), args.repeat),
                  flush=True)
            if args.timing_only:
                continue
            fp32 = run([tool("quant-run"), fused, "--dataset", data,
                        "--input-key", "X", "--label-key", "y",
                        "--indices-key", "eval_idx", "--no-progress"])
            rows.append((net, "FP32 (quant-run, float lowering)",
                         metric(fp32, "accuracy"), 1.0))
            for label, options, rounding in SCHEMES:
                out = os.path.join(tmp, net + ".int8.mlir")
                run([tool("quant-opt"), fused,
                     "--import-calibration=file=" + stats,
                     "--quantize=" + options, "--fold-scales",
                     "--fixed-point-requant=rounding=" + rounding, "-o", out])
                text = run([tool("quant-run"), out, "--dataset", data,
                            "--input-key", "X", "--label-key", "y",
                            "--indices-key", "eval_idx", "--reference-key",
                            "ref_logits_fp32", "--no-progress"])
                rows.append((net, label, metric(text, "accuracy"),
                             metric(text, "agreement")))
                print("%s | %s | %.2f%%" % (net, label, 100 * rows[-1][2]),
                      file=sys.stderr, flush=True)
    if rows:
        print()
        print("| network | scheme | held-out accuracy | agreement with FP32 |")
        print("|---|---|---|---|")
        for net, label, acc, agree in rows:
            print("| %s | %s | %.2f%% | %.2f%% |" % (net, label, 100 * acc,
                                                   100 * agree))
    return 0


if __name__ == "__main__":
    sys.exit(main())
