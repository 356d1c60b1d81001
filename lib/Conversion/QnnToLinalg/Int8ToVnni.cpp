//===- Int8ToVnni.cpp - Integer dense/conv2d to AVX-512 VNNI kernels -------===//
//
// Part of quant-opt. The integer (I) form of qnn.dense and of groups = 1
// qnn.conv2d (s8 activations, constant s8 weights, constant i32 bias)
// becomes a register-tiled micro-kernel on tensors whose multiply-accumulate
// is `llvm.x86.avx512.vpdpbusd.512` (u8 x s8 -> i32, wrapping):
//
//   out[m, o] = bias'[o] + sum_k4 vpdpbusd(x[m, 4k4 .. 4k4+3] ^ 0x80,
//                                          packed[o / 32][k4][o % 32][0..3])
//   bias'[o]  = bias[o] - 128 * sum_k w[o, k]                  (mod 2^32)
//
// which equals bias[o] + sum_k x[m, k] * w[o, k] in i32 two's complement for
// every input (x ^ 0x80 = x + 128 read as u8). A following qnn.requantize
// is computed on the accumulators in registers (the tile's epilogue) with
// the arithmetic of RequantizePatterns.cpp on 16 lanes: the 64-bit product
// v * m0 on the even and the odd lanes in place (vpmuldq, no shuffles), the
// rest in i32 (the float form in f64). The lane layout assumes a
// little-endian target (x86 is the only one with vpdpbusd).
//
// Loop structure (all bounds static; tails are specialised copies):
//
//   for m0 in [0, M - M % R) step R:          // R = tile-rows
//     for b in [0, O / 32):  tile(m0, R rows, block b, 2 vectors)
//     O % 32 != 0:           tile(m0, R rows, last block, 1-2 vectors,
//                                 masked store of a partial vector)
//   M % R != 0: the same for the last M % R rows
//
//   tile: acc[i][j] = bias'[32b + 16j .. +16]  (i < rows, j < vectors)
//         for k4 in [0, K4):
//           w[j] = packed[b][k4][64j .. 64j + 63]             (vector<64xi8>)
//           for i: a = broadcast(x[m0 + i][4k4 .. 4k4 + 3] as i32 ^ 0x80808080)
//                  for j: acc[i][j] = vpdpbusd(acc[i][j], a, w[j])
//         for i, j: out[m0 + i][32b + 16j ..] = epilogue(acc[i][j])
//
//===----------------------------------------------------------------------===//

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

#include <limits>

namespace qnn {
#define GEN_PASS_DEF_LOWERINT8TOVNNI
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;
using namespace qnn::detail;

static constexpr int64_t kLanes = 16;      // i32 lanes of a zmm register
static constexpr int64_t kGroup = 4;       // bytes per vpdpbusd lane
static constexpr int64_t kBlockCols = 32;  // output channels per packed block
static constexpr int64_t kBlockBytes = kBlockCols * kGroup;
static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
static constexpr const char *kVpdpbusd = "llvm.x86.avx512.vpdpbusd.512";
static constexpr const char *kVpdpwssd = "llvm.x86.avx512.vpdpwssd.512";

//===----------------------------------------------------------------------===//
// Compile-time packing
//===----------------------------------------------------------------------===//

namespace qnn::detail {

VnniPackedWeights packVnniWeights(ArrayRef<int64_t> weights,
                                  ArrayRef<int64_t> bias, int64_t outChannels,
                                  int64_t depth) {
  VnniPackedWeights p;
  p.groups = (depth + kGroup - 1) / kGroup;
  p.blocks = (outChannels + kBlockCols - 1) / kBlockCols;
  p.packed.assign(p.blocks * p.groups * kBlockBytes, 0);
  p.bias.assign(p.blocks * kBlockCols, 0);
  for (int64_t o = 0; o < outChannels; ++o) {
    int64_t block = o / kBlockCols, lane = o % kBlockCols;
    int64_t sum = 0;
    for (int64_t k = 0; k < depth; ++k) {
      int64_t w = weights[o * depth + k];
      sum += w;
      p.packed[(block * p.groups + k / kGroup) * kBlockBytes + lane * kGroup +
               k % kGroup] = static_cast<int8_t>(w);
    }
    // bias - 128 * sum(w), wrapped to int32 like the accumulation itself.
    uint64_t b = static_cast<uint64_t>(bias.empty() ? 0 : bias[o]) -
                 static_cast<uint64_t>(128 * sum);
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
/// model says that the x86 dot-product intrinsics the kernels call are pure
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
        name.starts_with("llvm.x86.avx512.vpdpwssd"))
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

bool isSignlessI8Tensor(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && t.hasStaticShape() && t.getElementType().isSignlessInteger(8);
}

/// The sign-extended elements of a constant of signless `width`-bit integers.
FailureOr<SmallVector<int64_t>> readIntConstant(Value v, unsigned width) {
  DenseIntElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)) ||
      !attr.getElementType().isSignlessInteger(width))
    return failure();
  SmallVector<int64_t> values;
  values.reserve(attr.getNumElements());
  for (const APInt &a : attr.getValues<APInt>())
    values.push_back(a.getSExtValue());
  return values;
}

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

