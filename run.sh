#!/usr/bin/env bash
# s3gw launcher: builds, starts and stops the dev stack (a private PostgreSQL cluster, the
# global gateway and two regional gateways), and runs the tests. `./run.sh help` for usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Absolute: the PostgreSQL server is started from / (as_postgres).
VAR=$(realpath -ms "${S3GW_VAR_DIR:-$ROOT/var}")
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

# The Python that runs the integration tests: S3GW_PYTHON, else the first of python3 and
# /usr/bin/python3 with requests and boto3/botocore 1.36 or newer. The checksum tests need
# 1.36: CRC64NVME, full-object checksums and CRC32 sent by default arrived there (Debian 12's
# python3-boto3 is 1.26, with botocore 1.29, so it is no fallback).
test_python() {
  local py path versions found=""
  local -a candidates=(python3 /usr/bin/python3)
  if [ -n "${S3GW_PYTHON:-}" ]; then candidates=("$S3GW_PYTHON"); fi
  local check='import sys, re, boto3, botocore, requests
v = lambda s: tuple(int(x) for x in re.findall(r"\d+", s)[:2])
print(f"boto3 {boto3.__version__}, botocore {botocore.__version__}")
sys.exit(0 if min(v(boto3.__version__), v(botocore.__version__)) >= (1, 36) else 1)'
  for py in "${candidates[@]}"; do
    path=$(command -v "$py") || { found+="  $py: not found"$'\n'; continue; }
    if versions=$("$path" -c "$check" 2>/dev/null); then
      echo "$path"
      return 0
    fi
    found+="  $path: ${versions:-lacks boto3, botocore or requests}"$'\n'
  done
  printf '%s\n%s' "s3gw: the integration tests need requests, boto3 and botocore 1.36 or newer;" \
    "found:"$'\n'"$found" >&2
  die "set S3GW_PYTHON to a python that has them (Debian 12's python3-boto3 is too old)"
}

ensure_test_tools() {
  command -v aws >/dev/null || ensure_packages awscli
  # The other real clients the tests drive (test_clients.py).
  ensure_packages rclone s3cmd
  # The S3-provider tests run zones on moto_server, which Debian 12 does not package: without
  # it they are skipped, and with CI=true they fail (tests/integration/harness.py), so CI
  # stops here, before the build.
  if ! command -v moto_server >/dev/null; then
    local msg="moto_server is not on PATH; install moto with its server extras in the Python"
    msg+=" on PATH (pip install 'moto[server]'); Debian 12 has no package of it"
    case "${CI:-}" in
      "" | 0 | [Ff]alse | [Nn]o) say "s3gw: $msg. The tests that need it are skipped." >&2 ;;
      *) die "$msg. CI is set: the tests that need it must run." ;;
    esac
  fi
}

# --- build ----------------------------------------------------------------------------------

build_release() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DS3GW_TESTS=OFF >/dev/null
  ninja -C "$BUILD_DIR" s3gw
}

# The gateway binary: S3GW_BINARY names a prebuilt one (a sanitizer build, say), or else the
# release build.
gateway_binary() { echo "${S3GW_BINARY:-$BUILD_DIR/src/app/s3gw}"; }

build_gateway() {
  if [ -z "${S3GW_BINARY:-}" ]; then build_release; return; fi
  [ -x "$S3GW_BINARY" ] || die "S3GW_BINARY=$S3GW_BINARY is not an executable file"
  ensure_packages postgresql-15 postgresql-client-15 curl
  say "Using the gateway binary $S3GW_BINARY (S3GW_BINARY; nothing is built)"
}

# --- PostgreSQL -----------------------------------------------------------------------------

# Only the Unix socket, with peer authentication: pg_ident.conf lets the OS user who runs
# run.sh (and so the gateways) in as PG_USER, and the server's OS user as PG_ADMIN.
PG_ADMIN=s3gw           # the bootstrap superuser, for run.sh's own administration
PG_USER=s3gw_gateway    # what the gateways connect as: owns their databases, no superuser
PG_DATABASES=(s3gw_global s3gw_fi_hel s3gw_de_fra)
# Where the cluster goes when the postgres user cannot enter $VAR (pg_place).
PG_OUTSIDE_ROOT=/var/lib/s3gw-dev

