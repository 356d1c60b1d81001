#!/usr/bin/env python3
# ===- calib_helpers.py - Helpers of the calibration format tests --------=== #
#
# Part of quant-opt. Needs Debian's python3 with onnx and numpy (lit's
# %python).
#
#   calib_helpers.py model OUT.onnx
#       input "input" -> Conv (weights "conv1.weight") -> "conv1_out"
#       -> Relu -> "relu1": the tensor names of a TensorRT cache.
#   calib_helpers.py check-tensorrt CACHE EXPORTED.json
#       every exported max / 127, as float32, is the cache's bit pattern.
#   calib_helpers.py check-aimet ENCODINGS.json EXPORTED.json
#       every exported range gives back the encoding's scale and offset
#       (per channel when there are channels): scale = (max - min) /
#       (2^bw - 1), offset = round(min / scale).
#
# The checks print one line per tensor and exit 1 on the first mismatch.
#
# ===----------------------------------------------------------------------=== #

import json
import struct
import sys

import numpy as np


def make_model(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = np.linspace(-1, 1, 4 * 3 * 3 * 3, dtype=np.float32).reshape(4, 3, 3, 3)
    b = np.zeros(4, dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"],
                          ["conv1_out"], name="conv1", pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["conv1_out"], ["relu1"], name="relu")],
        "g",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("relu1", TensorProto.FLOAT, None)],
        initializer=[numpy_helper.from_array(w, "conv1.weight"),
                     numpy_helper.from_array(b, "conv1.bias")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.save(model, out)


def fail(message):
    print("error: " + message)
    sys.exit(1)


def check_tensorrt(cache, exported):
    tensors = json.load(open(exported))["tensors"]
    lines = open(cache).read().splitlines()[1:]
    for line in lines:
        name, hex_scale = line.rsplit(": ", 1)
        if name not in tensors:
            fail(f"'{name}' was not exported")
        entry = tensors[name]
        if entry["min"] != -entry["max"]:
            fail(f"'{name}': range is not symmetric")
        scale = np.float32(entry["max"] / 127)
        got = struct.pack(">f", scale).hex()
        if got != hex_scale.zfill(8):
            fail(f"'{name}': max / 127 = {got}, cache has {hex_scale}")
        print(f"{name}: amax {entry['max']!r} scale {hex_scale} ok")


def aimet_encodings(doc):
    """name -> [(bw, scale, offset)] for both schemas."""
    result = {}
    for section in ("activation_encodings", "param_encodings"):
        entries = doc.get(section, {})
        if isinstance(entries, dict):
            for name, encs in entries.items():
                result[name] = [(e["bitwidth"], e["scale"], e["offset"]) for e in encs]
        else:
            for e in entries:
                result[e["name"]] = [(e["bw"], s, o) for s, o in zip(e["scale"], e["offset"])]
    return result


def check_aimet(encodings, exported):
    tensors = json.load(open(exported))["tensors"]
    for name, encs in aimet_encodings(json.load(open(encodings))).items():
        if name not in tensors:
            fail(f"'{name}' was not exported")
        entry = tensors[name]
        if len(encs) > 1:
            ranges = list(zip(entry["channel_min"], entry["channel_max"]))
        else:
            ranges = [(entry["min"], entry["max"])]
        if len(ranges) != len(encs):
            fail(f"'{name}': {len(ranges)} ranges for {len(encs)} encodings")
        for (lo, hi), (bw, scale, offset) in zip(ranges, encs):
            got_scale = (hi - lo) / (2**bw - 1)
            got_offset = round(lo / got_scale)
            if abs(got_scale - scale) > 1e-12 * scale or got_offset != offset:
                fail(f"'{name}': [{lo!r}, {hi!r}] gives scale {got_scale!r} "
                     f"offset {got_offset}, expected {scale!r} {offset}")
            print(f"{name}: [{lo!r}, {hi!r}] scale {scale!r} offset {offset} ok")


def main():
    command = sys.argv[1]
    if command == "model":
        make_model(sys.argv[2])
    elif command == "check-tensorrt":
        check_tensorrt(sys.argv[2], sys.argv[3])
    elif command == "check-aimet":
        check_aimet(sys.argv[2], sys.argv[3])
    else:
        fail("unknown command " + command)


if __name__ == "__main__":
    main()
