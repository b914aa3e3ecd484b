#!/usr/bin/env bash
# s3gw launcher: builds, starts and stops the dev stack (a private PostgreSQL cluster, the
# global gateway and two regional gateways), and runs the tests. `./run.sh help` for usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VAR=${S3GW_VAR_DIR:-$ROOT/var}
BUILD_DIR=${S3GW_BUILD_DIR:-$ROOT/build/release}
TEST_BUILD_DIR=${S3GW_TEST_BUILD_DIR:-$ROOT/build/asan}
PG_BIN=${S3GW_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${S3GW_PG_PORT:-5433}
BIND=${S3GW_BIND:-127.0.0.1}
GLOBAL_PORT=${S3GW_GLOBAL_PORT:-8000}
FI_HEL_PORT=${S3GW_FI_HEL_PORT:-8001}
DE_FRA_PORT=${S3GW_DE_FRA_PORT:-8002}
export ENABLE_S3_AUTHENTICATION=${ENABLE_S3_AUTHENTICATION:-true}

# Debian packages the build, the stack and the tests need.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config libboost1.81-dev libboost-json1.81-dev
  libboost-url1.81-dev libpq-dev libssl-dev zlib1g-dev libpugixml-dev libisal-dev
  libgtest-dev libgmock-dev postgresql-15 postgresql-client-15 curl
  ca-certificates openssl)  # the trust store for https providers; the TLS test makes a CA

say() { printf '%s\n' "$*"; }
die() { printf 's3gw: %s\n' "$*" >&2; exit 1; }

# --- dependencies ---------------------------------------------------------------------------

missing_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  printf '%s\n' "${missing[@]}"
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@" | xargs)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "Missing Debian packages. Install them with:"
    say "  sudo apt-get install -y $missing"
    exit 1
  fi
  say "Installing Debian packages: $missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

# The Python that runs the integration tests: one that has boto3, requests and the aws CLI's
# botocore; Debian's python3 with python3-boto3 when the default python lacks them.
test_python() {
  local py
  for py in "${S3GW_PYTHON:-}" python3 /usr/bin/python3; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null && "$py" -c 'import boto3, requests' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  ensure_packages python3-boto3 python3-requests >&2
  echo /usr/bin/python3
}

ensure_test_tools() {
  command -v aws >/dev/null || ensure_packages awscli
  # The other real clients the tests drive (test_clients.py).
  ensure_packages rclone s3cmd
}

# --- build ----------------------------------------------------------------------------------

build_release() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DS3GW_TESTS=OFF >/dev/null
  ninja -C "$BUILD_DIR" s3gw
}

# --- PostgreSQL -----------------------------------------------------------------------------

PG_DIR=$VAR/pg
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/run

