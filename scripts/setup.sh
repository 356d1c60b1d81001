#!/usr/bin/env bash
#===- scripts/setup.sh - Install dependencies, configure and build --------===#
#
# Idempotent: installs the Debian packages the project needs only when one is
# missing (one `apt-get update`, then one `apt-get install`), configures the
# CMake/Ninja build tree once, and rebuilds incrementally.
#
# Usage: scripts/setup.sh [--deps-only] [--bench-deps] [ninja targets...]
#   --deps-only   install packages, do not build
#   --bench-deps  also install the benchmark baselines (bench/)
#   QUANT_OPT_BUILD_DIR  build directory (default: <repo>/build)
#
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${QUANT_OPT_BUILD_DIR:-$ROOT/build}"
LLVM_PREFIX=/usr/lib/llvm-22

# Every Debian package the project builds, tests or runs with.
PACKAGES=(
  # Toolchain: LLVM/MLIR 22.1 (static MLIR libraries, lit, FileCheck).
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld
  cmake ninja-build
  # Unit tests (gemmlowp: the independent reference for fixed-point
  # requantization in FixedPointTest).
  libgtest-dev libgemmlowp-dev
  # ONNX importer (C++ protobuf API) and .npz reading (deflate).
  libonnx-dev libprotobuf-dev protobuf-compiler zlib1g-dev
  # lit runs under Debian's python3; tests make ONNX files and NumPy
  # references with /usr/bin/python3, and compare calibration with
  # PyTorch's observers (and the float latency bench with PyTorch);
  # the ReLU6 test network is trained on scikit-learn's bundled digits.
  python3 python3-numpy python3-onnx python3-torch python3-sklearn
  # The test that renders quant-compile's HTML report in a real headless
  # browser (without it, that test is reported UNSUPPORTED); PIL reads its
  # screenshot.
  chromium python3-pil
)

# Benchmark baselines only (bench/*.py): not needed to build or test.
BENCH_PACKAGES=(
  # oneDNN 2.6 (C++ API, libdnnl.so): the int8/fp32 kernel baseline of
  # bench/cpu_kernels.py (bench/onednn_kernels.cpp).
  libdnnl-dev
)

log() { echo "[setup] $*" >&2; }

deps_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --deps-only) deps_only=1; shift ;;
    --bench-deps) PACKAGES+=("${BENCH_PACKAGES[@]}"); shift ;;
    *) break ;;
  esac
done

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  log "installing missing Debian packages: ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$deps_only" -eq 1 ]; then exit 0; fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  log "configuring $BUILD_DIR"
  cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$LLVM_PREFIX/bin/clang" \
    -DCMAKE_CXX_COMPILER="$LLVM_PREFIX/bin/clang++" \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR="$LLVM_PREFIX/lib/cmake/mlir" \
    -DLLVM_DIR="$LLVM_PREFIX/lib/cmake/llvm" \
    -DLLVM_EXTERNAL_LIT="$LLVM_PREFIX/bin/lit" >&2
fi

log "building"
cmake --build "$BUILD_DIR" ${1:+--target "$@"} >&2
