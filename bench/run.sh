#!/usr/bin/env bash
# s3gw benchmark entry point: installs what it needs (Debian packages, as root), builds the
# release gateway if it is missing, then runs bench/bench.py, which starts a private
# PostgreSQL, one regional gateway and an nginx reference, measures both and cleans up. The
# 4 KiB GET phase also runs against a second gateway with ENABLE_S3_AUTHENTICATION=true
# (SigV4-signed requests) and prints authentication off, on and the on/off ratio. The moto phase
# (when moto_server is installed) compares 1 MiB PUT/GET through a gateway zone on moto_server
# with the same requests sent to that moto_server directly.
# Usage: bench/run.sh [--duration SECONDS] [--connections N] [--sizes 256,1024] [--keep]
#                     [--only moto] [--moto-duration SECONDS] [--moto-connections N]
# Environment: S3GW_BINARY (gateway to measure; default build/release/src/app/s3gw),
#              S3GW_BUILD_DIR (default build/release), BENCH_DURATION, BENCH_SIZES.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${S3GW_BUILD_DIR:-$ROOT/build/release}
export S3GW_BINARY=${S3GW_BINARY:-$BUILD_DIR/src/app/s3gw}

BENCH_PACKAGES=(wrk nginx curl openssl postgresql-15 postgresql-client-15 util-linux)
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config libboost1.81-dev libboost-json1.81-dev
  libboost-url1.81-dev libpq-dev libssl-dev zlib1g-dev libpugixml-dev libisal-dev)

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages; install them with: sudo apt-get install -y $missing"
  fi
  echo "bench: installing Debian packages: $missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

# A Python that can import the test harness (it imports boto3).
bench_python() {
  local py
  for py in "${S3GW_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null && "$py" -c 'import boto3' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  ensure_packages python3 python3-boto3
  echo /usr/bin/python3
}

ensure_packages "${BENCH_PACKAGES[@]}"
# Debian's nginx package enables and may start a system nginx on :80; the benchmark runs its
# own private one and never touches the system service.

if [ ! -x "$S3GW_BINARY" ]; then
  ensure_packages "${BUILD_PACKAGES[@]}"
  echo "bench: building the release gateway in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DS3GW_TESTS=OFF >/dev/null
  ninja -C "$BUILD_DIR" s3gw >/dev/null
fi
[ -x "$S3GW_BINARY" ] || die "no gateway binary at $S3GW_BINARY"

PY=$(bench_python)
exec "$PY" -u "$ROOT/bench/bench.py" "$@"
