//===- ConvPoolOps.cpp - Conv, pooling and BatchNormalization -------------===//
//
// Part of quant-opt. The ops that work on NCHW images: their inputs are
// taken in NHWC, their filters as [O, KH, KW, I/groups], and their results
// are held in NHWC.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/QuantTypeUtils.h"
#include "qnn/Dialect/Qnn/Utils/ShapeUtils.h"

#include "onnx/onnx_pb.h"

#include <cmath>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

namespace {
/// Strides, dilations and explicit padding of a 2-D window.
struct Window {
  SmallVector<int64_t, 2> kernel;
  SmallVector<int64_t, 2> strides = {1, 1};
  SmallVector<int64_t, 2> dilations = {1, 1};
  /// [top, left, bottom, right].
  SmallVector<int64_t, 4> padding = {0, 0, 0, 0};
  /// [OH, OW].
  SmallVector<int64_t, 2> outputSize;
};
} // namespace

/// Streams `values` as "[a, b, c]".
static void printList(InFlightDiagnostic &diag, ArrayRef<int64_t> values) {
  diag << "[";
  llvm::interleave(
      values, [&](int64_t v) { diag << v; }, [&] { diag << ", "; });
  diag << "]";
}

/// The largest kernel size, stride, dilation or pad accepted: larger
/// values are corrupt, and would overflow the size arithmetic.
static constexpr int64_t kMaxWindowValue = int64_t(1) << 31;

/// Reads a list attribute of `size` positive entries.
static LogicalResult readPositiveList(GraphImporter &importer,
                                      NodeAttributes &attrs, StringRef name,
                                      size_t size,
                                      SmallVectorImpl<int64_t> &values) {
  if (failed(attrs.getInts(name, values)))
    return failure();
  if (values.size() != size || llvm::any_of(values, [](int64_t v) {
        return v <= 0 || v > kMaxWindowValue;
      })) {
    auto diag = importer.emitNodeError() << "attribute '" << name << "' = ";
    printList(diag, values);
    return diag << " must hold " << size << " positive values";
  }
  return success();
}

/// Reads strides, dilations (when `hasDilations`), pads and auto_pad of a
/// 2-D window of size `window.kernel` over spatial input size `inputHW`, and
/// computes the output size.
static LogicalResult readWindow(GraphImporter &importer, NodeAttributes &attrs,
                                ArrayRef<int64_t> inputHW, bool hasDilations,
                                Window &window) {
  if (attrs.has("strides") &&
      failed(readPositiveList(importer, attrs, "strides", 2, window.strides)))
    return failure();
  if (hasDilations && attrs.has("dilations") &&
      failed(
          readPositiveList(importer, attrs, "dilations", 2, window.dilations)))
    return failure();

  std::string autoPad = "NOTSET";
  if (failed(attrs.getString("auto_pad", autoPad)))
    return failure();
  if (autoPad == "NOTSET") {
    SmallVector<int64_t, 4> pads = {0, 0, 0, 0};
    if (failed(attrs.getInts("pads", pads)))
      return failure();
    if (pads.size() != 4) {
      auto diag = importer.emitNodeError() << "attribute 'pads' = ";
      printList(diag, pads);
      return diag << " must hold 4 values [top, left, bottom, right]";
    }
    if (llvm::any_of(pads,
                     [](int64_t v) { return v < 0 || v > kMaxWindowValue; })) {
      auto diag = importer.emitNodeError() << "unsupported pads = ";
      printList(diag, pads);
      return diag << " (negative or too large)";
    }
    // ONNX orders pads [x1_begin, x2_begin, x1_end, x2_end]: already
    // [top, left, bottom, right].
    window.padding.assign(pads.begin(), pads.end());
  } else if (autoPad == "VALID" || autoPad == "SAME_UPPER" ||
             autoPad == "SAME_LOWER") {
    if (attrs.has("pads"))
      return importer.emitNodeError()
             << "attribute 'pads' cannot be combined with auto_pad = '"
             << autoPad << "'";
    if (autoPad != "VALID") {
      for (int d = 0; d < 2; ++d) {
        // SAME: output = ceil(input / stride); the odd pixel of padding goes
        // at the end (SAME_UPPER) or at the beginning (SAME_LOWER).
        int64_t stride = window.strides[d];
        int64_t out = (inputHW[d] + stride - 1) / stride;
        int64_t extent = window.dilations[d] * (window.kernel[d] - 1) + 1;
        int64_t total =
            std::max<int64_t>(0, (out - 1) * stride + extent - inputHW[d]);
        int64_t small = total / 2, large = total - total / 2;
        window.padding[d] = autoPad == "SAME_UPPER" ? small : large;
        window.padding[d + 2] = autoPad == "SAME_UPPER" ? large : small;
      }
    }
  } else {
    return importer.emitNodeError()
           << "unsupported auto_pad = '" << autoPad
           << "' (expected NOTSET, SAME_UPPER, SAME_LOWER or VALID)";
  }

  for (int d = 0; d < 2; ++d) {
    std::optional<int64_t> size = getWindowedOutputSize(
        inputHW[d], window.padding[d], window.padding[d + 2], window.kernel[d],
        window.strides[d], window.dilations[d]);
    if (!size) {
      auto diag = importer.emitNodeError() << "the padded input ";
      printList(diag, inputHW);
      diag << " with pads ";
      printList(diag, window.padding);
      diag << " is smaller than the kernel ";
      return diag << "(" << window.kernel[0] << "x" << window.kernel[1]
                  << ", dilations " << window.dilations[0] << "x"
                  << window.dilations[1] << ")";
    }
    window.outputSize.push_back(*size);
  }
  return success();
}

