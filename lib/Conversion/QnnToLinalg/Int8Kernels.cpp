//===- Int8Kernels.cpp - Integer dense/conv2d to int8 CPU kernels ---------===//
//
// Part of quant-opt. The integer (I) form of qnn.dense and of groups = 1
// qnn.conv2d (s8 activations, constant s8 weights, constant i32 bias)
// becomes a register-tiled micro-kernel on tensors. With isa=avx512vnni the
// multiply-accumulate is `llvm.x86.avx512.vpdpbusd.512` (u8 x s8 -> i32,
// wrapping):
//
//   out[m, o] = bias'[o] + sum_k4 vpdpbusd(x'[m, 4k4 .. 4k4+3],
//                                          packed[o / 32][k4][o % 32][0..3])
//   x'        = x ^ 0x80 (once per layer: im2col copy or one pass)
//   bias'[o]  = bias[o] - 128 * sum_k w[o, k]                  (mod 2^32)
//
// which equals bias[o] + sum_k x[m, k] * w[o, k] in i32 two's complement for
// every input (x ^ 0x80 = x + 128 read as u8). isa=avx2 uses vpmaddwd on
// sign-extended i16 pairs (weights packed as i16, no compensation), each
// 16-channel accumulator as two ymm halves; isa=vector sign-extends and
// multiplies on vector<16xi32>. A following qnn.requantize is computed on
// the accumulators in registers (the tile's epilogue, Int8Epilogue.cpp).
// The lane layout assumes a little-endian target.
//
// Loop structure (all bounds static; tails are specialised copies):
//
//   for b in [0, O / 32):                     // packed block in L1
//     for m0 in [0, M - M % R) step R:        // R = tile-rows
//       tile(m0, R rows, block b, 2 vectors)
//     M % R != 0: tile(the last M % R rows, block b, 2 vectors)
//   O % 32 != 0: the same for the last block (1-2 vectors, masked store of
//                a partial vector)
//
//   tile: acc[i][j] = bias'[32b + 16j .. +16]  (i < rows, j < vectors)
//         for g in [0, K / group):
//           w[j] = packed[b][g][16 group j ..]     (VNNI: vector<64xi8>)
//           for i: a = broadcast(x'[m0 + i][group g ..])   (VNNI: 4 bytes)
//                  for j: acc[i][j] = dot(acc[i][j], a, w[j])
//         for i, j: out[m0 + i][32b + 16j ..] = epilogue(acc[i][j])
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/StringSwitch.h"

#include <limits>

namespace qnn {
#define GEN_PASS_DEF_LOWERINT8KERNELS
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;
using namespace qnn::int8;


//===----------------------------------------------------------------------===//
// Compile-time packing
//===----------------------------------------------------------------------===//

namespace qnn::detail {

Int8PackedWeights packInt8Weights(ArrayRef<int64_t> weights,
                                  ArrayRef<int64_t> bias, int64_t outChannels,
                                  int64_t depth, int64_t group,
                                  bool compensate) {
  Int8PackedWeights p;
  p.group = group;
  p.groups = (depth + group - 1) / group;
  p.blocks = (outChannels + kBlockCols - 1) / kBlockCols;
  int64_t blockValues = kBlockCols * group;
  p.packed.assign(p.blocks * p.groups * blockValues, 0);
  p.bias.assign(p.blocks * kBlockCols, 0);
  for (int64_t o = 0; o < outChannels; ++o) {
    int64_t block = o / kBlockCols, lane = o % kBlockCols;
    int64_t sum = 0;
    for (int64_t k = 0; k < depth; ++k) {
      int64_t w = weights[o * depth + k];
      sum += w;
      p.packed[(block * p.groups + k / group) * blockValues + lane * group +
               k % group] = static_cast<int16_t>(w);
    }
    // bias - 128 * sum(w) when the activations are read as u8 (x + 128),
    // wrapped to int32 like the accumulation itself.
    uint64_t b = static_cast<uint64_t>(bias.empty() ? 0 : bias[o]) -
                 static_cast<uint64_t>(compensate ? 128 * sum : 0);
    p.bias[o] = static_cast<int32_t>(static_cast<uint32_t>(b));
  }
  return p;
}

} // namespace qnn::detail

//===----------------------------------------------------------------------===//
// Memory effects of llvm.call_intrinsic
//===----------------------------------------------------------------------===//

namespace {
/// `llvm.call_intrinsic` implements no MemoryEffectOpInterface, which the
/// ownership-based buffer deallocation rejects ("ops with unknown memory
/// side effects are not supported") once the kernels are bufferized. This
/// model says that the x86 intrinsics the kernels call are pure
/// (register in, register out) and that every other intrinsic may read and
/// write memory (what "unknown" means to every other pass; none of them
/// allocates or frees).
struct CallIntrinsicEffects
    : MemoryEffectOpInterface::ExternalModel<CallIntrinsicEffects,
                                             LLVM::CallIntrinsicOp> {
  void getEffects(Operation *op,
                  SmallVectorImpl<MemoryEffects::EffectInstance> &effects)
      const {
    StringRef name = cast<LLVM::CallIntrinsicOp>(op).getIntrin();
    if (name.starts_with("llvm.x86.avx512.vpdpbusd") ||
        name.starts_with("llvm.x86.avx512.vpdpwssd") ||
        name.starts_with("llvm.x86.avx2.pmadd.wd") || name == kFmaddRounded ||
        name == kCvtRounded || name == kMaxPs || name == kMinPs ||
        name == kPmovsDb || name == kPmovsDw || name == kPackssDw ||
        name == kPackssWb)
      return;
    effects.emplace_back(MemoryEffects::Read::get());
    effects.emplace_back(MemoryEffects::Write::get());
  }
};
} // namespace

void qnn::registerCallIntrinsicEffects(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LLVM::LLVMDialect *) {
    LLVM::CallIntrinsicOp::attachInterface<CallIntrinsicEffects>(*ctx);
  });
}

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

