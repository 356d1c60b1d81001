// RUN: quant-opt %s --lower-int8-kernels --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s
// RUN: quant-opt %s --lower-int8-kernels="isa=avx2" --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --lower-int8-kernels="input-quantize=false" --split-input-file | FileCheck %s --check-prefix=NOINPUT

// The layouts of the VNNI-only kernels (bit-exactness is checked by running
// them: test/Integration/CPU).

// Depthwise with the filter rows in the bytes of a vpdpbusd lane. Channel c
// has the filter rows (1, 2, 3) in every column (hand-computed tables):
// upper lane = bytes (1, 2, 3, 0) = 0x00030201 = 197121 (output row y),
// lower lane = bytes (0, 1, 2, 3) = 0x03020100 = 50462976 (row y + 1,
// from the same four input rows); bias 1000 - 128 * 3 * (1 + 2 + 3) =
// -1304 (the u8 flip taken back).
// CHECK-LABEL: func.func @depthwise_quad
// CHECK-DAG: arith.constant dense<197121> : tensor<3x16xi32>
// CHECK-DAG: arith.constant dense<50462976> : tensor<3x16xi32>
// CHECK-DAG: arith.constant dense<-1304> : tensor<16xi32>
// The scratch: 4 bytes per (column, channel) position, 8 columns with the
// padding (+ 2 spare vectors): 4 * (8 * 16 + 32) = 640 bytes. The
// zero-point padding columns are written once, flipped: 5 ^ 0x80 = -123.
// CHECK: %[[Q:.*]] = tensor.empty() : tensor<640xi8>
// CHECK: vector.transfer_write %{{.*}}, %[[Q]][%{{.*}}] {in_bounds = [true]} : vector<64xi8>, tensor<640xi8>
// Four input rows, interleaved byte by byte (row q at byte 4 p + q) and
// flipped, 16 positions at a time.
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 16, 32, 48, 1, 17, 33, 49, {{.*}}] : vector<32xi8>, vector<32xi8>
// CHECK: arith.xori
// One 64-byte load of the scratch feeds the two output rows.
// CHECK: %[[QV:.*]] = vector.transfer_read %{{.*}} : tensor<640xi8>, vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[QV]], %{{.*}})
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[QV]], %{{.*}})
// The i8 results of 4 neighbouring pixels (C = 16: contiguous) leave as
// one 64-byte store: two packs leave vector v's lanes 4 L .. 4 L + 3 in
// i32 4 L + v of 128-bit lane L, one i32 permute orders them.
// CHECK: %[[W0:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[W1:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: %[[B:.*]] = llvm.call_intrinsic "llvm.x86.avx512.packsswb.512"(%[[W0]], %[[W1]])
// CHECK: %[[D:.*]] = vector.bitcast %[[B]] : vector<64xi8> to vector<16xi32>
// CHECK: vector.shuffle %[[D]], %[[D]] [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] : vector<16xi32>, vector<16xi32>
// CHECK: vector.transfer_write %{{.*}} : vector<64xi8>, tensor<1x6x96xi8>
// CHECK-NOT: qnn.conv2d
// CHECK: return
// AVX2-LABEL: func.func @depthwise_quad
// AVX2-NOT: vpdpbusd
// AVX2: llvm.x86.avx2.pmadd.wd
func.func @depthwise_quad(%x: tensor<1x6x6x16xi8>) -> tensor<1x6x6x16xi8> {
  %ff = arith.constant dense<[[[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]], [[[1], [1], [1]], [[2], [2], [2]], [[3], [3], [3]]]]> : tensor<16x3x3x1xi8>
  %b = arith.constant dense<1000> : tensor<16xi32>
  %acc = qnn.conv2d %x, %ff, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 16 input_zero_point = 5 : (tensor<1x6x6x16xi8>, tensor<16x3x3x1xi8>, tensor<16xi32>) -> tensor<1x6x6x16xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371], shift = [-8]> axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<1x6x6x16xi32> -> tensor<1x6x6x16xi8>
  return %y : tensor<1x6x6x16xi8>
}

// -----

