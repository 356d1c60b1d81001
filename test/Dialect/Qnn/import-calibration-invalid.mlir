// --import-calibration errors: every error of the file readers (malformed
// JSON with line:column, NaN and infinite values, min > max, negative
// counts, histogram length, duplicate names, unknown format name, empty file,
// wrong schema version), the pass options, and the matching errors. On any
// error nothing is attached (--mlir-print-ir-after-failure shows the module
// as it was).
// RUN: rm -rf %t && split-file %s %t

// Options.
// RUN: not quant-opt %t/model.mlir --import-calibration 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: error: import-calibration needs file=<path>
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/good.json format=onnx" 2>&1 | FileCheck %s --check-prefix=FORMAT-OPTION
// FORMAT-OPTION: error: import-calibration: unknown format 'onnx', expected auto, qnn, aimet, tensorrt or ort
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/good.json on-missing=ignore" 2>&1 | FileCheck %s --check-prefix=ON-MISSING
// ON-MISSING: error: import-calibration: unknown on-missing value 'ignore', expected error or warn
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/absent.json" 2>&1 | FileCheck %s --check-prefix=ABSENT
// ABSENT: error: {{.*}}absent.json: cannot read: No such file or directory

// The readers' errors name the file and the key (line:column for syntax).
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/syntax.json" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: {{.*}}syntax.json:4:22: invalid JSON: expected , or } after object property
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/nan.json" 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: error: {{.*}}nan.json:3:41: non-finite number 'NaN': statistics must be finite (and NaN and Infinity are not JSON)
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/infinity.json" 2>&1 | FileCheck %s --check-prefix=INFINITY
// INFINITY: error: {{.*}}infinity.json:3:51: non-finite number 'Infinity'
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/overflow.json" 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: error: {{.*}}overflow.json: tensor 'act': key 'max': must be finite, got inf
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/min-max.json" 2>&1 | FileCheck %s --check-prefix=MIN-MAX
// MIN-MAX: error: {{.*}}min-max.json: tensor 'act': key 'min': 7 exceeds max 6
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/count.json" 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: error: {{.*}}count.json: tensor 'in': key 'count': must be a non-negative integer, got -4
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/bins.json" 2>&1 | FileCheck %s --check-prefix=BINS
// BINS: error: {{.*}}bins.json: tensor 'act': key 'histogram.counts': has 3 entries but 'bins' is 4
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/bin-count.json" 2>&1 | FileCheck %s --check-prefix=BIN-COUNT
// BIN-COUNT: error: {{.*}}bin-count.json: tensor 'act': key 'histogram.counts': element 1 is a negative count -1
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/duplicate.json" 2>&1 | FileCheck %s --check-prefix=DUPLICATE
// DUPLICATE: error: {{.*}}duplicate.json:5:5: duplicate key 'in': a name may appear only once
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/format-name.json" 2>&1 | FileCheck %s --check-prefix=FORMAT-NAME
// FORMAT-NAME: error: {{.*}}format-name.json: key 'format': unknown format name 'qnn-stats', expected 'qnn-calibration'
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/empty.json" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/blank.json format=qnn" 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: error: {{.*}}.json: empty file
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/version.json" 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: error: {{.*}}version.json: key 'version': unsupported schema version 2, this reader understands version 1
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/unknown-key.json" 2>&1 | FileCheck %s --check-prefix=UNKNOWN-KEY
// UNKNOWN-KEY: error: {{.*}}unknown-key.json: tensor 'act': key 'histgram': unknown key, expected count, min, max, histogram, channel_min, channel_max or channel_mean

// Per-channel statistics must number the value's last dimension; the other,
// valid entries are not attached either.
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/channels.json" --mlir-print-ir-after-failure 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHANNELS
// CHANNELS: error: loc("act"): statistics of tensor 'act' in {{.*}}channels.json have 4 channels but the value has 3 in its last dimension ('tensor<1x2x2x3xf32>')
// CHANNELS: IR Dump After ImportCalibration Failed
// CHANNELS-NOT: qnn.stats
// CHANNELS-NOT: qnn.calibration_producer

// on-missing=error (the default): unmatched names in either direction are
// errors listing the first ten names and a count.
// RUN: not quant-opt %t/model.mlir --import-calibration="file=%t/unmatched.json" --mlir-print-ir-after-failure 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNMATCHED
// UNMATCHED: error: 11 statistics entries of {{.*}}unmatched.json name no value: 'conv1', 'conv10', 'conv11', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6', 'conv7', 'conv8' and 1 more
// UNMATCHED-NEXT: error: 1 named activations have no statistics in {{.*}}unmatched.json: 'act'
// UNMATCHED: IR Dump After ImportCalibration Failed
// UNMATCHED-NOT: qnn.stats

//--- model.mlir
func.func @model(%x: tensor<1x2x2x3xf32> loc("in")) -> tensor<1x2x2x3xf32> {
  %r = qnn.activation %x kind = relu : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xf32> loc("act")
  return %r : tensor<1x2x2x3xf32>
}
//--- good.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1}, "act": {"count": 1, "min": 0, "max": 1}}}
//--- syntax.json
{"format": "qnn-calibration",
 "version": 1,
 "tensors": {
   "in": {"count": 1 "min": 0, "max": 1}}}
//--- nan.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": NaN, "max": 1}}}
//--- infinity.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": Infinity}}}
//--- overflow.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 1e999}}}
//--- min-max.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 7, "max": 6}}}
//--- count.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": -4, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 6}}}
//--- bins.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 6,
                     "histogram": {"min": 0, "max": 6, "bins": 4, "counts": [1, 2, 3]}}}}
//--- bin-count.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 6,
                     "histogram": {"min": 0, "max": 6, "bins": 2, "counts": [1, -1]}}}}
//--- duplicate.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {
    "in": {"count": 1, "min": 0, "max": 1},
    "act": {"count": 1, "min": 0, "max": 6},
    "in": {"count": 2, "min": 0, "max": 2}}}
//--- format-name.json
{"format": "qnn-stats", "version": 1, "tensors": {}}
//--- empty.json
//--- blank.json


//--- version.json
{"format": "qnn-calibration", "version": 2, "tensors": {}}
//--- unknown-key.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 6, "histgram": {}}}}
//--- channels.json
{"format": "qnn-calibration", "version": 1, "producer": "channels",
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "act": {"count": 1, "min": 0, "max": 6, "channel_min": [0, 0, 0, 0],
                     "channel_max": [1, 1, 1, 6], "channel_mean": [0, 0, 0, 0]}}}
//--- unmatched.json
{"format": "qnn-calibration", "version": 1,
 "tensors": {"in": {"count": 1, "min": 0, "max": 1},
             "conv1": {"count": 1, "min": 0, "max": 1}, "conv2": {"count": 1, "min": 0, "max": 1},
             "conv3": {"count": 1, "min": 0, "max": 1}, "conv4": {"count": 1, "min": 0, "max": 1},
             "conv5": {"count": 1, "min": 0, "max": 1}, "conv6": {"count": 1, "min": 0, "max": 1},
             "conv7": {"count": 1, "min": 0, "max": 1}, "conv8": {"count": 1, "min": 0, "max": 1},
             "conv9": {"count": 1, "min": 0, "max": 1}, "conv10": {"count": 1, "min": 0, "max": 1},
             "conv11": {"count": 1, "min": 0, "max": 1}}}
