"""Checks quant-run's dataset-mode bookkeeping on the example model.

Runs each sample alone in single-input mode to get the model's logits, then
builds a dataset whose labels and reference logits have a known relation to
them (3 of 5 selected labels right, one reference argmax moved, one reference
logit off by exactly 0.25), runs dataset mode and compares the printed
figures with the ones this script computes. Prints `DATASET OK` or fails.

  quant_run_dataset.py QUANT_RUN MODEL WORKDIR
"""

import os
import subprocess
import sys

import numpy as np


def main():
    quant_run, model, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    rng = np.random.default_rng(7)
    x = rng.random((7, 1, 8, 8), dtype=np.float32)
    logits = []
    for i in range(len(x)):
        xi, yi = os.path.join(workdir, "x%d.npy" % i), os.path.join(workdir, "y%d.npy" % i)
        np.save(xi, x[i:i + 1])
        subprocess.run([quant_run, model, "--input", xi, "--output", yi], check=True)
        logits.append(np.load(yi)[0])
    logits = np.array(logits, np.float32)
    pred = logits.argmax(axis=1)
    indices = np.array([6, 0, 2, 3, 5], np.int64)      # 5 of 7 samples
    labels = pred.copy()
    labels[[0, 3]] = (pred[[0, 3]] + 1) % 10            # selected: 0 and 3 wrong
    labels[1] = (pred[1] + 1) % 10                      # not selected: ignored
    ref = logits.copy()
    ref[5, pred[5]] -= 10.0                              # argmax moves: disagreement
    ref[2, pred[2]] += 0.25                             # same argmax; max-abs-diff 10 (sample 5)
    data = os.path.join(workdir, "data.npz")
    np.savez(data, X=x, y=labels, idx=indices, ref=ref)
    out = subprocess.run([quant_run, model, "--dataset", data, "--input-key", "X",
                          "--label-key", "y", "--indices-key", "idx",
                          "--reference-key", "ref", "--no-progress"],
                         check=True, capture_output=True, text=True).stdout
    print(out, end="")
    sel = indices
    expected = {
        "samples": "5",
        "accuracy": "%.4f" % np.mean(pred[sel] == labels[sel]),
        "agreement": "%.4f" % np.mean(pred[sel] == ref[sel].argmax(axis=1)),
        "max-abs-diff": "%.2g" % np.max(np.abs(logits[sel] - ref[sel])),
    }
    got = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    for key, value in expected.items():
        if got.get(key) != value:
            print("DATASET FAIL: %s is %s, expected %s" % (key, got.get(key), value))
            return 1
    print("DATASET OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
