# qnn-npy-tool writes .npy files (`copy`: read with qnn::runtime, write back)
# and an .npz archive (`pack`); NumPy and Python's zipfile read them and
# compare with the arrays NumPy started from: dtype, shape, every element
# bit for bit, 64-byte data alignment, stored members with valid CRC-32s.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %t qnn-npy-tool | FileCheck %s
#
# The comparison is live: against a reference with one element changed, it
# fails.
# RUN: not %python %s %t qnn-npy-tool --sabotage 2>&1 \
# RUN:   | FileCheck %s --check-prefix=SABOTAGE
# SABOTAGE: mismatch: f32.npy: values differ
# SABOTAGE: mismatch: packed.npz:f32: values differ
# SABOTAGE: 2 of {{[0-9]+}} checks failed

# CHECK: ok f32.npy
# CHECK: ok f64.npy
# CHECK: ok i8.npy
# CHECK: ok u8.npy
# CHECK: ok i16.npy
# CHECK: ok i32.npy
# CHECK: ok i64.npy
# CHECK: ok bool.npy
# CHECK: ok scalar.npy
# CHECK: ok empty.npy
# CHECK: ok nchw.npy
# CHECK: ok fortran.npy
# CHECK: ok packed.npz: zipfile CRC check, 12 stored members
# CHECK: ok packed.npz: keys in order
# CHECK: ok packed.npz:f32
# CHECK: ok packed.npz:f64
# CHECK: ok packed.npz:i8
# CHECK: ok packed.npz:u8
# CHECK: ok packed.npz:i16
# CHECK: ok packed.npz:i32
# CHECK: ok packed.npz:i64
# CHECK: ok packed.npz:bool
# CHECK: ok packed.npz:scalar
# CHECK: ok packed.npz:empty
# CHECK: ok packed.npz:nchw
# CHECK: ok packed.npz:fortran
# CHECK: all {{[0-9]+}} checks passed

import os
import subprocess
import sys
import zipfile

import numpy as np


def make_arrays():
    rng = np.random.default_rng(99)
    special = [0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 1e-45, 3e38]
    return {
        "f32": np.array(special, np.float32).reshape(3, 3),
        "f64": np.array(special + [5e-324], np.float64),
        "i8": np.array([-128, -1, 0, 127], np.int8),
        "u8": np.arange(256, dtype=np.uint8).reshape(2, 8, 16),
        "i16": np.array([[-32768, 258], [0, 32767]], np.int16),
        "i32": np.array([-(2**31), 2**31 - 1, 16909060], np.int32),
        "i64": np.array([[-(2**63)], [2**63 - 1]], np.int64),
        "bool": np.array([True, False, False, True]),
        "scalar": np.int64(-5),
        "empty": np.zeros((2, 0, 3), np.float32),
        "nchw": rng.standard_normal((2, 3, 16, 16)).astype(np.float32),
        # Read transposed into C order, so written back C-ordered.
        "fortran": np.asfortranarray(np.arange(60, dtype=np.float64).reshape(3, 4, 5)),
    }


def same(actual, expected):
    """Why `actual` differs from `expected`, or None."""
    expected = np.asarray(expected)
    if actual.dtype != expected.dtype:
        return "dtype %s, expected %s" % (actual.dtype, expected.dtype)
    if actual.shape != expected.shape:
        return "shape %s, expected %s" % (actual.shape, expected.shape)
    # Bit for bit, so that -0.0 and NaN count.
    if actual.tobytes(order="C") != expected.tobytes(order="C"):
        return "values differ"
    return None


def data_offset(path):
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            np.lib.format.read_array_header_1_0(f)
        else:
            np.lib.format.read_array_header_2_0(f)
        return f.tell()


def main():
    out, tool = sys.argv[1], sys.argv[2]
    sabotage = "--sabotage" in sys.argv[3:]
    arrays = make_arrays()
    checks, failures = 0, 0

    def report(label, problem):
        nonlocal checks, failures
        checks += 1
        if problem:
            failures += 1
            print("mismatch: %s: %s" % (label, problem), file=sys.stderr)
        else:
            print("ok " + label)

    def reference(name):
        expected = np.array(arrays[name], copy=True)
        if sabotage and name == "f32":
            expected.flat[2] += 1
        return expected

    written = {}
    for name, array in arrays.items():
        source = os.path.join(out, name + ".npy")
        copy = os.path.join(out, name + ".copy.npy")
        np.save(source, array)
        result = subprocess.run([tool, "copy", source, copy],
                                capture_output=True, text=True)
        if result.returncode != 0:
            report(name + ".npy", "qnn-npy-tool failed: " + result.stderr)
            continue
        written[name] = copy
        loaded = np.load(copy)
        problem = same(loaded, reference(name))
        if not problem and not loaded.flags.c_contiguous:
            problem = "not C-ordered"
        if not problem and data_offset(copy) % 64 != 0:
            problem = "data not 64-byte aligned"
        report(name + ".npy", problem)

    packed = os.path.join(out, "packed.npz")
    result = subprocess.run(
        [tool, "pack", packed] + ["%s=%s" % item for item in written.items()],
        capture_output=True, text=True)
    if result.returncode != 0:
        report("packed.npz", "qnn-npy-tool failed: " + result.stderr)
    else:
        with zipfile.ZipFile(packed) as archive:
            bad = archive.testzip()
            infos = archive.infolist()
            problem = None
            if bad is not None:
                problem = "bad CRC in " + bad
            elif [i.filename for i in infos] != [k + ".npy" for k in written]:
                problem = "members %s" % [i.filename for i in infos]
            elif any(i.compress_type != zipfile.ZIP_STORED for i in infos):
                problem = "not stored"
            report("packed.npz: zipfile CRC check, %d stored members"
                   % len(infos), problem)
        with np.load(packed) as npz:
            report("packed.npz: keys in order",
                   None if list(npz.keys()) == list(written)
                   else "keys %s" % list(npz.keys()))
            for name in written:
                report("packed.npz:" + name, same(npz[name], reference(name)))

    if failures:
        print("%d of %d checks failed" % (failures, checks), file=sys.stderr)
        sys.exit(1)
    print("all %d checks passed" % checks)


if __name__ == "__main__":
    main()
