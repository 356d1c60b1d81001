"""Writes the bad inputs of quant-run-errors.test into a directory."""
import os
import sys

import numpy as np

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
np.save(os.path.join(d, "f64.npy"), np.zeros((1, 1, 8, 8), np.float64))
np.save(os.path.join(d, "shape.npy"), np.zeros((1, 1, 8, 9), np.float32))
np.save(os.path.join(d, "good.npy"), np.zeros((1, 1, 8, 8), np.float32))
with open(os.path.join(d, "truncated.npy"), "wb") as f:
    with open(os.path.join(d, "good.npy"), "rb") as g:
        f.write(g.read()[:100])
np.savez(os.path.join(d, "data.npz"), X=np.zeros((3, 1, 8, 8), np.float32),
         y=np.zeros(3, np.int64), idx=np.array([0, 5], np.int64),
         Xbad=np.zeros((3, 8, 8), np.float32), yfloat=np.zeros(3, np.float32))
