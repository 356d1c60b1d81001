//===- Npy.cpp - Reading and writing .npy files ---------------------------===//
//
// Part of quant-opt. The .npy format (NumPy's numpy/lib/format.py,
// "NEP 1"): the magic string "\x93NUMPY", a major and a minor version byte,
// a little-endian header length (2 bytes in 1.0, 4 bytes in 2.0 and 3.0),
// then a Python dict literal
//
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// padded with spaces and a newline, then the raw element bytes.
//
//===----------------------------------------------------------------------===//

#include "NumpyIOInternal.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"

#include <cstring>

using namespace llvm;
using namespace qnn::runtime;
using qnn::runtime::detail::makeError;

static constexpr StringLiteral kMagic("\x93NUMPY");
/// NumPy aligns the start of the data to 64 bytes.
static constexpr size_t kHeaderAlignment = 64;
/// np.save's spare header room for the first dimension (NumPy's
/// GROWTH_AXIS_MAX_DIGITS).
static constexpr size_t kGrowthDigits = 21;
/// Nesting limit of the header literal, so that a hostile header cannot
/// exhaust the stack.
static constexpr unsigned kMaxNesting = 16;

//===----------------------------------------------------------------------===//
// The header's Python literal
//===----------------------------------------------------------------------===//

namespace {

/// A Python literal of the kinds a .npy header uses.
struct PyValue {
  enum class Kind { String, Int, Bool, None, Tuple, List, Dict };
  Kind kind = Kind::None;
  std::string str;
  int64_t integer = 0;
  bool boolean = false;
  /// Tuple and list elements; a dict's keys and values, alternating.
  std::vector<PyValue> elements;
};

StringRef getKindName(PyValue::Kind kind) {
  switch (kind) {
  case PyValue::Kind::String:
    return "a string";
  case PyValue::Kind::Int:
    return "an integer";
  case PyValue::Kind::Bool:
    return "a bool";
  case PyValue::Kind::None:
    return "None";
  case PyValue::Kind::Tuple:
    return "a tuple";
  case PyValue::Kind::List:
    return "a list";
  case PyValue::Kind::Dict:
    return "a dict";
  }
  llvm_unreachable("unknown literal kind");
}

/// A recursive-descent parser for the subset of Python literal syntax that
/// NumPy writes (and that Python 2 era files add: `L` integer suffixes and
/// `u'...'` strings).
class PyLiteralParser {
public:
  PyLiteralParser(StringRef text, StringRef name) : text(text), name(name) {}

  /// Parses one literal followed only by whitespace.
  Expected<PyValue> parse() {
    Expected<PyValue> value = parseValue(0);
    if (!value)
      return value.takeError();
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after the dict");
    return value;
  }

private:
  Error fail(const Twine &message) {
    return makeError(name, "malformed .npy header: " + message + " at offset " +
                               Twine(pos) + " of '" + text.rtrim() + "'");
  }

  void skipSpace() {
    while (pos < text.size() && isSpace(text[pos]))
      ++pos;
  }

  bool consume(char c) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }

  Expected<PyValue> parseValue(unsigned depth) {
    if (depth > kMaxNesting)
      return fail("literal nested too deeply");
    skipSpace();
    if (pos == text.size())
      return fail("expected a value");
    char c = text[pos];
    if (c == '\'' || c == '"')
      return parseString();
    if ((c == 'u' || c == 'b') && pos + 1 < text.size() &&
        (text[pos + 1] == '\'' || text[pos + 1] == '"')) {
      ++pos;
      return parseString();
    }
    if (isDigit(c) || c == '-' || c == '+')
      return parseInt();
    if (c == '(')
      return parseSequence(PyValue::Kind::Tuple, ')', depth);
    if (c == '[')
      return parseSequence(PyValue::Kind::List, ']', depth);
    if (c == '{')
      return parseDict(depth);
    PyValue value;
    StringRef rest = text.substr(pos);
    for (auto [word, kind, boolean] :
         {std::tuple{StringRef("True"), PyValue::Kind::Bool, true},
          std::tuple{StringRef("False"), PyValue::Kind::Bool, false},
          std::tuple{StringRef("None"), PyValue::Kind::None, false}}) {
      if (!rest.starts_with(word))
        continue;
      pos += word.size();
      value.kind = kind;
      value.boolean = boolean;
      return value;
    }
    return fail("unexpected character '" + Twine(c) + "'");
  }

