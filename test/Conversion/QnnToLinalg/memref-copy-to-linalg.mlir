// RUN: quant-opt %s --memref-copy-to-linalg --split-input-file | FileCheck %s

// A copy into the interior of a padded buffer (contiguous rows): loops over
// the outer dimensions, 64-byte vector chunks along the rows (100 bytes =
// 64 + 36).
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[SRC:.*]]: memref<4x100xi8>, %[[DST:.*]]: memref<6x128xi8>)
// CHECK: %[[SUB:.*]] = memref.subview %[[DST]][1, 2] [4, 100] [1, 1]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: %[[A:.*]] = vector.transfer_read %[[SRC]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<4x100xi8>, vector<64xi8>
// CHECK: vector.transfer_write %[[A]], %[[SUB]][%[[I]], %{{.*}}] {in_bounds = [true]} : vector<64xi8>, memref<4x100xi8, strided<[128, 1], offset: 130>>
// CHECK: %[[B:.*]] = vector.transfer_read %[[SRC]][%[[I]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<4x100xi8>, vector<36xi8>
// CHECK: vector.transfer_write %[[B]], %[[SUB]][%[[I]], %{{.*}}] {in_bounds = [true]} : vector<36xi8>, memref<4x100xi8, strided<[128, 1], offset: 130>>
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.copy
func.func @rows(%src: memref<4x100xi8>, %dst: memref<6x128xi8>) {
  %sub = memref.subview %dst[1, 2] [4, 100] [1, 1] : memref<6x128xi8> to memref<4x100xi8, strided<[128, 1], offset: 130>>
  memref.copy %src, %sub : memref<4x100xi8> to memref<4x100xi8, strided<[128, 1], offset: 130>>
  return
}

// -----

// f32: 16 elements per chunk. Both sides are contiguous throughout: one
// run of 2 * 3 * 20 = 120 elements (7 chunks of 16, then 8).
// CHECK-LABEL: func.func @floats
// CHECK: %[[S:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : memref<2x3x20xf32> into memref<120xf32>
// CHECK: %[[D:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : memref<2x3x20xf32> into memref<120xf32>
// CHECK-COUNT-7: vector.transfer_read %[[S]]{{.*}} : memref<120xf32>, vector<16xf32>
// CHECK: vector.transfer_read %[[S]]{{.*}} : memref<120xf32>, vector<8xf32>
// CHECK-NOT: scf.for
func.func @floats(%src: memref<2x3x20xf32>, %dst: memref<2x3x20xf32>) {
  memref.copy %src, %dst : memref<2x3x20xf32> to memref<2x3x20xf32>
  return
}

// -----

// An NHWC image copied into the interior of its zero-point padding: W and C
// are contiguous on both sides (strides 3 and 1), H is not in the padded
// buffer (291 = 97 * 3, not 96 * 3): rows of 96 * 3 = 288 bytes, four
// 64-byte chunks and one of 32, instead of one 3-byte move per pixel.
// CHECK-LABEL: func.func @padded_rows
// CHECK: %[[SUB:.*]] = memref.subview
// CHECK: %[[S:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : memref<1x96x96x3xi8> into memref<1x96x288xi8>
// CHECK: %[[D:.*]] = memref.collapse_shape %[[SUB]] {{\[\[}}0], [1], [2, 3]] : memref<1x96x96x3xi8, strided<[28227, 291, 3, 1], offset: 294>> into memref<1x96x288xi8, strided<[28227, 291, 1], offset: 294>>
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-4: vector.transfer_read %[[S]]{{.*}} : memref<1x96x288xi8>, vector<64xi8>
// CHECK: vector.transfer_read %[[S]]{{.*}} : memref<1x96x288xi8>, vector<32xi8>
func.func @padded_rows(%src: memref<1x96x96x3xi8>, %dst: memref<1x97x97x3xi8>) {
  %sub = memref.subview %dst[0, 1, 1, 0] [1, 96, 96, 3] [1, 1, 1, 1] : memref<1x97x97x3xi8> to memref<1x96x96x3xi8, strided<[28227, 291, 3, 1], offset: 294>>
  memref.copy %src, %sub : memref<1x96x96x3xi8> to memref<1x96x96x3xi8, strided<[28227, 291, 3, 1], offset: 294>>
  return
}

// -----

// A strided innermost dimension or a dynamic shape: linalg.copy.
// CHECK-LABEL: func.func @fallback
// CHECK: linalg.copy ins(%{{.*}} : memref<4x8xi8, strided<[16, 2]>>)
// CHECK: linalg.copy ins(%{{.*}} : memref<?xi8>)
// CHECK-NOT: vector.transfer_read
func.func @fallback(%a: memref<4x8xi8, strided<[16, 2]>>, %b: memref<4x8xi8>, %c: memref<?xi8>, %d: memref<?xi8>) {
  memref.copy %a, %b : memref<4x8xi8, strided<[16, 2]>> to memref<4x8xi8>
  memref.copy %c, %d : memref<?xi8> to memref<?xi8>
  return
}
