//===- IntegerInterpreter.cpp - Plain C++ reference of the I-level program -===//
//
// Part of quant-opt. See IntegerInterpreter.h and docs/Reference.md.
//
// Structure: create() walks the entry function once and turns every live op
// into a Step, a closure over plain C++ data (shapes, strides, multipliers,
// prepared weights) that reads its operands from a Frame and writes its
// results into it. No MLIR object is touched after create(). Steps whose
// operands are all constants run once in create() and become constants.
//
// The arithmetic below is written from docs/Numerics.md and the op
// descriptions of QnnOps.td only; it does not use lib/Conversion nor
// qnn/Dialect/Qnn/Utils/FixedPoint.h.
//
//===----------------------------------------------------------------------===//

#include "qnn/Reference/IntegerInterpreter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <gemmlowp/fixedpoint/fixedpoint.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>

using namespace mlir;
using namespace qnn;
using namespace qnn::reference;

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

llvm::StringRef qnn::reference::getElementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "float32";
  case ElementKind::I8:
    return "int8";
  case ElementKind::U8:
    return "uint8";
  case ElementKind::I16:
    return "int16";
  case ElementKind::I32:
    return "int32";
  case ElementKind::I64:
    return "int64";
  }
  return "?";
}

static int64_t product(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static std::string describeShape(ElementKind kind,
                                 llvm::ArrayRef<int64_t> shape) {
  std::string s = getElementKindName(kind).str() + "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

int64_t Tensor::numElements() const { return product(shape); }
std::string Tensor::describe() const { return describeShape(kind, shape); }

Tensor Tensor::makeFloat(llvm::ArrayRef<int64_t> shape,
                         std::vector<float> values) {
  Tensor t;
  t.kind = ElementKind::F32;
  t.shape.assign(shape.begin(), shape.end());
  t.floats = std::move(values);
  return t;
}

Tensor Tensor::makeInt(ElementKind kind, llvm::ArrayRef<int64_t> shape,
                       std::vector<int64_t> values) {
  Tensor t;
  t.kind = kind;
  t.shape.assign(shape.begin(), shape.end());
  t.ints = std::move(values);
  return t;
}

int64_t TensorSignature::numElements() const { return product(shape); }
std::string TensorSignature::describe() const {
  return describeShape(kind, shape);
}

//===----------------------------------------------------------------------===//
// Program representation
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

/// The elements of one value: `floats` for f32, `ints` for every integer or
/// quantized (stored integer) type.
struct Buffer {
  std::vector<int64_t> ints;
  std::vector<float> floats;
};

template <typename T> std::vector<T> &vec(Buffer &b);
template <> std::vector<int64_t> &vec<int64_t>(Buffer &b) { return b.ints; }
template <> std::vector<float> &vec<float>(Buffer &b) { return b.floats; }
template <typename T> const std::vector<T> &vec(const Buffer &b) {
  return vec<T>(const_cast<Buffer &>(b));
}

/// Where a value lives: in the program's constants or in a run's slots.
struct ValueRef {
  bool isConst = false;
  unsigned index = 0;
};

/// The values of one run, seen by the step being executed: its operands
/// by reference, its results by position.
class Frame {
public:
  Frame(const std::vector<Buffer> &constants, std::vector<Buffer> &slots)
      : constants(constants), slots(slots) {}
  const Buffer &in(ValueRef ref) const {
    return ref.isConst ? constants[ref.index] : slots[ref.index];
  }
  /// Result `i` of the current step.
  Buffer &out(unsigned i = 0) { return slots[results[i]]; }
  void setResults(llvm::ArrayRef<unsigned> r) { results = r; }

private:
  const std::vector<Buffer> &constants;
  std::vector<Buffer> &slots;
  llvm::ArrayRef<unsigned> results;
};

using StepFn = std::function<llvm::Error(Frame &)>;

struct Step {
  std::string what; // "'qnn.conv2d' at loc(\"conv1\")"
  std::vector<ValueRef> operands;
  std::vector<unsigned> results;
  StepFn fn;
  /// Slots whose last reader is this step (freed after it).
  std::vector<unsigned> release;
};

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message.str());
}

/// The integer or float view of an element type.
struct ElemInfo {
  enum Kind { Float, Int, Quant } kind = Float;
  unsigned bits = 0;
  bool isUnsigned = false;
  /// Range of the stored integers (the storage range for quantized types,
  /// narrow ranges included).
  int64_t min = 0, max = 0;
  quant::QuantizedType qtype;

  bool isInteger() const { return kind != Float; }
  bool fits(int64_t v) const { return v >= min && v <= max; }
};

std::optional<ElemInfo> getElemInfo(Type type) {
  ElemInfo info;
  if (type.isF32()) {
    info.kind = ElemInfo::Float;
    return info;
  }
  if (auto q = dyn_cast<quant::QuantizedType>(type)) {
    auto storage = dyn_cast<IntegerType>(q.getStorageType());
    if (!storage || storage.getWidth() > 32)
      return std::nullopt;
    info.kind = ElemInfo::Quant;
    info.bits = storage.getWidth();
    info.isUnsigned = !q.isSigned();
    info.min = q.getStorageTypeMin();
    info.max = q.getStorageTypeMax();
    info.qtype = q;
    return info;
  }
  if (auto i = dyn_cast<IntegerType>(type)) {
    unsigned w = i.getWidth();
    if (w < 2 || w > 64 || (i.isUnsigned() && w > 32))
      return std::nullopt;
    info.kind = ElemInfo::Int;
    info.bits = w;
    info.isUnsigned = i.isUnsigned();
    if (info.isUnsigned) {
      info.min = 0;
      info.max = (int64_t(1) << w) - 1;
    } else {
      info.min = w == 64 ? std::numeric_limits<int64_t>::min()
                         : -(int64_t(1) << (w - 1));
      info.max = w == 64 ? std::numeric_limits<int64_t>::max()
                         : (int64_t(1) << (w - 1)) - 1;
    }
    return info;
  }
  return std::nullopt;
}

std::string describeOp(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op->getName() << "' at ";
  op->getLoc().print(os);
  return s;
}

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

llvm::Error opError(Operation *op, const llvm::Twine &message) {
  return error(describeOp(op) + ": " + message);
}

llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

std::string formatReal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

int64_t saturate32(int64_t v) { return std::clamp(v, kInt32Min, kInt32Max); }

//===----------------------------------------------------------------------===//
// Kernels: plain loops on plain data
//===----------------------------------------------------------------------===//