  Expected<PyValue> parseString() {
    char quote = text[pos++];
    PyValue value;
    value.kind = PyValue::Kind::String;
    while (pos < text.size() && text[pos] != quote) {
      // Escapes stand for the escaped character; NumPy's dtype strings
      // never need more.
      if (text[pos] == '\\' && pos + 1 < text.size())
        ++pos;
      value.str.push_back(text[pos++]);
    }
    if (pos == text.size())
      return fail("unterminated string");
    ++pos;
    return value;
  }

  Expected<PyValue> parseInt() {
    bool negative = text[pos] == '-';
    if (text[pos] == '-' || text[pos] == '+')
      ++pos;
    if (pos == text.size() || !isDigit(text[pos]))
      return fail("expected digits");
    int64_t magnitude = 0;
    while (pos < text.size() && isDigit(text[pos])) {
      if (MulOverflow<int64_t>(magnitude, 10, magnitude) ||
          AddOverflow<int64_t>(magnitude, text[pos] - '0', magnitude))
        return fail("integer out of range");
      ++pos;
    }
    if (pos < text.size() && (text[pos] == 'L' || text[pos] == 'l'))
      ++pos;
    PyValue value;
    value.kind = PyValue::Kind::Int;
    value.integer = negative ? -magnitude : magnitude;
    return value;
  }

  /// `(a, b, )` or `[a, b]`: elements separated by commas, with an optional
  /// trailing comma.
  Expected<PyValue> parseSequence(PyValue::Kind kind, char close,
                                  unsigned depth) {
    ++pos;
    PyValue value;
    value.kind = kind;
    while (!consume(close)) {
      Expected<PyValue> element = parseValue(depth + 1);
      if (!element)
        return element.takeError();
      value.elements.push_back(std::move(*element));
      if (consume(close))
        break;
      if (!consume(','))
        return fail("expected ',' or '" + Twine(close) + "'");
    }
    return value;
  }

  Expected<PyValue> parseDict(unsigned depth) {
    ++pos;
    PyValue value;
    value.kind = PyValue::Kind::Dict;
    while (!consume('}')) {
      Expected<PyValue> key = parseValue(depth + 1);
      if (!key)
        return key.takeError();
      if (!consume(':'))
        return fail("expected ':'");
      Expected<PyValue> item = parseValue(depth + 1);
      if (!item)
        return item.takeError();
      value.elements.push_back(std::move(*key));
      value.elements.push_back(std::move(*item));
      if (consume('}'))
        break;
      if (!consume(','))
        return fail("expected ',' or '}'");
    }
    return value;
  }

  StringRef text;
  StringRef name;
  size_t pos = 0;
};

} // namespace

//===----------------------------------------------------------------------===//
// Dtypes
//===----------------------------------------------------------------------===//

/// The NumPy type-string of a dtype, as NumPy itself writes it.
static StringRef getDescr(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::F64:
    return "<f8";
  case DType::I8:
    return "|i1";
  case DType::U8:
    return "|u1";
  case DType::I16:
    return "<i2";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  case DType::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown dtype");
}