# The cluster is in $VAR/pg, or where $VAR/pg points (pg_place); its log is then there too.
pg_paths() {
  PG_DIR=$VAR/pg PG_LOG=$VAR/log/postgres.log
  if [ -L "$PG_DIR" ]; then PG_DIR=$(readlink "$PG_DIR") && PG_LOG=$PG_DIR/postgres.log; fi
  PG_DATA=$PG_DIR/data PG_SOCK=$PG_DIR/run
}
pg_paths

as_postgres() {
  # PostgreSQL refuses to run as root; the cluster belongs to the postgres user then. From /,
  # since the caller's directory may be one that postgres cannot enter.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_server_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }

pg_conninfo() { echo "host=$PG_SOCK port=$PG_PORT user=$PG_USER dbname=$1"; }

# psql as the superuser (through the server's OS user, the only one mapped to it).
pg_admin() {
  local db=$1; shift
  as_postgres psql -X -q -t -A -v ON_ERROR_STOP=1 \
    "host=$PG_SOCK port=$PG_PORT user=$PG_ADMIN dbname=$db" "$@"
}

# As root the server runs as postgres, which must reach the cluster, its socket and its log.
# When it cannot enter $VAR (a checkout under /root), the cluster goes to a directory that only
# root and postgres can enter, named after $VAR so that checkouts do not share one, and $VAR/pg
# points to it.
pg_place() {
  [ "$(id -u)" -eq 0 ] && [ ! -L "$VAR/pg" ] || return 0
  runuser -u postgres -- test -x "$VAR/log" && return 0
  [ ! -f "$VAR/pg/data/PG_VERSION" ] || die "the postgres user cannot enter $VAR, which holds" \
    "the PostgreSQL cluster (pg/data): let it in (o+x on $VAR and its parents) or move $VAR"
  local dir; dir=$PG_OUTSIDE_ROOT/$(printf '%s' "$VAR" | sha256sum | cut -c1-16)
  install -d -m 0750 -o root -g postgres "$PG_OUTSIDE_ROOT"
  if [ -f "$dir/data/PG_VERSION" ]; then
    say "PostgreSQL: reusing the cluster in $dir, left by an earlier $VAR"
  fi
  install -d -m 0700 -o postgres -g postgres "$dir"
  rm -rf "$VAR/pg"  # what an initdb that could not get in left behind (no cluster)
  ln -s "$dir" "$VAR/pg"
  pg_paths
  say "PostgreSQL: the postgres user cannot enter $VAR;" \
    "the cluster is in $PG_DIR ($VAR/pg points there)"
}

# $VAR/pg's cluster outside $VAR goes when $VAR does (restart).
pg_remove_outside() {
  [ -L "$VAR/pg" ] || return 0
  case $PG_DIR in
    "$PG_OUTSIDE_ROOT"/?*) say "removing $PG_DIR (the cluster of $VAR)"; rm -rf "$PG_DIR" ;;
  esac
}

pg_hba() {
  printf '%s\n' "# Written by run.sh on every start: the Unix socket only, peer authentication." \
    "local all all peer map=s3gw"
}

pg_ident() {
  printf '%s\n' "# Written by run.sh on every start." \
    "s3gw $(pg_server_user) $PG_ADMIN" "s3gw $(id -un) $PG_USER"
}

# Writes pg_hba.conf and pg_ident.conf when they differ from what they should be, which also
# closes a cluster made by an older run.sh (trust authentication, everyone a superuser). Sets
# PG_AUTH_CHANGED then.
pg_write_auth() {
  local f
  PG_AUTH_CHANGED=
  if as_postgres grep -Eq '^[^#]*[[:space:]]trust([[:space:]]|$)' "$PG_DATA/pg_hba.conf"; then
    say "PostgreSQL: $PG_DATA let every local account in as a superuser (trust authentication," \
      "an older run.sh); now peer authentication only, and the gateways connect as $PG_USER"
  fi
  for f in hba ident; do
    if [ "$(as_postgres cat "$PG_DATA/pg_$f.conf")" != "$(pg_$f)" ]; then
      pg_$f | as_postgres tee "$PG_DATA/pg_$f.conf" >/dev/null
      PG_AUTH_CHANGED=1
    fi
  done
}

# The socket directory is the server user's alone (0700), and so is the socket.
pg_server_options() {
  echo "-p $PG_PORT -k $PG_SOCK -c listen_addresses='' -c unix_socket_permissions=0700"
}