/// Fails unless ceil_mode is 0, or 1 with every window fitting exactly, so
/// that rounding up changes no output size.
static LogicalResult checkCeilMode(GraphImporter &importer,
                                   NodeAttributes &attrs,
                                   ArrayRef<int64_t> inputHW,
                                   const Window &window) {
  int64_t ceilMode = 0;
  if (failed(attrs.getInt("ceil_mode", ceilMode)))
    return failure();
  if (ceilMode == 0)
    return success();
  if (ceilMode != 1)
    return importer.emitNodeError()
           << "unsupported ceil_mode = " << ceilMode << " (expected 0 or 1)";
  for (int d = 0; d < 2; ++d) {
    int64_t span = inputHW[d] + window.padding[d] + window.padding[d + 2] -
                   window.kernel[d];
    if (span % window.strides[d] != 0)
      return importer.emitNodeError()
             << "ceil_mode = 1 is not supported where it changes the output "
                "size (spatial dimension "
             << d << ": " << window.outputSize[d] << " with ceil_mode = 0, "
             << window.outputSize[d] + 1 << " with ceil_mode = 1)";
  }
  return success();
}

/// Checks that input 0 is 4-D and returns its ONNX shape.
static FailureOr<ArrayRef<int64_t>> getImageShape(GraphImporter &importer) {
  auto input = importer.getInput(0);
  if (failed(input))
    return failure();
  if ((*input)->getRank() != 4)
    return importer.emitNodeError()
           << "only 2-D images (4-D NCHW inputs) are supported, got a rank-"
           << (*input)->getRank() << " input";
  return ArrayRef<int64_t>((*input)->shape);
}

LogicalResult GraphImporter::importConv(NodeAttributes &attrs) {
  if (failed(checkArity(2, 3)))
    return failure();
  auto xShape = getImageShape(*this);
  auto filter = getInput(1);
  if (failed(xShape) || failed(filter))
    return failure();
  ArrayRef<int64_t> wShape = (*filter)->shape;
  if (wShape.size() != 4)
    return emitNodeError() << "the filter must be 4-D [O, I/groups, KH, KW], "
                              "got rank "
                           << wShape.size();

  int64_t groups = 1;
  if (failed(attrs.getInt("group", groups)))
    return failure();
  int64_t channels = (*xShape)[1], outChannels = wShape[0];
  if (groups <= 0 || channels % groups != 0 || outChannels % groups != 0 ||
      wShape[1] * groups != channels)
    return emitNodeError() << "group = " << groups
                           << " does not fit the input channels " << channels
                           << " and the filter [" << wShape[0] << ", "
                           << wShape[1] << ", " << wShape[2] << ", "
                           << wShape[3] << "]";

  Window window;
  window.kernel = {wShape[2], wShape[3]};
  SmallVector<int64_t, 2> kernelShape;
  if (failed(attrs.getInts("kernel_shape", kernelShape)))
    return failure();
  if (attrs.has("kernel_shape") &&
      ArrayRef<int64_t>(kernelShape) != ArrayRef<int64_t>(window.kernel))
    return emitNodeError() << "kernel_shape does not match the filter's "
                           << wShape[2] << "x" << wShape[3];
  SmallVector<int64_t, 2> inputHW = {(*xShape)[2], (*xShape)[3]};
  if (failed(readWindow(*this, attrs, inputHW, /*hasDilations=*/true, window)))
    return failure();

  Layout nhwc = getChannelsLastLayout(4);
  auto input = getFloatInputValue(0, nhwc);
  // OIHW -> [O, KH, KW, I/groups] is the same permutation as NCHW -> NHWC.
  auto weight = getFloatInputValue(1, nhwc);
  if (failed(input) || failed(weight))
    return failure();
  Value bias;
  if (hasInput(2)) {
    auto biasInput = getInput(2);
    if (failed(biasInput))
      return failure();
    if ((*biasInput)->shape != ArrayRef<int64_t>{outChannels})
      return emitNodeError()
             << "the bias must have shape [" << outChannels << "]";
    auto biasValue = getFloatInputValue(2, {0});
    if (failed(biasValue))
      return failure();
    bias = *biasValue;
  }

  SmallVector<int64_t, 4> shape = {(*xShape)[0], outChannels,
                                   window.outputSize[0], window.outputSize[1]};
  auto type = RankedTensorType::get(permute<int64_t>(shape, nhwc),
                                    builder.getF32Type());
  auto padding = PaddingAttr::get(ctx, window.padding[0], window.padding[1],
                                  window.padding[2], window.padding[3]);
  Value result = Conv2DOp::create(
      builder, getNameLoc(getOutputName(0)), type, *input, *weight, bias,
      window.strides, window.dilations, padding, groups,
      /*activation=*/nullptr, /*input_zero_point=*/nullptr);
  defineOutput(0, result, nhwc, shape);
  return success();
}

