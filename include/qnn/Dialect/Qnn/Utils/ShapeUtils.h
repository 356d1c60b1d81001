//===- ShapeUtils.h - Output shapes of windowed ops --------------*- C++ -*-===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H
#define QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H

#include <cstdint>
#include <optional>

namespace qnn {

/// The output size of one spatial dimension of a convolution or pooling
/// window: floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) /
/// stride) + 1. Returns nullopt when the padded input is smaller than the
/// dilated kernel. `in` is a static size; kernel, stride and dilation are
/// positive and the padding non-negative (the verifiers check these first).
std::optional<int64_t> getWindowedOutputSize(int64_t in, int64_t padBefore,
                                             int64_t padAfter, int64_t kernel,
                                             int64_t stride,
                                             int64_t dilation = 1);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H
