// RUN: quant-opt %s --lower-int8-kernels="float-requantize=false" --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s
// RUN: quant-opt %s --lower-int8-kernels --split-input-file --mlir-pass-statistics 2>&1 | FileCheck %s --check-prefix=FLOAT
// RUN: quant-opt %s --lower-int8-kernels="tile-rows=4" --split-input-file --canonicalize --cse | FileCheck %s --check-prefix=TILE
// RUN: quant-opt %s --lower-int8-kernels="im2col=false fuse-requantize=false" --split-input-file | FileCheck %s --check-prefix=NOFUSE
// RUN: not quant-opt %s --lower-int8-kernels="tile-rows=13" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILE
// RUN: quant-opt %s --lower-int8-kernels="isa=vector depthwise-pixels=2" --split-input-file | FileCheck %s --check-prefix=MULI
// RUN: quant-opt %s --lower-int8-kernels="isa=avx2" --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --lower-int8-kernels="isa=vector" --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s --check-prefix=VECTOR
// RUN: not quant-opt %s --lower-int8-kernels="isa=sse" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADISA
// RUN: quant-opt %s --lower-int8-kernels="depthwise=false" --split-input-file | FileCheck %s --check-prefix=NODW
// RUN: not quant-opt %s --lower-int8-kernels="depthwise-pixels=17" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADPIX

// The integer (I) form of dense and conv2d with constant i8 weights becomes
// a VNNI micro-kernel (bit-exactness is checked by running it:
// test/Integration/CPU).

