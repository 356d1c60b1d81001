#!/usr/bin/env bash
#===- scripts/demo.sh - The README's main job on the embedded default -----===#
#
# Installs what is missing and builds (scripts/setup.sh), then runs the
# example network of examples/ (a small depthwise-separable CNN with batch
# norm and ReLU6 in the float form of the qnn dialect) through quant-opt,
# which verifies it and prints it with its op statistics.
#
# Usage: scripts/demo.sh [model.mlir] [extra quant-opt flags...]
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QUANT_OPT_BUILD_DIR:-$ROOT/build}"
MODEL="${1:-$ROOT/examples/tiny_dscnn.mlir}"
shift || true

"$ROOT/scripts/setup.sh" quant-opt

echo "=== quant-opt $(basename "$MODEL") (large constants elided) ===" >&2
"$BUILD_DIR/bin/quant-opt" "$MODEL" --print-op-stats \
  --mlir-elide-elementsattrs-if-larger=16 "$@"
