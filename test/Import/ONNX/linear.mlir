// Gemm and MatMul: a constant right-hand side is a qnn.dense weight [O, K],
// a computed one a qnn.matmul.

// transB = 1: B is already [N, K]; C [N] is the bias.
// RUN: %python %S/make_model.py gemm_transb %t.transb.onnx
// RUN: quant-import-onnx %t.transb.onnx --func-name=gemm_transb --mlir-print-local-scope | FileCheck %s --check-prefix=TRANSB
// TRANSB-LABEL: func.func @gemm_transb(
// TRANSB-SAME: %[[A:[^:]*]]: tensor<1x4xf32> loc("a")
// TRANSB: %[[W:.*]] = arith.constant dense_resource<b> : tensor<3x4xf32> loc("b")
// TRANSB: %[[BIAS:.*]] = arith.constant dense_resource<c> : tensor<3xf32> loc("c")
// TRANSB: %[[Y:.*]] = qnn.dense %[[A]], %[[W]], %[[BIAS]] : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("y")
// TRANSB: return %[[Y]]

// transB = 0, alpha = 2, beta = 0.5: the weight is B^T * 2 (B = arange(12)
// as [4, 3], so rows 0, 6, 12, 18 / 2, 8, 14, 20 / 4, 10, 16, 22), the bias
// C * 0.5 = 0, 0.5, 1.
// RUN: %python %S/make_model.py gemm_alpha_beta %t.alpha.onnx
// RUN: quant-import-onnx %t.alpha.onnx --func-name=gemm_alpha_beta | FileCheck %s --check-prefix=ALPHABETA
// ALPHABETA-LABEL: func.func @gemm_alpha_beta(
// ALPHABETA: %[[W:.*]] = arith.constant dense_resource<b> : tensor<3x4xf32>
// ALPHABETA: %[[BIAS:.*]] = arith.constant dense_resource<c> : tensor<3xf32>
// ALPHABETA: qnn.dense %{{.*}}, %[[W]], %[[BIAS]] : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// ALPHABETA: b: "0x04000000000000000000C04000004041000090410000004000000041000060410000A0410000804000002041000080410000B041"
// ALPHABETA: c: "0x04000000000000000000003F0000803F"

// A C that varies along M is added after the dense layer, scaled by beta.
// RUN: %python %S/make_model.py gemm_bias_matrix %t.cmat.onnx
// RUN: quant-import-onnx %t.cmat.onnx --func-name=gemm_bias_matrix --mlir-print-local-scope | FileCheck %s --check-prefix=CMAT
// CMAT-LABEL: func.func @gemm_bias_matrix(
// CMAT: %[[P:.*]] = qnn.dense %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32> loc("y#product")
// CMAT: %[[C:.*]] = arith.constant dense_resource<c> : tensor<2x3xf32> loc("c")
// CMAT: qnn.add %[[P]], %[[C]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32> loc("y")

// A computed B: qnn.matmul, then alpha and beta as multiplications.
// RUN: %python %S/make_model.py gemm_activation_b %t.actb.onnx
// RUN: quant-import-onnx %t.actb.onnx --func-name=gemm_activation_b --mlir-print-local-scope | FileCheck %s --check-prefix=ACTB
// ACTB-LABEL: func.func @gemm_activation_b(
// ACTB-SAME: %[[A:[^:]*]]: tensor<1x4xf32> loc("a"), %[[B:[^:]*]]: tensor<4x3xf32> loc("b"), %[[C:[^:]*]]: tensor<3xf32> loc("c")
// ACTB: %[[P:.*]] = qnn.matmul %[[A]], %[[B]] : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32> loc("y#product")
// ACTB: %[[ALPHA:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// ACTB: %[[SCALED:.*]] = qnn.mul %[[P]], %[[ALPHA]] : {{.*}} loc("y#alpha")
// ACTB: %[[BETA:.*]] = arith.constant dense<3.000000e+00> : tensor<f32>
// ACTB: %[[CB:.*]] = qnn.mul %[[C]], %[[BETA]] : {{.*}} loc("y#beta")
// ACTB: qnn.add %[[SCALED]], %[[CB]] : (tensor<1x3xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("y")

