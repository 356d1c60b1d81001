// --quantize errors: what cannot be quantized is named (op and tensor).
// Values are located at their ONNX tensor names (NameLoc, no file
// position), so the messages are checked with FileCheck rather than
// -verify-diagnostics.
// RUN: not quant-opt %s -split-input-file --quantize 2>&1 | FileCheck %s
// RUN: not quant-opt %s -split-input-file --quantize="calibration=percentile" 2>&1 | FileCheck %s --check-prefix=HIST
// RUN: not quant-opt %s --quantize="weight-bits=1" 2>&1 | FileCheck %s --check-prefix=WBITS
// RUN: not quant-opt %s --quantize="activation-bits=17" 2>&1 | FileCheck %s --check-prefix=ABITS
// RUN: not quant-opt %s --quantize="weights=per-row" 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not quant-opt %s --quantize="calibration=entropy" 2>&1 | FileCheck %s --check-prefix=METHOD
// WBITS: error: weight-bits must be in [2, 16], got 1
// ABITS: error: activation-bits must be in [2, 16], got 17
// GRAN: error: unknown weights granularity 'per-row', expected per-channel or per-tensor
// METHOD: error: unknown calibration method 'entropy', expected minmax, percentile, mse or kl

// The add's result has statistics, so it must be quantized, but its input
// "b" has none.
// CHECK: error: loc("s"): 'qnn.add' op input 'b' has no statistics (qnn.stats) and the op must be quantized: its result 's' has statistics
// HIST: error: loc("a"): 'qnn.stats' op tensor 'a': method 'percentile' needs a histogram and there is none
func.func @missing_stats(%a: tensor<4xf32> loc("a"), %b: tensor<4xf32> loc("b")) -> tensor<4xf32> {
  %as = qnn.stats %a <count = 1, min = -1.0, max = 1.0> : tensor<4xf32> loc("a")
  %s = qnn.add %as, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> loc("s")
  %ss = qnn.stats %s <count = 1, min = -1.0, max = 2.0> : tensor<4xf32> loc("s")
  return %ss : tensor<4xf32>
}

// -----

// CHECK: error: loc("y"): 'qnn.dense' op weight 'w' is not a constant and cannot be quantized
func.func @weight_not_constant(%x: tensor<1x4xf32> loc("x"), %w: tensor<2x4xf32> loc("w")) -> tensor<1x2xf32> {
  %xs = qnn.stats %x <count = 1, min = -1.0, max = 1.0> : tensor<1x4xf32> loc("x")
  %y = qnn.dense %xs, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32> loc("y")
  %ys = qnn.stats %y <count = 1, min = 0.0, max = 6.0> : tensor<1x2xf32> loc("y")
  return %ys : tensor<1x2xf32>
}