// Weights packed by hand: O = 5, K = 6 -> K4 = 2 groups of 4 (K padded with
// zeros), one block of 32 channels (the channels past 5 are zeros):
// packed[0][k4][c][j] = w[c][4 k4 + j]. The bias holds the u8 compensation:
// bias[o] - 128 * sum_k w[o, k]: 10 + 384 = 394, -20 - 7296 = -7316,
// 30 + 768 = 798, -40 - 1920 = -1960, 50 - 128 = -78, then zeros.
// The activations are flipped to u8 (xor 0x80 = -128) row tile by row tile
// (one 32-channel block: at most 3 blocks flip per tile): the tile's rows
// are copied into a flat [3 x 8] scratch whose K padding is zeroed (row i
// at 8 i), read 4 bytes
// at a time as an i32 and broadcast to 16 lanes; the three rows (a row
// tail: fewer than 12) accumulate one vector each with vpdpbusd, and the
// fused requantize works on the accumulators.
// CHECK-LABEL: func.func @dense_pack_by_hand
// CHECK-SAME: (%[[X:.*]]: tensor<3x6xi8>) -> tensor<3x5xi8>
// CHECK: %[[PACKED:.*]] = arith.constant dense<{{\[\[\[}}1, -2, 3, -4, 7, 8, 9, 10, -1, -1, -1, -1, 127, -127, 0, 5, {{(0, )+}}0], [5, -6, 0, 0, 11, 12, 0, 0, -1, -1, 0, 0, 5, 5, 0, 0, 0, 1, 0, 0, {{(0, )+}}0]]]> : tensor<1x2x128xi8>
// CHECK: %[[BIAS:.*]] = arith.constant dense<[394, -7316, 798, -1960, -78, {{(0, )+}}0]> : tensor<32xi32>
// CHECK-DAG: arith.constant dense<[550829555712, 35433480192, 1073741824, 550829555712, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<[40, 36, 31, 40, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<[2147483648, 2147483648, 0, 2147483648, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<[5368709120, 550829555712, 550829555712, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<[33, 40, 40, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: %[[NEGLIMIT:.*]] = arith.constant dense<-1073741824> : vector<8xi64>
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<3x5xi8>
// CHECK: %[[SCRATCH:.*]] = tensor.empty() : tensor<24xi8>
// CHECK: %[[B0:.*]] = vector.transfer_read %[[BIAS]]{{.*}} : tensor<32xi32>, vector<16xi32>
// CHECK: %[[XV:.*]] = vector.transfer_read %[[X]][%{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<3x6xi8>, vector<6xi8>
// CHECK: %[[M128:.*]] = arith.constant dense<-128> : vector<6xi8>
// CHECK: %[[U:.*]] = arith.xori %[[XV]], %[[M128]] : vector<6xi8>
// CHECK: %[[S1:.*]] = vector.transfer_write %[[U]], %[[SCRATCH]][%{{.*}}] {in_bounds = [true]} : vector<6xi8>, tensor<24xi8>
// CHECK: %[[Z:.*]] = arith.constant dense<0> : vector<2xi8>
// CHECK: %[[C6:.*]] = arith.constant 6 : index
// CHECK: vector.transfer_write %[[Z]], %[[S1]][%[[C6]]] {in_bounds = [true]} : vector<2xi8>, tensor<24xi8>
// CHECK-COUNT-2: arith.xori
// CHECK: %[[XP:.*]] = vector.transfer_write %{{.*}} : vector<2xi8>, tensor<24xi8>
// CHECK: %[[ACC:.*]]:3 = scf.for %[[K4:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}}, %[[A2:.*]] = %{{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: %[[W:.*]] = vector.transfer_read %[[PACKED]][%{{.*}}, %[[K4]], %{{.*}}]{{.*}} : tensor<1x2x128xi8>, vector<64xi8>
// CHECK: %[[BYTES:.*]] = vector.transfer_read %[[XP]]{{.*}} : tensor<24xi8>, vector<4xi8>
// CHECK: %[[WORD:.*]] = vector.bitcast %[[BYTES]] : vector<4xi8> to vector<1xi32>
// CHECK: %[[S:.*]] = vector.extract %[[WORD]][0] : i32 from vector<1xi32>
// CHECK: %[[BC:.*]] = vector.broadcast %[[S]] : i32 to vector<16xi32>
// CHECK: %[[A:.*]] = vector.bitcast %[[BC]] : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[A0]], %[[A]], %[[W]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: scf.yield
// The 64-bit product on the even and the odd lanes in place (no shuffle):
// the accumulators seen as 8 x i64, sign-extended from each half.
// CHECK: %[[WIDE:.*]] = vector.bitcast %[[ACC]]#0 : vector<16xi32> to vector<8xi64>
// CHECK: %[[C32:.*]] = arith.constant dense<32> : vector<8xi64>
// CHECK: %[[EVEN0:.*]] = arith.shli %[[WIDE]], %[[C32]] : vector<8xi64>
// CHECK: %[[EVEN:.*]] = arith.shrsi %[[EVEN0]], %[[C32]] : vector<8xi64>
// CHECK: %[[ODD:.*]] = arith.shrsi %[[WIDE]], %[[C32]] : vector<8xi64>
// Double rounding with right shifts e = 9, 2, 5, 9, 0: SRDHM and
// RoundingDivideByPOT nest into one 64-bit rounding shift (docs/Numerics.md):
// floor((p + 2^30 + 2^(30+e) - [p < -2^30] 2^31) / 2^(31+e)), e = 0 keeping
// (2^30, 31) with no sign term. Even channels 0, 2, 4 (the padding
// channels repeat channel 0): add 2^30 + 2^39, 2^30 + 2^35, 2^30; shift 40,
// 36, 31; sign term 2^31, 2^31, 0; odd channels 1, 3: 2^30 + 2^32,
// 2^30 + 2^39; 33, 40 (the tables are checked after the bias above).
// CHECK: %[[P:.*]] = arith.muli %[[EVEN]], %{{.*}} : vector<8xi64>
// CHECK: %[[T:.*]] = arith.addi %[[P]], %{{.*}} : vector<8xi64>
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[P]], %[[NEGLIMIT]] : vector<8xi64>
// CHECK: %[[LOWERED:.*]] = arith.subi %[[T]], %{{.*}} : vector<8xi64>
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[LOWERED]], %[[T]] : vector<8xi1>, vector<8xi64>
// CHECK: arith.shrsi %[[SEL]], %{{.*}} : vector<8xi64>
// CHECK: arith.muli %[[ODD]], %{{.*}} : vector<8xi64>
// CHECK: arith.select
// CHECK: arith.shrsi {{.*}} : vector<8xi64>
// CHECK: %[[LOW:.*]] = arith.andi %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK: %[[HIGH:.*]] = arith.shli %{{.*}}, %[[C32]] : vector<8xi64>
// CHECK: %[[BOTH:.*]] = arith.ori %[[LOW]], %[[HIGH]] : vector<8xi64>
// CHECK: vector.bitcast %[[BOTH]] : vector<8xi64> to vector<16xi32>
// Then only the clamp and the zero point in i32 (no second rounding step).
// CHECK-NOT: arith.shrsi
// CHECK: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// Five channels of a 16-lane vector: a masked store (no in_bounds).
// CHECK: vector.transfer_write %{{.*}}, %[[OUT]][%{{.*}}, %{{.*}}] : vector<16xi8>, tensor<3x5xi8>
// CHECK-NOT: qnn.
// CHECK: return