/// out[i] = in[sum_d i_d * srcStrides[d]] over the row-major index i of
/// `outShape` (transpose, broadcasting).
template <typename T>
void gatherStrided(const T *in, T *out, llvm::ArrayRef<int64_t> outShape,
                   llvm::ArrayRef<int64_t> srcStrides) {
  int64_t total = product(outShape);
  if (total == 0)
    return;
  int64_t rank = outShape.size();
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  llvm::SmallVector<int64_t> idx(rank, 0);
  int64_t offset = 0;
  int64_t last = outShape[rank - 1], lastStride = srcStrides[rank - 1];
  for (int64_t i = 0; i < total; i += last) {
    for (int64_t k = 0; k < last; ++k)
      out[i + k] = in[offset + k * lastStride];
    for (int64_t d = rank - 2; d >= 0; --d) {
      ++idx[d];
      offset += srcStrides[d];
      if (idx[d] < outShape[d])
        break;
      offset -= srcStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/// Source strides of a NumPy broadcast of `shape` to `outShape` (aligned at
/// the right; stride 0 along broadcast dimensions).
llvm::SmallVector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> shape,
                                            llvm::ArrayRef<int64_t> outShape) {
  llvm::SmallVector<int64_t> strides = stridesOf(shape);
  llvm::SmallVector<int64_t> result(outShape.size(), 0);
  int64_t offset = int64_t(outShape.size()) - int64_t(shape.size());
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    result[d + offset] = shape[d] == 1 ? 0 : strides[d];
  return result;
}

/// Double rounding (TFLite / gemmlowp) of docs/Numerics.md, with gemmlowp's
/// own primitives; v already saturated to int32.
int64_t requantizeDouble(int32_t v, int32_t m0, int shift) {
  if (shift > 0) {
    int64_t shifted = int64_t(v) * (int64_t(1) << shift); // exact: < 2^62
    if (shifted >= kInt32Min && shifted <= kInt32Max)
      return gemmlowp::SaturatingRoundingDoublingHighMul(
          static_cast<int32_t>(shifted), m0);
    // TFLite's int32 shift would overflow: the same formula, exactly, then
    // saturated (docs/Numerics.md). floor((a*b + 2^30) / 2^31).
    __int128 p = static_cast<__int128>(shifted) * m0 + (int64_t(1) << 30);
    return saturate32(static_cast<int64_t>(p >> 31));
  }
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(v, m0), -shift);
}

/// Single rounding (TOSA SINGLE_ROUND): (v*m0 + 2^(30-shift)) >> (31-shift)
/// in 64 bits, saturated to int32.
int64_t requantizeSingle(int32_t v, int32_t m0, int shift) {
  int64_t t = (int64_t(v) * m0 + (int64_t(1) << (30 - shift))) >> (31 - shift);
  return saturate32(t);
}

/// Half away from zero: s / d with d > 0, in integers.
int64_t divRoundHalfAway(int64_t s, int64_t d) {
  return s >= 0 ? (s + d / 2) / d : -((-s + d / 2) / d);
}

//===----------------------------------------------------------------------===//
// Convolution and dense
//===----------------------------------------------------------------------===//

struct ConvGeometry {
  int64_t N, H, W, C, O, KH, KW, Cg, Og, G, OH, OW;
  int64_t sh, sw, dh, dw, top, left, bottom, right;
  int64_t Hp() const { return H + top + bottom; }
  int64_t Wp() const { return W + left + right; }
};

/// Prepared weights of a convolution: the filter as int32, as given
/// ([O][KH][KW][Cg]) or transposed to [KH][KW][O] for a depthwise
/// convolution (Cg == 1), and the bias as int32 (zeros when absent).
struct ConvWeights {
  std::vector<int32_t> filter;
  std::vector<int32_t> bias;
  bool use32 = false; // the i32 accumulator provably cannot overflow
};

/// Accumulates a convolution with accumulators of type Acc; an int64
/// accumulator is checked against the i32 range at the end.
template <typename Acc>
llvm::Error convKernel(const ConvGeometry &g, const int32_t *padded,
                       const ConvWeights &wts, int64_t *out) {
  const int64_t Hp = g.Hp(), Wp = g.Wp(), C = g.C, O = g.O;
  const int32_t *filter = wts.filter.data();
  const int32_t *bias = wts.bias.data();
  std::vector<Acc> acc(O);
  bool contiguous = g.G == 1 && g.dw == 1; // one window row is contiguous
  for (int64_t n = 0; n < g.N; ++n)
    for (int64_t oh = 0; oh < g.OH; ++oh)
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const int32_t *base =
            padded + ((n * Hp + oh * g.sh) * Wp + ow * g.sw) * C;
        for (int64_t o = 0; o < O; ++o)
          acc[o] = bias[o];
        if (g.Cg == 1) {
          // Depthwise: filter is [KH][KW][O], input channel o / Og.
          for (int64_t kh = 0; kh < g.KH; ++kh)
            for (int64_t kw = 0; kw < g.KW; ++kw) {
              const int32_t *px = base + (kh * g.dh * Wp + kw * g.dw) * C;
              const int32_t *wk = filter + (kh * g.KW + kw) * O;
              if (g.Og == 1) {
                for (int64_t o = 0; o < O; ++o)
                  acc[o] += Acc(px[o]) * Acc(wk[o]);
              } else {
                for (int64_t o = 0; o < O; ++o)
                  acc[o] += Acc(px[o / g.Og]) * Acc(wk[o]);
              }
            }
        } else {
          for (int64_t o = 0; o < O; ++o) {
            int64_t grp = o / g.Og;
            const int32_t *wo = filter + o * g.KH * g.KW * g.Cg;
            Acc a = acc[o];
            if (contiguous) {
              int64_t len = g.KW * C;
              for (int64_t kh = 0; kh < g.KH; ++kh) {
                const int32_t *row = base + kh * g.dh * Wp * C;
                const int32_t *wr = wo + kh * len;
                for (int64_t j = 0; j < len; ++j)
                  a += Acc(row[j]) * Acc(wr[j]);
              }
            } else {
              for (int64_t kh = 0; kh < g.KH; ++kh)
                for (int64_t kw = 0; kw < g.KW; ++kw) {
                  const int32_t *px = base + (kh * g.dh * Wp + kw * g.dw) * C +
                                      grp * g.Cg;
                  const int32_t *wk = wo + (kh * g.KW + kw) * g.Cg;
                  for (int64_t c = 0; c < g.Cg; ++c)
                    a += Acc(px[c]) * Acc(wk[c]);
                }
            }
            acc[o] = a;
          }
        }
        int64_t *dst = out + ((n * g.OH + oh) * g.OW + ow) * O;
        for (int64_t o = 0; o < O; ++o) {
          int64_t v = acc[o];
          if (sizeof(Acc) > 4 && (v < kInt32Min || v > kInt32Max))
            return error("the i32 accumulator overflows (" +
                         llvm::Twine(v) + " at [" + llvm::Twine(n) + ", " +
                         llvm::Twine(oh) + ", " + llvm::Twine(ow) + ", " +
                         llvm::Twine(o) + "])");
          dst[o] = v;
        }
      }
  return llvm::Error::success();
}

template <typename Acc>
llvm::Error denseKernel(int64_t N, int64_t K, int64_t O, const int32_t *x,
                        const ConvWeights &wts, int64_t *out) {
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o) {
      Acc a = wts.bias[o];
      const int32_t *xr = x + n * K;
      const int32_t *wr = wts.filter.data() + o * K;
      for (int64_t k = 0; k < K; ++k)
        a += Acc(xr[k]) * Acc(wr[k]);
      int64_t v = a;
      if (sizeof(Acc) > 4 && (v < kInt32Min || v > kInt32Max))
        return error("the i32 accumulator overflows (" + llvm::Twine(v) +
                     " at [" + llvm::Twine(n) + ", " + llvm::Twine(o) + "])");
      out[n * O + o] = v;
    }
  return llvm::Error::success();
}

/// Largest |x| over a range of integers.
int64_t maxAbs(int64_t lo, int64_t hi) {
  return std::max(lo < 0 ? -lo : lo, hi < 0 ? -hi : hi);
}

int64_t maxAbs(const std::vector<int64_t> &values) {
  int64_t m = 0;
  for (int64_t v : values)
    m = std::max(m, v < 0 ? -v : v);
  return m;
}

/// True when bias + k products of magnitude xMax * wMax stay inside int32.
bool fitsInt32(int64_t biasMax, int64_t k, int64_t xMax, int64_t wMax) {
  __int128 bound = static_cast<__int128>(k) * xMax * wMax + biasMax;
  return bound <= kInt32Max;
}

} // namespace

//===----------------------------------------------------------------------===//
// Program and builder
//===----------------------------------------------------------------------===//

struct IntegerInterpreter::Program {
  std::vector<Buffer> constants;
  unsigned numSlots = 0;
  std::vector<unsigned> argSlots;
  std::vector<ValueRef> resultRefs;
  std::vector<Step> steps;
};

namespace {

class ProgramBuilder {
public:
  explicit ProgramBuilder(IntegerInterpreter::Program &p) : p(p) {}

  llvm::Error build(func::FuncOp func);

private:
  IntegerInterpreter::Program &p;
  llvm::DenseMap<Value, ValueRef> refs;

  llvm::Expected<ValueRef> ref(Operation *op, Value v) {
    auto it = refs.find(v);
    if (it == refs.end())
      return opError(op, "uses a value defined outside the entry block");
    return it->second;
  }
  const Buffer &constant(ValueRef r) { return p.constants[r.index]; }

  /// Adds `op`'s step; runs it at once when every operand is a constant.
  llvm::Error addStep(Operation *op, llvm::ArrayRef<ValueRef> operands,
                      StepFn fn);

  llvm::Error buildOp(Operation *op);
  llvm::Error buildConstant(arith::ConstantOp op);
  llvm::Error buildQuantizeCast(quant::QuantizeCastOp op);
  llvm::Error buildDequantizeCast(quant::DequantizeCastOp op);
  llvm::Error buildStorageCast(quant::StorageCastOp op);
  llvm::Error buildTranspose(TransposeOp op);
  llvm::Error buildReshape(ReshapeOp op);
  llvm::Error buildPad(PadOp op);
  llvm::Error buildConcat(ConcatOp op);
  llvm::Error buildMaxPool(MaxPool2DOp op);
  llvm::Error buildAvgPool(AvgPool2DOp op);
  llvm::Error buildGlobalAvgPool(GlobalAvgPoolOp op);
  llvm::Error buildAdd(AddOp op);
  llvm::Error buildConv(Conv2DOp op);
  llvm::Error buildDense(DenseOp op);
  llvm::Error buildMatmul(MatmulOp op);
  llvm::Error buildRequantize(RequantizeOp op);
};

/// The static ranked tensor type and element info of `v`.
struct TypeInfo {
  RankedTensorType type;
  ElemInfo elem;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements() const { return product(shape); }
};

llvm::Expected<TypeInfo> typeInfo(Operation *op, Value v,
                                  llvm::StringRef role) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return opError(op, role + " must be a statically shaped ranked tensor, "
                              "got " +
                           typeString(v.getType()));
  std::optional<ElemInfo> elem = getElemInfo(type.getElementType());
  if (!elem)
    return opError(op, role + " has the unsupported element type " +
                           typeString(type.getElementType()) +
                           " (f32, integers, or quantized types with at most "
                           "32 storage bits)");
  TypeInfo info;
  info.type = type;
  info.elem = *elem;
  info.shape.assign(type.getShape().begin(), type.getShape().end());
  return info;
}

/// The types of a one-input op's input and result.
llvm::Expected<std::pair<TypeInfo, TypeInfo>>
inputResultTypes(Operation *op, Value input, Value result) {
  auto in = typeInfo(op, input, "the input");
  if (!in)
    return in.takeError();
  auto out = typeInfo(op, result, "the result");
  if (!out)
    return out.takeError();
  return std::make_pair(*in, *out);
}