bool isI32Result(Operation *op) {
  auto t = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return t && t.hasStaticShape() && t.getElementType().isSignlessInteger(32);
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

/// The qnn.requantize the kernel can compute in its epilogue: the only user
/// of the layer's result, reading the channel axis (or one multiplier and one
/// clamp pair), with a signless 8/16/32-bit result.
RequantizeOp matchRequantize(Operation *layer) {
  Value result = layer->getResult(0);
  if (!result.hasOneUse())
    return {};
  auto rq = dyn_cast<RequantizeOp>(*result.getUsers().begin());
  if (!rq)
    return {};
  auto type = cast<RankedTensorType>(rq.getType());
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  if (!type.getElementType().isSignlessInteger() ||
      (width != 8 && width != 16 && width != 32))
    return {};
  int64_t rank = type.getRank();
  bool perTensor = rq.getNumMultipliers() == 1 && rq.getClamp().size() == 2;
  if (!perTensor && static_cast<int64_t>(rq.getAxis()) != rank - 1)
    return {};
  return rq;
}

//===----------------------------------------------------------------------===//
// The epilogue: qnn.requantize on vector<16xi32>
//===----------------------------------------------------------------------===//

/// A per-channel parameter of the epilogue: a splat constant when every
/// channel has the same value, else a constant table read at the tile's
/// channel offset. Parameters of the 64-bit part come as two 8-lane halves
/// (`halves`): the even and the odd channels of a 16-channel vector, each
/// table indexed by channel / 2.
struct LaneParam {
  Value splat, table;
  VectorType type;
  bool halves = false;

  Value at(OpBuilder &b, Location loc, Value channel) const {
    if (splat)
      return splat;
    Value zero = arith::ConstantOp::create(
        b, loc, b.getZeroAttr(type.getElementType()));
    Value index = channel;
    if (halves)
      index = arith::DivUIOp::create(
          b, loc, channel, arith::ConstantIndexOp::create(b, loc, 2));
    return vector::TransferReadOp::create(b, loc, type, table,
                                          ValueRange{index}, zero,
                                          ArrayRef<bool>{true});
  }
};

template <typename T>
LaneParam makeParam(OpBuilder &b, Location loc, ArrayRef<T> values,
                    Type element, int64_t lanes = kLanes) {
  LaneParam p;
  p.type = VectorType::get({lanes}, element);
  p.halves = lanes != kLanes;
  bool uniform = llvm::all_equal(values);
  if (uniform) {
    p.splat = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(p.type, values.front()));
  } else {
    auto tableType =
        RankedTensorType::get({static_cast<int64_t>(values.size())}, element);
    p.table = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(tableType, values));
  }
  return p;
}

/// The even (`parity` 0) or odd (1) entries of per-channel `values`.
template <typename T>
SmallVector<T> channelHalf(ArrayRef<T> values, int64_t parity) {
  SmallVector<T> half;
  for (size_t i = static_cast<size_t>(parity); i < values.size(); i += 2)
    half.push_back(values[i]);
  return half;
}

class Epilogue {
public:
  /// The i32 accumulators are stored as they are.
  Epilogue() = default;

  /// Prepares the constants of `rq` for `channels` (padded) output channels;
  /// they are created at the builder's insertion point.
  Epilogue(OpBuilder &b, Location loc, RequantizeOp rq, int64_t channels);

  Type resultElement(Builder &b) const {
    return kind == Kind::Store ? b.getI32Type() : outElement;
  }

  /// The epilogue of the accumulators `acc` of channels [channel, +16).
  Value emit(OpBuilder &b, Location loc, Value acc, Value channel) const;

private:
  enum class Kind { Store, Fixed, Float };
  Kind kind = Kind::Store;
  Type outElement;
  int64_t izp = 0, ozp = 0;
  bool saturateV = false, needsDivide = false, needsSaturation = false,
       wideClamp = false;
  // [0]: even channels, [1]: odd channels (8 lanes each).
  LaneParam m0[2], add[2], shift[2];
  LaneParam mask, threshold, right, lo, hi, scale;
};

