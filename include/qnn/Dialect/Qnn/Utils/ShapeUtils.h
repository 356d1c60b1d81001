//===- ShapeUtils.h - Output shapes of windowed ops --------------*- C++ -*-===//
//
// Part of quant-opt. Shape arithmetic shared by the verifiers, checked for
// int64 overflow (absurd attribute values must be errors, not wrap-arounds).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H
#define QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace qnn {

/// Why a windowed output size does not exist.
enum class WindowError {
  None,
  /// The padded input is smaller than the dilated kernel.
  TooSmall,
  /// An intermediate size does not fit in int64.
  Overflow,
};

/// The output size of one spatial dimension of a convolution or pooling
/// window: floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) /
/// stride) + 1. Returns nullopt, and sets `*error` when given, when the
/// padded input is smaller than the dilated kernel or the arithmetic
/// overflows. `in` is a static size; kernel, stride and dilation are
/// positive and the padding non-negative (the verifiers check these first).
std::optional<int64_t> getWindowedOutputSize(int64_t in, int64_t padBefore,
                                             int64_t padAfter, int64_t kernel,
                                             int64_t stride,
                                             int64_t dilation = 1,
                                             WindowError *error = nullptr);

/// a + b, or nullopt on int64 overflow.
std::optional<int64_t> checkedAdd(int64_t a, int64_t b);

/// The product of `shape` (static sizes), or nullopt on int64 overflow.
std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_SHAPEUTILS_H
