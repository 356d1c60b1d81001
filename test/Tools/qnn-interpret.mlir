// qnn-interpret: single-input mode (printed or written), dataset mode with
// --save-outputs, and errors naming the file, the key, or the op and its
// location. The models are the functions of this file.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[-3, 5, 7, -9]], np.int8)); np.save('%t/xf.npy', np.zeros((1, 4), np.float32)); np.savez('%t/data.npz', X=np.array([[1, 2, 3, 4], [-3, 5, 7, -9], [0, 0, 0, 0]], np.int8), idx=np.array([1, 2, 0]), y=np.array([0, 1, 1]))"

// RUN: qnn-interpret %s --input %t/x.npy | FileCheck %s --check-prefix=PRINT
// PRINT: result 0: int8[1, 2]
// PRINT-NEXT: 2 40

// RUN: qnn-interpret %s --input %t/x.npy --output %t/y.npy
// RUN: qnn-npy-tool dump %t/y.npy | FileCheck %s --check-prefix=WRITE
// WRITE: dtype: int8
// WRITE-NEXT: shape: [1, 2]
// WRITE: values: 2 40

// RUN: qnn-interpret %s --dataset %t/data.npz --input-key X --indices-key idx --limit 2 --label-key y --save-outputs %t/all.npy --no-progress | FileCheck %s --check-prefix=DATASET
// DATASET: samples: 2
// DATASET-NEXT: accuracy: 0.5000
// DATASET-NEXT: samples-per-second:
// RUN: qnn-npy-tool dump %t/all.npy | FileCheck %s --check-prefix=SAVED
// SAVED: dtype: int8
// SAVED-NEXT: shape: [2, 1, 2]
// SAVED: values: 2 40 5 4

// RUN: not qnn-interpret %s --entry probs --input %t/xf.npy 2>&1 | FileCheck %s --check-prefix=OPERR
// OPERR: qnn-interpret: error: 'qnn.softmax' at loc("probs_out"): unsupported op
// RUN: not qnn-interpret %s --input %t/xf.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: {{.*}}xf.npy: holds float32[1, 4], but @main takes int8[1, 4]
// RUN: not qnn-interpret %s --input %t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: {{.*}}missing.npy
// RUN: not qnn-interpret %s --dataset %t/data.npz --input-key nope 2>&1 | FileCheck %s --check-prefix=KEY
// KEY: error: {{.*}}data.npz{{.*}}nope
// RUN: not qnn-interpret %s --dataset %t/missing.npz --input-key X 2>&1 | FileCheck %s --check-prefix=NPZ
// NPZ: error: {{.*}}missing.npz
// RUN: not qnn-interpret %s --input %t/x.npy --save-outputs %t/bad.npy 2>&1 | FileCheck %s --check-prefix=NODATASET
// NODATASET: error: --input-key, --indices-key, --label-key, --limit and --save-outputs need --dataset
// RUN: not qnn-interpret %s --entry two --dataset %t/data.npz --input-key X --save-outputs %t/bad.npy 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: --save-outputs needs a model with a single result, @two returns 2
// RUN: not qnn-interpret %s --entry nope --input %t/x.npy 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: error: the module has no func.func @nope
// RUN: not ls %t/bad.npy

// x [1, 4] i8 -> dense (w = [[1, 2, 3, 4], [-100, 0, 0, 0]], b = [1, -2])
// -> requantize per channel, M = [0.25, 0.125] (double rounding), output
// zero point 4, clamp [-64, 40].
// x = [-3, 5, 7, -9]: acc = [-3 + 10 + 21 - 36 + 1, 300 - 2] = [-7, 298];
// -1.75 -> -2 + 4 = 2; 37.25 -> 37 + 4 = 41 -> 40.
// x = 0: acc = [1, -2]: 0.25 -> SRDHM 1, RDBPOT(1, 1) = 1 -> 5;
// -0.25 -> 0 -> 4. Labels [_, 1, 1]: sample 1 right, sample 2 wrong.
func.func @main(%x: tensor<1x4xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4], [-100, 0, 0, 0]]> : tensor<2x4xi8>
  %b = arith.constant dense<[1, -2]> : tensor<2xi32>
  %acc = qnn.dense %x, %w, %b input_zero_point = 0
       : (tensor<1x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<1x2xi32>
  %y = qnn.requantize %acc fixed_point = <m0 = [1073741824, 1073741824], shift = [-1, -2]>
         axis = 1 input_zero_point = 0 output_zero_point = 4 clamp = [-64, 40]
         rounding = double : tensor<1x2xi32> -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}

func.func @probs(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = qnn.softmax %x axis = 1 : tensor<1x4xf32> -> tensor<1x4xf32> loc("probs_out")
  return %y : tensor<1x4xf32>
}

func.func @two(%x: tensor<1x4xi8>) -> (tensor<1x4xi8>, tensor<1x4xi8>) {
  return %x, %x : tensor<1x4xi8>, tensor<1x4xi8>
}
