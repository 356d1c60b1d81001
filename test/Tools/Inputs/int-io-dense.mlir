// A calibrated float dense layer: input of quant-compile-c-example.test.
func.func @main(%x: tensor<1x4xf32> loc("x")) -> tensor<1x2xf32> {
  %xs = qnn.stats %x <count = 1, min = -1.0, max = 1.0> : tensor<1x4xf32> loc("x")
  %w = arith.constant dense<[[0.5, -0.25, 0.125, 1.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %y = qnn.dense %xs, %w : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x2xf32> loc("y")
  %ys = qnn.stats %y <count = 1, min = 0.0, max = 6.0> : tensor<1x2xf32> loc("y")
  return %ys : tensor<1x2xf32>
}