Epilogue::Epilogue(OpBuilder &b, Location loc, RequantizeOp rq,
                   int64_t channels) {
  outElement = cast<RankedTensorType>(rq.getType()).getElementType();
  izp = rq.getInputZeroPoint();
  ozp = rq.getOutputZeroPoint();
  // The input is i32: v = x - izp leaves int32 only with a nonzero izp.
  saturateV = izp != 0;
  ArrayRef<int64_t> clamp = rq.getClamp();
  int64_t pairs = clamp.size() / 2;
  // Per padded channel c: the value of channel c, or of channel 0 for a
  // single value (and for the padding channels, whose results are never
  // stored).
  auto lane = [&](int64_t count, auto get) {
    using T = decltype(get(0));
    SmallVector<T> values;
    for (int64_t c = 0; c < channels; ++c)
      values.push_back(get(count == 1 || c >= count ? 0 : c));
    return values;
  };
  SmallVector<int64_t> loValues = lane(pairs, [&](int64_t c) {
    return clamp[2 * c];
  });
  SmallVector<int64_t> hiValues = lane(pairs, [&](int64_t c) {
    return clamp[2 * c + 1];
  });
  int64_t numMultipliers = rq.getNumMultipliers();

  if (std::optional<ArrayRef<double>> scales = rq.getScale()) {
    kind = Kind::Float;
    SmallVector<double> s =
        lane(numMultipliers, [&](int64_t c) { return (*scales)[c]; });
    scale = makeParam<double>(b, loc, s, b.getF64Type());
    SmallVector<double> loF, hiF;
    for (auto [l, h] : llvm::zip_equal(loValues, hiValues)) {
      loF.push_back(static_cast<double>(l));
      hiF.push_back(static_cast<double>(h));
    }
    lo = makeParam<double>(b, loc, loF, b.getF64Type());
    hi = makeParam<double>(b, loc, hiF, b.getF64Type());
    return;
  }

  kind = Kind::Fixed;
  FixedPointConstants fixed =
      getFixedPointConstants(rq.getFixedPointAttr(), rq.getRounding());
  needsDivide = fixed.needsDivide;
  needsSaturation = fixed.needsSaturation;
  auto pick = [&](const SmallVector<int64_t> &values) {
    return lane(numMultipliers, [&](int64_t c) { return values[c]; });
  };
  SmallVector<int32_t> m032, mask32, threshold32, right32;
  for (int64_t v : pick(fixed.m0))
    m032.push_back(static_cast<int32_t>(v));
  for (int64_t r : pick(fixed.right)) {
    int64_t m = (int64_t{1} << r) - 1;
    right32.push_back(static_cast<int32_t>(r));
    mask32.push_back(static_cast<int32_t>(m));
    threshold32.push_back(static_cast<int32_t>(m >> 1));
  }
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  SmallVector<int64_t> addValues = pick(fixed.add);
  SmallVector<int64_t> shiftValues = pick(fixed.shift);
  for (int64_t parity : {0, 1}) {
    m0[parity] = makeParam<int32_t>(
        b, loc, channelHalf<int32_t>(m032, parity), i32, kLanes / 2);
    add[parity] = makeParam<int64_t>(
        b, loc, channelHalf<int64_t>(addValues, parity), i64, kLanes / 2);
    shift[parity] = makeParam<int64_t>(
        b, loc, channelHalf<int64_t>(shiftValues, parity), i64, kLanes / 2);
  }
  if (needsDivide) {
    mask = makeParam<int32_t>(b, loc, mask32, i32);
    threshold = makeParam<int32_t>(b, loc, threshold32, i32);
    right = makeParam<int32_t>(b, loc, right32, i32);
  }
  // clamp(t + ozp, lo, hi) = clamp(t, lo - ozp, hi - ozp) + ozp for the
  // int32 t, in i32 when both shifted bounds fit.
  SmallVector<int32_t> lo32, hi32;
  for (auto [l, h] : llvm::zip_equal(loValues, hiValues)) {
    int64_t sl = l - ozp, sh = h - ozp;
    wideClamp |= sl < kInt32Min || sl > kInt32Max || sh < kInt32Min ||
                 sh > kInt32Max;
    lo32.push_back(static_cast<int32_t>(sl));
    hi32.push_back(static_cast<int32_t>(sh));
  }
  if (wideClamp) {
    lo = makeParam<int64_t>(b, loc, loValues, i64);
    hi = makeParam<int64_t>(b, loc, hiValues, i64);
  } else {
    lo = makeParam<int32_t>(b, loc, lo32, i32);
    hi = makeParam<int32_t>(b, loc, hi32, i32);
  }
}