// isa=avx2: the weights sign-extended to i16 in pairs (K2 = 3 groups of 2,
// 32 channels x 2 per group: packed[0][g][c][j] = w[c][2 g + j]), no compensation in the bias, no flip; the
// activation pair sign-extended and broadcast to 8 lanes; two vpmaddwd per
// 16-channel vector (one per ymm half), joined for the epilogue.
// AVX2-LABEL: func.func @dense_pack_by_hand
// AVX2-SAME: (%[[X:.*]]: tensor<3x6xi8>) -> tensor<3x5xi8>
// AVX2-NOT: arith.xori
// AVX2: %[[PACKED:.*]] = arith.constant dense<{{\[\[\[}}1, -2, 7, 8, -1, -1, 127, -127, {{(0, )+}}0], [3, -4, 9, 10, -1, -1, 0, 5, {{(0, )+}}0], [5, -6, 11, 12, -1, -1, 5, 5, 0, 1, {{(0, )+}}0]]]> : tensor<1x3x64xi16>
// AVX2: %[[BIAS:.*]] = arith.constant dense<[10, -20, 30, -40, 50, {{(0, )+}}0]> : tensor<32xi32>
// AVX2: scf.for
// AVX2: vector.transfer_read %[[PACKED]]{{.*}} : tensor<1x3x64xi16>, vector<16xi16>
// AVX2: %[[PAIR:.*]] = vector.transfer_read %[[X]]{{.*}} : tensor<3x6xi8>, vector<2xi8>
// AVX2: %[[WIDE:.*]] = arith.extsi %[[PAIR]] : vector<2xi8> to vector<2xi16>
// AVX2: vector.bitcast %[[WIDE]] : vector<2xi16> to vector<1xi32>
// AVX2: vector.broadcast %{{.*}} : i32 to vector<8xi32>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2: arith.addi %{{.*}}, %{{.*}} : vector<8xi32>
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"
// AVX2: scf.yield
// AVX2: vector.shuffle %{{.*}}, %{{.*}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi32>, vector<8xi32>
// AVX2: return

// isa=vector: one reduction element per step, the weights as i8 rows of 32
// channels (packed[0][k][c] = w[c][k]), sign-extended; muli + addi on 16 x i32.
// VECTOR-LABEL: func.func @dense_pack_by_hand
// VECTOR-NOT: arith.xori
// VECTOR: %[[PACKED:.*]] = arith.constant dense<{{\[\[\[}}1, 7, -1, 127, {{(0, )+}}0], [-2, 8, -1, -127, {{(0, )+}}0], [3, 9, -1, 0, {{(0, )+}}0], [-4, 10, -1, 5, {{(0, )+}}0], [5, 11, -1, 5, {{(0, )+}}0], [-6, 12, -1, 5, 1, {{(0, )+}}0]]]> : tensor<1x6x32xi8>
// VECTOR: scf.for
// VECTOR: %[[W:.*]] = vector.transfer_read %[[PACKED]]{{.*}} : tensor<1x6x32xi8>, vector<16xi8>
// VECTOR: %[[WW:.*]] = arith.extsi %[[W]] : vector<16xi8> to vector<16xi32>
// VECTOR: %[[A:.*]] = vector.broadcast %{{.*}} : i32 to vector<16xi32>
// VECTOR: %[[P:.*]] = arith.muli %[[A]], %[[WW]] : vector<16xi32>
// VECTOR: arith.addi %{{.*}}, %[[P]] : vector<16xi32>
// VECTOR-NOT: llvm.call_intrinsic
// VECTOR: return

// BADISA: lower-int8-kernels: isa must be avx512vnni, avx2 or vector, got 'sse'

// Rows 0-3 in a loop of tiles of 4, then a tail of 2 rows; 40 channels:
// one block of two vectors and a block with one (8 channels, masked).
// TILE-LABEL: func.func @dense_pack_by_hand
// TILE-COUNT-3: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE-NOT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE: return

// NOFUSE-LABEL: func.func @dense_pack_by_hand
// NOFUSE: scf.for
// NOFUSE: vector.transfer_write %{{.*}} : vector<16xi32>, tensor<3x5xi32>
// NOFUSE: qnn.requantize

