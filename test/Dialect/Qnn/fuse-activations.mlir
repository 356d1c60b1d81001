// --fuse-activations: a standalone activation after a float conv2d, dense
// or add becomes that op's activation and takes over its name.
// RUN: quant-opt %s -split-input-file --fuse-activations --mlir-print-debuginfo | FileCheck %s

// CHECK-LABEL: func.func @conv_relu6
// CHECK: %[[Y:.*]] = qnn.conv2d {{.*}} activation = relu6 : {{.*}} loc(#[[RELU:.*]])
// CHECK-NOT: qnn.activation
// CHECK: return %[[Y]]
// CHECK: #[[RELU]] = loc("relu1")
func.func @conv_relu6(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x1x1x2xf32>
  %c = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32> loc("conv1")
  %r = qnn.activation %c kind = relu6 : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32> loc("relu1")
  return %r : tensor<1x4x4x2xf32>
}

// -----

// The pre-activation statistics go with the fused op; per-channel clamps
// fuse into dense; the add keeps its other user and is not fused.
// CHECK-LABEL: func.func @dense_and_add
// CHECK: %[[D:.*]] = qnn.dense %{{.*}}, %{{.*}} activation = clamp(min = [0.000000e+00, 0.000000e+00], max = [1.000000e+00, 2.000000e+00])
// CHECK-NOT: qnn.stats
// CHECK: %[[S:.*]] = qnn.add %[[D]], %[[D]] :
// CHECK: %[[R:.*]] = qnn.activation %[[S]] kind = relu
// CHECK: return %[[R]], %[[S]]
func.func @dense_and_add(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %d = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %ds = qnn.stats %d <count = 1, min = -1.0, max = 1.0> : tensor<1x2xf32>
  %c = qnn.activation %ds kind = clamp(min = [0.0, 0.0], max = [1.0, 2.0]) : tensor<1x2xf32> -> tensor<1x2xf32>
  %s = qnn.add %c, %c : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %r = qnn.activation %s kind = relu : tensor<1x2xf32> -> tensor<1x2xf32>
  return %r, %s : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Already activated producers and quantized producers stay as they are.
// CHECK-LABEL: func.func @not_fused
// CHECK: qnn.activation
// CHECK: qnn.activation
func.func @not_fused(%x: tensor<1x2xf32>, %q: tensor<1x2x!quant.uniform<i8:f32, 0.5>>) -> (tensor<1x2xf32>, tensor<1x2x!quant.uniform<i8:f32, 0.5>>) {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %d = qnn.dense %x, %w activation = relu : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %r = qnn.activation %d kind = relu6 : tensor<1x2xf32> -> tensor<1x2xf32>
  %a = qnn.add %q, %q : (tensor<1x2x!quant.uniform<i8:f32, 0.5>>, tensor<1x2x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x2x!quant.uniform<i8:f32, 0.5>>
  %ar = qnn.activation %a kind = relu : tensor<1x2x!quant.uniform<i8:f32, 0.5>> -> tensor<1x2x!quant.uniform<i8:f32, 0.5>>
  return %r, %ar : tensor<1x2xf32>, tensor<1x2x!quant.uniform<i8:f32, 0.5>>
}
