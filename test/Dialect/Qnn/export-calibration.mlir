// --export-calibration: every qnn.stats, named by its location, written as
// the project's JSON (docs/CalibrationStats.md): sorted names and keys,
// shortest exact numbers. The IR is unchanged.
// RUN: rm -rf %t && split-file %s %t

// RUN: quant-opt %t/stats.mlir --export-calibration="file=%t/out.json" | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=JSON --strict-whitespace --match-full-lines < %t/out.json
// IR-LABEL: func.func @stats(
// IR-NEXT: %[[A:.*]] = qnn.stats %{{.*}} <count = 1000, min = -1.000000e-01
// IR-NEXT: %[[R:.*]] = qnn.activation %[[A]]
// IR-NEXT: %[[B:.*]] = qnn.stats %[[R]] <count = 1000, min = 0.000000e+00, max = 3.250000e+00>
// IR-NEXT: %[[C:.*]] = qnn.stats %[[R]] <count = 1000, min = 0.000000e+00, max = 3.250000e+00>
// IR-NEXT: return %[[B]], %[[C]]
// Two qnn.stats with one name and equal statistics (here through a
// FusedLoc) are one entry.
//      JSON:{
// JSON-NEXT:  "format": "qnn-calibration",
// JSON-NEXT:  "producer": "quant-opt",
// JSON-NEXT:  "tensors": {
// JSON-NEXT:    "/layer1/conv/Conv_output_0": {
// JSON-NEXT:      "channel_max": [
// JSON-NEXT:        3.25,
// JSON-NEXT:        1e-07
// JSON-NEXT:      ],
// JSON-NEXT:      "channel_mean": [
// JSON-NEXT:        1.5,
// JSON-NEXT:        1e-08
// JSON-NEXT:      ],
// JSON-NEXT:      "channel_min": [
// JSON-NEXT:        -0.1,
// JSON-NEXT:        0
// JSON-NEXT:      ],
// JSON-NEXT:      "count": 1000,
// JSON-NEXT:      "histogram": {
// JSON-NEXT:        "bins": 4,
// JSON-NEXT:        "counts": [
// JSON-NEXT:          600,
// JSON-NEXT:          250.5,
// JSON-NEXT:          149.5,
// JSON-NEXT:          0
// JSON-NEXT:        ],
// JSON-NEXT:        "max": 3.5,
// JSON-NEXT:        "min": -0.5
// JSON-NEXT:      },
// JSON-NEXT:      "max": 3.25,
// JSON-NEXT:      "min": -0.1
// JSON-NEXT:    },
// JSON-NEXT:    "relu \"quoted\"": {
// JSON-NEXT:      "count": 1000,
// JSON-NEXT:      "max": 3.25,
// JSON-NEXT:      "min": 0
// JSON-NEXT:    }
// JSON-NEXT:  },
// JSON-NEXT:  "version": 1
// JSON-NEXT:}
// JSON-EMPTY:

// Import then export of a file in the canonical form reproduces it byte for
// byte (the producer travels in the module attribute
// qnn.calibration_producer), and so does a second round (from IR printed
// with its locations: names are locations).
// RUN: quant-opt %t/model.mlir --import-calibration="file=%t/canonical.json" --export-calibration="file=%t/round1.json" \
// RUN:   --mlir-print-debuginfo -o %t/imported.mlir
// RUN: cmp %t/canonical.json %t/round1.json
// RUN: quant-opt %t/imported.mlir --export-calibration="file=%t/round2.json" -o /dev/null
// RUN: cmp %t/canonical.json %t/round2.json
// RUN: quant-opt %t/model.mlir --import-calibration="file=%t/round2.json" --export-calibration="file=%t/round3.json" -o /dev/null
// RUN: cmp %t/canonical.json %t/round3.json

// Nothing to export: an empty table.
// RUN: quant-opt %t/model.mlir --export-calibration="file=%t/empty.json" -o /dev/null
// RUN: FileCheck %s --check-prefix=EMPTY-TABLE --strict-whitespace --match-full-lines < %t/empty.json
//      EMPTY-TABLE:{
// EMPTY-TABLE-NEXT:  "format": "qnn-calibration",
// EMPTY-TABLE-NEXT:  "producer": "quant-opt",
// EMPTY-TABLE-NEXT:  "tensors": {},
// EMPTY-TABLE-NEXT:  "version": 1
// EMPTY-TABLE-NEXT:}

