// RUN: quant-opt %s --lower-f32-kernels --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s
// RUN: quant-opt %s --lower-f32-kernels="tile-rows=4 block-cols=32" --split-input-file --canonicalize --cse | FileCheck %s --check-prefix=TILE
// RUN: quant-opt %s --lower-f32-kernels="im2col=false depthwise=false fuse-activation=false" --split-input-file | FileCheck %s --check-prefix=OFF
// RUN: not quant-opt %s --lower-f32-kernels="tile-rows=17" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILE
// RUN: not quant-opt %s --lower-f32-kernels="block-cols=40" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADCOLS
// RUN: not quant-opt %s --lower-f32-kernels="depthwise-pixels=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADPIX

// The float (F) form of dense and conv2d with constant f32 weights becomes
// a vector.fma micro-kernel (the numerics are checked by running it:
// test/Integration/CPU/float-kernels.test).

// Weights packed by hand: O = 5, K = 3 -> one block narrowed to 16 columns
// (the channels past 5 are zeros): packed[0][k][c] = w[c][k]. The bias,
// padded with zeros, is the accumulators' initial value; per k, one weight
// vector, one broadcast of x[m][k] per row (a row tail: 3 rows), one fma
// per row; relu6 as max(., 0) then min(., 6) in registers; five channels
// of a 16-lane vector: a masked store (no in_bounds).
// CHECK-LABEL: func.func @dense_pack_by_hand
// CHECK-SAME: (%[[X:.*]]: tensor<3x3xf32>) -> tensor<3x5xf32>
// CHECK: %[[PACKED:.*]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 4.000000e+00, 7.000000e+00, 1.000000e+01, 1.300000e+01, {{(0.000000e\+00, )+}}0.000000e+00], [2.000000e+00, 5.000000e+00, 8.000000e+00, 1.100000e+01, 1.400000e+01, {{(0.000000e\+00, )+}}0.000000e+00], [3.000000e+00, 6.000000e+00, 9.000000e+00, 1.200000e+01, 1.500000e+01, {{(0.000000e\+00, )+}}0.000000e+00]]]> : tensor<1x3x16xf32>
// CHECK: %[[BIAS:.*]] = arith.constant dense<[-1.000000e+00, -2.000000e+00, -3.000000e+00, -4.000000e+00, -5.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<16xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[SIX:.*]] = arith.constant dense<6.000000e+00> : vector<16xf32>
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<3x5xf32>
// CHECK: %[[B0:.*]] = vector.transfer_read %[[BIAS]]{{.*}} : tensor<16xf32>, vector<16xf32>
// CHECK: %[[ACC:.*]]:3 = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %[[B0]], %[[A1:.*]] = %[[B0]], %[[A2:.*]] = %[[B0]]) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: %[[W:.*]] = vector.transfer_read %[[PACKED]][%{{.*}}, %[[K]], %{{.*}}]{{.*}} : tensor<1x3x16xf32>, vector<16xf32>
// CHECK: %[[S0:.*]] = tensor.extract %[[X]][%{{.*}}, %[[K]]] : tensor<3x3xf32>
// CHECK: %[[BC0:.*]] = vector.broadcast %[[S0]] : f32 to vector<16xf32>
// CHECK: %[[F0:.*]] = vector.fma %[[BC0]], %[[W]], %[[A0]] : vector<16xf32>
// CHECK-COUNT-2: vector.fma
// CHECK: scf.yield
// CHECK: %[[MAX:.*]] = arith.maximumf %[[ACC]]#0, %[[ZERO]] : vector<16xf32>
// CHECK: %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[SIX]] : vector<16xf32>
// CHECK: vector.transfer_write %[[MIN]], %[[OUT]][%{{.*}}, %{{.*}}] : vector<16xf32>, tensor<3x5xf32>
// CHECK-NOT: qnn.
// CHECK: return
func.func @dense_pack_by_hand(%x: tensor<3x3xf32>) -> tensor<3x5xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [10.0, 11.0, 12.0], [13.0, 14.0, 15.0]]> : tensor<5x3xf32>
  %b = arith.constant dense<[-1.0, -2.0, -3.0, -4.0, -5.0]> : tensor<5xf32>
  %y = qnn.dense %x, %w, %b activation = relu6 : (tensor<3x3xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}

