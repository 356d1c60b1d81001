//===- Layout.h - Dimension orders of imported tensors ----------*- C++ -*-===//
//
// Part of quant-opt. ONNX tensors are NCHW; qnn wants NHWC. The importer
// records, for every value it holds, which ONNX dimension each of its
// dimensions is: a layout `L` means dimension `d` of the held value is ONNX
// dimension `L[d]` (so `[0, 2, 3, 1]` is NHWC for an NCHW tensor).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_IMPORT_ONNX_LAYOUT_H
#define QNN_LIB_IMPORT_ONNX_LAYOUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace qnn::onnx_import {

/// Dimension `d` of a held value is ONNX dimension `layout[d]`.
using Layout = llvm::SmallVector<int64_t, 4>;

/// The ONNX order itself.
inline Layout getIdentityLayout(int64_t rank) {
  Layout layout;
  for (int64_t d = 0; d < rank; ++d)
    layout.push_back(d);
  return layout;
}

/// Channels last: `[0, 2, ..., rank - 1, 1]` (NHWC for a 4-D NCHW tensor);
/// the identity below rank 3.
inline Layout getChannelsLastLayout(int64_t rank) {
  if (rank < 3)
    return getIdentityLayout(rank);
  Layout layout = {0};
  for (int64_t d = 2; d < rank; ++d)
    layout.push_back(d);
  layout.push_back(1);
  return layout;
}

inline bool isIdentityLayout(llvm::ArrayRef<int64_t> layout) {
  for (auto [d, v] : llvm::enumerate(layout))
    if (v != static_cast<int64_t>(d))
      return false;
  return true;
}

/// True when `perm` holds each of 0..size-1 exactly once.
inline bool isPermutation(llvm::ArrayRef<int64_t> perm) {
  llvm::SmallVector<bool, 8> seen(perm.size(), false);
  for (int64_t v : perm) {
    if (v < 0 || v >= static_cast<int64_t>(perm.size()) || seen[v])
      return false;
    seen[v] = true;
  }
  return true;
}

/// The inverse permutation: `inverse[layout[d]] == d`.
inline Layout invertLayout(llvm::ArrayRef<int64_t> layout) {
  Layout inverse(layout.size());
  for (auto [d, v] : llvm::enumerate(layout))
    inverse[v] = d;
  return inverse;
}

/// `result[d] = values[perm[d]]`: the held shape of an ONNX shape.
template <typename T>
llvm::SmallVector<T, 4> permute(llvm::ArrayRef<T> values,
                                llvm::ArrayRef<int64_t> perm) {
  llvm::SmallVector<T, 4> result;
  for (int64_t p : perm)
    result.push_back(values[p]);
  return result;
}

/// The `qnn.transpose` permutation that turns a value held in layout `from`
/// into the same tensor held in layout `to`.
inline Layout getTransposition(llvm::ArrayRef<int64_t> from,
                               llvm::ArrayRef<int64_t> to) {
  Layout inverse = invertLayout(from);
  Layout perm;
  for (int64_t v : to)
    perm.push_back(inverse[v]);
  return perm;
}

/// True when transposing a tensor of shape `shape` by `perm` keeps its
/// elements in the same row-major order, i.e. only dimensions of size 1 move:
/// the transpose is then a reshape.
inline bool isReshapeLikeTranspose(llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<int64_t> perm) {
  int64_t last = -1;
  for (int64_t p : perm) {
    if (shape[p] == 1)
      continue;
    if (p < last)
      return false;
    last = p;
  }
  return true;
}

} // namespace qnn::onnx_import

#endif // QNN_LIB_IMPORT_ONNX_LAYOUT_H