// Errors: nothing is written, an existing file is left as it was.
// RUN: cp %t/canonical.json %t/existing.json
// RUN: not quant-opt %t/unnamed.mlir --export-calibration="file=%t/existing.json" 2>&1 | FileCheck %s --check-prefix=UNNAMED
// RUN: cmp %t/canonical.json %t/existing.json
// UNNAMED: unnamed.mlir:3:8: error: 'qnn.stats' op has no tensor name to export its statistics under (expected a location such as loc("conv1_out"))
// RUN: not quant-opt %t/conflict.mlir --export-calibration="file=%t/conflict.json" 2>&1 | FileCheck %s --check-prefix=CONFLICT
// RUN: not test -e %t/conflict.json
// CONFLICT: error: loc("y"): 'qnn.stats' op has statistics for tensor 'y' that differ from another qnn.stats of that name
// CONFLICT: note: loc("y"): the other qnn.stats
// RUN: not quant-opt %t/model.mlir --export-calibration 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: error: export-calibration needs file=<path>
// RUN: not quant-opt %t/model.mlir --export-calibration="file=%t/no/such/dir/out.json" 2>&1 | FileCheck %s --check-prefix=UNWRITABLE
// UNWRITABLE: error: {{.*}}/no/such/dir/out.json: cannot create a temporary file:

//--- stats.mlir
func.func @stats(%x: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %a = qnn.stats %x <count = 1000, min = -0.1, max = 3.25, hist_range = [-0.5, 3.5], hist = [600.0, 250.5, 149.5, 0.0],
                     channel_min = [-0.1, 0.0], channel_max = [3.25, 1.0e-7], channel_mean = [1.5, 1.0e-8]>
         : tensor<1x2x2x2xf32> loc("/layer1/conv/Conv_output_0")
  %r = qnn.activation %a kind = relu : tensor<1x2x2x2xf32> -> tensor<1x2x2x2xf32> loc("relu \"quoted\"")
  %b = qnn.stats %r <count = 1000, min = 0.0, max = 3.25> : tensor<1x2x2x2xf32> loc("relu \"quoted\"")
  %c = qnn.stats %r <count = 1000, min = 0.0, max = 3.25> : tensor<1x2x2x2xf32> loc(fused["relu \"quoted\"", "other"])
  return %b, %c : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
//--- model.mlir
func.func @model(%x: tensor<1x2x2x3xf32> loc("in")) -> tensor<1x2x2x3xf32> {
  %r = qnn.activation %x kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("act")
  %s = qnn.add %r, %x : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> loc("sum")
  return %s : tensor<1x2x2x3xf32>
}
//--- unnamed.mlir
func.func @unnamed(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // No loc(...): the location is this file's line and column.
  %a = qnn.stats %x <count = 1, min = 0.0, max = 1.0> : tensor<1x2xf32>
  return %a : tensor<1x2xf32>
}
//--- conflict.mlir
func.func @conflict(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %a = qnn.stats %x <count = 1, min = 0.0, max = 1.0> : tensor<1x2xf32> loc("y")
  %b = qnn.stats %a <count = 1, min = 0.0, max = 2.0> : tensor<1x2xf32> loc("y")
  return %b : tensor<1x2xf32>
}
//--- canonical.json
{
  "format": "qnn-calibration",
  "producer": "quant-run calibrate (12 samples)",
  "tensors": {
    "act": {
      "count": 12,
      "max": 6.103515625e-05,
      "min": 0
    },
    "in": {
      "channel_max": [
        0.30000000000000004,
        0.25,
        1.7976931348623157e+308
      ],
      "channel_mean": [
        0.1,
        -0.125,
        1.7976931348623157e+308
      ],
      "channel_min": [
        -1.0000000000000002,
        -0.5,
        1.7976931348623157e+308
      ],
      "count": 12,
      "histogram": {
        "bins": 5,
        "counts": [
          0.5,
          11.25,
          1e-300,
          123456789012,
          0
        ],
        "max": 0.30000000000000004,
        "min": -1.0000000000000002
      },
      "max": 0.30000000000000004,
      "min": -1.0000000000000002
    },
    "sum": {
      "count": 9007199254740993,
      "max": 2.2250738585072014e-308,
      "min": -5e-324
    }
  },
  "version": 1
}
