#!/usr/bin/env python3
# ===- make_model.py - Tiny ONNX models for the importer tests ------------=== #
#
# Part of quant-opt. `make_model.py CASE OUT` writes the ONNX model named CASE
# (see CASES below) to OUT. Weights are small and deterministic: arange or a
# fixed-seed generator, so tests can check permuted data. Needs Debian's
# python3 with onnx and numpy (lit's %python).
#
# ===----------------------------------------------------------------------=== #

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def vi(name, shape, elem=F):
    """A graph input/output; shape None leaves the shape undeclared."""
    return helper.make_tensor_value_info(name, elem, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def arange(*shape):
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape)


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def model(nodes, inputs, outputs, inits=(), opset=13, name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m


def node(op, inputs, outputs, name=None, **attrs):
    return helper.make_node(op, inputs, outputs, name=name or outputs[0] + "_node", **attrs)


def conv(x_shape, w_shape, y="y", bias=True, **attrs):
    """A single Conv with arange weights."""
    inits = [init("w", arange(*w_shape))]
    inputs = ["x", "w"]
    if bias:
        inits.append(init("b", arange(w_shape[0])))
        inputs.append("b")
    return model([node("Conv", inputs, [y], name="conv", **attrs)],
                 [vi("x", x_shape)], [vi(y, None)], inits)


def unary(op, x_shape, inits=(), extra_inputs=(), opset=13, **attrs):
    return model([node(op, ["x", *extra_inputs], ["y"], name="n", **attrs)],
                 [vi("x", x_shape)], [vi("y", None)], inits, opset=opset)


# --- Conv ------------------------------------------------------------------ #

def conv_basic():
    # Asymmetric 'SAME' padding of a stride-2 layer, as TensorFlow exports it.
    return conv([1, 3, 8, 8], [4, 3, 3, 3], strides=[2, 2], pads=[0, 0, 1, 1])


def conv_nobias():
    return conv([1, 2, 5, 5], [3, 2, 1, 1], bias=False)


def conv_weight_layout():
    # OIHW [1, 2, 1, 2] = [0, 1, 2, 3] -> [O, KH, KW, I] = [0, 2, 1, 3].
    return conv([1, 2, 3, 3], [1, 2, 1, 2], bias=False)


def conv_depthwise():
    return conv([1, 4, 6, 6], [8, 1, 3, 3], group=4, pads=[1, 1, 1, 1])


def conv_group():
    return conv([1, 4, 6, 6], [6, 2, 3, 3], group=2)


def conv_dilation():
    return conv([1, 2, 9, 9], [2, 2, 3, 3], dilations=[2, 2], pads=[2, 1, 2, 1])


def conv_same_upper():
    # One row and one column of padding in total: at the end.
    return conv([1, 1, 6, 7], [1, 1, 3, 2], auto_pad="SAME_UPPER", strides=[2, 2])


def conv_same_lower():
    # The same at the beginning.
    return conv([1, 1, 6, 7], [1, 1, 3, 2], auto_pad="SAME_LOWER", strides=[2, 2])


def conv_same_dilated():
    # The dilated kernel spans 5: 4 rows and columns of padding, 2 + 2.
    return conv([1, 1, 5, 5], [1, 1, 3, 3], auto_pad="SAME_UPPER", dilations=[2, 2])


def conv_valid():
    return conv([1, 1, 7, 7], [1, 1, 3, 3], auto_pad="VALID")


def conv_notset():
    return conv([1, 1, 5, 5], [1, 1, 3, 3], auto_pad="NOTSET", pads=[1, 2, 0, 1],
                kernel_shape=[3, 3])


def conv_chain():
    # Two convs: the intermediate stays NHWC, one transpose at each end.
    return model([node("Conv", ["x", "w1"], ["c1"], name="conv1"),
                  node("Relu", ["c1"], ["r1"], name="relu1"),
                  node("Conv", ["r1", "w2"], ["c2"], name="conv2")],
                 [vi("x", [1, 3, 6, 6])], [vi("c2", [1, 2, 6, 6])],
                 [init("w1", rand(4, 3, 1, 1)), init("w2", rand(2, 4, 1, 1))])


# --- Pooling and BatchNormalization ---------------------------------------- #

def avgpool_exclude():
    return unary("AveragePool", [1, 2, 6, 6], kernel_shape=[3, 3], strides=[2, 2],
                 pads=[1, 1, 0, 0])


def avgpool_include():
    return unary("AveragePool", [1, 2, 6, 6], kernel_shape=[3, 3], strides=[2, 2],
                 pads=[1, 1, 0, 0], count_include_pad=1)


def avgpool_same():
    return unary("AveragePool", [1, 2, 5, 5], kernel_shape=[2, 2], strides=[2, 2],
                 auto_pad="SAME_UPPER")


def avgpool_ceil_exact():
    # ceil_mode = 1 changes nothing: (6 - 2) % 2 == 0.
    return unary("AveragePool", [1, 2, 6, 6], kernel_shape=[2, 2], strides=[2, 2],
                 ceil_mode=1)


def maxpool():
    return unary("MaxPool", [1, 3, 8, 8], kernel_shape=[2, 2], strides=[2, 2],
                 dilations=[1, 1], storage_order=0)


def maxpool_pads():
    return unary("MaxPool", [1, 3, 7, 7], kernel_shape=[3, 3], strides=[2, 2],
                 pads=[1, 1, 1, 1])


def global_avgpool():
    return unary("GlobalAveragePool", [1, 5, 4, 3])


def batchnorm():
    c = 3
    inits = [init("s", arange(c) + 1), init("bias", arange(c)),
             init("mean", arange(c) * 0.5), init("var", arange(c) + 2)]
    return unary("BatchNormalization", [1, c, 4, 4], inits,
                 ["s", "bias", "mean", "var"], epsilon=1e-3, momentum=0.9)


def batchnorm_opset6():
    # Opset 6 says inference with is_test = 1.
    m = batchnorm()
    m.opset_import[0].version = 6
    m.graph.node[0].attribute.extend([helper.make_attribute("is_test", 1),
                                      helper.make_attribute("spatial", 1)])
    return m


def batchnorm_2d():
    c = 4
    inits = [init("s", arange(c)), init("bias", arange(c)),
             init("mean", arange(c)), init("var", arange(c) + 1)]
    return unary("BatchNormalization", [2, c], inits, ["s", "bias", "mean", "var"])


# --- Elementwise ------------------------------------------------------------ #

def binary(op, a_shape, b, b_is_input=False, opset=13):
    inputs = [vi("a", a_shape)]
    inits = []
    if b_is_input:
        inputs.append(vi("b", b))
    else:
        inits.append(init("b", b))
    return model([node(op, ["a", "b"], ["y"], name="n")], inputs, [vi("y", None)],
                 inits, opset=opset)


def after_conv(op, b, b_is_input=False):
    """Conv (NHWC inside) followed by `op` with a second operand `b`."""
    inputs = [vi("x", [1, 2, 4, 4])]
    inits = [init("w", rand(3, 2, 1, 1))]
    if b_is_input:
        inputs.append(vi("b", b))
    else:
        inits.append(init("b", b))
    return model([node("Conv", ["x", "w"], ["c"], name="conv"),
                  node(op, ["c", "b"], ["y"], name="n")], inputs, [vi("y", None)],
                 inits)


def add_channel_const():
    return after_conv("Add", arange(3, 1, 1))


def add_scalar_const():
    return after_conv("Add", np.array(2.0, dtype=np.float32))


def add_width_const():
    # Broadcasts along W, the last ONNX dimension: [1, 1, 1, 4] in NHWC.
    return after_conv("Add", arange(4))


def add_two_activations():
    return after_conv("Add", [1, 3, 4, 4], b_is_input=True)


def add_rank2_input():
    # A rank-2 activation broadcast against an NHWC tensor.
    return after_conv("Add", [4, 4], b_is_input=True)


def add_2d():
    return binary("Add", [2, 5], arange(5))


def sub_const():
    return after_conv("Sub", arange(3, 1, 1))


def sub_activations():
    return after_conv("Sub", [1, 3, 4, 4], b_is_input=True)


def mul_const():
    return after_conv("Mul", arange(3, 1, 1) + 1)


def broadcast_error():
    return binary("Add", [2, 5], arange(4))


def relu():
    return unary("Relu", [1, 3, 4, 4])


def clip_scalar(name, value):
    return init(name, np.array(value, dtype=np.float32))


def clip_relu6():
    return unary("Clip", [1, 3, 4, 4], [clip_scalar("lo", 0), clip_scalar("hi", 6)],
                 ["lo", "hi"])


def clip_relu():
    return unary("Clip", [1, 3, 4, 4], [clip_scalar("lo", 0)], ["lo"])


def clip_clamp():
    return unary("Clip", [2, 5], [clip_scalar("lo", -1), clip_scalar("hi", 2.5)],
                 ["lo", "hi"])


def clip_max_only():
    # An empty name stands for the absent min.
    return unary("Clip", [2, 5], [clip_scalar("hi", 3)], ["", "hi"])


def clip_attrs():
    # The attribute form of the opsets before 11.
    return unary("Clip", [1, 3, 4, 4], opset=6, min=0.0, max=6.0)


def identity_dropout():
    return model([node("Identity", ["x"], ["i"], name="ident"),
                  node("Dropout", ["i"], ["d", "mask"], name="drop"),
                  node("Relu", ["d"], ["y"], name="relu")],
                 [vi("x", [2, 3])], [vi("y", None)])


def dropout_ratio_input():
    return model([node("Dropout", ["x", "r", "t"], ["y"], name="drop")],
                 [vi("x", [2, 3])], [vi("y", None)],
                 [init("r", np.array(0.5, dtype=np.float32)), init("t", np.array(False))])


# --- Gemm and MatMul -------------------------------------------------------- #

def gemm(b, c=None, a_shape=(1, 4), b_is_input=False, c_is_input=False, **attrs):
    inputs = [vi("a", list(a_shape))]
    inits = []
    names = ["a", "b"]
    (inputs.append(vi("b", list(b))) if b_is_input else inits.append(init("b", b)))
    if c is not None:
        names.append("c")
        (inputs.append(vi("c", list(c))) if c_is_input else inits.append(init("c", c)))
    return model([node("Gemm", names, ["y"], name="gemm", **attrs)], inputs,
                 [vi("y", None)], inits)


def gemm_transb():
    return gemm(arange(3, 4), arange(3), transB=1)


def gemm_alpha_beta():
    # B is [K, N]: transposed on the host; alpha and beta folded.
    return gemm(arange(4, 3), arange(3), alpha=2.0, beta=0.5)


def gemm_bias_matrix():
    # C varies along M: an add after the dense layer.
    return gemm(arange(3, 4), arange(2, 3), a_shape=(2, 4), transB=1, beta=2.0)


def gemm_activation_b():
    return gemm([4, 3], [3], b_is_input=True, c_is_input=True, alpha=0.5, beta=3.0)


def gemm_transa():
    return gemm(arange(3, 4), a_shape=(4, 2), transA=1, transB=1)


def matmul_const():
    return binary("MatMul", [2, 4], arange(4, 3))


def matmul_3d_const():
    return binary("MatMul", [2, 5, 4], arange(4, 3))


def matmul_activations():
    return binary("MatMul", [2, 5, 4], [2, 4, 3], b_is_input=True)


# --- Shape ops --------------------------------------------------------------- #

def flatten_spatial():
    # NHWC [1, 4, 4, 3] must go back to NCHW before flattening.
    return model([node("Conv", ["x", "w"], ["c"], name="conv"),
                  node("Flatten", ["c"], ["y"], name="flatten")],
                 [vi("x", [1, 2, 4, 4])], [vi("y", [1, 48])], [init("w", rand(3, 2, 1, 1))])


def flatten_pooled():
    # H = W = 1: NHWC and NCHW hold the same order, a plain reshape.
    return model([node("Conv", ["x", "w"], ["c"], name="conv"),
                  node("GlobalAveragePool", ["c"], ["p"], name="pool"),
                  node("Flatten", ["p"], ["y"], name="flatten")],
                 [vi("x", [1, 2, 4, 4])], [vi("y", [1, 3])], [init("w", rand(3, 2, 1, 1))])


def flatten_input_axis2():
    return unary("Flatten", [2, 3, 4, 5], axis=2)


def flatten_axis0():
    return unary("Flatten", [2, 3], axis=0)


def reshape():
    return unary("Reshape", [2, 3, 4], [init("shape", np.array([0, -1], dtype=np.int64))],
                 ["shape"])


def reshape_allowzero():
    return unary("Reshape", [2, 3, 4], [init("shape", np.array([4, 6], dtype=np.int64))],
                 ["shape"], opset=14, allowzero=1)


def reshape_after_conv():
    return model([node("Conv", ["x", "w"], ["c"], name="conv"),
                  node("Reshape", ["c", "shape"], ["y"], name="reshape")],
                 [vi("x", [1, 2, 2, 2])], [vi("y", None)],
                 [init("w", rand(3, 2, 1, 1)), init("shape", np.array([1, 3, 4], dtype=np.int64))])


def transpose():
    return unary("Transpose", [2, 3, 4], perm=[1, 2, 0])


def transpose_default():
    return unary("Transpose", [2, 3, 4])


def transpose_nhwc_model():
    # An NHWC model: Transpose to NCHW, Conv, Transpose back. Both
    # transposes only relabel the dimensions: no qnn.transpose is needed.
    return model([node("Transpose", ["x"], ["t"], name="to_nchw", perm=[0, 3, 1, 2]),
                  node("Conv", ["t", "w"], ["c"], name="conv"),
                  node("Transpose", ["c"], ["y"], name="to_nhwc", perm=[0, 2, 3, 1])],
                 [vi("x", [1, 5, 5, 2])], [vi("y", [1, 5, 5, 3])], [init("w", rand(3, 2, 1, 1))])


def transpose_const():
    return model([node("Transpose", ["w"], ["wt"], name="t", perm=[1, 0]),
                  node("MatMul", ["x", "wt"], ["y"], name="mm")],
                 [vi("x", [1, 4])], [vi("y", None)], [init("w", arange(3, 4))])


def concat_channels():
    return model([node("Conv", ["x", "w1"], ["c1"], name="conv1"),
                  node("Conv", ["x", "w2"], ["c2"], name="conv2"),
                  node("Concat", ["c1", "c2"], ["y"], name="concat", axis=1)],
                 [vi("x", [1, 2, 4, 4])], [vi("y", [1, 5, 4, 4])],
                 [init("w1", rand(3, 2, 1, 1)), init("w2", rand(2, 2, 1, 1))])


def concat_negative_axis():
    return model([node("Concat", ["a", "b"], ["y"], name="concat", axis=-1)],
                 [vi("a", [2, 3]), vi("b", [2, 4])], [vi("y", None)])


def pad(mode, opset=13, value=None):
    pads = np.array([0, 0, 1, 2, 0, 0, 3, 0], dtype=np.int64)
    inits = [init("pads", pads)]
    extra = ["pads"]
    if value is not None:
        inits.append(init("v", np.array(value, dtype=np.float32)))
        extra.append("v")
    return unary("Pad", [1, 2, 4, 4], inits, extra, opset=opset, mode=mode)


def pad_constant():
    return pad("constant", value=1.5)


def pad_reflect():
    return pad("reflect")


def pad_edge():
    return pad("edge")


def pad_attrs():
    # The attribute form of the opsets before 11.
    return unary("Pad", [1, 2, 4, 4], opset=10, mode="constant",
                 pads=[0, 0, 1, 2, 0, 0, 3, 0], value=-2.0)


def pad_2d():
    return unary("Pad", [3, 4], [init("pads", np.array([1, 0, 0, 2], dtype=np.int64))],
                 ["pads"])


def softmax_13():
    return unary("Softmax", [2, 10])


def softmax_11():
    return unary("Softmax", [2, 10], opset=11)


def softmax_11_4d():
    # Coerce-to-2D over axis 1 equals a channel softmax here: H = W = 1.
    return unary("Softmax", [1, 10, 1, 1], opset=11)


def softmax_channels():
    return unary("Softmax", [1, 3, 2, 2], axis=1)


def constant_node():
    value = helper.make_tensor("cv", F, [3], [1.0, 2.0, 3.0])
    return model([node("Constant", [], ["k"], name="const", value=value),
                  node("Add", ["x", "k"], ["y"], name="add")],
                 [vi("x", [2, 3])], [vi("y", None)])


# --- QDQ --------------------------------------------------------------------- #

def q_inits(prefix, scale, zp, zp_type=np.uint8):
    """Scale and zero point initializers `<prefix>s` and `<prefix>z`."""
    return [init(prefix + "s", np.array(scale, dtype=np.float32)),
            init(prefix + "z", np.array(zp, dtype=zp_type))]


def qdq_per_tensor():
    # Activations u8 per tensor, weight i8 per tensor, no bias.
    w = (np.arange(24).reshape(2, 3, 2, 2) - 12).astype(np.int8)
    return model([node("QuantizeLinear", ["x", "x_s", "x_z"], ["xq"], name="q"),
                  node("DequantizeLinear", ["xq", "x_s", "x_z"], ["xdq"], name="dq"),
                  node("DequantizeLinear", ["wq", "w_s", "w_z"], ["wdq"], name="wdq"),
                  node("Conv", ["xdq", "wdq"], ["y"], name="conv")],
                 [vi("x", [1, 3, 4, 4])], [vi("y", None)],
                 q_inits("x_", 0.5, 128) + q_inits("w_", 0.25, 0, np.int8) + [init("wq", w)])


def qdq_conv_per_axis():
    # The usual QDQ conv: u8 activations, i8 weights per output channel
    # (axis 0), i32 bias per channel (scale = x_scale * w_scale).
    w = (np.arange(2 * 3 * 3 * 3).reshape(2, 3, 3, 3) % 17 - 8).astype(np.int8)
    w_scale = np.array([0.02, 0.01], dtype=np.float32)
    return model([node("QuantizeLinear", ["x", "x_s", "x_z"], ["xq"], name="xq"),
                  node("DequantizeLinear", ["xq", "x_s", "x_z"], ["xdq"], name="xdq"),
                  node("DequantizeLinear", ["wq", "w_s", "w_z"], ["wdq"], name="wdq", axis=0),
                  node("DequantizeLinear", ["bq", "b_s", "b_z"], ["bdq"], name="bdq", axis=0),
                  node("Conv", ["xdq", "wdq", "bdq"], ["y"], name="conv", pads=[1, 1, 1, 1]),
                  node("QuantizeLinear", ["y", "y_s", "y_z"], ["yq"], name="yq"),
                  node("DequantizeLinear", ["yq", "y_s", "y_z"], ["ydq"], name="ydq")],
                 [vi("x", [1, 3, 4, 4])], [vi("ydq", [1, 2, 4, 4])],
                 q_inits("x_", 0.5, 128) + q_inits("y_", 0.25, 120) +
                 [init("wq", w), init("w_s", w_scale), init("w_z", np.zeros(2, np.int8)),
                  init("bq", np.array([100, -50], dtype=np.int32)),
                  init("b_s", w_scale * 0.5), init("b_z", np.zeros(2, np.int32))])


def qdq_default_zp():
    # No zero point: u8 0 for QuantizeLinear.
    return model([node("QuantizeLinear", ["x", "s"], ["xq"], name="q"),
                  node("DequantizeLinear", ["xq", "s"], ["y"], name="dq")],
                 [vi("x", [2, 3])], [vi("y", None)],
                 [init("s", np.array(0.1, dtype=np.float32))])


def qdq_gemm_per_axis():
    # B is [K, N] per-axis along N (axis 1): transposed to [N, K], axis 0.
    b = (np.arange(12).reshape(4, 3) - 6).astype(np.int8)
    return model([node("DequantizeLinear", ["bq", "b_scale", "b_zp"], ["bdq"], name="bdq", axis=1),
                  node("Gemm", ["a", "bdq"], ["y"], name="gemm")],
                 [vi("a", [1, 4])], [vi("y", None)],
                 [init("bq", b), init("b_scale", np.array([0.1, 0.2, 0.3], dtype=np.float32)),
                  init("b_zp", np.zeros(3, dtype=np.int8))])


def qdq_activation_per_axis():
    # Per-channel activation quantization: ONNX axis 1 is NHWC axis 3.
    return model([node("Conv", ["x", "w"], ["c"], name="conv"),
                  node("QuantizeLinear", ["c", "s", "z"], ["cq"], name="q", axis=1),
                  node("DequantizeLinear", ["cq", "s", "z"], ["y"], name="dq", axis=1)],
                 [vi("x", [1, 2, 3, 3])], [vi("y", None)],
                 [init("w", rand(2, 2, 1, 1)), init("s", np.array([0.5, 0.25], dtype=np.float32)),
                  init("z", np.array([-3, 4], dtype=np.int8))])


def qdq_float_weight():
    # A float weight quantized in the graph: still a constant, permuted first.
    return model([node("QuantizeLinear", ["w", "s", "z"], ["wq"], name="wq", axis=0),
                  node("DequantizeLinear", ["wq", "s", "z"], ["wdq"], name="wdq", axis=0),
                  node("Conv", ["x", "wdq"], ["y"], name="conv")],
                 [vi("x", [1, 2, 3, 3])], [vi("y", None)],
                 [init("w", rand(2, 2, 3, 3)), init("s", np.array([0.5, 0.25], dtype=np.float32)),
                  init("z", np.array([0, 0], dtype=np.int8))])


def qdq_maxpool():
    # Max pooling reads the quantized tensor directly.
    return model([node("QuantizeLinear", ["x", "s", "z"], ["xq"], name="q"),
                  node("MaxPool", ["xq"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
                  node("DequantizeLinear", ["p", "s", "z"], ["y"], name="dq")],
                 [vi("x", [1, 2, 4, 4])], [vi("y", None)],
                 q_inits("", 0.5, 10))


def qdq_gemm_bias():
    # A dequantized i32 bias becomes the dense layer's bias operand.
    w = (np.arange(12).reshape(3, 4) - 6).astype(np.int8)
    return model([node("DequantizeLinear", ["wq", "w_s"], ["wdq"], name="wdq"),
                  node("DequantizeLinear", ["bq", "b_s"], ["bdq"], name="bdq"),
                  node("Gemm", ["a", "wdq", "bdq"], ["y"], name="gemm", transB=1)],
                 [vi("a", [1, 4])], [vi("y", None)],
                 [init("wq", w), init("w_s", np.array(0.5, dtype=np.float32)),
                  init("bq", np.array([7, -7, 0], dtype=np.int32)),
                  init("b_s", np.array(0.25, dtype=np.float32))])


def conv_activation_weight():
    # A computed filter is transposed to [O, KH, KW, I] in the IR.
    return model([node("Conv", ["x", "w"], ["y"], name="conv")],
                 [vi("x", [1, 2, 5, 5]), vi("w", [3, 2, 3, 3])], [vi("y", None)])


# --- Interface options ------------------------------------------------------- #

def symbolic_batch():
    return model([node("Relu", ["x"], ["y"], name="relu")],
                 [vi("x", ["N", 3, 4, 4])], [vi("y", ["N", 3, 4, 4])])


def mixed_io():
    # One 4-D and one 2-D input and output.
    return model([node("Relu", ["x"], ["y"], name="relu"),
                  node("Relu", ["v"], ["z"], name="relu2")],
                 [vi("x", [1, 3, 4, 4]), vi("v", [1, 7])], [vi("y", None), vi("z", None)])


# --- Errors ------------------------------------------------------------------ #

def unsupported_op():
    return unary("LeakyRelu", [2, 3])


def unsupported_domain():
    m = unary("Relu", [2, 3])
    m.graph.node[0].domain = "com.microsoft"
    return m


def bad_auto_pad():
    return conv([1, 1, 5, 5], [1, 1, 3, 3], auto_pad="SAME")


def unknown_attribute():
    return conv([1, 1, 5, 5], [1, 1, 3, 3], fancy=3)


def opset_5():
    return unary("Relu", [2, 3], opset=5)


def opset_18():
    return unary("Relu", [2, 3], opset=18)


def ceil_mode_changes():
    return unary("MaxPool", [1, 1, 5, 5], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)


def maxpool_dilation():
    return unary("MaxPool", [1, 1, 5, 5], kernel_shape=[2, 2], dilations=[2, 2])


def maxpool_storage_order():
    return unary("MaxPool", [1, 1, 4, 4], kernel_shape=[2, 2], storage_order=1)


def pad_wrap():
    return pad("wrap")


def softmax_11_mismatch():
    return unary("Softmax", [1, 3, 2, 2], opset=11)


def symbolic_channels():
    return unary("Relu", [1, "C", 4, 4])


def external_data():
    m = conv([1, 1, 5, 5], [1, 1, 3, 3], bias=False)
    w = m.graph.initializer[0]
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entry = w.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    return m


def raw_size_mismatch():
    m = conv([1, 1, 5, 5], [1, 1, 3, 3], bias=False)
    m.graph.initializer[0].raw_data = b"\0" * 7
    return m


def batchnorm_opset6_training():
    # Without is_test, opset 6 means training.
    m = batchnorm()
    m.opset_import[0].version = 6
    return m


def dropout_opset6_training():
    return unary("Dropout", [2, 3], opset=6)


def dropout_mask_used():
    return model([node("Dropout", ["x"], ["d", "mask"], name="drop"),
                  node("Identity", ["mask"], ["y"], name="ident")],
                 [vi("x", [2, 3])], [vi("y", None)])


def batchnorm_training():
    m = batchnorm()
    m.opset_import[0].version = 15
    m.graph.node[0].attribute.append(helper.make_attribute("training_mode", 1))
    return m


def quantized_into_add():
    return model([node("QuantizeLinear", ["x", "s", "z"], ["xq"], name="q"),
                  node("Add", ["xq", "xq"], ["y"], name="add")],
                 [vi("x", [2, 3])], [vi("y", None)], q_inits("", 0.5, 10))


def group_mismatch():
    return conv([1, 4, 5, 5], [2, 3, 3, 3], group=2)


def conv_3d():
    return conv([1, 1, 4, 4, 4], [1, 1, 3, 3, 3])


def wrong_output_shape():
    return model([node("Relu", ["x"], ["y"], name="relu")],
                 [vi("x", [1, 3])], [vi("y", [1, 4])])


def undefined_input():
    return model([node("Relu", ["nowhere"], ["y"], name="relu")],
                 [vi("x", [1, 3])], [vi("y", None)])


def attribute_type():
    return conv([1, 1, 5, 5], [1, 1, 3, 3], group=2.0)


def pool_pads_too_large():
    return unary("AveragePool", [1, 1, 4, 4], kernel_shape=[2, 2], pads=[2, 0, 0, 0])


def bn_negative_epsilon():
    m = batchnorm()
    for a in m.graph.node[0].attribute:
        if a.name == "epsilon":
            a.f = -1.0
    return m


def pad_reflect_too_large():
    return unary("Pad", [1, 1, 2, 2], [init("pads", np.array([0, 0, 2, 0, 0, 0, 0, 0],
                                                              dtype=np.int64))],
                 ["pads"], mode="reflect")


def reshape_mismatch():
    return unary("Reshape", [2, 3], [init("shape", np.array([4, 2], dtype=np.int64))],
                 ["shape"])


def reshape_dynamic_shape():
    return model([node("Reshape", ["x", "s"], ["y"], name="reshape")],
                 [vi("x", [2, 3]), vi("s", [2], TensorProto.INT64)], [vi("y", None)])


CASES = {name: fn for name, fn in globals().items()
         if callable(fn) and fn.__module__ == __name__ and
         name not in ("vi", "init", "arange", "rand", "model", "node", "conv",
                      "unary", "binary", "after_conv", "clip_scalar", "gemm",
                      "pad", "q_inits", "main")}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_model.py CASE OUT  (CASE: one of %s, or empty, "
                 "garbage, truncated)" % ", ".join(sorted(CASES)))
    case, out = sys.argv[1:]
    if case == "empty":
        data = b""
    elif case == "garbage":
        # Bytes that are no protobuf message (checked below).
        data = np.random.default_rng(1).integers(0, 256, 200, dtype=np.uint8).tobytes()
    elif case == "truncated":
        # A valid model cut short, at the first cut past the middle that
        # protobuf rejects.
        full = conv_basic().SerializeToString()
        for cut in range(len(full) // 2, len(full)):
            try:
                onnx.ModelProto().ParseFromString(full[:cut])
            except Exception:
                data = full[:cut]
                break
    else:
        data = CASES[case]().SerializeToString()
    if case == "garbage":
        try:
            onnx.ModelProto().ParseFromString(data)
            sys.exit("garbage parses as a model")
        except Exception:
            pass
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
