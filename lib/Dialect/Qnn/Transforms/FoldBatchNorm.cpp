//===- FoldBatchNorm.cpp - Fold batch norm into conv2d and dense ----------===//
//
// Part of quant-opt. W' = W * gamma / sigma, b' = beta + (b - mu) * gamma /
// sigma (sigma = sqrt(var + eps)), per output channel; the distribution the
// batch norm implies for the pre-activation, N(beta, gamma^2), is kept on
// the layer for the data-free passes (--absorb-bias, analytic
// --correct-bias).
//
//===----------------------------------------------------------------------===//

#include "LayerParams.h"

#include "qnn/Dialect/Qnn/IR/QnnDialect.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Transforms/Passes.h"
#include "qnn/Dialect/Qnn/Utils/ConstantUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "llvm/ADT/SmallVector.h"

#include <cmath>

namespace qnn {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "qnn/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

namespace {
struct FoldBatchNormPass : qnn::impl::FoldBatchNormBase<FoldBatchNormPass> {
  using FoldBatchNormBase::FoldBatchNormBase;

  void runOnOperation() override {
    SmallVector<BatchNormOp> norms;
    getOperation()->walk([&](BatchNormOp op) { norms.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (BatchNormOp bn : norms) {
      Value input = bn.getInput();
      StatsOp stats = input.getDefiningOp<StatsOp>();
      if (stats) {
        if (!stats->hasOneUse())
          continue;
        input = stats.getInput();
      }
      Operation *layer = input.getDefiningOp();
      if (!layer || !isa<Conv2DOp, DenseOp>(layer) || !input.hasOneUse())
        continue;
      auto act = layer->getAttrOfType<ActivationAttr>("activation");
      if (act && act.getKind() != ActivationKind::None)
        continue;
      FailureOr<LayerParams> params = readLayerParams(layer);
      FailureOr<SmallVector<float>> gamma = readF32Constant(bn.getScale());
      FailureOr<SmallVector<float>> beta = readF32Constant(bn.getOffset());
      FailureOr<SmallVector<float>> mean = readF32Constant(bn.getMean());
      FailureOr<SmallVector<float>> var = readF32Constant(bn.getVariance());
      if (failed(params) || failed(gamma) || failed(beta) || failed(mean) ||
          failed(var) ||
          static_cast<int64_t>(gamma->size()) != params->numOut) {
        bn.emitWarning("batch norm not folded: the producing layer's "
                       "weights or the batch norm parameters are not f32 "
                       "constants of matching size");
        continue;
      }
      double epsilon = bn.getEpsilon().convertToDouble();
      SmallVector<double> preMean, preStd;
      for (int64_t o = 0; o < params->numOut; ++o) {
        double sigma = std::sqrt(static_cast<double>((*var)[o]) + epsilon);
        double factor = (*gamma)[o] / sigma;
        for (int64_t i = 0; i < params->perOut(); ++i) {
          float &w = params->weight[o * params->perOut() + i];
          w = static_cast<float>(w * factor);
        }
        params->bias[o] = static_cast<float>(
            (*beta)[o] + (params->bias[o] - (*mean)[o]) * factor);
        preMean.push_back((*beta)[o]);
        preStd.push_back(std::fabs((*gamma)[o]));
      }
      writeLayerParams(rewriter, *params, "bnfold");
      rewriter.modifyOpInPlace(layer, [&] {
        layer->setLoc(bn.getLoc());
        layer->setAttr(kPreactivationMeanAttr,
                       rewriter.getDenseF64ArrayAttr(preMean));
        layer->setAttr(kPreactivationStdAttr,
                       rewriter.getDenseF64ArrayAttr(preStd));
      });
      SmallVector<Value> parameters = {bn.getScale(), bn.getOffset(),
                                       bn.getMean(), bn.getVariance()};
      rewriter.replaceOp(bn, layer->getResult(0));
      for (Value v : parameters)
        eraseIfUnusedConstant(rewriter, v);
      if (stats)
        rewriter.replaceOp(stats, stats.getInput());
      ++numFolded;
    }
  }
};
} // namespace
