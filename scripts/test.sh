#!/usr/bin/env bash
#===- scripts/test.sh - Build everything and run every test ----------------===#
#
# The README's test command and what .ci/run calls. Installs what is missing
# (scripts/setup.sh), builds incrementally, then runs the lit suite and the
# ctest (gtest) suite, printing both summaries. Fails if anything fails.
#
#===----------------------------------------------------------------------===#
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QUANT_OPT_BUILD_DIR:-$ROOT/build}"
LIT=/usr/lib/llvm-22/bin/lit

"$ROOT/scripts/setup.sh" || { echo "test.sh: setup or build failed" >&2; exit 1; }

status=0

echo "=== lit: $BUILD_DIR/test ==="
# -s: one progress line and the summary; failures are printed in full.
"$LIT" -s -v "$BUILD_DIR/test" || status=1

echo "=== ctest: unit tests ==="
ctest --test-dir "$BUILD_DIR" --output-on-failure || status=1

if [ "$status" -ne 0 ]; then
  echo "test.sh: FAILED (see the summaries above)" >&2
else
  echo "test.sh: all tests passed"
fi
exit "$status"