std::optional<ElementKind> getElementKind(Type type) {
  if (type.isF32())
    return ElementKind::F32;
  bool isUnsigned = false;
  unsigned width = 0;
  if (auto q = dyn_cast<quant::QuantizedType>(type)) {
    auto storage = dyn_cast<IntegerType>(q.getStorageType());
    if (!storage)
      return std::nullopt;
    isUnsigned = !q.isSigned();
    width = storage.getWidth();
  } else if (auto i = dyn_cast<IntegerType>(type)) {
    isUnsigned = i.isUnsigned();
    width = i.getWidth();
  } else {
    return std::nullopt;
  }
  if (isUnsigned)
    return width == 8 ? std::optional(ElementKind::U8) : std::nullopt;
  switch (width) {
  case 8:
    return ElementKind::I8;
  case 16:
    return ElementKind::I16;
  case 32:
    return ElementKind::I32;
  case 64:
    return ElementKind::I64;
  default:
    return std::nullopt;
  }
}

int64_t kindMin(ElementKind k) {
  switch (k) {
  case ElementKind::I8:
    return -128;
  case ElementKind::I16:
    return -32768;
  case ElementKind::I32:
    return kInt32Min;
  case ElementKind::I64:
    return std::numeric_limits<int64_t>::min();
  default:
    return 0;
  }
}

int64_t kindMax(ElementKind k) {
  switch (k) {
  case ElementKind::I8:
    return 127;
  case ElementKind::U8:
    return 255;
  case ElementKind::I16:
    return 32767;
  case ElementKind::I32:
    return kInt32Max;
  case ElementKind::I64:
    return std::numeric_limits<int64_t>::max();
  default:
    return 0;
  }
}

llvm::Error ProgramBuilder::addStep(Operation *op,
                                    llvm::ArrayRef<ValueRef> operands,
                                    StepFn fn) {
  Step step;
  step.what = describeOp(op);
  step.operands.assign(operands.begin(), operands.end());
  step.fn = std::move(fn);
  bool foldable = llvm::all_of(operands, [](ValueRef r) { return r.isConst; });
  if (!foldable) {
    for (Value result : op->getResults()) {
      unsigned slot = p.numSlots++;
      step.results.push_back(slot);
      refs[result] = ValueRef{false, slot};
    }
    p.steps.push_back(std::move(step));
    return llvm::Error::success();
  }
  // Constant operands only (weights and their casts): evaluate now, in
  // scratch slots past the program's, and keep the results as constants.
  std::vector<Buffer> scratch(p.numSlots + op->getNumResults());
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    step.results.push_back(p.numSlots + i);
  Frame frame(p.constants, scratch);
  frame.setResults(step.results);
  if (llvm::Error err = step.fn(frame))
    return error(step.what + ": " + llvm::toString(std::move(err)));
  for (auto [i, result] : llvm::enumerate(op->getResults())) {
    p.constants.push_back(std::move(scratch[step.results[i]]));
    refs[result] = ValueRef{true, unsigned(p.constants.size() - 1)};
  }
  return llvm::Error::success();
}

llvm::Error ProgramBuilder::build(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return opError(func, "must have exactly one block");
  Block &block = func.getBody().front();
  for (BlockArgument arg : block.getArguments()) {
    unsigned slot = p.numSlots++;
    p.argSlots.push_back(slot);
    refs[arg] = ValueRef{false, slot};
  }
  auto ret = dyn_cast<func::ReturnOp>(block.getTerminator());
  if (!ret)
    return opError(block.getTerminator(),
                   "the entry function must end in func.return");

  // Liveness: only ops that contribute to a returned value are evaluated.
  llvm::DenseSet<Operation *> live;
  llvm::SmallVector<Operation *> worklist;
  auto markOperands = [&](Operation *op) {
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        if (def->getBlock() == &block && live.insert(def).second)
          worklist.push_back(def);
  };
  markOperands(ret);
  while (!worklist.empty())
    markOperands(worklist.pop_back_val());

  for (Operation &op : block.without_terminator()) {
    if (!live.contains(&op))
      continue;
    if (op.getNumRegions() != 0)
      return opError(&op, "ops with regions are not supported by the "
                          "reference interpreter");
    if (llvm::Error err = buildOp(&op))
      return err;
  }
  for (Value v : ret.getOperands()) {
    auto r = ref(ret, v);
    if (!r)
      return r.takeError();
    p.resultRefs.push_back(*r);
  }

  // Free every slot after its last reader (results and arguments too, but
  // never a returned slot).
  llvm::DenseMap<unsigned, size_t> lastUse;
  for (auto [i, step] : llvm::enumerate(p.steps))
    for (ValueRef r : step.operands)
      if (!r.isConst)
        lastUse[r.index] = i;
  llvm::DenseSet<unsigned> returned;
  for (ValueRef r : p.resultRefs)
    if (!r.isConst)
      returned.insert(r.index);
  for (auto [slot, i] : lastUse)
    if (!returned.contains(slot))
      p.steps[i].release.push_back(slot);
  return llvm::Error::success();
}

llvm::Error ProgramBuilder::buildOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](arith::ConstantOp o) { return buildConstant(o); })
      .Case([&](quant::QuantizeCastOp o) { return buildQuantizeCast(o); })
      .Case([&](quant::DequantizeCastOp o) { return buildDequantizeCast(o); })
      .Case([&](quant::StorageCastOp o) { return buildStorageCast(o); })
      .Case([&](TransposeOp o) { return buildTranspose(o); })
      .Case([&](ReshapeOp o) { return buildReshape(o); })
      .Case([&](PadOp o) { return buildPad(o); })
      .Case([&](ConcatOp o) { return buildConcat(o); })
      .Case([&](MaxPool2DOp o) { return buildMaxPool(o); })
      .Case([&](AvgPool2DOp o) { return buildAvgPool(o); })
      .Case([&](GlobalAvgPoolOp o) { return buildGlobalAvgPool(o); })
      .Case([&](AddOp o) { return buildAdd(o); })
      .Case([&](Conv2DOp o) { return buildConv(o); })
      .Case([&](DenseOp o) { return buildDense(o); })
      .Case([&](MatmulOp o) { return buildMatmul(o); })
      .Case([&](RequantizeOp o) { return buildRequantize(o); })
      .Default([&](Operation *o) {
        return opError(o, "unsupported op: the reference interpreter runs "
                          "the integer program of --quantize --fold-scales "
                          "--fixed-point-requant (see docs/Reference.md)");
      });
}

//===----------------------------------------------------------------------===//
// Constants and quant casts
//===----------------------------------------------------------------------===//

llvm::Error ProgramBuilder::buildConstant(arith::ConstantOp op) {
  auto info = typeInfo(op, op.getResult(), "the constant");
  if (!info)
    return info.takeError();
  Buffer buffer;
  int64_t n = info->numElements();
  Attribute value = op.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (info->elem.kind == ElemInfo::Float) {
      auto values = dense.getValues<float>();
      buffer.floats.assign(values.begin(), values.end());
    } else {
      buffer.ints.reserve(n);
      bool isUnsigned = info->elem.isUnsigned;
      for (const APInt &v : dense.getValues<APInt>())
        buffer.ints.push_back(isUnsigned ? int64_t(v.getZExtValue())
                                         : v.getSExtValue());
    }
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return opError(op, "the dense_resource blob '" +
                             resource.getRawHandle().getKey() +
                             "' has no data (elided or missing)");
    ArrayRef<char> data = blob->getData();
    unsigned bits = info->elem.kind == ElemInfo::Float ? 32 : info->elem.bits;
    if (bits % 8 != 0)
      return opError(op, "dense_resource elements of " + llvm::Twine(bits) +
                             " bits are not supported");
    size_t bytes = bits / 8;
    if (data.size() != size_t(n) * bytes)
      return opError(op, "the dense_resource blob holds " +
                             llvm::Twine(data.size()) + " bytes, expected " +
                             llvm::Twine(n) + " elements of " +
                             llvm::Twine(bytes) + " bytes");
    const char *raw = data.data();
    if (info->elem.kind == ElemInfo::Float) {
      buffer.floats.resize(n);
      std::memcpy(buffer.floats.data(), raw, n * sizeof(float));
    } else {
      buffer.ints.resize(n);
      bool isUnsigned = info->elem.isUnsigned;
      for (int64_t i = 0; i < n; ++i) {
        uint64_t u = 0;
        std::memcpy(&u, raw + i * bytes, bytes); // little-endian host
        int64_t v;
        if (bytes == 8 || isUnsigned)
          v = static_cast<int64_t>(u);
        else {
          unsigned shift = 64 - 8 * bytes;
          v = static_cast<int64_t>(u << shift) >> shift;
        }
        buffer.ints[i] = v;
      }
    }
  } else {
    return opError(op, "unsupported constant attribute (dense or "
                       "dense_resource elements are needed)");
  }
  if (info->elem.kind == ElemInfo::Float ? int64_t(buffer.floats.size()) != n
                                         : int64_t(buffer.ints.size()) != n)
    return opError(op, "the constant has the wrong number of elements");
  p.constants.push_back(std::move(buffer));
  refs[op.getResult()] = ValueRef{true, unsigned(p.constants.size() - 1)};
  return llvm::Error::success();
}

