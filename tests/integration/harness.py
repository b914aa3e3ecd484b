"""Test harness: a private PostgreSQL cluster and s3gw processes on free ports.

Everything is real: initdb/postgres from Debian's postgresql-15, the gateway binary ctest
passes in S3GW_BINARY, and boto3 clients. Each test module starts its own cluster.
"""
import atexit
import functools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import uuid

import boto3
from botocore.config import Config

PG_BIN = os.environ.get("S3GW_PG_BIN", "/usr/lib/postgresql/15/bin")


# Every gateway the harness starts has an admin token (a gateway without one serves no admin
# route); a test may set its own through `env`.
ADMIN_TOKEN = "harness-admin-token-0123456789abcdef"
ADMIN_HEADERS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

CONFIG_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                           "config"))

# --- the external tools some tests drive ---------------------------------------------------

# CI sets CI=true: there a missing tool fails the run instead of skipping its tests, so a
# machine that lacks it cannot pass the suite without running them.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

HOW_TO_INSTALL = {
    "moto_server": "moto with its server extras in the Python on PATH "
                   "(pip install 'moto[server]'; Debian 12 has no package of it)",
    "aws": "Debian's awscli (./run.sh test installs it)",
    "rclone": "Debian's rclone (./run.sh test installs it)",
    "s3cmd": "Debian's s3cmd (./run.sh test installs it)",
    "openssl": "Debian's openssl (./run.sh test installs it)",
}


class MissingTool(Exception):
    """A tool the test needs is not on PATH, in CI (outside CI the test is skipped)."""


def require_tool(*names):
    """Skips the calling test (or, from setUpClass, its class) when one of `names` is not on
    PATH; with CI=true raises MissingTool instead, naming what is missing and how to install
    it."""
    missing = [n for n in names if shutil.which(n) is None]
    if not missing:
        return
    what = ", ".join(missing) + (" is" if len(missing) == 1 else " are") + " not on PATH"
    how = "; ".join(f"{n}: install {HOW_TO_INSTALL.get(n, 'it')}" for n in missing)
    if IN_CI:
        raise MissingTool(f"{what} and CI is set, where the tests that need it must run, "
                          f"not skip. {how}")
    raise unittest.SkipTest(f"{what} ({how}); with CI=true this is a failure")


def requires_tool(*names):
    """require_tool as a decorator: on a TestCase class it runs first in setUpClass (before
    anything is started), on a test method before the test."""
    def decorate(obj):
        if isinstance(obj, type):
            set_up_class = obj.setUpClass  # bound to obj: run its function for subclasses too

            def checked_set_up_class(cls):
                require_tool(*names)
                set_up_class.__func__(cls)
            obj.setUpClass = classmethod(checked_set_up_class)
            return obj

        @functools.wraps(obj)
        def checked(*args, **kwargs):
            require_tool(*names)
            return obj(*args, **kwargs)
        return checked
    return decorate


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
        self._exit_checked = True  # no process yet
        self.port = None
        self.log_path = os.path.join(self.dir, "gateway.log")

    @property
    def data_dir(self):
        return self._data_dir or os.path.join(self.dir, "zones")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        # A restart: the previous process's exit is checked first, as stop() checks it.
        if self.proc is not None and not self._exit_checked:
            self.stop()
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
            "S3GW_ADMIN_TOKEN": ADMIN_TOKEN,
            # The repository's provider configuration (the dev zones, filesystem-backed).
            "S3GW_CONFIG_DIR": CONFIG_DIR,
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1",
        })
        env.update(self.extra_env)
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()
        # This process's part of the log starts here (the log file is kept across restarts).
        self._log_start = len(self.read_log()) if os.path.exists(self.log_path) else 0
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([os.environ["S3GW_BINARY"], self.role], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._exit_checked = False
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                # A refusal to start (an exit status > 0, what the tests that expect one catch
                # as RuntimeError) must still be a clean exit: no signal, no sanitizer report.
                self._exit_checked = True
                log = self.read_log()
                rc = self.proc.returncode
                if rc < 0 or sanitizer_report(self._own_log(log)):
                    raise AssertionError(f"gateway crashed at start ({rc}):\n{log[-4000:]}")
                raise RuntimeError(f"gateway exited ({rc}): {log}")
            if os.path.exists(port_file):
                with open(port_file) as f:
                    self.port = int(f.read())
                return self
            time.sleep(0.05)
        # Do not leave it running (it would outlive the test module and its PostgreSQL).
        self.proc.kill()
        self.proc.wait()
        self._exit_checked = True
        self.log.close()
        raise RuntimeError(f"gateway did not start within 60 s: {self.read_log()[-2000:]}")

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def _own_log(self, log):
        return log[getattr(self, "_log_start", 0):]

    def stop(self, timeout=30, expect_exit=0):
        """Stops the process with SIGTERM (SIGKILL after `timeout` s) and returns its exit
        status. Raises AssertionError unless it exited with `expect_exit` and without a
        sanitizer report: a leak or UB found at shutdown fails the test that stopped it. A test
        that kills or crashes the gateway on purpose passes the status it expects
        (-signal.SIGKILL) or None for any. Each process is checked once: a second stop() (say,
        cleanup() after a test's own stop()) only returns the status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()
        rc = self.proc.returncode
        if self._exit_checked:
            return rc
        self._exit_checked = True
        log = self.read_log() if os.path.exists(self.log_path) else ""
        report = sanitizer_report(self._own_log(log))
        if (expect_exit is not None and rc != expect_exit) or report:
            raise AssertionError(f"gateway exited with {rc}, expected "
                                 f"{'any status' if expect_exit is None else expect_exit}"
                                 f"{' and a sanitizer report: ' + report if report else ''}"
                                 f":\n{log[-4000:]}")
        return rc

    def kill(self):
        """SIGKILL, on purpose: the exit status is not a finding."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        return self.stop(expect_exit=None)

    def cleanup(self):
        """Stops the gateway (checking its exit, as stop() does: a crash or a sanitizer report
        such as a leak fails the test module) and removes its files."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

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


class HelperServer:
    """A server the tests run beside the gateway (moto_server), its output kept in a temporary
    file. stop() checks how it ended; at exit it is killed in any case, so a teardown that
    failed halfway leaves none running."""

    def __init__(self, cmd, name, env=None):
        self.name = name
        self.output_file = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.output_file,
                                     stderr=subprocess.STDOUT)
        self.stopped = False
        atexit.register(self._kill)

    def output(self, limit=3000):
        self.output_file.seek(0)
        return self.output_file.read().decode(errors="replace")[-limit:]

    def check_running(self):
        """Raises RuntimeError, with the server's output, if it has exited."""
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.proc.returncode}):\n{self.output()}")

    def stop(self, timeout=10):
        """SIGTERM; raises AssertionError if the server had already died on its own (every
        request sent to it since has failed) or does not end cleanly on the signal. A second
        call does nothing."""
        if self.stopped:
            return
        self.stopped = True
        died = self.proc.poll()
        if died is not None:
            raise AssertionError(f"{self.name} had exited ({died}) before the test stopped "
                                 f"it:\n{self.output()}")
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            raise AssertionError(f"{self.name} did not exit within {timeout} s of SIGTERM")
        if rc not in (0, -signal.SIGTERM):
            raise AssertionError(f"{self.name} exited with {rc} on SIGTERM:\n{self.output()}")

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", ": runtime error: ")


def sanitizer_report(log):
    """The first line of a sanitizer report in a gateway log, or ""."""
    for line in log.splitlines():
        if any(m in line for m in SANITIZER_MARKERS):
            return line.strip()
    return ""


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
