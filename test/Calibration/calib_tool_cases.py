"""Inputs for calib-tool.test and a readable summary of qnn-calib-tool's
JSON (NumPy only: no PyTorch needed).

  calib_tool_cases.py make DIR     writes DIR/example.npz, DIR/nan.npz,
                                   DIR/ints.npz
  calib_tool_cases.py summary      JSON on stdin -> one line per fact
"""

import json
import os
import sys

import numpy as np


def make(workdir):
    os.makedirs(workdir, exist_ok=True)
    # algorithms.md §4.1: rmin = -1, rmax = 2 (two samples, two channels).
    example = np.array([[[-1.0, 0.5], [0.25, 0.0]],
                        [[0.0, 2.0], [-0.5, 1.0]]], np.float32)
    np.savez(os.path.join(workdir, "example.npz"), X=example)
    # The middle sample holds a NaN and is refused whole.
    nan = np.array([[1.0, 2.0], [np.nan, 50.0], [-3.0, 4.0]], np.float32)
    np.savez(os.path.join(workdir, "nan.npz"), X=nan)
    np.savez(os.path.join(workdir, "ints.npz"), X=np.ones((2, 3), np.int32))


def summary():
    out = json.load(sys.stdin)
    print("samples %d rejected %d sample_size %d" % (
        out["samples"], out["rejected"], out["sample_size"]))
    print("min %.9g max %.9g" % (out["min"], out["max"]))
    if "channel_min" in out:
        for key in ("channel_min", "channel_max", "channel_mean"):
            print("%s %s" % (key, " ".join("%.9g" % v for v in out[key])))
    hist = out["histogram"]
    counts = np.array(hist["counts"])
    print("histogram [%.9g, %.9g] bins %d mass %.9g" % (
        hist["lo"], hist["hi"], len(counts), counts.sum()))
    for r in out["ranges"]:
        grid = "%s%d%s%s" % ("i" if r["signed"] else "u", r["bits"],
                             " symmetric" if r["symmetric"] else " asymmetric",
                             " narrow" if r["narrow"] else "")
        print("%s %s: range [%.9g, %.9g] scale %.9g zero_point %d grid "
              "[%d, %d]" % (r["method"], grid, r["min"], r["max"],
                            r["scale"], r["zero_point"], r["qmin"],
                            r["qmax"]))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        summary()