/// Runs `body` with T = float for an f32 element type, T = int64_t
/// otherwise.
template <typename Body> auto dispatchElem(const ElemInfo &elem, Body body) {
  return elem.kind == ElemInfo::Float ? body(float()) : body(int64_t());
}

llvm::Error ProgramBuilder::buildQuantizeCast(quant::QuantizeCastOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  auto uniform =
      dyn_cast<quant::UniformQuantizedType>(out->type.getElementType());
  if (in->elem.kind != ElemInfo::Float || !uniform)
    return opError(op, "only f32 to a per-tensor !quant.uniform type is "
                       "supported, got " +
                           typeString(in->type) + " to " +
                           typeString(out->type));
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  // q = saturate(round_half_even(x / s) + z), all in f32.
  float scale = static_cast<float>(uniform.getScale());
  float zp = static_cast<float>(uniform.getZeroPoint());
  float lo = static_cast<float>(out->elem.min);
  float hi = static_cast<float>(out->elem.max);
  ValueRef x = *src;
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<float> &in = f.in(x).floats;
    std::vector<int64_t> &q = f.out().ints;
    q.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      float v = in[i];
      if (std::isnan(v))
        return error("NaN input at element " + llvm::Twine(i));
      float t = std::nearbyint(v / scale) + zp;
      t = std::min(std::max(t, lo), hi);
      q[i] = static_cast<int64_t>(t);
    }
    return llvm::Error::success();
  });
}

llvm::Error ProgramBuilder::buildDequantizeCast(quant::DequantizeCastOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  auto uniform =
      dyn_cast<quant::UniformQuantizedType>(in->type.getElementType());
  if (out->elem.kind != ElemInfo::Float || !uniform)
    return opError(op, "only a per-tensor !quant.uniform type to f32 is "
                       "supported, got " +
                           typeString(in->type) + " to " +
                           typeString(out->type));
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  // x = (f32(q) - f32(z)) * f32(s).
  float scale = static_cast<float>(uniform.getScale());
  float zp = static_cast<float>(uniform.getZeroPoint());
  ValueRef q = *src;
  return addStep(op, {q}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &in = f.in(q).ints;
    std::vector<float> &x = f.out().floats;
    x.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i)
      x[i] = (static_cast<float>(in[i]) - zp) * scale;
    return llvm::Error::success();
  });
}

llvm::Error ProgramBuilder::buildStorageCast(quant::StorageCastOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  if (!in->elem.isInteger() || !out->elem.isInteger() ||
      in->elem.bits != out->elem.bits || in->elem.bits > 32 ||
      in->shape != out->shape)
    return opError(op, "only a reinterpretation between integers and "
                       "quantized types of the same storage and shape is "
                       "supported, got " +
                           typeString(in->type) + " to " +
                           typeString(out->type));
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  if (in->elem.isUnsigned == out->elem.isUnsigned)
    return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
      f.out().ints = f.in(x).ints;
      return llvm::Error::success();
    });
  // The storage bits are kept: between an unsigned quantized type (u8
  // storage) and a signless integer the value is read modulo 2^bits.
  int64_t modulus = int64_t(1) << in->elem.bits;
  int64_t lo = out->elem.isUnsigned ? 0 : -(modulus / 2);
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int64_t> &r = f.out().ints;
    r.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      r[i] = lo + (((a[i] - lo) % modulus) + modulus) % modulus;
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// Shape ops (any element type)
//===----------------------------------------------------------------------===//

llvm::Error ProgramBuilder::buildTranspose(TransposeOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t rank = in->shape.size();
  if (int64_t(perm.size()) != rank || int64_t(out->shape.size()) != rank)
    return opError(op, "permutation and ranks disagree");
  llvm::SmallVector<int64_t> inStrides = stridesOf(in->shape);
  llvm::SmallVector<int64_t> srcStrides(rank);
  for (int64_t d = 0; d < rank; ++d) {
    if (perm[d] < 0 || perm[d] >= rank ||
        out->shape[d] != in->shape[perm[d]])
      return opError(op, "the result shape is not the permuted input shape");
    srcStrides[d] = inStrides[perm[d]];
  }
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  llvm::SmallVector<int64_t> outShape = out->shape;
  return dispatchElem(in->elem, [&](auto tag) {
    using T = decltype(tag);
    return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
      const std::vector<T> &a = vec<T>(f.in(x));
      std::vector<T> &r = vec<T>(f.out());
      r.resize(a.size());
      gatherStrided(a.data(), r.data(), outShape, srcStrides);
      return llvm::Error::success();
    });
  });
}

llvm::Error ProgramBuilder::buildReshape(ReshapeOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  if (in->numElements() != out->numElements() ||
      in->elem.kind != out->elem.kind)
    return opError(op, "input and result must have the same element type "
                       "and number of elements");
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  return dispatchElem(in->elem, [&](auto tag) {
    using T = decltype(tag);
    return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
      vec<T>(f.out()) = vec<T>(f.in(x));
      return llvm::Error::success();
    });
  });
}

llvm::Error ProgramBuilder::buildPad(PadOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  if (in->type.getElementType() != out->type.getElementType())
    return opError(op, "input and result element types differ");
  ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
  int64_t rank = in->shape.size();
  if (rank == 0 || int64_t(low.size()) != rank ||
      int64_t(high.size()) != rank)
    return opError(op, "needs one low and one high pad per dimension");
  PadMode mode = op.getMode();
  // The padding value: f32 in the F form, the stored integer in the I form,
  // round(value / scale) + zero_point in the Q form.
  double value = op.getValue().convertToDouble();
  float floatValue = static_cast<float>(value);
  int64_t intValue = 0;
  if (in->elem.kind == ElemInfo::Int) {
    if (value != std::floor(value) || !(value >= double(in->elem.min)) ||
        !(value <= double(in->elem.max)))
      return opError(op, "the integer-form pad value " + formatReal(value) +
                             " is not an integer of the element type");
    intValue = static_cast<int64_t>(value);
  } else if (in->elem.kind == ElemInfo::Quant) {
    auto uniform = dyn_cast<quant::UniformQuantizedType>(in->elem.qtype);
    if (!uniform)
      return opError(op, "a per-axis quantized pad is not supported");
    double code = std::round(value / uniform.getScale()) +
                  double(uniform.getZeroPoint());
    if (!(code >= double(in->elem.min)) || !(code <= double(in->elem.max)))
      return opError(op, "the pad value " + formatReal(value) +
                             " is outside the storage range");
    intValue = static_cast<int64_t>(code);
  }
  // For each dimension, the source index of every result index, or -1 for
  // the constant value.
  std::vector<std::vector<int64_t>> maps(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t n = in->shape[d];
    if (low[d] < 0 || high[d] < 0 || out->shape[d] != low[d] + n + high[d])
      return opError(op, "the result shape is not low + input + high");
    if (mode == PadMode::Reflect && (low[d] >= n || high[d] >= n) &&
        (low[d] || high[d]))
      return opError(op, "reflect padding must be smaller than the dimension");
    if (mode == PadMode::Edge && n == 0 && (low[d] || high[d]))
      return opError(op, "edge padding of an empty dimension");
    maps[d].resize(out->shape[d]);
    for (int64_t i = 0; i < out->shape[d]; ++i) {
      int64_t j = i - low[d];
      if (j < 0 || j >= n) {
        if (mode == PadMode::Constant)
          j = -1;
        else if (mode == PadMode::Reflect)
          j = j < 0 ? -j : 2 * (n - 1) - j;
        else
          j = std::clamp<int64_t>(j, 0, n - 1);
      }
      maps[d][i] = j;
    }
  }
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  llvm::SmallVector<int64_t> inStrides = stridesOf(in->shape);
  llvm::SmallVector<int64_t> outShape = out->shape;
  int64_t total = out->numElements();
  return dispatchElem(in->elem, [&](auto tag) {
    using T = decltype(tag);
    T fill;
    if constexpr (std::is_same_v<T, float>)
      fill = floatValue;
    else
      fill = intValue;
    return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
      const std::vector<T> &a = vec<T>(f.in(x));
      std::vector<T> &r = vec<T>(f.out());
      r.assign(total, fill);
      if (total == 0)
        return llvm::Error::success();
      llvm::SmallVector<int64_t> idx(rank, 0);
      int64_t last = outShape[rank - 1];
      const std::vector<int64_t> &lastMap = maps[rank - 1];
      for (int64_t i = 0; i < total; i += last) {
        int64_t offset = 0;
        bool inside = true;
        for (int64_t d = 0; d + 1 < rank; ++d) {
          int64_t j = maps[d][idx[d]];
          if (j < 0) {
            inside = false;
            break;
          }
          offset += j * inStrides[d];
        }
        if (inside)
          for (int64_t k = 0; k < last; ++k)
            if (lastMap[k] >= 0)
              r[i + k] = a[offset + lastMap[k]];
        for (int64_t d = rank - 2; d >= 0; --d) {
          if (++idx[d] < outShape[d])
            break;
          idx[d] = 0;
        }
      }
      return llvm::Error::success();
    });
  });
}