/// Parses a type-string: an optional byte order ('<' little, '>' big, '='
/// native, '|' not applicable) and a kind with its size ("f4"), a one-letter
/// code ("f") or a name ("float32").
static Expected<DType> parseDescr(StringRef descr, StringRef name) {
  StringRef spelling = descr;
  char order = '=';
  if (!spelling.empty() && StringRef("<>=|").contains(spelling.front())) {
    order = spelling.front();
    spelling = spelling.drop_front();
  }
  if (order == '=')
    order = sys::IsLittleEndianHost ? '<' : '>';

  std::optional<DType> dtype = StringSwitch<std::optional<DType>>(spelling)
                                   .Cases({"f4", "f", "float32"}, DType::F32)
                                   .Cases({"f8", "d", "float64"}, DType::F64)
                                   .Cases({"i1", "b", "int8"}, DType::I8)
                                   .Cases({"u1", "B", "uint8"}, DType::U8)
                                   .Cases({"i2", "h", "int16"}, DType::I16)
                                   .Cases({"i4", "i", "int32"}, DType::I32)
                                   .Cases({"i8", "l", "q", "int64"}, DType::I64)
                                   .Cases({"b1", "?", "bool"}, DType::Bool)
                                   .Default(std::nullopt);
  if (!dtype) {
    StringRef what;
    if (!spelling.empty()) {
      switch (spelling.front()) {
      case 'U':
      case 'S':
      case 'a':
        what = " (strings are not supported)";
        break;
      case 'O':
        what = " (object arrays are not supported)";
        break;
      case 'c':
        what = " (complex numbers are not supported)";
        break;
      case 'V':
        what = " (structured and void dtypes are not supported)";
        break;
      default:
        break;
      }
    }
    return makeError(name, "unsupported dtype '" + descr + "'" + what +
                               "; expected one of float32, float64, int8, "
                               "uint8, int16, int32, int64, bool");
  }
  if (order == '>' && getDTypeSize(*dtype) > 1)
    return makeError(name, "big-endian dtype '" + descr +
                               "' is not supported; save the array "
                               "little-endian");
  return *dtype;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {
/// What the header says.
struct NpyHeader {
  DType dtype = DType::F32;
  bool fortranOrder = false;
  SmallVector<int64_t> shape;
};
} // namespace

static Expected<NpyHeader> parseHeader(StringRef text, StringRef name) {
  Expected<PyValue> dict = PyLiteralParser(text, name).parse();
  if (!dict)
    return dict.takeError();
  if (dict->kind != PyValue::Kind::Dict)
    return makeError(name, "malformed .npy header: expected a dict, got " +
                               getKindName(dict->kind));

  const PyValue *descr = nullptr, *fortranOrder = nullptr, *shape = nullptr;
  for (size_t i = 0; i < dict->elements.size(); i += 2) {
    const PyValue &key = dict->elements[i];
    if (key.kind != PyValue::Kind::String)
      return makeError(name, "malformed .npy header: key is " +
                                 getKindName(key.kind) + ", not a string");
    const PyValue **slot = StringSwitch<const PyValue **>(key.str)
                               .Case("descr", &descr)
                               .Case("fortran_order", &fortranOrder)
                               .Case("shape", &shape)
                               .Default(nullptr);
    if (!slot)
      return makeError(name, "unexpected .npy header key '" + key.str + "'");
    if (*slot)
      return makeError(name, "duplicate .npy header key '" + key.str + "'");
    *slot = &dict->elements[i + 1];
  }
  for (auto [value, key] :
       {std::pair{descr, "descr"}, std::pair{fortranOrder, "fortran_order"},
        std::pair{shape, "shape"}})
    if (!value)
      return makeError(name, Twine(".npy header has no '") + key + "' key");

  NpyHeader header;
  if (descr->kind != PyValue::Kind::String)
    return makeError(name, "unsupported dtype: 'descr' is " +
                               getKindName(descr->kind) +
                               " (structured dtypes are not supported)");
  Expected<DType> dtype = parseDescr(descr->str, name);
  if (!dtype)
    return dtype.takeError();
  header.dtype = *dtype;

  if (fortranOrder->kind != PyValue::Kind::Bool)
    return makeError(name, "'fortran_order' must be True or False, got " +
                               getKindName(fortranOrder->kind));
  header.fortranOrder = fortranOrder->boolean;

  if (shape->kind != PyValue::Kind::Tuple)
    return makeError(name, "'shape' must be a tuple, got " +
                               getKindName(shape->kind));
  for (const PyValue &dim : shape->elements) {
    if (dim.kind != PyValue::Kind::Int)
      return makeError(name, "'shape' has " + getKindName(dim.kind) +
                                 ", expected integers");
    if (dim.integer < 0)
      return makeError(name, "'shape' has a negative dimension " +
                                 Twine(dim.integer));
    header.shape.push_back(dim.integer);
  }
  return header;
}

/// Copies Fortran-order (first index fastest) elements into C order (last
/// index fastest), walking the source in order and the destination by
/// strides.
static void fortranToC(ArrayRef<int64_t> shape, size_t elementSize,
                       const uint8_t *src, uint8_t *dst, int64_t count) {
  size_t rank = shape.size();
  SmallVector<int64_t> cStride(rank, 1);
  for (size_t d = rank; d-- > 1;)
    cStride[d - 1] = cStride[d] * shape[d];
  SmallVector<int64_t> index(rank, 0);
  int64_t dstIndex = 0;
  for (int64_t srcIndex = 0; srcIndex < count; ++srcIndex) {
    std::memcpy(dst + dstIndex * elementSize, src + srcIndex * elementSize,
                elementSize);
    for (size_t d = 0; d < rank; ++d) {
      dstIndex += cStride[d];
      if (++index[d] < shape[d])
        break;
      dstIndex -= cStride[d] * shape[d];
      index[d] = 0;
    }
  }
}

Expected<NDArray> qnn::runtime::parseNpy(StringRef bytes, StringRef name) {
  if (!bytes.starts_with(kMagic))
    return makeError(name, "not a .npy file (no \\x93NUMPY magic string)");
  if (bytes.size() < kMagic.size() + 2)
    return makeError(name, "truncated .npy file: no format version");
  uint8_t major = bytes[6], minor = bytes[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return makeError(
        name, "unsupported .npy format version " + Twine(unsigned(major)) +
                  "." + Twine(unsigned(minor)) + "; expected 1.0, 2.0 or 3.0");
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t headerStart = 8 + lengthSize;
  if (bytes.size() < headerStart)
    return makeError(name, "truncated .npy file: no header length");
  uint64_t headerLength = major == 1
                              ? support::endian::read16le(bytes.data() + 8)
                              : support::endian::read32le(bytes.data() + 8);
  if (headerLength > bytes.size() - headerStart)
    return makeError(name, "truncated .npy header: expected " +
                               Twine(headerLength) + " bytes, got " +
                               Twine(bytes.size() - headerStart));
  // 1.0 and 2.0 headers are latin-1, 3.0 headers UTF-8; the keys and dtypes
  // we accept are ASCII either way.
  Expected<NpyHeader> header =
      parseHeader(bytes.substr(headerStart, headerLength), name);
  if (!header)
    return header.takeError();

  NDArray array;
  array.dtype = header->dtype;
  array.shape = header->shape;
  int64_t count = 1;
  for (int64_t dim : array.shape)
    if (MulOverflow(count, dim, count))
      return makeError(name,
                       "element count of " + array.describe() + " overflows");
  size_t elementSize = getDTypeSize(array.dtype);
  if (static_cast<uint64_t>(count) > UINT64_MAX / elementSize)
    return makeError(name, "byte size of " + array.describe() + " overflows");
  uint64_t expected = static_cast<uint64_t>(count) * elementSize;
  StringRef data = bytes.substr(headerStart + headerLength);
  if (data.size() != expected)
    return makeError(name, "data of " + array.describe() + " is " +
                               Twine(data.size()) + " bytes, expected " +
                               Twine(expected) +
                               (data.size() < expected ? " (truncated file)"
                                                       : " (trailing bytes)"));

  const auto *src = reinterpret_cast<const uint8_t *>(data.data());
  array.data.resize(expected);
  if (header->fortranOrder && array.shape.size() > 1)
    fortranToC(array.shape, elementSize, src, array.data.data(), count);
  else if (expected)
    std::memcpy(array.data.data(), src, expected);
  return array;
}

Expected<NDArray> qnn::runtime::readNpy(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError(path, "cannot read: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

std::string qnn::runtime::serializeNpy(const NDArray &array) {
  assert(array.data.size() == static_cast<size_t>(array.numElements()) *
                                  getDTypeSize(array.dtype) &&
         "data size does not match the shape");
  std::string dict;
  raw_string_ostream os(dict);
  os << "{'descr': '" << getDescr(array.dtype)
     << "', 'fortran_order': False, 'shape': (";
  interleaveComma(array.shape, os);
  os << (array.shape.size() == 1 ? ",), }" : "), }");
  // Byte for byte what np.save writes: NumPy leaves room for the first
  // dimension to grow to kGrowthDigits digits in place...
  if (!array.shape.empty())
    dict.append(kGrowthDigits - std::to_string(array.shape.front()).size(),
                ' ');

  // ...then pads with spaces and a newline so that the data starts on a
  // 64-byte boundary (a whole extra 64 if it already would), and the header
  // must fit its length field.
  auto paddedLength = [&](size_t prefix) {
    size_t unpadded = dict.size() + 1;
    return unpadded + kHeaderAlignment - (prefix + unpadded) % kHeaderAlignment;
  };
  uint8_t major = 1;
  size_t prefix = kMagic.size() + 2 + 2;
  if (paddedLength(prefix) > UINT16_MAX) {
    major = 2;
    prefix = kMagic.size() + 2 + 4;
  }
  size_t headerLength = paddedLength(prefix);

  std::string result;
  result.reserve(prefix + headerLength + array.data.size());
  result += kMagic;
  result.push_back(static_cast<char>(major));
  result.push_back(0);
  char length[4];
  support::endian::write32le(length, static_cast<uint32_t>(headerLength));
  result.append(length, major == 1 ? 2 : 4);
  result += dict;
  result.append(headerLength - dict.size() - 1, ' ');
  result.push_back('\n');
  result.append(reinterpret_cast<const char *>(array.data.data()),
                array.data.size());
  return result;
}

Error qnn::runtime::writeNpy(StringRef path, const NDArray &array) {
  if (Error error = detail::checkArray(array, path))
    return error;
  std::string bytes = serializeNpy(array);
  return detail::writeFileAtomically(path, [&](raw_ostream &os) {
    os << bytes;
    return Error::success();
  });
}
