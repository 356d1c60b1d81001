"""Writes an ONNX model (input 1x1x8x8) with an op the importer does not
support, Erf (node 'erf1'), for quant-compile's error tests.

  make_unsupported_onnx.py out.onnx
"""

import sys

import onnx
from onnx import TensorProto, helper

graph = helper.make_graph(
    [helper.make_node("Erf", ["input"], ["y"], name="erf1")], "unsupported",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 8, 8])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
onnx.save(model, sys.argv[1])