llvm::Error ProgramBuilder::buildConcat(ConcatOp op) {
  auto out = typeInfo(op, op.getResult(), "the result");
  if (!out)
    return out.takeError();
  int64_t rank = out->shape.size();
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0 || axis >= rank)
    return opError(op, "axis out of range");
  std::vector<ValueRef> operands;
  std::vector<int64_t> chunks; // elements per outer index, per input
  int64_t outer = product(llvm::ArrayRef<int64_t>(out->shape).take_front(axis));
  int64_t innerSize =
      product(llvm::ArrayRef<int64_t>(out->shape).drop_front(axis + 1));
  for (Value v : op.getInputs()) {
    auto in = typeInfo(op, v, "an input");
    if (!in)
      return in.takeError();
    if (in->type.getElementType() != out->type.getElementType())
      return opError(op, "inputs of another element type than the result (" +
                             typeString(in->type.getElementType()) + " vs " +
                             typeString(out->type.getElementType()) +
                             ") are not supported: the reference concatenates "
                             "one type");
    auto r = ref(op, v);
    if (!r)
      return r.takeError();
    operands.push_back(*r);
    chunks.push_back(in->shape[axis] * innerSize);
  }
  int64_t total = out->numElements();
  return dispatchElem(out->elem, [&](auto tag) {
    using T = decltype(tag);
    return addStep(op, operands, [=](Frame &f) -> llvm::Error {
      std::vector<T> &r = vec<T>(f.out());
      r.resize(total);
      T *dst = r.data();
      for (int64_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < operands.size(); ++i) {
          const std::vector<T> &a = vec<T>(f.in(operands[i]));
          std::copy_n(a.data() + o * chunks[i], chunks[i], dst);
          dst += chunks[i];
        }
      return llvm::Error::success();
    });
  });
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct PoolGeometry {
  int64_t N, H, W, C, OH, OW, KH, KW, sh, sw, top, left;
};

/// Checks the integer form of a 2-D pool (one integer or quantized type on
/// input and result) and returns its geometry.
template <typename PoolOp>
llvm::Expected<PoolGeometry> poolGeometry(PoolOp op, const TypeInfo &in,
                                          const TypeInfo &out) {
  if (!in.elem.isInteger() ||
      in.type.getElementType() != out.type.getElementType())
    return opError(op, "only the integer form (one integer or quantized "
                       "type on input and result) is supported, got " +
                           typeString(in.type) + " -> " + typeString(out.type));
  if (in.shape.size() != 4 || out.shape.size() != 4)
    return opError(op, "input and result must be 4-D (NHWC)");
  PoolGeometry g;
  g.N = in.shape[0];
  g.H = in.shape[1];
  g.W = in.shape[2];
  g.C = in.shape[3];
  g.OH = out.shape[1];
  g.OW = out.shape[2];
  g.KH = op.getKernel()[0];
  g.KW = op.getKernel()[1];
  g.sh = op.getStrides()[0];
  g.sw = op.getStrides()[1];
  g.top = op.getPadding().getTop();
  g.left = op.getPadding().getLeft();
  int64_t bottom = op.getPadding().getBottom(),
          right = op.getPadding().getRight();
  if (g.KH <= 0 || g.KW <= 0 || g.sh <= 0 || g.sw <= 0 ||
      g.OH != (g.H + g.top + bottom - g.KH) / g.sh + 1 ||
      g.OW != (g.W + g.left + right - g.KW) / g.sw + 1 ||
      out.shape[0] != g.N || out.shape[3] != g.C)
    return opError(op, "inconsistent pooling geometry");
  return g;
}

llvm::Error ProgramBuilder::buildMaxPool(MaxPool2DOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  auto geom = poolGeometry(op, *in, *out);
  if (!geom)
    return geom.takeError();
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  PoolGeometry g = *geom;
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int64_t> &r = f.out().ints;
    r.assign(g.N * g.OH * g.OW * g.C, std::numeric_limits<int64_t>::min());
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t oh = 0; oh < g.OH; ++oh)
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          int64_t *dst = r.data() + ((n * g.OH + oh) * g.OW + ow) * g.C;
          int64_t inside = 0;
          for (int64_t kh = 0; kh < g.KH; ++kh) {
            int64_t ih = oh * g.sh + kh - g.top;
            if (ih < 0 || ih >= g.H)
              continue;
            for (int64_t kw = 0; kw < g.KW; ++kw) {
              int64_t iw = ow * g.sw + kw - g.left;
              if (iw < 0 || iw >= g.W)
                continue;
              ++inside;
              const int64_t *px = a.data() + ((n * g.H + ih) * g.W + iw) * g.C;
              for (int64_t c = 0; c < g.C; ++c)
                dst[c] = std::max(dst[c], px[c]);
            }
          }
          if (inside == 0)
            return error("the window at [" + llvm::Twine(oh) + ", " +
                         llvm::Twine(ow) + "] lies entirely in the padding");
        }
    return llvm::Error::success();
  });
}

llvm::Error ProgramBuilder::buildAvgPool(AvgPool2DOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  auto geom = poolGeometry(op, *in, *out);
  if (!geom)
    return geom.takeError();
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  PoolGeometry g = *geom;
  bool includePad = op.getDivisor() == PoolDivisor::IncludePad;
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int64_t> &r = f.out().ints;
    r.assign(g.N * g.OH * g.OW * g.C, 0);
    std::vector<int64_t> sum(g.C);
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t oh = 0; oh < g.OH; ++oh)
        for (int64_t ow = 0; ow < g.OW; ++ow) {
          std::fill(sum.begin(), sum.end(), 0);
          int64_t inside = 0;
          for (int64_t kh = 0; kh < g.KH; ++kh) {
            int64_t ih = oh * g.sh + kh - g.top;
            if (ih < 0 || ih >= g.H)
              continue;
            for (int64_t kw = 0; kw < g.KW; ++kw) {
              int64_t iw = ow * g.sw + kw - g.left;
              if (iw < 0 || iw >= g.W)
                continue;
              ++inside;
              const int64_t *px = a.data() + ((n * g.H + ih) * g.W + iw) * g.C;
              for (int64_t c = 0; c < g.C; ++c)
                sum[c] += px[c];
            }
          }
          int64_t d = includePad ? g.KH * g.KW : inside;
          if (d == 0)
            return error("the window at [" + llvm::Twine(oh) + ", " +
                         llvm::Twine(ow) + "] lies entirely in the padding");
          int64_t *dst = r.data() + ((n * g.OH + oh) * g.OW + ow) * g.C;
          for (int64_t c = 0; c < g.C; ++c)
            dst[c] = divRoundHalfAway(sum[c], d);
        }
    return llvm::Error::success();
  });
}