namespace {

/// One layer the pass lowers, read from the IR.
struct Layer {
  Operation *op = nullptr;
  bool isConv = false;
  bool pointwise = false;
  int64_t m = 0, depth = 0, outChannels = 0;
  SmallVector<int64_t> weights; // [O][depth], conv taps in (kh, kw, c) order
  SmallVector<int64_t> bias;    // [O] or empty
  RequantizeOp requantize;      // fused when set
};

/// The constant weight and bias of a layer; failure unless the weight is an
/// i8 constant and the bias an i32 constant or absent.
LogicalResult readParams(Layer &layer, Value weight, Value bias) {
  FailureOr<SmallVector<int64_t>> w = readIntConstant(weight, 8);
  if (failed(w))
    return failure();
  layer.weights = std::move(*w);
  if (bias) {
    FailureOr<SmallVector<int64_t>> b = readIntConstant(bias, 32);
    if (failed(b))
      return failure();
    layer.bias = std::move(*b);
  }
  return success();
}

FailureOr<Layer> matchDense(DenseOp op) {
  if (!isSignlessI8Tensor(op.getInput().getType()) || !isI32Result(op) ||
      (op.getActivation() &&
       op.getActivation()->getKind() != ActivationKind::None))
    return failure();
  Layer layer;
  layer.op = op;
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  layer.m = in[0];
  layer.depth = in[1];
  layer.outChannels = op.getWeight().getType().getDimSize(0);
  if (failed(readParams(layer, op.getWeight(), op.getBias())))
    return failure();
  return layer;
}

FailureOr<Layer> matchConv(Conv2DOp op, bool im2col) {
  if (!isSignlessI8Tensor(op.getInput().getType()) || !isI32Result(op) ||
      op.getGroups() != 1 ||
      (op.getActivation() &&
       op.getActivation()->getKind() != ActivationKind::None))
    return failure();
  auto filterType = cast<RankedTensorType>(op.getFilter().getType());
  ArrayRef<int64_t> w = filterType.getShape();
  PaddingAttr pad = op.getPadding();
  bool pointwise = w[1] == 1 && w[2] == 1 && op.getStrides()[0] == 1 &&
                   op.getStrides()[1] == 1 && pad.getTop() == 0 &&
                   pad.getBottom() == 0 && pad.getLeft() == 0 &&
                   pad.getRight() == 0;
  if (!pointwise && !im2col)
    return failure();
  Layer layer;
  layer.op = op;
  layer.isConv = true;
  layer.pointwise = pointwise;
  ArrayRef<int64_t> out =
      cast<RankedTensorType>(op.getType()).getShape();
  layer.m = out[0] * out[1] * out[2];
  layer.depth = w[1] * w[2] * w[3];
  layer.outChannels = w[0];
  if (failed(readParams(layer, op.getFilter(), op.getBias())))
    return failure();
  return layer;
}

//===----------------------------------------------------------------------===//
// The kernel
//===----------------------------------------------------------------------===//

struct Kernel : IndexBuilder {
  // tensor<M x Kp x i8> (VNNI: already read as u8, x ^ 0x80), or with
  // `tileFlip` the layer's s8 tensor<M x K x i8> (flattened to <M*K> when
  // K needs no padding), which each row tile copies flipped into a flat
  // [tileRows x Kp] scratch (in L1) before its reduction.
  Value lhs;
  Value packed;  // tensor<blocks x groups x 32*group x i8 (i16 for AVX2)>
  Value bias;    // tensor<blocks*32 x i32>
  int64_t m, groups, outChannels, tileRows;
  KernelIsa isa;
  const Epilogue &epilogue;
  bool tileFlip = false;
  int64_t depth = 0; // K (tileFlip)
  // R > 1: a layer with N = 16 / R output channels keeps R rows in one
  // vector (lanes [r N, (r + 1) N) are row m0 + r; the weights and bias
  // packed R times over), instead of one row in a vector with 16 - N idle
  // lanes: half (a quarter) of the epilogues and of the stores. The output
  // is flat [M * N].
  int64_t rowsPerVector = 1;
  // With R = 2: `lhs` is flat with rows m, m + 1 (m even) in alternating
  // 4-byte groups (im2colPairs); one 8-byte broadcast per group.
  bool pairLayout = false;
  // VNNI with the activations as they are (s8, vpdpbusd's signed operand)
  // and the weights as u8 (w + 128, the unsigned operand): no flipped copy
  // of the activations; the accumulators start at bias - 128 * (the row's
  // sum of activations), from `rowCorrection` (tensor<M x i32>).
  bool signedLhs = false;
  Value rowCorrection;
  // The output is flat [M * N] with every vector of a tile whole and
  // stored after the previous one: R > 1 rows per vector, or (one vector
  // per row) N = 16 or 32.
  bool flatRows = false;

  /// Accumulator registers per 16-channel vector: AVX2 keeps two 8 x i32
  /// (ymm) halves, the others one vector<16xi32>.
  int64_t parts() const { return isa == KernelIsa::Avx2 ? 2 : 1; }
  int64_t partLanes() const { return kLanes / parts(); }
  int64_t group() const { return groupOf(isa); }

  /// The `group` activation bytes of row `row` at reduction group `g`,
  /// broadcast to what the ISA's multiply-accumulate takes: VNNI the 4 u8
  /// as one i32 in every lane (vector<64xi8>), AVX2 the 2 sign-extended
  /// i16 as one i32 in every lane (vector<16xi16>), generic the
  /// sign-extended value in every lane (vector<16xi32>).
  Value broadcastLhs(OpBuilder &b, Location l, Value matrix, Value row,
                     Value g) const {
    Value i8Zero = arith::ConstantOp::create(b, l, b.getI8IntegerAttr(0));
    Value k = arith::MulIOp::create(b, l, g, index(b, group()));
    auto bytesType = VectorType::get({group()}, b.getI8Type());
    // The scratch of `tileFlip` is flat: [rows * Kp].
    SmallVector<Value> at{row, k};
    if (cast<RankedTensorType>(matrix.getType()).getRank() == 1)
      at = {arith::AddIOp::create(b, l, mulIndex(b, row, groups * group()),
                                  k)};
    Value bytes = vector::TransferReadOp::create(
        b, l, bytesType, matrix, at, i8Zero, ArrayRef<bool>{true});
    Type i32 = b.getI32Type();
    switch (isa) {
    case KernelIsa::Vnni: {
      Value word = vector::BitCastOp::create(b, l, VectorType::get({1}, i32),
                                             bytes);
      Value scalar =
          vector::ExtractOp::create(b, l, word, ArrayRef<int64_t>{0});
      Value a = vector::BroadcastOp::create(
          b, l, VectorType::get({kLanes}, i32), scalar);
      return vector::BitCastOp::create(
          b, l, VectorType::get({kLanes * 4}, b.getI8Type()), a);
    }
    case KernelIsa::Avx2: {
      Value wide = arith::ExtSIOp::create(
          b, l, VectorType::get({2}, b.getI16Type()), bytes);
      Value word =
          vector::BitCastOp::create(b, l, VectorType::get({1}, i32), wide);
      Value scalar =
          vector::ExtractOp::create(b, l, word, ArrayRef<int64_t>{0});
      Value a = vector::BroadcastOp::create(
          b, l, VectorType::get({partLanes()}, i32), scalar);
      return vector::BitCastOp::create(
          b, l, VectorType::get({2 * partLanes()}, b.getI16Type()), a);
    }
    case KernelIsa::Vector: {
      Value scalar =
          vector::ExtractOp::create(b, l, bytes, ArrayRef<int64_t>{0});
      scalar = arith::ExtSIOp::create(b, l, i32, scalar);
      return vector::BroadcastOp::create(
          b, l, VectorType::get({kLanes}, i32), scalar);
    }
    }
    llvm_unreachable("unknown kernel ISA");
  }

  /// The weights of accumulator part `p` of vector `j` at group `g`, in the
  /// form the multiply-accumulate takes.
  Value readWeights(OpBuilder &b, Location l, Value block, Value g, int64_t j,
                    int64_t p) const {
    int64_t lanes = partLanes();
    int64_t offset = (j * kLanes + p * lanes) * group();
    switch (isa) {
    case KernelIsa::Vnni:
    case KernelIsa::Avx2: {
      Type element = isa == KernelIsa::Vnni ? b.getI8Type() : b.getI16Type();
      Value zero =
          arith::ConstantOp::create(b, l, b.getIntegerAttr(element, 0));
      return vector::TransferReadOp::create(
          b, l, VectorType::get({lanes * group()}, element), packed,
          ValueRange{block, g, index(b, offset)}, zero, ArrayRef<bool>{true});
    }
    case KernelIsa::Vector: {
      Value zero = arith::ConstantOp::create(b, l, b.getI8IntegerAttr(0));
      Value w = vector::TransferReadOp::create(
          b, l, VectorType::get({lanes}, b.getI8Type()), packed,
          ValueRange{block, g, index(b, offset)}, zero, ArrayRef<bool>{true});
      return arith::ExtSIOp::create(
          b, l, VectorType::get({lanes}, b.getI32Type()), w);
    }
    }
    llvm_unreachable("unknown kernel ISA");
  }