// transA = 1 transposes the activation.
// RUN: %python %S/make_model.py gemm_transa %t.transa.onnx
// RUN: quant-import-onnx %t.transa.onnx --func-name=gemm_transa --mlir-print-local-scope | FileCheck %s --check-prefix=TRANSA
// TRANSA-LABEL: func.func @gemm_transa(
// TRANSA-SAME: %[[A:[^:]*]]: tensor<4x2xf32>
// TRANSA: %[[AT:.*]] = qnn.transpose %[[A]] permutation = [1, 0] : tensor<4x2xf32> -> tensor<2x4xf32> loc("a#perm_1_0")
// TRANSA: qnn.dense %[[AT]], %{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32> loc("y")

// RUN: %python %S/make_model.py matmul_const %t.mm.onnx
// RUN: quant-import-onnx %t.mm.onnx --func-name=matmul_const --mlir-print-local-scope | FileCheck %s --check-prefix=MM
// MM-LABEL: func.func @matmul_const(
// MM-SAME: %[[A:[^:]*]]: tensor<2x4xf32>
// MM: %[[W:.*]] = arith.constant dense_resource<b> : tensor<3x4xf32> loc("b")
// MM: qnn.dense %[[A]], %[[W]] : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32> loc("y")

// A 3-D activation is flattened to rows, and the result reshaped back.
// RUN: %python %S/make_model.py matmul_3d_const %t.mm3.onnx
// RUN: quant-import-onnx %t.mm3.onnx --func-name=matmul_3d_const --mlir-print-local-scope | FileCheck %s --check-prefix=MM3
// MM3-LABEL: func.func @matmul_3d_const(
// MM3-SAME: %[[A:[^:]*]]: tensor<2x5x4xf32>
// MM3: %[[W:.*]] = arith.constant dense_resource<b> : tensor<3x4xf32>
// MM3: %[[ROWS:.*]] = qnn.reshape %[[A]] : tensor<2x5x4xf32> -> tensor<10x4xf32> loc("y#rows")
// MM3: %[[P:.*]] = qnn.dense %[[ROWS]], %[[W]] : (tensor<10x4xf32>, tensor<3x4xf32>) -> tensor<10x3xf32> loc("y#product")
// MM3: qnn.reshape %[[P]] : tensor<10x3xf32> -> tensor<2x5x3xf32> loc("y")

// RUN: %python %S/make_model.py matmul_activations %t.mma.onnx
// RUN: quant-import-onnx %t.mma.onnx --func-name=matmul_activations --mlir-print-local-scope | FileCheck %s --check-prefix=MMA
// MMA-LABEL: func.func @matmul_activations(
// MMA-SAME: %[[A:[^:]*]]: tensor<2x5x4xf32> loc("a"), %[[B:[^:]*]]: tensor<2x4x3xf32> loc("b")
// MMA: qnn.matmul %[[A]], %[[B]] : (tensor<2x5x4xf32>, tensor<2x4x3xf32>) -> tensor<2x5x3xf32> loc("y")

// A transposed constant feeds the dense layer directly.
// RUN: %python %S/make_model.py transpose_const %t.tconst.onnx
// RUN: quant-import-onnx %t.tconst.onnx --func-name=transpose_const --mlir-print-local-scope | FileCheck %s --check-prefix=TCONST
// TCONST-LABEL: func.func @transpose_const(
// TCONST: %[[W:.*]] = arith.constant dense_resource<wt> : tensor<3x4xf32> loc("wt")
// TCONST: qnn.dense %{{.*}}, %[[W]] : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32> loc("y")
// TCONST-NOT: qnn.transpose