// N = 4 output channels: 4 rows per vector (16 = 4 rows x 4 channels).
// The weights and bias are packed 4 times over: lanes 0-3, 4-7, 8-11,
// 12-15 are channels 0-3; bias[o] = 10 o - 128 * sum_k w[o][k] with
// w[o][k] = o + 1 for k < 4: 0 - 512, 10 - 1024, 20 - 1536, 30 - 2048.
// CHECK-LABEL: func.func @dense_rows
// CHECK: arith.constant dense<[-512, -1014, -1516, -2018, -512, -1014, -1516, -2018, -512, -1014, -1516, -2018, -512, -1014, -1516, -2018, 0, {{.*}}]> : tensor<32xi32>
// The rows' broadcasts merged: lanes 4-7 from row 1, 8-11 row 2, 12-15
// row 3 (bytes 16.., 32.., 48.. of the vector<64xi8> operand).
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi1>, vector<64xi8>
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi1>, vector<64xi8>
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi1>, vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// Four whole rows per 16-byte store, into the flat [M * N] result.
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<32xi32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [8, 4] : tensor<32xi32> into tensor<8x4xi32>
func.func @dense_rows(%x: tensor<8x4xi8>) -> tensor<8x4xi32> {
  %w = arith.constant dense<[[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]]> : tensor<4x4xi8>
  %b = arith.constant dense<[0, 10, 20, 30]> : tensor<4xi32>
  %y = qnn.dense %x, %w, %b : (tensor<8x4xi8>, tensor<4x4xi8>, tensor<4xi32>) -> tensor<8x4xi32>
  return %y : tensor<8x4xi32>
}

// -----

// The f32 NCHW input quantized (scale 0.5: x * 2, exact) and transposed to
// NHWC in one kernel: 16 pixels of each channel row as vector<16xf32>,
// clamped to [lo - zp, hi - zp] = [-128 - 3, 127 - 3] before the rounding
// conversion (vcvtps2dq, 8 = to nearest even), + zp, the 3 channels'
// bytes joined by saturating packs and one byte shuffle into 48 bytes.
// CHECK-LABEL: func.func @input_quantize
// CHECK-NOT: qnn.transpose
// CHECK-DAG: arith.constant dense<2.000000e+00> : vector<16xf32>
// CHECK-DAG: arith.constant dense<-1.310000e+02> : vector<16xf32>
// CHECK-DAG: arith.constant dense<1.240000e+02> : vector<16xf32>
// CHECK: vector.transfer_read %arg0{{.*}} : tensor<1x3x2x32xf32>, vector<16xf32>
// CHECK: arith.mulf
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.mask.cvtps2dq.512"
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packsswb.512"
// Pixel p's channels at bytes 3p .. 3p + 2, from byte 16 (p / 4) + 4 ch +
// p % 4 of the packed vector.
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, 16, 20, 24, {{.*}}] : vector<64xi8>, vector<64xi8>
// CHECK: vector.transfer_write %{{.*}} : vector<48xi8>, tensor<1x2x96xi8>
// AVX2-LABEL: func.func @input_quantize
// AVX2-NOT: llvm.call_intrinsic
// AVX2: math.roundeven
// AVX2: arith.fptosi
// NOINPUT-LABEL: func.func @input_quantize
// NOINPUT: quant.qcast
// NOINPUT: qnn.transpose
func.func @input_quantize(%x: tensor<1x3x2x32xf32>) -> tensor<1x2x32x3xi8> {
  %q = quant.qcast %x : tensor<1x3x2x32xf32> to tensor<1x3x2x32x!quant.uniform<i8:f32, 5.000000e-01:3>>
  %i = quant.scast %q : tensor<1x3x2x32x!quant.uniform<i8:f32, 5.000000e-01:3>> to tensor<1x3x2x32xi8>
  %t = qnn.transpose %i permutation = [0, 2, 3, 1] : tensor<1x3x2x32xi8> -> tensor<1x2x32x3xi8>
  return %t : tensor<1x2x32x3xi8>
}

// -----

