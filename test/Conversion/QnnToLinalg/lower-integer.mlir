// RUN: quant-opt %s --lower-to-linalg --split-input-file | FileCheck %s

// The integer (I) form: layers multiply-accumulate in i32, requantize
// computes FixedPoint.h's requantize() in i64 (numerics checked by running
// the code in test/Integration/OpNumerics/integer.test).

// The fixed-point form in i64: one round-half-up shift (single rounding),
// output zero point, clamp, truncation to the signless storage of ui8.
// CHECK-LABEL: func.func @requantize_per_tensor
// CHECK-SAME: (%{{.*}}: tensor<8xi32>) -> tensor<8xi8>
// CHECK: linalg.generic
// CHECK: %[[X:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[M0:.*]] = arith.constant 1395864371 : i64
// CHECK: %[[P:.*]] = arith.muli %[[X]], %[[M0]] : i64
// CHECK: %[[ROUND:.*]] = arith.constant 274877906944 : i64
// CHECK: %[[S:.*]] = arith.addi %[[P]], %[[ROUND]] : i64
// CHECK: %[[SHIFT:.*]] = arith.constant 39 : i64
// CHECK: %[[T:.*]] = arith.shrsi %[[S]], %[[SHIFT]] : i64
// CHECK: %[[Y:.*]] = arith.addi %[[T]], %{{.*}} : i64
// CHECK: %[[LO:.*]] = arith.maxsi %[[Y]], %{{.*}} : i64
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]], %{{.*}} : i64
// CHECK: %[[R:.*]] = arith.trunci %[[HI]] : i64 to i8
// CHECK: linalg.yield %[[R]] : i8

func.func @requantize_per_tensor(%x: tensor<8xi32>) -> tensor<8xui8> {
  %y = qnn.requantize %x fixed_point = <m0 = [1395864371], shift = [-8]> axis = 0 input_zero_point = 0 output_zero_point = 3 clamp = [0, 255] rounding = single : tensor<8xi32> -> tensor<8xui8>
  return %y : tensor<8xui8>
}

// -----

// Per-channel constants indexed by the axis; double rounding with a
// negative shift divides by a power of two rounding half away from zero;
// an i32 input with a zero point saturates x - izp to int32.
// CHECK-DAG: #[[$CHANNEL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @requantize_per_channel
// CHECK-DAG: %[[M0:.*]] = arith.constant dense<[1073741824, 1431655765, 0]> : tensor<3xi64>
// CHECK-DAG: %[[ADD:.*]] = arith.constant dense<[1073741824, 536870912, 1073741824]> : tensor<3xi64>
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant dense<[31, 30, 31]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #{{.*}}]
// CHECK-SAME: ins(%{{.*}}, %[[M0]], %[[ADD]], %[[SHIFT]], %{{.*}}, %{{.*}} :
// CHECK: arith.subi
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i64
// CHECK: arith.minsi
// CHECK: arith.muli
// CHECK: arith.shrsi
// CHECK: %[[NEG:.*]] = arith.cmpi slt
// CHECK: arith.select %[[NEG]]
// CHECK: arith.shrsi
// CHECK: arith.select %[[NEG]]
// CHECK: arith.trunci %{{.*}} : i64 to i8

func.func @requantize_per_channel(%x: tensor<2x3xi32>) -> tensor<2x3xi8> {
  %y = qnn.requantize %x fixed_point = <m0 = [1073741824, 1431655765, 0], shift = [-2, 1, 0]> axis = 1 input_zero_point = 5 output_zero_point = -1 clamp = [-128, 127] rounding = double : tensor<2x3xi32> -> tensor<2x3xi8>
  return %y : tensor<2x3xi8>
}

// -----