Value Epilogue::emit(OpBuilder &b, Location loc, Value acc,
                     Value channel) const {
  if (kind == Kind::Store)
    return acc;
  auto v32 = VectorType::get({kLanes}, b.getI32Type());
  auto v64 = VectorType::get({kLanes}, b.getI64Type());
  auto splat = [&](VectorType type, auto value) -> Value {
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, value));
  };
  auto clampS = [&](Value x, Value l, Value h) -> Value {
    x = arith::MaxSIOp::create(b, loc, x, l);
    return arith::MinSIOp::create(b, loc, x, h);
  };
  auto narrow = [&](Value y) -> Value {
    auto type = VectorType::get({kLanes}, outElement);
    if (cast<VectorType>(y.getType()) == type)
      return y;
    return arith::TruncIOp::create(b, loc, type, y);
  };

  if (kind == Kind::Float) {
    // round_half_away(M * v) in f64, as RequantizePatterns.cpp.
    Value v = arith::ExtSIOp::create(b, loc, v64, acc);
    if (izp != 0)
      v = arith::SubIOp::create(b, loc, v, splat(v64, izp));
    auto f64 = VectorType::get({kLanes}, b.getF64Type());
    Value vf = arith::SIToFPOp::create(b, loc, f64, v);
    Value product =
        arith::MulFOp::create(b, loc, vf, scale.at(b, loc, channel));
    Value r = math::RoundOp::create(b, loc, product);
    Value yf = arith::AddFOp::create(b, loc, r,
                                     splat(f64, static_cast<double>(ozp)));
    yf = arith::MaximumFOp::create(b, loc, yf, lo.at(b, loc, channel));
    yf = arith::MinimumFOp::create(b, loc, yf, hi.at(b, loc, channel));
    return narrow(arith::FPToSIOp::create(b, loc, v64, yf));
  }

  // t = (v * m0 + add) >> shift in 64 bits (|v * m0| < 2^62, add <= 2^61),
  // on the even and the odd lanes separately: the accumulators seen as
  // 8 x i64 hold channel 2i in the low and 2i + 1 in the high half of lane
  // i, so sign-extending in place ((a << 32) >> 32, a >> 32) gives both
  // operands of vpmuldq without any cross-lane shuffle.
  auto v8i64 = VectorType::get({kLanes / 2}, b.getI64Type());
  Value wide = vector::BitCastOp::create(b, loc, v8i64, acc);
  Value c32 = splat(v8i64, int64_t{32});
  Value halves[2] = {
      arith::ShRSIOp::create(b, loc,
                             arith::ShLIOp::create(b, loc, wide, c32), c32),
      arith::ShRSIOp::create(b, loc, wide, c32)};
  for (int64_t parity : {0, 1}) {
    Value v = halves[parity];
    if (izp != 0)
      v = arith::SubIOp::create(b, loc, v, splat(v8i64, izp));
    if (saturateV)
      v = clampS(v, splat(v8i64, kInt32Min), splat(v8i64, kInt32Max));
    Value m = arith::ExtSIOp::create(b, loc, v8i64,
                                     m0[parity].at(b, loc, channel));
    Value t = arith::MulIOp::create(b, loc, v, m);
    t = arith::AddIOp::create(b, loc, t, add[parity].at(b, loc, channel));
    t = arith::ShRSIOp::create(b, loc, t,
                               shift[parity].at(b, loc, channel));
    // Where RDBPOT divides (double rounding, shift < 0) t fits int32
    // already; saturating before the division is the same as after
    // (RDBPOT's exponent is 0 wherever the saturation can bite).
    if (needsSaturation)
      t = clampS(t, splat(v8i64, kInt32Min), splat(v8i64, kInt32Max));
    halves[parity] = t;
  }
  // Back to 16 x i32: the low half of the even result, the odd result in
  // the high half.
  Value low = arith::AndIOp::create(b, loc, halves[0],
                                    splat(v8i64, int64_t{0xffffffff}));
  Value high = arith::ShLIOp::create(b, loc, halves[1], c32);
  Value t32 = vector::BitCastOp::create(
      b, loc, v32, arith::OrIOp::create(b, loc, low, high));
  if (needsDivide) {
    // gemmlowp RoundingDivideByPOT in i32: (x >> e) + (rem > thr), with
    // rem = x & mask, thr = (mask >> 1) + (x < 0).
    Value zero = splat(v32, int32_t{0});
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           t32, zero);
    Value rem = arith::AndIOp::create(b, loc, t32, mask.at(b, loc, channel));
    Value thr = arith::AddIOp::create(
        b, loc, threshold.at(b, loc, channel),
        arith::ExtUIOp::create(b, loc, v32, negative));
    Value q = arith::ShRSIOp::create(b, loc, t32, right.at(b, loc, channel));
    Value up = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, rem,
                                     thr);
    t32 = arith::AddIOp::create(b, loc, q,
                                arith::ExtUIOp::create(b, loc, v32, up));
  }
  if (wideClamp) {
    Value y = arith::ExtSIOp::create(b, loc, v64, t32);
    y = arith::AddIOp::create(b, loc, y, splat(v64, ozp));
    y = clampS(y, lo.at(b, loc, channel), hi.at(b, loc, channel));
    return narrow(y);
  }
  Value y = clampS(t32, lo.at(b, loc, channel), hi.at(b, loc, channel));
  if (ozp != 0)
    y = arith::AddIOp::create(b, loc, y,
                              splat(v32, static_cast<int32_t>(ozp)));
  return narrow(y);
}

//===----------------------------------------------------------------------===//
// The kernel
//===----------------------------------------------------------------------===//

struct Kernel {
  Location loc;
  Value lhs;     // tensor<M x Kp x i8>
  Value packed;  // tensor<blocks x groups x 128 x i8>
  Value bias;    // tensor<blocks*32 x i32>
  int64_t m, groups, outChannels, tileRows;
  const Epilogue &epilogue;

  Value index(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value addIndex(OpBuilder &b, Value x, int64_t v) const {
    if (v == 0)
      return x;
    return arith::AddIOp::create(b, loc, x, index(b, v));
  }

  /// One register tile: `rows` rows from `row0`, `vectors` 16-channel
  /// vectors of packed block `block`, of which the first `valid` channels
  /// exist. Returns `out` with the tile written.
  Value tile(OpBuilder &b, Value row0, Value block, int64_t rows,
             int64_t vectors, int64_t valid, Value out) const {
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    auto v64i8 = VectorType::get({kLanes * kGroup}, b.getI8Type());
    auto v4i8 = VectorType::get({kGroup}, b.getI8Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    Value i32Zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    Value col0 = arith::MulIOp::create(b, loc, block, index(b, kBlockCols));
    SmallVector<Value> cols;
    for (int64_t j = 0; j < vectors; ++j)
      cols.push_back(addIndex(b, col0, j * kLanes));
    SmallVector<Value> init;
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < vectors; ++j)
        init.push_back(vector::TransferReadOp::create(
            b, loc, v32, bias, ValueRange{cols[j]}, i32Zero,
            ArrayRef<bool>{true}));
    SmallVector<Value> rowIndex;
    for (int64_t i = 0; i < rows; ++i)
      rowIndex.push_back(addIndex(b, row0, i));

    auto loop = scf::ForOp::create(
        b, loc, index(b, 0), index(b, groups), index(b, 1), init,
        [&](OpBuilder &nb, Location l, Value k4, ValueRange accs) {
          SmallVector<Value> w;
          for (int64_t j = 0; j < vectors; ++j)
            w.push_back(vector::TransferReadOp::create(
                nb, l, v64i8, packed,
                ValueRange{block, k4, index(nb, j * kLanes * kGroup)},
                i8Zero, ArrayRef<bool>{true}));
          Value k = arith::MulIOp::create(nb, l, k4, index(nb, kGroup));
          Value flip = arith::ConstantOp::create(
              nb, l, nb.getI32IntegerAttr(static_cast<int32_t>(0x80808080u)));
          SmallVector<Value> next;
          for (int64_t i = 0; i < rows; ++i) {
            // The 4 activation bytes of row i as one i32, read as u8.
            Value bytes = vector::TransferReadOp::create(
                nb, l, v4i8, lhs, ValueRange{rowIndex[i], k}, i8Zero,
                ArrayRef<bool>{true});
            Value word = vector::BitCastOp::create(
                nb, l, VectorType::get({1}, nb.getI32Type()), bytes);
            Value scalar = vector::ExtractOp::create(nb, l, word,
                                                     ArrayRef<int64_t>{0});
            scalar = arith::XOrIOp::create(nb, l, scalar, flip);
            Value a = vector::BroadcastOp::create(nb, l, v32, scalar);
            a = vector::BitCastOp::create(nb, l, v64i8, a);
            for (int64_t j = 0; j < vectors; ++j) {
              auto call = LLVM::CallIntrinsicOp::create(
                  nb, l, v32, nb.getStringAttr(kVpdpbusd),
                  ValueRange{accs[i * vectors + j], a, w[j]});
              next.push_back(call->getResult(0));
            }
          }
          scf::YieldOp::create(nb, l, next);
        });

    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < vectors; ++j) {
        Value y = epilogue.emit(b, loc, loop.getResult(i * vectors + j),
                                cols[j]);
        bool inBounds = (j + 1) * kLanes <= valid;
        out = vector::TransferWriteOp::create(
                  b, loc, y, out, ValueRange{rowIndex[i], cols[j]},
                  ArrayRef<bool>{inBounds})
                  .getResult();
      }
    return out;
  }