  /// acc + the group's dot products (i32, wrapping; exact for every ISA).
  Value multiplyAdd(OpBuilder &b, Location l, Value acc, Value a,
                    Value w) const {
    auto accType = cast<VectorType>(acc.getType());
    switch (isa) {
    case KernelIsa::Vnni:
      return LLVM::CallIntrinsicOp::create(
                 b, l, accType, b.getStringAttr(kVpdpbusd),
                 signedLhs ? ValueRange{acc, w, a} : ValueRange{acc, a, w})
          ->getResult(0);
    case KernelIsa::Avx2: {
      // vpmaddwd: s16 x s16 pairs -> i32, no saturation (|x w| <= 2^14).
      Value pairs = LLVM::CallIntrinsicOp::create(
                        b, l, accType, b.getStringAttr(kPmaddwd256),
                        ValueRange{a, w})
                        ->getResult(0);
      return arith::AddIOp::create(b, l, acc, pairs);
    }
    case KernelIsa::Vector:
      return arith::AddIOp::create(b, l, acc,
                                   arith::MulIOp::create(b, l, a, w));
    }
    llvm_unreachable("unknown kernel ISA");
  }

  /// `tileFlip`: rows [row0, row0 + rows) of the s8 input, XOR 0x80, into
  /// rows [0, rows) of the flat `scratch` ([rows x Kp]), zeros in the K
  /// padding. Without K padding the tile's rows are one contiguous run of
  /// the input, flipped in 64-byte chunks (12 rows of K = 8 are two).
  Value fillScratch(OpBuilder &b, Value row0, int64_t rows,
                    Value scratch) const {
    Type i8 = b.getI8Type();
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    int64_t paddedDepth = groups * group();
    auto flipMove = [&](Value src, ValueRange at, int64_t dst,
                        int64_t len) {
      auto type = VectorType::get({len}, i8);
      Value v = vector::TransferReadOp::create(b, loc, type, src, at, i8Zero,
                                               ArrayRef<bool>{true});
      v = arith::XOrIOp::create(
          b, loc, v,
          arith::ConstantOp::create(
              b, loc, DenseElementsAttr::get(type, int8_t{-128})));
      scratch = vector::TransferWriteOp::create(b, loc, v, scratch,
                                                ValueRange{index(b, dst)},
                                                ArrayRef<bool>{true})
                    .getResult();
    };
    if (cast<RankedTensorType>(lhs.getType()).getRank() == 1) {
      Value base = mulIndex(b, row0, depth);
      int64_t total = rows * depth;
      for (int64_t off = 0; off < total; off += 64)
        flipMove(lhs, ValueRange{addIndex(b, base, off)}, off,
                 std::min<int64_t>(64, total - off));
      return scratch;
    }
    for (int64_t i = 0; i < rows; ++i) {
      Value row = addIndex(b, row0, i);
      for (int64_t off = 0; off < depth; off += 64)
        flipMove(lhs, ValueRange{row, index(b, off)}, i * paddedDepth + off,
                 std::min<int64_t>(64, depth - off));
      auto type = VectorType::get({paddedDepth - depth}, i8);
      scratch = vector::TransferWriteOp::create(
                    b, loc,
                    arith::ConstantOp::create(
                        b, loc, DenseElementsAttr::get(type, int8_t{0})),
                    scratch, ValueRange{index(b, i * paddedDepth + depth)},
                    ArrayRef<bool>{true})
                    .getResult();
    }
    return scratch;
  }

