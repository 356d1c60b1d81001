"""JIT numerics of one ONNX operator case against the NumPy reference.

  op_numerics.py CASE --workdir DIR --import-tool quant-import-onnx
                 --run-tool quant-run [--nhwc-io]

Builds a one- or few-node ONNX model for CASE with onnx.helper (seeded random
weights), computes the expected outputs with test/Utils/onnx_reference.py,
imports the model with quant-import-onnx, runs it with quant-run on .npy
inputs, and compares. Prints `max-abs-diff: ...` and `PASS CASE` or
`FAIL CASE: ...` (exit status 1). Run with /usr/bin/python3.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Utils"))
import onnx_reference as ref  # noqa: E402

OPSET = 13


def f32(a):
    return np.asarray(a, dtype=np.float32)


class Case:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.inputs, self.feeds = [], [], [], []
        self.outputs, self.expected = [], []
        self.tolerance = 1e-4
        self.opset = OPSET

    def rand(self, *shape, scale=1.0):
        return f32(self.rng.standard_normal(shape) * scale)

    def input(self, name, value):
        value = np.asarray(value)
        elem = {np.float32: TensorProto.FLOAT, np.int8: TensorProto.INT8,
                np.uint8: TensorProto.UINT8}[value.dtype.type]
        self.inputs.append(helper.make_tensor_value_info(name, elem, value.shape))
        self.feeds.append(value)
        return name

    def const(self, name, value):
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op, inputs, outputs, **attrs):
        self.nodes.append(helper.make_node(op, inputs, outputs,
                                           name=outputs[0] + "_node", **attrs))

    def output(self, name, expected, elem=TensorProto.FLOAT):
        expected = np.asarray(expected)
        self.outputs.append(helper.make_tensor_value_info(name, elem, expected.shape))
        self.expected.append(expected)

    def model(self):
        graph = helper.make_graph(self.nodes, "case", self.inputs, self.outputs,
                                  self.inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = 7
        onnx.checker.check_model(model)
        return model


# --- convolution -----------------------------------------------------------

def conv_case(seed, c=3, o=4, h=7, w=6, k=(3, 3), strides=(1, 1),
              pads=(1, 1, 1, 1), dilations=(1, 1), group=1, bias=True,
              auto_pad=None):
    t = Case(seed)
    x = t.rand(1, c, h, w)
    wt = t.rand(o, c // group, *k, scale=0.5)
    b = t.rand(o) if bias else None
    inputs = [t.input("x", x), t.const("w", wt)] + ([t.const("b", b)] if bias else [])
    attrs = dict(strides=list(strides), dilations=list(dilations), group=group,
                 kernel_shape=list(k))
    if auto_pad:
        attrs["auto_pad"] = auto_pad
        ph = ref.auto_pads(h, k[0], strides[0], dilations[0], auto_pad)
        pw = ref.auto_pads(w, k[1], strides[1], dilations[1], auto_pad)
        pads = (ph[0], pw[0], ph[1], pw[1])
    else:
        attrs["pads"] = [pads[0], pads[1], pads[2], pads[3]]
    t.node("Conv", inputs, ["y"], **attrs)
    t.output("y", ref.conv(x, wt, b, strides, pads, dilations, group))
    return t


CASES = {
    "conv_basic": lambda: conv_case(1),
    "conv_no_bias": lambda: conv_case(2, bias=False),
    "conv_stride2_asymmetric_pads": lambda: conv_case(3, h=8, w=8, strides=(2, 2),
                                                      pads=(0, 0, 1, 1)),
    "conv_asymmetric_pads_lr": lambda: conv_case(4, pads=(2, 0, 1, 3)),
    "conv_dilation2": lambda: conv_case(5, h=9, w=9, dilations=(2, 2), pads=(2, 2, 2, 2)),
    "conv_dilation_stride_mixed": lambda: conv_case(6, h=11, w=10, dilations=(2, 1),
                                                    strides=(2, 1), pads=(1, 0, 2, 1)),
    "conv_grouped": lambda: conv_case(7, c=4, o=6, group=2),
    "conv_depthwise": lambda: conv_case(8, c=4, o=4, group=4),
    "conv_depthwise_multiplier2": lambda: conv_case(9, c=3, o=6, group=3),
    "conv_depthwise_stride2": lambda: conv_case(10, c=8, o=8, group=8, h=9, w=9,
                                                strides=(2, 2), pads=(0, 0, 1, 1)),
    "conv_pointwise": lambda: conv_case(11, c=8, o=5, k=(1, 1), pads=(0, 0, 0, 0)),
    "conv_rect_kernel": lambda: conv_case(12, k=(3, 1), pads=(1, 0, 1, 0)),
    "conv_auto_same_upper": lambda: conv_case(13, h=8, w=7, strides=(2, 2),
                                              auto_pad="SAME_UPPER"),
    "conv_auto_same_lower": lambda: conv_case(14, h=8, w=7, strides=(2, 2),
                                              auto_pad="SAME_LOWER"),
    "conv_auto_valid": lambda: conv_case(15, auto_pad="VALID"),
}


# --- normalization and activations -----------------------------------------

def batchnorm_case():
    t = Case(20)
    x = t.rand(1, 4, 5, 5)
    s, b, m = t.rand(4), t.rand(4), t.rand(4)
    v = f32(np.abs(t.rand(4)) + 0.5)
    t.node("BatchNormalization", [t.input("x", x), t.const("s", s), t.const("b", b),
                                  t.const("m", m), t.const("v", v)], ["y"],
           epsilon=1e-3)
    t.output("y", ref.batch_norm(x, s, b, m, v, 1e-3))
    return t


def conv_bn_relu_case():
    t = Case(21)
    x = t.rand(1, 3, 6, 6)
    wt = t.rand(4, 3, 3, 3, scale=0.5)
    s, b, m = t.rand(4), t.rand(4), t.rand(4)
    v = f32(np.abs(t.rand(4)) + 0.5)
    t.node("Conv", [t.input("x", x), t.const("w", wt)], ["c"], pads=[1, 1, 1, 1])
    t.node("BatchNormalization", ["c", t.const("s", s), t.const("b", b),
                                  t.const("m", m), t.const("v", v)], ["n"])
    t.node("Relu", ["n"], ["y"])
    y = ref.batch_norm(ref.conv(x, wt, None, pads=(1, 1, 1, 1)), s, b, m, v, 1e-5)
    t.output("y", np.maximum(y, 0))
    return t


def clip_case(lo, hi, as_attributes=False, seed=22):
    t = Case(seed)
    x = t.rand(1, 3, 4, 4, scale=4.0)
    if as_attributes:
        t.opset = 6
        attrs = {}
        if lo is not None:
            attrs["min"] = lo
        if hi is not None:
            attrs["max"] = hi
        t.node("Clip", [t.input("x", x)], ["y"], **attrs)
    else:
        inputs = [t.input("x", x),
                  t.const("lo", f32(lo)) if lo is not None else "",
                  t.const("hi", f32(hi)) if hi is not None else ""]
        while inputs[-1] == "":
            inputs.pop()
        t.node("Clip", inputs, ["y"])
    lo_v = -np.inf if lo is None else lo
    hi_v = np.inf if hi is None else hi
    t.output("y", np.clip(x, lo_v, hi_v))
    return t


def unary_case(op, fn, seed):
    t = Case(seed)
    x = t.rand(1, 3, 4, 4, scale=3.0)
    t.node(op, [t.input("x", x)], ["y"])
    t.output("y", fn(x))
    return t


CASES.update({
    "batchnorm": batchnorm_case,
    "conv_bn_relu": conv_bn_relu_case,
    "relu": lambda: unary_case("Relu", lambda x: np.maximum(x, 0), 23),
    "identity": lambda: unary_case("Identity", lambda x: x, 24),
    "dropout": lambda: unary_case("Dropout", lambda x: x, 25),
    "clip_relu6": lambda: clip_case(0.0, 6.0),
    "clip_minmax": lambda: clip_case(-1.5, 2.5, seed=26),
    "clip_min_only": lambda: clip_case(0.0, None, seed=27),
    # Opset 6: min/max as attributes (inputs from opset 11 on).
    "clip_attributes": lambda: clip_case(-2.0, 1.0, as_attributes=True, seed=28),
})


# --- elementwise with broadcasting -------------------------------------------

def binary_case(op, fn, shape_b, seed, b_const=True):
    t = Case(seed)
    a = t.rand(1, 4, 3, 5)
    b = t.rand(*shape_b)
    bname = t.const("b", b) if b_const else t.input("b", b)
    t.node(op, [t.input("a", a), bname], ["y"])
    t.output("y", fn(a, b))
    return t


CASES.update({
    "add_same_shape": lambda: binary_case("Add", np.add, (1, 4, 3, 5), 30, b_const=False),
    "add_channel_broadcast": lambda: binary_case("Add", np.add, (4, 1, 1), 31),
    "add_scalar": lambda: binary_case("Add", np.add, (1,), 32),
    "sub_const": lambda: binary_case("Sub", np.subtract, (4, 1, 1), 33),
    "sub_activations": lambda: binary_case("Sub", np.subtract, (1, 4, 3, 5), 34, b_const=False),
    "mul_channel_broadcast": lambda: binary_case("Mul", np.multiply, (1, 4, 1, 1), 35),
    "mul_width_broadcast": lambda: binary_case("Mul", np.multiply, (5,), 36),
})


# --- dense layers ------------------------------------------------------------

def gemm_case(trans_a=0, trans_b=1, alpha=1.0, beta=1.0, seed=40, bias=True):
    t = Case(seed)
    a = t.rand(*((6, 2) if trans_a else (2, 6)))
    b = t.rand(*((5, 6) if trans_b else (6, 5)))
    c = t.rand(5)
    inputs = [t.input("a", a), t.const("b", b)] + ([t.const("c", c)] if bias else [])
    t.node("Gemm", inputs, ["y"], transA=trans_a, transB=trans_b, alpha=alpha,
           beta=beta)
    am = a.T if trans_a else a
    bm = b.T if trans_b else b
    y = alpha * am.astype(np.float64) @ bm + (beta * c if bias else 0)
    t.output("y", y)
    return t


def matmul_case(seed=45, const=True):
    t = Case(seed)
    if const:
        a, b = t.rand(4, 6), t.rand(6, 5)
        t.node("MatMul", [t.input("a", a), t.const("b", b)], ["y"])
    else:
        a, b = t.rand(3, 4, 6), t.rand(3, 6, 5)
        t.node("MatMul", [t.input("a", a), t.input("b", b)], ["y"])
    t.output("y", np.matmul(a.astype(np.float64), b))
    return t


CASES.update({
    "gemm_transb": lambda: gemm_case(),
    "gemm_plain": lambda: gemm_case(trans_b=0, seed=41),
    "gemm_alpha_beta": lambda: gemm_case(alpha=0.5, beta=2.0, seed=42),
    "gemm_transa": lambda: gemm_case(trans_a=1, seed=43),
    "gemm_no_bias": lambda: gemm_case(bias=False, seed=44),
    "matmul_const": lambda: matmul_case(),
    "matmul_batched_activations": lambda: matmul_case(seed=46, const=False),
})


# --- pooling -----------------------------------------------------------------

def pool_case(op, kernel, strides, pads, seed, count_include_pad=0):
    t = Case(seed)
    x = t.rand(1, 3, 7, 8)
    attrs = dict(kernel_shape=list(kernel), strides=list(strides), pads=list(pads))
    if op == "AveragePool":
        attrs["count_include_pad"] = count_include_pad
    t.node(op, [t.input("x", x)], ["y"], **attrs)
    kind = "avg" if op == "AveragePool" else "max"
    t.output("y", ref.pool(x, kernel, strides, pads, kind, bool(count_include_pad)))
    return t


def global_pool_case():
    t = Case(50)
    x = t.rand(1, 5, 4, 6)
    t.node("GlobalAveragePool", [t.input("x", x)], ["y"])
    t.output("y", x.astype(np.float64).mean(axis=(2, 3), keepdims=True))
    return t


CASES.update({
    "avgpool_exclude_pad": lambda: pool_case("AveragePool", (3, 3), (2, 2), (1, 1, 1, 1), 51),
    "avgpool_include_pad": lambda: pool_case("AveragePool", (3, 3), (2, 2), (1, 1, 1, 1), 52, 1),
    "avgpool_asymmetric": lambda: pool_case("AveragePool", (2, 3), (1, 2), (0, 1, 1, 0), 53),
    "avgpool_whole_map": lambda: pool_case("AveragePool", (7, 8), (1, 1), (0, 0, 0, 0), 54),
    "maxpool_basic": lambda: pool_case("MaxPool", (2, 2), (2, 2), (0, 0, 0, 0), 55),
    "maxpool_padded": lambda: pool_case("MaxPool", (3, 3), (2, 2), (1, 1, 1, 1), 56),
    "global_avgpool": global_pool_case,
})


# --- shape operators -----------------------------------------------------------

def flatten_case(seed, spatial):
    """Conv then Flatten: the NHWC-held tensor must flatten in NCHW order."""
    t = Case(seed)
    h = 3 if spatial else 1
    x = t.rand(1, 2, h, h)
    wt = t.rand(4, 2, 1, 1)
    t.node("Conv", [t.input("x", x), t.const("w", wt)], ["c"])
    t.node("Flatten", ["c"], ["y"], axis=1)
    y = ref.conv(x, wt)
    t.output("y", y.reshape(1, -1))
    return t


def reshape_case():
    t = Case(60)
    x = t.rand(1, 4, 2, 3)
    t.node("Reshape", [t.input("x", x), t.const("s", np.array([0, -1, 3], np.int64))],
           ["y"])
    t.output("y", x.reshape(1, -1, 3))
    return t


def transpose_case():
    t = Case(61)
    x = t.rand(1, 4, 2, 3)
    t.node("Transpose", [t.input("x", x)], ["y"], perm=[0, 2, 3, 1])
    t.output("y", x.transpose(0, 2, 3, 1))
    return t


def concat_case():
    t = Case(62)
    a, b = t.rand(1, 2, 3, 3), t.rand(1, 3, 3, 3)
    wt = t.rand(2, 2, 1, 1)
    # One input through a conv (held NHWC), one straight from the graph input.
    t.node("Conv", [t.input("a", a), t.const("w", wt)], ["c"])
    t.node("Concat", ["c", t.input("b", b)], ["y"], axis=1)
    t.output("y", np.concatenate([ref.conv(a, wt), b], axis=1))
    return t


def pad_case(mode, seed):
    t = Case(seed)
    x = t.rand(1, 2, 4, 5)
    pads = np.array([0, 0, 1, 2, 0, 0, 2, 1], np.int64)
    inputs = [t.input("x", x), t.const("p", pads)]
    if mode == "constant":
        inputs.append(t.const("v", f32(0.75)))
    t.node("Pad", inputs, ["y"], mode=mode)
    np_pads = ((0, 0), (0, 0), (1, 2), (2, 1))
    if mode == "constant":
        y = np.pad(x, np_pads, mode="constant", constant_values=0.75)
    else:
        y = np.pad(x, np_pads, mode={"reflect": "reflect", "edge": "edge"}[mode])
    t.output("y", y)
    return t


def softmax_case(opset, axis):
    t = Case(63)
    t.opset = opset
    x = t.rand(2, 10, scale=3.0)
    t.node("Softmax", [t.input("x", x)], ["y"], axis=axis)
    t.output("y", ref.softmax(x.astype(np.float64), axis))
    t.tolerance = 1e-6
    return t


CASES.update({
    "flatten_spatial": lambda: flatten_case(64, True),
    "flatten_1x1": lambda: flatten_case(65, False),
    "reshape": reshape_case,
    "transpose": transpose_case,
    "concat_channels": concat_case,
    "pad_constant": lambda: pad_case("constant", 66),
    "pad_reflect": lambda: pad_case("reflect", 67),
    "pad_edge": lambda: pad_case("edge", 68),
    "softmax_opset13": lambda: softmax_case(13, 1),
    "softmax_opset11_last_axis": lambda: softmax_case(11, 1),
})


# --- QDQ ---------------------------------------------------------------------

def qdq_case(per_axis, dtype, seed):
    """x -> QuantizeLinear -> DequantizeLinear, with exact ties on the grid
    (scales are powers of two), so round-half-to-even is checked bit for bit."""
    t = Case(seed)
    if per_axis:
        scale = f32([0.5, 0.25, 0.125])
        zp = np.array([3, -2, 0] if dtype == np.int8 else [128, 120, 0], dtype)
    else:
        scale = f32(0.5)
        zp = np.array(-3 if dtype == np.int8 else 128, dtype)
    ties = f32((np.arange(-40, 40) + 0.5))  # k + 0.5 in grid units
    x = np.resize(ties, (1, 3, 4, 8)).astype(np.float32)
    shape = [1, 3, 1, 1]
    x = f32(x * (scale.reshape(shape) if per_axis else scale))
    x[0, 0, 0, :2] = [1e9, -1e9]  # saturation
    attrs = dict(axis=1) if per_axis else {}
    t.node("QuantizeLinear", [t.input("x", x), t.const("s", scale), t.const("z", zp)],
           ["q"], **attrs)
    t.node("DequantizeLinear", ["q", "s", "z"], ["y"], **attrs)
    q = ref.quantize_linear(x, scale, zp, 1, dtype)
    t.output("y", ref.dequantize_linear(q, scale, zp, 1))
    t.tolerance = 0.0
    return t


def qdq_weights_case():
    """A QDQ conv: int8 per-axis weights dequantized in the graph."""
    t = Case(70)
    x = t.rand(1, 2, 5, 5)
    wq = t.rng.integers(-127, 128, size=(3, 2, 3, 3)).astype(np.int8)
    ws = f32([0.01, 0.02, 0.005])
    wz = np.zeros(3, np.int8)
    t.node("DequantizeLinear", [t.const("wq", wq), t.const("ws", ws), t.const("wz", wz)],
           ["w"], axis=0)
    t.node("Conv", [t.input("x", x), "w"], ["y"], pads=[1, 1, 1, 1])
    w = ref.dequantize_linear(wq, ws, wz, axis=0)
    t.output("y", ref.conv(x, w, None, pads=(1, 1, 1, 1)))
    return t


def qdq_maxpool_case(dtype, seed):
    """MaxPool reading the quantized tensor (exact on the stored integers)."""
    t = Case(seed)
    x = t.rand(1, 3, 6, 6, scale=3.0)
    scale = f32(0.25)
    zp = np.array(-5 if dtype == np.int8 else 130, dtype)
    t.node("QuantizeLinear", [t.input("x", x), t.const("s", scale), t.const("z", zp)], ["q"])
    t.node("MaxPool", ["q"], ["p"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    t.node("DequantizeLinear", ["p", "s", "z"], ["y"])
    q = ref.quantize_linear(x, scale, zp, 1, dtype)
    deq = ref.dequantize_linear(q, scale, zp, 1)
    t.output("y", ref.pool(deq, (3, 3), (2, 2), (1, 1, 1, 1), "max"))
    t.tolerance = 0.0
    return t


CASES.update({
    "qdq_maxpool_int8": lambda: qdq_maxpool_case(np.int8, 74),
    "qdq_maxpool_uint8": lambda: qdq_maxpool_case(np.uint8, 75),
    "qdq_per_tensor_int8": lambda: qdq_case(False, np.int8, 71),
    "qdq_per_tensor_uint8": lambda: qdq_case(False, np.uint8, 72),
    "qdq_per_axis_int8": lambda: qdq_case(True, np.int8, 73),
    "qdq_weights_conv": qdq_weights_case,
})


def run_case(name, args):
    case = CASES[name]()
    os.makedirs(args.workdir, exist_ok=True)
    model_path = os.path.join(args.workdir, name + ".onnx")
    mlir_path = os.path.join(args.workdir, name + ".mlir")
    onnx.save(case.model(), model_path)
    try:
        subprocess.run([args.import_tool, model_path, "-o", mlir_path], check=True)
    except subprocess.CalledProcessError as e:
        print("FAIL %s: %s exited with %d" % (name, args.import_tool, e.returncode))
        return 1
    inputs, outputs = [], []
    for i, feed in enumerate(case.feeds):
        path = os.path.join(args.workdir, "%s.in%d.npy" % (name, i))
        np.save(path, feed)
        inputs.append(path)
    for i in range(len(case.expected)):
        outputs.append(os.path.join(args.workdir, "%s.out%d.npy" % (name, i)))
    try:
        subprocess.run([args.run_tool, mlir_path, "--input", ",".join(inputs),
                        "--output", ",".join(outputs)], check=True)
    except subprocess.CalledProcessError as e:
        print("FAIL %s: %s exited with %d" % (name, args.run_tool, e.returncode))
        return 1
    worst = 0.0
    for path, expected in zip(outputs, case.expected):
        got = np.load(path)
        if got.shape != expected.shape:
            print("FAIL %s: shape %s, expected %s" % (name, got.shape, expected.shape))
            return 1
        diff = float(np.max(np.abs(got.astype(np.float64) - expected))) if got.size else 0.0
        scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
        worst = max(worst, diff / scale)
    print("max-abs-diff: %.3g" % worst)
    if not worst <= case.tolerance:
        print("FAIL %s: relative error %.3g > %.3g" % (name, worst, case.tolerance))
        return 1
    print("PASS %s" % name)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--import-tool", required=True)
    parser.add_argument("--run-tool", required=True)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        print("\n".join(sorted(CASES)))
        return 0
    status = 0
    for name in args.cases or sorted(CASES):
        status |= run_case(name, args)
    return status


if __name__ == "__main__":
    sys.exit(main())
