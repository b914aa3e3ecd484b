"""Test harness: a private PostgreSQL cluster and s3gw processes on free ports.

Everything is real: initdb/postgres from Debian's postgresql-15, the gateway binary ctest
passes in S3GW_BINARY, and boto3 clients. Each test module starts its own cluster.
"""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import boto3
from botocore.config import Config

PG_BIN = os.environ.get("S3GW_PG_BIN", "/usr/lib/postgresql/15/bin")


CONFIG_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                           "config"))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd):
    """PostgreSQL refuses to run as root: drop to the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


class PostgresCluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="s3gw-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.proc = None

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(_as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust",
                                     "-U", "s3gw", "--no-sync", "-E", "UTF8", "--locale", "C"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.proc = subprocess.Popen(
            _as_postgres([f"{PG_BIN}/postgres", "-D", self.data, "-p", str(self.port),
                          "-k", self.dir, "-c", "listen_addresses=", "-c", "fsync=off",
                          "-c", "max_connections=200"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            r = subprocess.run([f"{PG_BIN}/pg_isready", "-h", self.dir, "-p", str(self.port)],
                               stdout=subprocess.DEVNULL)
            if r.returncode == 0:
                atexit.register(self.stop)  # also when a tearDownClass fails halfway
                return self
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def create_database(self, name):
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.conninfo(name)

    def conninfo(self, db):
        return f"host={self.dir} port={self.port} user=s3gw dbname={db}"

    def psql(self, db, sql):
        out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                              self.conninfo(db), "-c", sql],
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def stop(self):
        if self.proc:
            # A signal to runuser does not reach postgres: ask pg_ctl for a fast shutdown.
            subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast",
                                         "-w", "-t", "20", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)


class Gateway:
    """One gateway process. Each Gateway gets a database of its own, unless `database` names
    another gateway's (`Gateway(pg, database=other.db, data_dir=other.data_dir)`): then both
    processes share the metadata, as several gateway processes of one region do (they also need
    the same S3GW_MASTER_KEY to read each other's credentials)."""

    def __init__(self, pg, role="regional", region="fi-hel", env=None, database=None,
                 data_dir=None):
        self.pg = pg
        self.role = role
        self.region = region
        self.dir = tempfile.mkdtemp(prefix="s3gw-gw-")
        if database is None:
            self.db = f"s3gw_{role}_{uuid.uuid4().hex[:8]}"
            self.conninfo = pg.create_database(self.db)
        else:
            self.db = database
            self.conninfo = pg.conninfo(database)
        self._data_dir = data_dir
        self.extra_env = env or {}
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.dir, "gateway.log")

    @property
    def data_dir(self):
        return self._data_dir or os.path.join(self.dir, "zones")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        env = dict(os.environ)
        env.update({
            "S3GW_DATABASE_URL": self.conninfo,
            "S3GW_REGION": self.region,
            "S3GW_DATA_DIR": self.data_dir,
            "S3GW_PORT": "0",
            "S3GW_PORT_FILE": port_file,
            "ENABLE_S3_AUTHENTICATION": "false",
            # The repository's provider configuration (the dev zones, filesystem-backed).
            "S3GW_CONFIG_DIR": CONFIG_DIR,
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1",
        })
        env.update(self.extra_env)
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([os.environ["S3GW_BINARY"], self.role], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gateway exited ({self.proc.returncode}): {self.read_log()}")
            if os.path.exists(port_file):
                with open(port_file) as f:
                    self.port = int(f.read())
                return self
            time.sleep(0.05)
        # Do not leave it running (it would outlive the test module and its PostgreSQL).
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        raise RuntimeError(f"gateway did not start within 60 s: {self.read_log()[-2000:]}")

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()
        return self.proc.returncode if self.proc else None

    def cleanup(self):
        """Stops the gateway and removes its files; a gateway that did not exit cleanly on
        SIGTERM (a crash, a sanitizer report such as a leak) fails the test module."""
        rc = self.stop()
        log = self.read_log() if os.path.exists(self.log_path) else ""
        shutil.rmtree(self.dir, ignore_errors=True)
        if rc not in (0, None):
            raise AssertionError(f"gateway exited with {rc}:\n{log[-4000:]}")

    def sql(self, query):
        return self.pg.psql(self.db, query)

    def client(self, customer=None, **config):
        """A boto3 S3 client for this gateway; `customer` sets X-Customer-ID."""
        cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                     signature_version="s3v4", **config)
        c = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                         aws_access_key_id="test", aws_secret_access_key="test", config=cfg)
        if customer is not None:
            def add_header(request, **_):
                request.headers["X-Customer-ID"] = customer
            c.meta.events.register("before-sign.s3", add_header)
        return c

    def blob_files(self):
        """Every file under the zones directory (blobs and temporaries)."""
        out = []
        for root, _, files in os.walk(self.data_dir):
            out.extend(os.path.join(root, f) for f in files)
        return out


def start_stack(**gateway_kwargs):
    """A private PostgreSQL and one gateway on it. If the gateway fails to start, PostgreSQL is
    still stopped (at exit, registered by PostgresCluster.start)."""
    pg = PostgresCluster().start()
    return pg, Gateway(pg, **gateway_kwargs).start()


# --- raw HTTP, for tests that need the exact bytes on the wire -------------------------

class RawResponse:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # lower-case name -> value
        self.body = body

    def __repr__(self):
        return f"<{self.status} {self.reason} {self.headers} {self.body[:300]!r}>"


def read_head(sock, buf=b""):
    """Reads one response head; returns (status, reason, headers, rest-of-buffer)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed before a response head: {buf!r}")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    _, status, reason = (lines[0].split(" ", 2) + [""])[:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status), reason, headers, rest


def read_response(sock, buf=b"", head_only=False):
    status, reason, headers, rest = read_head(sock, buf)
    if head_only or status in (100, 204, 304):
        return RawResponse(status, reason, headers, b""), rest
    n = int(headers.get("content-length", "0"))
    while len(rest) < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return RawResponse(status, reason, headers, rest[:n]), rest[n:]
