"""NumPy reference semantics of the ONNX operators quant-opt imports.

Independent of the compiler: written from the ONNX operator specification
(NCHW, float64 accumulation), used by the JIT numerics tests to judge
quant-import-onnx + lower-to-cpu + quant-run. Run with /usr/bin/python3.
"""

import numpy as np


def conv(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1),
         group=1):
    """ONNX Conv. pads = (top, left, bottom, right)."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    assert c == cg * group and o % group == 0
    sh, sw = strides
    dh, dw = dilations
    xp = np.pad(x.astype(np.float64),
                ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
    og = o // group
    out = np.zeros((n, o, oh, ow))
    for g in range(group):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                out[:, g * og:(g + 1) * og] += np.einsum(
                    "nchw,oc->nohw", patch,
                    w[g * og:(g + 1) * og, :, i, j].astype(np.float64))
    if b is not None:
        out += b.astype(np.float64)[None, :, None, None]
    return out


def auto_pads(in_size, kernel, stride, dilation, mode):
    """ONNX auto_pad for one spatial dimension: (begin, end)."""
    if mode == "VALID":
        return 0, 0
    out = -(-in_size // stride)
    total = max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - in_size)
    small, large = total // 2, total - total // 2
    return (small, large) if mode == "SAME_UPPER" else (large, small)


def batch_norm(x, scale, bias, mean, var, epsilon):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (scale.reshape(shape) * (x - mean.reshape(shape)) /
            np.sqrt(var.reshape(shape).astype(np.float64) + epsilon) +
            bias.reshape(shape))


def pool(x, kernel, strides, pads, kind, count_include_pad=False):
    """ONNX AveragePool / MaxPool (ceil_mode = 0). pads = (t, l, b, r)."""
    n, c, h, w = x.shape
    kh, kw = kernel
    sh, sw = strides
    oh = (h + pads[0] + pads[2] - kh) // sh + 1
    ow = (w + pads[1] + pads[3] - kw) // sw + 1
    fill = -np.inf if kind == "max" else 0.0
    xp = np.pad(x.astype(np.float64),
                ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
                constant_values=fill)
    valid = np.pad(np.ones((h, w)), ((pads[0], pads[2]), (pads[1], pads[3])))
    out = np.full((n, c, oh, ow), fill)
    count = np.zeros((oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
            if kind == "max":
                out = np.maximum(out, patch)
            else:
                out = out + patch
                count += valid[i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
    if kind == "avg":
        out = out / (kh * kw if count_include_pad else count)
    return out


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def quantize_linear(x, scale, zero_point, axis=1, dtype=np.int8):
    """ONNX QuantizeLinear: saturate(round_half_even(x / scale) + zp)."""
    scale = np.asarray(scale, np.float32)
    zero_point = np.asarray(zero_point)
    if scale.ndim == 1:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zero_point = zero_point.reshape(shape)
    info = np.iinfo(dtype)
    q = np.rint(x.astype(np.float32) / scale) + zero_point
    return np.clip(q, info.min, info.max).astype(dtype)


def dequantize_linear(q, scale, zero_point, axis=1):
    scale = np.asarray(scale, np.float32)
    zero_point = np.asarray(zero_point)
    if scale.ndim == 1:
        shape = [1] * q.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zero_point = zero_point.reshape(shape)
    return (q.astype(np.float32) - zero_point.astype(np.float32)) * scale
