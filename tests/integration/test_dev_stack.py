"""run.sh's dev stack, started by run.sh itself against real PostgreSQL and the gateway binary
in S3GW_BINARY (which run.sh then uses instead of building one).

What is checked: the stack starts and `./run.sh quick` passes; no other local account can
reach PostgreSQL; the gateways connect as a role that is not a superuser; the admin token and
the demo secret never appear on a command line; a checkout whose directory the postgres user
cannot enter works (the cluster goes outside it); a cluster an older run.sh made (trust
authentication, the gateways as superuser) is closed on the next start with its data kept;
run.sh as an ordinary user; `stop` leaves nothing running.
"""
import glob
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
RUN_SH = os.path.join(ROOT, "run.sh")
PG_BIN = os.environ.get("S3GW_PG_BIN", "/usr/lib/postgresql/15/bin")
OUTSIDE_ROOT = "/var/lib/s3gw-dev"  # run.sh's PG_OUTSIDE_ROOT
GATEWAY_ROLE = "s3gw_gateway"       # run.sh's PG_USER
DATABASES = ("s3gw_global", "s3gw_fi_hel", "s3gw_de_fra")
# As harness.IN_CI: any value but empty, 0, false or no.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
SANITIZER = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:")


def free_port():
    # As harness.free_port, without importing boto3 with the harness.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(condition, why):
    """Skips the test when `condition` is false; with CI=true fails it instead."""
    if condition:
        return
    if IN_CI:
        raise AssertionError(f"{why}, and CI=true: this test must run there")
    raise unittest.SkipTest(f"{why} (with CI=true this fails)")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited: only its parent has yet to reap it.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def hba_lines(path):
    with open(path) as f:
        lines = [l.split("#", 1)[0].split() for l in f]
    return [l for l in lines if l]