  /// One register tile: `rows` rows from `row0`, `vectors` 16-channel
  /// vectors of packed block `block`, of which the first `valid` channels
  /// exist. Returns `out` with the tile written (and, with `tileFlip`, the
  /// scratch).
  std::pair<Value, Value> tile(OpBuilder &b, Value row0, Value block,
                               int64_t rows, int64_t vectors, int64_t valid,
                               Value out, Value scratch) const {
    int64_t np = parts(), lanes = partLanes();
    auto partType = VectorType::get({lanes}, b.getI32Type());
    Value i32Zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    Value col0 = arith::MulIOp::create(b, loc, block, index(b, kBlockCols));
    SmallVector<Value> cols;
    for (int64_t j = 0; j < vectors; ++j)
      cols.push_back(addIndex(b, col0, j * kLanes));
    // acc[(i * vectors + j) * parts + p]
    SmallVector<Value> init;
    int64_t rpv = rowsPerVector;
    SmallVector<Value> rowIndex, lhsRow;
    for (int64_t i = 0; i < rows; ++i)
      rowIndex.push_back(addIndex(b, row0, i));
    for (int64_t i = 0; i < rows / rpv; ++i) {
      Value correction;
      if (signedLhs)
        correction = vector::BroadcastOp::create(
            b, loc, partType,
            tensor::ExtractOp::create(b, loc, rowCorrection,
                                      ValueRange{rowIndex[i]}));
      for (int64_t j = 0; j < vectors; ++j)
        for (int64_t p = 0; p < np; ++p) {
          Value v = vector::TransferReadOp::create(
              b, loc, partType, bias,
              ValueRange{addIndex(b, cols[j], p * lanes)}, i32Zero,
              ArrayRef<bool>{true});
          if (correction)
            v = arith::AddIOp::create(b, loc, v, correction);
          init.push_back(v);
        }
    }
    Value matrix = lhs;
    lhsRow = rowIndex;
    if (tileFlip) {
      scratch = fillScratch(b, row0, rows, scratch);
      matrix = scratch;
      for (int64_t i = 0; i < rows; ++i)
        lhsRow[i] = index(b, i);
    }

    // One reduction step (group g) on the accumulators `accs`.
    auto step = [&](OpBuilder &nb, Location l, Value g,
                    ValueRange accs) -> SmallVector<Value> {
      SmallVector<Value> w;
      for (int64_t j = 0; j < vectors; ++j)
        for (int64_t p = 0; p < np; ++p)
          w.push_back(readWeights(nb, l, block, g, j, p));
      SmallVector<Value> next;
      for (int64_t i = 0; i < rows / rpv; ++i) {
        Value a;
        if (pairLayout) {
          // 8 bytes at (2 i' Kp + 8 g): lane 2j row m, 2j + 1 row m + 1.
          Value at = arith::AddIOp::create(
              nb, l, mulIndex(nb, lhsRow[i * rpv], groups * group()),
              mulIndex(nb, g, 2 * group()));
          Value bytes = vector::TransferReadOp::create(
              nb, l, VectorType::get({8}, nb.getI8Type()), matrix,
              ValueRange{at},
              arith::ConstantOp::create(nb, l, nb.getI8IntegerAttr(0)),
              ArrayRef<bool>{true});
          Value word = vector::BitCastOp::create(
              nb, l, VectorType::get({1}, nb.getI64Type()), bytes);
          Value scalar =
              vector::ExtractOp::create(nb, l, word, ArrayRef<int64_t>{0});
          a = vector::BitCastOp::create(
              nb, l, VectorType::get({4 * kLanes}, nb.getI8Type()),
              vector::BroadcastOp::create(
                  nb, l, VectorType::get({kLanes / 2}, nb.getI64Type()),
                  scalar));
        } else {
          a = broadcastLhs(nb, l, matrix, lhsRow[i * rpv], g);
        }
        // Rows per vector: lanes [r N, (r + 1) N) from row i * R + r (a
        // masked broadcast merged into the first).
        for (int64_t r = 1; r < rpv && !pairLayout; ++r) {
          SmallVector<bool> lanes(4 * kLanes, false);
          for (int64_t q = r * 4 * kLanes / rpv; q < 4 * kLanes; ++q)
            lanes[q] = true;
          Value mask = arith::ConstantOp::create(
              nb, l,
              DenseElementsAttr::get(
                  VectorType::get({4 * kLanes}, nb.getI1Type()),
                  ArrayRef<bool>(lanes)));
          a = arith::SelectOp::create(
              nb, l, mask, broadcastLhs(nb, l, matrix, lhsRow[i * rpv + r], g),
              a);
        }
        for (int64_t j = 0; j < vectors; ++j)
          for (int64_t p = 0; p < np; ++p) {
            int64_t at = j * np + p;
            next.push_back(
                multiplyAdd(nb, l, accs[i * vectors * np + at], a, w[at]));
          }
      }
      return next;
    };
    auto loop = scf::ForOp::create(
        b, loc, index(b, 0), index(b, groups), index(b, 1), init,
        [&](OpBuilder &nb, Location l, Value g, ValueRange iter) {
          scf::YieldOp::create(nb, l, step(nb, l, g, iter));
        });
    SmallVector<Value> accs(loop.getResults().begin(),
                            loop.getResults().end());

    // The accumulators of vector j of row (group) i, as 16 x i32.
    auto accOf = [&](int64_t i, int64_t j) -> Value {
      Value acc = accs[(i * vectors + j) * np];
      if (np == 2) {
        SmallVector<int64_t> concat =
            llvm::to_vector(llvm::seq<int64_t>(0, kLanes));
        acc = vector::ShuffleOp::create(
            b, loc, acc, accs[(i * vectors + j) * np + 1], concat);
      }
      if (pairLayout) {
        SmallVector<int64_t> halves;
        for (int64_t q = 0; q < 2; ++q)
          for (int64_t lane = q; lane < kLanes; lane += 2)
            halves.push_back(lane);
        acc = vector::ShuffleOp::create(b, loc, acc, acc, halves);
      }
      return acc;
    };
    if (flatRows) {
      // The output is flat [M * N] and the tile's vectors are stored one
      // after the other (rows of R / N = 16 / R outputs, or whole rows of
      // 16 or 32 channels): runs of 4 are narrowed and stored together
      // (Epilogue::storeRun).
      int64_t total = rows / rpv * vectors;
      auto flatAt = [&](int64_t v) -> Value {
        int64_t i = v / vectors, j = v % vectors;
        if (rpv > 1)
          return mulIndex(b, rowIndex[i * rpv], kLanes / rpv);
        return addIndex(b, mulIndex(b, rowIndex[i], outChannels),
                        j * kLanes);
      };
      for (int64_t v = 0; v < total;) {
        int64_t run = std::min<int64_t>(4, total - v);
        if (run == 1 || !epilogue.narrowsRuns()) {
          Value y = epilogue.emit(b, loc, accOf(v / vectors, v % vectors),
                                  cols[v % vectors]);
          out = vector::TransferWriteOp::create(b, loc, y, out,
                                                ValueRange{flatAt(v)},
                                                ArrayRef<bool>{true})
                    .getResult();
          ++v;
          continue;
        }
        SmallVector<Value> wide;
        for (int64_t t = v; t < v + run; ++t)
          wide.push_back(epilogue.emitWide(
              b, loc, accOf(t / vectors, t % vectors), cols[t % vectors]));
        out = Epilogue::storeRun(b, loc, wide, out, ValueRange{flatAt(v)});
        v += run;
      }
      return {out, scratch};
    }
    for (int64_t i = 0; i < rows / rpv; ++i)
      for (int64_t j = 0; j < vectors; ++j) {
        Value y = epilogue.emit(b, loc, accOf(i, j), cols[j]);
        bool inBounds = (j + 1) * kLanes <= valid;
        out = vector::TransferWriteOp::create(
                  b, loc, y, out, ValueRange{rowIndex[i], cols[j]},
                  ArrayRef<bool>{inBounds})
                  .getResult();
      }
    return {out, scratch};
  }

  /// Every row tile of channel block `block` (`vectors` vectors, `valid`
  /// channels). `state`: the output and, with `tileFlip`, the scratch.
  SmallVector<Value> blockRows(OpBuilder &b, Value block, int64_t vectors,
                               int64_t valid, ValueRange state) const {
    auto pack = [&](std::pair<Value, Value> r) {
      SmallVector<Value> v{r.first};
      if (tileFlip)
        v.push_back(r.second);
      return v;
    };
    auto scratchOf = [&](ValueRange v) {
      return tileFlip ? v[1] : Value();
    };
    SmallVector<Value> current(state.begin(), state.end());
    int64_t fullRows = m / tileRows * tileRows;
    if (fullRows > 0)
      current = scf::ForOp::create(
                    b, loc, index(b, 0), index(b, fullRows),
                    index(b, tileRows), current,
                    [&](OpBuilder &nb, Location l, Value row0,
                        ValueRange iter) {
                      scf::YieldOp::create(
                          nb, l,
                          pack(tile(nb, row0, block, tileRows, vectors, valid,
                                    iter[0], scratchOf(iter))));
                    })
                    .getResults();
    if (m % tileRows)
      current = pack(tile(b, index(b, fullRows), block, m % tileRows, vectors,
                          valid, current[0], scratchOf(current)));
    return current;
  }