// The exact f32 epilogue (the default on avx512vnni; qnn::
// planFloatRequantize proves it for every accumulator the layer can make).
// Worked by hand for channel 0: M = 1852107289 * 2^-40 = 0.86245 * 2^-9,
// mulHigh = M truncated to 8 bits = 220 * 2^-17 = 0.0016784668; RDBPOT's
// exponent e = 9, so c = zp + 1/2 + 2^-10 = -35.4990234 and, for negative
// SRDHM results, 2^-9 less = -35.5009766. Channel 1 (e = 2): -35.375 and
// -35.625; channel 2 (e = 5): -35.484375 and -35.515625; channel 4 (shift
// 0, no RDBPOT): -35.5 both, mulHigh = 223 / 256. Channel 0's accumulators
// reach -2666 (bias 10, w = [1, -2, 3, -4, 5, -6], x in [-128, 127]), i.e.
// -40 after requantization: steps below zero, so the sign split is needed.
// The clamp is [-128, 127]: the saturating narrow does it.
// FLOAT-LABEL: func.func @dense_pack_by_hand
// FLOAT-DAG: arith.constant dense<[0.0016784668, 0.197265625, 0.0241699219, 0.00163269043, 0.87109375, {{.*}}]> : tensor<32xf32>
// FLOAT-DAG: arith.constant dense<[-35.4990234, -3.537500e+01, -35.484375, -35.4990234, -3.550000e+01, {{.*}}]> : tensor<32xf32>
// FLOAT-DAG: arith.constant dense<[-35.5009766, -3.562500e+01, -35.515625, -35.5009766, -3.550000e+01, {{.*}}]> : tensor<32xf32>
// FLOAT: %[[RD:.*]] = llvm.mlir.constant(9 : i32) : i32
// FLOAT: %[[A:.*]] = arith.sitofp %[[ACC:.*]] : vector<16xi32> to vector<16xf32>
// FLOAT: %[[NEG:.*]] = arith.cmpi slt, %[[ACC]], %{{.*}} : vector<16xi32>
// FLOAT: %[[C:.*]] = arith.select %[[NEG]], %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// FLOAT: %[[V1:.*]] = vector.fma %[[A]], %{{.*}}, %[[C]] : vector<16xf32>
// FLOAT: %[[V:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vfmadd.ps.512"(%[[A]], %{{.*}}, %[[V1]], %[[RD]])
// FLOAT-NOT: max.ps
// FLOAT: %[[Y:.*]] = llvm.call_intrinsic "llvm.x86.avx512.mask.cvtps2dq.512"(%[[V]], %{{.*}}, %{{.*}}, %[[RD]])
// FLOAT: llvm.call_intrinsic "llvm.x86.avx512.mask.pmovs.db.512"(%[[Y]], %{{.*}}, %{{.*}})

// BADTILE: tile-rows must be in [0, 12] (0: automatic), got 13

func.func @dense_pack_by_hand(%x: tensor<3x6xi8>) -> tensor<3x5xi8> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6], [7, 8, 9, 10, 11, 12], [-1, -1, -1, -1, -1, -1], [127, -127, 0, 5, 5, 5], [0, 0, 0, 0, 0, 1]]> : tensor<5x6xi8>
  %b = arith.constant dense<[10, -20, 30, -40, 50]> : tensor<5xi32>
  %acc = qnn.dense %x, %w, %b input_zero_point = -3 : (tensor<3x6xi8>, tensor<5x6xi8>, tensor<5xi32>) -> tensor<3x5xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1852107289, 1701237036, 1665109494, 1801195593, 1874548768], shift = [-9, -2, -5, -9, 0]> axis = 1 input_zero_point = 0 output_zero_point = -36 clamp = [-128, 127] rounding = double : tensor<3x5xi32> -> tensor<3x5xi8>
  return %y : tensor<3x5xi8>
}

// -----