  /// Every channel block of `rows` rows from `row0`.
  Value rowBlock(OpBuilder &b, Value row0, int64_t rows, Value out) const {
    int64_t fullBlocks = outChannels / kBlockCols;
    int64_t rest = outChannels % kBlockCols;
    if (fullBlocks > 0)
      out = scf::ForOp::create(
                b, loc, index(b, 0), index(b, fullBlocks), index(b, 1),
                ValueRange{out},
                [&](OpBuilder &nb, Location l, Value block, ValueRange iter) {
                  Value r = tile(nb, row0, block, rows, 2, kBlockCols,
                                 iter[0]);
                  scf::YieldOp::create(nb, l, r);
                })
                .getResult(0);
    if (rest > 0)
      out = tile(b, row0, index(b, fullBlocks), rows,
                 (rest + kLanes - 1) / kLanes, rest, out);
    return out;
  }

  Value build(OpBuilder &b, Value out) const {
    int64_t fullRows = m / tileRows * tileRows;
    if (fullRows > 0)
      out = scf::ForOp::create(
                b, loc, index(b, 0), index(b, fullRows), index(b, tileRows),
                ValueRange{out},
                [&](OpBuilder &nb, Location l, Value row0, ValueRange iter) {
                  scf::YieldOp::create(
                      nb, l, rowBlock(nb, row0, tileRows, iter[0]));
                })
                .getResult(0);
    if (m % tileRows)
      out = rowBlock(b, index(b, fullRows), m % tileRows, out);
    return out;
  }
};

/// The [M, depth] i8 matrix the kernel multiplies: the dense input, the
/// 1x1 convolution's input with N, H, W collapsed, or the im2col copy of a
/// general convolution's (zero-point padded) input.
Value buildLhs(OpBuilder &b, Location loc, const Layer &layer) {
  if (auto dense = dyn_cast<DenseOp>(layer.op))
    return dense.getInput();
  auto conv = cast<Conv2DOp>(layer.op);
  Value input = conv.getInput();
  auto inType = cast<RankedTensorType>(input.getType());
  Type i8 = inType.getElementType();
  if (layer.pointwise)
    return tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({layer.m, layer.depth}, i8), input,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});

  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> w = conv.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(conv.getType()).getShape();
  PaddingAttr pad = conv.getPadding();
  Value padValue = arith::ConstantOp::create(
      b, loc, getIntegerAttr(i8, conv.getInputZeroPoint().value_or(0)));
  Value x = padWith(b, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                    {0, pad.getBottom(), pad.getRight(), 0}, padValue);
  int64_t sh = conv.getStrides()[0], sw = conv.getStrides()[1];
  int64_t dh = conv.getDilations()[0], dw = conv.getDilations()[1];
  SmallVector<int64_t> colsShape = {out[0], out[1], out[2], w[1], w[2], w[3]};
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Dimensions: 0 n, 1 oh, 2 ow, 3 kh, 4 kw, 5 c.
  AffineMap xMap = AffineMap::get(
      6, 0, {d(0), d(1) * sh + d(3) * dh, d(2) * sw + d(4) * dw, d(5)}, ctx);
  Value init = createEmpty(b, loc, colsShape, i8);
  Value cols =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{x}, ValueRange{init},
          ArrayRef<AffineMap>{xMap, b.getMultiDimIdentityMap(6)},
          iterators(6),
          [](OpBuilder &nb, Location l, ValueRange args) {
            linalg::YieldOp::create(nb, l, args[0]);
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({layer.m, layer.depth}, i8), cols,
      SmallVector<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// Replaces the layer (and its fused requantize) with the kernel.
void rewriteLayer(RewriterBase &rewriter, Layer &layer,
                  int64_t tileRows) {
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : layer.op;
  // Everything is created before the root (the layer's operands dominate
  // it; the requantize comes after the layer).
  rewriter.setInsertionPoint(root);
  Location loc = layer.op->getLoc();
  Type i8 = rewriter.getI8Type();

  VnniPackedWeights p = packVnniWeights(layer.weights, layer.bias,
                                        layer.outChannels, layer.depth);
  Value lhs = buildLhs(rewriter, loc, layer);
  int64_t paddedDepth = p.groups * kGroup;
  if (paddedDepth != layer.depth) {
    // K padded with zeros (the weights there are 0 as well).
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getI8IntegerAttr(0));
    lhs = padWith(rewriter, loc, lhs, {0, 0}, {0, paddedDepth - layer.depth},
                  zero);
  }
  auto packedType =
      RankedTensorType::get({p.blocks, p.groups, kBlockBytes}, i8);
  Value packed = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(packedType, ArrayRef<int8_t>(p.packed)));
  auto biasType = RankedTensorType::get(
      {static_cast<int64_t>(p.bias.size())}, rewriter.getI32Type());
  Value bias = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(biasType, ArrayRef<int32_t>(p.bias)));

  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     p.blocks * kBlockCols)
          : Epilogue();
  Type outElement = epilogue.resultElement(rewriter);
  Value out = createEmpty(rewriter, loc, {layer.m, layer.outChannels},
                          outElement);
  Kernel kernel{loc,          lhs,      packed, bias,
                layer.m,      p.groups, layer.outChannels,
                tileRows,     epilogue};
  Value result = kernel.build(rewriter, out);

  auto rootType = cast<RankedTensorType>(root->getResult(0).getType());
  if (layer.isConv)
    result = tensor::ExpandShapeOp::create(
        rewriter, loc, rootType, result,
        SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
  rewriter.replaceOp(root, result);
  if (layer.requantize)
    rewriter.eraseOp(layer.op);
}

