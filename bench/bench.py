#!/usr/bin/env python3
"""s3gw benchmark: small-object ops/s and latency, large-object MiB/s and the gateway's peak RSS,
each next to nginx measured in the same run on the same machine and filesystem, and the cost of
S3 authentication on 4 KiB GETs.

Run it through bench/run.sh (it installs wrk and nginx and builds the release binary). It
starts a private PostgreSQL and one regional gateway with tests/integration/harness.py, an
nginx with a private config (static GET, WebDAV PUT), drives both with wrk (4 KiB objects) and
curl (256 MiB and 1 GiB), prints a table and removes everything it started, also on Ctrl-C.
A second gateway with ENABLE_S3_AUTHENTICATION=true serves the same 4 KiB GETs, each request
SigV4-signed (botocore computes the headers of every key just before the phase; wrk replays
them), so that authentication off and on are compared in the same run.
The moto phase (also alone with --only moto) measures 1 MiB PUT and GET ops/s through a gateway
whose zone fi-hel-st-1 is on a moto_server, and directly against that moto_server, with the same
wrk script, and prints the s3gw/direct ratio.
Figures are printed, never asserted (DESIGN.md §8).
"""
import argparse
import concurrent.futures
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402  (PostgresCluster, Gateway, free_port)
from botocore.auth import SigV4Auth  # noqa: E402  (botocore comes with boto3, which harness needs)
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

MiB = 1024 * 1024
BUCKET = "bench"
GET_KEYS = 1000
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


T0 = time.time()


def log(msg):
    print(msg, flush=True)


def step(msg):
    """A progress line, stamped with seconds since the start."""
    print(f"[{time.time() - T0:5.1f}s] {msg}", flush=True)


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted(f"signal {signum}")


# --- gateway memory ------------------------------------------------------------------------

def proc_status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """Samples VmRSS of one process every few milliseconds; `take()` returns the highest value
    seen since the previous take (the kernel's VmHWM is the lifetime high-water mark)."""

    def __init__(self, pid, interval=0.005):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.lock = threading.Lock()
        self.peak = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                rss = proc_status_kib(self.pid, "VmRSS")
            except OSError:
                return
            with self.lock:
                self.peak = max(self.peak, rss)
            self.stopped.wait(self.interval)

    def take(self):
        with self.lock:
            peak, self.peak = self.peak, 0
        return peak

    def stop(self):
        self.stopped.set()


# --- nginx ---------------------------------------------------------------------------------

def nginx_has_dav():
    out = subprocess.run(["nginx", "-V"], capture_output=True, text=True)
    return "http_dav_module" in (out.stdout + out.stderr)


def nginx_version():
    out = subprocess.run(["nginx", "-v"], capture_output=True, text=True)
    m = re.search(r"nginx/(\S+)", out.stdout + out.stderr)
    return m.group(1) if m else "?"


class Nginx:
    """nginx as a non-daemon child with a private prefix: GET serves files under www/, PUT
    (WebDAV) stores request bodies there. Temp files live beside www/ so PUT ends in a rename."""

    def __init__(self, base, workers, dav):
        self.dir = os.path.join(base, "nginx")
        self.www = os.path.join(self.dir, "www")
        self.port = harness.free_port()
        self.workers, self.dav = workers, dav
        self.proc = None

    def start(self):
        os.makedirs(os.path.join(self.www, BUCKET))
        for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            os.makedirs(os.path.join(self.dir, d))
        d = self.dir
        user = "user root root;" if os.geteuid() == 0 else ""
        dav = "dav_methods PUT DELETE; create_full_put_path on; dav_access user:rw;" if self.dav else ""
        conf = f"""
daemon off;
master_process on;
worker_processes {self.workers};
{user}
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000000;
  keepalive_timeout 60s;
  client_max_body_size 0;
  client_body_temp_path {d}/client_body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.www};
    location / {{ {dav} }}
  }}
}}
"""
        conf_path = os.path.join(d, "nginx.conf")
        with open(conf_path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(
            ["nginx", "-p", d, "-c", conf_path, "-e", os.path.join(d, "logs", "error.log")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "logs", "stderr.log"), "w"))
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.read_log())
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/")
                c.getresponse().read()
                c.close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def read_log(self):
        out = []
        for name in ("error.log", "stderr.log"):
            p = os.path.join(self.dir, "logs", name)
            if os.path.exists(p):
                out.append(open(p).read())
        return "".join(out)

    def count_files(self, prefix):
        return sum(1 for n in os.listdir(os.path.join(self.www, BUCKET)) if n.startswith(prefix))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: workers finish and exit
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- HTTP helpers --------------------------------------------------------------------------