class DevStack:
    """One run.sh stack: its own var directory inside a fresh 0700 temporary directory (the
    cwd of run.sh too), free ports, and a curl earlier on PATH that records its arguments."""

    def __init__(self, test, user=None):
        self.test = test
        self.user = user  # run run.sh as this user (from root); None: as we are
        self.tmp = tempfile.mkdtemp(prefix="s3gw-devstack-")
        test.addCleanup(shutil.rmtree, self.tmp, True)
        self.var = os.path.join(self.tmp, "var")
        self.ports = {k: free_port() for k in
                      ("S3GW_PG_PORT", "S3GW_GLOBAL_PORT", "S3GW_FI_HEL_PORT", "S3GW_DE_FRA_PORT")}
        bindir = os.path.join(self.tmp, "bin")
        os.mkdir(bindir)
        self.curl_log = os.path.join(self.tmp, "curl-argv.log")
        with open(os.path.join(bindir, "curl"), "w") as f:
            f.write(f'#!/bin/sh\nprintf "%s\\n" "$*" >>"{self.curl_log}"\n'
                    f'exec {shutil.which("curl")} "$@"\n')
        os.chmod(os.path.join(bindir, "curl"), 0o755)
        self.env = dict(os.environ, S3GW_VAR_DIR=self.var,
                        S3GW_BINARY=os.path.abspath(os.environ["S3GW_BINARY"]),
                        PATH=bindir + os.pathsep + os.environ["PATH"],
                        ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS",
                                                    "detect_leaks=1:abort_on_error=1"),
                        **{k: str(v) for k, v in self.ports.items()})
        for k in ("S3GW_ADMIN_TOKEN", "S3GW_MASTER_KEY", "S3GW_MASTER_KEY_FILE", "S3GW_DATA_DIR",
                  "S3GW_DATABASE_URL_OVERRIDE", "S3GW_GLOBAL_DATABASE_URL_OVERRIDE",
                  "ENABLE_S3_AUTHENTICATION", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
            self.env.pop(k, None)
        self.run_sh = RUN_SH
        if user:
            self.env.update(HOME=self.tmp, USER=user, LOGNAME=user)
            # The checkout may sit where that user cannot go (a clone under /root): run a copy of
            # what start, quick and stop use (run.sh, config/, the binary) from our directory.
            checkout = os.path.join(self.tmp, "checkout")
            os.mkdir(checkout)
            shutil.copy2(RUN_SH, checkout)
            shutil.copytree(os.path.join(ROOT, "config"), os.path.join(checkout, "config"))
            self.run_sh = os.path.join(checkout, "run.sh")
            binary = os.path.join(bindir, "s3gw")
            shutil.copy2(self.env["S3GW_BINARY"], binary)
            self.env["S3GW_BINARY"] = binary
            pw = pwd.getpwnam(user)
            for d, _, files in os.walk(self.tmp):
                os.chown(d, pw.pw_uid, pw.pw_gid)
                for f in files:
                    os.chown(os.path.join(d, f), pw.pw_uid, pw.pw_gid)
        self.started = False
        test.addCleanup(self.cleanup)

    # --- running run.sh ------------------------------------------------------------------

    def run(self, *args, check=True, timeout=180):
        cmd = [self.run_sh, *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--"] + cmd
        r = subprocess.run(cmd, env=self.env, cwd=self.tmp, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            self.test.fail(f"./run.sh {' '.join(args)} exited {r.returncode}\n{self.describe(r)}")
        return r

    def start(self):
        self.started = True
        r = self.run("start")
        m = re.search(r"PostgreSQL\s+(host=\S+ port=\d+ user=\S+ dbname=\S+)", r.stdout)
        self.test.assertTrue(m, self.describe(r))
        self.conninfo = m.group(1)
        return r

    def describe(self, r=None):
        out = ""
        if r is not None:
            out += f"--- stdout\n{r.stdout}\n--- stderr\n{r.stderr}\n"
        for log in sorted(glob.glob(os.path.join(self.var, "log", "*.log"))):
            try:
                with open(log, errors="replace") as f:
                    out += f"--- {log}\n{f.read()[-3000:]}\n"
            except OSError as e:
                out += f"--- {log}: {e}\n"
        return out

    # --- where things are ----------------------------------------------------------------

    @property
    def pg_dir(self):
        link = os.path.join(self.var, "pg")
        return os.readlink(link) if os.path.islink(link) else link

    @property
    def sock_dir(self):
        return os.path.join(self.pg_dir, "run")

    def conninfo_for(self, user, db="s3gw_fi_hel"):
        return f"host={self.sock_dir} port={self.ports['S3GW_PG_PORT']} user={user} dbname={db}"

    def gateway_sql(self, sql, db="s3gw_fi_hel"):
        """psql through the conninfo the gateways get, as run.sh's user."""
        conninfo = self.conninfo.replace("dbname=s3gw_fi_hel", f"dbname={db}")
        cmd = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--"] + cmd
        r = subprocess.run(cmd, capture_output=True, text=True, cwd="/", timeout=30)
        self.test.assertEqual(r.returncode, 0, f"{sql}: {r.stderr}\n{self.describe()}")
        return r.stdout.strip()

    def pids(self):
        """The gateways' and the postmaster's process ids, from their PID files."""
        found = {}
        for f in glob.glob(os.path.join(self.var, "run", "*.pid")):
            with open(f) as fh:
                found[os.path.basename(f)] = int(fh.read().strip())
        try:
            with open(os.path.join(self.pg_dir, "data", "postmaster.pid")) as fh:
                found["postmaster"] = int(fh.readline().strip())
        except OSError:
            pass
        return found

    def processes_of_this_stack(self):
        """Processes whose command line or environment names this stack's directories."""
        marks = [self.var.encode(), self.pg_dir.encode()]
        hits = []
        for p in glob.glob("/proc/[0-9]*"):
            try:
                with open(p + "/cmdline", "rb") as f:
                    text = f.read()
                with open(p + "/environ", "rb") as f:
                    text += f.read()
            except OSError:
                continue
            if any(m in text for m in marks) and int(p[6:]) != os.getpid():
                hits.append(p[6:] + " " + text.split(b"\0")[0].decode(errors="replace"))
        return hits

    # --- the checks every stack gets -----------------------------------------------------

    def assert_closed(self, intruder="nobody"):
        t = self.test
        mode = stat.S_IMODE(os.stat(self.sock_dir).st_mode)
        t.assertEqual(mode, 0o700, f"socket directory {self.sock_dir} is {mode:o}")
        sock = os.path.join(self.sock_dir, f".s.PGSQL.{self.ports['S3GW_PG_PORT']}")
        t.assertEqual(stat.S_IMODE(os.stat(sock).st_mode) & 0o077, 0, f"{sock} is open")
        lines = hba_lines(os.path.join(self.pg_dir, "data", "pg_hba.conf"))
        t.assertTrue(lines, "pg_hba.conf allows nothing?")
        for line in lines:
            t.assertNotIn("trust", line, f"pg_hba.conf: {line}")
        for role in ("s3gw", GATEWAY_ROLE, "postgres"):
            r = subprocess.run(["runuser", "-u", intruder, "--", "psql", "-X",
                                self.conninfo_for(role), "-c", "SELECT 1"],
                               capture_output=True, text=True, cwd="/", timeout=30)
            t.assertNotEqual(r.returncode, 0, f"{intruder} connected as {role}: {r.stdout}")
        t.assertEqual(self.gateway_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"),
                      "f")
        t.assertEqual(self.gateway_sql("SELECT current_user"), GATEWAY_ROLE)
        for db in DATABASES:
            t.assertEqual(self.gateway_sql(
                f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{db}'", db),
                GATEWAY_ROLE)
        # What the gateway processes were given, not just what run.sh prints.
        for name, pid in self.pids().items():
            if name == "postmaster":
                continue
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = dict(kv.split(b"=", 1) for kv in f.read().split(b"\0") if b"=" in kv)
            t.assertIn(f"user={GATEWAY_ROLE} ".encode(), env[b"S3GW_DATABASE_URL"], name)

    def assert_no_secret_on_command_lines(self):
        t = self.test
        with open(os.path.join(self.var, "admin_token")) as f:
            token = f.read().strip()
        with open(self.curl_log) as f:
            argv = f.read()
        t.assertIn("/api/credentials/", argv, "no admin request went through the curl shim")
        t.assertNotIn(token, argv, "the admin token was on curl's command line")
        with open(os.path.join(self.var, "demo-fi-hel.env")) as f:
            secret = re.search(r"AWS_SECRET_ACCESS_KEY=(\S+)", f.read()).group(1)
        t.assertNotIn(secret, argv, "the demo secret was on curl's command line")

    def stop(self):
        pids = self.pids()
        self.test.assertEqual(set(pids), {"global.pid", "fi-hel.pid", "de-fra.pid", "postmaster"})
        r = self.run("stop")
        self.started = False
        deadline = time.time() + 10
        while time.time() < deadline and any(alive(p) for p in pids.values()):
            time.sleep(0.1)
        left = {n: p for n, p in pids.items() if alive(p)}
        self.test.assertFalse(left, f"still running after stop: {left}\n{self.describe(r)}")
        self.test.assertFalse(self.processes_of_this_stack())
        for log in glob.glob(os.path.join(self.var, "log", "*.log")):
            with open(log, errors="replace") as f:
                self.test.assertIsNone(SANITIZER.search(f.read()), self.describe())
        return r

    def cleanup(self):
        if self.started:
            self.run("stop", check=False)
        outside = self.pg_dir
        if outside.startswith(OUTSIDE_ROOT + "/"):
            shutil.rmtree(outside, ignore_errors=True)


class DevStackTest(unittest.TestCase):
    def setUp(self):
        need("S3GW_BINARY" in os.environ, "S3GW_BINARY (the gateway binary) is not set")
        need(os.geteuid() == 0, "needs root (runuser, and the postgres user's view of the files)")

    def test_start_quick_stop_where_postgres_cannot_enter(self):
        stack = DevStack(self)
        r = stack.start()
        # The checkout's var/ is in a 0700 directory: the cluster had to go elsewhere.
        self.assertTrue(os.path.islink(os.path.join(stack.var, "pg")), stack.describe(r))
        outside = stack.pg_dir
        self.assertTrue(outside.startswith(OUTSIDE_ROOT + "/"), outside)
        self.assertIn(f"the cluster is in {outside}", r.stdout)
        st = os.stat(OUTSIDE_ROOT)
        self.assertEqual((stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid),
                         (0o750, 0, grp.getgrnam("postgres").gr_gid))
        self.assertEqual(stat.S_IMODE(os.stat(outside).st_mode), 0o700)
        self.assertIn(f"host={outside}/run ", stack.conninfo)

        q = stack.run("quick")
        self.assertIn("quick: PASS", q.stdout, stack.describe(q))
        stack.assert_closed()
        stack.assert_no_secret_on_command_lines()
        s = stack.run("status")
        self.assertRegex(s.stdout, r"postgres\s+:\d+\s+running")
        self.assertIn("global.log", stack.run("logs").stdout)
        with open(os.path.join(stack.var, "log", "postgres.log")) as f:  # follows the link
            self.assertIn("database system is ready", f.read())

        # restart: fresh data, also in the cluster outside var/.
        stack.gateway_sql("CREATE TABLE before_restart (x int)")
        r = stack.run("restart")
        self.assertIn(f"removing {outside}", r.stdout)
        self.assertEqual(stack.pg_dir, outside)
        self.assertEqual(stack.gateway_sql(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'before_restart'"), "0")
        stack.assert_closed()
        stack.stop()

    def test_upgrade_of_a_trust_cluster_keeps_its_data(self):
        stack = DevStack(self)
        # The layout an older run.sh made, where postgres could enter: var/pg/{data,run}.
        os.chmod(stack.tmp, 0o711)
        pg, sock = os.path.join(stack.var, "pg"), os.path.join(stack.var, "pg", "run")
        for d in (pg, sock, os.path.join(stack.var, "log"), os.path.join(stack.var, "run")):
            os.makedirs(d)
        for d in (pg, sock):
            shutil.chown(d, "postgres", "postgres")
            os.chmod(d, 0o755)
        data, port = os.path.join(pg, "data"), stack.ports["S3GW_PG_PORT"]
        as_pg = ["runuser", "-u", "postgres", "--"]
        subprocess.run(as_pg + [f"{PG_BIN}/initdb", "-D", data, "-A", "trust", "-U", "s3gw",
                                "--no-sync", "-E", "UTF8", "--locale", "C"],
                       check=True, stdout=subprocess.DEVNULL, cwd="/")
        log = os.path.join(stack.var, "log", "postgres.log")
        open(log, "w").close()
        shutil.chown(log, "postgres", "postgres")
        subprocess.run(as_pg + [f"{PG_BIN}/pg_ctl", "-D", data, "-l", log, "-w", "-s", "-o",
                                f"-p {port} -k {sock} -c listen_addresses=''", "start"],
                       check=True, cwd="/")
        stack.started = True  # run.sh stop is what stops it
        old = f"host={sock} port={port} user=s3gw dbname="
        for db in DATABASES:
            subprocess.run(["psql", "-X", "-q", old + "postgres", "-c", f"CREATE DATABASE {db}"],
                           check=True)
        # What the finding was: anyone in as the superuser.
        r = subprocess.run(["runuser", "-u", "nobody", "--", "psql", "-X", "-t", "-A",
                            old + "s3gw_fi_hel", "-c", "SELECT rolsuper FROM pg_roles "
                            "WHERE rolname = current_user"],
                           capture_output=True, text=True, cwd="/")
        self.assertEqual(r.stdout.strip(), "t", r.stderr)

        # A gateway of the older run.sh, connected as the superuser: it makes the tables (its
        # migrations) and an object, and it still runs when the new run.sh starts.
        self.run_old_gateway(stack, old)
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", old + "s3gw_fi_hel", "-c",
                        "CREATE TABLE kept (id serial PRIMARY KEY, note text);"
                        "INSERT INTO kept (note) VALUES ('made before the upgrade')"], check=True)

        r = stack.start()
        self.assertIn("trust authentication", r.stdout)
        self.assertIn(f"s3gw_fi_hel and everything in it now belong to {GATEWAY_ROLE}", r.stdout)
        self.assertIn("Restarting the gateways", r.stdout)
        self.assertFalse(os.path.islink(pg), "an in-tree cluster stays where it is")
        stack.assert_closed()
        self.assertEqual(stack.gateway_sql("SELECT note FROM kept"), "made before the upgrade")
        stack.gateway_sql("INSERT INTO kept (note) VALUES ('after')")  # its sequence came along
        self.assertEqual(stack.gateway_sql("SELECT count(*) FROM objects"), "1")
        for db in DATABASES:
            self.assertEqual(stack.gateway_sql(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relowner <> current_user::regrole "
                "UNION ALL SELECT count(*) FROM pg_proc p JOIN pg_namespace n "
                "ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
                "AND p.proowner <> current_user::regrole", db), "0\n0")
        q = stack.run("quick")
        self.assertIn("quick: PASS", q.stdout, stack.describe(q))
        # Started again, nothing to change.
        r = stack.run("start")
        self.assertNotIn("trust", r.stdout)
        self.assertNotIn("now belong", r.stdout)
        stack.stop()

    def run_old_gateway(self, stack, old):
        port = stack.ports["S3GW_FI_HEL_PORT"]
        env = dict(os.environ, S3GW_DATABASE_URL=old + "s3gw_fi_hel",
                   S3GW_GLOBAL_DATABASE_URL=old + "s3gw_global", S3GW_PORT=str(port),
                   S3GW_REGION="fi-hel", S3GW_DATA_DIR=os.path.join(stack.var, "zones"),
                   S3GW_CONFIG_DIR=os.path.join(ROOT, "config"), ENABLE_S3_AUTHENTICATION="false",
                   S3GW_ADMIN_TOKEN="old-run-sh-token", ASAN_OPTIONS=stack.env["ASAN_OPTIONS"])
        with open(os.path.join(stack.var, "log", "fi-hel.log"), "a") as log:
            proc = subprocess.Popen([os.environ["S3GW_BINARY"], "regional"], env=env,
                                    stdout=log, stderr=subprocess.STDOUT, cwd="/")
        # Reaped as soon as run.sh stops it, so that run.sh does not wait for a zombie.
        threading.Thread(target=proc.wait, daemon=True).start()
        self.addCleanup(lambda: proc.poll() is None and proc.send_signal(signal.SIGKILL))
        with open(os.path.join(stack.var, "run", "fi-hel.pid"), "w") as f:
            f.write(str(proc.pid))
        ep = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(ep + "/health", timeout=2).read()
                break
            except OSError:
                self.assertLess(time.time(), deadline, stack.describe())
                self.assertIsNone(proc.poll(), stack.describe())
                time.sleep(0.1)
        for path, body in (("/old-bucket", None), ("/old-bucket/key", b"kept bytes")):
            req = urllib.request.Request(ep + path, data=body or b"", method="PUT")
            urllib.request.urlopen(req, timeout=10).read()

    def test_as_an_ordinary_user(self):
        # The server then runs as that user, in var/pg; another account (postgres) stays out.
        stack = DevStack(self, user="nobody")
        stack.start()
        self.assertFalse(os.path.islink(os.path.join(stack.var, "pg")))
        self.assertEqual(os.stat(stack.sock_dir).st_uid, pwd.getpwnam("nobody").pw_uid)
        q = stack.run("quick")
        self.assertIn("quick: PASS", q.stdout, stack.describe(q))
        stack.assert_closed(intruder="postgres")
        stack.stop()


if __name__ == "__main__":
    unittest.main()
