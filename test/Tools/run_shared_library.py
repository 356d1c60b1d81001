"""Runs the entry of a shared library made by `quant-compile --emit=shared`
through its C interface, as a C program would (docs/Pipelines.md): every
argument and result is a memref descriptor passed by pointer,
{allocated, aligned, offset, sizes[R], strides[R]}, results first-class
out-parameters after the arguments.

  run_shared_library.py model.so in.npy --output-shape 1x10 -o out.npy
"""

import argparse
import ctypes
import os
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
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--entry", default="main")
    parser.add_argument("--output-shape", required=True)
    parser.add_argument("--output-dtype", default="float32")
    parser.add_argument("-o", required=True)
    args = parser.parse_args()
    lib = ctypes.CDLL(os.path.abspath(args.library))
    inputs = [np.ascontiguousarray(np.load(p)) for p in args.inputs]
    shape = [int(d) for d in args.output_shape.split("x")]
    output = np.zeros(shape, dtype=args.output_dtype)
    descriptors = [descriptor(a) for a in inputs + [output]]
    fn = getattr(lib, "_mlir_ciface_" + args.entry)
    fn.restype = None
    fn(*[ctypes.byref(d) for d in descriptors])
    np.save(args.o, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
