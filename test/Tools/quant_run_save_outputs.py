"""Checks quant-run --save-outputs in dataset mode.

Float model (the example network): the stacked outputs of the selected
samples equal, bit for bit, what single-input mode returns for each sample,
in the order of the indices, and --limit truncates them. Integer result (a
quant.qcast program written here): the int8 codes equal NumPy's
round-half-even quantization. Also writes the models and data that
quant-run-save-outputs.test uses for its error cases. Prints `SAVE OK` or
the first problem.

  quant_run_save_outputs.py QUANT_RUN MODEL WORKDIR
"""

import os
import subprocess
import sys

import numpy as np


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def main():
    quant_run, model, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(3)
    p = lambda name: os.path.join(work, name)

    # Float model: per-sample logits from single-input mode.
    x = rng.random((7, 1, 8, 8), dtype=np.float32)
    logits = []
    for i in range(len(x)):
        np.save(p("x%d.npy" % i), x[i:i + 1])
        run([quant_run, model, "--input", p("x%d.npy" % i), "--output", p("y%d.npy" % i)])
        logits.append(np.load(p("y%d.npy" % i)))
    logits = np.stack(logits)                     # [7, 1, 10]
    idx = np.array([6, 0, 2, 3, 5], np.int64)
    np.savez(p("data.npz"), X=x, idx=idx, y=np.zeros(7, np.int64))
    base = [quant_run, model, "--dataset", p("data.npz"), "--input-key", "X",
            "--indices-key", "idx", "--no-progress"]
    run(base + ["--save-outputs", p("all.npy")])
    run(base + ["--limit", "2", "--save-outputs", p("two.npy")])
    saved, two = np.load(p("all.npy")), np.load(p("two.npy"))
    if saved.dtype != np.float32 or saved.shape != (5, 1, 10):
        print("SAVE FAIL: saved %s %s" % (saved.dtype, saved.shape))
        return 1
    if not np.array_equal(saved, logits[idx]):
        print("SAVE FAIL: saved outputs differ from single-input mode")
        return 1
    if two.shape != (2, 1, 10) or not np.array_equal(two, logits[idx[:2]]):
        print("SAVE FAIL: --limit 2 saved %s" % (two.shape,))
        return 1

    # Integer result: q = clamp(round_half_even(x / 0.5) + 1, -128, 127).
    open(p("int.mlir"), "w").write('''
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xi8> {
  %q = quant.qcast %x : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.5:1>>
  %i = quant.scast %q : tensor<1x4x!quant.uniform<i8:f32, 0.5:1>> to tensor<1x4xi8>
  return %i : tensor<1x4xi8>
}
''')
    xi = np.concatenate([np.array([[0.25, 0.75, -0.25, 100.0]], np.float32),
                         rng.uniform(-70, 70, (5, 4)).astype(np.float32)])
    np.savez(p("int.npz"), X=xi, y=np.zeros(6, np.int64))
    run([quant_run, p("int.mlir"), "--dataset", p("int.npz"), "--input-key", "X",
         "--no-progress", "--save-outputs", p("int_out.npy")])
    got = np.load(p("int_out.npy"))
    want = np.clip(np.rint(xi / np.float32(0.5)) + 1, -128, 127).astype(np.int8)[:, None, :]
    if got.dtype != np.int8 or got.shape != (6, 1, 4) or not np.array_equal(got, want):
        print("SAVE FAIL: int8 outputs %s %s %s, expected %s" %
              (got.dtype, got.shape, got.tolist(), want.tolist()))
        return 1

    # A model with two results, for the error case.
    open(p("two_results.mlir"), "w").write('''
func.func @main(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %a = qnn.activation %x kind = relu : tensor<1x4xf32> -> tensor<1x4xf32>
  %b = qnn.activation %x kind = relu6 : tensor<1x4xf32> -> tensor<1x4xf32>
  return %a, %b : tensor<1x4xf32>, tensor<1x4xf32>
}
''')
    print("SAVE OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
