// RUN: quant-opt %s --qnn-stack-buffers --split-input-file | FileCheck %s
// RUN: quant-opt %s --qnn-stack-buffers="budget=70" --split-input-file | FileCheck %s --check-prefix=BUDGET
// RUN: quant-opt %s --qnn-stack-buffers="max-size=63" --split-input-file | FileCheck %s --check-prefix=MAX

// Temporaries of the entry block go on the stack, smallest first within the
// budget; the alignment stays.
// CHECK-LABEL: func.func @temporaries
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: memref.alloca() : memref<8xi8>
// CHECK-NOT: memref.alloc()
// BUDGET-LABEL: func.func @temporaries
// BUDGET: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// BUDGET: memref.alloca() : memref<8xi8>
// MAX-LABEL: func.func @temporaries
// MAX: memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// MAX: memref.alloca() : memref<8xi8>
func.func @temporaries(%x: f32, %y: i8, %out: memref<16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<8xi8>
  linalg.fill ins(%y : i8) outs(%b : memref<8xi8>)
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

// Buffers that leave the frame (returned, also through a view; passed to a
// call), dynamic shapes and allocations inside loops stay on the heap.
// CHECK-LABEL: func.func @escaping
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.alloc() : memref<2x2xf32>
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: scf.for
// CHECK: memref.alloc() : memref<4xf32>
func.func private @sink(memref<4xf32>)
func.func @escaping(%n: index) -> (memref<4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<2x2xf32>
  %v = memref.collapse_shape %b [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  %c = memref.alloc() : memref<4xf32>
  func.call @sink(%c) : (memref<4xf32>) -> ()
  %d = memref.alloc(%n) : memref<?xf32>
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    %e = memref.alloc() : memref<4xf32>
    func.call @sink(%e) : (memref<4xf32>) -> ()
  }
  return %a, %v : memref<4xf32>, memref<4xf32>
}