// tile-rows=4 block-cols=32, M = 9, O = 70: the two full blocks of 2
// vectors (a loop over the blocks inside a loop over 2 row tiles of 4, then
// the row tail: 1 row), then the channel tail (6 channels: one masked
// vector) for the same rows.
// TILE-LABEL: func.func @dense_tiles
// TILE: arith.constant {{.*}} : tensor<3x8x32xf32>
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4:.*]] iter_args
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// TILE: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// TILE-COUNT-8: vector.fma
// TILE: scf.yield
// TILE-COUNT-8: vector.transfer_write {{.*}} {in_bounds = [true]}
// TILE: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>)
// TILE-COUNT-2: vector.transfer_write {{.*}} {in_bounds = [true]}
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C4]] iter_args
// TILE: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// TILE-COUNT-4: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : vector<16xf32>, tensor<9x70xf32>
// TILE: scf.for {{.*}} -> (vector<16xf32>)
// TILE: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : vector<16xf32>, tensor<9x70xf32>
// TILE: return
func.func @dense_tiles(%x: tensor<9x8xf32>) -> tensor<9x70xf32> {
  %w = arith.constant dense<0.5> : tensor<70x8xf32>
  %y = qnn.dense %x, %w : (tensor<9x8xf32>, tensor<70x8xf32>) -> tensor<9x70xf32>
  return %y : tensor<9x70xf32>
}

// -----

