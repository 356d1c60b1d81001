#!/usr/bin/env bash
#===- scripts/demo.sh - The README's main job on the embedded default -----===#
#
# Installs what is missing and builds (scripts/setup.sh), then takes the
# example network of examples/ (a small depthwise-separable CNN with batch
# norm and ReLU6 in the float form of the qnn dialect) through quant-opt,
# which verifies it and prints it with its op statistics, and runs it in the
# JIT with quant-run on the example input.
#
# Usage: scripts/demo.sh [model.mlir input.npy]
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QUANT_OPT_BUILD_DIR:-$ROOT/build}"
MODEL="${1:-$ROOT/examples/tiny_dscnn.mlir}"
INPUT="${2:-$ROOT/examples/tiny_dscnn_input.npy}"

"$ROOT/scripts/setup.sh" quant-opt quant-run

echo "=== quant-opt $(basename "$MODEL") (large constants elided) ===" >&2
"$BUILD_DIR/bin/quant-opt" "$MODEL" --print-op-stats \
  --mlir-elide-elementsattrs-if-larger=16

echo "=== quant-run $(basename "$MODEL") --input $(basename "$INPUT") ===" >&2
"$BUILD_DIR/bin/quant-run" "$MODEL" --input "$INPUT"
