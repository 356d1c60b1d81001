// --import-calibration: entries attach to the values carrying their names
// (function arguments, op results located at a NameLoc or a FusedLoc whose
// first name it is) as a qnn.stats right after the value, located at the
// same name, that every other use then reads. Each case is a model and a
// statistics file written by split-file.
// RUN: rm -rf %t && split-file %s %t

// Arguments and op results; the helper at "act#nchw" matches nothing and
// needs no entry, so on-missing=error (the default) passes.
// RUN: quant-opt %t/basic.mlir --import-calibration="file=%t/basic.json" \
// RUN:   --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=BASIC
// BASIC: module attributes {qnn.calibration_producer = "hand-written"}
// BASIC-LABEL: func.func @basic(
// BASIC-SAME: %[[IN:[^:]*]]: tensor<1x2x2x3xf32> loc("in"))
// BASIC-NEXT: %[[IN_S:.*]] = qnn.stats %[[IN]] <count = 2, min = -1.000000e+00, max = 1.000000e+00> : tensor<1x2x2x3xf32> loc("in")
// BASIC-NEXT: %[[ACT:.*]] = qnn.activation %[[IN_S]] kind = relu {{.*}} loc("act")
// BASIC-NEXT: %[[ACT_S:.*]] = qnn.stats %[[ACT]] <count = 2, min = 0.000000e+00, max = 6.000000e+00,
// BASIC-SAME: channel_min = [0.000000e+00, 0.000000e+00, 0.000000e+00], channel_max = [1.000000e+00, 6.000000e+00, 2.000000e+00],
// BASIC-SAME: channel_mean = [5.000000e-01, 1.000000e+00, 1.000000e+00]> : tensor<1x2x2x3xf32> loc("act")
// BASIC-NEXT: %[[HELPER:.*]] = qnn.transpose %[[ACT_S]] {{.*}} loc("act#nchw")
// BASIC-NEXT: %[[SUM:.*]] = qnn.add %[[ACT_S]], %[[ACT_S]] {{.*}} loc("sum")
// BASIC-NEXT: %[[SUM_S:.*]] = qnn.stats %[[SUM]] <count = 2, min = 0.000000e+00, max = 1.200000e+01, hist_range = [0.000000e+00, 1.200000e+01], hist = [3.000000e+00, 1.000000e+00]> : tensor<1x2x2x3xf32> loc("sum")
// BASIC-NEXT: return %[[HELPER]], %[[SUM_S]]

// Importing again updates the qnn.stats in place: one per value, never
// stacked, even where a value already had two.
// RUN: quant-opt %t/basic.mlir --import-calibration="file=%t/basic.json" --import-calibration="file=%t/again.json" \
// RUN:   | FileCheck %s --check-prefix=AGAIN
// RUN: quant-opt %t/existing.mlir --import-calibration="file=%t/again.json" | FileCheck %s --check-prefix=AGAIN
// AGAIN: module attributes {qnn.calibration_producer = "second"}
// AGAIN: %[[IN_S:.*]] = qnn.stats %{{.*}} <count = 5, min = -2.000000e+00, max = 2.000000e+00>
// AGAIN-NOT: qnn.stats %[[IN_S]]
// AGAIN-NEXT: %[[ACT:.*]] = qnn.activation %[[IN_S]]
// AGAIN-NEXT: %[[ACT_S:.*]] = qnn.stats %[[ACT]] <count = 5, min = 0.000000e+00, max = 3.000000e+00>
// AGAIN-NOT: qnn.stats
// AGAIN: %[[SUM:.*]] = qnn.add
// AGAIN-NEXT: %[[SUM_S:.*]] = qnn.stats %[[SUM]] <count = 5, min = 0.000000e+00, max = 4.000000e+00>
// AGAIN-NOT: qnn.stats
// AGAIN: return %{{.*}}, %[[SUM_S]]

// Names match exactly; a FusedLoc is named by its first NameLoc; every value
// carrying a name gets the entry; values that are not f32 (quantized
// casts) and the helpers need none; entries naming weights (constants, or
// values computed from constants only, as dequantized QDQ weights) are not
// attached and a remark lists them.
// RUN: quant-opt %t/names.mlir --import-calibration="file=%t/names.json" 2>&1 | FileCheck %s --check-prefix=NAMES
// NAMES: remark: 2 statistics entries of {{.*}}names.json name weights and are not attached (weight ranges come from the weights): 'w', 'w_dq'
// NAMES-LABEL: func.func @names(
// NAMES: %[[FUSED:.*]] = qnn.activation %{{.*}} kind = relu
// NAMES-NEXT: qnn.stats %[[FUSED]] <count = 1, min = 0.000000e+00, max = 1.000000e+00>
// NAMES: %[[XQ:.*]] = quant.qcast
// NAMES-NEXT: %[[XDQ:.*]] = quant.dcast %[[XQ]]
// NAMES-NEXT: %[[XDQ_S:.*]] = qnn.stats %[[XDQ]] <count = 1, min = -1.000000e+00, max = 1.000000e+00>
// NAMES: %[[W:.*]] = quant.dcast
// NAMES-NOT: qnn.stats %[[W]]
// NAMES: %[[TWICE_A:.*]] = qnn.activation %[[XDQ_S]] kind = relu
// NAMES-NEXT: qnn.stats %[[TWICE_A]] <count = 1, min = 0.000000e+00, max = 2.000000e+00>
// NAMES-NEXT: %[[TWICE_B:.*]] = qnn.activation %[[XDQ_S]] kind = relu
// NAMES-NEXT: qnn.stats %[[TWICE_B]] <count = 1, min = 0.000000e+00, max = 2.000000e+00>
// NAMES: %[[NOT_EXACT:.*]] = qnn.activation {{.*}} kind = relu6
// NAMES-NOT: qnn.stats %[[NOT_EXACT]]