llvm::Error ProgramBuilder::buildGlobalAvgPool(GlobalAvgPoolOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  if (in->elem.kind != ElemInfo::Int || out->elem.kind != ElemInfo::Int)
    return opError(op, "only the integer form (integer input, i32 sum) is "
                       "supported, got " +
                           typeString(in->type) + " -> " +
                           typeString(out->type));
  if (in->shape.size() != 4 || out->shape.size() != 4 ||
      out->shape[0] != in->shape[0] || out->shape[1] != 1 ||
      out->shape[2] != 1 || out->shape[3] != in->shape[3])
    return opError(op, "the result shape must be [N, 1, 1, C]");
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  int64_t N = in->shape[0], HW = in->shape[1] * in->shape[2], C = in->shape[3];
  ElemInfo resultElem = out->elem;
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int64_t> &r = f.out().ints;
    r.assign(N * C, 0);
    for (int64_t n = 0; n < N; ++n) {
      int64_t *dst = r.data() + n * C;
      for (int64_t p = 0; p < HW; ++p) {
        const int64_t *px = a.data() + (n * HW + p) * C;
        for (int64_t c = 0; c < C; ++c)
          dst[c] += px[c];
      }
      for (int64_t c = 0; c < C; ++c)
        if (!resultElem.fits(dst[c]))
          return error("the sum " + llvm::Twine(dst[c]) + " at [" +
                       llvm::Twine(n) + ", 0, 0, " + llvm::Twine(c) +
                       "] overflows the result type");
    }
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// qnn.add (integer form)
//===----------------------------------------------------------------------===//

llvm::Error ProgramBuilder::buildAdd(AddOp op) {
  auto lhs = typeInfo(op, op.getLhs(), "the lhs");
  if (!lhs)
    return lhs.takeError();
  auto rhs = typeInfo(op, op.getRhs(), "the rhs");
  if (!rhs)
    return rhs.takeError();
  auto out = typeInfo(op, op.getResult(), "the result");
  if (!out)
    return out.takeError();
  Type t = out->type.getElementType();
  if (out->elem.kind != ElemInfo::Int || lhs->type.getElementType() != t ||
      rhs->type.getElementType() != t)
    return opError(op, "only the integer form (one integer type on both "
                       "operands and the result) is supported, got " +
                           typeString(lhs->type) + ", " +
                           typeString(rhs->type) + " -> " +
                           typeString(out->type));
  if (auto act = op.getActivation();
      act && act->getKind() != ActivationKind::None)
    return opError(op, "a fused activation in the integer form is not "
                       "supported");
  int64_t rank = out->shape.size();
  if (int64_t(lhs->shape.size()) > rank || int64_t(rhs->shape.size()) > rank)
    return opError(op, "operands of higher rank than the result");
  auto checkBroadcast = [&](const TypeInfo &a) {
    int64_t offset = rank - int64_t(a.shape.size());
    for (int64_t d = 0; d < int64_t(a.shape.size()); ++d)
      if (a.shape[d] != 1 && a.shape[d] != out->shape[d + offset])
        return false;
    return true;
  };
  if (!checkBroadcast(*lhs) || !checkBroadcast(*rhs))
    return opError(op, "the operand shapes do not broadcast to the result");
  auto l = ref(op, op.getLhs());
  if (!l)
    return l.takeError();
  auto r = ref(op, op.getRhs());
  if (!r)
    return r.takeError();
  ValueRef a = *l, b = *r;
  llvm::SmallVector<int64_t> outShape = out->shape;
  llvm::SmallVector<int64_t> aStrides = broadcastStrides(lhs->shape, outShape);
  llvm::SmallVector<int64_t> bStrides = broadcastStrides(rhs->shape, outShape);
  bool same = lhs->shape == outShape && rhs->shape == outShape;
  int64_t total = out->numElements();
  ElemInfo elem = out->elem;
  return addStep(op, {a, b}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &x = f.in(a).ints;
    const std::vector<int64_t> &y = f.in(b).ints;
    std::vector<int64_t> &z = f.out().ints;
    z.resize(total);
    if (same) {
      for (int64_t i = 0; i < total; ++i)
        z[i] = x[i] + y[i];
    } else {
      std::vector<int64_t> yb(total);
      gatherStrided(x.data(), z.data(), outShape, aStrides);
      gatherStrided(y.data(), yb.data(), outShape, bStrides);
      for (int64_t i = 0; i < total; ++i)
        z[i] += yb[i];
    }
    // Operands are at most 32 bits, so the 64-bit sum is exact.
    for (int64_t i = 0; i < total; ++i)
      if (!elem.fits(z[i]))
        return error("the sum " + llvm::Twine(z[i]) + " at element " +
                     llvm::Twine(i) + " overflows the result type");
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// qnn.conv2d, qnn.dense, qnn.matmul (integer form)
//===----------------------------------------------------------------------===//

/// Checks that an I-form operand is an integer that fits int32.
llvm::Error checkIntOperand(Operation *op, const TypeInfo &info,
                            llvm::StringRef role) {
  if (info.elem.kind != ElemInfo::Int)
    return opError(op, "only the integer form is supported (run "
                       "--fold-scales first): the " +
                           role + " is " + typeString(info.type));
  if (info.elem.min < kInt32Min || info.elem.max > kInt32Max)
    return opError(op, "the " + role + " type " + typeString(info.type) +
                           " does not fit int32");
  return llvm::Error::success();
}

llvm::Error checkI32Result(Operation *op, const TypeInfo &info) {
  if (info.elem.kind != ElemInfo::Int || info.elem.bits != 32 ||
      info.elem.isUnsigned)
    return opError(op, "only the integer form with an i32 result is "
                       "supported, got " +
                           typeString(info.type));
  return llvm::Error::success();
}

/// The checked types of a conv2d/dense in the I form: integer input and
/// weight, optional integer bias, i32 result, no fused activation.
struct LayerTypes {
  TypeInfo input, weight, result;
  std::optional<TypeInfo> bias;
};

llvm::Expected<LayerTypes> layerTypes(Operation *op, Value input,
                                      Value weight, const char *weightName,
                                      Value bias, ActivationAttr activation) {
  auto in = typeInfo(op, input, "the input");
  if (!in)
    return in.takeError();
  std::string weightRole = std::string("the ") + weightName;
  auto wt = typeInfo(op, weight, weightRole);
  if (!wt)
    return wt.takeError();
  auto out = typeInfo(op, op->getResult(0), "the result");
  if (!out)
    return out.takeError();
  if (auto err = checkIntOperand(op, *in, "input"))
    return std::move(err);
  if (auto err = checkIntOperand(op, *wt, weightName))
    return std::move(err);
  if (auto err = checkI32Result(op, *out))
    return std::move(err);
  LayerTypes types{*in, *wt, *out, std::nullopt};
  if (bias) {
    auto bi = typeInfo(op, bias, "the bias");
    if (!bi)
      return bi.takeError();
    if (auto err = checkIntOperand(op, *bi, "bias"))
      return std::move(err);
    types.bias = *bi;
  }
  if (activation && activation.getKind() != ActivationKind::None)
    return opError(op, "a fused activation in the integer form is not "
                       "supported");
  return types;
}

/// The prepared weights of a conv2d/dense: filter (transposed to
/// [KH][KW][O] when `depthwise`) and bias as int32.
ConvWeights prepareWeights(const std::vector<int64_t> &filter,
                           const std::vector<int64_t> *bias, int64_t O,
                           int64_t KH, int64_t KW, bool depthwise) {
  ConvWeights w;
  w.filter.resize(filter.size());
  if (depthwise) {
    for (int64_t o = 0; o < O; ++o)
      for (int64_t k = 0; k < KH * KW; ++k)
        w.filter[k * O + o] = static_cast<int32_t>(filter[o * KH * KW + k]);
  } else {
    for (size_t i = 0; i < filter.size(); ++i)
      w.filter[i] = static_cast<int32_t>(filter[i]);
  }
  w.bias.assign(O, 0);
  if (bias)
    for (int64_t o = 0; o < O; ++o)
      w.bias[o] = static_cast<int32_t>((*bias)[o]);
  return w;
}

llvm::Error ProgramBuilder::buildConv(Conv2DOp op) {
  auto types = layerTypes(op, op.getInput(), op.getFilter(), "filter",
                          op.getBias(), op.getActivationAttr());
  if (!types)
    return types.takeError();
  const TypeInfo *in = &types->input, *fl = &types->weight,
                 *out = &types->result;
  const std::optional<TypeInfo> &bias = types->bias;
  if (in->shape.size() != 4 || fl->shape.size() != 4 || out->shape.size() != 4)
    return opError(op, "input, filter and result must be 4-D");

  ConvGeometry g;
  g.N = in->shape[0];
  g.H = in->shape[1];
  g.W = in->shape[2];
  g.C = in->shape[3];
  g.O = fl->shape[0];
  g.KH = fl->shape[1];
  g.KW = fl->shape[2];
  g.Cg = fl->shape[3];
  g.G = static_cast<int64_t>(op.getGroups());
  g.sh = op.getStrides()[0];
  g.sw = op.getStrides()[1];
  g.dh = op.getDilations()[0];
  g.dw = op.getDilations()[1];
  PaddingAttr pad = op.getPadding();
  g.top = pad.getTop();
  g.left = pad.getLeft();
  g.bottom = pad.getBottom();
  g.right = pad.getRight();
  if (g.G <= 0 || g.C % g.G != 0 || g.O % g.G != 0 || g.Cg != g.C / g.G ||
      g.sh <= 0 || g.sw <= 0 || g.dh <= 0 || g.dw <= 0 || g.top < 0 ||
      g.left < 0 || g.bottom < 0 || g.right < 0)
    return opError(op, "inconsistent convolution geometry");
  g.Og = g.O / g.G;
  g.OH = (g.Hp() - g.dh * (g.KH - 1) - 1) / g.sh + 1;
  g.OW = (g.Wp() - g.dw * (g.KW - 1) - 1) / g.sw + 1;
  if (g.Hp() < g.dh * (g.KH - 1) + 1 || g.Wp() < g.dw * (g.KW - 1) + 1 ||
      out->shape != llvm::SmallVector<int64_t>{g.N, g.OH, g.OW, g.O})
    return opError(op, "the result shape is not [N, OH, OW, O]");
  if (bias && bias->shape != llvm::SmallVector<int64_t>{g.O})
    return opError(op, "the bias must have shape [O]");

  int64_t izp = 0;
  if (IntegerAttr attr = op.getInputZeroPointAttr())
    izp = attr.getValue().getSExtValue();
  if (!in->elem.fits(izp))
    return opError(op, "input_zero_point " + llvm::Twine(izp) +
                           " does not fit the input type");

  auto xr = ref(op, op.getInput());
  if (!xr)
    return xr.takeError();
  auto wr = ref(op, op.getFilter());
  if (!wr)
    return wr.takeError();
  std::optional<ValueRef> br;
  if (bias) {
    auto r = ref(op, op.getBias());
    if (!r)
      return r.takeError();
    br = *r;
  }
  ValueRef x = *xr, w = *wr;
  bool depthwise = g.Cg == 1;
  bool constWeights = w.isConst && (!br || br->isConst);
  int64_t xMax = maxAbs(in->elem.min, in->elem.max);
  int64_t wMax = w.isConst ? maxAbs(constant(w).ints)
                           : maxAbs(fl->elem.min, fl->elem.max);
  int64_t bMax = !br ? 0 : br->isConst ? maxAbs(constant(*br).ints) : kInt32Max;
  bool use32 = fitsInt32(bMax, g.KH * g.KW * g.Cg, xMax, wMax);
  std::shared_ptr<const ConvWeights> prepared;
  if (constWeights) {
    auto pw = std::make_shared<ConvWeights>(prepareWeights(
        constant(w).ints, br ? &constant(*br).ints : nullptr, g.O, g.KH, g.KW,
        depthwise));
    pw->use32 = use32;
    prepared = pw;
  }
  std::vector<ValueRef> operands = {x, w};
  if (br)
    operands.push_back(*br);
  int32_t zp = static_cast<int32_t>(izp);
  return addStep(op, operands, [=](Frame &f) -> llvm::Error {
    ConvWeights local;
    const ConvWeights *wts = prepared.get();
    if (!wts) {
      local = prepareWeights(f.in(w).ints, br ? &f.in(*br).ints : nullptr, g.O,
                             g.KH, g.KW, depthwise);
      local.use32 = use32;
      wts = &local;
    }
    // The padded input: padded positions hold input_zero_point, the stored
    // code of real zero (docs/Numerics.md).
    const std::vector<int64_t> &a = f.in(x).ints;
    const int64_t Hp = g.Hp(), Wp = g.Wp();
    std::vector<int32_t> padded(g.N * Hp * Wp * g.C, zp);
    for (int64_t n = 0; n < g.N; ++n)
      for (int64_t h = 0; h < g.H; ++h) {
        const int64_t *src = a.data() + (n * g.H + h) * g.W * g.C;
        int32_t *dst =
            padded.data() + ((n * Hp + h + g.top) * Wp + g.left) * g.C;
        for (int64_t i = 0; i < g.W * g.C; ++i)
          dst[i] = static_cast<int32_t>(src[i]);
      }
    std::vector<int64_t> &r = f.out().ints;
    r.resize(g.N * g.OH * g.OW * g.O);
    return wts->use32 ? convKernel<int32_t>(g, padded.data(), *wts, r.data())
                      : convKernel<int64_t>(g, padded.data(), *wts, r.data());
  });
}

llvm::Error ProgramBuilder::buildDense(DenseOp op) {
  auto types = layerTypes(op, op.getInput(), op.getWeight(), "weight",
                          op.getBias(), op.getActivationAttr());
  if (!types)
    return types.takeError();
  const TypeInfo *in = &types->input, *wt = &types->weight,
                 *out = &types->result;
  const std::optional<TypeInfo> &bias = types->bias;
  if (in->shape.size() != 2 || wt->shape.size() != 2 ||
      out->shape.size() != 2)
    return opError(op, "input, weight and result must be 2-D");
  int64_t N = in->shape[0], K = in->shape[1], O = wt->shape[0];
  if (wt->shape[1] != K ||
      out->shape != llvm::SmallVector<int64_t>{N, O} ||
      (bias && bias->shape != llvm::SmallVector<int64_t>{O}))
    return opError(op, "shapes must be input [N, K], weight [O, K], bias "
                       "[O], result [N, O]");
  // input_zero_point has no effect here: dense has no padding.
  auto xr = ref(op, op.getInput());
  if (!xr)
    return xr.takeError();
  auto wr = ref(op, op.getWeight());
  if (!wr)
    return wr.takeError();
  std::optional<ValueRef> br;
  if (bias) {
    auto r = ref(op, op.getBias());
    if (!r)
      return r.takeError();
    br = *r;
  }
  ValueRef x = *xr, w = *wr;
  int64_t xMax = maxAbs(in->elem.min, in->elem.max);
  int64_t wMax = w.isConst ? maxAbs(constant(w).ints)
                           : maxAbs(wt->elem.min, wt->elem.max);
  int64_t bMax = !br ? 0 : br->isConst ? maxAbs(constant(*br).ints) : kInt32Max;
  bool use32 = fitsInt32(bMax, K, xMax, wMax);
  std::shared_ptr<const ConvWeights> prepared;
  if (w.isConst && (!br || br->isConst)) {
    auto pw = std::make_shared<ConvWeights>(prepareWeights(
        constant(w).ints, br ? &constant(*br).ints : nullptr, O, 1, 1, false));
    pw->use32 = use32;
    prepared = pw;
  }
  std::vector<ValueRef> operands = {x, w};
  if (br)
    operands.push_back(*br);
  return addStep(op, operands, [=](Frame &f) -> llvm::Error {
    ConvWeights local;
    const ConvWeights *wts = prepared.get();
    if (!wts) {
      local = prepareWeights(f.in(w).ints, br ? &f.in(*br).ints : nullptr, O,
                             1, 1, false);
      local.use32 = use32;
      wts = &local;
    }
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int32_t> x32(a.begin(), a.end());
    std::vector<int64_t> &r = f.out().ints;
    r.resize(N * O);
    return wts->use32 ? denseKernel<int32_t>(N, K, O, x32.data(), *wts, r.data())
                      : denseKernel<int64_t>(N, K, O, x32.data(), *wts,
                                             r.data());
  });
}

llvm::Error ProgramBuilder::buildMatmul(MatmulOp op) {
  auto lhs = typeInfo(op, op.getLhs(), "the lhs");
  if (!lhs)
    return lhs.takeError();
  auto rhs = typeInfo(op, op.getRhs(), "the rhs");
  if (!rhs)
    return rhs.takeError();
  auto out = typeInfo(op, op.getResult(), "the result");
  if (!out)
    return out.takeError();
  if (auto err = checkIntOperand(op, *lhs, "lhs"))
    return err;
  if (auto err = checkIntOperand(op, *rhs, "rhs"))
    return err;
  if (auto err = checkI32Result(op, *out))
    return err;
  int64_t rank = lhs->shape.size();
  if (rank < 2 || int64_t(rhs->shape.size()) != rank ||
      int64_t(out->shape.size()) != rank)
    return opError(op, "operands and result must have one rank, at least 2");
  llvm::ArrayRef<int64_t> ls = lhs->shape, rs = rhs->shape;
  if (ls.drop_back(2) != rs.drop_back(2) ||
      ls.drop_back(2) != llvm::ArrayRef<int64_t>(out->shape).drop_back(2))
    return opError(op, "batch dimensions disagree");
  int64_t M = ls[rank - 2], K = ls[rank - 1], N = rs[rank - 1];
  if (rs[rank - 2] != K || out->shape[rank - 2] != M ||
      out->shape[rank - 1] != N)
    return opError(op, "shapes must be [b..., M, K] x [b..., K, N] -> "
                       "[b..., M, N]");
  int64_t B = product(ls.drop_back(2));
  int64_t zl = 0, zr = 0;
  if (IntegerAttr a = op.getLhsZeroPointAttr())
    zl = a.getValue().getSExtValue();
  if (IntegerAttr a = op.getRhsZeroPointAttr())
    zr = a.getValue().getSExtValue();
  auto l = ref(op, op.getLhs());
  if (!l)
    return l.takeError();
  auto r = ref(op, op.getRhs());
  if (!r)
    return r.takeError();
  ValueRef a = *l, b = *r;
  return addStep(op, {a, b}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &x = f.in(a).ints;
    const std::vector<int64_t> &y = f.in(b).ints;
    // (lhs - zl) and the transposed (rhs - zr), exact in int64.
    std::vector<int64_t> lc(x.size()), rt(y.size());
    for (size_t i = 0; i < x.size(); ++i)
      lc[i] = x[i] - zl;
    for (int64_t bb = 0; bb < B; ++bb)
      for (int64_t k = 0; k < K; ++k)
        for (int64_t n = 0; n < N; ++n)
          rt[(bb * N + n) * K + k] = y[(bb * K + k) * N + n] - zr;
    std::vector<int64_t> &z = f.out().ints;
    z.resize(B * M * N);
    for (int64_t bb = 0; bb < B; ++bb)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t n = 0; n < N; ++n) {
          const int64_t *lr = lc.data() + (bb * M + m) * K;
          const int64_t *rr = rt.data() + (bb * N + n) * K;
          int64_t acc = 0;
          for (int64_t k = 0; k < K; ++k)
            acc += lr[k] * rr[k];
          if (acc < kInt32Min || acc > kInt32Max)
            return error("the i32 accumulator overflows (" +
                         llvm::Twine(acc) + ")");
          z[(bb * M + m) * N + n] = acc;
        }
    return llvm::Error::success();
  });
}

//===----------------------------------------------------------------------===//
// qnn.requantize
//===----------------------------------------------------------------------===//

struct RequantChannel {
  double scale = 0; // float form
  int32_t m0 = 0;   // fixed-point form
  int shift = 0;
  int64_t lo = 0, hi = 0; // the clamp
};

llvm::Error ProgramBuilder::buildRequantize(RequantizeOp op) {
  auto io = inputResultTypes(op, op.getInput(), op.getResult());
  if (!io)
    return io.takeError();
  const TypeInfo *in = &io->first, *out = &io->second;
  if (in->elem.kind != ElemInfo::Int || out->elem.kind != ElemInfo::Int ||
      in->elem.bits > 32 || out->elem.bits > 32)
    return opError(op, "input and result must be integers of at most 32 "
                       "bits, got " +
                           typeString(in->type) + " -> " +
                           typeString(out->type));
  if (in->shape != out->shape)
    return opError(op, "input and result shapes differ");
  int64_t rank = in->shape.size();
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (rank == 0 || axis < 0 || axis >= rank)
    return opError(op, "axis out of range");

  std::vector<RequantChannel> channels;
  bool floatForm = false;
  if (std::optional<ArrayRef<double>> scale = op.getScale()) {
    if (op.getFixedPoint())
      return opError(op, "has both scale and fixed_point");
    floatForm = true;
    for (double s : *scale) {
      if (!std::isfinite(s) || s < 0)
        return opError(op, "scale " + formatReal(s) +
                               " is not finite and non-negative");
      channels.push_back({s, 0, 0, 0, 0});
    }
  } else if (std::optional<FixedPointMultiplierAttr> fp = op.getFixedPoint()) {
    if (fp->getM0().size() != fp->getShift().size())
      return opError(op, "m0 and shift lists differ in length");
    for (auto [m0, shift] : llvm::zip_equal(fp->getM0(), fp->getShift())) {
      if (!(m0 == 0 || (m0 >= (int32_t(1) << 30))) || shift < -31 ||
          shift > 30)
        return opError(op, "fixed-point multiplier (" + llvm::Twine(m0) +
                               ", " + llvm::Twine(shift) +
                               ") is outside m0 in {0} U [2^30, 2^31), "
                               "shift in [-31, 30]");
      channels.push_back({0, m0, shift, 0, 0});
    }
  } else {
    return opError(op, "has neither scale nor fixed_point");
  }
  int64_t numChannels = in->shape[axis];
  if (channels.empty() ||
      (channels.size() != 1 && int64_t(channels.size()) != numChannels))
    return opError(op, "needs 1 or " + llvm::Twine(numChannels) +
                           " multipliers, got " +
                           llvm::Twine(channels.size()));
  int64_t izp = op.getInputZeroPointAttr().getValue().getSExtValue();
  int64_t ozp = op.getOutputZeroPointAttr().getValue().getSExtValue();
  // The clamp: one [lo, hi] pair, or one pair per channel of `axis`.
  ArrayRef<int64_t> clamp = op.getClamp();
  int64_t pairs = static_cast<int64_t>(clamp.size()) / 2;
  if (clamp.size() % 2 != 0 || (pairs != 1 && pairs != numChannels))
    return opError(op, "clamp must be one [min, max] pair or one per "
                       "channel");
  for (int64_t i = 0; i < pairs; ++i)
    if (clamp[2 * i] > clamp[2 * i + 1] || !out->elem.fits(clamp[2 * i]) ||
        !out->elem.fits(clamp[2 * i + 1]))
      return opError(op, "clamp must be [min, max] inside the result type");
  // Every channel gets its own multiplier and bounds.
  if (channels.size() == 1 && pairs > 1)
    channels.assign(numChannels, channels.front());
  for (int64_t c = 0; c < static_cast<int64_t>(channels.size()); ++c) {
    channels[c].lo = clamp[pairs == 1 ? 0 : 2 * c];
    channels[c].hi = clamp[pairs == 1 ? 1 : 2 * c + 1];
  }
  bool single = op.getRounding() == RoundingMode::Single;

  // Loop nest: outer dimensions, the channel axis, inner dimensions.
  int64_t outer = product(llvm::ArrayRef<int64_t>(in->shape).take_front(axis));
  int64_t inner = product(llvm::ArrayRef<int64_t>(in->shape).drop_front(axis + 1));
  if (channels.size() == 1) {
    // One multiplier: a single channel spanning everything.
    outer = 1;
    numChannels = 1;
    inner = in->numElements();
  }
  auto src = ref(op, op.getInput());
  if (!src)
    return src.takeError();
  ValueRef x = *src;
  return addStep(op, {x}, [=](Frame &f) -> llvm::Error {
    const std::vector<int64_t> &a = f.in(x).ints;
    std::vector<int64_t> &r = f.out().ints;
    r.resize(a.size());
    const double dozp = double(ozp);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t c = 0; c < numChannels; ++c) {
        const RequantChannel ch = channels[c];
        const int64_t lo = ch.lo, hi = ch.hi;
        const double dlo = double(lo), dhi = double(hi);
        int64_t base = (o * numChannels + c) * inner;
        if (floatForm) {
          // round_half_away(M * v), the product one f64 multiply (v exact),
          // then + output_zero_point and the clamp, in f64; v is not
          // saturated in this form.
          for (int64_t i = 0; i < inner; ++i) {
            int64_t v = a[base + i] - izp;
            double y = std::round(double(v) * ch.scale) + dozp;
            y = std::min(std::max(y, dlo), dhi);
            r[base + i] = static_cast<int64_t>(y);
          }
        } else {
          for (int64_t i = 0; i < inner; ++i) {
            // v = x - input_zero_point, saturated to int32.
            int32_t v = static_cast<int32_t>(saturate32(a[base + i] - izp));
            int64_t R = single ? requantizeSingle(v, ch.m0, ch.shift)
                               : requantizeDouble(v, ch.m0, ch.shift);
            r[base + i] = std::clamp(R + ozp, lo, hi);
          }
        }
      }
    return llvm::Error::success();
  });
}

} // namespace

