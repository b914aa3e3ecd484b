#!/usr/bin/env bash
# Micro benchmarks of gateway code (bench/micro/): configures a release build of them in
# build/bench-micro (S3GW_MICRO_BUILD_DIR), builds and runs each. They print figures and
# ratios and assert nothing about speed; a wrong answer exits non-zero.
# Usage: bench/micro.sh [SECONDS per figure, default 0.5]
# Needs the build's Debian packages (./run.sh start or ./run.sh test installs them).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${S3GW_MICRO_BUILD_DIR:-$ROOT/build/bench-micro}

command -v cmake >/dev/null && command -v ninja >/dev/null ||
  { echo "bench: cmake and ninja are missing (./run.sh start installs them)" >&2; exit 1; }
cmake -S "$ROOT/bench/micro" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
ninja -C "$BUILD_DIR" permissions_bench >/dev/null
"$BUILD_DIR/permissions_bench" "$@"