// 10 rows in tiles of 4 (two tiles in a loop, then 2 rows), 40 channels:
// a full block of 32 (two vectors) and 8 channels (one masked vector), the
// block loop outside the row loop (its single iteration folded away). The
// i32 accumulators are stored (no requantize).
// TILE-LABEL: func.func @dense_tails
// TILE: scf.for %{{.*}} = %c0 to %c8 step %c4
// TILE-COUNT-8: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE-COUNT-8: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<10x40xi32>
// TILE: scf.yield
// TILE-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE-COUNT-4: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<10x40xi32>
// TILE: scf.for %{{.*}} = %c0 to %c8 step %c4
// TILE-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE-COUNT-4: vector.transfer_write {{.*}}[{{.*}}, %c32] : vector<16xi32>, tensor<10x40xi32>
// TILE: scf.yield
// TILE-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE-COUNT-2: vector.transfer_write {{.*}}[{{.*}}, %c32] : vector<16xi32>, tensor<10x40xi32>
// TILE-NOT: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// TILE: return
func.func @dense_tails(%x: tensor<10x6xi8>) -> tensor<10x40xi32> {
  %w = arith.constant dense<1> : tensor<40x6xi8>
  %acc = qnn.dense %x, %w : (tensor<10x6xi8>, tensor<40x6xi8>) -> tensor<10x40xi32>
  return %acc : tensor<10x40xi32>
}

// -----

// Single rounding with a positive shift: per-channel (add, shift) tables in
// i64, split into the even and the odd channels (channel 2 has shift 2:
// add 2^28, shift 29), the int32 saturation, and the clamp bounds moved by
// the output zero point (-128 - 5, 127 - 5) as splats.
// CHECK-LABEL: func.func @dense_single_rounding
// CHECK-DAG: arith.constant dense<[1073741824, 1610612736, 1073741824, {{.*}}]> : tensor<16xi32>
// CHECK-DAG: arith.constant dense<[1073741824, 268435456, 1073741824, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<[31, 29, 31, {{.*}}]> : tensor<16xi64>
// CHECK-DAG: arith.constant dense<-133> : vector<16xi32>
// CHECK-DAG: arith.constant dense<122> : vector<16xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: arith.divui
// CHECK: vector.transfer_read {{.*}} : tensor<16xi32>, vector<8xi32>
// CHECK: arith.shrsi %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK: arith.minsi %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK: vector.bitcast %{{.*}} : vector<8xi64> to vector<16xi32>
// CHECK-NOT: arith.andi
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.minsi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
func.func @dense_single_rounding(%x: tensor<1x8xi8>) -> tensor<1x4xi8> {
  %w = arith.constant dense<3> : tensor<4x8xi8>
  %acc = qnn.dense %x, %w : (tensor<1x8xi8>, tensor<4x8xi8>) -> tensor<1x4xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1073741824, 1073741824, 1610612736, 1610612736], shift = [0, 0, 2, 2]> axis = 1 input_zero_point = 0 output_zero_point = 5 clamp = [-128, 127] rounding = single : tensor<1x4xi32> -> tensor<1x4xi8>
  return %y : tensor<1x4xi8>
}

// -----

// The float form in f64, as the scalar lowering: round half away from zero.
// CHECK-LABEL: func.func @dense_float_scale
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: arith.sitofp %{{.*}} : vector<16xi64> to vector<16xf64>
// CHECK: arith.mulf %{{.*}}, %{{.*}} : vector<16xf64>
// CHECK: math.round %{{.*}} : vector<16xf64>
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.fptosi %{{.*}} : vector<16xf64> to vector<16xi64>
// CHECK: arith.trunci %{{.*}} : vector<16xi64> to vector<16xi8>
func.func @dense_float_scale(%x: tensor<2x8xi8>) -> tensor<2x4xi8> {
  %w = arith.constant dense<3> : tensor<4x8xi8>
  %acc = qnn.dense %x, %w : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %y = qnn.requantize %acc scale = [0.01] axis = 0 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double : tensor<2x4xi32> -> tensor<2x4xi8>
  return %y : tensor<2x4xi8>
}

// -----

// A 1x1 stride-1 unpadded convolution is a matrix product over the N*H*W
// rows: collapse, kernel, expand.
// CHECK-LABEL: func.func @conv_pointwise
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<2x3x5x8xi8> into tensor<30x8xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [2, 3, 5, 16] : tensor<30x16xi8> into tensor<2x3x5x16xi8>
// CHECK-NOT: qnn.
// NOFUSE-LABEL: func.func @conv_pointwise
// NOFUSE: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// NOFUSE: qnn.requantize
func.func @conv_pointwise(%x: tensor<2x3x5x8xi8>) -> tensor<2x3x5x16xi8> {
  %f = arith.constant dense<-2> : tensor<16x1x1x8xi8>
  %b = arith.constant dense<100> : tensor<16xi32>
  %acc = qnn.conv2d %x, %f, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 input_zero_point = -128 : (tensor<2x3x5x8xi8>, tensor<16x1x1x8xi8>, tensor<16xi32>) -> tensor<2x3x5x16xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371], shift = [-8]> axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<2x3x5x16xi32> -> tensor<2x3x5x16xi8>
  return %y : tensor<2x3x5x16xi8>
}

