# NumPy writes .npy and .npz files; qnn-npy-tool reads them with
# qnn::runtime and prints dtype, shape, CRC-32 of the C-order data and the
# first values. The expected text is computed here from the arrays with
# NumPy and zlib, independently of the reader.
#
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %t qnn-npy-tool | FileCheck %s
#
# The comparison is live: with one expected value altered, it fails.
# RUN: not %python %s %t qnn-npy-tool --sabotage 2>&1 \
# RUN:   | FileCheck %s --check-prefix=SABOTAGE
# SABOTAGE: mismatch: f32.npy
# SABOTAGE: 1 of {{[0-9]+}} cases failed

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
# CHECK: ok fortran2d.npy
# CHECK: ok fortran4d.npy
# CHECK: ok v2.npy
# CHECK: ok v3.npy
# CHECK: ok savez.npz:X
# CHECK: ok savez.npz:y
# CHECK: ok savez.npz:cal_idx
# CHECK: ok savez.npz:eval_idx
# CHECK: ok savez.npz:ref_logits_fp32
# CHECK: ok savez.npz:fortran
# CHECK: ok savez_compressed.npz:X
# CHECK: ok savez_compressed.npz:big
# CHECK: ok savez_compressed.npz:fortran
# CHECK: ok positional.npz:arr_0
# CHECK: ok positional.npz:arr_1
# CHECK: all {{[0-9]+}} cases passed

# The archives list every key, the unicode 'names' array included; reading
# that one member is refused with a message naming it.
# RUN: qnn-npy-tool keys %t/savez.npz | FileCheck %s --check-prefix=KEYS
# KEYS: X
# KEYS-NEXT: y
# KEYS-NEXT: cal_idx
# KEYS-NEXT: eval_idx
# KEYS-NEXT: ref_logits_fp32
# KEYS-NEXT: names
# KEYS-NEXT: fortran
# KEYS-NOT: {{.}}
# RUN: not qnn-npy-tool dump %t/savez_compressed.npz names 2>&1 \
# RUN:   | FileCheck %s --check-prefix=NAMES
# NAMES: error: {{.*}}savez_compressed.npz:names: unsupported dtype '<U5' (strings are not supported)

import os
import subprocess
import sys
import zlib

import numpy as np

MAX_VALUES = 32  # qnn-npy-tool prints at most this many values


def format_value(value, dtype):
    if dtype.kind == "f":
        if np.isnan(value):
            return "nan"
        return ("%.9g" if dtype.itemsize == 4 else "%.17g") % float(value)
    return str(int(value))


def expected_dump(array):
    array = np.asarray(array)
    flat = array.ravel(order="C")
    values = [format_value(v, array.dtype) for v in flat[:MAX_VALUES]]
    if flat.size > MAX_VALUES:
        values.append("...")
    lines = [
        "dtype: " + array.dtype.name,
        "shape: [" + ", ".join(str(d) for d in array.shape) + "]",
        "crc32: 0x%08x" % zlib.crc32(array.tobytes(order="C")),
        "values:" + "".join(" " + v for v in values),
    ]
    if array.dtype.kind != "f":
        lines.append("int64sum: %d" % int(array.astype(np.int64).sum()))
    return "\n".join(lines) + "\n"


def make_arrays():
    rng = np.random.default_rng(20240611)
    special = [0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 1e-45, 3e38]
    return {
        "f32": np.array(special + [0.1, 1 / 3], np.float32).reshape(1, 11),
        "f64": np.array(special + [0.1, 1 / 3, 5e-324, -1e308], np.float64),
        "i8": np.array([[-128, -1], [0, 127]], np.int8),
        "u8": np.arange(256, dtype=np.uint8).reshape(16, 16),
        "i16": np.array([-32768, -2, 0, 258, 32767], np.int16),
        "i32": np.array([[-(2**31)], [2**31 - 1], [16909060]], np.int32),
        "i64": np.array([-(2**63), 2**63 - 1, 72623859790382856], np.int64),
        "bool": np.array([[True, False, True], [False, False, True]]),
        "scalar": np.float64(2.5),
        "empty": np.zeros((0, 3), np.int32),
        "nchw": rng.standard_normal((4, 3, 8, 8)).astype(np.float32),
    }


