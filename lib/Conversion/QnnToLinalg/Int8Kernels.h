//===- Int8Kernels.h - Shared pieces of the int8 CPU kernels ----*- C++ -*-===//
//
// Part of quant-opt. Private to lib/Conversion/QnnToLinalg: what the dense /
// conv kernels (Int8Kernels.cpp) and the depthwise kernel
// (Int8Depthwise.cpp) of --lower-int8-kernels share: the instruction sets,
// the operand checks, and the fused requantize epilogue (Int8Epilogue.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef QNN_LIB_CONVERSION_QNNTOLINALG_INT8KERNELS_H
#define QNN_LIB_CONVERSION_QNNTOLINALG_INT8KERNELS_H

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

namespace qnn::int8 {

constexpr int64_t kLanes = 16;      // i32 lanes of a zmm register
constexpr int64_t kBlockCols = 32;  // output channels per packed block
constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr const char *kVpdpbusd = "llvm.x86.avx512.vpdpbusd.512";
constexpr const char *kVpdpwssd = "llvm.x86.avx512.vpdpwssd.512";
constexpr const char *kPmaddwd256 = "llvm.x86.avx2.pmadd.wd";
// The exact float requantization (AVX-512F, embedded rounding).
constexpr const char *kFmaddRounded = "llvm.x86.avx512.vfmadd.ps.512";
constexpr const char *kCvtRounded = "llvm.x86.avx512.mask.cvtps2dq.512";
constexpr const char *kMaxPs = "llvm.x86.avx512.max.ps.512";
constexpr const char *kMinPs = "llvm.x86.avx512.min.ps.512";
constexpr const char *kPmovsDb = "llvm.x86.avx512.mask.pmovs.db.512";
constexpr const char *kPmovsDw = "llvm.x86.avx512.mask.pmovs.dw.512";
constexpr const char *kPackssDw = "llvm.x86.avx512.packssdw.512";
constexpr const char *kPackssWb = "llvm.x86.avx512.packsswb.512";

/// The instruction set the kernels are written for.
enum class KernelIsa {
  /// vpdpbusd (dense/conv) and vpdpwssd (depthwise) on zmm registers.
  Vnni,
  /// vpmaddwd on ymm registers: s16 x s16 pairs, no saturation.
  Avx2,
  /// Portable vector arithmetic (sign extension, muli, addi on i32).
  Vector,
};

/// Consecutive reduction elements per accumulator lane and step of the
/// dense/conv kernel: 4 (vpdpbusd), 2 (vpmaddwd), 1 (vector).
int64_t groupOf(KernelIsa isa);

/// A statically shaped tensor of signless i8.
bool isSignlessI8Tensor(mlir::Type type);

/// The op's first result is a statically shaped tensor of signless i32.
bool isI32Result(mlir::Operation *op);

/// The sign-extended elements of a constant of signless `width`-bit integers.
mlir::FailureOr<llvm::SmallVector<int64_t>> readIntConstant(mlir::Value v,
                                                            unsigned width);

/// The qnn.requantize the kernel can compute in its epilogue: the only user
/// of the layer's result, reading the channel axis (or one multiplier and one
/// clamp pair), with a signless 8/16/32-bit result.
RequantizeOp matchRequantize(mlir::Operation *layer);

/// The values an int32 accumulator of one output channel can take: bias +
/// sum_k w[k] x[k] over every i8 x (the padding holds an i8 as well).
struct AccumulatorRange {
  int64_t min = 0, max = 0;
};

/// The range of each of `channels` output channels, for weights laid out
/// [channels][taps] and the bias (empty: 0).
llvm::SmallVector<AccumulatorRange>
accumulatorRanges(llvm::ArrayRef<int64_t> weights,
                  llvm::ArrayRef<int64_t> bias, int64_t channels);


/// A per-channel parameter of the epilogue: a splat constant when every
/// channel has the same value, else a constant table read at the tile's
/// channel offset. Parameters of the 64-bit part come as two 8-lane halves
/// (`halves`): the even and the odd channels of a 16-channel vector, each
/// table indexed by channel / 2.
struct LaneParam {
  mlir::Value splat, table;
  mlir::VectorType type;
  bool halves = false;

  mlir::Value at(mlir::OpBuilder &b, mlir::Location loc,
                 mlir::Value channel) const {
    if (splat)
      return splat;
    mlir::Value zero = mlir::arith::ConstantOp::create(
        b, loc, b.getZeroAttr(type.getElementType()));
    mlir::Value index = channel;
    if (halves)
      index = mlir::arith::DivUIOp::create(
          b, loc, channel, mlir::arith::ConstantIndexOp::create(b, loc, 2));
    return mlir::vector::TransferReadOp::create(b, loc, type, table,
                                          mlir::ValueRange{index}, zero,
                                          llvm::ArrayRef<bool>{true});
  }
};

class Epilogue {
public:
  /// The i32 accumulators are stored as they are.
  Epilogue() = default;

  /// Prepares the constants of `rq` for `channels` (padded) output channels;
  /// they are created at the builder's insertion point. With `floatForm`
  /// (AVX-512 targets) and the accumulator range of every real channel,
  /// the fixed-point forms are computed in f32 where qnn::
  /// planFloatRequantize proves that exact for every accumulator of the
  /// range (docs/Numerics.md), else in integers.
  /// With `channelPeriod` P > 0, lane c holds channel c % P (the packed
  /// pixels of the depthwise kernel).
  /// With `partial`, the f32 form is kept when only some channels have a
  /// proven plan: the others get a placeholder (their results are wrong
  /// in this form) and floatChannels says which; the caller computes them
  /// with an integer-form epilogue instead.
  Epilogue(mlir::OpBuilder &b, mlir::Location loc, RequantizeOp rq,
           int64_t channels, llvm::ArrayRef<AccumulatorRange> ranges = {},
           bool floatForm = false, int64_t channelPeriod = 0,
           bool partial = false);