// -----

// Other convolutions go through im2col: the input padded with the input
// zero point, the patches copied (and flipped to u8) into [N*OH*OW, 28]:
// per output pixel and filter row, the 3 taps of 3 channels are 9
// contiguous bytes of the padded input (W and C merged) and of the row
// (columns kh*9 .. kh*9 + 8): one masked 16-byte move each, then the K
// padding (27 -> 28) zeroed. Without im2col they are left to
// --lower-to-linalg.
// CHECK-LABEL: func.func @conv_im2col
// CHECK: %[[ZP:.*]] = arith.constant -1 : i8
// CHECK: %[[XP:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 0] high[0, 1, 0, 0]
// CHECK: tensor.yield %[[ZP]] : i8
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[XP]] {{\[\[}}0], [1], [2, 3]] : tensor<1x11x11x3xi8> into tensor<1x11x33xi8>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[MASK:.*]] = vector.constant_mask [9] : vector<16xi1>
// CHECK: vector.transfer_read %[[ROWS]]{{.*}}, %[[MASK]] {in_bounds = [true]} : tensor<1x11x33xi8>, vector<16xi8>
// CHECK: vector.transfer_write %{{.*}}, %[[MASK]] {in_bounds = [true]} : vector<16xi8>, tensor<25x28xi8>
// CHECK-COUNT-2: vector.transfer_read %[[ROWS]]{{.*}} : tensor<1x11x33xi8>, vector<16xi8>
// CHECK: vector.transfer_write %{{.*}} : vector<1xi8>, tensor<25x28xi8>
// CHECK: arith.constant {{.*}} : tensor<1x7x128xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// NOFUSE-LABEL: func.func @conv_im2col
// NOFUSE-NOT: llvm.call_intrinsic
// NOFUSE: qnn.conv2d
func.func @conv_im2col(%x: tensor<1x10x10x3xi8>) -> tensor<1x5x5x8xi8> {
  %f = arith.constant dense<5> : tensor<8x3x3x3xi8>
  %b = arith.constant dense<-7> : tensor<8xi32>
  %acc = qnn.conv2d %x, %f, %b strides = [2, 2] dilations = [1, 1] padding = [0, 1, 1, 0] groups = 1 input_zero_point = -1 : (tensor<1x10x10x3xi8>, tensor<8x3x3x3xi8>, tensor<8xi32>) -> tensor<1x5x5x8xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371], shift = [-8]> axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<1x5x5x8xi32> -> tensor<1x5x5x8xi8>
  return %y : tensor<1x5x5x8xi8>
}

// -----

// Left alone: depthwise with a filter that is not a constant, weights that
// are not constants, unsigned inputs, and a requantize reading another axis
// is not fused.
// CHECK-LABEL: func.func @not_lowered
// CHECK: qnn.conv2d {{.*}} groups = 4
// CHECK: qnn.dense %{{.*}}, %{{.*}} :
// CHECK: qnn.dense {{.*}} : (tensor<2x8xui8>
// CHECK-NOT: llvm.call_intrinsic
// CHECK: return
func.func @not_lowered(%x: tensor<1x4x4x4xi8>, %v: tensor<2x8xi8>, %w: tensor<4x8xi8>, %u: tensor<2x8xui8>, %f: tensor<4x3x3x1xi8>) -> (tensor<1x4x4x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>) {
  %dw = qnn.conv2d %x, %f strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 4 : (tensor<1x4x4x4xi8>, tensor<4x3x3x1xi8>) -> tensor<1x4x4x4xi32>
  %d = qnn.dense %v, %w : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %cw = arith.constant dense<1> : tensor<4x8xui8>
  %du = qnn.dense %u, %cw : (tensor<2x8xui8>, tensor<4x8xui8>) -> tensor<2x4xi32>
  return %dw, %d, %du : tensor<1x4x4x4xi32>, tensor<2x4xi32>, tensor<2x4xi32>
}

// -----