def put_many(port, keys, body, conns, sign=None):
    """PUTs `body` under each key over `conns` keep-alive connections; returns the non-2xx
    count. `sign(method, path, body)` returns authentication headers."""
    def worker(part):
        bad = 0
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for k in part:
            headers = {"Content-Length": str(len(body))}
            if sign:
                headers.update(sign("PUT", k, body))
            c.request("PUT", k, body=body, headers=headers)
            r = c.getresponse()
            r.read()
            if not 200 <= r.status < 300:
                bad += 1
        c.close()
        return bad

    with concurrent.futures.ThreadPoolExecutor(conns) as pool:
        return sum(pool.map(worker, [keys[i::conns] for i in range(conns)]))


def delete(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("DELETE", path)
    c.getresponse().read()
    c.close()


def s3_count(port, prefix, bucket=BUCKET, headers=None):
    """Number of keys under `prefix` in the gateway's bench bucket (ListObjectsV2, all pages);
    `bucket` and `headers` for another bucket or server (moto)."""
    total, token = 0, None
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        q = f"/{bucket}?list-type=2&max-keys=1000&prefix={prefix}"
        if token:
            q += "&continuation-token=" + urllib_quote(token)
        c.request("GET", q, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"ListObjectsV2 answered {r.status}: {body[:200]!r}")
        root = ET.fromstring(body)
        fields = {el.tag.split("}")[-1]: el.text for el in root}
        total += sum(1 for el in root if el.tag.split("}")[-1] == "Contents")
        if fields.get("IsTruncated") != "true":
            break
        token = fields.get("NextContinuationToken")
    c.close()
    return total


def urllib_quote(s):
    from urllib.parse import quote
    return quote(s, safe="")


# --- authentication ------------------------------------------------------------------------

def create_credential(port, token):
    """A fresh access key (permissions {"s3:*": ["*"]}) from the gateway's admin API."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("POST", "/api/credentials/create",
              body=json.dumps({"user_name": "bench", "email": "bench@example.com",
                               "permissions": {"s3:*": ["*"]}}),
              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 201:
        raise RuntimeError(f"creating a credential answered {r.status}: {body[:200]!r}")
    return json.loads(body)


class Signer:
    """SigV4 headers (Authorization, X-Amz-Date, X-Amz-Content-SHA256) computed by botocore, as
    boto3 sends them; valid for 15 minutes."""

    def __init__(self, cred, port, region):
        self.creds = Credentials(cred["access_key_id"], cred["secret_access_key"])
        self.port, self.region = port, region

    def __call__(self, method, path, body=b""):
        sha = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        req = AWSRequest(method=method, url=f"http://127.0.0.1:{self.port}{path}",
                         headers={"X-Amz-Content-SHA256": sha})
        SigV4Auth(self.creds, "s3", self.region).add_auth(req)
        return {k: req.headers[k] for k in ("Authorization", "X-Amz-Date", "X-Amz-Content-SHA256")}

    def write_get_file(self, path, keys):
        """One line per key for wrk.lua: path, Authorization, X-Amz-Date, X-Amz-Content-SHA256."""
        with open(path, "w") as f:
            for k in keys:
                h = self("GET", k)
                f.write(f"{k}\t{h['Authorization']}\t{h['X-Amz-Date']}\t"
                        f"{h['X-Amz-Content-SHA256']}\n")


# --- load generators -----------------------------------------------------------------------

def run_wrk(url, mode, prefix, body_file, duration, conns, threads, signed_file=None,
            keys=GET_KEYS, headers=None):
    env = dict(os.environ, BENCH_MODE=mode, BENCH_PREFIX=prefix, BENCH_BODY=body_file,
               BENCH_KEYS=str(keys))
    if signed_file:
        env["BENCH_SIGNED"] = signed_file
    if headers:
        env["BENCH_HEADERS"] = "\t".join(f"{k}: {v}" for k, v in headers.items())
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "10s",
           "-s", os.path.join(BENCH, "wrk.lua"), url]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
    m = re.search(r"^BENCH (.*)$", out.stdout, re.M)
    if out.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout}\n{out.stderr}")
    r = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    r["errors"] = int(r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"])
    r["non2xx"] = int(r["err_status"])
    r["ops"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def curl(args, size, timeout=300):
    """One curl transfer; returns (status, MiB/s, bytes moved)."""
    fmt = "%{http_code} %{size_upload} %{size_download} %{time_total}"
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", fmt, "--max-time", str(timeout)]
                         + args, capture_output=True, text=True)
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) != 4:
        return (0, 0.0, 0, out.stderr.strip())
    code, up, down, secs = int(parts[0]), float(parts[1]), float(parts[2]), float(parts[3])
    return (code, size / MiB / secs, int(max(up, down)), "")


# --- the moto phase: the gateway with a zone on moto_server against moto_server directly ---

MOTO_BUCKET = "bench-moto"      # the gateway's bucket (LocationConstraint fi -> fi-hel-st-1)
MOTO_DIRECT = "bench-direct"    # the bucket written directly on moto_server
MOTO_ZONE = "fi-hel-st-1"
MOTO_GET_KEYS = 16
MOTO_KEY = "moto"               # moto accepts any key and checks no signature


def moto_headers():
    """What the direct side sends with every request. moto refuses anonymous GETs (403) but
    never verifies a signature, so a SigV4-shaped Authorization header with a fixed signature
    makes a request an authenticated one for moto, as the gateway's signed requests are."""
    date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={MOTO_KEY}/{date[:8]}/us-east-1/s3/"
                             "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                             "Signature=" + "0" * 64,
            "X-Amz-Date": date, "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}


class MotoServer:
    """One moto_server (single Python process) on a free loopback port."""

    def __init__(self, base):
        self.port = harness.free_port()
        self.log_path = os.path.join(base, "moto_server.log")
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("moto_server exited: " + open(self.log_path).read()[-2000:])
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/", headers=moto_headers())
                c.getresponse().read()
                c.close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto_server did not start")

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def buckets(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        c.request("GET", "/", headers=moto_headers())
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200:
            raise RuntimeError(f"moto ListBuckets answered {r.status}: {body[:200]!r}")
        return [el.text for el in ET.fromstring(body).iter() if el.tag.split("}")[-1] == "Name"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def moto_config_dir(base, endpoint):
    """The repository's provider configuration with Storj in Helsinki (zone fi-hel-st-1) on
    moto_server, as tests/integration/test_providers.py sets it up."""
    with open(os.path.join(harness.CONFIG_DIR, "s3_backends.json")) as f:
        config = json.load(f)
    found = False
    for p in config["providers"]:
        if p["country"] == "fi" and MOTO_ZONE in p.get("zones", []):
            p.update({"type": "s3", "endpoint": endpoint, "region": "us-east-1",
                      "addressing_style": "path",
                      "credentials": {"access_key_env": "BENCH_MOTO_ACCESS_KEY",
                                      "secret_key_env": "BENCH_MOTO_SECRET_KEY"}})
            found = True
    if not found:
        raise RuntimeError(f"config/s3_backends.json has no provider with zone {MOTO_ZONE}")
    d = os.path.join(base, "moto-config")
    os.makedirs(d)
    with open(os.path.join(d, "s3_backends.json"), "w") as f:
        json.dump(config, f)
    return d


def moto_phase(pg, base, opts, wrk_threads, live, res, failures):
    """1 MiB PUT and GET through a gateway whose zone fi-hel-st-1 is on moto_server, and the
    same requests (same wrk, same script) directly against that moto_server. Results go to
    res[("moto-s3gw"|"moto-direct", op)]; `live` receives the moto_server and the gateway as soon
    as they run, so that main() stops them whatever happens."""
    d, n = opts.moto_duration, opts.moto_connections
    body_file = os.path.join(base, "body-1m")
    with open(body_file, "wb") as f:
        f.write(os.urandom(MiB))
    body = open(body_file, "rb").read()

    moto = live["moto"] = MotoServer(base)
    gw = live["gw_moto"] = harness.Gateway(pg, env={
        "S3GW_LOG_LEVEL": os.environ.get("S3GW_LOG_LEVEL", "info"),
        "S3GW_MASTER_KEY": os.urandom(32).hex(),
        "S3GW_CONFIG_DIR": moto_config_dir(base, moto.endpoint),
        "BENCH_MOTO_ACCESS_KEY": MOTO_KEY, "BENCH_MOTO_SECRET_KEY": "moto-secret"})
    gw.start()
    step(f"moto phase: moto_server {shutil.which('moto_server')} (pid {moto.proc.pid}) on "
         f":{moto.port}; s3gw-moto (pid {gw.proc.pid}, authentication off, zone {MOTO_ZONE} on "
         f"that moto) on :{gw.port}")

    # Buckets: the gateway's in Finland (its blobs go to a hashed bucket on moto), and one
    # directly on moto.
    direct_headers = moto_headers()
    for port, path, payload, hdrs in (
            (gw.port, f"/{MOTO_BUCKET}",
             b"<CreateBucketConfiguration><LocationConstraint>fi</LocationConstraint>"
             b"</CreateBucketConfiguration>", {}),
            (moto.port, f"/{MOTO_DIRECT}", b"", direct_headers)):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("PUT", path, body=payload, headers=hdrs)
        r = c.getresponse()
        answer = r.read()
        c.close()
        if r.status != 200:
            raise RuntimeError(f"CreateBucket {path} on :{port} answered {r.status}: {answer[:300]!r}")
    sides = (("s3gw", gw.port, MOTO_BUCKET, None), ("direct", moto.port, MOTO_DIRECT, direct_headers))
    for name, port, bucket, hdrs in sides:
        keys = [f"/{bucket}/get1m-{i:04d}" for i in range(MOTO_GET_KEYS)]
        bad = put_many(port, keys, body, min(n, MOTO_GET_KEYS),
                       sign=(lambda *_a, h=hdrs: h) if hdrs else None)
        if bad:
            failures.append(f"moto {name}: {bad} of {MOTO_GET_KEYS} pre-population PUTs were not 2xx")
    # Guard: the gateway's blobs really are on moto (one hashed backend bucket holding them).
    backends = [b for b in moto.buckets() if b != MOTO_DIRECT]
    if len(backends) != 1:
        raise RuntimeError(f"expected one gateway backend bucket on moto, found {backends}")
    backend = backends[0]
    on_moto = s3_count(moto.port, "", backend, direct_headers)
    step(f"pre-populated {MOTO_GET_KEYS} keys of 1 MiB on each side; the gateway's are in "
         f"{backend} on moto ({on_moto} blobs)")
    if on_moto != MOTO_GET_KEYS:
        failures.append(f"moto: {on_moto} gateway blobs on moto for {MOTO_GET_KEYS} PUTs")

    for op in ("put", "get"):
        for name, port, bucket, hdrs in sides:
            prefix = f"/{bucket}/put1m" if op == "put" else f"/{bucket}/get1m"
            r = run_wrk(f"http://127.0.0.1:{port}", op, prefix, body_file, d, n,
                        min(wrk_threads, n), keys=MOTO_GET_KEYS, headers=hdrs and moto_headers())
            res[(f"moto-{name}", op)] = r
            line = (f"  {name:9} 1 MiB {op.upper():3}   : {r['ops']:9.1f} ops/s  "
                    f"p50 {r['p50_us'] / 1000:7.2f} ms  p99 {r['p99_us'] / 1000:7.2f} ms  "
                    f"requests {int(r['requests'])}  non-2xx {r['non2xx']}  "
                    f"socket errors {r['errors']}")
            if op == "get" and r["requests"]:
                line += f"  bytes/resp {r['bytes'] / r['requests']:.0f}"
            step(line)
            if r["non2xx"] or r["errors"]:
                failures.append(f"moto {name} 1 MiB {op.upper()}: {r['non2xx']} non-2xx "
                                f"responses, {r['errors']} socket errors")
            if op == "get" and r["requests"] and r["bytes"] / r["requests"] < MiB:
                failures.append(f"moto {name} 1 MiB GET: responses average under {MiB} bytes")
            if op == "put":
                ok = int(r["requests"]) - r["non2xx"]
                stored = s3_count(port, "put1m-", bucket, hdrs and moto_headers())
                note = ""
                if name == "s3gw":  # and on moto itself, besides the pre-populated blobs
                    blobs = s3_count(moto.port, "", backend, direct_headers) - MOTO_GET_KEYS
                    note = f", {blobs} blobs on moto"
                    if not ok <= blobs <= ok + n:
                        failures.append(f"moto s3gw: {blobs} blobs on moto for {ok} "
                                        f"acknowledged PUTs")
                step(f"  {name:9} {stored} objects stored{note} for {ok} acknowledged PUTs")
                if not ok <= stored <= ok + n:
                    failures.append(f"moto {name}: {stored} objects stored for {ok} "
                                    f"acknowledged PUTs")


# --- the run -------------------------------------------------------------------------------

def size_label(mib):
    return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} MiB"


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")),
                    help="seconds per wrk phase (default 10)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "256,1024"),
                    help="large object sizes in MiB, comma separated (default 256,1024)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (for debugging)")
    ap.add_argument("--only", choices=["moto"],
                    help="run one phase only: moto (1 MiB PUT/GET via a zone on moto_server "
                         "and directly against it)")
    ap.add_argument("--moto-duration", type=int,
                    default=int(os.environ.get("BENCH_MOTO_DURATION", "10")),
                    help="seconds per wrk run of the moto phase (default 10; 4 runs)")
    ap.add_argument("--moto-connections", type=int, default=4,
                    help="connections of the moto phase (default 4; moto_server is one Python "
                         "process)")
    opts = ap.parse_args()

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too: it may arrive ignored
        signal.signal(s, on_signal)
    os.environ.setdefault("S3GW_BINARY", os.path.join(ROOT, "build", "release", "src", "app", "s3gw"))
    cores = os.cpu_count() or 1
    wrk_threads = max(1, min(cores, opts.connections))
    sizes = [int(x) for x in opts.sizes.split(",") if x]
    only_moto = opts.only == "moto"
    run_moto = only_moto or shutil.which("moto_server") is not None
    if only_moto and not shutil.which("moto_server"):
        log("bench: --only moto needs moto_server (pip install 'moto[server]')")
        return 2
    if only_moto:
        sizes = []
    started = time.time()

    base = tempfile.mkdtemp(prefix="s3gw-bench-")
    pg = gw = gw_auth = ngx = sampler = None
    live = {}  # the moto phase's moto_server and gateway, once started
    dav = True
    res = {}
    auth_res = {}  # "s3gw" / "s3gw-auth" -> the wrk results of both 4 KiB GET rounds
    rss = []  # (checkpoint, sampled peak VmRSS KiB in the phase, VmHWM KiB)
    failures = []
    try:
        # Reference files: the 4 KiB body and one file per large size.
        body_file = os.path.join(base, "body-4k")
        with open(body_file, "wb") as f:
            f.write(os.urandom(4096))
        body = open(body_file, "rb").read()

        step(f"load average {loadavg()} on {cores} cores; starting PostgreSQL"
             + (", moto_server and a gateway" if only_moto else ", the gateway and nginx"))
        pg = harness.PostgresCluster().start()
        if not only_moto:
            # A throwaway master key keeps the credentials warning out of the log check below.
            gw = harness.Gateway(pg, env={"S3GW_LOG_LEVEL": os.environ.get("S3GW_LOG_LEVEL", "info"),
                                          "S3GW_MASTER_KEY": os.urandom(32).hex()})
            gw.start()
            # The same gateway with S3 authentication, for the 4 KiB GET phase only.
            admin_token = os.urandom(16).hex()
            gw_auth = harness.Gateway(pg, env={
                "S3GW_LOG_LEVEL": os.environ.get("S3GW_LOG_LEVEL", "info"),
                "S3GW_MASTER_KEY": os.urandom(32).hex(), "S3GW_ADMIN_TOKEN": admin_token,
                "ENABLE_S3_AUTHENTICATION": "true"})
            gw_auth.start()
            dav = nginx_has_dav()
            ngx = Nginx(base, cores, dav).start()
            os.makedirs(gw.data_dir, exist_ok=True)
            same_fs = os.stat(gw.data_dir).st_dev == os.stat(ngx.www).st_dev
            step(f"s3gw {os.environ['S3GW_BINARY']} (pid {gw.proc.pid}, {cores} threads) on :{gw.port}, "
                f"zones {gw.data_dir}")
            step(f"nginx {nginx_version()} ({cores} workers{'' if dav else ', NO http_dav_module: PUT reference skipped'})"
                f" on :{ngx.port}, root {ngx.www}; same filesystem: {'yes' if same_fs else 'NO'}")
            signer = Signer(create_credential(gw_auth.port, admin_token), gw_auth.port,
                            gw_auth.region)
            step(f"s3gw-auth (pid {gw_auth.proc.pid}, ENABLE_S3_AUTHENTICATION=true, SigV4 header "
                 f"auth, region {gw_auth.region}) on :{gw_auth.port}, for the 4 KiB GET phase")
            if not same_fs:
                failures.append("gateway zone dir and nginx root are on different filesystems")

            sampler = RssSampler(gw.proc.pid)
            sampler.start()
            time.sleep(0.05)
            rss.append(("idle", sampler.take(), proc_status_kib(gw.proc.pid, "VmHWM")))

            # --- small objects ----------------------------------------------------------------
            for port, sign in ((gw.port, None), (gw_auth.port, signer)):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("PUT", f"/{BUCKET}", headers=sign("PUT", f"/{BUCKET}") if sign else {})
                r = c.getresponse()
                answer = r.read()
                c.close()
                if r.status != 200:
                    raise RuntimeError(f"CreateBucket on :{port} answered {r.status}: {answer[:300]!r}")
            get_keys = [f"/{BUCKET}/get-{i:04d}" for i in range(GET_KEYS)]
            for name, port in (("s3gw", gw.port), ("s3gw-auth", gw_auth.port), ("nginx", ngx.port)):
                if name == "nginx" and not dav:
                    for k in get_keys:
                        shutil.copyfile(body_file, os.path.join(ngx.www, k.lstrip("/")))
                    continue
                bad = put_many(port, get_keys, body, opts.connections,
                               sign=signer if name == "s3gw-auth" else None)
                if bad:
                    failures.append(f"{name}: {bad} of {GET_KEYS} pre-population PUTs were not 2xx")
            step(f"pre-populated {GET_KEYS} keys of 4 KiB on each server")
            # Guard: the authenticating gateway really refuses what is not signed.
            c = http.client.HTTPConnection("127.0.0.1", gw_auth.port, timeout=30)
            c.request("GET", get_keys[0])
            r = c.getresponse()
            r.read()
            c.close()
            if r.status != 403:
                failures.append(f"s3gw-auth answered an unsigned GET with {r.status}, not 403")

            d, n = opts.duration, opts.connections
            for op in ("put", "get"):
                servers = [("s3gw", gw.port, 1), ("nginx", ngx.port, 1)]
                if op == "get":
                    # Authentication off and on in ABBA order (off, on, nginx, on, off), so that a
                    # drift in the machine's load during the run weighs on both alike.
                    servers = [("s3gw", gw.port, 1), ("s3gw-auth", gw_auth.port, 1),
                               ("nginx", ngx.port, 1), ("s3gw-auth", gw_auth.port, 2),
                               ("s3gw", gw.port, 2)]
                for name, port, rnd in servers:
                    if name == "nginx" and op == "put" and not dav:
                        continue
                    prefix = f"/{BUCKET}/put" if op == "put" else f"/{BUCKET}/get"
                    signed_file = None
                    if name == "s3gw-auth":  # signed right before the phase: valid for 15 minutes
                        signed_file = os.path.join(base, "signed-get")
                        signer.write_get_file(signed_file, get_keys)
                    r = run_wrk(f"http://127.0.0.1:{port}", op, prefix, body_file, d, n, wrk_threads,
                                signed_file)
                    if rnd == 1:
                        res[(name, op)] = r
                    if op == "get" and name in ("s3gw", "s3gw-auth"):
                        auth_res.setdefault(name, []).append(r)
                    line = (f"  {name:9} 4 KiB {op.upper():3}{' #2' if rnd == 2 else '   '}: "
                            f"{r['ops']:9.0f} ops/s  "
                            f"p50 {r['p50_us'] / 1000:7.2f} ms  p99 {r['p99_us'] / 1000:7.2f} ms  "
                            f"requests {int(r['requests'])}  non-2xx {r['non2xx']}  "
                            f"socket errors {r['errors']}")
                    if op == "get" and r["requests"]:
                        line += f"  bytes/resp {r['bytes'] / r['requests']:.0f}"
                    step(line)
                    if r["non2xx"] or r["errors"]:
                        failures.append(f"{name} 4 KiB {op.upper()}{' #2' if rnd == 2 else ''}: "
                                        f"{r['non2xx']} non-2xx responses, {r['errors']} socket errors")
                    if op == "get" and r["requests"] and r["bytes"] / r["requests"] < 4096:
                        failures.append(f"{name} 4 KiB GET: responses average under 4096 bytes")
                    if op == "put":
                        ok = int(r["requests"]) - r["non2xx"]
                        stored = s3_count(port, "put-") if name == "s3gw" else ngx.count_files("put-")
                        r["stored"] = stored
                        step(f"  {name:9} {stored} objects stored for {ok} acknowledged PUTs")
                        if not ok <= stored <= ok + n:
                            failures.append(f"{name}: {stored} objects stored for {ok} acknowledged PUTs")
            rss.append(("after 4 KiB phase", sampler.take(), proc_status_kib(gw.proc.pid, "VmHWM")))

            # --- large objects ----------------------------------------------------------------
            for size_mib in sizes:
                label = size_label(size_mib)
                path = os.path.join(base, f"large-{size_mib}")
                step(f"generating {label} of random data")
                subprocess.run(["openssl", "rand", "-out", path, str(size_mib * MiB)], check=True)
                size = size_mib * MiB
                for name, port in (("s3gw", gw.port), ("nginx", ngx.port)):
                    url = f"http://127.0.0.1:{port}/{BUCKET}/large-{size_mib}"
                    for op in ("put", "get"):
                        if name == "nginx" and op == "put" and not dav:
                            shutil.copyfile(path, os.path.join(ngx.www, BUCKET, f"large-{size_mib}"))
                            continue
                        args = ["-T", path, url] if op == "put" else [url]
                        code, mibs, moved, err = curl(args, size)
                        ok = (200 <= code < 300) and moved == size
                        res[(name, op, size_mib)] = mibs if ok else 0.0
                        step(f"  {name:9} {label:>7} {op.upper():3}: {mibs:8.1f} MiB/s  status {code}"
                            + ("" if ok else f"  FAILED (moved {moved} of {size} bytes) {err}"))
                        if not ok:
                            failures.append(f"{name} {label} {op.upper()}: status {code}, "
                                            f"{moved} of {size} bytes {err}")
                    if name == "s3gw":
                        rss.append((f"after {label}", sampler.take(),
                                    proc_status_kib(gw.proc.pid, "VmHWM")))
                # Keep the disk quiet for the next phase: the servers drop their copies (and their
                # dirty pages), the source file goes too.
                for port in (gw.port, ngx.port):
                    delete(port, f"/{BUCKET}/large-{size_mib}")
                os.remove(path)

        # --- 1 MiB through a zone on moto_server, and directly against it ----------------
        if run_moto:
            moto_phase(pg, base, opts, wrk_threads, live, res, failures)
        elif not only_moto:
            step("moto_server not found: moto phase skipped (pip install 'moto[server]')")
    except (KeyboardInterrupt, Interrupted) as e:
        log(f"\ninterrupted ({e or 'Ctrl-C'}); cleaning up")
        failures.append("interrupted")
        res = None
    except Exception:
        if gw or live:
            try:
                for g in (gw, gw_auth, live.get("gw_moto")):
                    if g and g.proc:
                        tail = g.read_log().splitlines()[-20:]
                        log(f"gateway :{g.port} log (last lines):\n  " + "\n  ".join(tail))
            except OSError:
                pass
        raise
    finally:
        gw_log = ""
        if sampler:
            sampler.stop()

        def read_gw_log():
            nonlocal gw_log
            gw_log += gw.read_log()

        def read_gw_auth_log():
            nonlocal gw_log
            gw_log += gw_auth.read_log()

        gw_moto, moto = live.get("gw_moto"), live.get("moto")

        def read_gw_moto_log():
            nonlocal gw_log
            gw_log += gw_moto.read_log()

        steps = [("nginx stopped", ngx and ngx.stop), ("gateway stopped", gw and gw.stop),
                 ("", gw and read_gw_log), ("gateway dir removed", gw and gw.cleanup),
                 ("auth gateway stopped", gw_auth and gw_auth.stop),
                 ("", gw_auth and read_gw_auth_log),
                 ("auth gateway dir removed", gw_auth and gw_auth.cleanup),
                 ("moto gateway stopped", gw_moto and gw_moto.stop),
                 ("", gw_moto and read_gw_moto_log),
                 ("moto gateway dir removed", gw_moto and gw_moto.cleanup),
                 ("moto_server stopped", moto and moto.stop),
                 ("PostgreSQL stopped", pg and pg.stop),
                 ("temp dir removed", None if opts.keep else
                  (lambda: shutil.rmtree(base, ignore_errors=True)))]
        for what, fn in steps:
            if not fn:
                continue
            try:
                fn()
                if what:
                    step(f"cleanup: {what}")
            except BaseException as e:  # keep cleaning up whatever happens
                log(f"cleanup: {what or 'reading the gateway log'} failed: {e!r}")
        if opts.keep:
            log(f"kept {base}")

    if res is None:
        return 130
    bad_lines = [line for line in gw_log.splitlines() if re.search(r"\b(WARN|ERROR)\b", line)]
    report(res, auth_res, rss, sizes, opts, cores, dav, bad_lines, failures,
           time.time() - started)
    return 1 if failures else 0


def report(res, auth_res, rss, sizes, opts, cores, dav, bad_lines, failures, elapsed):
    W = 72
    log("")
    log("=" * W)

    def row(label, a, b, fmt):
        av = fmt.format(a) if a is not None else "-"
        bv = fmt.format(b) if b is not None else "-"
        log(f"{label:22}{av:>14}{bv:>14}{fmt_ratio(a, b):>14}")

    if opts.only != "moto":
        log(f"s3gw vs nginx {nginx_version()}, same run, loopback, {cores} cores, "
            f"{opts.connections} connections, {opts.duration} s per 4 KiB phase")
        log(f"{'':22}{'s3gw':>14}{'nginx':>14}{'s3gw/nginx':>14}")
    for op in (("put", "get") if opts.only != "moto" else ()):
        g, x = res.get(("s3gw", op)), res.get(("nginx", op))
        row(f"4 KiB {op.upper()} ops/s", g and g["ops"], x and x["ops"], "{:.0f}")
        row(f"4 KiB {op.upper()} p50 ms", g and g["p50_us"] / 1000, x and x["p50_us"] / 1000, "{:.2f}")
        row(f"4 KiB {op.upper()} p99 ms", g and g["p99_us"] / 1000, x and x["p99_us"] / 1000, "{:.2f}")
    for size_mib in sizes:
        label = size_label(size_mib)
        for op in ("put", "get"):
            row(f"{label} {op.upper()} MiB/s", res.get(("s3gw", op, size_mib)),
                res.get(("nginx", op, size_mib)), "{:.0f}")
    off, on = auth_res.get("s3gw"), auth_res.get("s3gw-auth")
    if off and on:
        def combined(rounds):
            # ops/s over all rounds; latency percentiles: the mean of the rounds'.
            return {"ops": sum(r["requests"] for r in rounds)
                    / (sum(r["duration_us"] for r in rounds) / 1e6),
                    "p50_us": sum(r["p50_us"] for r in rounds) / len(rounds),
                    "p99_us": sum(r["p99_us"] for r in rounds) / len(rounds)}
        a, b = combined(off), combined(on)
        log(f"{'S3 authentication':22}{'off':>14}{'on':>14}{'on/off':>14}"
            f"   ({len(off)} rounds each, ABBA)")
        for label, field, fmt, scale in (("4 KiB GET ops/s", "ops", "{:.0f}", 1),
                                         ("4 KiB GET p50 ms", "p50_us", "{:.2f}", 1000),
                                         ("4 KiB GET p99 ms", "p99_us", "{:.2f}", 1000)):
            x, y = a[field] / scale, b[field] / scale
            log(f"{label:22}{fmt.format(x):>14}{fmt.format(y):>14}{fmt_ratio(y, x):>14}")
        if a["ops"]:
            log(f"  authentication costs {(1 - b['ops'] / a['ops']) * 100:.1f}% of 4 KiB GET "
                f"ops/s (target: under 10%; SigV4 header auth, one key)")
    if any(k[0].startswith("moto-") for k in res):
        log(f"s3gw with zone {MOTO_ZONE} on moto_server vs that moto_server directly, same run, "
            f"{opts.moto_connections} connections, {opts.moto_duration} s per run")
        log("  (moto_server, one Python process, is the bottleneck reference, not a real provider)")
        log(f"{'moto, 1 MiB objects':22}{'via s3gw':>14}{'direct':>14}{'s3gw/direct':>14}")
        for op in ("put", "get"):
            g, x = res.get(("moto-s3gw", op)), res.get(("moto-direct", op))
            row(f"1 MiB {op.upper()} ops/s", g and g["ops"], x and x["ops"], "{:.1f}")
            row(f"1 MiB {op.upper()} p50 ms", g and g["p50_us"] / 1000, x and x["p50_us"] / 1000,
                "{:.2f}")
            row(f"1 MiB {op.upper()} p99 ms", g and g["p99_us"] / 1000, x and x["p99_us"] / 1000,
                "{:.2f}")
    if rss:
        log("s3gw RSS, MiB:        peak sampled in phase / VmHWM (lifetime high-water mark)")
    for name, peak, hwm in rss:
        log(f"  {name:20}{peak / 1024:12.1f} / {hwm / 1024:.1f}")
    if len(rss) >= 4:  # the first large size against the last one
        a, b = rss[2], rss[-1]
        log(f"  growth from {a[0][6:]} to {b[0][6:]}: peak {(b[1] - a[1]) / 1024:+.1f} MiB, "
            f"VmHWM {(b[2] - a[2]) / 1024:+.1f} MiB")
    n2 = (sum(r["non2xx"] for k, r in res.items() if len(k) == 2)
          + sum(r["non2xx"] for rounds in auth_res.values() for r in rounds[1:]))
    log(f"wrk non-2xx responses: {n2}; gateway log WARN/ERROR lines: {len(bad_lines)}"
        + ("" if dav else "; nginx lacks http_dav_module: no PUT reference"))
    for line in bad_lines[:5]:
        log("  " + line[:160])
    if failures:
        log("PROBLEMS (figures above may be meaningless):")
        for f in failures:
            log("  - " + f)
    ratio = "s3gw/direct" if opts.only == "moto" else "s3gw/nginx (s3gw/direct for moto)"
    log(f"ratio = {ratio}: above 1 is better for ops/s and MiB/s, below 1 for latency. "
        f"Total {elapsed:.0f} s, load average at the end {loadavg()}.")
    log("=" * W)


if __name__ == "__main__":
    sys.exit(main())