  /// The channel blocks outside the row tiles: each block's packed weights
  /// (K x 32 bytes) stay in L1 while the rows stream past, instead of
  /// streaming all the weights from L2 for every row tile (3-10% faster on
  /// the benchmarked matmuls and 1x1 convolutions). Blocks [first, end) of
  /// the ceil(N / 32).
  Value build(OpBuilder &b, Value out, int64_t first, int64_t end) const {
    SmallVector<Value> state{out};
    if (tileFlip)
      state.push_back(createEmpty(
          b, loc, {std::min(tileRows, m) * groups * group()}, b.getI8Type()));
    int64_t fullEnd = std::min(end, outChannels / kBlockCols);
    int64_t rest = outChannels % kBlockCols;
    if (fullEnd > first)
      state = scf::ForOp::create(
                  b, loc, index(b, first), index(b, fullEnd), index(b, 1),
                  state,
                  [&](OpBuilder &nb, Location l, Value block,
                      ValueRange iter) {
                    scf::YieldOp::create(
                        nb, l, blockRows(nb, block, 2, kBlockCols, iter));
                  })
                  .getResults();
    if (rest > 0 && end * kBlockCols > outChannels)
      state = blockRows(b, index(b, outChannels / kBlockCols),
                        (rest + kLanes - 1) / kLanes, rest, state);
    return state[0];
  }
};

/// Chunks of at most 64 bytes covering [0, n): (offset, length).
SmallVector<std::pair<int64_t, int64_t>> byteChunks(int64_t n) {
  SmallVector<std::pair<int64_t, int64_t>> chunks;
  for (int64_t c = 0; c < n; c += 64)
    chunks.push_back({c, std::min<int64_t>(64, n - c)});
  return chunks;
}

/// The layer's input as the [M, K] matrix the kernel multiplies when it
/// needs no im2col copy: the dense input, or the 1x1 convolution's input
/// with N, H, W collapsed; null otherwise.
Value layerMatrix(OpBuilder &b, Location loc, const Layer &layer) {
  if (auto dense = dyn_cast<DenseOp>(layer.op))
    return dense.getInput();
  if (layer.pointwise)
    return tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({layer.m, layer.depth}, b.getI8Type()),
        cast<Conv2DOp>(layer.op).getInput(),
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  return {};
}

/// The [M, Kp] i8 matrix the kernel multiplies (Kp: the depth padded to the
/// ISA's group, zeros there): the dense input, the 1x1 convolution's input
/// with N, H, W collapsed, or the im2col copy of a general convolution's
/// (zero-point padded) input; with `flip`, every byte XOR 0x80 (the s8
/// value read as u8). The copies are explicit vector loops (64-byte
/// transfers): as linalg.generic they became byte loops LLVM did not
/// vectorize.
/// Whether the im2col copy of `layer` builds two rows per vector: K padded
/// to at most 32, at most 4 filter rows, no dilation along W, the two
/// pixels' taps of a filter row within 16 input bytes, OW even.
bool im2colPairs(const Layer &layer, int64_t paddedDepth) {
  auto conv = dyn_cast<Conv2DOp>(layer.op);
  if (!conv || layer.pointwise)
    return false;
  ArrayRef<int64_t> w = conv.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(conv.getType()).getShape();
  return 2 * paddedDepth <= 64 && w[1] <= 4 && conv.getDilations()[1] == 1 &&
         (conv.getStrides()[1] + w[2]) * w[3] <= 16 && out[2] % 2 == 0;
}

Value buildLhs(OpBuilder &b, Location loc, const Layer &layer, bool flip,
               int64_t paddedDepth, bool interleavePairs) {
  Type i8 = b.getI8Type();
  IndexBuilder ib{loc};
  Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
  auto flipVector = [&](OpBuilder &nb, Location l, Value v) -> Value {
    if (!flip)
      return v;
    auto type = cast<VectorType>(v.getType());
    return arith::XOrIOp::create(
        nb, l, v,
        arith::ConstantOp::create(nb, l,
                                  DenseElementsAttr::get(type, int8_t{-128})));
  };
  // Reads `len` bytes of `src` at `idx`, flips them, writes them to `dst` at
  // `dstIdx`. A length that is not a power of two moves as one masked
  // vector of the next power of two (one masked load and store; LLVM splits
  // odd-sized vectors into scalar byte and word moves).
  auto move = [&](OpBuilder &nb, Location l, Value src, ValueRange idx,
                  Value dst, ValueRange dstIdx, int64_t len) -> Value {
    if (llvm::isPowerOf2_64(len)) {
      auto type = VectorType::get({len}, i8);
      Value v = vector::TransferReadOp::create(nb, l, type, src, idx, i8Zero,
                                               ArrayRef<bool>{true});
      return vector::TransferWriteOp::create(nb, l, flipVector(nb, l, v), dst,
                                             dstIdx, ArrayRef<bool>{true})
          .getResult();
    }
    int64_t width = static_cast<int64_t>(llvm::PowerOf2Ceil(len));
    auto type = VectorType::get({width}, i8);
    Value mask = vector::ConstantMaskOp::create(
        nb, l, VectorType::get({width}, nb.getI1Type()),
        ArrayRef<int64_t>{len});
    auto minor = [&](Value t) {
      return AffineMap::getMinorIdentityMap(
          cast<RankedTensorType>(t.getType()).getRank(), 1, nb.getContext());
    };
    ArrayAttr inBounds = nb.getBoolArrayAttr({true});
    Value v = vector::TransferReadOp::create(nb, l, type, src, idx,
                                             minor(src), i8Zero, mask,
                                             inBounds);
    return vector::TransferWriteOp::create(
               nb, l, flipVector(nb, l, v), dst, dstIdx,
               AffineMapAttr::get(minor(dst)), mask, inBounds)
        .getResult();
  };
  // Zeros in columns [depth, paddedDepth) of row `row`.
  auto zeroTail = [&](OpBuilder &nb, Location l, Value dst,
                      Value row) -> Value {
    if (paddedDepth == layer.depth)
      return dst;
    auto type = VectorType::get({paddedDepth - layer.depth}, i8);
    Value zeros = arith::ConstantOp::create(
        nb, l, DenseElementsAttr::get(type, int8_t{0}));
    return vector::TransferWriteOp::create(
               nb, l, zeros, dst, ValueRange{row, ib.index(nb, layer.depth)},
               ArrayRef<bool>{true})
        .getResult();
  };
  auto matrixType = RankedTensorType::get({layer.m, paddedDepth}, i8);

  if (Value matrix = layerMatrix(b, loc, layer)) {
    if (!flip && paddedDepth == layer.depth)
      return matrix;
    if (paddedDepth == layer.depth) {
      // One flat pass in 64-byte chunks.
      int64_t total = layer.m * layer.depth;
      auto flatType = RankedTensorType::get({total}, i8);
      Value flat = tensor::CollapseShapeOp::create(
          b, loc, flatType, matrix,
          SmallVector<ReassociationIndices>{{0, 1}});
      Value dst = createEmpty(b, loc, {total}, i8);
      int64_t full = total / 64 * 64;
      if (full > 0)
        dst = scf::ForOp::create(
                  b, loc, ib.index(b, 0), ib.index(b, full), ib.index(b, 64),
                  ValueRange{dst},
                  [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
                    scf::YieldOp::create(
                        nb, l, move(nb, l, flat, i, iter[0], i, 64));
                  })
                  .getResult(0);
      if (total > full)
        dst = move(b, loc, flat, ib.index(b, full), dst, ib.index(b, full),
                   total - full);
      return tensor::ExpandShapeOp::create(
          b, loc, matrixType, dst, SmallVector<ReassociationIndices>{{0, 1}});
    }
    // Row by row, the padding columns zeroed.
    Value dst = createEmpty(b, loc, {layer.m, paddedDepth}, i8);
    return scf::ForOp::create(
               b, loc, ib.index(b, 0), ib.index(b, layer.m), ib.index(b, 1),
               ValueRange{dst},
               [&](OpBuilder &nb, Location l, Value row, ValueRange iter) {
                 Value d = iter[0];
                 for (auto [off, len] : byteChunks(layer.depth))
                   d = move(nb, l, matrix, ValueRange{row, ib.index(nb, off)},
                            d, ValueRange{row, ib.index(nb, off)}, len);
                 scf::YieldOp::create(nb, l, zeroTail(nb, l, d, row));
               })
        .getResult(0);
  }

  // im2col: row m = (n, oh, ow), column (kh, kw, c); each tap's C channels
  // are contiguous in the NHWC input and in the row.
  auto conv = cast<Conv2DOp>(layer.op);
  ArrayRef<int64_t> w = conv.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(conv.getType()).getShape();
  PaddingAttr pad = conv.getPadding();
  Value padValue = arith::ConstantOp::create(
      b, loc, getIntegerAttr(i8, conv.getInputZeroPoint().value_or(0)));
  int64_t sh = conv.getStrides()[0], sw = conv.getStrides()[1];
  int64_t dh = conv.getDilations()[0], dw = conv.getDilations()[1];
  int64_t kh = w[1], kw = w[2], c = w[3];
  // Two rows from one vector (VWW's first layer: K = 27, 3x3 stride 2 on 3
  // channels): rows m, m + 1 (output pixels ow, ow + 1) need, per filter
  // row, one window of (sw + kw) C <= 16 input bytes; the kh windows go in
  // one vector and a byte shuffle (vpermb) places them as the two rows
  // (the K padding zero), flipped: one 64-byte store instead of 2 kh masked
  // moves. The result is flat ([M * Kp] and room for the last store).
  constexpr int64_t window = 16;
  bool pairs = im2colPairs(layer, paddedDepth);
  // Extra zero-point columns on the right so that every 16-byte window
  // read stays inside the padded row.
  int64_t paddedWidth = pad.getLeft() +
                        conv.getInput().getType().getDimSize(2) +
                        pad.getRight();
  int64_t extra = 0;
  if (pairs)
    extra = std::max<int64_t>(
        0, (out[2] - 2) * sw + (window + c - 1) / c - paddedWidth);
  Value x = padWith(b, loc, conv.getInput(),
                    {0, pad.getTop(), pad.getLeft(), 0},
                    {0, pad.getBottom(), pad.getRight() + extra, 0},
                    padValue);
  // The padded input with W and C merged: a filter row's taps are one run.
  auto xType = cast<RankedTensorType>(x.getType());
  Value rowsOfX = tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get({xType.getDimSize(0), xType.getDimSize(1),
                             xType.getDimSize(2) * xType.getDimSize(3)},
                            i8),
      x, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value dst = pairs ? createEmpty(b, loc, {layer.m * paddedDepth + 64}, i8)
                    : createEmpty(b, loc, {layer.m, paddedDepth}, i8);
  auto loop = [&](OpBuilder &nb, int64_t upper, Value init,
                  function_ref<Value(OpBuilder &, Location, Value, Value)>
                      body) {
    return scf::ForOp::create(
               nb, loc, ib.index(nb, 0), ib.index(nb, upper), ib.index(nb, 1),
               ValueRange{init},
               [&](OpBuilder &nb2, Location l, Value i, ValueRange iter) {
                 scf::YieldOp::create(nb2, l, body(nb2, l, i, iter[0]));
               })
        .getResult(0);
  };
  if (pairs) {
    auto v16 = VectorType::get({window}, i8);
    auto v64 = VectorType::get({4 * window}, i8);
    SmallVector<int64_t> concat, mask;
    for (int64_t l = 0; l < 2 * window; ++l)
      concat.push_back(l);
    // Byte t of the store: row t / Kp of the pair, column k = t % Kp:
    // filter row k / (kw C), byte k % (kw C) of its run, which starts at
    // q sw C in the window of row q of the pair; 64 + t (a zero) for the K
    // padding and past the pair. `interleavePairs`: the two rows' 4-byte
    // groups alternate instead (byte 8 g + 4 q + j is row q's 4 g + j),
    // for the kernel's 8-byte broadcast of a group of both rows.
    SmallVector<int8_t> flipBytes;
    for (int64_t t = 0; t < 64; ++t) {
      int64_t q = t / paddedDepth, k = t % paddedDepth;
      if (interleavePairs) {
        q = t < 2 * paddedDepth ? (t % 8) / 4 : 2;
        k = (t / 8) * 4 + t % 4;
      }
      bool data = q < 2 && k < layer.depth;
      mask.push_back(data ? (k / (kw * c)) * window + q * sw * c +
                                k % (kw * c)
                          : 64 + t);
      flipBytes.push_back(data && flip ? int8_t{-128} : int8_t{0});
    }
    Value zeros = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(v64, int8_t{0}));
    Value flipV = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(v64, ArrayRef<int8_t>(flipBytes)));
    Value zero16 = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(v16, int8_t{0}));
    return loop(b, out[0], dst,
             [&](OpBuilder &b1, Location, Value n, Value d1) -> Value {
      return loop(b1, out[1], d1, [&](OpBuilder &b2, Location, Value oh,
                                      Value d2) -> Value {
        return scf::ForOp::create(
                   b2, loc, ib.index(b2, 0), ib.index(b2, out[2]),
                   ib.index(b2, 2), ValueRange{d2},
                   [&](OpBuilder &b3, Location l, Value ow, ValueRange it) {
          Value row = arith::AddIOp::create(
              b3, l, ib.mulIndex(b3, n, out[1]), oh);
          row = arith::AddIOp::create(b3, l, ib.mulIndex(b3, row, out[2]),
                                      ow);
          Value iy0 = ib.mulIndex(b3, oh, sh);
          Value ixc0 = ib.mulIndex(b3, ow, sw * c);
          SmallVector<Value, 4> win(4, zero16);
          for (int64_t i = 0; i < kh; ++i)
            win[i] = vector::TransferReadOp::create(
                b3, l, v16, rowsOfX,
                ValueRange{n, ib.addIndex(b3, iy0, i * dh), ixc0}, i8Zero,
                ArrayRef<bool>{true});
          Value lo = vector::ShuffleOp::create(b3, l, win[0], win[1], concat);
          Value hi = vector::ShuffleOp::create(b3, l, win[2], win[3], concat);
          SmallVector<int64_t> all;
          for (int64_t t = 0; t < 64; ++t)
            all.push_back(t);
          Value v = vector::ShuffleOp::create(b3, l, lo, hi, all);
          v = vector::ShuffleOp::create(b3, l, v, zeros, mask);
          v = arith::XOrIOp::create(b3, l, v, flipV);
          Value d = vector::TransferWriteOp::create(
                        b3, l, v, it[0],
                        ValueRange{ib.mulIndex(b3, row, paddedDepth)},
                        ArrayRef<bool>{true})
                        .getResult();
          scf::YieldOp::create(b3, l, d);
        }).getResult(0);
      });
    });
  }
  return loop(b, out[0], dst, [&](OpBuilder &b1, Location, Value n,
                                  Value d1) -> Value {
    return loop(b1, out[1], d1, [&](OpBuilder &b2, Location, Value oh,
                                    Value d2) -> Value {
      return loop(b2, out[2], d2, [&](OpBuilder &b3, Location l, Value ow,
                                      Value d3) -> Value {
        // row = (n * OH + oh) * OW + ow
        Value row = ib.addIndex(b3, ib.mulIndex(b3, n, out[1]), 0);
        row = arith::AddIOp::create(b3, l, row, oh);
        row = arith::AddIOp::create(b3, l, ib.mulIndex(b3, row, out[2]), ow);
        Value iy0 = ib.mulIndex(b3, oh, sh);
        Value ixc0 = ib.mulIndex(b3, ow, sw * c); // (ow * sw) * C
        // Without dilation along W the kw taps of a filter row are kw * C
        // contiguous bytes of the input and of the row: one copy.
        int64_t taps = dw == 1 ? kw : 1;
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; j += taps)
            for (auto [off, len] : byteChunks(taps * c))
              d3 = move(b3, l, rowsOfX,
                        ValueRange{n, ib.addIndex(b3, iy0, i * dh),
                                   ib.addIndex(b3, ixc0,
                                               j * dw * c + off)},
                        d3,
                        ValueRange{row, ib.index(b3, (i * kw + j) * c + off)},
                        len);
        return zeroTail(b3, l, d3, row);
      });
    });
  });
}

