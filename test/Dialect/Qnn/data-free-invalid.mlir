// Bad options of the data-free passes: an error naming the option and the
// value, a non-zero exit, nothing written.
// RUN: not quant-opt %s --equalize="min-scale=2" 2>&1 | FileCheck %s --check-prefix=MINSCALE
// RUN: not quant-opt %s --equalize="max-scale=0.5" 2>&1 | FileCheck %s --check-prefix=MAXSCALE
// RUN: not quant-opt %s --equalize="dead-range=1.5" 2>&1 | FileCheck %s --check-prefix=DEAD
// RUN: not quant-opt %s --absorb-bias="sigmas=-1" 2>&1 | FileCheck %s --check-prefix=SIGMAS
// RUN: not quant-opt %s --correct-bias="mode=exact" 2>&1 | FileCheck %s --check-prefix=MODE
// MINSCALE: error: --equalize: min-scale must be in (0, 1] and max-scale in [1, inf), got 2 and 100
// MAXSCALE: error: --equalize: min-scale must be in (0, 1] and max-scale in [1, inf), got 0.01 and 0.5
// DEAD: error: --equalize: dead-range must be in [0, 1), got 1.5
// SIGMAS: error: --absorb-bias: sigmas must be finite and non-negative, got -1
// MODE: error: --correct-bias: unknown mode 'exact', expected empirical or analytic
func.func @f(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %d = qnn.dense %x, %w activation = relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %e = qnn.dense %d, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %e : tensor<1x2xf32>
}
