//===- DepthwiseTraversal.h - Border-peeled loops of depthwise kernels -*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Conversion/QnnToLinalg: the loop nest
// the int8 and fp32 depthwise kernels share. Output rows and columns whose
// filter taps leave the input are peeled into static copies that know their
// valid taps; the interior runs in scf.for loops that read no padding.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_DEPTHWISETRAVERSAL_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_DEPTHWISETRAVERSAL_H

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

#include <algorithm>

namespace qnn::detail {

/// Which taps of a filter dimension read inside the input, per output
/// position: tap t of output o reads o * stride - padLow + t * dilation.
struct DepthwiseAxis {
  int64_t size, taps, stride, dilation, padLow, out;

  int64_t at(int64_t o, int64_t t) const {
    return o * stride - padLow + t * dilation;
  }
  llvm::SmallVector<int64_t> validTaps(int64_t o) const {
    llvm::SmallVector<int64_t> valid;
    for (int64_t t = 0; t < taps; ++t)
      if (at(o, t) >= 0 && at(o, t) < size)
        valid.push_back(t);
    return valid;
  }
  bool interior(int64_t o) const {
    return at(o, 0) >= 0 && at(o, taps - 1) < size;
  }
  /// The (contiguous) outputs whose taps are all inside: [lo, hi).
  std::pair<int64_t, int64_t> interiorRange() const {
    int64_t lo = 0;
    while (lo < out && !interior(lo))
      ++lo;
    int64_t hi = lo;
    while (hi < out && interior(hi))
      ++hi;
    return {lo, hi};
  }
  int64_t borders() const {
    auto [lo, hi] = interiorRange();
    return out - (hi - lo);
  }
};

/// The rows (`dim` 0) or columns (1) axis of depthwise `conv`, whose input
/// has `size` rows (columns), its filter `taps` and its output `out`.
inline DepthwiseAxis depthwiseAxis(Conv2DOp conv, unsigned dim, int64_t size,
                                   int64_t taps, int64_t out) {
  PaddingAttr pad = conv.getPadding();
  return DepthwiseAxis{size,
                       taps,
                       static_cast<int64_t>(conv.getStrides()[dim]),
                       static_cast<int64_t>(conv.getDilations()[dim]),
                       dim == 0 ? pad.getTop() : pad.getLeft(),
                       out};
}

/// Calls `blockTile(b, ch, valid, out)` for the 16-channel blocks of [0, c):
/// an scf.for over the full blocks, then the tail block (`valid` < 16)
/// as a static copy; returns the updated output.
inline mlir::Value emitChannelBlocks(
    mlir::OpBuilder &b, mlir::Location loc, int64_t c, mlir::Value out,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Value, int64_t,
                                   mlir::Value)>
        blockTile) {
  using namespace mlir;
  constexpr int64_t lanes = 16;
  auto idx = [&](OpBuilder &nb, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(nb, loc, v);
  };
  int64_t full = c / lanes * lanes;
  if (full > 0)
    out = scf::ForOp::create(
              b, loc, idx(b, 0), idx(b, full), idx(b, lanes), ValueRange{out},
              [&](OpBuilder &nb, Location l, Value ch, ValueRange iter) {
                scf::YieldOp::create(nb, l,
                                     blockTile(nb, ch, lanes, iter[0]));
              })
              .getResult(0);
  if (c % lanes)
    out = blockTile(b, idx(b, full), c % lanes, out);
  return out;
}

/// Emits `count` output pixels from (n, y, x0) with the filter rows `khs`
/// and the filter columns `kws` (empty: all, an interior tile) and returns
/// the updated output.
using DepthwisePixelTile = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Value n, mlir::Value y, mlir::Value x0,
    int64_t count, llvm::ArrayRef<int64_t> khs, llvm::ArrayRef<int64_t> kws,
    mlir::Value out)>;

/// Every output pixel of every image: per image the border rows (static,
/// with their valid filter rows) around a loop over the interior rows; per
/// row the border pixels (static, with their valid filter columns) around
/// tiles of `pixels` interior pixels (the tail a static copy).
inline mlir::Value emitDepthwiseTraversal(mlir::OpBuilder &b,
                                          mlir::Location loc, int64_t batch,
                                          const DepthwiseAxis &rowsAxis,
                                          const DepthwiseAxis &colsAxis,
                                          int64_t pixels, mlir::Value out,
                                          DepthwisePixelTile pixelTile) {
  using namespace mlir;
  auto idx = [&](OpBuilder &nb, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(nb, loc, v);
  };
  auto row = [&](OpBuilder &rb, Value n, Value y, ArrayRef<int64_t> khs,
                 Value o) -> Value {
    auto [lo, hi] = colsAxis.interiorRange();
    for (int64_t x = 0; x < lo; ++x)
      o = pixelTile(rb, n, y, idx(rb, x), 1, khs, colsAxis.validTaps(x), o);
    int64_t interior = std::max<int64_t>(hi - lo, 0);
    int64_t full = interior / pixels * pixels;
    if (full > 0)
      o = scf::ForOp::create(
              rb, loc, idx(rb, lo), idx(rb, lo + full), idx(rb, pixels),
              ValueRange{o},
              [&](OpBuilder &nb, Location l, Value x0, ValueRange iter) {
                scf::YieldOp::create(
                    nb, l, pixelTile(nb, n, y, x0, pixels, khs, {}, iter[0]));
              })
              .getResult(0);
    if (interior % pixels)
      o = pixelTile(rb, n, y, idx(rb, lo + full), interior % pixels, khs, {},
                    o);
    for (int64_t x = std::max(hi, lo); x < colsAxis.out; ++x)
      o = pixelTile(rb, n, y, idx(rb, x), 1, khs, colsAxis.validTaps(x), o);
    return o;
  };
  auto image = [&](OpBuilder &ib, Value n, Value o) -> Value {
    llvm::SmallVector<int64_t> allKh;
    for (int64_t t = 0; t < rowsAxis.taps; ++t)
      allKh.push_back(t);
    auto [lo, hi] = rowsAxis.interiorRange();
    for (int64_t y = 0; y < lo; ++y)
      o = row(ib, n, idx(ib, y), rowsAxis.validTaps(y), o);
    if (hi > lo)
      o = scf::ForOp::create(
              ib, loc, idx(ib, lo), idx(ib, hi), idx(ib, 1), ValueRange{o},
              [&](OpBuilder &nb, Location l, Value y, ValueRange iter) {
                scf::YieldOp::create(nb, l, row(nb, n, y, allKh, iter[0]));
              })
              .getResult(0);
    for (int64_t y = std::max(hi, lo); y < rowsAxis.out; ++y)
      o = row(ib, n, idx(ib, y), rowsAxis.validTaps(y), o);
    return o;
  };
  if (batch == 1)
    return image(b, idx(b, 0), out);
  return scf::ForOp::create(
             b, loc, idx(b, 0), idx(b, batch), idx(b, 1), ValueRange{out},
             [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
               scf::YieldOp::create(nb, l, image(nb, n, iter[0]));
             })
      .getResult(0);
}

} // namespace qnn::detail

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_DEPTHWISETRAVERSAL_H