//===----------------------------------------------------------------------===//
// IntegerInterpreter
//===----------------------------------------------------------------------===//

IntegerInterpreter::IntegerInterpreter()
    : program(std::make_unique<Program>()) {}
IntegerInterpreter::~IntegerInterpreter() = default;

static llvm::Expected<TensorSignature> signatureOf(func::FuncOp func, Type type,
                                                   llvm::StringRef what) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return error("@" + func.getName() + ": " + what +
                 " must be a statically shaped ranked tensor, got " +
                 typeString(type));
  std::optional<ElementKind> kind = getElementKind(ranked.getElementType());
  if (!kind || !getElemInfo(ranked.getElementType()))
    return error("@" + func.getName() + ": " + what +
                 " has the unsupported element type " +
                 typeString(ranked.getElementType()) +
                 " (f32, i8, ui8, i16, i32 or i64)");
  TensorSignature sig;
  sig.kind = *kind;
  sig.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
  return sig;
}

llvm::Expected<std::unique_ptr<IntegerInterpreter>>
IntegerInterpreter::create(ModuleOp module, llvm::StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return error("the module has no func.func @" + entry);
  if (func.isExternal())
    return error("@" + entry + " is a declaration without a body");
  std::unique_ptr<IntegerInterpreter> interp(new IntegerInterpreter());
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto sig = signatureOf(func, type, "argument " + std::to_string(i));
    if (!sig)
      return sig.takeError();
    interp->inputs.push_back(std::move(*sig));
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto sig = signatureOf(func, type, "result " + std::to_string(i));
    if (!sig)
      return sig.takeError();
    interp->outputs.push_back(std::move(*sig));
  }
  ProgramBuilder builder(*interp->program);
  if (llvm::Error err = builder.build(func))
    return std::move(err);
  return interp;
}