# The gateways' role, and their databases owned by it.
pg_ensure_databases() {
  pg_admin postgres <<SQL
SELECT 'CREATE ROLE $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER')
\gexec
ALTER ROLE $PG_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SQL
  local db owner
  for db in "${PG_DATABASES[@]}"; do
    owner=$(pg_admin postgres -c \
      "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")
    if [ -z "$owner" ]; then
      pg_admin postgres -c "CREATE DATABASE $db OWNER $PG_USER"
    elif [ "$owner" != "$PG_USER" ]; then
      pg_give_database "$db" "$owner"
      say "PostgreSQL: $db and everything in it now belong to $PG_USER (was $owner)"
    fi
  done
}

# Hands a database an older run.sh made (owned by the superuser, like its tables) to PG_USER,
# so that the gateway's migrations can alter its tables and replace its functions. REASSIGN
# OWNED cannot take objects from the bootstrap superuser: one ALTER per object instead.
pg_give_database() {
  local db=$1 from=$2
  pg_admin postgres -c "ALTER DATABASE $db OWNER TO $PG_USER"
  pg_admin "$db" <<SQL
DO \$\$
DECLARE
  stmt text;
BEGIN
  FOR stmt IN
    SELECT format('ALTER SCHEMA %I OWNER TO $PG_USER', nspname) FROM pg_namespace
     WHERE nspowner = '$from'::regrole AND nspname !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO $PG_USER', CASE c.relkind WHEN 'S' THEN 'SEQUENCE'
             WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
             ELSE 'TABLE' END, c.oid::regclass)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relowner = '$from'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND n.nspname !~ '^(pg_|information_schema$)'
       -- the sequence of a serial or identity column goes with its table
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid
                 AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO $PG_USER', p.oid::regprocedure)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.proowner = '$from'::regrole AND n.nspname !~ '^(pg_|information_schema$)'
    UNION ALL
    SELECT format('ALTER %s %s OWNER TO $PG_USER',
                  CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typowner = '$from'::regrole AND t.typtype IN ('e', 'd', 'r')
       AND n.nspname !~ '^(pg_|information_schema$)'
  LOOP
    EXECUTE stmt;
  END LOOP;
END
\$\$;
SQL
}

# Starts the cluster, made first if need be (PG_AUTH_CHANGED: see pg_write_auth).
pg_start() {
  pg_paths
  mkdir -p "$VAR/log"
  pg_place
  mkdir -p "$PG_DIR" "$PG_SOCK"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DIR" "$PG_SOCK"; fi
  chmod 0700 "$PG_DIR" "$PG_SOCK"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "Creating the PostgreSQL cluster in $PG_DATA"
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_ADMIN" --auth-local=peer \
      --auth-host=reject -E UTF8 --locale C >/dev/null
  fi
  pg_write_auth
  if [ "$PG_LOG" = "$VAR/log/postgres.log" ]; then
    touch "$PG_LOG"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_LOG"; fi
  else
    ln -sfn "$PG_LOG" "$VAR/log/postgres.log"  # for ./run.sh logs
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -s -o "$(pg_server_options)" start
  elif [ -n "$PG_AUTH_CHANGED" ]; then
    # A reload would keep the sessions opened under the old rules, and the socket's mode.
    say "PostgreSQL: restarting the running server under the new rules"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -m fast -w -s \
      -o "$(pg_server_options)" restart
  fi
  pg_ensure_databases
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
    nohup "$(gateway_binary)" "$role" >>"$VAR/log/$name.log" 2>&1 &
    echo $! >"$(pid_file "$name")"
  )
}

# curl with the admin token, which goes in through standard input: a command line is visible
# to every local account (ps).
admin_curl() { curl -H @- "$@" <<<"Authorization: Bearer $S3GW_ADMIN_TOKEN"; }

json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n1 | cut -d'"' -f4; }