//===----------------------------------------------------------------------===//
// Depthwise convolutions
//===----------------------------------------------------------------------===//
//
// The integer form of a depthwise qnn.conv2d (groups = C = O, filter
// [C, KH, KW, 1], any stride, padding and dilation) is vectorized over the
// channels, 16 per vector<16xi32> accumulator (a depthwise tap has no
// reduction over channels: no vpdpbusd). The input is padded
// with input_zero_point (the I-form padding, docs/Numerics.md) and its
// channels with zeros to a multiple of 16, so every read is in bounds; the
// weights are repacked at compile time to [KH*KW][Cpad] (zeros past C):
//
//   for n, for channel block c (16 channels; the tail block a static copy):
//     wv[t] = sext(wpack[t][c .. c+16])                 (KH*KW registers)
//     for oh:
//       for ow0 step R (the last OW % R pixels: a static copy):
//         acc[r] = bias[c .. c+16]                      (r < R)
//         for kh, for each input column j = r*sw + kw*dw (loaded once):
//           xv = sext(xp[n][oh*sh + kh*dh][ow0*sw + j][c .. c+16])
//           acc[r] += xv * wv[kh*KW + kw]               (every r, kw at j)
//             (one vpdpwssd on x, w as 32 x i16, w's high halves 0)
//         out[n][oh][ow0 + r][c .. c+16] = epilogue(acc[r])  (masked tail)
//
// i32 wrap-around makes the sum independent of its order: bit-exact with
// the generic lowering.


struct DepthwiseLayer {
  Conv2DOp op;
  int64_t n = 0, h = 0, w = 0, c = 0, kh = 0, kw = 0, oh = 0, ow = 0;
  SmallVector<int64_t> weights; // [C][KH][KW]
  SmallVector<int64_t> bias;    // [C] or empty
  RequantizeOp requantize;
};

FailureOr<DepthwiseLayer> matchDepthwise(Conv2DOp op) {
  if (!isSignlessI8Tensor(op.getInput().getType()) || !isI32Result(op) ||
      (op.getActivation() &&
       op.getActivation()->getKind() != ActivationKind::None))
    return failure();
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> f = op.getFilter().getType().getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(op.getType()).getShape();
  int64_t groups = op.getGroups();
  if (groups <= 1 || in[3] != groups || f[0] != groups || f[3] != 1 ||
      out[3] != groups)
    return failure();
  DepthwiseLayer layer;
  layer.op = op;
  layer.n = in[0];
  layer.h = in[1];
  layer.w = in[2];
  layer.c = in[3];
  layer.kh = f[1];
  layer.kw = f[2];
  layer.oh = out[1];
  layer.ow = out[2];
  FailureOr<SmallVector<int64_t>> w = readIntConstant(op.getFilter(), 8);
  if (failed(w))
    return failure();
  layer.weights = std::move(*w);
  if (Value bias = op.getBias()) {
    FailureOr<SmallVector<int64_t>> b = readIntConstant(bias, 32);
    if (failed(b))
      return failure();
    layer.bias = std::move(*b);
  }
  return layer;
}

struct DepthwiseKernel {
  Location loc;
  Value input;   // tensor<N x Hp x Wp x Cpad x i8>, zero-point padded
  Value weights; // tensor<KH*KW x Cpad x i8>
  Value bias;    // tensor<Cpad x i32>
  int64_t kh, kw, sh, sw, dh, dw, oh, ow, c, pixels;
  bool dot; // acc + x * w with vpdpwssd instead of muli + addi
  const Epilogue &epilogue;

