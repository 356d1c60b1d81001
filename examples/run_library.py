"""Runs the entry of a shared library made by `quant-compile --emit=shared`
through its C interface, as a C program would (docs/Pipelines.md): every
argument and result is a memref descriptor passed by pointer,
{allocated, aligned, offset, sizes[R], strides[R]}, results first-class
out-parameters after the arguments.

  run_library.py model.so in.npy --output-shape 1x10 -o out.npy
  run_library.py model.so --dataset data.npz --input-key X \
      --indices-key eval_idx [--label-key y] --output-shape 1x12 -o all.npy

Dataset mode runs every selected sample (batch 1), stacks the outputs
(N x output shape) into -o and prints `samples:` and, with labels,
`accuracy:` (argmax over the last axis). `--repeat N` then also times N calls
on the first selected sample and prints `latency-ms-min:` and
`latency-ms-median:` (the call through ctypes included).
"""

import argparse
import ctypes
import os
import statistics
import time
import sys

import numpy as np


def descriptor(array):
    rank = array.ndim
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
              ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
              ("strides", ctypes.c_int64 * rank)]
    Descriptor = type("Descriptor%d" % rank, (ctypes.Structure,),
                      {"_fields_": fields})
    d = Descriptor()
    d.allocated = d.aligned = array.ctypes.data
    d.offset = 0
    for i in range(rank):
        d.sizes[i] = array.shape[i]
        d.strides[i] = array.strides[i] // array.itemsize
    return d


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("library")
    parser.add_argument("inputs", nargs="*")
    parser.add_argument("--dataset")
    parser.add_argument("--input-key")
    parser.add_argument("--indices-key")
    parser.add_argument("--label-key")
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--entry", default="main")
    parser.add_argument("--output-shape", required=True)
    parser.add_argument("--output-dtype", default="float32")
    parser.add_argument("-o", required=True)
    args = parser.parse_args()
    lib = ctypes.CDLL(os.path.abspath(args.library))
    fn = getattr(lib, "_mlir_ciface_" + args.entry)
    fn.restype = None
    shape = [int(d) for d in args.output_shape.split("x")]

    def run(inputs):
        output = np.zeros(shape, dtype=args.output_dtype)
        descriptors = [descriptor(a) for a in inputs + [output]]
        fn(*[ctypes.byref(d) for d in descriptors])
        return output

    if not args.dataset:
        np.save(args.o, run([np.ascontiguousarray(np.load(p))
                             for p in args.inputs]))
        return 0
    data = np.load(args.dataset)
    samples = data[args.input_key]
    indices = (data[args.indices_key] if args.indices_key
               else np.arange(len(samples)))
    outputs = np.stack([run([np.ascontiguousarray(samples[i][None])])
                        for i in indices])
    np.save(args.o, outputs)
    print("samples: %d" % len(indices))
    if args.label_key:
        labels = data[args.label_key][indices]
        predicted = outputs.reshape(len(indices), -1).argmax(-1)
        print("accuracy: %.4f" % float((predicted == labels).mean()))
    if args.repeat > 0:
        sample = [np.ascontiguousarray(samples[indices[0]][None])]
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run(sample)
            times.append((time.perf_counter() - start) * 1e3)
        print("latency-ms-min: %.4f" % min(times))
        print("latency-ms-median: %.4f" % statistics.median(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