/// The least padded depth at which the VNNI kernel reads the activations
/// as s8 (Kernel::signedLhs).
constexpr int64_t kSignedLhsDepth = 256;

/// -128 times the sum of each row of the [M, Kp] s8 matrix `lhs`, as
/// tensor<M x i32>: per row one vpdpbusd of 1 (u8) and 64 activations (s8)
/// per 64 bytes, then a sum of the 16 lanes.
Value buildRowCorrection(OpBuilder &b, Location loc, Value lhs) {
  IndexBuilder ib{loc};
  auto type = cast<RankedTensorType>(lhs.getType());
  int64_t m = type.getDimSize(0), depth = type.getDimSize(1);
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  auto v64 = VectorType::get({64}, i8);
  auto v16 = VectorType::get({kLanes}, i32);
  Value ones = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(v64, int8_t{1}));
  Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
  Value scale = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(-128));
  Value out = createEmpty(b, loc, {m}, i32);
  return scf::ForOp::create(
             b, loc, ib.index(b, 0), ib.index(b, m), ib.index(b, 1),
             ValueRange{out},
             [&](OpBuilder &nb, Location l, Value row, ValueRange iter) {
               Value acc = arith::ConstantOp::create(
                   nb, l, DenseElementsAttr::get(v16, int32_t{0}));
               for (int64_t off = 0; off < depth; off += 64) {
                 Value x = vector::TransferReadOp::create(
                     nb, l, v64, lhs, ValueRange{row, ib.index(nb, off)},
                     i8Zero, ArrayRef<bool>{off + 64 <= depth});
                 acc = LLVM::CallIntrinsicOp::create(
                           nb, l, v16, nb.getStringAttr(kVpdpbusd),
                           ValueRange{acc, ones, x})
                           ->getResult(0);
               }
               Value sum = vector::ReductionOp::create(
                   nb, l, vector::CombiningKind::ADD, acc);
               Value corr = arith::MulIOp::create(nb, l, sum, scale);
               scf::YieldOp::create(
                   nb, l,
                   tensor::InsertOp::create(nb, l, corr, iter[0],
                                            ValueRange{row})
                       .getResult());
             })
      .getResult(0);
}

