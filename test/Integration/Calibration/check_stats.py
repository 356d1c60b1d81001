"""Sanity of collected statistics against the model they came from.

  check_stats.py stats.json model-with-stats.mlir

Checks, independently of the C++ code: the file is the project's format;
every tensor has the sample count of the calibration set, min <= max, a
2048-bin histogram whose mass is count x elements (every element counted
once per sample) and whose range covers [min, max]; tensors with per-channel
statistics have min <= mean <= max per channel and their overall min/max
equal the extremes of the channels; and every tensor has a qnn.stats op at
its name in the IR. Prints `STATS OK` or the first problem.
"""

import json
import re
import sys


def main():
    stats = json.load(open(sys.argv[1]))
    ir = open(sys.argv[2]).read()
    if stats.get("format") != "qnn-calibration":
        print("STATS FAIL: format %r" % stats.get("format"))
        return 1
    tensors = stats["tensors"]
    counts = {t["count"] for t in tensors.values()}
    if len(counts) != 1:
        print("STATS FAIL: sample counts differ: %s" % sorted(counts))
        return 1
    # Element counts of named values, from the IR's stats ops.
    shapes = {}
    for m in re.finditer(r'qnn\.stats %\S+ <count.*?> : tensor<([0-9x]+)xf32> loc\((#\w+|"[^"]*")\)', ir):
        shapes.setdefault(m.group(2), m.group(1))
    aliases = dict(re.findall(r'^(#\w+) = loc\("([^"]*)"\)', ir, re.M))
    elements = {}
    for loc, shape in shapes.items():
        name = aliases.get(loc, loc.strip('"'))
        n = 1
        for d in shape.split("x"):
            n *= int(d)
        elements[name] = n
    for name, t in tensors.items():
        if name not in elements:
            print("STATS FAIL: no qnn.stats for %s in the IR" % name)
            return 1
        if not t["min"] <= t["max"]:
            print("STATS FAIL: %s min > max" % name)
            return 1
        h = t.get("histogram")
        if h is None or h["bins"] != 2048 or len(h["counts"]) != 2048:
            print("STATS FAIL: %s histogram" % name)
            return 1
        mass = sum(h["counts"])
        expected = t["count"] * elements[name]
        if abs(mass - expected) > 1e-6 * expected + 1e-3:
            print("STATS FAIL: %s histogram mass %g, expected %d" % (name, mass, expected))
            return 1
        if t["max"] > t["min"] and not (h["min"] <= t["min"] and h["max"] >= t["max"]):
            print("STATS FAIL: %s histogram range [%g, %g] misses [%g, %g]"
                  % (name, h["min"], h["max"], t["min"], t["max"]))
            return 1
        if "channel_min" in t:
            lo, mean, hi = t["channel_min"], t["channel_mean"], t["channel_max"]
            if not all(a <= m <= b for a, m, b in zip(lo, mean, hi)):
                print("STATS FAIL: %s channel order" % name)
                return 1
            if min(lo) != t["min"] or max(hi) != t["max"]:
                print("STATS FAIL: %s channel extremes differ from min/max" % name)
                return 1
    print("tensors checked: %d" % len(tensors))
    print("STATS OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
