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

// f32: 16 elements per chunk.
// CHECK-LABEL: func.func @floats
// CHECK: vector.transfer_read {{.*}} : memref<2x3x20xf32>, vector<16xf32>
// CHECK: vector.transfer_read {{.*}} : memref<2x3x20xf32>, vector<4xf32>
func.func @floats(%src: memref<2x3x20xf32>, %dst: memref<2x3x20xf32>) {
  memref.copy %src, %dst : memref<2x3x20xf32> to memref<2x3x20xf32>
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