/// Default rows of a tile of one accumulator per row, from this depth.
constexpr int64_t kTallTileRows = 24;
constexpr int64_t kTallTileDepth = 32;

/// Replaces the layer (and its fused requantize) with the kernel; returns
/// whether the epilogue computes in the exact f32 form.
bool rewriteLayer(RewriterBase &rewriter, Layer &layer, int64_t tileRows,
                  KernelIsa isa, bool floatRequantize) {
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : layer.op;
  // Everything is created before the root (the layer's operands dominate
  // it; the requantize comes after the layer).
  rewriter.setInsertionPoint(root);
  Location loc = layer.op->getLoc();
  Type i8 = rewriter.getI8Type();

  bool vnni = isa == KernelIsa::Vnni;
  // tile-rows = 0: 12 rows (24 accumulators of 2 vectors a row) or, with
  // one vector a row, kTallTileRows.
  bool autoRows = vnni && tileRows == 0;
  if (tileRows == 0)
    tileRows = 12;
  // N = 8, 4, 2, 1 output channels: 16 / N rows per vector (VNNI; M a
  // multiple of 16 / N, the row tile too).
  int64_t rowsPerVector = 1;
  if (vnni && layer.outChannels <= kLanes / 2 &&
      kLanes % layer.outChannels == 0) {
    int64_t r = kLanes / layer.outChannels;
    if (layer.m % r == 0 && tileRows % r == 0)
      rowsPerVector = r;
  }
  int64_t n = layer.outChannels * rowsPerVector;
  // One accumulator per row (N <= 16): by default 24 rows per tile, as
  // many accumulators as two vectors of 12 rows; 1x1 112x112x32->16 11%
  // faster than with 12 rows (A/B). Not at K < 32, where the tile is
  // mostly epilogue (VWW's 48x48x8->16 layer: VWW 3% slower), nor with
  // rows sharing a vector (24 or 48 rows: no faster).
  if (autoRows && n <= kLanes && rowsPerVector == 1 &&
      layer.depth >= kTallTileDepth)
    tileRows = kTallTileRows;
  // Two rows per vector from a two-row im2col: the copy interleaves the
  // rows' 4-byte groups and the kernel broadcasts 8 bytes (lane 2j row m,
  // 2j + 1 row m + 1; the weights doubled lane by lane, the accumulator
  // permuted to row halves before the epilogue).
  bool pairLayout =
      rowsPerVector == 2 &&
      im2colPairs(layer, (layer.depth + groupOf(isa) - 1) / groupOf(isa) *
                             groupOf(isa));
  SmallVector<int64_t> weights, bias;
  for (int64_t o = 0; o < n; ++o) {
    int64_t src = pairLayout ? o / 2 : o % layer.outChannels;
    weights.append(layer.weights.begin() + src * layer.depth,
                   layer.weights.begin() + (src + 1) * layer.depth);
    if (!layer.bias.empty())
      bias.push_back(layer.bias[src]);
  }
  // Deep layers (K >= 256) read the s8 activations as they are, with u8
  // weights (w + 128, w ^ 0x80 as a byte) and the row sums' correction
  // (signedLhs): no flipped copy of the activations (the copy or per-tile
  // flip cost 2-5% of the benchmarked matmuls and 1x1 convolutions; the row
  // sums under 1%). Shallow layers keep the flip, whose copy is cheaper
  // than the sums there.
  int64_t group = groupOf(isa);
  int64_t depthPadded = (layer.depth + group - 1) / group * group;
  bool signedLhs = vnni && rowsPerVector == 1 && !pairLayout &&
                   depthPadded >= kSignedLhsDepth;
  Int8PackedWeights p =
      packInt8Weights(weights, bias, n, layer.depth, group,
                      /*compensate=*/vnni && !signedLhs);
  if (signedLhs)
    for (int16_t &w : p.packed)
      w = static_cast<int8_t>(static_cast<uint8_t>(w) ^ 0x80);
  // K padded with zeros (the weights there are 0 as well; 128 with
  // signedLhs, against zero activations).
  int64_t paddedDepth = p.groups * p.group;
  // VNNI reads the s8 activations as u8 (x ^ 0x80). A dense or 1x1 layer
  // with at most 3 channel blocks flips each row tile into an L1 scratch
  // just before its reduction (no pass over the whole input through L2:
  // 10-15% faster on the benchmarked 1x1 convolutions with 16 and 24
  // channels); with more blocks the tile would be flipped once per block,
  // so one flipped copy is made up front (as im2col does while copying).
  bool tileFlip = vnni && !signedLhs && p.blocks <= 3;
  Value lhs;
  if (tileFlip)
    lhs = layerMatrix(rewriter, loc, layer);
  tileFlip = static_cast<bool>(lhs);
  if (tileFlip && paddedDepth == layer.depth)
    lhs = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({layer.m * layer.depth}, i8), lhs,
        SmallVector<ReassociationIndices>{{0, 1}});
  if (!lhs)
    lhs = buildLhs(rewriter, loc, layer, /*flip=*/vnni && !signedLhs,
                   paddedDepth, pairLayout);
  Value rowCorrection;
  if (signedLhs)
    rowCorrection = buildRowCorrection(rewriter, loc, lhs);
  auto packedShape = {p.blocks, p.groups, kBlockCols * p.group};
  Value packed;
  if (isa == KernelIsa::Avx2) {
    packed = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(
            RankedTensorType::get(packedShape, rewriter.getI16Type()),
            ArrayRef<int16_t>(p.packed)));
  } else {
    SmallVector<int8_t> bytes(p.packed.begin(), p.packed.end());
    packed = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get(packedShape, i8),
                               ArrayRef<int8_t>(bytes)));
  }
  auto biasType = RankedTensorType::get(
      {static_cast<int64_t>(p.bias.size())}, rewriter.getI32Type());
  Value biasT = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(biasType, ArrayRef<int32_t>(p.bias)));

  // The f32 form where it is proven, per 32-channel block: the blocks
  // with an unproven channel use the integer form.
  SmallVector<AccumulatorRange> ranges =
      accumulatorRanges(layer.weights, layer.bias, layer.outChannels);
  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     p.blocks * kBlockCols, ranges, floatRequantize && vnni,
                     rowsPerVector > 1 ? layer.outChannels : 0,
                     /*partial=*/rowsPerVector == 1)
          : Epilogue();
  std::optional<Epilogue> fixed;
  if (epilogue.isPartial())
    fixed.emplace(rewriter, layer.requantize.getLoc(), layer.requantize,
                  p.blocks * kBlockCols, ranges, /*floatForm=*/false);
  Type outElement = epilogue.resultElement(rewriter);
  // Whole rows of 16 or 32 i8 results, one block: the tile's results are
  // contiguous and narrowed 4 vectors at a time (1x1 layers with 16 or 32
  // output channels: half their work is the epilogue at small K).
  bool flatRows = rowsPerVector > 1 ||
                  (vnni && epilogue.narrowsRuns() && !epilogue.isPartial() &&
                   (n == kLanes || n == 2 * kLanes));
  Value out =
      flatRows ? createEmpty(rewriter, loc, {layer.m * layer.outChannels},
                             outElement)
               : createEmpty(rewriter, loc, {layer.m, layer.outChannels},
                             outElement);
  auto kernelWith = [&](const Epilogue &e) {
    return Kernel{{loc},    lhs,      packed,      biasT,
                  layer.m,  p.groups, n,           tileRows,
                  isa,      e,        tileFlip,    layer.depth,
                  rowsPerVector, pairLayout, signedLhs, rowCorrection,
                  flatRows};
  };
  // Runs of blocks with the same epilogue, in order.
  Value result = out;
  for (int64_t first = 0; first < p.blocks;) {
    bool exact = epilogue.exactFor(first * kBlockCols,
                                   (first + 1) * kBlockCols);
    int64_t end = first + 1;
    while (end < p.blocks &&
           epilogue.exactFor(end * kBlockCols, (end + 1) * kBlockCols) ==
               exact)
      ++end;
    result = kernelWith(exact ? epilogue : *fixed)
                 .build(rewriter, result, first, end);
    first = end;
  }
  if (flatRows)
    result = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({layer.m, layer.outChannels}, outElement),
        result, SmallVector<ReassociationIndices>{{0, 1}});

  replaceWithMatrixResult(rewriter, root, layer.op, result, layer.isConv);
  return epilogue.isFloatForm();
}