// A 1x1 convolution is a matrix product over the N*H*W rows: the input
// collapsed to [N*H*W, C], the result expanded back. A following
// qnn.activation (its only user) is fused: per-channel clamp bounds are
// tables read at the tile's channel offset.
// CHECK-LABEL: func.func @conv_1x1
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<[0.000000e+00, -1.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<16xf32>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<[6.000000e+00, 3.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]> : tensor<16xf32>
// CHECK: %[[LHS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x4x5x8xf32> into tensor<20x8xf32>
// CHECK: tensor.extract %[[LHS]]
// CHECK: vector.fma
// CHECK: %[[L:.*]] = vector.transfer_read %[[LO]]
// CHECK: arith.maximumf %{{.*}}, %[[L]] : vector<16xf32>
// CHECK: %[[H:.*]] = vector.transfer_read %[[HI]]
// CHECK: arith.minimumf %{{.*}}, %[[H]] : vector<16xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 4, 5, 2] : tensor<20x2xf32> into tensor<1x4x5x2xf32>
// CHECK-NOT: qnn.activation
// OFF-LABEL: func.func @conv_1x1
// OFF: vector.fma
// OFF: qnn.activation
func.func @conv_1x1(%x: tensor<1x4x5x8xf32>) -> tensor<1x4x5x2xf32> {
  %f = arith.constant dense<0.25> : tensor<2x1x1x8xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %y = qnn.conv2d %x, %f, %b strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 1 : (tensor<1x4x5x8xf32>, tensor<2x1x1x8xf32>, tensor<2xf32>) -> tensor<1x4x5x2xf32>
  %a = qnn.activation %y kind = clamp(min = [0.0, -1.0], max = [6.0, 3.0]) : tensor<1x4x5x2xf32> -> tensor<1x4x5x2xf32>
  return %a : tensor<1x4x5x2xf32>
}

// -----

// Other groups = 1 convolutions go through an im2col copy of the
// zero-padded input, columns in (kh, kw, c) order as the packed weights.
// CHECK-LABEL: func.func @conv_3x3
// CHECK: %[[XP:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[COLS:.*]] = linalg.generic {{.*}} ins(%[[XP]] : tensor<1x7x7x3xf32>) outs(%{{.*}} : tensor<1x3x3x3x3x3xf32>)
// CHECK: tensor.collapse_shape %[[COLS]] {{\[\[}}0, 1, 2], [3, 4, 5]] : tensor<1x3x3x3x3x3xf32> into tensor<9x27xf32>
// CHECK: vector.fma
// CHECK: tensor.expand_shape
// OFF-LABEL: func.func @conv_3x3
// OFF: qnn.conv2d
func.func @conv_3x3(%x: tensor<1x5x5x3xf32>) -> tensor<1x3x3x4xf32> {
  %f = arith.constant dense<1.0> : tensor<4x3x3x3xf32>
  %y = qnn.conv2d %x, %f strides = [2, 2] dilations = [1, 1] padding = [1, 1, 1, 1] groups = 1 : (tensor<1x5x5x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}

// -----

// Depthwise: the filter repacked tap-major to [KH*KW][C16], 16 channels per
// vector; no padding copy: output row 0 and column 0 (the padded ones) are
// static copies reading only their valid taps. 20 channels: one full block
// (a loop) and a 4-channel tail (masked loads and stores).
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: tensor.pad
// CHECK: %[[TAPS:.*]] = arith.constant {{.*}} : tensor<4x32xf32>
// CHECK: vector.transfer_read %[[TAPS]]{{.*}} : tensor<4x32xf32>, vector<16xf32>
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x6x7x20xf32>, vector<16xf32>
// CHECK: vector.fma
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<1x6x7x20xf32>
// CHECK: vector.transfer_read %{{.*}}, %{{.*}} : tensor<1x6x7x20xf32>, vector<16xf32>
// CHECK: vector.transfer_write %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : vector<16xf32>, tensor<1x6x7x20xf32>
// CHECK-NOT: qnn.conv2d
// OFF-LABEL: func.func @depthwise
// OFF: qnn.conv2d
func.func @depthwise(%x: tensor<1x6x7x20xf32>) -> tensor<1x6x7x20xf32> {
  %f = arith.constant dense<1.0> : tensor<20x2x2x1xf32>
  %b = arith.constant dense<0.5> : tensor<20xf32>
  %y = qnn.conv2d %x, %f, %b strides = [1, 1] dilations = [1, 1] padding = [1, 1, 0, 0] groups = 20 activation = relu : (tensor<1x6x7x20xf32>, tensor<20x2x2x1xf32>, tensor<20xf32>) -> tensor<1x6x7x20xf32>
  return %y : tensor<1x6x7x20xf32>
}

// -----

// Left to --lower-to-linalg: non-constant weights, grouped (not depthwise)
// convolutions, the integer form.
// CHECK-LABEL: func.func @not_lowered
// CHECK-NOT: vector.fma
// CHECK: qnn.dense
// CHECK: qnn.conv2d
// CHECK: qnn.dense
// CHECK-NOT: vector.fma
// CHECK: return
func.func @not_lowered(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %xc: tensor<1x3x3x4xf32>, %xi: tensor<2x4xi8>) -> (tensor<2x3xf32>, tensor<1x3x3x4xf32>, tensor<2x3xi32>) {
  %y = qnn.dense %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %f = arith.constant dense<1.0> : tensor<4x1x1x2xf32>
  %g = qnn.conv2d %xc, %f strides = [1, 1] dilations = [1, 1] padding = [0, 0, 0, 0] groups = 2 : (tensor<1x3x3x4xf32>, tensor<4x1x1x2xf32>) -> tensor<1x3x3x4xf32>
  %wi = arith.constant dense<1> : tensor<3x4xi8>
  %i = qnn.dense %xi, %wi : (tensor<2x4xi8>, tensor<3x4xi8>) -> tensor<2x3xi32>
  return %y, %g, %i : tensor<2x3xf32>, tensor<1x3x3x4xf32>, tensor<2x3xi32>
}

// -----

// Weights as dense_resource blobs (what quant-import-onnx writes) are read
// like dense ones: w = [[1, 2], [3, 4]].
// CHECK-LABEL: func.func @resource_weights
// CHECK: arith.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00], [2.000000e+00, 4.000000e+00, {{(0.000000e\+00, )+}}0.000000e+00]]]> : tensor<1x2x16xf32>
// CHECK: vector.fma
func.func @resource_weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense_resource<w_blob> : tensor<2x2xf32>
  %y = qnn.dense %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w_blob: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// BADTILE: lower-f32-kernels: tile-rows must be in [0, 16], got 17
// BADCOLS: lower-f32-kernels: block-cols must be 16, 32, 48 or 64, got 40
// BADPIX: lower-f32-kernels: depthwise-pixels must be in [1, 16], got 0
