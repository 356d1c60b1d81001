// Round trip of every qnn op in its custom and its generic form: the first
// two RUN lines check the printed form; the others check that print, parse,
// print is a fixed point in both forms (byte-identical output).
// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s
// RUN: quant-opt %s > %t.custom1 && quant-opt %t.custom1 > %t.custom2 && diff %t.custom1 %t.custom2
// RUN: quant-opt %s --mlir-print-op-generic > %t.generic1 && quant-opt %t.generic1 --mlir-print-op-generic > %t.generic2 && diff %t.generic1 %t.generic2
// RUN: quant-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

!qin = !quant.uniform<u8:f32, 0.0235:125>
!qout = !quant.uniform<u8:f32, 0.047:0>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02, 0.005, 0.1}>
!qwt = !quant.uniform<i8<-127:127>:f32, 0.01>
!qb = !quant.uniform<i32:f32:0, {2.35e-4, 4.7e-4, 1.175e-4, 2.35e-3}>

// CHECK-LABEL: func.func @conv2d_float
// CHECK-SAME: (%[[X:.*]]: tensor<1x96x96x3xf32>, %[[W:.*]]: tensor<8x3x3x3xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[Y:.*]] = qnn.conv2d %[[X]], %[[W]], %[[B]] strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 activation = relu6 : (tensor<1x96x96x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x48x48x8xf32>
// CHECK: return %[[Y]]
// GENERIC-LABEL: sym_name = "conv2d_float"
// GENERIC: "qnn.conv2d"(%{{.*}}, %{{.*}}, %{{.*}}) <{activation = #qnn<activation relu6>, dilations = array<i64: 1, 1>, groups = 1 : i64, padding = #qnn<padding [0, 0, 1, 1]>, strides = array<i64: 2, 2>}>
func.func @conv2d_float(%x: tensor<1x96x96x3xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x48x48x8xf32> {
  %y = qnn.conv2d %x, %w, %b strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 1 activation = relu6
      : (tensor<1x96x96x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x48x48x8xf32>
  return %y : tensor<1x48x48x8xf32>
}

// Depthwise (groups == C, channel multiplier 2), dilation, no bias, a
// per-channel clamp as left by equalization of a ReLU6 network.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK: qnn.conv2d %{{.*}}, %{{.*}} strides = [1, 1] dilations = [2, 2] padding = [2, 2, 2, 2] groups = 2 activation = clamp(min = [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], max = [6.000000e+00, 3.000000e+00, 1.200000e+01, 6.000000e+00]) : (tensor<1x8x8x2xf32>, tensor<4x3x3x1xf32>) -> tensor<1x8x8x4xf32>
func.func @conv2d_depthwise(%x: tensor<1x8x8x2xf32>, %w: tensor<4x3x3x1xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [2, 2] padding = [2, 2, 2, 2] groups = 2
      activation = clamp(min = [0.0, 0.0, 0.0, 0.0], max = [6.0, 3.0, 12.0, 6.0])
      : (tensor<1x8x8x2xf32>, tensor<4x3x3x1xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// Dynamic batch.
// CHECK-LABEL: func.func @conv2d_dynamic_batch
// CHECK: qnn.conv2d {{.*}} groups = 1 : (tensor<?x5x5x4xf32>, tensor<8x1x1x4xf32>) -> tensor<?x5x5x8xf32>
func.func @conv2d_dynamic_batch(%x: tensor<?x5x5x4xf32>, %w: tensor<8x1x1x4xf32>) -> tensor<?x5x5x8xf32> {
  %y = qnn.conv2d %x, %w strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
      : (tensor<?x5x5x4xf32>, tensor<8x1x1x4xf32>) -> tensor<?x5x5x8xf32>
  return %y : tensor<?x5x5x8xf32>
}

// Q form: per-tensor activations, per-axis weights and i32 bias.
// CHECK-LABEL: func.func @conv2d_quantized
// CHECK: qnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 activation = relu : (tensor<1x4x4x2x!quant.uniform<u8:f32, 2.350000e-02:125>>, tensor<4x3x3x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02,5.000000e-03,1.000000e-01}>>, tensor<4x!quant.uniform<i32:f32:0, {2.350000e-04,4.700000e-04,1.175000e-04,2.350000e-03}>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 4.700000e-02>>
func.func @conv2d_quantized(%x: tensor<1x4x4x2x!qin>, %w: tensor<4x3x3x2x!qw>, %b: tensor<4x!qb>) -> tensor<1x4x4x4x!qout> {
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 activation = relu
      : (tensor<1x4x4x2x!qin>, tensor<4x3x3x2x!qw>, tensor<4x!qb>) -> tensor<1x4x4x4x!qout>
  return %y : tensor<1x4x4x4x!qout>
}

// Q form with a float bias (before bias quantization).
// CHECK-LABEL: func.func @conv2d_quantized_float_bias
// CHECK: qnn.conv2d {{.*}} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 2.350000e-02:125>>, tensor<4x1x1x2x!quant.uniform<i8<-127:127>:f32, 1.000000e-02>>, tensor<4xf32>)
func.func @conv2d_quantized_float_bias(%x: tensor<1x4x4x2x!qin>, %w: tensor<4x1x1x2x!qwt>, %b: tensor<4xf32>) -> tensor<1x4x4x4x!qout> {
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1
      : (tensor<1x4x4x2x!qin>, tensor<4x1x1x2x!qwt>, tensor<4xf32>) -> tensor<1x4x4x4x!qout>
  return %y : tensor<1x4x4x4x!qout>
}

// I form: u8 input, i8 filter, i32 bias and accumulator, input zero point
// for the padding, then the requantization that carries every scale.
// CHECK-LABEL: func.func @conv2d_integer
// CHECK: %[[ACC:.*]] = qnn.conv2d %{{.*}}, %{{.*}}, %{{.*}} strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 input_zero_point = 3 : (tensor<1x4x4x2xui8>, tensor<4x3x3x2xi8>, tensor<4xi32>) -> tensor<1x4x4x4xi32>
// CHECK: qnn.requantize %[[ACC]] scale = [1.000000e-02, 2.000000e-02, 5.000000e-03, 1.000000e-01] axis = 3 input_zero_point = 0 output_zero_point = 0 clamp = [0, 255] rounding = double : tensor<1x4x4x4xi32> -> tensor<1x4x4x4xui8>
func.func @conv2d_integer(%x: tensor<1x4x4x2xui8>, %w: tensor<4x3x3x2xi8>, %b: tensor<4xi32>) -> tensor<1x4x4x4xui8> {
  %acc = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 input_zero_point = 3
      : (tensor<1x4x4x2xui8>, tensor<4x3x3x2xi8>, tensor<4xi32>) -> tensor<1x4x4x4xi32>
  %y = qnn.requantize %acc scale = [0.01, 0.02, 0.005, 0.1] axis = 3 input_zero_point = 0 output_zero_point = 0 clamp = [0, 255] rounding = double
      : tensor<1x4x4x4xi32> -> tensor<1x4x4x4xui8>
  return %y : tensor<1x4x4x4xui8>
}

// CHECK-LABEL: func.func @dense
// CHECK: qnn.dense %{{.*}}, %{{.*}}, %{{.*}} activation = relu : (tensor<1x256xf32>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<1x10xf32>
// CHECK: qnn.dense %{{.*}}, %{{.*}} input_zero_point = -128 : (tensor<1x256xi8>, tensor<10x256xi8>) -> tensor<1x10xi32>
func.func @dense(%x: tensor<1x256xf32>, %w: tensor<10x256xf32>, %b: tensor<10xf32>, %xi: tensor<1x256xi8>, %wi: tensor<10x256xi8>) -> (tensor<1x10xf32>, tensor<1x10xi32>) {
  %y = qnn.dense %x, %w, %b activation = relu : (tensor<1x256xf32>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %yi = qnn.dense %xi, %wi input_zero_point = -128 : (tensor<1x256xi8>, tensor<10x256xi8>) -> tensor<1x10xi32>
  return %y, %yi : tensor<1x10xf32>, tensor<1x10xi32>
}

// CHECK-LABEL: func.func @matmul
// CHECK: qnn.matmul %{{.*}}, %{{.*}} : (tensor<4x8x16xf32>, tensor<4x16x32xf32>) -> tensor<4x8x32xf32>
// CHECK: qnn.matmul %{{.*}}, %{{.*}} lhs_zero_point = 5 rhs_zero_point = -2 : (tensor<8x16xi8>, tensor<16x32xi8>) -> tensor<8x32xi32>
// CHECK: qnn.matmul %{{.*}}, %{{.*}} : (tensor<8x16x!quant.uniform<u8:f32, 2.350000e-02:125>>, tensor<16x8x!quant.uniform<u8:f32, 2.350000e-02:125>>) -> tensor<8x8x!quant.uniform<u8:f32, 4.700000e-02>>
func.func @matmul(%a: tensor<4x8x16xf32>, %b: tensor<4x16x32xf32>, %ai: tensor<8x16xi8>, %bi: tensor<16x32xi8>, %aq: tensor<8x16x!qin>, %bq: tensor<16x8x!qin>) -> (tensor<4x8x32xf32>, tensor<8x32xi32>, tensor<8x8x!qout>) {
  %c = qnn.matmul %a, %b : (tensor<4x8x16xf32>, tensor<4x16x32xf32>) -> tensor<4x8x32xf32>
  %ci = qnn.matmul %ai, %bi lhs_zero_point = 5 rhs_zero_point = -2 : (tensor<8x16xi8>, tensor<16x32xi8>) -> tensor<8x32xi32>
  %cq = qnn.matmul %aq, %bq : (tensor<8x16x!qin>, tensor<16x8x!qin>) -> tensor<8x8x!qout>
  return %c, %ci, %cq : tensor<4x8x32xf32>, tensor<8x32xi32>, tensor<8x8x!qout>
}

// CHECK-LABEL: func.func @elementwise
// CHECK: %[[SUM:.*]] = qnn.add %{{.*}}, %{{.*}} activation = relu : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
// CHECK: qnn.mul %[[SUM]], %{{.*}} : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
// CHECK: qnn.add %{{.*}}, %{{.*}} : (tensor<1x8x8x16x!quant.uniform<u8:f32, 2.350000e-02:125>>, tensor<1x8x8x16x!quant.uniform<u8:f32, 4.700000e-02>>) -> tensor<1x8x8x16x!quant.uniform<u8:f32, 4.700000e-02>>
func.func @elementwise(%a: tensor<1x8x8x16xf32>, %b: tensor<1x8x8x16xf32>, %s: tensor<16xf32>, %qa: tensor<1x8x8x16x!qin>, %qb: tensor<1x8x8x16x!qout>) -> (tensor<1x8x8x16xf32>, tensor<1x8x8x16x!qout>) {
  %sum = qnn.add %a, %b activation = relu : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  %prod = qnn.mul %sum, %s : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  %q = qnn.add %qa, %qb : (tensor<1x8x8x16x!qin>, tensor<1x8x8x16x!qout>) -> tensor<1x8x8x16x!qout>
  return %prod, %q : tensor<1x8x8x16xf32>, tensor<1x8x8x16x!qout>
}

// CHECK-LABEL: func.func @pooling
// CHECK: qnn.avg_pool2d %{{.*}} kernel = [25, 5] strides = [1, 1] padding = [0, 0, 0, 0] divisor = exclude_pad : tensor<1x25x5x64xf32> -> tensor<1x1x1x64xf32>
// CHECK: qnn.avg_pool2d %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] divisor = include_pad : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
// CHECK: qnn.max_pool2d %{{.*}} kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x8x8x4x!quant.uniform<u8:f32, 2.350000e-02:125>> -> tensor<1x4x4x4x!quant.uniform<u8:f32, 2.350000e-02:125>>
// CHECK: qnn.global_avg_pool %{{.*}} : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
func.func @pooling(%a: tensor<1x25x5x64xf32>, %b: tensor<1x8x8x4xf32>, %q: tensor<1x8x8x4x!qin>, %g: tensor<1x7x7x64xf32>) -> (tensor<1x1x1x64xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4x!qin>, tensor<1x1x1x64xf32>) {
  %0 = qnn.avg_pool2d %a kernel = [25, 5] strides = [1, 1] padding = [0, 0, 0, 0] divisor = exclude_pad : tensor<1x25x5x64xf32> -> tensor<1x1x1x64xf32>
  %1 = qnn.avg_pool2d %b kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] divisor = include_pad : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  %2 = qnn.max_pool2d %q kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x8x8x4x!qin> -> tensor<1x4x4x4x!qin>
  %3 = qnn.global_avg_pool %g : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
  return %0, %1, %2, %3 : tensor<1x1x1x64xf32>, tensor<1x4x4x4xf32>, tensor<1x4x4x4x!qin>, tensor<1x1x1x64xf32>
}

// CHECK-LABEL: func.func @activation
// CHECK: qnn.activation %{{.*}} kind = relu : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
// CHECK: qnn.activation %{{.*}} kind = clamp(min = -1.000000e+00, max = 1.000000e+00) : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
// CHECK: qnn.activation %{{.*}} kind = clamp(min = [0.000000e+00, 0.000000e+00], max = [6.000000e+00, 2.500000e+00]) : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
// CHECK: qnn.activation %{{.*}} kind = relu6 : tensor<1x4x4x2x!quant.uniform<u8:f32, 2.350000e-02:125>> -> tensor<1x4x4x2x!quant.uniform<u8:f32, 4.700000e-02>>
func.func @activation(%x: tensor<1x4x4x2xf32>, %q: tensor<1x4x4x2x!qin>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2x!qout>) {
  %0 = qnn.activation %x kind = relu : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %1 = qnn.activation %0 kind = clamp(min = -1.0, max = 1.0) : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %2 = qnn.activation %1 kind = clamp(min = [0.0, 0.0], max = [6.0, 2.5]) : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %3 = qnn.activation %q kind = relu6 : tensor<1x4x4x2x!qin> -> tensor<1x4x4x2x!qout>
  return %2, %3 : tensor<1x4x4x2xf32>, tensor<1x4x4x2x!qout>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK: qnn.batch_norm %{{.*}} scale %{{.*}} offset %{{.*}} mean %{{.*}} variance %{{.*}} epsilon = 1.000000e-03 : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
func.func @batch_norm(%x: tensor<1x8x8x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<1x8x8x4xf32> {
  %y = qnn.batch_norm %x scale %g offset %b mean %m variance %v epsilon = 1.0e-3
      : (tensor<1x8x8x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x8x4xf32>
  return %y : tensor<1x8x8x4xf32>
}

// CHECK-LABEL: func.func @shape_ops
// CHECK: %[[NHWC:.*]] = qnn.transpose %{{.*}} permutation = [0, 2, 3, 1] : tensor<1x3x4x4xf32> -> tensor<1x4x4x3xf32>
// CHECK: %[[PADDED:.*]] = qnn.pad %[[NHWC]] low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.000000e+00 : tensor<1x4x4x3xf32> -> tensor<1x6x6x3xf32>
// CHECK: qnn.pad %{{.*}} low = [0, 1, 1, 0] high = [0, 2, 2, 0] mode = reflect value = 0.000000e+00
// CHECK: qnn.pad %{{.*}} low = [0, 0, 0, 0] high = [0, 1, 1, 0] mode = edge value = 0.000000e+00
// CHECK: %[[CAT:.*]] = qnn.concat %[[PADDED]], %{{.*}} axis = 3 : (tensor<1x6x6x3xf32>, tensor<1x6x6x5xf32>) -> tensor<1x6x6x8xf32>
// CHECK: %[[FLAT:.*]] = qnn.reshape %[[CAT]] : tensor<1x6x6x8xf32> -> tensor<1x288xf32>
// CHECK: qnn.softmax %[[FLAT]] axis = 1 : tensor<1x288xf32> -> tensor<1x288xf32>
func.func @shape_ops(%x: tensor<1x3x4x4xf32>, %other: tensor<1x6x6x5xf32>) -> tensor<1x288xf32> {
  %nhwc = qnn.transpose %x permutation = [0, 2, 3, 1] : tensor<1x3x4x4xf32> -> tensor<1x4x4x3xf32>
  %padded = qnn.pad %nhwc low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.0 : tensor<1x4x4x3xf32> -> tensor<1x6x6x3xf32>
  %reflected = qnn.pad %nhwc low = [0, 1, 1, 0] high = [0, 2, 2, 0] mode = reflect value = 0.0 : tensor<1x4x4x3xf32> -> tensor<1x7x7x3xf32>
  %edge = qnn.pad %nhwc low = [0, 0, 0, 0] high = [0, 1, 1, 0] mode = edge value = 0.0 : tensor<1x4x4x3xf32> -> tensor<1x5x5x3xf32>
  %cat = qnn.concat %padded, %other axis = 3 : (tensor<1x6x6x3xf32>, tensor<1x6x6x5xf32>) -> tensor<1x6x6x8xf32>
  %flat = qnn.reshape %cat : tensor<1x6x6x8xf32> -> tensor<1x288xf32>
  %p = qnn.softmax %flat axis = 1 : tensor<1x288xf32> -> tensor<1x288xf32>
  return %p : tensor<1x288xf32>
}

// Shape ops in the Q and I forms; a quantized pad value on the grid.
// CHECK-LABEL: func.func @shape_ops_quantized
// CHECK: qnn.pad %{{.*}} low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.000000e+00 : tensor<1x4x4x2x!quant.uniform<u8:f32, 2.350000e-02:125>>
// CHECK: qnn.concat %{{.*}}, %{{.*}} axis = 3 : (tensor<1x4x4x2x!quant.uniform<u8:f32, 2.350000e-02:125>>, tensor<1x4x4x2x!quant.uniform<u8:f32, 4.700000e-02>>) -> tensor<1x4x4x4x!quant.uniform<u8:f32, 4.700000e-02>>
// CHECK: qnn.reshape %{{.*}} : tensor<1x4x4x4xi8> -> tensor<1x64xi8>
// CHECK: qnn.pad %{{.*}} low = [0, 0] high = [0, 2] mode = constant value = -1.280000e+02 : tensor<1x64xi8> -> tensor<1x66xi8>
func.func @shape_ops_quantized(%q: tensor<1x4x4x2x!qin>, %r: tensor<1x4x4x2x!qout>, %i: tensor<1x4x4x4xi8>) -> (tensor<1x6x6x2x!qin>, tensor<1x4x4x4x!qout>, tensor<1x66xi8>) {
  %p = qnn.pad %q low = [0, 1, 1, 0] high = [0, 1, 1, 0] mode = constant value = 0.0 : tensor<1x4x4x2x!qin> -> tensor<1x6x6x2x!qin>
  %c = qnn.concat %q, %r axis = 3 : (tensor<1x4x4x2x!qin>, tensor<1x4x4x2x!qout>) -> tensor<1x4x4x4x!qout>
  %f = qnn.reshape %i : tensor<1x4x4x4xi8> -> tensor<1x64xi8>
  %g = qnn.pad %f low = [0, 0] high = [0, 2] mode = constant value = -128.0 : tensor<1x64xi8> -> tensor<1x66xi8>
  return %p, %c, %g : tensor<1x6x6x2x!qin>, tensor<1x4x4x4x!qout>, tensor<1x66xi8>
}

// CHECK-LABEL: func.func @requantize
// CHECK: qnn.requantize %{{.*}} fixed_point = <m0 = [1073741824, 1431655765], shift = [1, -1]> axis = 1 input_zero_point = 0 output_zero_point = -128 clamp = [-128, 127] rounding = single : tensor<4x2xi32> -> tensor<4x2xi8>
// CHECK: qnn.requantize %{{.*}} scale = [5.000000e-01] axis = 0 input_zero_point = 3 output_zero_point = 0 clamp = [0, 6] rounding = double : tensor<4x2xi8> -> tensor<4x2xi8>
// GENERIC-LABEL: sym_name = "requantize"
// GENERIC: fixed_point = #qnn.fixed_point<m0 = [1073741824, 1431655765], shift = [1, -1]>
// GENERIC-SAME: rounding = #qnn<rounding single>
func.func @requantize(%acc: tensor<4x2xi32>) -> tensor<4x2xi8> {
  %0 = qnn.requantize %acc fixed_point = <m0 = [1073741824, 1431655765], shift = [1, -1]> axis = 1 input_zero_point = 0 output_zero_point = -128 clamp = [-128, 127] rounding = single : tensor<4x2xi32> -> tensor<4x2xi8>
  %1 = qnn.requantize %0 scale = [0.5] axis = 0 input_zero_point = 3 output_zero_point = 0 clamp = [0, 6] rounding = double : tensor<4x2xi8> -> tensor<4x2xi8>
  return %1 : tensor<4x2xi8>
}

// CHECK-LABEL: func.func @stats
// CHECK: qnn.stats %{{.*}} <count = 100, min = -1.500000e+00, max = 3.250000e+00, hist_range = [-1.500000e+00, 3.250000e+00], hist = [1.000000e+01, 8.000000e+01, 1.000000e+01], channel_min = [-1.500000e+00, 0.000000e+00], channel_max = [3.250000e+00, 1.000000e+00], channel_mean = [2.500000e-01, 5.000000e-01]> : tensor<1x4x4x2xf32>
// CHECK: qnn.stats %{{.*}} <count = 0, min = 0.000000e+00, max = 0.000000e+00> : tensor<1x4x4x2xf32>
// GENERIC-LABEL: sym_name = "stats"
// GENERIC: stats = #qnn.stats<count = 100
func.func @stats(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = qnn.stats %x <count = 100, min = -1.5, max = 3.25, hist_range = [-1.5, 3.25], hist = [10.0, 80.0, 10.0],
                     channel_min = [-1.5, 0.0], channel_max = [3.25, 1.0], channel_mean = [0.25, 0.5]> : tensor<1x4x4x2xf32>
  // Keys in another order parse to the same attribute.
  %1 = qnn.stats %0 <max = 0.0, min = 0.0, count = 0> : tensor<1x4x4x2xf32>
  return %1 : tensor<1x4x4x2xf32>
}

// Requantization multipliers survive print/parse bit for bit in the custom
// form (the stripped DenseF64ArrayAttr printer keeps only ~7 digits).
// CHECK-LABEL: func.func @requantize_exact_scale
// CHECK: qnn.requantize %{{.*}} scale = [0.123456789, 1.000000e-50, 3.500000e+38, 0.30000000000000004]
func.func @requantize_exact_scale(%acc: tensor<4xi32>) -> tensor<4xi8> {
  %0 = qnn.requantize %acc scale = [0.123456789, 1.0e-50, 3.5e38, 0.30000000000000004] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// The integer (I) forms of add and pooling, as --fold-scales produces them.
// CHECK-LABEL: func.func @integer_forms
// CHECK: qnn.add %{{.*}}, %{{.*}} : (tensor<1x4x4x8xi32>, tensor<8xi32>) -> tensor<1x4x4x8xi32>
// CHECK: qnn.avg_pool2d %{{.*}} kernel = [3, 3] strides = [1, 1] padding = [0, 0, 1, 1] divisor = exclude_pad : tensor<1x4x4x8xi8> -> tensor<1x3x3x8xi8>
// CHECK: qnn.max_pool2d %{{.*}} kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x4x4x8xui8> -> tensor<1x2x2x8xui8>
// CHECK: qnn.global_avg_pool %{{.*}} : tensor<1x4x4x8xi8> -> tensor<1x1x1x8xi32>
func.func @integer_forms(%a: tensor<1x4x4x8xi32>, %b: tensor<8xi32>, %x: tensor<1x4x4x8xi8>, %u: tensor<1x4x4x8xui8>) -> (tensor<1x4x4x8xi32>, tensor<1x3x3x8xi8>, tensor<1x2x2x8xui8>, tensor<1x1x1x8xi32>) {
  %0 = qnn.add %a, %b : (tensor<1x4x4x8xi32>, tensor<8xi32>) -> tensor<1x4x4x8xi32>
  %1 = qnn.avg_pool2d %x kernel = [3, 3] strides = [1, 1] padding = [0, 0, 1, 1] divisor = exclude_pad : tensor<1x4x4x8xi8> -> tensor<1x3x3x8xi8>
  %2 = qnn.max_pool2d %u kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] : tensor<1x4x4x8xui8> -> tensor<1x2x2x8xui8>
  %3 = qnn.global_avg_pool %x : tensor<1x4x4x8xi8> -> tensor<1x1x1x8xi32>
  return %0, %1, %2, %3 : tensor<1x4x4x8xi32>, tensor<1x3x3x8xi8>, tensor<1x2x2x8xui8>, tensor<1x1x1x8xi32>
}
