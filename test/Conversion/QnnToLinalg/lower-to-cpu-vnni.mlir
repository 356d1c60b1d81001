// RUN: quant-opt %s --lower-to-cpu="int8-kernels=vnni" | FileCheck %s --check-prefix=VNNI
// RUN: quant-opt %s --lower-to-cpu="target-cpu=znver4 target-features=+avx512f,+avx512vnni" | FileCheck %s --check-prefixes=VNNI,TARGET
// RUN: quant-opt %s --lower-to-cpu | FileCheck %s --check-prefix=GENERIC
// RUN: quant-opt %s --lower-to-cpu="target-features=+avx512vnni,-avx512vnni" | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --lower-to-cpu="target-features=+avx2" | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --lower-to-cpu="int8-kernels=avx2" | FileCheck %s --check-prefix=AVX2
// RUN: quant-opt %s --lower-to-cpu="target-features=+sse4.2" | FileCheck %s --check-prefix=VECTOR
// RUN: quant-opt %s --lower-to-cpu="target-features=+avx2,-avx2" | FileCheck %s --check-prefix=VECTOR
// RUN: quant-opt %s --lower-to-cpu="int8-kernels=generic target-features=+avx512vnni" | FileCheck %s --check-prefix=GENERIC
// RUN: not quant-opt %s --lower-to-cpu="int8-kernels=sse" 2>&1 | FileCheck %s --check-prefix=BAD

// --lower-to-cpu selects the int8 kernels: `vnni` (or `auto` with a feature
// string that enables avx512vnni) lowers the integer dense layer and its
// requantize to a VNNI kernel, all the way to the LLVM dialect: the
// intrinsic on <16 x i32>, <64 x i8>, <64 x i8>, a masked store for the 10
// channels of the 16-lane vector. `avx2` (or `auto` with avx2 but not
// avx512vnni; -avx512vnni leaves the avx2 it implied) uses vpmaddwd on
// <16 x i16> halves; `vector` (or `auto` with any other feature string) the
// portable i32 multiply-add. `generic` (the default without a feature
// string) keeps the scalar loops. target-cpu / target-features become
// function attributes.

// VNNI-LABEL: llvm.func @main
// TARGET-SAME: target_cpu = "znver4"
// TARGET-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512vnni"]>
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI: llvm.intr.masked.store %{{.*}}, %{{.*}}, %{{.*}} {alignment = 1 : i32} : vector<16xi8>, vector<16xi1> into !llvm.ptr
// VNNI-NOT: vector.
// VNNI-NOT: scf.

// AVX2-LABEL: llvm.func @main
// AVX2: llvm.call_intrinsic "llvm.x86.avx2.pmadd.wd"(%{{.*}}, %{{.*}}) : (vector<16xi16>, vector<16xi16>) -> vector<8xi32>
// AVX2-NOT: vpdpbusd
// AVX2: llvm.intr.masked.store

// VECTOR-LABEL: llvm.func @main
// VECTOR-NOT: llvm.call_intrinsic
// VECTOR: llvm.mul %{{.*}}, %{{.*}} : vector<16xi32>
// VECTOR: llvm.intr.masked.store

// GENERIC-LABEL: llvm.func @main
// GENERIC-NOT: llvm.call_intrinsic
// GENERIC: llvm.return

// BAD: Cannot find option named 'sse'

func.func @main(%x: tensor<1x16xi8>) -> tensor<1x10xi8> {
  %w = arith.constant dense<7> : tensor<10x16xi8>
  %b = arith.constant dense<-1000> : tensor<10xi32>
  %acc = qnn.dense %x, %w, %b input_zero_point = -128 : (tensor<1x16xi8>, tensor<10x16xi8>, tensor<10xi32>) -> tensor<1x10xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1852107289], shift = [-9]> axis = 1 input_zero_point = 0 output_zero_point = -36 clamp = [-128, 127] rounding = double : tensor<1x10xi32> -> tensor<1x10xi8>
  return %y : tensor<1x10xi8>
}