# Demo credentials of one regional gateway, kept in $VAR/demo-<name>.env (mode 600) so that
# `source var/demo-fi-hel.env` configures the aws CLI; minted again when the key is gone.
ensure_demo_credentials() {
  local name=$1 port=$2 region=$3 f="$VAR/demo-$1.env" akid body
  if [ -f "$f" ]; then
    akid=$(sed -n 's/^export AWS_ACCESS_KEY_ID=//p' "$f")
    if admin_curl -fsS "http://$BIND:$port/api/credentials/$akid" 2>/dev/null | grep -q '"active":true'; then
      return 0
    fi
  fi
  body=$(admin_curl -fsS -X POST -H 'Content-Type: application/json' \
    -d '{"user_name":"demo"}' \
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
  build_gateway
  mkdir -p "$VAR/run" "$VAR/log" "$VAR/zones"
  pg_start
  if [ -n "$PG_AUTH_CHANGED" ] && [ -n "$(running_gateways)" ]; then
    say "Restarting the gateways, which connected under the old rules: $(running_gateways | xargs)"
    stop_gateways
  fi
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
  say "  PostgreSQL        $(pg_conninfo s3gw_fi_hel) (peer authentication)"
  say "                    cluster $PG_DATA, log $PG_LOG"
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

running_gateways() {
  local g
  for g in "${GATEWAYS[@]}"; do set -- $g; if running "$1"; then echo "$1"; fi; done
}

stop_gateways() {
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
}

cmd_stop() {
  stop_gateways
  pg_stop
  say "stopped PostgreSQL"
}

cmd_restart() {
  cmd_stop
  say "removing $VAR (fresh data)"
  pg_remove_outside
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
    printf '  %-8s :%-5s %s\n' postgres "$PG_PORT" "running ($PG_DATA)"
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

# curl for the S3 calls of cmd_quick: signed with the demo credentials when authentication is
# on, the secret going in through standard input rather than the command line (ps shows that).
quick_curl() {
  if [ "$ENABLE_S3_AUTHENTICATION" != true ]; then curl "$@"; return; fi
  curl --aws-sigv4 "aws:amz:fi-hel:s3" --config - "$@" \
    <<<"user = \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""
}

# A smoke test against the running stack, with curl only.
cmd_quick() {
  local ep="http://$BIND:$FI_HEL_PORT" b="quick-$$-$RANDOM" tmp code
  for p in "$GLOBAL_PORT" "$FI_HEL_PORT" "$DE_FRA_PORT"; do
    curl -fsS "http://$BIND:$p/health" >/dev/null || die "no healthy gateway on :$p (./run.sh start)"
  done
  say "health: ok on :$GLOBAL_PORT :$FI_HEL_PORT :$DE_FRA_PORT"
  if [ "$ENABLE_S3_AUTHENTICATION" = true ]; then
    [ -f "$VAR/demo-fi-hel.env" ] || die "no demo credentials ($VAR/demo-fi-hel.env); ./run.sh start"
    # shellcheck disable=SC1091
    . "$VAR/demo-fi-hel.env"
    code=$(curl -s -o /dev/null -w '%{http_code}' "$ep/")
    [ "$code" = 403 ] || die "an unsigned request answered $code, not 403"
    say "authentication: an unsigned request is refused (403)"
  fi
  # After the `.` above: a RETURN trap also fires when a sourced file ends.
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  quick_curl -fsS -X PUT "$ep/$b" >/dev/null || die "CreateBucket failed"
  head -c 100000 /dev/urandom >"$tmp/obj"
  # curl signs the empty payload unless told the body's hash (S3 wants it for SigV4).
  quick_curl -fsS -T "$tmp/obj" -H "x-amz-content-sha256: $(sha256sum "$tmp/obj" | cut -d' ' -f1)" \
    "$ep/$b/dir/object.bin" >/dev/null || die "PutObject failed"
  quick_curl -fsS "$ep/$b/dir/object.bin" -o "$tmp/back" || die "GetObject failed"
  cmp -s "$tmp/obj" "$tmp/back" || die "GetObject returned different bytes"
  quick_curl -fsS "$ep/$b?list-type=2" | grep -q "<Key>dir/object.bin</Key>" || die "ListObjectsV2 misses the key"
  code=$(quick_curl -s -o /dev/null -w '%{http_code}' -X DELETE "$ep/$b")
  [ "$code" = 409 ] || die "DeleteBucket of a non-empty bucket answered $code, not 409"
  quick_curl -fsS -X DELETE "$ep/$b/dir/object.bin" >/dev/null || die "DeleteObject failed"
  code=$(quick_curl -s -o /dev/null -w '%{http_code}' "$ep/$b/dir/object.bin")
  [ "$code" = 404 ] || die "deleted object answered $code, not 404"
  quick_curl -fsS -X DELETE "$ep/$b" >/dev/null || die "DeleteBucket failed"
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