  /// acc + x * w (i32, wrapping) for the sign-extended x and w. With `dot`
  /// one vpdpwssd (AVX-512 VNNI, s16 x s16 pairs -> i32, no saturation) on
  /// x and w as 32 x i16, w's high halves 0 (prepared in `block`): lane i is
  /// acc + x_lo * w_lo + x_hi * 0, exact since |x w| <= 2^14.
  Value multiplyAdd(OpBuilder &b, Value acc, Value x, Value w) const {
    if (!dot)
      return arith::AddIOp::create(b, loc, acc,
                                   arith::MulIOp::create(b, loc, x, w));
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    auto v32i16 = VectorType::get({2 * kLanes}, b.getI16Type());
    return LLVM::CallIntrinsicOp::create(
               b, loc, v32, b.getStringAttr(kVpdpwssd),
               ValueRange{acc, vector::BitCastOp::create(b, loc, v32i16, x),
                          vector::BitCastOp::create(b, loc, v32i16, w)})
        ->getResult(0);
  }

  Value index(OpBuilder &b, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value addIndex(OpBuilder &b, Value x, int64_t v) const {
    if (v == 0)
      return x;
    return arith::AddIOp::create(b, loc, x, index(b, v));
  }
  Value mulIndex(OpBuilder &b, Value x, int64_t v) const {
    if (v == 1)
      return x;
    return arith::MulIOp::create(b, loc, x, index(b, v));
  }

  /// `rows` output pixels from (n, y, x0), channels [ch, +16) of which
  /// `valid` exist.
  Value tile(OpBuilder &b, Value n, Value y, Value x0, Value ch,
             ArrayRef<Value> wv, Value biasV, int64_t rows, int64_t valid,
             Value out) const {
    auto v16i8 = VectorType::get({kLanes}, b.getI8Type());
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    SmallVector<Value> acc(rows, biasV);
    Value iy0 = mulIndex(b, y, sh);
    Value ix0 = mulIndex(b, x0, sw);
    int64_t span = (rows - 1) * sw + (kw - 1) * dw + 1;
    for (int64_t i = 0; i < kh; ++i) {
      Value iy = addIndex(b, iy0, i * dh);
      for (int64_t j = 0; j < span; ++j) {
        Value xv;
        for (int64_t r = 0; r < rows; ++r) {
          int64_t off = j - r * sw;
          if (off < 0 || off % dw != 0 || off / dw >= kw)
            continue;
          if (!xv) {
            Value read = vector::TransferReadOp::create(
                b, loc, v16i8, input,
                ValueRange{n, iy, addIndex(b, ix0, j), ch}, i8Zero,
                ArrayRef<bool>{true});
            xv = arith::ExtSIOp::create(b, loc, v32, read);
          }
          acc[r] = multiplyAdd(b, acc[r], xv, wv[i * kw + off / dw]);
        }
      }
    }
    bool inBounds = valid == kLanes;
    for (int64_t r = 0; r < rows; ++r) {
      Value v = epilogue.emit(b, loc, acc[r], ch);
      out = vector::TransferWriteOp::create(
                b, loc, v, out, ValueRange{n, y, addIndex(b, x0, r), ch},
                ArrayRef<bool>{inBounds})
                .getResult();
    }
    return out;
  }

  /// Every output pixel of image `n` for the channels [ch, +16).
  Value block(OpBuilder &b, Value n, Value ch, int64_t valid,
              Value out) const {
    auto v16i8 = VectorType::get({kLanes}, b.getI8Type());
    auto v32 = VectorType::get({kLanes}, b.getI32Type());
    Value i8Zero = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    Value i32Zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    SmallVector<Value> wv;
    for (int64_t t = 0; t < kh * kw; ++t) {
      Value read = vector::TransferReadOp::create(
          b, loc, v16i8, weights, ValueRange{index(b, t), ch}, i8Zero,
          ArrayRef<bool>{true});
      Value w = arith::ExtSIOp::create(b, loc, v32, read);
      if (dot) {
        // vpdpwssd operand: the i16 weight in the low half of each i32
        // lane, 0 in the high half (x's high half is its sign).
        w = arith::AndIOp::create(
            b, loc, w,
            arith::ConstantOp::create(
                b, loc, DenseElementsAttr::get(v32, int32_t{0xffff})));
      }
      wv.push_back(w);
    }
    Value biasV = vector::TransferReadOp::create(
        b, loc, v32, bias, ValueRange{ch}, i32Zero, ArrayRef<bool>{true});
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, oh), index(b, 1), ValueRange{out},
               [&](OpBuilder &nb, Location l, Value y, ValueRange iter) {
                 Value o = iter[0];
                 int64_t full = ow / pixels * pixels;
                 if (full > 0)
                   o = scf::ForOp::create(
                           nb, l, index(nb, 0), index(nb, full),
                           index(nb, pixels), ValueRange{o},
                           [&](OpBuilder &nb2, Location l2, Value x0,
                               ValueRange iter2) {
                             scf::YieldOp::create(
                                 nb2, l2,
                                 tile(nb2, n, y, x0, ch, wv, biasV, pixels,
                                      valid, iter2[0]));
                           })
                           .getResult(0);
                 if (ow % pixels)
                   o = tile(nb, n, y, index(nb, full), ch, wv, biasV,
                            ow % pixels, valid, o);
                 scf::YieldOp::create(nb, l, o);
               })
        .getResult(0);
  }

  Value build(OpBuilder &b, int64_t batch, Value out) const {
    return scf::ForOp::create(
               b, loc, index(b, 0), index(b, batch), index(b, 1),
               ValueRange{out},
               [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
                 Value o = iter[0];
                 int64_t fullBlocks = c / kLanes;
                 if (fullBlocks > 0)
                   o = scf::ForOp::create(
                           nb, l, index(nb, 0), index(nb, fullBlocks * kLanes),
                           index(nb, kLanes), ValueRange{o},
                           [&](OpBuilder &nb2, Location l2, Value ch,
                               ValueRange iter2) {
                             scf::YieldOp::create(
                                 nb2, l2, block(nb2, n, ch, kLanes, iter2[0]));
                           })
                           .getResult(0);
                 if (c % kLanes)
                   o = block(nb, n, index(nb, fullBlocks * kLanes),
                             c % kLanes, o);
                 scf::YieldOp::create(nb, l, o);
               })
        .getResult(0);
  }
};

