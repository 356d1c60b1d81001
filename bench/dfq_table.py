#!/usr/bin/env python3
"""Data-free quantization table: held-out accuracy of the integer program of
each real network for the steps of Nagel et al. 2019, at W8A8 and W6A8.

Every row starts from model_bn.onnx: import, --fold-batchnorm
--fuse-activations, then the float passes of the row (--equalize,
--absorb-bias), statistics from quant-run --calibrate on cal_idx (after the
float passes), --quantize (asymmetric min-max activations), the correction
of the row (--correct-bias), --fold-scales --fixed-point-requant (double
rounding), and quant-run on eval_idx. Prints a Markdown table of held-out
accuracy with, in parentheses, argmax agreement with the FP32 reference
logits (on 150-900 images, agreement is the steadier figure).

  /usr/bin/python3 bench/dfq_table.py --build build
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

NETWORKS = ["vww_mobilenetv1_025", "kws_dscnn", "ic_resnet8"]

# (row, float passes, --quantize weights option, passes after --quantize)
ROWS = [
    ("per-tensor", [], "per-tensor", []),
    ("+CLE", ["--equalize"], "per-tensor", []),
    ("+CLE+HBA", ["--equalize", "--absorb-bias"], "per-tensor", []),
    ("+CLE+HBA+BC (empirical)", ["--equalize", "--absorb-bias"], "per-tensor",
     ["--correct-bias=mode=empirical"]),
    ("+CLE+HBA+BC (analytic)", ["--equalize", "--absorb-bias"], "per-tensor",
     ["--correct-bias=mode=analytic"]),
    ("+CLE+BC (empirical)", ["--equalize"], "per-tensor",
     ["--correct-bias=mode=empirical"]),
    ("+CLE+BC (analytic)", ["--equalize"], "per-tensor",
     ["--correct-bias=mode=analytic"]),
    ("per-channel", [], "per-channel", []),
    ("per-channel+BC (empirical)", [], "per-channel",
     ["--correct-bias=mode=empirical"]),
]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def accuracy(text):
    return float(re.search(r"accuracy: ([0-9.]+)", text).group(1))


def agreement(text):
    return float(re.search(r"agreement: ([0-9.]+)", text).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--models", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "models"))
    parser.add_argument("--networks", default=",".join(NETWORKS))
    args = parser.parse_args()
    tool = lambda name: os.path.join(args.build, "bin", name)
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for net in args.networks.split(","):
            data = os.path.join(args.models, net, "data.npz")
            dataset = ["--dataset", data, "--input-key", "X", "--label-key", "y",
                       "--indices-key", "eval_idx", "--reference-key",
                       "ref_logits_fp32", "--no-progress"]
            base = os.path.join(tmp, net + ".mlir")
            run([tool("quant-import-onnx"),
                 os.path.join(args.models, net, "model_bn.onnx"), "-o", base])
            folded = os.path.join(tmp, net + ".folded.mlir")
            run([tool("quant-opt"), "--mlir-print-debuginfo", base,
                 "--fold-batchnorm", "--fuse-activations", "-o", folded])
            fp32 = accuracy(run([tool("quant-run"), folded] + dataset))
            table[(net, "FP32")] = ((fp32, 1.0), (fp32, 1.0))
            prepared = {}
            for row, float_passes, weights, post in ROWS:
                key = " ".join(float_passes)
                if key not in prepared:
                    mlir = os.path.join(tmp, "%s.%d.mlir" % (net, len(prepared)))
                    run([tool("quant-opt"), "--mlir-print-debuginfo", folded] +
                        float_passes + ["-o", mlir])
                    stats = mlir + ".json"
                    run([tool("quant-run"), mlir, "--calibrate", "--dataset",
                         data, "--input-key", "X", "--indices-key", "cal_idx",
                         "-o", stats, "--no-progress"])
                    prepared[key] = (mlir, stats)
                mlir, stats = prepared[key]
                figures = []
                for bits in (8, 6):
                    out = os.path.join(tmp, net + ".int.mlir")
                    run([tool("quant-opt"), mlir,
                         "--import-calibration=file=" + stats,
                         "--quantize=weights=%s weight-bits=%d" % (weights, bits)]
                        + post + ["--fold-scales", "--fixed-point-requant",
                                  "-o", out])
                    text = run([tool("quant-run"), out] + dataset)
                    figures.append((accuracy(text), agreement(text)))
                table[(net, row)] = tuple(figures)
                print("%s | %s | W8A8 %.2f%% (%.2f%%) | W6A8 %.2f%% (%.2f%%)" %
                      (net, row, 100 * figures[0][0], 100 * figures[0][1],
                       100 * figures[1][0], 100 * figures[1][1]),
                      file=sys.stderr, flush=True)
    nets = args.networks.split(",")
    rows = ["FP32"] + [r[0] for r in ROWS]
    print("| step | " + " | ".join("%s W8A8 | %s W6A8" % (n, n) for n in nets)
          + " |")
    print("|---|" + "---|---|" * len(nets))
    for row in rows:
        cells = []
        for net in nets:
            w8, w6 = table[(net, row)]
            if row == "FP32":
                cells += ["%.2f%%" % (100 * w8[0]), "—"]
                continue
            cells += ["%.2f%% (%.1f%%)" % (100 * w[0], 100 * w[1])
                      for w in (w8, w6)]
        print("| %s | %s |" % (row, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