struct LowerInt8KernelsPass
    : qnn::impl::LowerInt8KernelsBase<LowerInt8KernelsPass> {
  using LowerInt8KernelsBase::LowerInt8KernelsBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    LowerInt8KernelsBase::getDependentDialects(registry);
    // One-shot bufferization of the kernels' transfer_read/write on tensors
    // and buffer deallocation around their intrinsic calls.
    vector::registerBufferizableOpInterfaceExternalModels(registry);
    registerCallIntrinsicEffects(registry);
  }

  void runOnOperation() override {
    std::optional<KernelIsa> kernelIsa =
        llvm::StringSwitch<std::optional<KernelIsa>>(isaName)
            .Case("avx512vnni", KernelIsa::Vnni)
            .Case("avx2", KernelIsa::Avx2)
            .Case("vector", KernelIsa::Vector)
            .Default(std::nullopt);
    if (!kernelIsa) {
      getOperation().emitError("lower-int8-kernels: isa must be avx512vnni, "
                               "avx2 or vector, got '")
          << isaName << "'";
      return signalPassFailure();
    }
    // 0: the ISA's default: 12 x 2 zmm accumulators (of 32 registers) for
    // VNNI (chosen per layer in rewriteLayer), 3 x 4 ymm (of 16) for AVX2.
    int64_t rows = tileRows;
    if (rows == 0 && *kernelIsa != KernelIsa::Vnni)
      rows = *kernelIsa == KernelIsa::Avx2 ? 3 : 8;
    if (rows < 0 || rows > 12) {
      getOperation().emitError("lower-int8-kernels: tile-rows must be in "
                               "[0, 12] (0: automatic), got ")
          << static_cast<int64_t>(tileRows);
      return signalPassFailure();
    }
    if (depthwisePixels < 1 || depthwisePixels > 16) {
      getOperation().emitError("lower-int8-kernels: depthwise-pixels must be "
                               "in [1, 16], got ")
          << static_cast<int64_t>(depthwisePixels);
      return signalPassFailure();
    }
    SmallVector<Operation *> candidates;
    SmallVector<TransposeOp> transposes;
    getOperation().walk([&](Operation *op) {
      if (isa<DenseOp, Conv2DOp>(op))
        candidates.push_back(op);
      if (auto t = dyn_cast<TransposeOp>(op); t && inputQuantize)
        transposes.push_back(t);
    });
    IRRewriter rewriter(&getContext());
    for (TransposeOp t : transposes)
      numInputQuantize += lowerInputQuantize(rewriter, t, *kernelIsa);
    for (Operation *op : candidates) {
      if (auto conv = dyn_cast<Conv2DOp>(op); conv && depthwise) {
        FailureOr<LoweredLayer> lowered =
            lowerDepthwise(rewriter, conv, fuseRequantize, depthwisePixels,
                           *kernelIsa, floatRequantize);
        if (succeeded(lowered)) {
          ++numKernels;
          ++numDepthwise;
          numFused += lowered->fused;
          numFloatRequantize += lowered->floatForm;
          continue;
        }
      }
      FailureOr<Layer> layer =
          isa<DenseOp>(op) ? matchDense(cast<DenseOp>(op))
                           : matchConv(cast<Conv2DOp>(op), im2col);
      if (failed(layer))
        continue;
      if (fuseRequantize)
        layer->requantize = matchRequantize(op);
      numFloatRequantize +=
          rewriteLayer(rewriter, *layer, rows, *kernelIsa, floatRequantize);
      ++numKernels;
      if (layer->requantize)
        ++numFused;
    }
  }
};

} // namespace