llvm::Expected<std::vector<Tensor>>
IntegerInterpreter::run(llvm::ArrayRef<Tensor> args) const {
  if (args.size() != inputs.size())
    return error("the entry function takes " + llvm::Twine(inputs.size()) +
                 " arguments, got " + llvm::Twine(args.size()));
  const Program &p = *program;
  std::vector<Buffer> slots(p.numSlots);
  for (auto [i, arg] : llvm::enumerate(args)) {
    const TensorSignature &sig = inputs[i];
    if (arg.kind != sig.kind || llvm::ArrayRef<int64_t>(arg.shape) !=
                                    llvm::ArrayRef<int64_t>(sig.shape))
      return error("argument " + llvm::Twine(i) + " is " + arg.describe() +
                   ", expected " + sig.describe());
    int64_t n = sig.numElements();
    Buffer &b = slots[p.argSlots[i]];
    if (arg.isFloat()) {
      if (int64_t(arg.floats.size()) != n)
        return error("argument " + llvm::Twine(i) + " holds " +
                     llvm::Twine(arg.floats.size()) + " floats for " +
                     sig.describe());
      b.floats = arg.floats;
    } else {
      if (int64_t(arg.ints.size()) != n)
        return error("argument " + llvm::Twine(i) + " holds " +
                     llvm::Twine(arg.ints.size()) + " integers for " +
                     sig.describe());
      int64_t lo = kindMin(arg.kind), hi = kindMax(arg.kind);
      for (int64_t v : arg.ints)
        if (v < lo || v > hi)
          return error("argument " + llvm::Twine(i) + " holds " +
                       llvm::Twine(v) + ", outside " +
                       getElementKindName(arg.kind));
      b.ints = arg.ints;
    }
  }
  Frame frame(p.constants, slots);
  for (const Step &step : p.steps) {
    frame.setResults(step.results);
    if (llvm::Error err = step.fn(frame))
      return error(step.what + ": " + llvm::toString(std::move(err)));
    for (unsigned slot : step.release)
      slots[slot] = Buffer();
  }
  std::vector<Tensor> results;
  for (auto [ref, sig] : llvm::zip_equal(p.resultRefs, outputs)) {
    const Buffer &b = frame.in(ref);
    if (sig.kind == ElementKind::F32)
      results.push_back(Tensor::makeFloat(sig.shape, b.floats));
    else
      results.push_back(Tensor::makeInt(sig.kind, sig.shape, b.ints));
  }
  return results;
}