// A per-channel requantize along the rows (axis 0) is not the kernel's
// channel axis: the kernel stores i32 and the requantize stays.
// CHECK-LABEL: func.func @requantize_other_axis
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: vector.transfer_write {{.*}} : vector<16xi32>, tensor<2x4xi32>
// CHECK: qnn.requantize {{.*}} axis = 0
func.func @requantize_other_axis(%x: tensor<2x8xi8>) -> tensor<2x4xi8> {
  %w = arith.constant dense<3> : tensor<4x8xi8>
  %acc = qnn.dense %x, %w : (tensor<2x8xi8>, tensor<4x8xi8>) -> tensor<2x4xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371, 1395864371], shift = [-8, -9]> axis = 0 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<2x4xi32> -> tensor<2x4xi8>
  return %y : tensor<2x4xi8>
}

// -----

// Depthwise (groups = C = O, filter [C, KH, KW, 1]): vectorized over the
// channels, no vpdpbusd. No padding copy: the border rows and columns
// (asymmetric padding [0, 0, 1, 1] = top, left, bottom, right) are static
// copies that read only their valid taps, the taps in the padding adding
// input_zero_point (7) times their weights; C = 20: a loop over the full
// 16-channel blocks and a static copy for the 4-channel tail (masked loads
// and stores). The weights are repacked tap-major to [KH*KW][32] i32 in
// the vpdpwssd operand form (the i16 weight in the low half of each lane),
// zeros past channel 20: row 0 is tap (0, 0) of every channel,
// f[c][0][0][0] = c - 10 (used by the row that reads the padding).
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: vpdpbusd
// CHECK-NOT: tensor.pad
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}65526, 65527, 65528, 65529, 65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], {{.*}}]> : tensor<9x32xi32>
// Filter rows 0 and 1 in pairs: tap (0, kw) in the low i16 of each lane,
// tap (1, kw) in the high one: f[0][0][0][0] = -10, f[0][1][0][0] = -1.
// CHECK-DAG: %[[WP:.*]] = arith.constant dense<{{\[\[}}-10, 65527, 131064, {{.*}}]> : tensor<6x32xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: %[[WPV:.*]] = vector.transfer_read %[[WP]]{{.*}} {in_bounds = [true]} : tensor<6x32xi32>, vector<16xi32>
// Per pair of taps: acc + x0 * w0 + x1 * w1 with one vpdpwssd on x (the
// two rows' input bytes interleaved, then sign-extended to i16) and w.
// CHECK: %[[X0:.*]] = vector.transfer_read %arg0{{.*}} {in_bounds = [true]} : tensor<1x6x6x20xi8>, vector<16xi8>
// CHECK: %[[X1:.*]] = vector.transfer_read %arg0{{.*}} {in_bounds = [true]} : tensor<1x6x6x20xi8>, vector<16xi8>
// CHECK: %[[XB:.*]] = vector.shuffle %[[X0]], %[[X1]] [0, 16, 1, 17, 2, 18, {{.*}}, 15, 31] : vector<16xi8>, vector<16xi8>
// CHECK: %[[XP:.*]] = arith.extsi %[[XB]] : vector<32xi8> to vector<32xi16>
// CHECK: %[[XP32:.*]] = vector.bitcast %[[XP]] : vector<32xi16> to vector<16xi32>
// CHECK: %[[XH:.*]] = vector.bitcast %[[XP32]] : vector<16xi32> to vector<32xi16>
// CHECK: %[[WH:.*]] = vector.bitcast %[[WPV]] : vector<16xi32> to vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%{{.*}}, %[[XH]], %[[WH]]) : (vector<16xi32>, vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// Filter row 2 alone: x sign-extended to i32 (its high half is its sign,
// times w's 0).
// CHECK: %[[XX:.*]] = arith.extsi %{{.*}} : vector<16xi8> to vector<16xi32>
// CHECK: %[[XH2:.*]] = vector.bitcast %[[XX]] : vector<16xi32> to vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%{{.*}}, %[[XH2]], %{{.*}}) : (vector<16xi32>, vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// The requantize epilogue of the dense kernel (64-bit products on the
// even and odd lanes in place).
// CHECK: vector.bitcast %{{.*}} : vector<16xi32> to vector<8xi64>
// CHECK: arith.trunci {{.*}} : vector<16xi32> to vector<16xi8>
// CHECK: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<16xi8>, tensor<1x3x3x20xi8>
// The 4-channel tail block: the same kernel, the loads and store masked.
// CHECK: vector.transfer_read %arg0[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}], %{{.*}} : tensor<1x6x6x20xi8>, vector<16xi8>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : vector<16xi8>, tensor<1x3x3x20xi8>
// The bottom border row: its filter row 2 reads the padding, zp * w.
// CHECK: %[[ZPV:.*]] = arith.constant dense<7> : vector<16xi32>
// CHECK: %[[ZPH:.*]] = vector.bitcast %[[ZPV]] : vector<16xi32> to vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpwssd.512"(%{{.*}}, %[[ZPH]], %{{.*}})
// CHECK-NOT: qnn.
// CHECK: return
// Stride 2, OW = 3: tiles of 2 pixels and a 1-pixel tail; i32 multiply
// and add without depthwise-dot.
// MULI-LABEL: func.func @depthwise
// MULI-NOT: llvm.call_intrinsic
// MULI: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// MULI: arith.muli {{.*}} : vector<16xi32>
// MULI: arith.addi {{.*}} : vector<16xi32>
// MULI-NOT: llvm.call_intrinsic
// MULI: return
// NODW-LABEL: func.func @depthwise
// NODW: qnn.conv2d {{.*}} groups = 20
// BADPIX: depthwise-pixels must be in [1, 16], got 17
// NOFUSE-LABEL: func.func @depthwise
// NOFUSE: vector.transfer_write {{.*}} : vector<16xi32>, tensor<1x3x3x20xi32>
// NOFUSE: qnn.requantize
func.func @depthwise(%x: tensor<1x6x6x20xi8>) -> tensor<1x3x3x20xi8> {
  %f = arith.constant dense<[[[[-10], [-1], [0]], [[-1], [0], [1]], [[0], [1], [2]]], [[[-9], [0], [1]], [[0], [1], [2]], [[1], [2], [-2]]], [[[-8], [1], [2]], [[1], [2], [-2]], [[2], [-2], [-1]]], [[[-7], [2], [-2]], [[2], [-2], [-1]], [[-2], [-1], [0]]], [[[-6], [-2], [-1]], [[-2], [-1], [0]], [[-1], [0], [1]]], [[[-5], [-1], [0]], [[-1], [0], [1]], [[0], [1], [2]]], [[[-4], [0], [1]], [[0], [1], [2]], [[1], [2], [-2]]], [[[-3], [1], [2]], [[1], [2], [-2]], [[2], [-2], [-1]]], [[[-2], [2], [-2]], [[2], [-2], [-1]], [[-2], [-1], [0]]], [[[-1], [-2], [-1]], [[-2], [-1], [0]], [[-1], [0], [1]]], [[[0], [-1], [0]], [[-1], [0], [1]], [[0], [1], [2]]], [[[1], [0], [1]], [[0], [1], [2]], [[1], [2], [-2]]], [[[2], [1], [2]], [[1], [2], [-2]], [[2], [-2], [-1]]], [[[3], [2], [-2]], [[2], [-2], [-1]], [[-2], [-1], [0]]], [[[4], [-2], [-1]], [[-2], [-1], [0]], [[-1], [0], [1]]], [[[5], [-1], [0]], [[-1], [0], [1]], [[0], [1], [2]]], [[[6], [0], [1]], [[0], [1], [2]], [[1], [2], [-2]]], [[[7], [1], [2]], [[1], [2], [-2]], [[2], [-2], [-1]]], [[[8], [2], [-2]], [[2], [-2], [-1]], [[-2], [-1], [0]]], [[[9], [-2], [-1]], [[-2], [-1], [0]], [[-1], [0], [1]]]]> : tensor<20x3x3x1xi8>
  %b = arith.constant dense<100> : tensor<20xi32>
  %acc = qnn.conv2d %x, %f, %b strides = [2, 2] dilations = [1, 1] padding = [0, 0, 1, 1] groups = 20 input_zero_point = 7 : (tensor<1x6x6x20xi8>, tensor<20x3x3x1xi8>, tensor<20xi32>) -> tensor<1x3x3x20xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371, 1395864372, 1395864373, 1395864374, 1395864375, 1395864376, 1395864377, 1395864378, 1395864379, 1395864380, 1395864381, 1395864382, 1395864383, 1395864384, 1395864385, 1395864386, 1395864387, 1395864388, 1395864389, 1395864390], shift = [-8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8, -8]> axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<1x3x3x20xi32> -> tensor<1x3x3x20xi8>
  return %y : tensor<1x3x3x20xi8>
}