def fortran(shape, dtype):
    array = np.asfortranarray(np.arange(np.prod(shape), dtype=dtype).reshape(shape))
    assert not array.flags.c_contiguous
    return array


def write_files(out):
    """Writes the files with NumPy; returns [(label, file, key, array)]."""
    cases = []
    for name, array in make_arrays().items():
        path = os.path.join(out, name + ".npy")
        np.save(path, array)
        cases.append((name + ".npy", path, None, array))

    for name, array in [
        ("fortran2d", fortran((3, 5), np.int16)),
        ("fortran4d", fortran((2, 3, 4, 5), np.float32)),
    ]:
        path = os.path.join(out, name + ".npy")
        np.save(path, array)
        with open(path, "rb") as f:
            assert b"'fortran_order': True" in f.read(128), "not Fortran order"
        cases.append((name + ".npy", path, None, array))

    # Format versions 2.0 (4-byte header length) and 3.0 (UTF-8 header).
    for version in [(2, 0), (3, 0)]:
        name = "v%d" % version[0]
        path = os.path.join(out, name + ".npy")
        array = np.arange(12, dtype=np.int64).reshape(3, 4) * -7
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)
        with open(path, "rb") as f:
            assert f.read(8) == b"\x93NUMPY" + bytes(version)
        cases.append((name + ".npy", path, None, array))

    # A dataset as quant-run reads it: savez writes every member with
    # force_zip64 (zip64 extra fields in the local headers).
    rng = np.random.default_rng(7)
    dataset = {
        "X": rng.standard_normal((5, 3, 4, 4)).astype(np.float32),
        "y": np.array([3, 1, 4, 1, 5], np.int64),
        "cal_idx": np.array([0, 2], np.int64),
        "eval_idx": np.array([1, 3, 4], np.int64),
        "ref_logits_fp32": rng.standard_normal((5, 10)).astype(np.float32),
        "names": np.array(["cat", "dog", "horse"]),
        "fortran": fortran((4, 6), np.float64),
    }
    path = os.path.join(out, "savez.npz")
    np.savez(path, **dataset)
    for key in ["X", "y", "cal_idx", "eval_idx", "ref_logits_fp32", "fortran"]:
        cases.append(("savez.npz:" + key, path, key, dataset[key]))

    # Deflated members; 'big' spans many deflate blocks and inflates to more
    # than one output chunk.
    big = np.concatenate(
        [np.zeros(300000, np.float32), rng.standard_normal(300000).astype(np.float32)]
    )
    path = os.path.join(out, "savez_compressed.npz")
    np.savez_compressed(path, X=dataset["X"], names=np.array(["ab", "cdefg"]),
                        big=big, fortran=dataset["fortran"])
    for key, array in [("X", dataset["X"]), ("big", big),
                       ("fortran", dataset["fortran"])]:
        cases.append(("savez_compressed.npz:" + key, path, key, array))

    path = os.path.join(out, "positional.npz")
    np.savez(path, dataset["y"], np.bool_(True))
    cases.append(("positional.npz:arr_0", path, "arr_0", dataset["y"]))
    cases.append(("positional.npz:arr_1", path, "arr_1", np.bool_(True)))
    return cases


def main():
    out, tool = sys.argv[1], sys.argv[2]
    sabotage = "--sabotage" in sys.argv[3:]
    cases = write_files(out)
    failures = 0
    for index, (label, path, key, array) in enumerate(cases):
        expected = expected_dump(array)
        if sabotage and index == 0:
            expected = expected.replace("values: 0 ", "values: 1 ", 1)
        command = [tool, "dump", path] + ([key] if key else [])
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or result.stdout != expected:
            failures += 1
            print("mismatch: %s\n--- expected\n%s--- got (exit %d)\n%s%s"
                  % (label, expected, result.returncode, result.stdout,
                     result.stderr), file=sys.stderr)
        else:
            print("ok " + label)
    if failures:
        print("%d of %d cases failed" % (failures, len(cases)), file=sys.stderr)
        sys.exit(1)
    print("all %d cases passed" % len(cases))


if __name__ == "__main__":
    main()
