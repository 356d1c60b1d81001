//===- ShapeUtils.cpp - Output shapes of windowed ops -----------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/ShapeUtils.h"

#include "llvm/Support/CheckedArithmetic.h"

std::optional<int64_t> qnn::checkedAdd(int64_t a, int64_t b) {
  return llvm::checkedAdd(a, b);
}

std::optional<int64_t> qnn::checkedNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t d : shape) {
    std::optional<int64_t> next = llvm::checkedMul(product, d);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return product;
}

std::optional<int64_t> qnn::getWindowedOutputSize(int64_t in, int64_t padBefore,
                                                  int64_t padAfter,
                                                  int64_t kernel,
                                                  int64_t stride,
                                                  int64_t dilation,
                                                  WindowError *error) {
  auto fail = [&](WindowError e) -> std::optional<int64_t> {
    if (error)
      *error = e;
    return std::nullopt;
  };
  std::optional<int64_t> padded = llvm::checkedAdd(in, padBefore);
  if (padded)
    padded = llvm::checkedAdd(*padded, padAfter);
  std::optional<int64_t> span = llvm::checkedMul(dilation, kernel - 1);
  if (span)
    span = llvm::checkedAdd(*span, int64_t(1));
  if (!padded || !span)
    return fail(WindowError::Overflow);
  if (*padded < *span)
    return fail(WindowError::TooSmall);
  if (error)
    *error = WindowError::None;
  return (*padded - *span) / stride + 1;
}