// The f32 epilogue per 32-channel block where it is proven: K = 136 taps
// of weight 127 give accumulators in [-128 * 127 * 136, 127 * 127 * 136],
// where channel 40's multiplier (1126380131 * 2^-43) has no proven f32
// plan and the others (1.2e9, 1.5e9, 2e9 * 2^-43) have one. Block 0 is
// computed in f32, block 1 (channels 32-63) in the 64-bit integer form.
// CHECK-LABEL: func.func @dense_mixed_epilogue
// CHECK: scf.for %{{.*}} = %c0{{(_[0-9]+)?}} to %c1{{(_[0-9]+)?}} step
// CHECK-NOT: vector<8xi64>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vfmadd.ps.512"
// CHECK-NOT: vector<8xi64>
// CHECK: scf.for %{{.*}} = %c1{{(_[0-9]+)?}} to %c2{{(_[0-9]+)?}} step
// CHECK-NOT: vfmadd.ps.512
// CHECK: arith.muli %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK-NOT: vfmadd.ps.512
// CHECK: return
func.func @dense_mixed_epilogue(%x: tensor<3x136xi8>) -> tensor<3x64xi8> {
  %w = arith.constant dense<127> : tensor<64x136xi8>
  %b = arith.constant dense<0> : tensor<64xi32>
  %acc = qnn.dense %x, %w, %b : (tensor<3x136xi8>, tensor<64x136xi8>, tensor<64xi32>) -> tensor<3x64xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1126380131, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000, 1500000000, 2000000000, 1200000000], shift = [-12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12, -12]> axis = 1 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<3x64xi32> -> tensor<3x64xi8>
  return %y : tensor<3x64xi8>
}

// -----

// Depth >= 256: the activations are read as they are (s8, vpdpbusd's
// signed operand) and the weights as u8: w ^ 0x80 = w + 128, 3 -> -125 as
// i8 (0x83), the padding channels 0 -> -128 (0x80); the bias is not
// compensated (1000, 0 in the padding). Each row's sum of activations
// (vpdpbusd of 1 and 64 activations, 4 per row of 256, then a sum of the
// lanes) times -128 starts the row's accumulators.
// CHECK-LABEL: func.func @dense_signed_activations
// CHECK-NOT: arith.xori
// CHECK: %[[ONES:.*]] = arith.constant dense<1> : vector<64xi8>
// CHECK: scf.for
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[ONES]], %{{.*}})
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xi32> into i32
// CHECK: arith.muli %{{.*}}, %c-128_i32 : i32
// CHECK: arith.constant dense<{{\[\[\[}}-125, -125,
// CHECK-SAME: -128, -128
// CHECK-SAME: tensor<1x64x128xi8>
// CHECK: arith.constant dense<[1000, 1000, {{.*}}, 1000, 0, {{.*}}, 0]> : tensor<32xi32>
// CHECK: %[[CORR:.*]] = tensor.extract
// CHECK: %[[C:.*]] = vector.broadcast %[[CORR]] : i32 to vector<16xi32>
// CHECK: arith.addi %{{.*}}, %[[C]] : vector<16xi32>
// The weights in the unsigned operand, the broadcast activations in the
// signed one.
// CHECK: %[[A:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %[[A]])
// CHECK-NOT: arith.xori
// CHECK: return
func.func @dense_signed_activations(%x: tensor<2x256xi8>) -> tensor<2x16xi32> {
  %w = arith.constant dense<3> : tensor<16x256xi8>
  %b = arith.constant dense<1000> : tensor<16xi32>
  %acc = qnn.dense %x, %w, %b : (tensor<2x256xi8>, tensor<16x256xi8>, tensor<16xi32>) -> tensor<2x16xi32>
  return %acc : tensor<2x16xi32>
}

// -----

// A layer with 16 output channels: the results are stored flat (8 x 16 =
// 128 bytes), four rows narrowed together (two packssdw, one packsswb, one
// dword permute) and written as one 64-byte vector.
// CHECK-LABEL: func.func @dense_flat_rows
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<128xi8>
// CHECK: scf.for
// CHECK-COUNT-8: llvm.x86.avx512.vpdpbusd.512
// CHECK: llvm.x86.avx512.packssdw.512
// CHECK: llvm.x86.avx512.packssdw.512
// CHECK: llvm.x86.avx512.packsswb.512
// CHECK: vector.shuffle %{{.*}} [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] : vector<16xi32>
// CHECK: %[[W0:.*]] = vector.transfer_write %{{.*}}, %[[OUT]][%{{.*}}] {in_bounds = [true]} : vector<64xi8>, tensor<128xi8>
// CHECK: llvm.x86.avx512.packsswb.512
// CHECK: %[[W1:.*]] = vector.transfer_write %{{.*}}, %[[W0]][%{{.*}}] {in_bounds = [true]} : vector<64xi8>, tensor<128xi8>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[W1]] {{\[\[}}0, 1]] output_shape [8, 16] : tensor<128xi8> into tensor<8x16xi8>
// CHECK: return %[[R]]
func.func @dense_flat_rows(%x: tensor<8x64xi8>) -> tensor<8x16xi8> {
  %w = arith.constant dense<1> : tensor<16x64xi8>
  %b = arith.constant dense<0> : tensor<16xi32>
  %acc = qnn.dense %x, %w, %b : (tensor<8x64xi8>, tensor<16x64xi8>, tensor<16xi32>) -> tensor<8x16xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1200000000], shift = [-3]> axis = 1 input_zero_point = 0 output_zero_point = 0 clamp = [-128, 127] rounding = double : tensor<8x16xi32> -> tensor<8x16xi8>
  return %y : tensor<8x16xi8>
}