// on-missing=warn: unmatched names in both directions are warnings listing
// the first ten and a count, and the rest is attached.
// RUN: quant-opt %t/basic.mlir --import-calibration="file=%t/partial.json on-missing=warn" 2>&1 | FileCheck %s --check-prefix=WARN
// WARN: warning: 12 statistics entries of {{.*}}partial.json name no value: 'e01', 'e02', 'e03', 'e04', 'e05', 'e06', 'e07', 'e08', 'e09', 'e10' and 2 more
// WARN-NEXT: warning: 2 named activations have no statistics in {{.*}}partial.json: 'in', 'sum'
// WARN: module attributes {qnn.calibration_producer = "partial"}
// WARN: %[[ACT:.*]] = qnn.activation
// WARN-NEXT: qnn.stats %[[ACT]] <count = 3, min = 0.000000e+00, max = 1.000000e+00>
// WARN-NOT: qnn.stats

//--- basic.mlir
func.func @basic(%x: tensor<1x2x2x3xf32> loc("in")) -> (tensor<1x3x2x2xf32>, tensor<1x2x2x3xf32>) {
  %r = qnn.activation %x kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("act")
  %t = qnn.transpose %r permutation = [0, 3, 1, 2] : tensor<1x2x2x3xf32> -> tensor<1x3x2x2xf32> loc("act#nchw")
  %s = qnn.add %r, %r : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> loc("sum")
  return %t, %s : tensor<1x3x2x2xf32>, tensor<1x2x2x3xf32>
}
//--- existing.mlir
func.func @existing(%x: tensor<1x2x2x3xf32> loc("in")) -> (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) {
  %a = qnn.stats %x <count = 1, min = 0.0, max = 0.5> : tensor<1x2x2x3xf32> loc("in")
  %b = qnn.stats %x <count = 1, min = 0.0, max = 0.25> : tensor<1x2x2x3xf32> loc("in")
  %r = qnn.activation %a kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("act")
  %s = qnn.add %b, %x : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> loc("sum")
  return %r, %s : tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>
}
//--- names.mlir
func.func @names(%x: tensor<1x2x2x3xf32> loc("x")) -> (tensor<1x2x2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) {
  %f = qnn.activation %x kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc(fused["fused_a", "fused_b"])
  %q = quant.qcast %f : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:128>> loc("x_q")
  %dq = quant.dcast %q : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.5:128>> to tensor<1x2x2x3xf32> loc("x_dq")
  %wi = arith.constant dense<1> : tensor<2x3xi8> loc("w_i")
  %wq = quant.scast %wi : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32, 0.5>> loc("w_q")
  %w = quant.dcast %wq : tensor<2x3x!quant.uniform<i8:f32, 0.5>> to tensor<2x3xf32> loc("w_dq")
  %c = arith.constant dense<1.0> : tensor<3xf32> loc("w")
  %t1 = qnn.activation %dq kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("twice")
  %t2 = qnn.activation %dq kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("twice")
  %h = qnn.activation %dq kind = relu6 : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("twice#nchw")
  return %f, %w, %t1, %t2, %h : tensor<1x2x2x3xf32>, tensor<2x3xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>
}
//--- basic.json
{
  "format": "qnn-calibration",
  "version": 1,
  "producer": "hand-written",
  "tensors": {
    "in": {"count": 2, "min": -1, "max": 1},
    "act": {"count": 2, "min": 0, "max": 6,
            "channel_min": [0, 0, 0], "channel_max": [1, 6, 2], "channel_mean": [0.5, 1, 1]},
    "sum": {"count": 2, "min": 0, "max": 12,
            "histogram": {"min": 0, "max": 12, "bins": 2, "counts": [3, 1]}}
  }
}
//--- again.json
{"format": "qnn-calibration", "version": 1, "producer": "second",
 "tensors": {"in": {"count": 5, "min": -2, "max": 2}, "act": {"count": 5, "min": 0, "max": 3},
             "sum": {"count": 5, "min": 0, "max": 4}}}
//--- names.json
{"format": "qnn-calibration", "version": 1, "producer": "names",
 "tensors": {"x": {"count": 1, "min": -1, "max": 1},
             "fused_a": {"count": 1, "min": 0, "max": 1},
             "x_dq": {"count": 1, "min": -1, "max": 1},
             "w": {"count": 1, "min": 1, "max": 1},
             "w_dq": {"count": 1, "min": 0.5, "max": 0.5},
             "twice": {"count": 1, "min": 0, "max": 2}}}
//--- partial.json
{"format": "qnn-calibration", "version": 1, "producer": "partial",
 "tensors": {"act": {"count": 3, "min": 0, "max": 1},
             "e01": {"count": 1, "min": 0, "max": 1}, "e02": {"count": 1, "min": 0, "max": 1},
             "e03": {"count": 1, "min": 0, "max": 1}, "e04": {"count": 1, "min": 0, "max": 1},
             "e05": {"count": 1, "min": 0, "max": 1}, "e06": {"count": 1, "min": 0, "max": 1},
             "e07": {"count": 1, "min": 0, "max": 1}, "e08": {"count": 1, "min": 0, "max": 1},
             "e09": {"count": 1, "min": 0, "max": 1}, "e10": {"count": 1, "min": 0, "max": 1},
             "e11": {"count": 1, "min": 0, "max": 1}, "e12": {"count": 1, "min": 0, "max": 1}}}