as_postgres() {
  # PostgreSQL refuses to run as root; the cluster belongs to the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_conninfo() { echo "host=$PG_SOCK port=$PG_PORT user=s3gw dbname=$1"; }

pg_start() {
  mkdir -p "$PG_DIR" "$PG_SOCK" "$VAR/log"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR" "$PG_SOCK"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "Creating the PostgreSQL cluster in $PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U s3gw -E UTF8 --locale C >/dev/null
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    touch "$VAR/log/postgres.log"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$VAR/log/postgres.log"; fi
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$VAR/log/postgres.log" -w -s \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=''" start
  fi
  local db
  for db in s3gw_global s3gw_fi_hel s3gw_de_fra; do
    if ! psql -X -q -t -A "$(pg_conninfo postgres)" -c "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
      psql -X -q "$(pg_conninfo postgres)" -c "CREATE DATABASE $db" >/dev/null
    fi
  done
}

pg_stop() {
  [ -f "$PG_DATA/PG_VERSION" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -s stop 2>/dev/null || true
}

# --- gateways -------------------------------------------------------------------------------

# name role region port zone
GATEWAYS=(
  "global global - $GLOBAL_PORT -"
  "fi-hel regional fi-hel $FI_HEL_PORT fi-hel-st-1"
  "de-fra regional de-fra $DE_FRA_PORT de-fra-st-1"
)

pid_file() { echo "$VAR/run/$1.pid"; }

running() {
  local f; f=$(pid_file "$1")
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

ensure_admin_token() {
  if [ -z "${S3GW_ADMIN_TOKEN:-}" ]; then
    if [ ! -f "$VAR/admin_token" ]; then
      (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$VAR/admin_token")
    fi
    S3GW_ADMIN_TOKEN=$(cat "$VAR/admin_token")
  fi
  export S3GW_ADMIN_TOKEN
}

# Seals credential secrets at rest (DESIGN.md invariant 7); regional gateways read it.
ensure_master_key() {
  if [ -z "${S3GW_MASTER_KEY:-}" ] && [ -z "${S3GW_MASTER_KEY_FILE:-}" ]; then
    if [ ! -f "$VAR/master_key" ]; then
      (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$VAR/master_key")
    fi
    S3GW_MASTER_KEY_FILE=$VAR/master_key
  fi
}

start_gateway() {
  local name=$1 role=$2 region=$3 port=$4 zone=$5 db
  if running "$name"; then say "  $name already running (pid $(cat "$(pid_file "$name")"))"; return; fi
  db=s3gw_${name//-/_}
  if [ "$role" = global ]; then db=s3gw_global; fi
  (
    export S3GW_DATABASE_URL=${S3GW_DATABASE_URL_OVERRIDE:-$(pg_conninfo "$db")}
    export S3GW_PORT=$port S3GW_BIND=$BIND S3GW_DATA_DIR=${S3GW_DATA_DIR:-$VAR/zones}
    if [ "$region" != - ]; then export S3GW_REGION=$region; fi
    export S3GW_CONFIG_DIR=${S3GW_CONFIG_DIR:-$ROOT/config}
    if [ "$role" = regional ] && [ -n "${S3GW_MASTER_KEY_FILE:-}" ]; then export S3GW_MASTER_KEY_FILE; fi
    # Regional gateways write bucket mappings and the provider catalog to the global database.
    if [ "$role" = regional ]; then
      export S3GW_GLOBAL_DATABASE_URL=${S3GW_GLOBAL_DATABASE_URL_OVERRIDE:-$(pg_conninfo s3gw_global)}
    fi
    nohup "$BUILD_DIR/src/app/s3gw" "$role" >>"$VAR/log/$name.log" 2>&1 &
    echo $! >"$(pid_file "$name")"
  )
}

json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n1 | cut -d'"' -f4; }

# Demo credentials of one regional gateway, kept in $VAR/demo-<name>.env (mode 600) so that
# `source var/demo-fi-hel.env` configures the aws CLI; minted again when the key is gone.
ensure_demo_credentials() {
  local name=$1 port=$2 region=$3 f="$VAR/demo-$1.env" akid body
  if [ -f "$f" ]; then
    akid=$(sed -n 's/^export AWS_ACCESS_KEY_ID=//p' "$f")
    if curl -fsS -H "Authorization: Bearer $S3GW_ADMIN_TOKEN" \
        "http://$BIND:$port/api/credentials/$akid" 2>/dev/null | grep -q '"active":true'; then
      return 0
    fi
  fi
  body=$(curl -fsS -X POST -H "Authorization: Bearer $S3GW_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"user_name":"demo"}' \
    "http://$BIND:$port/api/credentials/generate-demo") || die "could not create demo credentials on $name"
  (umask 077; cat >"$f" <<ENV
export AWS_ACCESS_KEY_ID=$(printf '%s' "$body" | json_field access_key_id)
export AWS_SECRET_ACCESS_KEY=$(printf '%s' "$body" | json_field secret_access_key)
export AWS_DEFAULT_REGION=$region
export AWS_ENDPOINT_URL=http://$BIND:$port
ENV
  )
}

wait_healthy() {
  local name=$1 port=$2 i
  for i in $(seq 1 100); do
    if curl -fsS "http://$BIND:$port/health" >/dev/null 2>&1; then return 0; fi
    running "$name" || { tail -n 20 "$VAR/log/$name.log" >&2; die "$name exited; see $VAR/log/$name.log"; }
    sleep 0.1
  done
  die "$name did not become healthy on port $port"
}

cmd_start() {
  build_release
  mkdir -p "$VAR/run" "$VAR/log" "$VAR/zones"
  pg_start
  ensure_admin_token
  ensure_master_key
  local g
  for g in "${GATEWAYS[@]}"; do start_gateway $g; done
  for g in "${GATEWAYS[@]}"; do set -- $g; wait_healthy "$1" "$4"; done
  if [ "$ENABLE_S3_AUTHENTICATION" = true ]; then
    ensure_demo_credentials fi-hel "$FI_HEL_PORT" fi-hel
    ensure_demo_credentials de-fra "$DE_FRA_PORT" de-fra
  fi
  say ""
  say "s3gw is running (authentication: $ENABLE_S3_AUTHENTICATION)"
  say "  global gateway    http://$BIND:$GLOBAL_PORT   (/health)"
  say "  fi-hel regional   http://$BIND:$FI_HEL_PORT   (standard region)"
  say "  de-fra regional   http://$BIND:$DE_FRA_PORT   (strict region: de only)"
  say "  zones             ${S3GW_CONFIG_DIR:-$ROOT/config}/s3_backends.json (7 zones under $VAR/zones)"
  say "  PostgreSQL        $(pg_conninfo s3gw_fi_hel)"
  say "  admin token       $VAR/admin_token (Authorization: Bearer ...)"
  say "  logs              ./run.sh logs [name]"
  say ""
  if [ "$ENABLE_S3_AUTHENTICATION" = true ]; then
    say "  demo credentials  $VAR/demo-fi-hel.env, $VAR/demo-de-fra.env (s3:* on every bucket)"
    say ""
    say "Try:  source $VAR/demo-fi-hel.env"
    say "      aws --endpoint-url http://$BIND:$FI_HEL_PORT s3 mb s3://my-bucket"
    say "      aws --endpoint-url http://$BIND:$FI_HEL_PORT s3 cp README.md s3://my-bucket/"
    say "      curl --aws-sigv4 aws:amz:fi-hel:s3 --user \"\$AWS_ACCESS_KEY_ID:\$AWS_SECRET_ACCESS_KEY\" \\"
    say "           http://$BIND:$FI_HEL_PORT/my-bucket/README.md"
    say "      New users: POST /api/credentials/create (README, \"Credentials\")"
  else
    say "Try:  aws --endpoint-url http://$BIND:$FI_HEL_PORT s3 mb s3://my-bucket"
    say "      (authentication is off: any access key works; X-Customer-ID picks the customer)"
  fi
}

cmd_stop() {
  local g name pid i
  for g in "${GATEWAYS[@]}"; do
    set -- $g; name=$1
    if running "$name"; then
      pid=$(cat "$(pid_file "$name")")
      kill -TERM "$pid"
      for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
      say "stopped $name"
    fi
    rm -f "$(pid_file "$name")"
  done
  pg_stop
  say "stopped PostgreSQL"
}

cmd_restart() {
  cmd_stop
  say "removing $VAR (fresh data)"
  rm -rf "$VAR"
  cmd_start
}

cmd_status() {
  local g name port state
  for g in "${GATEWAYS[@]}"; do
    set -- $g; name=$1; port=$4
    if running "$name"; then
      state="running (pid $(cat "$(pid_file "$name")"))"
      curl -fsS "http://$BIND:$port/health" >/dev/null 2>&1 && state="$state, healthy" || state="$state, NOT healthy"
    else
      state="stopped"
    fi
    printf '  %-8s :%-5s %s\n' "$name" "$port" "$state"
  done
  if [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    printf '  %-8s :%-5s %s\n' postgres "$PG_PORT" running
  else
    printf '  %-8s :%-5s %s\n' postgres "$PG_PORT" stopped
  fi
}

cmd_logs() {
  local name=${1:-}
  if [ -n "$name" ]; then tail -n 100 -f "$VAR/log/$name.log"; else tail -n 30 "$VAR"/log/*.log; fi
}

cmd_test() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  ensure_test_tools
  local py; py=$(test_python)
  # Sanitizers on (ASan + UBSan) for every test, unit and integration.
  cmake -S "$ROOT" -B "$TEST_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DS3GW_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS="-O1" -DPython3_EXECUTABLE="$py" >/dev/null
  ninja -C "$TEST_BUILD_DIR"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
    ctest --test-dir "$TEST_BUILD_DIR" --output-on-failure -j "${S3GW_TEST_JOBS:-2}" "$@"
}

# A smoke test against the running stack, with curl only.
cmd_quick() {
  local ep="http://$BIND:$FI_HEL_PORT" b="quick-$$-$RANDOM" tmp code
  for p in "$GLOBAL_PORT" "$FI_HEL_PORT" "$DE_FRA_PORT"; do
    curl -fsS "http://$BIND:$p/health" >/dev/null || die "no healthy gateway on :$p (./run.sh start)"
  done
  say "health: ok on :$GLOBAL_PORT :$FI_HEL_PORT :$DE_FRA_PORT"
  local -a sign=()
  if [ "$ENABLE_S3_AUTHENTICATION" = true ]; then
    [ -f "$VAR/demo-fi-hel.env" ] || die "no demo credentials ($VAR/demo-fi-hel.env); ./run.sh start"
    # shellcheck disable=SC1091
    . "$VAR/demo-fi-hel.env"
    sign=(--aws-sigv4 "aws:amz:fi-hel:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
    code=$(curl -s -o /dev/null -w '%{http_code}' "$ep/")
    [ "$code" = 403 ] || die "an unsigned request answered $code, not 403"
    say "authentication: an unsigned request is refused (403)"
  fi
  # After the `.` above: a RETURN trap also fires when a sourced file ends.
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  # Every S3 call below is signed when authentication is on.
  local -a s3curl=(curl "${sign[@]}")
  "${s3curl[@]}" -fsS -X PUT "$ep/$b" >/dev/null || die "CreateBucket failed"
  head -c 100000 /dev/urandom >"$tmp/obj"
  # curl signs the empty payload unless told the body's hash (S3 wants it for SigV4).
  "${s3curl[@]}" -fsS -T "$tmp/obj" -H "x-amz-content-sha256: $(sha256sum "$tmp/obj" | cut -d' ' -f1)" \
    "$ep/$b/dir/object.bin" >/dev/null || die "PutObject failed"
  "${s3curl[@]}" -fsS "$ep/$b/dir/object.bin" -o "$tmp/back" || die "GetObject failed"
  cmp -s "$tmp/obj" "$tmp/back" || die "GetObject returned different bytes"
  "${s3curl[@]}" -fsS "$ep/$b?list-type=2" | grep -q "<Key>dir/object.bin</Key>" || die "ListObjectsV2 misses the key"
  code=$("${s3curl[@]}" -s -o /dev/null -w '%{http_code}' -X DELETE "$ep/$b")
  [ "$code" = 409 ] || die "DeleteBucket of a non-empty bucket answered $code, not 409"
  "${s3curl[@]}" -fsS -X DELETE "$ep/$b/dir/object.bin" >/dev/null || die "DeleteObject failed"
  code=$("${s3curl[@]}" -s -o /dev/null -w '%{http_code}' "$ep/$b/dir/object.bin")
  [ "$code" = 404 ] || die "deleted object answered $code, not 404"
  "${s3curl[@]}" -fsS -X DELETE "$ep/$b" >/dev/null || die "DeleteBucket failed"
  say "S3 round trip on $ep: create bucket, put, get (bytes match), list, delete: ok"
  say "quick: PASS"
}

cmd_features() {
  cat <<'EOF'
s3gw features (this build)
  S3 API (path-style /{bucket}/{key} and /s3/{bucket}/{key}):
    ListBuckets, CreateBucket (LocationConstraint stored), HeadBucket, DeleteBucket,
    GetBucketLocation, PutObject, GetObject (Range, conditionals, response-* overrides),
    HeadObject, DeleteObject, ListObjects v1 and v2 (prefix, delimiter, pagination,
    encoding-type=url)
  Integrity: ETag = MD5, Content-MD5, x-amz-content-sha256, x-amz-checksum-crc32 | crc32c |
    crc64nvme | sha1 | sha256 (header or aws-chunked trailer), CRC64NVME by default
  Bodies: Content-Length, Transfer-Encoding: chunked, aws-chunked (signed, unsigned, trailers),
    Expect: 100-continue, streamed both ways in bounded memory
  Metadata: PostgreSQL (one row per version, COLLATE "C" keys), operations log in the same
    transaction as each change; filesystem zones (temp file, fsync, rename)
  Validation: S3 bucket-name and key rules, /api/validation/bucket/{name}, /api/validation/key
  Admin: /health, /api/operations, /api/compliance/events, /api/credentials/* (admin token)
  Authentication: SigV4 (header, presigned, signed streaming chunks and trailers, unsigned
    streaming with trailing checksum) and SigV2 (header, presigned) on every S3 request;
    credentials cached per process and invalidated by LISTEN/NOTIFY within a second;
    last_used_at batched; failures and denials recorded as compliance events
  Authorization: per-user permissions (s3:Action -> bucket, prefix-*, *, bucket/path/*
    patterns), bucket owners, customers isolated
  Credentials: secrets sealed with AES-256-GCM under the master key, key ids carrying the
    home region; demo credentials made by ./run.sh start
  Placement: providers and zones from config/ (JSON or CSV), LocationConstraint of countries,
    regions and zones (priority order, health, strict regions), writes to the primary zone under
    the hashed backend bucket name; zones on the filesystem or on S3 providers (SigV4 client,
    connection pool, multipart for large blobs, https); /api/location-constraints/*,
    /api/providers (+ /reload); the provider catalog and the bucket hash mappings in the global
    database (/api/bucket-mappings/{customer}/{bucket}), names taken -> next candidate
  S3 surface: multipart (parallel parts, composite checksums), CopyObject and UploadPartCopy,
    DeleteObjects, object and bucket tagging (replica-count tag), versioning (delete markers,
    ListObjectVersions), object lock (GOVERNANCE, COMPLIANCE, legal hold; also enforced by
    PostgreSQL triggers); tested with boto3, the aws CLI, rclone and s3cmd
  Not yet: replication, the background agents, global routing (see the issues)
EOF
}

# clang-format over every C++ source in place (the style is .clang-format).
cmd_format() {
  command -v clang-format >/dev/null || ensure_packages clang-format
  find "$ROOT/src" "$ROOT/tests" -name '*.cpp' -o -name '*.h' | xargs clang-format -i
  say "formatted"
}

# clang-tidy with .clang-tidy over the sources, using the test build's compile database.
cmd_lint() {
  command -v clang-tidy >/dev/null || ensure_packages clang-tidy
  [ -f "$TEST_BUILD_DIR/compile_commands.json" ] || die "run ./run.sh test first (needs $TEST_BUILD_DIR)"
  find "$ROOT/src" -name '*.cpp' | xargs clang-tidy -p "$TEST_BUILD_DIR" --quiet
}

cmd_help() {
  cat <<EOF
usage: ./run.sh [command]

  start     install missing Debian packages, build, start PostgreSQL and the gateways
  stop      stop exactly what start started
  restart   stop, delete var/ (all data), start
  status    show what is running
  logs [n]  recent logs of every component, or follow one (global, fi-hel, de-fra, postgres)
  test      build with sanitizers and run every test (ctest); extra args go to ctest
  quick     smoke test against the running stack
  features  what this build can do
  format    clang-format every C++ file in place
  lint      clang-tidy over src/ (after a test build)
  help      this text

Without a command, an interactive menu. Settings come from the environment, e.g.
  S3GW_FI_HEL_PORT=9001 ENABLE_S3_AUTHENTICATION=false ./run.sh start
(see README.md for the full list).
EOF
}

cmd_menu() {
  local choices=(start stop restart status logs test quick features help quit) c
  PS3="s3gw> "
  select c in "${choices[@]}"; do
    case $c in
      quit|"") break ;;
      *) "cmd_$c" || true ;;
    esac
  done
}

case ${1:-menu} in
  start|stop|restart|status|logs|test|quick|features|format|lint|help|menu)
    c=$1; shift || true; "cmd_$c" "$@" ;;
  -h|--help) cmd_help ;;
  *) cmd_help; exit 2 ;;
esac
