//===- GraphImporter.cpp - One ONNX graph to one func.func ----------------===//
//
// Part of quant-opt. The driver: graph inputs become function arguments,
// initializers lazy constants, nodes are imported in topological order by
// the handler of their op type, graph outputs are returned.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/MathExtras.h"

#include "onnx/onnx_pb.h"

#include <queue>

using namespace mlir;
using namespace qnn;
using namespace qnn::onnx_import;

GraphImporter::GraphImporter(MLIRContext *ctx, const onnx::GraphProto &graph,
                             int64_t opset, StringRef fileName,
                             const ImportOptions &options)
    : ctx(ctx), graph(graph), opset(opset), fileName(fileName.str()),
      options(options), builder(ctx),
      fileLoc(FileLineColLoc::get(ctx, fileName, 0, 0)) {}

//===----------------------------------------------------------------------===//
// Diagnostics and locations
//===----------------------------------------------------------------------===//

InFlightDiagnostic GraphImporter::emitFileError() {
  return mlir::emitError(fileLoc);
}

InFlightDiagnostic GraphImporter::emitNodeError() {
  InFlightDiagnostic diag = emitFileError();
  if (!currentNode)
    return diag;
  const onnx::NodeProto &node = *currentNode;
  if (!node.name().empty())
    diag << "node '" << node.name() << "' (" << node.op_type() << ")";
  else if (node.output_size() > 0)
    diag << "node (" << node.op_type() << ") producing '" << node.output(0)
         << "'";
  else
    diag << "node (" << node.op_type() << ")";
  return std::move(diag << ": ");
}

Location GraphImporter::getNameLoc(StringRef name) {
  return NameLoc::get(StringAttr::get(ctx, name));
}

Location GraphImporter::getAuxLoc(StringRef name, StringRef role) {
  return NameLoc::get(StringAttr::get(ctx, name + "#" + role));
}

//===----------------------------------------------------------------------===//
// Graph inputs, initializers and outputs
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importInitializers() {
  for (const onnx::TensorProto &proto : graph.initializer()) {
    const std::string &name = proto.name();
    if (name.empty())
      return emitFileError() << "an initializer has no name";
    if (values.count(name))
      return emitFileError() << "initializer '" << name << "' is defined twice";
    auto tensor = decodeTensor(proto, [&] {
      return std::move(emitFileError() << "initializer '" << name << "' ");
    });
    if (failed(tensor))
      return failure();
    TensorValue &entry = values[name];
    entry.shape = tensor->shape;
    entry.layout = getIdentityLayout(tensor->shape.size());
    entry.constant = makeConstant(name, std::move(*tensor));
  }
  return success();
}

