// RUN: quant-opt %s --lower-to-cpu | FileCheck %s --check-prefix=VECTOR
// RUN: quant-opt %s --lower-to-cpu="float-kernels=vector" | FileCheck %s --check-prefix=VECTOR
// RUN: quant-opt %s --lower-to-cpu="float-kernels=generic" | FileCheck %s --check-prefix=GENERIC
// RUN: not quant-opt %s --lower-to-cpu="float-kernels=avx" 2>&1 | FileCheck %s --check-prefix=BAD

// --lower-to-cpu selects the float kernels: `vector` (and `auto`, the
// default, on every target) lowers the float dense layer to the vector.fma
// kernel, all the way to the LLVM dialect: llvm.intr.fmuladd on 16 lanes,
// the relu6 epilogue on vectors, a masked store for the 5 channels of the
// 16-lane vector. `generic` keeps the scalar loops (fmul + fadd on f32).
// Either way the result is written straight into the caller's
// out-parameter: no allocation and no copy per call.

// VECTOR-LABEL: llvm.func @main
// VECTOR-NOT: @malloc
// VECTOR: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// VECTOR: llvm.intr.maximum(%{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// VECTOR: llvm.intr.minimum(%{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// VECTOR: llvm.intr.masked.store %{{.*}}, %{{.*}}, %{{.*}} {alignment = 4 : i32} : vector<16xf32>, vector<16xi1> into !llvm.ptr
// VECTOR-NOT: vector.
// VECTOR-NOT: scf.
// VECTOR-NOT: @malloc

// GENERIC-LABEL: llvm.func @main
// GENERIC-NOT: @malloc
// GENERIC-NOT: fmuladd
// GENERIC: llvm.fmul %{{.*}}, %{{.*}} : f32
// GENERIC: llvm.fadd %{{.*}}, %{{.*}} : f32
// GENERIC-NOT: fmuladd
// GENERIC: llvm.return

// BAD: Cannot find option named 'avx'

func.func @main(%x: tensor<3x40xf32>) -> tensor<3x5xf32> {
  %w = arith.constant dense<0.5> : tensor<5x40xf32>
  %b = arith.constant dense<-1.0> : tensor<5xf32>
  %y = qnn.dense %x, %w, %b activation = relu6 : (tensor<3x40xf32>, tensor<5x40xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %y : tensor<3x5xf32>
}