  /// The epilogue computes in the exact f32 form.
  bool isFloatForm() const { return kind == Kind::FloatExact; }

  /// Whether this epilogue is exact for channels [begin, end) (those past
  /// the real channels do not count): false only for a partial f32 form
  /// with an unproven channel there.
  bool exactFor(int64_t begin, int64_t end) const {
    for (int64_t c = begin; c < end && c < static_cast<int64_t>(
                                               unproven.size());
         ++c)
      if (unproven[c])
        return false;
    return true;
  }

  /// A partial f32 form: some channel has no proven plan.
  bool isPartial() const { return llvm::is_contained(unproven, true); }

  mlir::Type resultElement(mlir::Builder &b) const {
    return kind == Kind::Store ? b.getI32Type() : outElement;
  }

  /// The epilogue of the accumulators `acc` of channels [channel, +16).
  mlir::Value emit(mlir::OpBuilder &b, mlir::Location loc, mlir::Value acc,
                   mlir::Value channel) const;

  /// Whether emitWide and narrowRun apply: the exact f32 form with an i8
  /// result.
  bool narrowsRuns() const;

  /// emit without the final narrowing: 16 x i32 whose saturation to i8 is
  /// the result (narrowsRuns only).
  mlir::Value emitWide(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value acc, mlir::Value channel) const;

  /// Writes the i8 results of 2 to 4 emitWide vectors one after the other
  /// into `dest` (a tensor of i8) from `indices` (the innermost dimension
  /// contiguous): two saturating packs and one 32-bit permute (4 shuffle
  /// micro-ops for 4 vectors instead of 8 for four vpmovsdb), one store
  /// (masked for 3 vectors). Returns the updated tensor.
  static mlir::Value storeRun(mlir::OpBuilder &b, mlir::Location loc,
                              llvm::ArrayRef<mlir::Value> wide,
                              mlir::Value dest, mlir::ValueRange indices);

private:
  enum class Kind { Store, Fixed, Float, FloatExact };
  Kind kind = Kind::Store;
  mlir::Type outElement;
  int64_t izp = 0, ozp = 0;
  bool saturateV = false, needsDivide = false, needsSaturation = false,
       wideClamp = false;
  // RoundingDivideByPOT folded into the 64-bit rounding shift (no i32
  // division step): `add` and `shift` include it, `negLimit` and `corr`
  // give its sign term.
  bool fuseDivide = false;
  // [0]: even channels, [1]: odd channels (8 lanes each).
  LaneParam m0[2], add[2], shift[2], negLimit[2], corr[2];
  LaneParam mask, threshold, right, lo, hi, scale;
  // FloatExact: the f32 plan per channel (qnn::FloatRequantize), the clamp
  // bounds as f32 in lo / hi.
  LaneParam mulHigh, mulLow, addNonNegative, addNegative, negativeBelow;
  bool split = false;
  int64_t period = 0;
  // Every clamp is the result type's range and every f32 result fits int32:
  // the saturating narrow (vpmovsdb / vpmovsdw) is the clamp.
  bool clampByNarrow = false;

  // Partial f32 form: the real channels without a proven plan.
  llvm::SmallVector<bool> unproven;

  /// Tries the exact f32 form; false leaves the epilogue unchanged.
  bool planFloat(mlir::OpBuilder &b, mlir::Location loc, RequantizeOp rq,
                 int64_t channels, llvm::ArrayRef<AccumulatorRange> ranges,
                 bool partial);
};


/// Index arithmetic of the kernel builders (constants folded where the
/// offset is 0 or the factor 1).
struct IndexBuilder {
  mlir::Location loc;

  mlir::Value index(mlir::OpBuilder &b, int64_t v) const {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value addIndex(mlir::OpBuilder &b, mlir::Value x, int64_t v) const {
    if (v == 0)
      return x;
    return mlir::arith::AddIOp::create(b, loc, x, index(b, v));
  }
  mlir::Value mulIndex(mlir::OpBuilder &b, mlir::Value x, int64_t v) const {
    if (v == 1)
      return x;
    return mlir::arith::MulIOp::create(b, loc, x, index(b, v));
  }
};

/// Lowers `op` to the channel-vectorized depthwise kernel (Int8Depthwise.cpp)
/// when it is an integer depthwise convolution with constant weights, fusing
/// the following qnn.requantize when `fuseRequantize` and it can (in the
/// exact f32 form when `floatRequantize`, VNNI only). Failure: `op` is not
/// such a convolution (nothing changed).
/// What lowering one layer did.
struct LoweredLayer {
  bool fused = false;     // a following qnn.requantize went into the kernel
  bool floatForm = false; // its epilogue computes in the exact f32 form
};

/// Lowers `op`, a transpose NCHW -> NHWC of an f32 tensor with at most 4
/// channels quantized per tensor to i8 (quant.qcast, quant.scast), to one
/// vector kernel that quantizes and interleaves (Int8InputQuantize.cpp;
/// the conversion as vcvtps2dq on avx512vnni);
/// false: nothing changed.
bool lowerInputQuantize(mlir::RewriterBase &rewriter, TransposeOp op,
                        KernelIsa isa);

mlir::FailureOr<LoweredLayer> lowerDepthwise(mlir::RewriterBase &rewriter,
                                             Conv2DOp op, bool fuseRequantize,
                                             int64_t pixels, KernelIsa isa,
                                             bool floatRequantize);

} // namespace qnn::int8

#endif // QNN_LIB_CONVERSION_QNNTOLINALG_INT8KERNELS_H