/// The common part of AveragePool and MaxPool: the window and the input.
static FailureOr<std::pair<Value, Window>>
readPool(GraphImporter &importer, NodeAttributes &attrs, bool isMax) {
  if (failed(importer.checkArity(1, 1)))
    return failure();
  auto xShape = getImageShape(importer);
  if (failed(xShape))
    return failure();
  Window window;
  if (failed(
          readPositiveList(importer, attrs, "kernel_shape", 2, window.kernel)))
    return failure();
  if (isMax) {
    SmallVector<int64_t, 2> dilations;
    if (failed(attrs.getInts("dilations", dilations)))
      return failure();
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; })) {
      auto diag = importer.emitNodeError() << "unsupported dilations = ";
      printList(diag, dilations);
      return diag << " (only 1 is supported)";
    }
    int64_t storageOrder = 0;
    if (failed(attrs.getInt("storage_order", storageOrder)))
      return failure();
    if (storageOrder != 0)
      return importer.emitNodeError()
             << "unsupported storage_order = " << storageOrder
             << " (only 0, row major, is supported)";
  }
  SmallVector<int64_t, 2> inputHW = {(*xShape)[2], (*xShape)[3]};
  if (failed(readWindow(importer, attrs, inputHW, /*hasDilations=*/false,
                        window)) ||
      failed(checkCeilMode(importer, attrs, inputHW, window)))
    return failure();
  // A window entirely in the padding has no value (ONNX requires this too).
  for (int d = 0; d < 4; ++d) {
    if (window.padding[d] < window.kernel[d % 2])
      continue;
    auto diag = importer.emitNodeError() << "pads ";
    printList(diag, window.padding);
    diag << " must be smaller than the kernel ";
    printList(diag, window.kernel);
    return diag;
  }
  // Max pooling commutes with dequantization: it may read a quantized
  // tensor.
  FailureOr<Value> input =
      isMax ? importer.getInputValue(0, getChannelsLastLayout(4))
            : importer.getFloatInputValue(0, getChannelsLastLayout(4));
  if (failed(input))
    return failure();
  if (isMax &&
      importer.classify(**importer.getInput(0)) == TensorClass::Integer)
    return importer.emitNodeError() << "integer inputs are not supported";
  return std::make_pair(*input, window);
}

/// The NHWC result type and the ONNX shape of a pooling op.
static std::pair<RankedTensorType, SmallVector<int64_t, 4>>
getPoolResult(Value input, const Window &window) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t n = inputType.getDimSize(0), c = inputType.getDimSize(3);
  SmallVector<int64_t, 4> shape = {n, c, window.outputSize[0],
                                   window.outputSize[1]};
  return {
      RankedTensorType::get({n, window.outputSize[0], window.outputSize[1], c},
                            inputType.getElementType()),
      shape};
}

LogicalResult GraphImporter::importAveragePool(NodeAttributes &attrs) {
  int64_t countIncludePad = 0;
  if (failed(attrs.getInt("count_include_pad", countIncludePad)))
    return failure();
  if (countIncludePad != 0 && countIncludePad != 1)
    return emitNodeError() << "unsupported count_include_pad = "
                           << countIncludePad << " (expected 0 or 1)";
  auto pool = readPool(*this, attrs, /*isMax=*/false);
  if (failed(pool))
    return failure();
  auto [input, window] = *pool;
  auto [type, shape] = getPoolResult(input, window);
  auto padding = PaddingAttr::get(ctx, window.padding[0], window.padding[1],
                                  window.padding[2], window.padding[3]);
  Value result = AvgPool2DOp::create(
      builder, getNameLoc(getOutputName(0)), type, input, window.kernel,
      window.strides, padding,
      countIncludePad ? PoolDivisor::IncludePad : PoolDivisor::ExcludePad);
  defineOutput(0, result, getChannelsLastLayout(4), shape);
  return success();
}