LogicalResult GraphImporter::importInputs() {
  SmallVector<Type> argTypes;
  SmallVector<Location> argLocs;
  SmallVector<std::pair<std::string, SmallVector<int64_t, 4>>> args;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    const std::string &name = input.name();
    // Before IR version 4, initializers were also listed as inputs; they
    // stay constants.
    if (values.count(name))
      continue;
    if (!input.type().has_tensor_type())
      return emitFileError() << "graph input '" << name << "' is not a tensor";
    const onnx::TypeProto::Tensor &tensorType = input.type().tensor_type();
    if (tensorType.elem_type() != onnx::TensorProto::FLOAT)
      return emitFileError() << "graph input '" << name << "' has element type "
                             << stringifyONNXDataType(tensorType.elem_type())
                             << "; only FLOAT inputs are supported";
    if (!tensorType.has_shape())
      return emitFileError() << "graph input '" << name << "' has no shape";
    SmallVector<int64_t, 4> shape;
    for (auto [d, dim] : llvm::enumerate(tensorType.shape().dim())) {
      if (dim.has_dim_value() && dim.dim_value() > 0) {
        if (dim.dim_value() > (int64_t(1) << 31))
          return emitFileError()
                 << "graph input '" << name << "' has a too large dimension "
                 << dim.dim_value();
        shape.push_back(dim.dim_value());
        continue;
      }
      if (d == 0 && !(dim.has_dim_value() && dim.dim_value() == 0)) {
        // A symbolic or unknown batch dimension.
        shape.push_back(options.batchSize);
        continue;
      }
      auto diag = emitFileError() << "graph input '" << name << "' has ";
      if (dim.has_dim_param())
        diag << "a symbolic dimension '" << dim.dim_param() << "'";
      else if (dim.has_dim_value())
        diag << "a dimension of size " << dim.dim_value();
      else
        diag << "an unknown dimension";
      return diag << " at index " << d
                  << "; only the leading (batch) dimension may be symbolic";
    }
    int64_t numElements = 1;
    for (int64_t d : shape)
      if (llvm::MulOverflow(numElements, d, numElements) ||
          numElements > (int64_t(1) << 40))
        return emitFileError() << "graph input '" << name << "' is too large";
    Layout layout = getIdentityLayout(shape.size());
    if (options.nhwcIO && shape.size() == 4)
      layout = getChannelsLastLayout(4);
    argTypes.push_back(RankedTensorType::get(permute<int64_t>(shape, layout),
                                             Float32Type::get(ctx)));
    argLocs.push_back(getNameLoc(name));
    args.push_back({name, shape});
  }

  func.setFunctionType(FunctionType::get(ctx, argTypes, {}));
  Block *entry = builder.createBlock(&func.getBody(), {}, argTypes, argLocs);
  for (auto [i, arg] : llvm::enumerate(args)) {
    TensorValue &entryValue = values[arg.first];
    entryValue.value = entry->getArgument(i);
    entryValue.shape = arg.second;
    entryValue.layout = getIdentityLayout(arg.second.size());
    if (options.nhwcIO && arg.second.size() == 4)
      entryValue.layout = getChannelsLastLayout(4);
  }
  return success();
}

LogicalResult GraphImporter::importOutputs() {
  currentNode = nullptr;
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    const std::string &name = output.name();
    auto it = values.find(name);
    if (it == values.end())
      return emitFileError()
             << "graph output '" << name << "' is not produced by any node";
    const TensorValue value = it->second;
    Layout layout = getIdentityLayout(value.getRank());
    if (options.nhwcIO && value.getRank() == 4)
      layout = getChannelsLastLayout(4);
    auto result = getValueIn(value, name, layout);
    if (failed(result))
      return failure();

    // The declared shape, where static, must be the one inferred.
    if (output.type().has_tensor_type() &&
        output.type().tensor_type().has_shape()) {
      const auto &dims = output.type().tensor_type().shape().dim();
      bool matches = dims.size() == value.getRank();
      for (int d = 0; matches && d < dims.size(); ++d)
        if (dims[d].has_dim_value() && dims[d].dim_value() > 0 &&
            dims[d].dim_value() != value.shape[d])
          matches = false;
      if (!matches) {
        auto diag = emitFileError()
                    << "graph output '" << name << "' is declared with shape [";
        for (int d = 0; d < dims.size(); ++d) {
          if (d)
            diag << ", ";
          if (dims[d].has_dim_value())
            diag << dims[d].dim_value();
          else
            diag << "'" << dims[d].dim_param() << "'";
        }
        diag << "] but computes shape [";
        llvm::interleave(
            value.shape, [&](int64_t v) { diag << v; }, [&] { diag << ", "; });
        return diag << "]";
      }
    }
    results.push_back(*result);
    resultTypes.push_back(result->getType());
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      FunctionType::get(ctx, func.getFunctionType().getInputs(), resultTypes));
  return success();
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult
GraphImporter::sortNodes(std::vector<const onnx::NodeProto *> &order) {
  int numNodes = graph.node_size();
  llvm::StringMap<int> producer;
  for (int n = 0; n < numNodes; ++n) {
    currentNode = &graph.node(n);
    for (const std::string &output : graph.node(n).output()) {
      if (output.empty())
        continue;
      if (values.count(output) || !producer.try_emplace(output, n).second)
        return emitNodeError()
               << "output '" << output << "' is already defined";
    }
  }

  // Kahn's algorithm, taking the first ready node in file order each time,
  // so that an already sorted graph keeps its order.
  std::vector<int> pending(numNodes, 0);
  std::vector<SmallVector<int>> consumers(numNodes);
  for (int n = 0; n < numNodes; ++n) {
    currentNode = &graph.node(n);
    for (const std::string &input : graph.node(n).input()) {
      if (input.empty())
        continue;
      usedNames.insert(input);
      auto it = producer.find(input);
      if (it != producer.end()) {
        ++pending[n];
        consumers[it->second].push_back(n);
      } else if (!values.count(input)) {
        return emitNodeError() << "input '" << input
                               << "' is not produced by any node, "
                                  "initializer or graph input";
      }
    }
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    usedNames.insert(output.name());

  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int n = 0; n < numNodes; ++n)
    if (pending[n] == 0)
      ready.push(n);
  while (!ready.empty()) {
    int n = ready.top();
    ready.pop();
    order.push_back(&graph.node(n));
    for (int consumer : consumers[n])
      if (--pending[consumer] == 0)
        ready.push(consumer);
  }
  if (static_cast<int>(order.size()) != numNodes) {
    for (int n = 0; n < numNodes; ++n) {
      if (pending[n] == 0)
        continue;
      currentNode = &graph.node(n);
      return emitNodeError() << "is part of a cycle";
    }
  }
  currentNode = nullptr;
  return success();
}

