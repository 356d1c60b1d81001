"""Checks quant-run's dataset-mode lines read from stdin.

  quant-run ... --dataset d.npz ... | check_metrics.py --accuracy 0.8600
      --agreement 1.0 --max-abs-diff-below 1e-3 --samples 900

Exact checks compare the printed 4-decimal figures as strings (so an
accuracy must match ../shared/models/README.md exactly); bounds
(--accuracy-at-least, --agreement-at-least, --max-abs-diff-below) compare
numbers. Echoes the input, then `METRICS OK` or `METRICS FAIL: ...` with
exit status 1.
"""

import argparse
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int)
    parser.add_argument("--accuracy")
    parser.add_argument("--agreement")
    parser.add_argument("--max-abs-diff-below", type=float)
    parser.add_argument("--accuracy-at-least", type=float)
    parser.add_argument("--agreement-at-least", type=float)
    args = parser.parse_args()
    text = sys.stdin.read()
    sys.stdout.write(text)
    values = {}
    for line in text.splitlines():
        if ": " in line:
            key, value = line.split(": ", 1)
            values[key.strip()] = value.strip()
    problems = []

    def need(key):
        if key not in values:
            problems.append("missing '%s'" % key)
            return None
        return values[key]

    if args.samples is not None and need("samples") not in (None, str(args.samples)):
        problems.append("samples %s != %d" % (values["samples"], args.samples))
    for key, expected in (("accuracy", args.accuracy), ("agreement", args.agreement)):
        if expected is None:
            continue
        got = need(key)
        if got is not None and got != "%.4f" % float(expected):
            problems.append("%s %s != %.4f" % (key, got, float(expected)))
    for key, bound in (("accuracy", args.accuracy_at_least),
                       ("agreement", args.agreement_at_least)):
        if bound is None:
            continue
        got = need(key)
        # The printed figure has 4 decimals: compare it with the bound
        # rounded the same way (86.0% of 900 is printed as 0.8600).
        if got is not None and not float(got) >= round(bound, 4):
            problems.append("%s %s < %.4f" % (key, got, bound))
    if args.max_abs_diff_below is not None:
        got = need("max-abs-diff")
        if got is not None and not float(got) <= args.max_abs_diff_below:
            problems.append("max-abs-diff %s > %g" % (got, args.max_abs_diff_below))
    if problems:
        print("METRICS FAIL: " + "; ".join(problems))
        return 1
    print("METRICS OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
