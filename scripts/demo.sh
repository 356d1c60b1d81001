#!/usr/bin/env bash
#===- scripts/demo.sh - The README's main job on the embedded default -----===#
#
# Installs what is missing and builds (scripts/setup.sh), then:
# 1. trains the project's own model, a small depthwise-separable CNN with
#    batch norm and ReLU6, on scikit-learn's bundled handwritten digits with a
#    fixed seed, and exports it to ONNX (examples/train_digits.py; cached in
#    the build directory after the first run);
# 2. compiles it twice with quant-compile into shared libraries with C
#    headers: FP32 (the float lowering) and INT8 (per-tensor int8: batch-norm
#    folding, equalization, calibration on 100 digits, bias correction,
#    integer-only code; --print-pipeline shows the steps).
#    The INT8 compilation also writes the per-layer quantization report
#    (HTML: weight ranges before/after equalization, activation histograms
#    with the clipping ranges, SQNR per layer, accuracy; docs/Report.md);
# 3. runs both libraries through their C interface on the 297 held-out
#    digits and prints accuracy and latency per image, and where the
#    libraries and the report are.
#
# Usage: scripts/demo.sh
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QUANT_OPT_BUILD_DIR:-$ROOT/build}"
DEMO="$BUILD_DIR/demo"
PY=/usr/bin/python3

"$ROOT/scripts/setup.sh" quant-compile quant-import-onnx
mkdir -p "$DEMO"

if [[ ! -f "$DEMO/digits.onnx" || ! -f "$DEMO/digits.npz" ]]; then
  echo "=== training the demo model (examples/train_digits.py, once) ===" >&2
  "$PY" "$ROOT/examples/train_digits.py" "$DEMO/digits.onnx.tmp" \
    "$DEMO/digits.tmp.npz" >&2
  mv "$DEMO/digits.tmp.npz" "$DEMO/digits.npz"
  mv "$DEMO/digits.onnx.tmp" "$DEMO/digits.onnx"
else
  echo "=== using the cached demo model $DEMO/digits.onnx ===" >&2
fi

BIN="$BUILD_DIR/bin"
echo "=== FP32: quant-import-onnx + quant-compile ===" >&2
"$BIN/quant-import-onnx" "$DEMO/digits.onnx" -o "$DEMO/digits_fp32.mlir"
"$BIN/quant-compile" "$DEMO/digits_fp32.mlir" --emit=shared \
  -o "$DEMO/digits_fp32.so" --header="$DEMO/digits_fp32.h"

INT8_FLAGS=(--calibration-data "$DEMO/digits.npz" --input-key X
            --indices-key cal_idx --weights=per-tensor)
echo "=== INT8: quant-compile ${INT8_FLAGS[*]} (the steps:) ===" >&2
"$BIN/quant-compile" "$DEMO/digits.onnx" "${INT8_FLAGS[@]}" --emit=shared \
  -o "$DEMO/digits_int8.so" --print-pipeline >&2
"$BIN/quant-compile" "$DEMO/digits.onnx" "${INT8_FLAGS[@]}" --emit=shared \
  -o "$DEMO/digits_int8.so" --header="$DEMO/digits_int8.h" \
  --report="$DEMO/digits_int8_report.html" --label-key y \
  --eval-indices-key eval_idx

run() {
  "$PY" "$ROOT/examples/run_library.py" "$1" --dataset "$DEMO/digits.npz" \
    --input-key X --indices-key eval_idx --label-key y --output-shape 1x10 \
    --repeat 200 -o "$DEMO/outputs.npy"
}
echo
echo "FP32 library ($DEMO/digits_fp32.so, header digits_fp32.h):"
run "$DEMO/digits_fp32.so" | sed 's/^/  /'
echo "INT8 library ($DEMO/digits_int8.so, header digits_int8.h):"
run "$DEMO/digits_int8.so" | sed 's/^/  /'
echo
echo "The libraries and their C headers:"
echo "  FP32: $DEMO/digits_fp32.so  $DEMO/digits_fp32.h"
echo "  INT8: $DEMO/digits_int8.so  $DEMO/digits_int8.h"
echo "The per-layer quantization report (open it in a browser; docs/Report.md):"
echo "  $DEMO/digits_int8_report.html"
echo "A C program that links such a library: examples/run_model.c"
