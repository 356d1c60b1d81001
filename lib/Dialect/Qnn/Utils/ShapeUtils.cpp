//===- ShapeUtils.cpp - Output shapes of windowed ops -----------------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/ShapeUtils.h"

std::optional<int64_t> qnn::getWindowedOutputSize(int64_t in, int64_t padBefore,
                                                  int64_t padAfter,
                                                  int64_t kernel,
                                                  int64_t stride,
                                                  int64_t dilation) {
  int64_t padded = in + padBefore + padAfter;
  int64_t dilatedKernel = dilation * (kernel - 1) + 1;
  if (padded < dilatedKernel)
    return std::nullopt;
  return (padded - dilatedKernel) / stride + 1;
}
