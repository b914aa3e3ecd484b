"""Faults and scale: clients that vanish or stall mid-upload, overwrites under concurrent reads,
a 1 GiB round trip, graceful shutdown on SIGTERM, and a database restart.

Invariant under test (DESIGN.md §2.6): a fault mid-request leaves no visible partial object,
no metadata row and no blob behind, and loses no acknowledged write.
"""
import hashlib
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest

import requests

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

import harness
from harness import PG_BIN, Gateway, PostgresCluster, _as_postgres

MiB = 1024 * 1024


def read_until_close(sock, seconds):
    """Reads until the peer closes; returns (closed, data)."""
    deadline = time.time() + seconds
    data = b""
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False, data
        except (ConnectionResetError, BrokenPipeError):
            return True, data
        if not chunk:
            return True, data
        data += chunk
    return False, data


def read_response(sock, timeout=60):
    """Reads one HTTP response; returns (status, headers, body)."""
    sock.settimeout(timeout)
    resp, _ = harness.read_response(sock)
    return resp.status, resp.headers, resp.body


class DeterministicStream:
    """A seekable, read-only file of `size` bytes generated on the fly: 1 MiB blocks of one
    random pattern, each stamped with its index, so misplaced or repeated blocks change the MD5."""

    def __init__(self, size, seed=0):
        self.size = size
        self.pos = 0
        self.base = random.Random(seed).randbytes(MiB)

    def block(self, i):
        return i.to_bytes(8, "big") + self.base[8:]

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.size - self.pos
        n = min(n, self.size - self.pos)
        out = []
        while n > 0:
            i, off = divmod(self.pos, MiB)
            piece = self.block(i)[off:off + n]
            out.append(piece)
            self.pos += len(piece)
            n -= len(piece)
        return b"".join(out)

    def seek(self, offset, whence=0):
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, min(self.size, base + offset))
        return self.pos

    def tell(self):
        return self.pos

    def seekable(self):
        return True

    def readable(self):
        return True

    def close(self):
        pass

    def md5(self):
        h = hashlib.md5()
        full, rest = divmod(self.size, MiB)
        for i in range(full):
            h.update(self.block(i))
        if rest:
            h.update(self.block(full)[:rest])
        return h.hexdigest()


class RobustnessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        cls.gw = Gateway(cls.pg).start()
        cls.s3 = cls.gw.client()
        # A gateway that gives up on a silent request body after 2 s.
        cls.short_gw = Gateway(cls.pg, env={"S3GW_BODY_TIMEOUT": "2"}).start()
        cls.short_s3 = cls.short_gw.client()

    @classmethod
    def tearDownClass(cls):
        cls.short_gw.cleanup()
        cls.gw.cleanup()
        cls.pg.stop()

    # ------------------------------------------------------------------ helpers

    def put_head(self, gw, bucket, key, headers):
        lines = [f"PUT /{bucket}/{key} HTTP/1.1", f"Host: 127.0.0.1:{gw.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def wait_for_blob_bytes(self, gw, files_before, timeout=30):
        """Waits until a temporary blob file that was not there before holds bytes: the gateway
        is writing the upload's body. Returns its path."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for path in set(gw.blob_files()) - files_before:
                try:
                    if "/.tmp/" in path and os.path.getsize(path) > 0:
                        return path
                except FileNotFoundError:
                    pass
            time.sleep(0.02)
        self.fail(f"no bytes of the upload written under the zone directory within {timeout} s")

    def assert_absent(self, client, bucket, key):
        with self.assertRaises(ClientError) as cm:
            client.head_object(Bucket=bucket, Key=key)
        self.assertEqual(cm.exception.response["Error"]["Code"], "404")

    def assert_nothing_left(self, gw, client, bucket, key, files_before):
        """No object, no metadata row, and (within 30 s) no new file under the zone dir."""
        self.assert_absent(client, bucket, key)
        listed = client.list_objects_v2(Bucket=bucket)
        self.assertNotIn(key, [o["Key"] for o in listed.get("Contents", [])])
        rows = gw.sql(f"SELECT count(*) FROM objects WHERE key = '{key}'")
        self.assertEqual(rows, "0")
        deadline = time.time() + 30
        while True:
            new = set(gw.blob_files()) - files_before
            if not new or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(new, set(), "files left behind by an aborted upload")
        # The gateway still serves.
        client.put_object(Bucket=bucket, Key=key + ".after", Body=b"ok")
        self.assertEqual(client.get_object(Bucket=bucket, Key=key + ".after")["Body"].read(),
                         b"ok")
        client.delete_object(Bucket=bucket, Key=key + ".after")

    # ------------------------------------------------------------------ (a) aborted uploads

    def test_client_disconnect_mid_put_leaves_nothing(self):
        bucket = "rb-disconnect"
        self.s3.create_bucket(Bucket=bucket)
        chunk = random.Random(1).randbytes(MiB)
        cases = {
            "content-length-fin": ({"Content-Length": str(10 * MiB)}, chunk * 5, False),
            "content-length-rst": ({"Content-Length": str(10 * MiB)}, chunk * 5, True),
            # Transfer-Encoding: chunked, cut at a chunk boundary before the last chunk.
            "te-chunked": ({"Transfer-Encoding": "chunked"},
                           b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                                    for _ in range(3)), False),
            # aws-chunked, cut at a chunk boundary: the decoded length is not reached.
            "aws-chunked": ({"Content-Length": str(8 * (MiB + 20) + 100),
                             "Content-Encoding": "aws-chunked",
                             "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                             "x-amz-decoded-content-length": str(8 * MiB),
                             "x-amz-trailer": "x-amz-checksum-crc32"},
                            b"".join(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                                     for _ in range(3)), False),
        }
        for key, (headers, sent, reset) in cases.items():
            with self.subTest(case=key):
                files_before = set(self.gw.blob_files())
                s = socket.create_connection(("127.0.0.1", self.gw.port), timeout=30)
                s.sendall(self.put_head(self.gw, bucket, key, headers))
                s.sendall(sent)
                # The cut must come mid-blob, or "nothing left behind" would hold trivially.
                self.wait_for_blob_bytes(self.gw, files_before)
                if reset:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                 (1).to_bytes(4, "little") + (0).to_bytes(4, "little"))
                s.close()
                self.assert_nothing_left(self.gw, self.s3, bucket, key, files_before)

    def test_disconnect_mid_overwrite_keeps_old_object(self):
        bucket = "rb-disconnect-overwrite"
        self.s3.create_bucket(Bucket=bucket)
        old = random.Random(2).randbytes(3 * MiB)
        self.s3.put_object(Bucket=bucket, Key="k", Body=old)
        files_before = set(self.gw.blob_files())
        s = socket.create_connection(("127.0.0.1", self.gw.port), timeout=30)
        s.sendall(self.put_head(self.gw, bucket, "k", {"Content-Length": str(10 * MiB)}))
        s.sendall(b"n" * (5 * MiB))
        self.wait_for_blob_bytes(self.gw, files_before)
        s.close()
        deadline = time.time() + 30
        while set(self.gw.blob_files()) - files_before and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(set(self.gw.blob_files()) - files_before, set())
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), old)
        self.assertEqual(self.gw.sql(
            "SELECT count(*) FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{bucket}'"), "1")

    def test_stalled_put_times_out_and_leaves_nothing(self):
        # S3GW_BODY_TIMEOUT=2: a client that stops sending mid-body is answered and cut off.
        bucket = "rb-stall"
        self.short_s3.create_bucket(Bucket=bucket)
        files_before = set(self.short_gw.blob_files())
        start = time.time()
        with socket.create_connection(("127.0.0.1", self.short_gw.port), timeout=30) as s:
            s.sendall(self.put_head(self.short_gw, bucket, "stalled",
                                    {"Content-Length": str(10 * MiB)}))
            s.sendall(b"s" * (3 * MiB))
            # Bounded, not fast: 30 s against a 2 s timeout (the time taken is printed).
            closed, data = read_until_close(s, 30)
        elapsed = time.time() - start
        self.assertTrue(closed, "a stalled upload held its connection for 30 s")
        if data:  # an error response before the close is welcome; success is not
            status = int(data.split(b" ")[1])
            self.assertGreaterEqual(status, 400, data[:500])
            self.assertIn(b"RequestTimeout", data)
        print(f"\nstalled upload cut after {elapsed:.1f}s (body timeout 2s)")
        self.assert_nothing_left(self.short_gw, self.short_s3, bucket, "stalled", files_before)

    # ------------------------------------------------------------------ (b) overwrites

    def test_overwrite_never_serves_old_content(self):
        bucket = "rb-overwrite"
        self.s3.create_bucket(Bucket=bucket)
        rnd = random.Random(3)
        versions = []
        for i in range(25):
            body = f"version {i:04d}\n".encode() + rnd.randbytes(rnd.randint(1, 400 * 1024))
            versions.append(body)
        files_before = set(self.gw.blob_files())
        acked = [-1]
        errors = []
        reads = [0, 0]  # versions read by each reader
        stop = threading.Event()

        def reader(i):
            # Any exception (a torn body, a dropped connection, a gateway gone) is a finding:
            # a thread that died of it would otherwise pass unnoticed.
            try:
                c = self.gw.client()
                while not stop.is_set():
                    floor = acked[0]
                    try:
                        body = c.get_object(Bucket=bucket, Key="obj")["Body"].read()
                    except ClientError as e:
                        if e.response["Error"]["Code"] == "NoSuchKey" and floor < 0:
                            continue
                        errors.append(f"GET failed after version {floor}: {e}")
                        return
                    n = int(body[8:12])
                    if body != versions[n]:
                        errors.append(f"GET returned a corrupt version {n}")
                    elif n < floor:
                        errors.append(f"GET returned version {n} after {floor} was acknowledged")
                    reads[i] += 1
            except Exception as e:
                errors.append(f"reader {i} failed after version {acked[0]}: {e!r}")

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(len(reads))]
        for t in threads:
            t.start()
        try:
            for i, body in enumerate(versions):
                r = self.s3.put_object(Bucket=bucket, Key="obj", Body=body)
                acked[0] = i
                self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
                # Read-after-write: the very next GET and HEAD see this version.
                got = self.s3.get_object(Bucket=bucket, Key="obj")
                self.assertEqual(got["Body"].read(), body, f"version {i}")
                self.assertEqual(got["ETag"], r["ETag"])
                self.assertEqual(self.s3.head_object(Bucket=bucket, Key="obj")["ContentLength"],
                                 len(body))
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertFalse([t for t in threads if t.is_alive()], "a reader hangs")
        self.assertEqual(errors, [])
        # Each reader read versions while they were being replaced, or the race was not run.
        self.assertTrue(all(reads), f"versions read per reader: {reads}")
        print(f"\nversions read during the overwrites, per reader: {reads}")
        # One row and, once garbage is removed, one blob.
        self.assertEqual(self.gw.sql(
            "SELECT count(*) FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{bucket}'"), "1")
        deadline = time.time() + 30
        while len(set(self.gw.blob_files()) - files_before) > 1 and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(set(self.gw.blob_files()) - files_before), 1,
                         "overwritten blobs were not removed")

    def test_reads_racing_overwrites_and_deletes_never_fail(self):
        # A GET that read the metadata of a version whose blob a concurrent PUT or DELETE then
        # removed must serve the new version (or 404), never a 5xx.
        bucket = "rb-race"
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="hot", Body=b"v-initial")
        failures = []
        writes = [0, 0]  # requests each writer got answered
        reads = [0, 0, 0, 0]  # GETs each reader got answered (a body or NoSuchKey)
        bodies = [0, 0, 0, 0]  # of which a body
        writers_done = threading.Event()

        # Every exception of a thread is recorded: one that killed its thread (a dropped
        # connection, a torn response, a crashed gateway) is what this test looks for.
        def writer(n):
            try:
                c = self.gw.client()
                for i in range(120):
                    if i % 10 == 9:
                        c.delete_object(Bucket=bucket, Key="hot")
                    else:
                        c.put_object(Bucket=bucket, Key="hot", Body=f"v-{n}-{i}".encode() * 50)
                    writes[n] += 1
            except Exception as e:
                failures.append(f"writer {n}, request {writes[n]}: {e!r}")

        def reader(n):
            try:
                c = self.gw.client()
                while not writers_done.is_set():
                    try:
                        body = c.get_object(Bucket=bucket, Key="hot")["Body"].read()
                        if not body.startswith(b"v-"):
                            failures.append(f"unexpected body {body[:20]!r}")
                        bodies[n] += 1
                    except ClientError as e:
                        if e.response["Error"]["Code"] != "NoSuchKey":
                            failures.append(e.response["Error"]["Code"])
                    reads[n] += 1
            except Exception as e:
                failures.append(f"reader {n}, after {reads[n]} reads: {e!r}")

        writers = [threading.Thread(target=writer, args=(n,)) for n in range(len(writes))]
        readers = [threading.Thread(target=reader, args=(n,)) for n in range(len(reads))]
        for t in writers + readers:
            t.start()
        try:
            for t in writers:
                t.join(300)
        finally:
            writers_done.set()
            for t in readers:
                t.join(60)
        self.assertFalse([t for t in writers + readers if t.is_alive()], "a thread hangs")
        self.assertEqual(failures, [])
        self.assertEqual(writes, [120, 120])
        # Every reader raced the writers, and some reads found an object to serve.
        self.assertTrue(all(reads), f"reads per reader: {reads}")
        self.assertGreater(sum(bodies), 0, f"reads per reader: {reads}, none served a body")
        print(f"\nreads per reader during the writes: {reads} ({sum(bodies)} with a body)")

    def test_slow_but_steady_upload_is_not_cut(self):
        # S3GW_BODY_TIMEOUT bounds silence, not the time a whole buffer takes: 64 KiB sent in
        # pieces every 0.5 s over ~4 s (twice the timeout) must succeed.
        bucket = "rb-steady"
        self.short_s3.create_bucket(Bucket=bucket)
        body = bytes(range(256)) * 256
        with socket.create_connection(("127.0.0.1", self.short_gw.port), timeout=30) as s:
            s.sendall(self.put_head(self.short_gw, bucket, "steady",
                                    {"Content-Length": str(len(body))}))
            for i in range(0, len(body), 8192):
                s.sendall(body[i:i + 8192])
                time.sleep(0.5)
            status, _ = read_response(s)[:2]
        self.assertEqual(status, 200)
        got = self.short_s3.get_object(Bucket=bucket, Key="steady")["Body"].read()
        self.assertEqual(got, body)

    def test_unresponsive_database_fails_fast_instead_of_hanging(self):
        # A database that accepts connections but never answers: libpq's connect_timeout does
        # not apply to the async API, so the gateway enforces its own deadline (10 s) and exits
        # with an error instead of hanging forever.
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)
            port = silent.getsockname()[1]
            gw = Gateway(self.pg)
            gw.conninfo = f"host=127.0.0.1 port={port} user=s3gw dbname=s3gw"
            try:
                # The process exits on its own ("gateway exited"), rather than being killed by
                # start() after 60 s without listening ("did not start").
                with self.assertRaisesRegex(RuntimeError, "gateway exited"):
                    gw.start()
                self.assertGreater(gw.proc.returncode, 0)
                self.assertIn("did not answer in time", gw.read_log())
            finally:
                if gw.proc is not None and gw.proc.poll() is None:
                    gw.kill()
                if getattr(gw, "log", None) and not gw.log.closed:
                    gw.log.close()
                shutil.rmtree(gw.dir, ignore_errors=True)

    def test_start_up_sweep_passes_over_other_zones_garbage(self):
        # Garbage records of another zone are not this process's to remove; the start-up sweep
        # must pass over them (it once re-read them forever and never started listening).
        pg = self.pg
        gw = Gateway(pg)
        try:
            gw.start()
            gw.stop()
            gw.sql("INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
                   "SELECT 'xx-yyy-zz-1', 's3gw-00000000-other', md5(g::text), 'test' "
                   "FROM generate_series(1, 1200) g")
            gw.start()
            self.assertEqual(requests.get(f"{gw.endpoint}/health", timeout=30).status_code, 200)
            self.assertEqual(gw.sql("SELECT count(*) FROM garbage_blobs"), "1200")
        finally:
            gw.cleanup()

    # ------------------------------------------------------------------ (c) 1 GiB

    def test_one_gib_round_trip(self):
        bucket = "rb-big"
        self.s3.create_bucket(Bucket=bucket)
        size = 1024 * MiB
        src = DeterministicStream(size, seed=42)
        expected = src.md5()
        client = self.gw.client(read_timeout=600, connect_timeout=30)
        cfg = TransferConfig(multipart_threshold=2 * 1024 * MiB)  # single PUT: no multipart yet
        t0 = time.time()
        client.upload_fileobj(src, bucket, "big.bin", Config=cfg)
        t_up = time.time() - t0
        head = client.head_object(Bucket=bucket, Key="big.bin")
        self.assertEqual(head["ContentLength"], size)
        self.assertEqual(head["ETag"], f'"{expected}"')
        t0 = time.time()
        h = hashlib.md5()
        n = 0
        for chunk in client.get_object(Bucket=bucket, Key="big.bin")["Body"].iter_chunks(MiB):
            h.update(chunk)
            n += len(chunk)
        t_down = time.time() - t0
        self.assertEqual(n, size)
        self.assertEqual(h.hexdigest(), expected)
        print(f"\n1 GiB round trip: upload {t_up:.1f}s ({size / MiB / t_up:.0f} MiB/s), "
              f"download {t_down:.1f}s ({size / MiB / t_down:.0f} MiB/s)")
        client.delete_object(Bucket=bucket, Key="big.bin")

    # ------------------------------------------------------------------ (d) graceful shutdown

    def test_graceful_shutdown_finishes_in_flight_put(self):
        gw = Gateway(self.pg)
        try:
            gw.start()
            client = gw.client()
            client.create_bucket(Bucket="rb-shutdown")
            data = random.Random(4).randbytes(20 * MiB)

            idle = socket.create_connection(("127.0.0.1", gw.port), timeout=30)
            idle.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            status, _, _ = read_response(idle)
            self.assertEqual(status, 200)

            files_before = set(gw.blob_files())
            up = socket.create_connection(("127.0.0.1", gw.port), timeout=30)
            up.sendall(self.put_head(gw, "rb-shutdown", "inflight",
                                     {"Content-Length": str(len(data))}))
            up.sendall(data[:5 * MiB])
            # SIGTERM once the upload is being written: it is in flight, not merely connected.
            self.wait_for_blob_bytes(gw, files_before)
            gw.proc.send_signal(signal.SIGTERM)

            # The idle keep-alive connection is closed by the server.
            closed, _ = read_until_close(idle, 30)
            idle.close()
            self.assertTrue(closed, "an idle connection was kept open after SIGTERM")
            # New connections are refused.
            refused = False
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    c = socket.create_connection(("127.0.0.1", gw.port), timeout=2)
                except ConnectionRefusedError:
                    refused = True
                    break
                c.close()
                time.sleep(0.1)
            self.assertTrue(refused, "the gateway still accepted connections after SIGTERM")
            self.assertIsNone(gw.proc.poll(), "exited with an upload in flight")

            # Finish the upload, slowly: it completes.
            for off in range(5 * MiB, len(data), 512 * 1024):
                up.sendall(data[off:off + 512 * 1024])
                time.sleep(0.02)
            status, headers, body = read_response(up)
            up.close()
            self.assertEqual(status, 200, body)
            self.assertEqual(headers.get("etag"), '"%s"' % hashlib.md5(data).hexdigest())
            self.assertEqual(gw.proc.wait(30), 0, gw.read_log()[-3000:])

            # Restart on the same database and zone directory: the object is there.
            gw.start()
            got = gw.client().get_object(Bucket="rb-shutdown", Key="inflight")["Body"].read()
            self.assertEqual(hashlib.md5(got).hexdigest(), hashlib.md5(data).hexdigest())
            self.assertEqual(gw.stop(), 0)
        finally:
            gw.cleanup()

    def test_shutdown_deadline_cuts_stalled_upload(self):
        gw = Gateway(self.pg, env={"S3GW_SHUTDOWN_GRACE": "2"})
        try:
            gw.start()
            client = gw.client()
            client.create_bucket(Bucket="rb-deadline")
            files_before = set(gw.blob_files())
            up = socket.create_connection(("127.0.0.1", gw.port), timeout=30)
            up.sendall(self.put_head(gw, "rb-deadline", "cut",
                                     {"Content-Length": str(10 * MiB)}))
            up.sendall(b"c" * (2 * MiB))
            # SIGTERM once the upload is being written, so the deadline has a blob to cut.
            self.wait_for_blob_bytes(gw, files_before)
            start = time.time()
            gw.proc.send_signal(signal.SIGTERM)
            try:
                rc = gw.proc.wait(20)
            except subprocess.TimeoutExpired:
                rc = None
            elapsed = time.time() - start
            up.close()
            self.assertIsNotNone(rc, "the gateway ignored its shutdown deadline")
            self.assertEqual(rc, 0, gw.read_log()[-3000:])
            print(f"\nshutdown with a stalled upload took {elapsed:.1f}s (grace 2s)")
            gw.start()
            client = gw.client()
            self.assert_nothing_left(gw, client, "rb-deadline", "cut", files_before)
            self.assertEqual(gw.stop(), 0)
        finally:
            gw.cleanup()

    # ------------------------------------------------------------------ (e) database restart

    def test_serves_after_database_restart(self):
        pg = PostgresCluster().start()
        gw = Gateway(pg)
        try:
            gw.start()
            client = gw.client()
            client.create_bucket(Bucket="rb-dbrestart")
            client.put_object(Bucket="rb-dbrestart", Key="before", Body=b"before")
            # Restart PostgreSQL on the same data directory and port.
            subprocess.run(_as_postgres([f"{PG_BIN}/pg_ctl", "-D", pg.data, "-m", "fast", "-w",
                                         "stop"]), check=True, capture_output=True, timeout=60)
            pg.proc.wait(30)
            pg.proc = subprocess.Popen(
                _as_postgres([f"{PG_BIN}/postgres", "-D", pg.data, "-p", str(pg.port),
                              "-k", pg.dir, "-c", "listen_addresses=", "-c", "fsync=off",
                              "-c", "max_connections=200"]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 30
            while subprocess.run([f"{PG_BIN}/pg_isready", "-h", pg.dir, "-p", str(pg.port)],
                                 stdout=subprocess.DEVNULL).returncode != 0:
                self.assertLess(time.time(), deadline, "PostgreSQL did not restart")
                time.sleep(0.1)
            # A request or two may fail while pooled connections are found broken; within a
            # few seconds everything works again, without restarting the gateway.
            ok = False
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    client.put_object(Bucket="rb-dbrestart", Key="after", Body=b"after")
                    ok = True
                    break
                except ClientError:
                    time.sleep(0.2)
            self.assertTrue(ok, "the gateway did not recover after the database restarted")
            for _ in range(12):  # more than the pool size: every pooled connection is exercised
                self.assertEqual(client.get_object(Bucket="rb-dbrestart",
                                                   Key="before")["Body"].read(), b"before")
                self.assertEqual(client.get_object(Bucket="rb-dbrestart",
                                                   Key="after")["Body"].read(), b"after")
            conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=30)
            conn.request("GET", "/health")
            self.assertEqual(conn.getresponse().status, 200)
            conn.close()
        finally:
            gw.cleanup()
            pg.stop()


if __name__ == "__main__":
    unittest.main()