using Handler = LogicalResult (GraphImporter::*)(NodeAttributes &);

/// The importer of each supported op type of the default domain.
static const llvm::StringMap<Handler> &getHandlers() {
  static const llvm::StringMap<Handler> handlers = {
      {"Add", &GraphImporter::importAdd},
      {"AveragePool", &GraphImporter::importAveragePool},
      {"BatchNormalization", &GraphImporter::importBatchNormalization},
      {"Clip", &GraphImporter::importClip},
      {"Concat", &GraphImporter::importConcat},
      {"Constant", &GraphImporter::importConstant},
      {"Conv", &GraphImporter::importConv},
      {"DequantizeLinear", &GraphImporter::importDequantizeLinear},
      {"Dropout", &GraphImporter::importDropout},
      {"Flatten", &GraphImporter::importFlatten},
      {"Gemm", &GraphImporter::importGemm},
      {"GlobalAveragePool", &GraphImporter::importGlobalAveragePool},
      {"Identity", &GraphImporter::importIdentity},
      {"MatMul", &GraphImporter::importMatMul},
      {"MaxPool", &GraphImporter::importMaxPool},
      {"Mul", &GraphImporter::importMul},
      {"Pad", &GraphImporter::importPad},
      {"QuantizeLinear", &GraphImporter::importQuantizeLinear},
      {"Relu", &GraphImporter::importRelu},
      {"Reshape", &GraphImporter::importReshape},
      {"Softmax", &GraphImporter::importSoftmax},
      {"Sub", &GraphImporter::importSub},
      {"Transpose", &GraphImporter::importTranspose},
  };
  return handlers;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node) {
  currentNode = &node;
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitNodeError() << "unsupported op domain '" << node.domain()
                           << "' (only the default ONNX domain is supported)";
  const auto &handlers = getHandlers();
  auto it = handlers.find(node.op_type());
  if (it == handlers.end())
    return emitNodeError() << "unsupported op type '" << node.op_type() << "'";

  NodeAttributes attrs(node, [this] { return emitNodeError(); });
  if (failed((this->*(it->second))(attrs)) || failed(attrs.checkAllUsed()))
    return failure();

  for (int i = 0; i < node.output_size(); ++i)
    if (isOutputUsed(i) && !values.count(node.output(i)))
      return emitNodeError() << "output #" << i << " '" << node.output(i)
                             << "' is not supported";
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::importGraph() {
  module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  func = func::FuncOp::create(builder, fileLoc, options.funcName,
                              FunctionType::get(ctx, {}, {}));

  std::vector<const onnx::NodeProto *> order;
  if (failed(importInitializers()) || failed(importInputs()) ||
      failed(sortNodes(order)))
    return nullptr;
  for (const onnx::NodeProto *node : order)
    if (failed(importNode(*node)))
      return nullptr;
  if (failed(importOutputs()))
    return nullptr;

  if (failed(verify(*module))) {
    emitFileError() << "the imported IR does not verify (an importer bug, or "
                       "a model the importer does not read correctly)";
    return nullptr;
  }
  return std::move(module);
}
