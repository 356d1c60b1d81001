// What the data-free passes cannot do is said, naming the ops (remarks
// with `report`).
// RUN: quant-opt %s -split-input-file --equalize=report --absorb-bias=report --correct-bias=report -verify-diagnostics -o /dev/null

// A residual add after the first layer stops the pair (and absorption);
// the last layer has no successor. Nothing to correct: no Q form.
func.func @branch(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[4.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  // expected-remark @+2 {{not equalized with its successor: its output reaches 'qnn.add', which is not the input of a float conv2d or dense}}
  // expected-remark @+1 {{no bias absorbed: its output reaches 'qnn.add', which is not the input of a float conv2d or dense}}
  %a = qnn.dense %x, %w activation = relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-remark @+2 {{not equalized with its successor: its output reaches 'qnn.add', which is not the input of a float conv2d or dense}}
  // expected-remark @+1 {{no bias absorbed: its output reaches 'qnn.add', which is not the input of a float conv2d or dense}}
  %b = qnn.dense %a, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %s = qnn.add %a, %b : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %s : tensor<1x2xf32>
}

// -----

// A quantized layer whose weight has no float values (quantized elsewhere)
// cannot be bias-corrected.
!q = !quant.uniform<i8:f32, 0.1>
func.func @no_float_weight(%x: tensor<1x2x!q>) -> tensor<1x2x!q> {
  %wi = arith.constant dense<1> : tensor<2x2xi8>
  %w = quant.scast %wi : tensor<2x2xi8> to tensor<2x2x!q>
  // expected-remark @+1 {{bias not corrected: its weight has no float values (qnn.float_weight, left by --quantize)}}
  %y = qnn.dense %x, %w : (tensor<1x2x!q>, tensor<2x2x!q>) -> tensor<1x2x!q>
  return %y : tensor<1x2x!q>
}
