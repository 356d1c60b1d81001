// RUN: quant-opt %s --qnn-unique-returned-buffers --split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-unique-returned-buffers --buffer-results-to-out-params="hoist-static-allocs modify-public-functions" --split-input-file | FileCheck %s --check-prefix=HOIST

// An allocation returned twice: the second time through a copy of its own,
// so that out-parameter hoisting replaces (and erases) each allocation once.
// CHECK-LABEL: func.func @twice
// CHECK: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK: %[[C:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[B:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK: memref.copy %[[A]], %[[B]] : memref<4xf32> to memref<4xf32>
// CHECK: return %[[A]], %[[B]], %[[C]] : memref<4xf32>, memref<4xf32>, memref<8xf32>
// HOIST-LABEL: func.func @twice
// HOIST-SAME: (%[[X:.*]]: f32, %[[OUT0:.*]]: memref<4xf32>, %[[OUT1:.*]]: memref<4xf32>, %[[OUT2:.*]]: memref<8xf32>)
// HOIST-NOT: memref.alloc
// HOIST: linalg.fill ins(%[[X]] : f32) outs(%[[OUT0]] : memref<4xf32>)
// HOIST: linalg.fill ins(%[[X]] : f32) outs(%[[OUT2]] : memref<8xf32>)
// HOIST: memref.copy %[[OUT0]], %[[OUT1]]
// HOIST-NOT: memref.alloc
// HOIST: return
func.func @twice(%x: f32) -> (memref<4xf32>, memref<4xf32>, memref<8xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<4xf32>)
  %c = memref.alloc() : memref<8xf32>
  linalg.fill ins(%x : f32) outs(%c : memref<8xf32>)
  return %a, %a, %c : memref<4xf32>, memref<4xf32>, memref<8xf32>
}

// -----

// Arguments and other values returned twice are left alone (they are
// copied into each out-parameter).
// CHECK-LABEL: func.func @argument_twice
// CHECK-NOT: memref.alloc
// CHECK: return %{{.*}}, %{{.*}} : memref<4xf32>, memref<4xf32>
func.func @argument_twice(%m: memref<4xf32>) -> (memref<4xf32>, memref<4xf32>) {
  return %m, %m : memref<4xf32>, memref<4xf32>
}

// -----

// A returned reshape of an allocation: the allocation takes the returned
// shape, its writers see it through the reverse reshape, and out-parameter
// hoisting makes them write the caller's buffer (no copy).
// CHECK-LABEL: func.func @expanded
// CHECK: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x3x4xf32>
// CHECK: %[[V:.*]] = memref.collapse_shape %[[A]] {{\[}}[0], [1, 2]] : memref<2x3x4xf32> into memref<2x12xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[V]] : memref<2x12xf32>)
// CHECK: return %[[A]] : memref<2x3x4xf32>
// HOIST-LABEL: func.func @expanded
// HOIST-SAME: (%[[X:.*]]: f32, %[[OUT:.*]]: memref<2x3x4xf32>)
// HOIST-NOT: memref.alloc
// HOIST: %[[V:.*]] = memref.collapse_shape %[[OUT]]
// HOIST: linalg.fill ins(%[[X]] : f32) outs(%[[V]] : memref<2x12xf32>)
// HOIST-NOT: memref.copy
// HOIST: return
func.func @expanded(%x: f32) -> memref<2x3x4xf32> {
  %a = memref.alloc() {alignment = 64 : i64} : memref<2x12xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<2x12xf32>)
  %e = memref.expand_shape %a [[0], [1, 2]] output_shape [2, 3, 4] : memref<2x12xf32> into memref<2x3x4xf32>
  return %e : memref<2x3x4xf32>
}

// -----

// The same for a collapse_shape.
// CHECK-LABEL: func.func @collapsed
// CHECK: %[[A:.*]] = memref.alloc() : memref<24xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[A]] {{\[}}[0, 1]] output_shape [6, 4] : memref<24xf32> into memref<6x4xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[V]] : memref<6x4xf32>)
// CHECK: return %[[A]] : memref<24xf32>
func.func @collapsed(%x: f32) -> memref<24xf32> {
  %a = memref.alloc() : memref<6x4xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<6x4xf32>)
  %c = memref.collapse_shape %a [[0, 1]] : memref<6x4xf32> into memref<24xf32>
  return %c : memref<24xf32>
}
