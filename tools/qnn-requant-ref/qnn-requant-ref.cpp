//===- qnn-requant-ref.cpp - Reference requantization on .npy files -------===//
//
// Part of quant-opt. Test-only: applies qnn.requantize's semantics to an
// integer .npy array with the plain C++ of FixedPoint.h, so that lit tests
// can compare the JIT-compiled lowering with it bit for bit.
//
//   qnn-requant-ref IN.npy OUT.npy --out-dtype=i8|u8|i16|i32
//       (--m0=A,B,... --shift=S,T,... --rounding=double|single | --scale=X,Y,...)
//       [--axis=K] [--input-zero-point=Z] [--output-zero-point=Z]
//       --clamp=LO,HI
//
// The float form (--scale) is round-half-away(M * v) with the product
// rounded to double, as documented in docs/Numerics.md.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/FixedPoint.h"
#include "qnn/Runtime/NumpyIO.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace llvm;
using namespace qnn;
using namespace qnn::runtime;

static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<in.npy>"));
static cl::opt<std::string> outputPath(cl::Positional, cl::Required,
                                       cl::desc("<out.npy>"));
static cl::opt<std::string> outDType("out-dtype", cl::Required,
                                     cl::desc("i8, u8, i16 or i32"));
static cl::list<int64_t> m0s("m0", cl::CommaSeparated, cl::desc("Q31 m0"));
static cl::list<int64_t> shifts("shift", cl::CommaSeparated,
                                cl::desc("shifts"));
static cl::list<double> scales("scale", cl::CommaSeparated,
                               cl::desc("float multipliers"));
static cl::opt<std::string> rounding("rounding", cl::init("double"),
                                     cl::desc("double or single"));
static cl::opt<int64_t> axis("axis", cl::init(0));
static cl::opt<int64_t> inputZeroPoint("input-zero-point", cl::init(0));
static cl::opt<int64_t> outputZeroPoint("output-zero-point", cl::init(0));
static cl::list<int64_t> clampBounds("clamp", cl::CommaSeparated,
                                     cl::desc("LO,HI"));

static int fail(const Twine &message) {
  WithColor::error(errs(), "qnn-requant-ref") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "qnn.requantize reference\n");
  auto in = readNpy(inputPath);
  if (!in)
    return fail(toString(in.takeError()));
  auto values = toInt64(*in, inputPath);
  if (!values)
    return fail(toString(values.takeError()));
  if (clampBounds.size() != 2)
    return fail("--clamp takes LO,HI");
  bool isFloat = !scales.empty();
  size_t channels = isFloat ? scales.size() : m0s.size();
  if (channels == 0 || (!isFloat && shifts.size() != channels))
    return fail("give --scale, or --m0 and --shift of equal lengths");
  if (rounding != "double" && rounding != "single")
    return fail("--rounding is double or single");
  FixedPointRounding mode = rounding == "double" ? FixedPointRounding::Double
                                                 : FixedPointRounding::Single;

  // Channel of flat index i: (i / inner) % shape[axis].
  int64_t inner = 1;
  for (size_t d = axis + 1; d < in->shape.size(); ++d)
    inner *= in->shape[d];
  int64_t dim = in->shape.empty() ? 1 : in->shape[axis];

  NDArray out;
  out.shape = in->shape;
  size_t n = values->size();
  if (outDType == "i8")
    out.dtype = DType::I8;
  else if (outDType == "u8")
    out.dtype = DType::U8;
  else if (outDType == "i16")
    out.dtype = DType::I16;
  else if (outDType == "i32")
    out.dtype = DType::I32;
  else
    return fail("unsupported --out-dtype " + outDType);
  out.data.resize(n * getDTypeSize(out.dtype));

  for (size_t i = 0; i < n; ++i) {
    size_t c = channels == 1 ? 0 : (i / inner) % dim;
    int64_t x = (*values)[i];
    int64_t y;
    if (isFloat) {
      double r = std::round(scales[c] * static_cast<double>(x - inputZeroPoint));
      y = static_cast<int64_t>(std::clamp(
          r + static_cast<double>(outputZeroPoint),
          static_cast<double>(clampBounds[0]),
          static_cast<double>(clampBounds[1])));
    } else {
      FixedPointMultiplier m{static_cast<int32_t>(m0s[c]),
                             static_cast<int32_t>(shifts[c])};
      y = requantize(static_cast<int32_t>(x), inputZeroPoint, m,
                     outputZeroPoint, clampBounds[0], clampBounds[1], mode);
    }
    switch (out.dtype) {
    case DType::I8:
    case DType::U8: {
      auto b = static_cast<uint8_t>(y);
      out.data[i] = b;
      break;
    }
    case DType::I16: {
      auto v = static_cast<int16_t>(y);
      std::memcpy(&out.data[2 * i], &v, 2);
      break;
    }
    default: {
      auto v = static_cast<int32_t>(y);
      std::memcpy(&out.data[4 * i], &v, 4);
      break;
    }
    }
  }
  if (Error err = writeNpy(outputPath, out))
    return fail(toString(std::move(err)));
  return 0;
}
