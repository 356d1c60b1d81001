"""Writes a small float ONNX network and a dataset for the tests of
`quant-compile --report`: a stem convolution, a depthwise and a pointwise
convolution (each with batch norm; ReLU, ReLU6 as Clip(0, 6), ReLU), global
average pooling and a dense classifier (Gemm), on 1x1x8x8 inputs. The
weights come from a fixed seed, with output channels scaled over two orders
of magnitude so that cross-layer equalization visibly changes their ranges.

  make_report_model.py model.onnx data.npz

data.npz: X (200 x 1 x 8 x 8 float32), y (random labels 0..9), cal_idx
(samples 0..63), eval_idx (64..199).
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    onnx_path, npz_path = sys.argv[1], sys.argv[2]
    rng = np.random.RandomState(7)
    inits, nodes = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    def conv_bn(x, name, cin, cout, k, groups, act):
        w = rng.randn(cout, cin // groups, k, k) * 0.4
        # Per-channel scales from 0.05 to 5: ranges CLE will even out.
        w *= np.exp(rng.uniform(np.log(0.05), np.log(5.0), cout))[:, None, None, None]
        nodes.append(helper.make_node(
            "Conv", [x, const(name + ".W", w), const(name + ".b", rng.randn(cout) * 0.1)],
            [name], name=name, kernel_shape=[k, k], pads=[k // 2] * 4,
            group=groups))
        bn = name + "_bn"
        nodes.append(helper.make_node(
            "BatchNormalization",
            [name, const(bn + ".scale", rng.uniform(0.5, 1.5, cout)),
             const(bn + ".bias", rng.randn(cout) * 0.1),
             const(bn + ".mean", rng.randn(cout) * 0.1),
             const(bn + ".var", rng.uniform(0.5, 2.0, cout))],
            [bn], name=bn, epsilon=1e-3))
        out = name + "_act"
        if act == "relu6":
            nodes.append(helper.make_node(
                "Clip", [bn, const(out + ".min", np.array(0.0)),
                         const(out + ".max", np.array(6.0))], [out], name=out))
        else:
            nodes.append(helper.make_node("Relu", [bn], [out], name=out))
        return out

    h = conv_bn("input", "stem", 1, 8, 3, 1, "relu")
    h = conv_bn(h, "dw", 8, 8, 3, 8, "relu6")
    h = conv_bn(h, "pw", 8, 16, 1, 1, "relu")
    nodes.append(helper.make_node("GlobalAveragePool", [h], ["pool"], name="pool"))
    nodes.append(helper.make_node("Flatten", ["pool"], ["flat"], name="flat"))
    nodes.append(helper.make_node(
        "Gemm", ["flat", const("fc.W", rng.randn(10, 16) * 0.5),
                 const("fc.b", rng.randn(10) * 0.1)],
        ["logits"], name="fc", transB=1))
    graph = helper.make_graph(
        nodes, "report_net",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, onnx_path)

    x = rng.uniform(0, 4, (200, 1, 8, 8)).astype(np.float32)
    y = rng.randint(0, 10, 200).astype(np.int64)
    np.savez(npz_path, X=x, y=y, cal_idx=np.arange(64), eval_idx=np.arange(64, 200))


if __name__ == "__main__":
    main()