// -----

// At most 16 output channels and K >= 32: tiles of 24 rows (24
// accumulators, the flipped rows' scratch 24 x 32 bytes), then the tail
// of 2 rows; K = 16 keeps 12-row tiles.
// CHECK-LABEL: func.func @dense_tall_tile
// CHECK: tensor.empty() : tensor<768xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c48{{(_[0-9]+)?}} step %c24
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>)
// CHECK-LABEL: func.func @dense_short_k
// CHECK: tensor.empty() : tensor<192xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c48{{(_[0-9]+)?}} step %c12
func.func @dense_tall_tile(%x: tensor<50x32xi8>) -> tensor<50x16xi32> {
  %w = arith.constant dense<1> : tensor<16x32xi8>
  %b = arith.constant dense<0> : tensor<16xi32>
  %acc = qnn.dense %x, %w, %b : (tensor<50x32xi8>, tensor<16x32xi8>, tensor<16xi32>) -> tensor<50x16xi32>
  return %acc : tensor<50x16xi32>
}
func.func @dense_short_k(%x: tensor<50x16xi8>) -> tensor<50x16xi32> {
  %w = arith.constant dense<1> : tensor<16x16xi8>
  %b = arith.constant dense<0> : tensor<16xi32>
  %acc = qnn.dense %x, %w, %b : (tensor<50x16xi8>, tensor<16x16xi8>, tensor<16xi32>) -> tensor<50x16xi32>
  return %acc : tensor<50x16xi32>
}

// -----

// Row pairs with 28 vectors in a row and 3 channel blocks (C = 48): a tile
// is one pixel's 3 blocks in both rows (18 vpdpbusd: 2 rows x 3 blocks x 3
// filter columns), each row's 3 results narrowed together (the third pack
// of one vector with itself) and stored as 48 bytes (masked).
// CHECK-LABEL: func.func @depthwise_quad_blocks
// CHECK: scf.for %{{.*}} = %c0{{(_[0-9]+)?}} to %c28{{(_[0-9]+)?}} step %c1{{(_[0-9]+)?}} iter_args(%{{.*}}) -> (tensor<1x4x1344xi8>)
// CHECK-COUNT-18: llvm.x86.avx512.vpdpbusd.512
// CHECK-NOT: vpdpbusd
// CHECK: llvm.x86.avx512.packssdw.512"(%[[A:.*]], %[[B:.*]]) :
// CHECK: llvm.x86.avx512.packssdw.512"(%[[C:.*]], %[[C]]) :
// CHECK: llvm.x86.avx512.packsswb.512
// CHECK: vector.shuffle %{{.*}} [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 2, 6, 10, 14] : vector<16xi32>
// CHECK: %[[M:.*]] = vector.constant_mask [48] : vector<64xi1>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}], %[[M]] {in_bounds = [true]} : vector<64xi8>, tensor<1x4x1344xi8>
// CHECK: scf.yield
func.func @depthwise_quad_blocks(%x: tensor<1x4x28x48xi8>) -> tensor<1x4x28x48xi8> {
  %ff = arith.constant dense<[[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]],[[[1], [2], [3]], [[1], [2], [3]], [[1], [2], [3]]]]> : tensor<48x3x3x1xi8>
  %b = arith.constant dense<0> : tensor<48xi32>
  %acc = qnn.conv2d %x, %ff, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 48 input_zero_point = 0 : (tensor<1x4x28x48xi8>, tensor<48x3x3x1xi8>, tensor<48xi32>) -> tensor<1x4x28x48xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1395864371], shift = [-8]> axis = 3 input_zero_point = 0 output_zero_point = 3 clamp = [-128, 127] rounding = double : tensor<1x4x28x48xi32> -> tensor<1x4x28x48xi8>
  return %y : tensor<1x4x28x48xi8>
}
