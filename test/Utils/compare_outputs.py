"""Compares two .npy outputs of the same samples (N x ...).

  compare_outputs.py a.npy b.npy --max-rel 1e-5 --same-argmax
  compare_outputs.py a.npy b.npy --min-rel 1e-2

The relative difference is max|a - b| / max|a|; argmax is over the last
axis. Prints the figures, then `COMPARE OK` or `COMPARE FAIL: ...` with exit
status 1.
"""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--max-rel", type=float)
    parser.add_argument("--min-rel", type=float)
    parser.add_argument("--same-argmax", action="store_true")
    args = parser.parse_args()
    a, b = np.load(args.a), np.load(args.b)
    if a.shape != b.shape:
        print("COMPARE FAIL: shapes %s and %s" % (a.shape, b.shape))
        return 1
    rel = float(np.abs(a.astype(np.float64) - b).max() / np.abs(a).max())
    flips = int((a.argmax(-1) != b.argmax(-1)).sum())
    print("relative-difference: %.3g" % rel)
    print("argmax-differences: %d" % flips)
    problems = []
    if args.max_rel is not None and not rel <= args.max_rel:
        problems.append("relative difference %.3g > %g" % (rel, args.max_rel))
    if args.min_rel is not None and not rel >= args.min_rel:
        problems.append("relative difference %.3g < %g" % (rel, args.min_rel))
    if args.same_argmax and flips:
        problems.append("%d argmax differences" % flips)
    if problems:
        print("COMPARE FAIL: " + "; ".join(problems))
        return 1
    print("COMPARE OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
