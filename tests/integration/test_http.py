"""Raw HTTP behaviour of the gateway: health, keep-alive, Expect: 100-continue, chunked and
aws-chunked request bodies, header limits and the timeouts that protect against slow clients.

Requests are built by hand (Python sockets, http.client, curl) so that the exact bytes on the
wire are known; boto3 is used for the real-client cases.
"""
import base64
import hashlib
import http.client
import json
import os
import random
import socket
import subprocess
import time
import unittest
import zlib

from harness import Gateway, PostgresCluster, read_response


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def closed_within(sock, seconds):
    """True when the peer closes (or resets) the connection within `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        if not data:
            return True
        # A response (e.g. 408/400) before the close is fine: keep reading until EOF.
    return False


class HttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        cls.gw = Gateway(cls.pg).start()
        # A second gateway with short timeouts for the slow-client tests.
        cls.slow_gw = Gateway(cls.pg, env={"S3GW_HEADER_TIMEOUT": "2",
                                           "S3GW_IDLE_TIMEOUT": "2"}).start()
        cls.s3 = cls.gw.client()
        cls.bucket = "http-tests"
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.slow_gw.cleanup()
        cls.gw.cleanup()
        cls.pg.stop()

    # ---------------------------------------------------------------- helpers

    def connect(self, gw=None, timeout=30):
        gw = gw or self.gw
        return socket.create_connection(("127.0.0.1", gw.port), timeout=timeout)

    def raw(self, data, gw=None):
        """Sends `data` on a new connection and returns the first response."""
        with self.connect(gw) as s:
            s.sendall(data)
            resp, _ = read_response(s)
            return resp

    def get_bytes(self, key):
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def assert_absent(self, key):
        with self.assertRaises(self.s3.exceptions.ClientError) as cm:
            self.s3.head_object(Bucket=self.bucket, Key=key)
        self.assertEqual(cm.exception.response["Error"]["Code"], "404")

    def put_head(self, key, headers, bucket=None):
        bucket = bucket or self.bucket
        lines = [f"PUT /{bucket}/{key} HTTP/1.1", f"Host: 127.0.0.1:{self.gw.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def aws_chunked_put(self, key, payload, chunks, trailer_value=None, decoded_length=None,
                        extra_headers=None):
        """PUT with a STREAMING-UNSIGNED-PAYLOAD-TRAILER body split at `chunks` sizes."""
        body = b""
        pos = 0
        for size in chunks:
            piece = payload[pos:pos + size]
            pos += size
            body += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        assert pos >= len(payload)
        trailer = trailer_value if trailer_value is not None else crc32_b64(payload)
        body += b"0\r\n" + f"x-amz-checksum-crc32:{trailer}\r\n".encode() + b"\r\n"
        headers = {
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(payload) if decoded_length is None
                                                else decoded_length),
            "x-amz-trailer": "x-amz-checksum-crc32",
            "Content-Length": str(len(body)),
        }
        headers.update(extra_headers or {})
        return self.raw(self.put_head(key, headers) + body)

    # ---------------------------------------------------------------- health, keep-alive

    def test_health_json(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.gw.port, timeout=30)
        conn.request("GET", "/health")
        r = conn.getresponse()
        body = r.read()
        self.assertEqual(r.status, 200)
        self.assertIn("application/json", r.getheader("Content-Type", ""))
        doc = json.loads(body)
        self.assertEqual(doc["status"], "ok")
        self.assertEqual(doc.get("database"), "ok")
        conn.close()

    def test_keep_alive_reuses_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.gw.port, timeout=30)
        conn.request("GET", "/health")
        r1 = conn.getresponse()
        r1.read()
        self.assertEqual(r1.status, 200)
        sock1 = conn.sock
        self.assertIsNotNone(sock1, "server closed a keep-alive connection")
        # A PUT with a body, a GET and a 404 on the same connection.
        conn.request("PUT", f"/{self.bucket}/keepalive", body=b"abc" * 1000)
        r2 = conn.getresponse()
        r2.read()
        self.assertEqual(r2.status, 200)
        conn.request("GET", f"/{self.bucket}/keepalive")
        r3 = conn.getresponse()
        self.assertEqual(r3.read(), b"abc" * 1000)
        conn.request("GET", f"/{self.bucket}/no-such-key")
        r4 = conn.getresponse()
        self.assertIn(b"NoSuchKey", r4.read())
        self.assertEqual(r4.status, 404)
        conn.request("GET", "/health")
        r5 = conn.getresponse()
        r5.read()
        self.assertEqual(r5.status, 200)
        self.assertIs(conn.sock, sock1, "the connection was not reused")
        conn.close()

    def test_pipelined_requests(self):
        # Two requests sent back to back before reading: both answered, in order.
        req = (f"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
               f"GET /{self.bucket}/no-such-key HTTP/1.1\r\nHost: x\r\n\r\n").encode()
        with self.connect() as s:
            s.sendall(req)
            r1, rest = read_response(s)
            r2, _ = read_response(s, rest)
        self.assertEqual(r1.status, 200)
        self.assertEqual(r2.status, 404)

    # ---------------------------------------------------------------- Expect: 100-continue

    def test_expect_continue_curl(self):
        data = random.Random(1).randbytes(3 * 1024 * 1024 + 17)
        path = os.path.join(self.gw.dir, "expect.bin")
        with open(path, "wb") as f:
            f.write(data)
        r = subprocess.run(["curl", "-sS", "-v", "-o", "/dev/null", "-w", "%{http_code}",
                            "-H", "Expect: 100-continue", "-T", path,
                            f"{self.gw.endpoint}/{self.bucket}/curl-expect"],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "200")
        self.assertIn("HTTP/1.1 100 Continue", r.stderr)
        self.assertEqual(self.get_bytes("curl-expect"), data)

    def test_expect_continue_raw_socket(self):
        data = b"0123456789" * 5000
        head = self.put_head("raw-expect", {"Content-Length": len(data),
                                            "Expect": "100-continue"})
        with self.connect() as s:
            s.sendall(head)
            cont, rest = read_response(s, head_only=True)
            self.assertEqual(cont.status, 100, cont)
            self.assertEqual(rest, b"")
            s.sendall(data)
            final, _ = read_response(s, rest)
        self.assertEqual(final.status, 200, final)
        self.assertEqual(final.headers.get("etag"), '"%s"' % hashlib.md5(data).hexdigest())
        self.assertEqual(self.get_bytes("raw-expect"), data)

    def test_expect_continue_empty_body_then_next_request(self):
        # An empty body still gets its 100 Continue: botocore, answered with the final status
        # straight away, misreads the next response on that connection (a PUT of b"" and then
        # of b"x" with one boto3 client stalled until its read timeout).
        with self.connect() as s:
            for key, data in (("empty-expect", b""), ("after-empty", b"x")):
                s.sendall(self.put_head(key, {"Content-Length": len(data),
                                              "Expect": "100-continue"}))
                cont, rest = read_response(s, head_only=True)
                self.assertEqual(cont.status, 100, (key, cont))
                s.sendall(data)
                final, _ = read_response(s, rest)
                self.assertEqual(final.status, 200, (key, final))
        self.assertEqual(self.get_bytes("empty-expect"), b"")
        self.assertEqual(self.get_bytes("after-empty"), b"x")
        s3 = self.gw.client()
        s3.put_object(Bucket=self.bucket, Key="boto-empty", Body=b"")
        s3.put_object(Bucket=self.bucket, Key="boto-one", Body=b"x")
        self.assertEqual(self.get_bytes("boto-one"), b"x")

    def test_expect_continue_missing_bucket_gets_final_status_first(self):
        head = self.put_head("k", {"Content-Length": 1 << 20, "Expect": "100-continue"},
                             bucket="no-such-bucket-here")
        with self.connect() as s:
            s.sendall(head)
            # Send no body: the server must answer without waiting for it.
            s.settimeout(20)
            r, _ = read_response(s)
        self.assertEqual(r.status, 404, r)
        self.assertIn(b"<Code>NoSuchBucket</Code>", r.body)
        self.assertIn(b"<Resource>", r.body)
        self.assertIn("x-amz-request-id", r.headers)

    # ---------------------------------------------------------------- chunked bodies

    def test_transfer_encoding_chunked_curl_stdin(self):
        data = random.Random(2).randbytes(700 * 1024 + 3)
        r = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                            "-H", "Transfer-Encoding: chunked", "-T", "-",
                            f"{self.gw.endpoint}/{self.bucket}/curl-chunked"],
                           input=data, capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"200")
        self.assertEqual(self.get_bytes("curl-chunked"), data)
        head = self.s3.head_object(Bucket=self.bucket, Key="curl-chunked")
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(head["ETag"], '"%s"' % hashlib.md5(data).hexdigest())

    def test_transfer_encoding_chunked_raw(self):
        data = random.Random(3).randbytes(100000)
        body = b""
        pos = 0
        for size in (1, 4095, 65536, 30000, 368):  # uneven chunks, one with an extension
            ext = b";name=value" if size == 4095 else b""
            body += f"{size:x}".encode() + ext + b"\r\n" + data[pos:pos + size] + b"\r\n"
            pos += size
        self.assertEqual(pos, len(data))
        body += b"0\r\n\r\n"
        head = self.put_head("raw-chunked", {"Transfer-Encoding": "chunked"})
        with self.connect() as s:
            s.sendall(head)
            # Dribble the body in small pieces to exercise partial chunk headers.
            for i in range(0, len(body), 7001):
                s.sendall(body[i:i + 7001])
            r, _ = read_response(s)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get_bytes("raw-chunked"), data)

    def test_put_without_length_or_chunking_is_411(self):
        # Without Content-Length or chunked framing the body's end is unknowable: S3 answers
        # MissingContentLength and must not store an empty object.
        head = (f"PUT /{self.bucket}/no-length HTTP/1.1\r\nHost: x\r\n"
                "Connection: close\r\n\r\n").encode()
        r = self.raw(head)
        self.assertEqual(r.status, 411, r)
        self.assertIn(b"<Code>MissingContentLength</Code>", r.body)
        self.assert_absent("no-length")

    def test_response_override_cannot_inject_headers(self):
        self.s3.put_object(Bucket=self.bucket, Key="inject", Body=b"x")
        target = (f"/{self.bucket}/inject?response-content-type=text%2Fplain%0D%0A"
                  "X-Injected:%20yes")
        r = self.raw(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        self.assertEqual(r.status, 400, r)
        self.assertNotIn("x-injected", r.headers)
        self.assertIn(b"<Code>InvalidArgument</Code>", r.body)

    def test_no_content_length_on_204(self):
        # RFC 9110 15.3.5: a 204 carries no Content-Length.
        r = self.raw(f"DELETE /{self.bucket}/nothing-here HTTP/1.1\r\nHost: x\r\n"
                     "Connection: close\r\n\r\n".encode())
        self.assertEqual(r.status, 204, r)
        self.assertNotIn("content-length", r.headers)

    # ---------------------------------------------------------------- aws-chunked bodies

    def test_aws_chunked_unsigned_trailer_stores_payload_only(self):
        payload = random.Random(4).randbytes(200000)
        r = self.aws_chunked_put("aws-chunked", payload, [65536, 65536, 65536, 3392])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("etag"), '"%s"' % hashlib.md5(payload).hexdigest())
        self.assertEqual(r.headers.get("x-amz-checksum-crc32"), crc32_b64(payload))
        self.assertEqual(self.get_bytes("aws-chunked"), payload)
        head = self.s3.head_object(Bucket=self.bucket, Key="aws-chunked", ChecksumMode="ENABLED")
        self.assertEqual(head["ContentLength"], len(payload))
        self.assertEqual(head.get("ChecksumCRC32"), crc32_b64(payload))

    def test_aws_chunked_empty_payload(self):
        r = self.aws_chunked_put("aws-chunked-empty", b"", [])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.get_bytes("aws-chunked-empty"), b"")

    def test_aws_chunked_wrong_trailer_checksum_is_bad_digest(self):
        self.s3.put_object(Bucket=self.bucket, Key="aws-bad-crc", Body=b"original")
        before = self.pg_objects_count()
        payload = b"x" * 10000
        r = self.aws_chunked_put("aws-bad-crc", payload, [10000],
                                 trailer_value=crc32_b64(b"something else"))
        self.assertEqual(r.status, 400, r)
        self.assertIn(b"<Code>BadDigest</Code>", r.body)
        # Nothing changed: the old object is still there, untouched.
        self.assertEqual(self.get_bytes("aws-bad-crc"), b"original")
        self.assertEqual(self.pg_objects_count(), before)
        r = self.aws_chunked_put("aws-bad-crc-new", payload, [10000],
                                 trailer_value=crc32_b64(b"something else"))
        self.assertEqual(r.status, 400, r)
        self.assert_absent("aws-bad-crc-new")

    def test_aws_chunked_wrong_decoded_length(self):
        payload = b"y" * 5000
        for declared in (4999, 5001, 0):
            with self.subTest(declared=declared):
                r = self.aws_chunked_put("aws-bad-len", payload, [5000],
                                         decoded_length=declared)
                self.assertEqual(r.status, 400, r)
                self.assertIn(b"<Code>IncompleteBody</Code>", r.body)
                self.assert_absent("aws-bad-len")

    def test_aws_chunked_signed_payload(self):
        # STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk carries a signature; with
        # authentication off the signatures are parsed but not verified.
        payload = random.Random(5).randbytes(64 * 1024 + 8 * 1024 + 100)
        sizes = [64 * 1024, 8 * 1024, 100]
        body = b""
        pos = 0
        for size in sizes + [0]:
            sig = hashlib.sha256(str(pos).encode()).hexdigest()
            body += f"{size:x};chunk-signature={sig}\r\n".encode()
            body += payload[pos:pos + size] + b"\r\n"
            pos += size
        headers = {
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(payload)),
            "x-amz-date": "20250101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/"
                             "aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                             "x-amz-decoded-content-length, Signature=" + "0" * 64,
            "Content-Length": str(len(body)),
        }
        r = self.raw(self.put_head("aws-signed", headers) + body)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("etag"), '"%s"' % hashlib.md5(payload).hexdigest())
        self.assertEqual(self.get_bytes("aws-signed"), payload)

    def test_aws_chunked_signed_payload_malformed_signature(self):
        body = b"5;chunk-signature=nothex\r\nhello\r\n0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n"
        headers = {
            "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": "5",
            "Content-Length": str(len(body)),
        }
        r = self.raw(self.put_head("aws-signed-bad", headers) + body)
        self.assertEqual(r.status, 400, r)
        self.assert_absent("aws-signed-bad")

    def pg_objects_count(self):
        return int(self.gw.sql("SELECT count(*) FROM objects"))

    # ---------------------------------------------------------------- boto3, the real client

    def test_boto3_put_object_default(self):
        # Over plain http botocore 1.43 sends the body with Content-Length, Expect:
        # 100-continue, a SHA-256 payload hash and x-amz-checksum-crc32 in a header.
        seen = {}

        def capture(request, **_):
            seen.update({k.lower(): (v.decode() if isinstance(v, bytes) else v)
                         for k, v in request.headers.items()})

        self.s3.meta.events.register("before-send.s3.PutObject", capture)
        try:
            for size in (0, 1, 1024 * 1024 + 5):
                with self.subTest(size=size):
                    data = random.Random(size).randbytes(size)
                    r = self.s3.put_object(Bucket=self.bucket, Key=f"boto-{size}", Body=data)
                    self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
                    self.assertEqual(r.get("ChecksumCRC32"), crc32_b64(data))
                    got = self.s3.get_object(Bucket=self.bucket, Key=f"boto-{size}",
                                             ChecksumMode="ENABLED")
                    self.assertEqual(got["Body"].read(), data)
        finally:
            self.s3.meta.events.unregister("before-send.s3.PutObject", capture)
        print(f"\nboto3 put_object over http sends: "
              f"{ {k: v for k, v in seen.items() if k not in ('authorization', 'user-agent')} }")
        self.assertIn("x-amz-checksum-crc32", seen)

    def test_boto3_put_object_aws_chunked_trailer(self):
        # Over https botocore streams put_object as aws-chunked with an unsigned payload and a
        # trailing CRC32 (Transfer-Encoding: chunked, Content-Encoding: aws-chunked,
        # X-Amz-Trailer, X-Amz-Decoded-Content-Length, STREAMING-UNSIGNED-PAYLOAD-TRAILER).
        # Force that path on this http endpoint: the body botocore builds is the same.
        client = self.gw.client()
        seen = {}

        def force_trailer(params, **_):
            algo = params["context"].get("checksum", {}).get("request_algorithm")
            if isinstance(algo, dict):
                algo["in"] = "trailer"

        def capture(request, **_):
            seen.update({k.lower(): (v.decode() if isinstance(v, bytes) else v)
                         for k, v in request.headers.items()})

        client.meta.events.register("before-call.s3.PutObject", force_trailer)
        client.meta.events.register("before-send.s3.PutObject", capture)
        for size in (0, 1, 3 * 1024 * 1024 + 11):
            with self.subTest(size=size):
                data = random.Random(100 + size).randbytes(size)
                r = client.put_object(Bucket=self.bucket, Key=f"boto-trailer-{size}", Body=data)
                self.assertEqual(seen.get("x-amz-content-sha256"),
                                 "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                self.assertEqual(seen.get("content-encoding"), "aws-chunked")
                self.assertEqual(seen.get("x-amz-trailer"), "x-amz-checksum-crc32")
                self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
                self.assertEqual(r.get("ChecksumCRC32"), crc32_b64(data))
                got = client.get_object(Bucket=self.bucket, Key=f"boto-trailer-{size}",
                                        ChecksumMode="ENABLED")
                self.assertEqual(got["Body"].read(), data)
        print(f"\nboto3 put_object over https sends: "
              f"{ {k: v for k, v in seen.items() if k not in ('authorization', 'user-agent')} }")

    def test_boto3_put_object_file_like_and_metadata(self):
        import io
        data = random.Random(6).randbytes(2 * 1024 * 1024 + 1)
        self.s3.put_object(Bucket=self.bucket, Key="boto-file", Body=io.BytesIO(data),
                           ContentType="application/x-test", Metadata={"color": "blue"})
        got = self.s3.get_object(Bucket=self.bucket, Key="boto-file")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "application/x-test")
        self.assertEqual(got["Metadata"], {"color": "blue"})

    # ---------------------------------------------------------------- header limits

    def test_header_section_over_16k_rejected(self):
        req = (f"GET /{self.bucket}/x HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * (17 * 1024)}\r\n"
               "\r\n").encode()
        r = self.raw(req)
        self.assertEqual(r.status, 400, r)
        self.assertIn(b"RequestHeaderSectionTooLarge", r.body)

    def test_header_section_under_limit_accepted(self):
        req = (f"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * (8 * 1024)}\r\n\r\n").encode()
        r = self.raw(req)
        self.assertEqual(r.status, 200, r)

    def test_too_many_header_fields_rejected(self):
        fields = "".join(f"X-H{i}: v\r\n" for i in range(140))
        r = self.raw(f"GET /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        self.assertEqual(r.status, 400, r)
        self.assertIn(b"<Code>", r.body)

    def test_many_header_fields_under_limit_accepted(self):
        fields = "".join(f"X-H{i}: v\r\n" for i in range(100))
        r = self.raw(f"GET /health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        self.assertEqual(r.status, 200, r)

    def test_garbage_request_line(self):
        r = self.raw(b"THIS IS NOT HTTP\r\n\r\n")
        self.assertEqual(r.status, 400, r)

    # ---------------------------------------------------------------- timeouts

    def test_slow_header_client_is_disconnected(self):
        # S3GW_HEADER_TIMEOUT=2: a client trickling its header one byte at a time, never
        # finishing it, must be cut off even though bytes keep arriving.
        start = time.time()
        s = self.connect(self.slow_gw)
        try:
            trickle = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000
            closed = False
            for b in trickle:
                if time.time() - start > 30:
                    break
                try:
                    s.sendall(bytes([b]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                if closed_within(s, 0.2):
                    closed = True
                    break
            elapsed = time.time() - start
        finally:
            s.close()
        self.assertTrue(closed, "a slow client held its connection for 30 s")
        self.assertGreaterEqual(elapsed, 1.0, "closed before the header timeout")
        print(f"\nslow header client cut after {elapsed:.1f}s (timeout 2s)")

    def test_silent_client_is_disconnected(self):
        start = time.time()
        with self.connect(self.slow_gw) as s:
            s.sendall(b"GET /hea")
            self.assertTrue(closed_within(s, 30), "a stalled client held its connection")
        print(f"\nstalled header client cut after {time.time() - start:.1f}s (timeout 2s)")

    def test_idle_keep_alive_connection_is_closed(self):
        with self.connect(self.slow_gw) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            r, rest = read_response(s)
            self.assertEqual(r.status, 200)
            self.assertEqual(rest, b"")
            self.assertNotEqual(r.headers.get("connection", "").lower(), "close")
            start = time.time()
            self.assertTrue(closed_within(s, 30), "an idle connection was kept for 30 s")
            print(f"\nidle keep-alive connection closed after {time.time() - start:.1f}s "
                  f"(timeout 2s)")

    def test_keep_alive_survives_short_pause(self):
        # The default idle timeout is 60 s: a pause of a second must not close the connection.
        with self.connect() as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            r, _ = read_response(s)
            self.assertEqual(r.status, 200)
            time.sleep(1.0)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            r, _ = read_response(s)
            self.assertEqual(r.status, 200)


if __name__ == "__main__":
    unittest.main()