void rewriteDepthwise(RewriterBase &rewriter, DepthwiseLayer &layer,
                      int64_t pixels, bool dot) {
  Conv2DOp conv = layer.op;
  Operation *root = layer.requantize ? layer.requantize.getOperation()
                                     : conv.getOperation();
  rewriter.setInsertionPoint(root);
  Location loc = conv.getLoc();
  Type i8 = rewriter.getI8Type();
  int64_t cpad = (layer.c + kLanes - 1) / kLanes * kLanes;
  int64_t taps = layer.kh * layer.kw;

  SmallVector<int8_t> packed(taps * cpad, 0);
  for (int64_t ch = 0; ch < layer.c; ++ch)
    for (int64_t t = 0; t < taps; ++t)
      packed[t * cpad + ch] = static_cast<int8_t>(layer.weights[ch * taps + t]);
  SmallVector<int32_t> bias(cpad, 0);
  for (int64_t ch = 0; ch < static_cast<int64_t>(layer.bias.size()); ++ch)
    bias[ch] = static_cast<int32_t>(layer.bias[ch]);
  Value weights = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({taps, cpad}, i8),
                             ArrayRef<int8_t>(packed)));
  Value biasT = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({cpad}, rewriter.getI32Type()),
          ArrayRef<int32_t>(bias)));

  Epilogue epilogue =
      layer.requantize
          ? Epilogue(rewriter, layer.requantize.getLoc(), layer.requantize,
                     cpad)
          : Epilogue();
  Type outElement = epilogue.resultElement(rewriter);
  Value out = createEmpty(rewriter, loc,
                          {layer.n, layer.oh, layer.ow, layer.c}, outElement);

  // Spatial padding with the input zero point (real zero), channels to a
  // multiple of 16 (their weights are 0 and their results never stored).
  PaddingAttr pad = conv.getPadding();
  Value padValue = arith::ConstantOp::create(
      rewriter, loc, getIntegerAttr(i8, conv.getInputZeroPoint().value_or(0)));
  Value input = conv.getInput();
  if (pad.getTop() || pad.getLeft() || pad.getBottom() || pad.getRight() ||
      cpad != layer.c)
    input = padWith(rewriter, loc, input, {0, pad.getTop(), pad.getLeft(), 0},
                    {0, pad.getBottom(), pad.getRight(), cpad - layer.c},
                    padValue);

  DepthwiseKernel kernel{loc,
                         input,
                         weights,
                         biasT,
                         layer.kh,
                         layer.kw,
                         static_cast<int64_t>(conv.getStrides()[0]),
                         static_cast<int64_t>(conv.getStrides()[1]),
                         static_cast<int64_t>(conv.getDilations()[0]),
                         static_cast<int64_t>(conv.getDilations()[1]),
                         layer.oh,
                         layer.ow,
                         layer.c,
                         pixels,
                         dot,
                         epilogue};
  Value result = kernel.build(rewriter, layer.n, out);
  rewriter.replaceOp(root, result);
  if (layer.requantize)
    rewriter.eraseOp(conv);
}



struct LowerInt8ToVnniPass
    : qnn::impl::LowerInt8ToVnniBase<LowerInt8ToVnniPass> {
  using LowerInt8ToVnniBase::LowerInt8ToVnniBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    LowerInt8ToVnniBase::getDependentDialects(registry);
    // One-shot bufferization of the kernels' transfer_read/write on tensors
    // and buffer deallocation around their intrinsic calls.
    vector::registerBufferizableOpInterfaceExternalModels(registry);
    registerCallIntrinsicEffects(registry);
  }

  void runOnOperation() override {
    if (tileRows < 1 || tileRows > 12) {
      getOperation().emitError("lower-int8-to-vnni: tile-rows must be in "
                               "[1, 12], got ")
          << static_cast<int64_t>(tileRows);
      return signalPassFailure();
    }
    if (depthwisePixels < 1 || depthwisePixels > 16) {
      getOperation().emitError("lower-int8-to-vnni: depthwise-pixels must be "
                               "in [1, 16], got ")
          << static_cast<int64_t>(depthwisePixels);
      return signalPassFailure();
    }
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<DenseOp, Conv2DOp>(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : candidates) {
      if (auto conv = dyn_cast<Conv2DOp>(op); conv && depthwise) {
        FailureOr<DepthwiseLayer> dw = matchDepthwise(conv);
        if (succeeded(dw)) {
          if (fuseRequantize)
            dw->requantize = matchRequantize(op);
          rewriteDepthwise(rewriter, *dw, depthwisePixels, depthwiseDot);
          ++numKernels;
          ++numDepthwise;
          if (dw->requantize)
            ++numFused;
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
      rewriteLayer(rewriter, *layer, tileRows);
      ++numKernels;
      if (layer->requantize)
        ++numFused;
    }
  }
};

} // namespace