// The float form: ui8 input zero-extended, f64 product, round half away.
// CHECK-LABEL: func.func @requantize_float
// CHECK-SAME: tensor<4xi8>) -> tensor<4xi16>
// CHECK: %[[X:.*]] = arith.extui %{{.*}} : i8 to i64
// CHECK: %[[V:.*]] = arith.subi %[[X]], %{{.*}} : i64
// CHECK: %[[VF:.*]] = arith.sitofp %[[V]] : i64 to f64
// CHECK: %[[P:.*]] = arith.mulf %[[VF]], %{{.*}} : f64
// CHECK: math.round %[[P]] : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i16

func.func @requantize_float(%x: tensor<4xui8>) -> tensor<4xi16> {
  %y = qnn.requantize %x scale = [0.75] axis = 0 input_zero_point = 128 output_zero_point = 0 clamp = [-100, 100] rounding = double : tensor<4xui8> -> tensor<4xi16>
  return %y : tensor<4xi16>
}

// -----

// Integer conv: padded with input_zero_point (200 as the i8 bit pattern
// -56), ui8 input zero-extended, i8 filter sign-extended, i32 bias as init.
// CHECK-LABEL: func.func @conv_integer
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xi8>, %[[W:.*]]: tensor<4x3x3x1xi8>, %[[B:.*]]: tensor<4xi32>)
// CHECK: %[[ZP:.*]] = arith.constant -56 : i8
// CHECK: tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: %[[INIT:.*]] = linalg.generic
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[INIT]] : tensor<1x4x4x2x2xi32>)
// CHECK: ^bb0(%[[IN:.*]]: i8, %[[F:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK: %[[XI:.*]] = arith.extui %[[IN]] : i8 to i32
// CHECK: %[[WI:.*]] = arith.extsi %[[F]] : i8 to i32
// CHECK: %[[PROD:.*]] = arith.muli %[[XI]], %[[WI]] : i32
// CHECK: arith.addi %[[ACC]], %[[PROD]] : i32
// CHECK: tensor.collapse_shape

func.func @conv_integer(%x: tensor<1x4x4x2xui8>, %w: tensor<4x3x3x1xi8>, %b: tensor<4xi32>) -> tensor<1x4x4x4xi32> {
  %y = qnn.conv2d %x, %w, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 2 input_zero_point = 200 : (tensor<1x4x4x2xui8>, tensor<4x3x3x1xi8>, tensor<4xi32>) -> tensor<1x4x4x4xi32>
  return %y : tensor<1x4x4x4xi32>
}

// -----

// CHECK-LABEL: func.func @dense_integer
// CHECK: linalg.fill ins(%{{.*}} : i32)
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli %{{.*}} : i32

func.func @dense_integer(%x: tensor<2x8xi8>, %w: tensor<3x8xi8>) -> tensor<2x3xi32> {
  %y = qnn.dense %x, %w input_zero_point = -4 : (tensor<2x8xi8>, tensor<3x8xi8>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

// -----

// Matmul subtracts both zero points after extension.
// CHECK-LABEL: func.func @matmul_integer
// CHECK: ^bb0(%[[L:.*]]: i8, %[[R:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK: %[[LX:.*]] = arith.extsi %[[L]] : i8 to i32
// CHECK: %[[ZL:.*]] = arith.constant -3 : i32
// CHECK: %[[LV:.*]] = arith.subi %[[LX]], %[[ZL]] : i32
// CHECK: %[[RX:.*]] = arith.extui %[[R]] : i8 to i32
// CHECK: %[[ZR:.*]] = arith.constant 128 : i32
// CHECK: %[[RV:.*]] = arith.subi %[[RX]], %[[ZR]] : i32
// CHECK: %[[P:.*]] = arith.muli %[[LV]], %[[RV]] : i32
// CHECK: arith.addi %[[ACC]], %[[P]] : i32

func.func @matmul_integer(%a: tensor<2x3x4xi8>, %b: tensor<2x4x5xui8>) -> tensor<2x3x5xi32> {
  %c = qnn.matmul %a, %b lhs_zero_point = -3 rhs_zero_point = 128 : (tensor<2x3x4xi8>, tensor<2x4x5xui8>) -> tensor<2x3x5xi32>
  return %c : tensor<2x3x5xi32>
}
