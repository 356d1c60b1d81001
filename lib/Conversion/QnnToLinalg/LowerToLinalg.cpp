//===- LowerToLinalg.cpp - The lower-to-linalg pass -------------------------===//
//
// Part of quant-opt. A dialect conversion with an explicit target: every qnn
// op and quant cast is illegal afterwards; linalg, tensor, arith and math
// are legal; function signatures lose their quantized types.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "qnn/Conversion/Passes.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace qnn {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "qnn/Conversion/Passes.h.inc"
} // namespace qnn

using namespace mlir;
using namespace qnn;

void qnn::populateQnnToLinalgPatterns(TypeConverter &converter,
                                      RewritePatternSet &patterns) {
  detail::populateLayerLoweringPatterns(converter, patterns);
  detail::populateElementwiseLoweringPatterns(converter, patterns);
  detail::populatePoolLoweringPatterns(converter, patterns);
  detail::populateRequantizeLoweringPatterns(converter, patterns);
  detail::populateShapeLoweringPatterns(converter, patterns);
}

/// Ops that move or select elements without arithmetic lower in every
/// numeric form (max pooling of quantized values is a max of their stored
/// integers: dequantization is monotone).
static bool isFormAgnostic(Operation *op) {
  return isa<StatsOp, ReshapeOp, TransposeOp, ConcatOp, PadOp, MaxPool2DOp>(
      op);
}

/// Ops with an integer (I) form lowering: the layers (integers in, i32 out)
/// and requantize (integers only).
static bool hasIntegerLowering(Operation *op) {
  return isa<Conv2DOp, DenseOp, MatmulOp, RequantizeOp, AddOp, AvgPool2DOp,
             GlobalAvgPoolOp>(op);
}

/// Checks before converting that every arithmetic qnn op is in a form this
/// pass lowers (float, or integer for the ops above), so that the error
/// names the op and the reason instead of a generic "failed to legalize".
static LogicalResult checkLowerableForms(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    if (!isa_and_nonnull<QnnDialect>(op->getDialect()) || isFormAgnostic(op))
      return WalkResult::advance();
    bool integerOk = hasIntegerLowering(op);
    for (Type type : llvm::concat<Type>(op->getOperandTypes(),
                                        op->getResultTypes())) {
      auto tensorType = dyn_cast<RankedTensorType>(type);
      if (!tensorType || tensorType.getElementType().isF32() ||
          (integerOk && isa<IntegerType>(tensorType.getElementType())))
        continue;
      if (integerOk)
        op->emitOpError("lower-to-linalg handles the float and integer forms "
                        "only, got ")
            << tensorType
            << "; the quantized form is lowered after --fold-scales";
      else
        op->emitOpError("lower-to-linalg handles the float form only, got ")
            << tensorType
            << "; the quantized and integer forms are lowered after "
               "--fold-scales";
      return WalkResult::interrupt();
    }
    for (Type type : op->getResultTypes())
      if (auto tensorType = dyn_cast<RankedTensorType>(type);
          tensorType && !tensorType.hasStaticShape()) {
        op->emitOpError("lower-to-linalg needs static shapes, got ")
            << tensorType;
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

namespace {
struct LowerToLinalgPass
    : qnn::impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (failed(checkLowerableForms(module)))
      return signalPassFailure();

    module.walk([&](Operation *op) {
      if (isa_and_nonnull<QnnDialect, quant::QuantDialect>(op->getDialect()))
        ++numLowered;
    });

    TypeConverter converter;
    addQuantStorageTypeConversions(converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<QnnDialect, quant::QuantDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateQnnToLinalgPatterns(converter, patterns);
    populateQuantCastToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // Never fold: quant.dcast(quant.qcast(x)) folds to x, which would erase
    // the rounding a QDQ model asks for.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(module, target, std::move(patterns),
                                      config)))
      return signalPassFailure();
  }
};
} // namespace