LogicalResult GraphImporter::importMaxPool(NodeAttributes &attrs) {
  auto pool = readPool(*this, attrs, /*isMax=*/true);
  if (failed(pool))
    return failure();
  auto [input, window] = *pool;
  auto [type, shape] = getPoolResult(input, window);
  auto padding = PaddingAttr::get(ctx, window.padding[0], window.padding[1],
                                  window.padding[2], window.padding[3]);
  Value result =
      MaxPool2DOp::create(builder, getNameLoc(getOutputName(0)), type, input,
                          window.kernel, window.strides, padding);
  defineOutput(0, result, getChannelsLastLayout(4), shape);
  return success();
}

LogicalResult GraphImporter::importGlobalAveragePool(NodeAttributes &attrs) {
  if (failed(checkArity(1, 1)))
    return failure();
  auto xShape = getImageShape(*this);
  if (failed(xShape))
    return failure();
  Layout nhwc = getChannelsLastLayout(4);
  auto input = getFloatInputValue(0, nhwc);
  if (failed(input))
    return failure();
  SmallVector<int64_t, 4> shape = {(*xShape)[0], (*xShape)[1], 1, 1};
  auto type = RankedTensorType::get(permute<int64_t>(shape, nhwc),
                                    builder.getF32Type());
  Value result = GlobalAvgPoolOp::create(builder, getNameLoc(getOutputName(0)),
                                         type, *input);
  defineOutput(0, result, nhwc, shape);
  return success();
}

LogicalResult GraphImporter::importBatchNormalization(NodeAttributes &attrs) {
  if (failed(checkArity(5, 5)))
    return failure();
  float epsilon = 1e-5f;
  int64_t trainingMode = 0;
  if (failed(attrs.getFloat("epsilon", epsilon)) ||
      failed(attrs.getInt("training_mode", trainingMode)))
    return failure();
  // The running-statistics update rate only matters in training.
  attrs.ignore("momentum");
  if (trainingMode != 0)
    return emitNodeError() << "unsupported training_mode = " << trainingMode
                           << " (only inference, 0, is supported)";
  if (!(epsilon >= 0.0f) || !std::isfinite(epsilon))
    return emitNodeError() << "unsupported epsilon = " << formatReal(epsilon)
                           << " (must be non-negative and finite)";
  // Opset 6 means training unless is_test = 1; until opset 9, spatial = 0
  // asks for per-element statistics.
  int64_t isTest = opset < 7 ? 0 : 1, spatial = 1;
  if (failed(attrs.getInt("is_test", isTest)) ||
      failed(attrs.getInt("spatial", spatial)))
    return failure();
  if (isTest != 1)
    return emitNodeError() << "unsupported is_test = " << isTest
                           << " (only inference, 1, is supported)";
  if (spatial != 1)
    return emitNodeError() << "unsupported spatial = " << spatial
                           << " (only 1 is supported)";

  auto x = getInput(0);
  if (failed(x))
    return failure();
  int64_t rank = (*x)->getRank();
  if (rank < 2 || rank > 4)
    return emitNodeError() << "only inputs of rank 2 to 4 are supported, got "
                           << rank;
  int64_t channels = (*x)->shape[1];
  // qnn.batch_norm normalizes the last dimension: hold channels last.
  Layout layout = getChannelsLastLayout(rank);
  auto input = getFloatInputValue(0, layout);
  if (failed(input))
    return failure();
  SmallVector<Value, 4> params;
  static const char *const paramNames[] = {"scale", "B", "input_mean",
                                           "input_var"};
  for (unsigned i = 1; i < 5; ++i) {
    auto param = getInput(i);
    if (failed(param))
      return failure();
    if ((*param)->shape != ArrayRef<int64_t>{channels})
      return emitNodeError() << "'" << paramNames[i - 1]
                             << "' must have shape [" << channels << "]";
    auto value = getFloatInputValue(i, {0});
    if (failed(value))
      return failure();
    params.push_back(*value);
  }
  Value result = BatchNormOp::create(builder, getNameLoc(getOutputName(0)),
                                     input->getType(), *input, params[0],
                                     params[1], params[2], params[3],
                                     builder.getF64FloatAttr(epsilon));
  defineOutput(0, result, layout, (*x)->shape);
  return success();
}
