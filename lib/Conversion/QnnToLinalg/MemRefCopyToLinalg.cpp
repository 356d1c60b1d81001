//===- MemRefCopyToLinalg.cpp - memref.copy as vector loops or linalg.copy ===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace qnn {
#define GEN_PASS_DEF_MEMREFCOPYTOLINALG
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;

namespace {

/// True when `type` is statically shaped with a unit innermost stride.
bool hasContiguousRows(MemRefType type) {
  if (!type.hasStaticShape() || type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  return strides.back() == 1;
}

/// The first dimension from which the trailing dimensions of `type` are
/// contiguous (each stride the product of the inner sizes).
int64_t contiguousFrom(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return type.getRank() - 1;
  int64_t rank = type.getRank(), d = rank - 1;
  while (d > 0 && strides[d - 1] == strides[d] * type.getShape()[d])
    --d;
  return d;
}

/// The copy as loops over the outer dimensions and 64-byte vector
/// transfers along the innermost, contiguous one.
void emitVectorCopy(OpBuilder &b, Location loc, Value src, Value dst,
                    MemRefType type, int64_t chunk) {
  int64_t rank = type.getRank();
  int64_t inner = type.getShape().back();
  SmallVector<Value> ivs;
  std::function<void(OpBuilder &, int64_t)> nest = [&](OpBuilder &nb,
                                                       int64_t dim) {
    if (dim == rank - 1) {
      Value zero = arith::ConstantOp::create(
          nb, loc, nb.getZeroAttr(type.getElementType()));
      for (int64_t off = 0; off < inner; off += chunk) {
        int64_t len = std::min(chunk, inner - off);
        SmallVector<Value> idx(ivs);
        idx.push_back(arith::ConstantIndexOp::create(nb, loc, off));
        auto vt = VectorType::get({len}, type.getElementType());
        Value v = vector::TransferReadOp::create(nb, loc, vt, src, idx, zero,
                                                 ArrayRef<bool>{true});
        vector::TransferWriteOp::create(nb, loc, v, dst, idx,
                                        ArrayRef<bool>{true});
      }
      return;
    }
    scf::ForOp::create(
        nb, loc, arith::ConstantIndexOp::create(nb, loc, 0),
        arith::ConstantIndexOp::create(nb, loc, type.getShape()[dim]),
        arith::ConstantIndexOp::create(nb, loc, 1), ValueRange{},
        [&](OpBuilder &nb2, Location, Value iv, ValueRange) {
          ivs.push_back(iv);
          nest(nb2, dim + 1);
          ivs.pop_back();
          scf::YieldOp::create(nb2, loc);
        });
  };
  nest(b, 0);
}

struct MemRefCopyToLinalgPass
    : qnn::impl::MemRefCopyToLinalgBase<MemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp op) { copies.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp op : copies) {
      rewriter.setInsertionPoint(op);
      auto srcType = cast<MemRefType>(op.getSource().getType());
      auto dstType = cast<MemRefType>(op.getTarget().getType());
      unsigned bits = srcType.getElementType().isIntOrFloat()
                          ? srcType.getElementTypeBitWidth()
                          : 0;
      if (bits % 8 == 0 && bits > 0 && hasContiguousRows(srcType) &&
          hasContiguousRows(dstType)) {
        // Trailing dimensions contiguous in both merge into one run (e.g.
        // W and C of an NHWC row copied into a padded tensor): whole
        // vectors instead of one short transfer per pixel.
        Value src = op.getSource(), dst = op.getTarget();
        int64_t from = std::max(contiguousFrom(srcType),
                                contiguousFrom(dstType));
        int64_t rank = srcType.getRank();
        if (from < rank - 1) {
          SmallVector<ReassociationIndices> groups;
          for (int64_t d = 0; d < from; ++d)
            groups.push_back({d});
          groups.push_back(
              llvm::to_vector(llvm::seq<int64_t>(from, rank)));
          src = memref::CollapseShapeOp::create(rewriter, op.getLoc(), src,
                                                groups);
          dst = memref::CollapseShapeOp::create(rewriter, op.getLoc(), dst,
                                                groups);
          srcType = cast<MemRefType>(src.getType());
        }
        emitVectorCopy(rewriter, op.getLoc(), src, dst, srcType,
                       /*chunk=*/512 / bits);
      } else {
        linalg::CopyOp::create(rewriter, op.getLoc(), op.getSource(),
                               op.getTarget());
      }
      rewriter.eraseOp(op);
    }
  }
};
} // namespace
