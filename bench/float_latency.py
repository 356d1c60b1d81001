#!/usr/bin/env python3
"""Float (FP32) latency per image of the three real networks: the project's
generated code (quant-import-onnx + quant-run's JIT, --lower-to-cpu) against
PyTorch 1.13 eager on one thread (Debian python3-torch, oneDNN-backed
convolutions), in one run, same input, >= 7 repetitions, min and median.

  /usr/bin/python3 bench/float_latency.py --build build --repeat 20

Prints a Markdown table for bench/RESULTS.md. Needs ../shared/models and
python3-torch (scripts/setup.sh --bench-deps installs it).
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
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F

NETWORKS = ["vww_mobilenetv1_025", "kws_dscnn", "ic_resnet8"]


def torch_runner(model_path):
    """A minimal ONNX interpreter over torch.nn.functional for the ops these
    networks use. Returns f(x) -> logits."""
    model = onnx.load(model_path)
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in model.graph.initializer}

    def attr(node, name, default):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    def run(x):
        env = dict(weights)
        env[model.graph.input[0].name] = x
        for node in model.graph.node:
            ins = [env[i] for i in node.input if i]
            if node.op_type == "Conv":
                pads = attr(node, "pads", [0, 0, 0, 0])
                t, l, b, r = pads[0], pads[1], pads[2], pads[3]
                inp = ins[0]
                if (t, l) != (b, r):
                    inp = F.pad(inp, (l, r, t, b))
                    padding = 0
                else:
                    padding = (t, l)
                y = F.conv2d(inp, ins[1], ins[2] if len(ins) > 2 else None,
                             stride=attr(node, "strides", [1, 1]),
                             padding=padding,
                             dilation=attr(node, "dilations", [1, 1]),
                             groups=attr(node, "group", 1))
            elif node.op_type == "BatchNormalization":
                y = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2], False,
                                 0.0, attr(node, "epsilon", 1e-5))
            elif node.op_type == "Relu":
                y = F.relu(ins[0])
            elif node.op_type == "Add":
                y = ins[0] + ins[1]
            elif node.op_type == "GlobalAveragePool":
                y = ins[0].mean(dim=(2, 3), keepdim=True)
            elif node.op_type == "Flatten":
                y = torch.flatten(ins[0], attr(node, "axis", 1))
            elif node.op_type == "Gemm":
                w = ins[1].t() if attr(node, "transB", 0) else ins[1]
                y = ins[0] @ w + (ins[2] if len(ins) > 2 else 0)
            else:
                raise RuntimeError("unsupported op " + node.op_type)
            env[node.output[0]] = y
        return env[model.graph.output[0].name]

    return run


def time_torch(run, x, repeat):
    with torch.no_grad():
        xt = torch.from_numpy(x)
        out = run(xt)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            run(xt)
            times.append((time.perf_counter() - start) * 1e3)
    return out.numpy(), min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--models", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "models"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--variant", default="bn")
    args = parser.parse_args()
    torch.set_num_threads(1)
    importer = os.path.join(args.build, "bin", "quant-import-onnx")
    runner = os.path.join(args.build, "bin", "quant-run")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for net in NETWORKS:
            onnx_path = os.path.join(args.models, net, "model_%s.onnx" % args.variant)
            data = np.load(os.path.join(args.models, net, "data.npz"))
            x = data["X"][data["eval_idx"][0]][None].astype(np.float32)
            x_path = os.path.join(tmp, net + ".npy")
            out_path = os.path.join(tmp, net + ".out.npy")
            mlir_path = os.path.join(tmp, net + ".mlir")
            np.save(x_path, x)
            subprocess.run([importer, onnx_path, "-o", mlir_path], check=True)
            text = subprocess.run(
                [runner, mlir_path, "--input", x_path, "--output", out_path,
                 "--repeat", str(args.repeat)],
                check=True, capture_output=True, text=True).stdout
            m = re.search(r"latency-ms: min ([0-9.]+) median ([0-9.]+)", text)
            ours_min, ours_med = float(m.group(1)), float(m.group(2))
            ours_out = np.load(out_path)
            ref_out, t_min, t_med = time_torch(torch_runner(onnx_path), x, args.repeat)
            diff = float(np.max(np.abs(ours_out - ref_out)))
            rows.append((net, ours_min, ours_med, t_min, t_med, diff))
    print("| network | quant-opt FP32 min / median (ms) | PyTorch 1.13 FP32 min / median (ms) "
          "| ratio (PyTorch / quant-opt, min) | max-abs-diff |")
    print("|---|---|---|---|---|")
    for net, om, omed, tm, tmed, diff in rows:
        print("| %s | %.3f / %.3f | %.3f / %.3f | %.2f | %.1e |" %
              (net, om, omed, tm, tmed, tm / om, diff))
    return 0


if __name__ == "__main__":
    sys.exit(main())
