# Files NumPy writes that quant-run cannot use, and damaged files: each is
# refused with a message naming the file (and member) and the reason.
#
# RUN: rm -rf %t && mkdir -p %t && %python %s %t
#
# RUN: not qnn-npy-tool dump %t/big-endian.npy 2>&1 | FileCheck %s --check-prefix=BIG
# BIG: error: {{.*}}big-endian.npy: big-endian dtype '>f4' is not supported; save the array little-endian
#
# RUN: not qnn-npy-tool dump %t/unicode.npy 2>&1 | FileCheck %s --check-prefix=UNICODE
# UNICODE: error: {{.*}}unicode.npy: unsupported dtype '<U5' (strings are not supported)
#
# RUN: not qnn-npy-tool dump %t/bytes.npy 2>&1 | FileCheck %s --check-prefix=BYTES
# BYTES: error: {{.*}}bytes.npy: unsupported dtype '|S3' (strings are not supported)
#
# RUN: not qnn-npy-tool dump %t/object.npy 2>&1 | FileCheck %s --check-prefix=OBJECT
# OBJECT: error: {{.*}}object.npy: unsupported dtype '|O' (object arrays are not supported)
#
# RUN: not qnn-npy-tool dump %t/complex.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
# COMPLEX: error: {{.*}}complex.npy: unsupported dtype '<c8' (complex numbers are not supported)
#
# RUN: not qnn-npy-tool dump %t/half.npy 2>&1 | FileCheck %s --check-prefix=HALF
# HALF: error: {{.*}}half.npy: unsupported dtype '<f2'; expected one of float32, float64, int8, uint8, int16, int32, int64, bool
#
# RUN: not qnn-npy-tool dump %t/structured.npy 2>&1 | FileCheck %s --check-prefix=STRUCT
# STRUCT: error: {{.*}}structured.npy: unsupported dtype: 'descr' is a list (structured dtypes are not supported)
#
# RUN: not qnn-npy-tool dump %t/truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
# TRUNC: error: {{.*}}truncated.npy: data of float32[2, 3, 4] is 93 bytes, expected 96 (truncated file)
#
# RUN: not qnn-npy-tool dump %t/header-cut.npy 2>&1 | FileCheck %s --check-prefix=HEADER
# HEADER: error: {{.*}}header-cut.npy: truncated .npy header: expected 118 bytes, got 30
#
# RUN: not qnn-npy-tool dump %t/savez.npz missing 2>&1 | FileCheck %s --check-prefix=MISSING
# MISSING: error: {{.*}}savez.npz: no array 'missing' in the archive; it has 'X', 'names', 'labels'
#
# RUN: not qnn-npy-tool dump %t/big-endian.npz X 2>&1 | FileCheck %s --check-prefix=NPZBIG
# NPZBIG: error: {{.*}}big-endian.npz:X: big-endian dtype '>i4' is not supported
#
# RUN: not qnn-npy-tool dump %t/crc.npz X 2>&1 | FileCheck %s --check-prefix=CRC
# CRC: error: {{.*}}crc.npz:X: corrupt .npz archive: CRC-32 of the data is 0x{{[0-9a-f]+}}, the directory says 0x{{[0-9a-f]+}}
#
# RUN: not qnn-npy-tool dump %t/deflate.npz X 2>&1 | FileCheck %s --check-prefix=DEFLATE
# DEFLATE: error: {{.*}}deflate.npz:X: corrupt .npz archive: {{cannot inflate|deflated data is truncated|data inflates to}}
#
# RUN: not qnn-npy-tool keys %t/cut.npz 2>&1 | FileCheck %s --check-prefix=CUT
# CUT: error: {{.*}}cut.npz: not an .npz archive, or truncated: no zip end-of-central-directory record
#
# RUN: not qnn-npy-tool keys %t/big-endian.npy 2>&1 | FileCheck %s --check-prefix=NOTZIP
# NOTZIP: error: {{.*}}big-endian.npy: not an .npz archive, or truncated: no zip end-of-central-directory record

import os
import sys

import numpy as np


def main():
    out = sys.argv[1]

    def path(name):
        return os.path.join(out, name)

    np.save(path("big-endian.npy"), np.arange(4, dtype=">f4"))
    np.save(path("unicode.npy"), np.array(["hello", "hi"]))
    np.save(path("bytes.npy"), np.array([b"abc", b"d"]))
    np.save(path("object.npy"), np.array([1, "x", None], dtype=object),
            allow_pickle=True)
    np.save(path("complex.npy"), np.ones(2, np.complex64))
    np.save(path("half.npy"), np.ones(2, np.float16))
    np.save(path("structured.npy"),
            np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))

    # Three bytes short of 2 * 3 * 4 floats.
    np.save(path("truncated.npy"), np.zeros((2, 3, 4), np.float32))
    with open(path("truncated.npy"), "r+b") as f:
        f.truncate(os.path.getsize(path("truncated.npy")) - 3)
    # Cut inside the 118-byte header.
    np.save(path("header-cut.npy"), np.zeros(3, np.float32))
    with open(path("header-cut.npy"), "r+b") as f:
        f.truncate(40)

    np.savez(path("savez.npz"), X=np.zeros(2, np.float32),
             names=np.array(["a", "b"]), labels=np.zeros(2, np.int64))
    np.savez(path("big-endian.npz"), X=np.arange(3, dtype=">i4"))

    # One flipped byte in the .npy data of a stored member: the CRC-32
    # catches it.
    x = np.arange(64, dtype=np.float32)
    np.savez(path("crc.npz"), X=x)
    data = bytearray(open(path("crc.npz"), "rb").read())
    at = data.find(x.tobytes())
    assert at > 0
    data[at + 100] ^= 0x01
    open(path("crc.npz"), "wb").write(data)

    # Garbage in the middle of a deflate stream.
    rng = np.random.default_rng(1)
    np.savez_compressed(path("deflate.npz"),
                        X=rng.standard_normal(4096).astype(np.float32))
    data = bytearray(open(path("deflate.npz"), "rb").read())
    for i in range(200, 260):
        data[i] = 0xFF
    open(path("deflate.npz"), "wb").write(data)

    # The end of the archive is missing.
    np.savez(path("cut.npz"), X=x)
    data = open(path("cut.npz"), "rb").read()
    open(path("cut.npz"), "wb").write(data[: len(data) - 30])


if __name__ == "__main__":
    main()
