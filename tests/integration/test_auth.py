"""End to end with ENABLE_S3_AUTHENTICATION=true: authentication (SigV4 in the header and in
presigned URLs, SigV2, every payload mode including aws-chunked bodies with chunk and trailer
signatures) and authorization (bucket ownership, permission patterns, customers as separate
namespaces), driven by real clients: boto3, the aws CLI, curl --aws-sigv4, presigned URLs
fetched with requests and curl, and hand-built aws-chunked bodies whose chunk and trailer
signatures are computed here with hmac/hashlib from the seed signature botocore produced.

Also: compliance events for authentication failures and denials (never a secret or a signature,
neither there nor in the gateway log), last_used_at, access_key_id in /api/operations, and the
1 s invalidation of a deactivated key or changed permissions in a second gateway process that
shares the database.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
import zlib
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import boto3
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster, read_response, requires_tool

TOKEN = "test-admin-token-" + secrets.token_hex(8)
MASTER_KEY = secrets.token_hex(32)
REGION = "fi-hel"
# Debug logging: not even a debug line may hold a secret or a signature.
AUTH_ENV = {"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN,
            "S3GW_MASTER_KEY": MASTER_KEY, "S3GW_LOG_LEVEL": "debug"}
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
FULL = {"s3:*": ["*"]}
OMIT = object()  # create_credential(permissions=OMIT): send no "permissions" (see test_defaults)

# Everything secret this module handed out or sent: none of it may reach a log or an event.
SECRETS = []
SIGNATURES = []

PG = None
GW = None


def setUpModule():
    global PG, GW
    PG = PostgresCluster().start()
    try:
        GW = Gateway(PG, env=AUTH_ENV).start()
    except Exception:
        PG.stop()
        raise


def tearDownModule():
    log = ""
    try:
        if GW:
            GW.stop()
            log = GW.read_log()
            GW.cleanup()
    finally:
        if PG:
            PG.stop()
    assert_clean_log(log, "gateway")


def assert_clean_log(log, name):
    for s in SECRETS:
        assert s not in log, f"a secret access key reached the {name} log"
    for s in SIGNATURES:
        assert s not in log, f"a request signature ({s}) reached the {name} log"
    assert MASTER_KEY not in log.lower(), f"the master key reached the {name} log"


# --- admin API -------------------------------------------------------------------------------

def api(gw, method, path, body=None, token=TOKEN, params=None):
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    data = None if body is None else json.dumps(body)
    if data is not None:
        headers["Content-Type"] = "application/json"
    return requests.request(method, gw.endpoint + path, headers=headers, data=data,
                            params=params, timeout=30)


def create_credential(gw, user_name="user", permissions=FULL, customer_id=None, user_id=None):
    body = {"user_name": user_name, "email": f"{user_name}@example.com"}
    if permissions is not OMIT:
        body["permissions"] = permissions
    if customer_id is not None:
        body["customer_id"] = customer_id
    if user_id is not None:
        body["user_id"] = user_id
    r = api(gw, "POST", "/api/credentials/create", body)
    assert r.status_code == 201, r.text
    cred = r.json()
    SECRETS.append(cred["secret_access_key"])
    return cred


def set_permissions(gw, cred, permissions):
    r = api(gw, "PUT", f"/api/credentials/{cred['access_key_id']}/permissions",
            {"permissions": permissions})
    assert r.status_code == 200, r.text


def events(gw, **params):
    r = api(gw, "GET", "/api/compliance/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()["events"], r.text


def poll(fn, timeout=10.0, interval=0.1):
    """Calls fn until it returns something truthy or `timeout` passes; returns the last value."""
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() >= deadline:
            return v
        time.sleep(interval)


# --- S3 clients ------------------------------------------------------------------------------

def s3_client(gw, cred, region=REGION, s3=None, signature_version="s3v4", **config):
    s3opts = {"addressing_style": "path"}
    s3opts.update(s3 or {})
    cfg = Config(s3=s3opts, retries={"max_attempts": 1}, signature_version=signature_version,
                 **config)
    return boto3.client("s3", endpoint_url=gw.endpoint, region_name=region,
                        aws_access_key_id=cred["access_key_id"],
                        aws_secret_access_key=cred["secret_access_key"], config=cfg)


def capture_headers(client, event="before-send.s3"):
    """Records the headers of every request `client` sends; returns the dict it fills."""
    seen = {}

    def capture(request, **_):
        seen.clear()
        seen.update({k.lower(): (v.decode() if isinstance(v, bytes) else v)
                     for k, v in request.headers.items()})
        m = re.search(r"Signature=([0-9a-f]{64})", seen.get("authorization", ""))
        if m:
            SIGNATURES.append(m.group(1))

    client.meta.events.register(event, capture)
    return seen


def sign_headers(cred, method, url, headers=None, payload_hash=EMPTY_SHA256, region=REGION,
                 when=None):
    """SigV4 header authentication computed by botocore (every given header is signed, plus
    host, x-amz-date and x-amz-content-sha256 = payload_hash). `when` signs at another time."""
    headers = dict(headers or {})
    headers["X-Amz-Content-SHA256"] = payload_hash
    req = AWSRequest(method=method, url=url, headers=headers)
    signer = SigV4Auth(Credentials(cred["access_key_id"], cred["secret_access_key"]), "s3",
                       region)
    if when is None:
        signer.add_auth(req)
    else:
        with mock.patch("botocore.auth.get_current_datetime", lambda *a, **k: when):
            signer.add_auth(req)
    out = dict(req.headers.items())
    sig = signature_of(out)
    if sig:
        SIGNATURES.append(sig)
    return out


def signature_of(headers):
    m = re.search(r"Signature=([0-9a-f]{64})", headers.get("Authorization", ""))
    return m.group(1) if m else None


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def send_raw(gw, method, path, headers, body=b""):
    """One request with exactly these headers and body bytes, on its own connection."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{gw.port}"]
    lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() not in ("host",
                                                                            "content-length")]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    with socket.create_connection(("127.0.0.1", gw.port), timeout=30) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the gateway may answer (and close) before it has read everything
        resp, _ = read_response(s)
        return resp


def xml_fields(body):
    root = ET.fromstring(body)
    return {el.tag.split("}")[-1]: el.text for el in root}


def flip_char(s, pos=0):
    """`s` with the character at `pos` changed (to another of its class where it has one)."""
    c = s[pos]
    if c.isdigit():
        n = "1" if c != "1" else "2"
    elif c.islower():
        n = "a" if c != "a" else "b"
    elif c.isupper():
        n = "A" if c != "A" else "B"
    else:
        n = "b"
    return s[:pos] + n + s[pos + 1:]


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def hmac_sha256(key, msg):
    return hmac.new(key, msg.encode() if isinstance(msg, str) else msg, hashlib.sha256).digest()


def signing_key(secret, date, region=REGION):
    k = hmac_sha256(("AWS4" + secret).encode(), date)
    k = hmac_sha256(k, region)
    k = hmac_sha256(k, "s3")
    return hmac_sha256(k, "aws4_request")


def streaming_put(gw, cred, bucket, key, payload, trailer=False, tamper=None, at=1,
                  chunk=64 * 1024):
    """PUT with STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: botocore signs the headers,
    the chunk signatures are chained here from its seed signature. `tamper`: "data" or
    "signature" of chunk number `at` (-1: the final, empty chunk), "trailer-signature",
    "trailer-value"."""
    mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if trailer else "")
    headers = {"Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(payload))}
    if trailer:
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    headers = sign_headers(cred, "PUT", f"{gw.endpoint}/{bucket}/{key}", headers,
                           payload_hash=mode)
    amz_date = headers["X-Amz-Date"]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    k = signing_key(cred["secret_access_key"], amz_date[:8])
    previous = signature_of(headers)
    pieces = [payload[i:i + chunk] for i in range(0, len(payload), chunk)] + [b""]
    at = at % len(pieces)
    body = b""
    for n, piece in enumerate(pieces):
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous,
                         EMPTY_SHA256, hashlib.sha256(piece).hexdigest()])
        previous = sig = hmac_sha256(k, sts).hex()
        SIGNATURES.append(sig)
        if n == at and tamper == "data":
            piece = piece[:100] + bytes([piece[100] ^ 1]) + piece[101:]
        if n == at and tamper == "signature":
            sig = flip_char(sig, 10)
        body += f"{len(piece):x};chunk-signature={sig}\r\n".encode()
        if piece:
            body += piece + b"\r\n"
    if not trailer:
        body += b"\r\n"
    else:
        crc = crc32_b64(payload)
        sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, scope, previous,
                         hashlib.sha256(f"x-amz-checksum-crc32:{crc}\n".encode()).hexdigest()])
        tsig = hmac_sha256(k, sts).hex()
        SIGNATURES.append(tsig)
        if tamper == "trailer-signature":
            tsig = flip_char(tsig, 3)
        if tamper == "trailer-value":
            crc = crc32_b64(payload + b"!")
        body += f"x-amz-checksum-crc32:{crc}\r\nx-amz-trailer-signature:{tsig}\r\n\r\n".encode()
    return send_raw(gw, "PUT", f"/{bucket}/{key}", headers, body)


class S3TestCase(unittest.TestCase):
    gw = None

    def assertS3Error(self, fn, status, code, *args, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        resp = cm.exception.response
        self.assertEqual((resp["ResponseMetadata"]["HTTPStatusCode"], resp["Error"]["Code"]),
                         (status, code), resp.get("Error"))
        return resp

    def assertXmlError(self, r, status, code):
        """r: a requests.Response or a harness RawResponse."""
        got_status = getattr(r, "status_code", None) or r.status
        body = r.content if hasattr(r, "content") else r.body
        self.assertEqual(got_status, status, body[:600])
        fields = xml_fields(body)
        self.assertEqual(fields.get("Code"), code, body[:600])
        return fields

    def assertAbsent(self, client, bucket, key):
        with self.assertRaises(ClientError) as cm:
            client.head_object(Bucket=bucket, Key=key)
        self.assertEqual(cm.exception.response["Error"]["Code"], "404")
        listed = client.list_objects_v2(Bucket=bucket, Prefix=key)
        self.assertEqual([o["Key"] for o in listed.get("Contents", [])], [])


# =============================================================================================
class AuthenticationTest(S3TestCase):
    """Who is asking: signatures, regions, times, presigned URLs, payload modes."""

    @classmethod
    def setUpClass(cls):
        cls.gw = GW
        cls.cred = create_credential(cls.gw, "authn-owner")
        cls.s3 = s3_client(cls.gw, cls.cred)
        cls.bucket = "authn"
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.s3.put_object(Bucket=cls.bucket, Key="hello.txt", Body=b"hello, authenticated world")
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-auth-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def url(self, key, bucket=None):
        return f"{self.gw.endpoint}/{bucket or self.bucket}/{key}"

    # ---------------------------------------------------------------- boto3, regions

    def test_boto3_round_trip_in_own_region_and_us_east_1(self):
        for region in (REGION, "us-east-1"):
            with self.subTest(region=region):
                c = s3_client(self.gw, self.cred, region=region)
                seen = capture_headers(c)
                body = os.urandom(100_000)
                key = f"boto3-{region}"
                r = c.put_object(Bucket=self.bucket, Key=key, Body=body)
                self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
                self.assertIn(f"/{region}/s3/aws4_request", seen["authorization"])
                self.assertEqual(c.get_object(Bucket=self.bucket, Key=key)["Body"].read(), body)
                keys = [o["Key"] for o in
                        c.list_objects_v2(Bucket=self.bucket, Prefix="boto3-")["Contents"]]
                self.assertIn(key, keys)
                self.assertIn(self.bucket, [b["Name"] for b in c.list_buckets()["Buckets"]])
                c.delete_object(Bucket=self.bucket, Key=key)
                self.assertAbsent(c, self.bucket, key)

    def test_other_region_is_authorization_header_malformed(self):
        for region in ("eu-west-1", "de-fra"):
            with self.subTest(region=region):
                url = self.url("hello.txt")
                r = requests.get(url, headers=sign_headers(self.cred, "GET", url, region=region),
                                 timeout=30)
                fields = self.assertXmlError(r, 400, "AuthorizationHeaderMalformed")
                self.assertEqual(fields.get("Region"), REGION, r.text)

    def test_presigned_in_other_region_is_refused(self):
        c = s3_client(self.gw, self.cred, region="eu-west-1")
        url = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                             "Key": "hello.txt"})
        r = requests.get(url, timeout=30)
        fields = self.assertXmlError(r, 400, "AuthorizationQueryParametersError")
        self.assertEqual(fields.get("Region"), REGION, r.text)

    # ---------------------------------------------------------------- refusals

    def test_unknown_access_key(self):
        for akid in ("S3GFHAAAAAAAAAAAAAAA", "AKIAIOSFODNN7EXAMPLE"):
            with self.subTest(akid=akid):
                c = s3_client(self.gw, {"access_key_id": akid,
                                        "secret_access_key": "x" * 40})
                self.assertS3Error(c.list_buckets, 403, "InvalidAccessKeyId")
                self.assertS3Error(c.get_object, 403, "InvalidAccessKeyId",
                                   Bucket=self.bucket, Key="hello.txt")

    def test_wrong_secret(self):
        wrong = dict(self.cred, secret_access_key=flip_char(self.cred["secret_access_key"]))
        c = s3_client(self.gw, wrong)
        capture_headers(c)
        self.assertS3Error(c.get_object, 403, "SignatureDoesNotMatch", Bucket=self.bucket,
                           Key="hello.txt")
        self.assertS3Error(c.put_object, 403, "SignatureDoesNotMatch", Bucket=self.bucket,
                           Key="wrong-secret", Body=b"x")
        self.assertAbsent(self.s3, self.bucket, "wrong-secret")

    def test_deactivated_key(self):
        cred = create_credential(self.gw, "to-deactivate")
        c = s3_client(self.gw, cred)
        c.list_buckets()
        self.assertEqual(api(self.gw, "DELETE",
                             f"/api/credentials/{cred['access_key_id']}").status_code, 204)
        r = poll(lambda: self._code(c.list_buckets) == "InvalidAccessKeyId", timeout=3)
        self.assertTrue(r, "a deactivated key still works after 3 s")
        self.assertS3Error(c.list_buckets, 403, "InvalidAccessKeyId")

    @staticmethod
    def _code(fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
            return None
        except ClientError as e:
            return e.response["Error"]["Code"]

    def test_anonymous_requests_are_access_denied(self):
        for method, path in (("GET", "/"), ("GET", f"/{self.bucket}"),
                             ("GET", f"/{self.bucket}/hello.txt"),
                             ("PUT", f"/{self.bucket}/anonymous"), ("PUT", "/anon-bucket"),
                             ("DELETE", f"/{self.bucket}/hello.txt")):
            with self.subTest(method=method, path=path):
                r = requests.request(method, self.gw.endpoint + path, data=b"x" if
                                     method == "PUT" else None, timeout=30)
                self.assertXmlError(r, 403, "AccessDenied")
        # Nothing happened: the X-Customer-ID header does not make a request anonymous-ok.
        r = requests.get(self.url("hello.txt"), headers={"X-Customer-ID": "default"},
                         timeout=30)
        self.assertXmlError(r, 403, "AccessDenied")
        self.assertAbsent(self.s3, self.bucket, "anonymous")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="hello.txt")["Body"].read(),
                         b"hello, authenticated world")
        self.assertNotIn("anon-bucket", [b["Name"] for b in self.s3.list_buckets()["Buckets"]])

    def test_request_time_too_skewed(self):
        for minutes in (20, -20):
            with self.subTest(minutes=minutes):
                when = utcnow() + datetime.timedelta(minutes=minutes)
                url = self.url("hello.txt")
                r = requests.get(url, headers=sign_headers(self.cred, "GET", url, when=when),
                                 timeout=30)
                self.assertXmlError(r, 403, "RequestTimeTooSkewed")
        # boto3 itself, signing 20 minutes in the past.
        with mock.patch("botocore.auth.get_current_datetime",
                        lambda *a, **k: utcnow() - datetime.timedelta(minutes=20)):
            self.assertS3Error(self.s3.list_buckets, 403, "RequestTimeTooSkewed")
        # Within the 15 minutes S3 allows: fine.
        url = self.url("hello.txt")
        r = requests.get(url, headers=sign_headers(
            self.cred, "GET", url, when=utcnow() - datetime.timedelta(minutes=10)), timeout=30)
        self.assertEqual(r.status_code, 200, r.text)

    def test_sigv4a_is_not_implemented(self):
        amz_date = utcnow().strftime("%Y%m%dT%H%M%SZ")
        headers = {
            "x-amz-date": amz_date,
            "x-amz-content-sha256": EMPTY_SHA256,
            "x-amz-region-set": "*",
            "Authorization": f"AWS4-ECDSA-P256-SHA256 Credential={self.cred['access_key_id']}/"
                             f"{amz_date[:8]}/s3/aws4_request, SignedHeaders=host;"
                             "x-amz-content-sha256;x-amz-date;x-amz-region-set, "
                             "Signature=3045022100" + "ab" * 32 + "022041" + "cd" * 31,
        }
        r = requests.get(self.url("hello.txt"), headers=headers, timeout=30)
        self.assertXmlError(r, 501, "NotImplemented")

    # ---------------------------------------------------------------- other real clients

    def aws_env(self, cred, region=REGION):
        config = os.path.join(self.tmp, "config")
        with open(config, "w") as f:
            f.write(f"[default]\nregion = {region}\ns3 =\n    addressing_style = path\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": cred["access_key_id"],
                    "AWS_SECRET_ACCESS_KEY": cred["secret_access_key"],
                    "AWS_DEFAULT_REGION": region, "AWS_CONFIG_FILE": config,
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.tmp, "no-credentials"),
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "HOME": self.tmp})
        return env

    def aws(self, env, *args, check=True):
        r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint] + list(args), env=env,
                           capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(r.returncode, 0, f"aws {' '.join(args)}:\n{r.stdout}\n{r.stderr}")
        return r

    @requires_tool("aws")
    def test_aws_cli_cp_and_ls(self):
        env = self.aws_env(self.cred)
        src = os.path.join(self.tmp, "cli-src")
        with open(src, "wb") as f:
            f.write(os.urandom(300_000))
        self.aws(env, "s3", "cp", src, f"s3://{self.bucket}/cli/object.bin")
        out = self.aws(env, "s3", "ls", f"s3://{self.bucket}/cli/").stdout
        self.assertIn("object.bin", out)
        self.assertIn(self.bucket, self.aws(env, "s3", "ls").stdout)
        dst = os.path.join(self.tmp, "cli-dst")
        self.aws(env, "s3", "cp", f"s3://{self.bucket}/cli/object.bin", dst)
        with open(dst, "rb") as a, open(src, "rb") as b:
            self.assertEqual(a.read(), b.read())
        # A wrong secret: the CLI fails and names the error.
        bad = dict(env, AWS_SECRET_ACCESS_KEY=flip_char(self.cred["secret_access_key"]))
        r = self.aws(bad, "s3", "ls", f"s3://{self.bucket}/", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", r.stderr)

    @requires_tool("aws")
    def test_aws_cli_presign_us_east_1(self):
        env = self.aws_env(self.cred, region="us-east-1")
        url = self.aws(env, "s3", "presign", f"s3://{self.bucket}/hello.txt", "--expires-in",
                       "300", "--region", "us-east-1").stdout.strip()
        r = subprocess.run(["curl", "-sS", "-w", "\n%{http_code}", url], capture_output=True,
                           timeout=60)
        body, _, code = r.stdout.rpartition(b"\n")
        self.assertEqual(code, b"200", r.stdout)
        self.assertEqual(body, b"hello, authenticated world")

    def curl(self, *args, cred=None, region=REGION):
        cred = cred or self.cred
        r = subprocess.run(["curl", "-sS", "--aws-sigv4", f"aws:amz:{region}:s3", "--user",
                            f"{cred['access_key_id']}:{cred['secret_access_key']}",
                            "-w", "\n%{http_code}"] + list(args),
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        body, _, code = r.stdout.rpartition(b"\n")
        return int(code), body

    def test_curl_aws_sigv4(self):
        code, body = self.curl(self.url("hello.txt"))
        self.assertEqual((code, body), (200, b"hello, authenticated world"))
        # curl before 8.x sends no x-amz-content-sha256 (S3 requires it on every SigV4 request):
        # uploads name the payload hash themselves. With the body in memory (--data-binary) and
        # from a file (-T, unsigned payload).
        sha = hashlib.sha256(b"curl data").hexdigest()
        code, body = self.curl("-X", "PUT", "--data-binary", "curl data",
                               "-H", f"x-amz-content-sha256: {sha}", self.url("curl-put"))
        self.assertEqual(code, 200, body)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="curl-put")["Body"].read(),
                         b"curl data")
        src = os.path.join(self.tmp, "curl-src")
        data = os.urandom(70_000)
        with open(src, "wb") as f:
            f.write(data)
        code, body = self.curl("-T", src, "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                               self.url("curl-upload"))
        self.assertEqual(code, 200, body)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="curl-upload")["Body"].read(),
                         data)
        # Without the header a body cannot be verified: refused (S3 says 400 InvalidRequest;
        # any 4xx will do), nothing stored.
        for args, key in ((["-X", "PUT", "--data-binary", "curl data"], "curl-no-sha-1"),
                          (["-T", src], "curl-no-sha-2")):
            code, body = self.curl(*args, self.url(key))
            self.assertIn(code, (400, 403), body)
            self.assertAbsent(self.s3, self.bucket, key)
        code, body = self.curl(f"{self.gw.endpoint}/{self.bucket}?list-type=2&prefix=curl-")
        self.assertEqual(code, 200, body)
        self.assertIn(b"<Key>curl-upload</Key>", body)
        # us-east-1 is accepted too; a wrong secret is not.
        self.assertEqual(self.curl(self.url("hello.txt"), region="us-east-1")[0], 200)
        wrong = dict(self.cred, secret_access_key=flip_char(self.cred["secret_access_key"]))
        code, body = self.curl(self.url("hello.txt"), cred=wrong)
        self.assertEqual(code, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)

    def test_sigv2_header_client(self):
        c = s3_client(self.gw, self.cred, signature_version="s3")
        seen = capture_headers(c)
        c.put_object(Bucket=self.bucket, Key="sigv2-header", Body=b"signed the old way")
        self.assertTrue(seen["authorization"].startswith("AWS "), seen["authorization"])
        self.assertEqual(c.get_object(Bucket=self.bucket, Key="sigv2-header")["Body"].read(),
                         b"signed the old way")
        wrong = dict(self.cred, secret_access_key=flip_char(self.cred["secret_access_key"]))
        self.assertS3Error(s3_client(self.gw, wrong, signature_version="s3").get_object, 403,
                           "SignatureDoesNotMatch", Bucket=self.bucket, Key="sigv2-header")

    # ---------------------------------------------------------------- presigned URLs

    def presigner(self, version):
        return s3_client(self.gw, self.cred, signature_version=version)

    def test_presigned_get_and_put(self):
        for version in ("s3v4", "s3"):
            with self.subTest(version=version):
                c = self.presigner(version)
                key = f"presigned-{version}"
                data = os.urandom(50_000)
                put = c.generate_presigned_url("put_object", Params={"Bucket": self.bucket,
                                                                     "Key": key}, ExpiresIn=300)
                self.assertIn("X-Amz-Signature=" if version == "s3v4" else "Signature=", put)
                r = requests.put(put, data=data, timeout=30)
                self.assertEqual(r.status_code, 200, r.text)
                get = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                     "Key": key}, ExpiresIn=300)
                r = requests.get(get, timeout=30)
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(r.content, data)
                # curl fetches the same URL.
                out = subprocess.run(["curl", "-sS", "-f", get], capture_output=True, timeout=60)
                self.assertEqual(out.stdout, data, out.stderr)

    def altered(self, url, what):
        p = urlsplit(url)
        if what == "path":
            return urlunsplit(p._replace(path=p.path[:-1] + ("x" if p.path[-1] != "x" else "y")))
        q = parse_qsl(p.query, keep_blank_values=True)
        name = "X-Amz-Signature" if any(k == "X-Amz-Signature" for k, _ in q) else "Signature"
        q = [(k, flip_char(v, 5) if k == name else v) for k, v in q]
        return urlunsplit(p._replace(query=urlencode(q)))

    def test_presigned_altered_url_is_signature_does_not_match(self):
        for version in ("s3v4", "s3"):
            c = self.presigner(version)
            for method in ("get_object", "put_object"):
                url = c.generate_presigned_url(method, Params={"Bucket": self.bucket,
                                                               "Key": "hello.txt"},
                                               ExpiresIn=300)
                for what in ("signature", "path"):
                    with self.subTest(version=version, method=method, what=what):
                        bad = self.altered(url, what)
                        self.assertNotEqual(bad, url)
                        if method == "get_object":
                            r = requests.get(bad, timeout=30)
                        else:
                            r = requests.put(bad, data=b"overwritten?", timeout=30)
                        self.assertXmlError(r, 403, "SignatureDoesNotMatch")
        # A URL presigned for GET does not allow a PUT (nor the other way round).
        for version in ("s3v4", "s3"):
            c = self.presigner(version)
            get = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                 "Key": "hello.txt"})
            self.assertXmlError(requests.put(get, data=b"overwritten?", timeout=30), 403,
                                "SignatureDoesNotMatch")
            put = c.generate_presigned_url("put_object", Params={"Bucket": self.bucket,
                                                                 "Key": "hello.txt"})
            self.assertXmlError(requests.get(put, timeout=30), 403, "SignatureDoesNotMatch")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="hello.txt")["Body"].read(),
                         b"hello, authenticated world")
        self.assertAbsent(self.s3, self.bucket, "hello.txx")

    def test_presigned_expired(self):
        params = {"Bucket": self.bucket, "Key": "hello.txt"}
        # SigV4: signed an hour ago, valid for a minute.
        with mock.patch("botocore.auth.get_current_datetime",
                        lambda *a, **k: utcnow() - datetime.timedelta(hours=1)):
            v4 = self.presigner("s3v4").generate_presigned_url("get_object", Params=params,
                                                               ExpiresIn=60)
        # SigV2: Expires a minute ago.
        v2 = self.presigner("s3").generate_presigned_url("get_object", Params=params,
                                                         ExpiresIn=-60)
        for name, url in (("v4", v4), ("v2", v2)):
            with self.subTest(version=name):
                r = requests.get(url, timeout=30)
                fields = self.assertXmlError(r, 403, "AccessDenied")
                self.assertEqual(fields.get("Message"), "Request has expired", r.text)

    def test_presigned_expires_out_of_range(self):
        c = self.presigner("s3v4")
        for expires in (0, 604801):
            with self.subTest(expires=expires):
                url = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                     "Key": "hello.txt"},
                                               ExpiresIn=expires)
                self.assertIn(f"X-Amz-Expires={expires}&", url)
                self.assertXmlError(requests.get(url, timeout=30), 400,
                                    "AuthorizationQueryParametersError")
        # The bounds themselves are fine.
        for expires in (60, 604800):
            url = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                 "Key": "hello.txt"},
                                           ExpiresIn=expires)
            self.assertEqual(requests.get(url, timeout=30).status_code, 200)

    def test_presigned_head_and_response_overrides(self):
        c = self.presigner("s3v4")
        head = c.generate_presigned_url("head_object", Params={"Bucket": self.bucket,
                                                               "Key": "hello.txt"})
        r = requests.head(head, timeout=30)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Length"], "26")
        # Signed query parameters with characters that need encoding.
        disposition = 'attachment; filename="a b+c.txt"'
        for version in ("s3v4", "s3"):
            url = self.presigner(version).generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": "hello.txt",
                                      "ResponseContentDisposition": disposition,
                                      "ResponseContentType": "text/plain; charset=utf-8"})
            r = requests.get(url, timeout=30)
            self.assertEqual(r.status_code, 200, (version, r.text))
            self.assertEqual(r.headers.get("Content-Disposition"), disposition)
            self.assertEqual(r.headers.get("Content-Type"), "text/plain; charset=utf-8")

    def test_presigned_unknown_or_deactivated_key(self):
        cred = create_credential(self.gw, "presigner", customer_id=self.cred["customer_id"])
        params = {"Bucket": self.bucket, "Key": "hello.txt"}
        urls = {v: s3_client(self.gw, cred, signature_version=v).generate_presigned_url(
            "get_object", Params=params) for v in ("s3v4", "s3")}
        for v, url in urls.items():
            self.assertEqual(requests.get(url, timeout=30).status_code, 200, v)
        r = api(self.gw, "DELETE", f"/api/credentials/{cred['access_key_id']}")
        self.assertEqual(r.status_code, 204)
        for v, url in urls.items():
            with self.subTest(version=v):
                refused = poll(lambda: requests.get(url, timeout=30).status_code == 403,
                               timeout=3)
                self.assertTrue(refused, "a URL presigned by a deactivated key still works")
                self.assertXmlError(requests.get(url, timeout=30), 403, "InvalidAccessKeyId")
        unknown = {"access_key_id": "S3GFHYYYYYYYYYYYYYYY", "secret_access_key": "u" * 40}
        for v in ("s3v4", "s3"):
            url = s3_client(self.gw, unknown, signature_version=v).generate_presigned_url(
                "get_object", Params=params)
            self.assertXmlError(requests.get(url, timeout=30), 403, "InvalidAccessKeyId")

    # Keys and query strings with characters that need encoding: what the client signs is
    # what the gateway must reconstruct.
    ODD_KEYS = ["with space/ä ö.txt", "plus+and=equals&amp", "percent%25literal%",
                "tilde~star*(paren)!'quote", "semi;colon,comma:colon@at$dollar",
                "unicode/日本語/ключ", "a//double//slash", "trailing/", "caret^pipe|brace{}"]

    def test_odd_keys_round_trip(self):
        clients = {"s3v4": self.s3, "s3": s3_client(self.gw, self.cred, signature_version="s3")}
        for version, c in clients.items():
            for key in self.ODD_KEYS:
                with self.subTest(version=version, key=key):
                    full = f"odd-{version}/{key}"
                    data = f"{version}:{key}".encode()
                    c.put_object(Bucket=self.bucket, Key=full, Body=data)
                    self.assertEqual(c.get_object(Bucket=self.bucket, Key=full)["Body"].read(),
                                     data)
                    c.head_object(Bucket=self.bucket, Key=full)
                    url = c.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                         "Key": full})
                    r = requests.get(url, timeout=30)
                    self.assertEqual((r.status_code, r.content), (200, data), r.text)

    def test_odd_list_queries(self):
        for key in self.ODD_KEYS:
            self.s3.put_object(Bucket=self.bucket, Key=f"odd-list/{key}", Body=b"x")
        # One key a page: every continuation token is signed back to the gateway.
        seen, token = [], None
        while True:
            kw = {"ContinuationToken": token} if token else {}
            page = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="odd-list/", MaxKeys=1,
                                           **kw)
            seen += [o["Key"] for o in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                break
            token = page["NextContinuationToken"]
        self.assertEqual(sorted(seen), sorted(f"odd-list/{k}" for k in self.ODD_KEYS))
        page = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="odd-list/with space/",
                                       Delimiter="/")
        self.assertEqual([o["Key"] for o in page["Contents"]], ["odd-list/with space/ä ö.txt"])
        page = self.s3.list_objects(Bucket=self.bucket, Prefix="odd-list/unicode/",
                                    Delimiter="/", Marker="odd-list/unicode/")
        self.assertEqual([p["Prefix"] for p in page["CommonPrefixes"]],
                         ["odd-list/unicode/日本語/"])

    def test_signed_headers_metadata_and_range(self):
        c = s3_client(self.gw, self.cred)
        seen = capture_headers(c)
        c.put_object(Bucket=self.bucket, Key="with-meta", Body=b"0123456789",
                     ContentType="text/plain; charset=utf-8",
                     Metadata={"note": "  two   spaces  ", "other": "x"})
        self.assertIn("x-amz-meta-note", seen["authorization"])
        got = c.get_object(Bucket=self.bucket, Key="with-meta", Range="bytes=2-5")
        self.assertIn("range", seen["authorization"])
        self.assertEqual(got["Body"].read(), b"2345")
        self.assertEqual(got["ContentType"], "text/plain; charset=utf-8")

    def test_s3_path_prefix(self):
        # The /s3 prefix is part of the path the client signs.
        c = boto3.client("s3", endpoint_url=self.gw.endpoint + "/s3", region_name=REGION,
                         aws_access_key_id=self.cred["access_key_id"],
                         aws_secret_access_key=self.cred["secret_access_key"],
                         config=Config(s3={"addressing_style": "path"},
                                       retries={"max_attempts": 1}, signature_version="s3v4"))
        seen = capture_headers(c)
        c.put_object(Bucket=self.bucket, Key="via-prefix", Body=b"prefixed")
        self.assertEqual(c.get_object(Bucket=self.bucket, Key="via-prefix")["Body"].read(),
                         b"prefixed")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="via-prefix")["Body"].read(),
                         b"prefixed")
        self.assertEqual([o["Key"] for o in c.list_objects_v2(
            Bucket=self.bucket, Prefix="via-prefix")["Contents"]], ["via-prefix"])
        self.assertTrue(seen["authorization"].startswith("AWS4-HMAC-SHA256 "))
        # (ListBuckets through the prefix is left out: boto3 sends "GET /s3", which the gateway
        # answers with 400 InvalidArgument whether authentication is on or off.)

    # ---------------------------------------------------------------- payload modes

    def test_signed_sha256_payload(self):
        c = s3_client(self.gw, self.cred)
        seen = capture_headers(c)
        data = os.urandom(200_000)
        c.put_object(Bucket=self.bucket, Key="payload-sha256", Body=data)
        self.assertEqual(seen["x-amz-content-sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(c.get_object(Bucket=self.bucket, Key="payload-sha256")["Body"].read(),
                         data)

    def test_unsigned_payload(self):
        c = s3_client(self.gw, self.cred, s3={"payload_signing_enabled": False})
        seen = capture_headers(c)
        data = os.urandom(200_000)
        c.put_object(Bucket=self.bucket, Key="payload-unsigned", Body=data)
        self.assertEqual(seen["x-amz-content-sha256"], "UNSIGNED-PAYLOAD")
        self.assertEqual(c.get_object(Bucket=self.bucket, Key="payload-unsigned")["Body"].read(),
                         data)

    def test_sha256_mismatch_stores_nothing(self):
        url = self.url("payload-mismatch")
        body = b"the body that was sent"
        headers = sign_headers(self.cred, "PUT", url,
                               payload_hash=hashlib.sha256(b"the body that was signed").hexdigest())
        r = send_raw(self.gw, "PUT", f"/{self.bucket}/payload-mismatch", headers, body)
        self.assertXmlError(r, 400, "XAmzContentSHA256Mismatch")
        self.assertAbsent(self.s3, self.bucket, "payload-mismatch")
        # The same request with the right hash is stored.
        headers = sign_headers(self.cred, "PUT", url, payload_hash=hashlib.sha256(body).hexdigest())
        r = send_raw(self.gw, "PUT", f"/{self.bucket}/payload-mismatch", headers, body)
        self.assertEqual(r.status, 200, r)

    def streaming_put(self, key, payload, **kw):
        return streaming_put(self.gw, self.cred, self.bucket, key, payload, **kw)

    def test_streaming_signed_payload(self):
        payload = os.urandom(3 * 64 * 1024 + 1234)
        r = self.streaming_put("stream-signed", payload)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("etag"), '"%s"' % hashlib.md5(payload).hexdigest())
        self.assertEqual(self.s3.get_object(Bucket=self.bucket,
                                            Key="stream-signed")["Body"].read(), payload)
        # An empty body: just the final chunk.
        r = self.streaming_put("stream-signed-empty", b"")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket,
                                            Key="stream-signed-empty")["Body"].read(), b"")

    def assertNoLeftoverBlobs(self, before):
        """No blob or temporary file of a refused upload stays behind (cleanup may lag)."""
        left = poll(lambda: len(self.gw.blob_files()) <= before, timeout=5)
        self.assertTrue(left, f"{len(self.gw.blob_files()) - before} files left behind")

    def test_streaming_signed_payload_tampered(self):
        payload = os.urandom(3 * 64 * 1024 + 1234)  # chunks 0-3 with data, 4 the final one
        blobs = len(self.gw.blob_files())
        for tamper, at in (("data", 1), ("data", 3), ("signature", 0), ("signature", 2),
                           ("signature", -1)):
            with self.subTest(tamper=tamper, at=at):
                key = f"stream-signed-tampered-{tamper}-{at}"
                r = self.streaming_put(key, payload, tamper=tamper, at=at)
                self.assertXmlError(r, 403, "SignatureDoesNotMatch")
                self.assertAbsent(self.s3, self.bucket, key)
        self.assertNoLeftoverBlobs(blobs)

    def test_refused_uploads_leave_the_old_object(self):
        key = "overwrite-target"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"original")
        blobs = len(self.gw.blob_files())
        payload = os.urandom(200_000)
        for trailer, tamper in ((False, "data"), (True, "trailer-signature")):
            r = self.streaming_put(key, payload, trailer=trailer, tamper=tamper)
            self.assertXmlError(r, 403, "SignatureDoesNotMatch")
        url = self.url(key)
        r = send_raw(self.gw, "PUT", f"/{self.bucket}/{key}",
                     sign_headers(self.cred, "PUT", url, payload_hash=EMPTY_SHA256), payload)
        self.assertXmlError(r, 400, "XAmzContentSHA256Mismatch")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                         b"original")
        self.assertNoLeftoverBlobs(blobs)

    def test_streaming_signed_payload_with_trailer(self):
        payload = os.urandom(2 * 64 * 1024 + 77)
        r = self.streaming_put("stream-trailer", payload, trailer=True)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("x-amz-checksum-crc32"), crc32_b64(payload))
        got = self.s3.get_object(Bucket=self.bucket, Key="stream-trailer", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), payload)
        self.assertEqual(got.get("ChecksumCRC32"), crc32_b64(payload))

    def test_streaming_signed_payload_with_trailer_tampered(self):
        payload = os.urandom(2 * 64 * 1024 + 77)
        blobs = len(self.gw.blob_files())
        for tamper, at in (("data", 1), ("signature", 2), ("signature", -1),
                           ("trailer-signature", None), ("trailer-value", None)):
            with self.subTest(tamper=tamper, at=at):
                key = f"stream-trailer-tampered-{tamper}-{at}"
                r = self.streaming_put(key, payload, trailer=True, tamper=tamper, at=at or 0)
                self.assertXmlError(r, 403, "SignatureDoesNotMatch")
                self.assertAbsent(self.s3, self.bucket, key)
        self.assertNoLeftoverBlobs(blobs)

    def test_streaming_unsigned_payload_trailer_boto3(self):
        # What boto3 sends by default over https; forced here on http.
        c = s3_client(self.gw, self.cred)
        seen = capture_headers(c)

        def force_trailer(params, **_):
            algo = params["context"].get("checksum", {}).get("request_algorithm")
            if isinstance(algo, dict):
                algo["in"] = "trailer"

        c.meta.events.register("before-call.s3.PutObject", force_trailer)
        data = os.urandom(300_000)
        r = c.put_object(Bucket=self.bucket, Key="stream-unsigned-trailer", Body=data)
        self.assertEqual(seen["x-amz-content-sha256"], "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        self.assertEqual(seen.get("content-encoding"), "aws-chunked")
        self.assertEqual(r.get("ChecksumCRC32"), crc32_b64(data))
        self.assertEqual(self.s3.get_object(Bucket=self.bucket,
                                            Key="stream-unsigned-trailer")["Body"].read(), data)

    def test_streaming_unsigned_payload_trailer_bad_checksum(self):
        payload = os.urandom(100_000)
        body = f"{len(payload):x}\r\n".encode() + payload + b"\r\n"
        body += f"0\r\nx-amz-checksum-crc32:{crc32_b64(payload + b'!')}\r\n\r\n".encode()
        key = "stream-unsigned-bad-crc"
        headers = sign_headers(self.cred, "PUT", self.url(key),
                               {"Content-Encoding": "aws-chunked",
                                "x-amz-decoded-content-length": str(len(payload)),
                                "x-amz-trailer": "x-amz-checksum-crc32"},
                               payload_hash="STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        r = send_raw(self.gw, "PUT", f"/{self.bucket}/{key}", headers, body)
        self.assertXmlError(r, 400, "BadDigest")
        self.assertAbsent(self.s3, self.bucket, key)


# =============================================================================================
class AuthorizationTest(S3TestCase):
    """What they may do: ownership, permission patterns, customers; and the audit trail."""

    @classmethod
    def setUpClass(cls):
        cls.gw = GW
        gw = cls.gw
        cls.alice = create_credential(gw, "alice", customer_id="acme")  # FULL
        cls.bob = create_credential(gw, "bob", customer_id="acme",
                                    permissions={"s3:GetObject": ["a-bucket/public/*"]})
        cls.carol = create_credential(gw, "carol")  # a customer of her own, FULL
        cls.dave = create_credential(gw, "dave", customer_id="acme", permissions={
            "s3:ListBucket": ["shared-*"], "s3:GetObject": ["shared-*"],
            "s3:PutObject": ["a-bucket/photos/*"]})
        cls.erin = create_credential(gw, "erin", customer_id="acme",
                                     permissions={"s3:*": ["a-bucket/*"]})
        cls.frank = create_credential(gw, "frank", customer_id="acme",
                                      permissions={"s3:CreateBucket": ["f-*"]})
        cls.a = s3_client(gw, cls.alice)
        cls.b = s3_client(gw, cls.bob)
        cls.c = s3_client(gw, cls.carol)
        for name in ("a-bucket", "shared-one"):
            cls.a.create_bucket(Bucket=name)
        cls.a.put_object(Bucket="a-bucket", Key="public/x", Body=b"public x")
        cls.a.put_object(Bucket="a-bucket", Key="private/y", Body=b"private y")
        cls.a.put_object(Bucket="shared-one", Key="doc", Body=b"shared doc")

    def read(self, client, bucket, key):
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def bucket_names(self, client):
        return [b["Name"] for b in client.list_buckets()["Buckets"]]

    def test_defaults(self):
        # Without "permissions": the brief said {"s3:*": ["*"]}; the gateway (and
        # test_credentials) give {}, deny by default as for a new IAM user. Either way what the
        # API shows is what is enforced. Without "customer_id": a new customer.
        cred = create_credential(self.gw, "defaults", permissions=OMIT)
        self.assertIn(cred["permissions"], ({}, FULL))
        self.assertEqual(api(self.gw, "GET", f"/api/credentials/{cred['access_key_id']}")
                         .json()["permissions"], cred["permissions"])
        c = s3_client(self.gw, cred)
        self.assertEqual(self.bucket_names(c), [])  # authenticated: ListBuckets works
        if cred["permissions"] == {}:
            self.assertS3Error(c.create_bucket, 403, "AccessDenied", Bucket="defaults-bucket")
        else:
            c.create_bucket(Bucket="defaults-bucket")
        self.assertEqual(self.alice["customer_id"], "acme")
        self.assertNotEqual(self.carol["customer_id"], "acme")
        self.assertNotEqual(self.alice["user_id"], self.bob["user_id"])

    def test_reader_gets_only_what_a_pattern_names(self):
        self.assertEqual(self.read(self.b, "a-bucket", "public/x"), b"public x")
        self.assertEqual(self.b.head_object(Bucket="a-bucket", Key="public/x")["ContentLength"], 8)
        self.assertS3Error(self.b.get_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="private/y")
        self.assertS3Error(self.b.head_object, 403, "403", Bucket="a-bucket", Key="private/y")
        # A missing key under public/: S3 answers 404 NoSuchKey, or 403 to a reader without
        # s3:ListBucket; either is fine, but never the data of another key.
        with self.assertRaises(ClientError) as cm:
            self.b.get_object(Bucket="a-bucket", Key="public/missing")
        self.assertIn(cm.exception.response["Error"]["Code"], ("NoSuchKey", "AccessDenied"))

    def test_reader_cannot_list_write_or_delete(self):
        self.assertS3Error(self.b.list_objects_v2, 403, "AccessDenied", Bucket="a-bucket")
        self.assertS3Error(self.b.list_objects, 403, "AccessDenied", Bucket="a-bucket")
        self.assertS3Error(self.b.head_bucket, 403, "403", Bucket="a-bucket")
        self.assertS3Error(self.b.get_bucket_location, 403, "AccessDenied", Bucket="a-bucket")
        self.assertS3Error(self.b.put_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="public/by-bob", Body=b"bob was here")
        self.assertAbsent(self.a, "a-bucket", "public/by-bob")
        self.assertS3Error(self.b.put_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="public/x", Body=b"overwritten")
        self.assertS3Error(self.b.delete_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="public/x")
        self.assertEqual(self.read(self.a, "a-bucket", "public/x"), b"public x")
        self.assertS3Error(self.b.create_bucket, 403, "AccessDenied", Bucket="bob-bucket")
        self.assertNotIn("bob-bucket", self.bucket_names(self.a))
        self.assertS3Error(self.b.delete_bucket, 403, "AccessDenied", Bucket="shared-one")
        self.assertIn("shared-one", self.bucket_names(self.a))

    def test_list_buckets_shows_owned_and_listable_only(self):
        self.assertEqual(self.bucket_names(self.b), [])
        names = self.bucket_names(self.a)
        self.assertIn("a-bucket", names)
        self.assertIn("shared-one", names)
        dave = s3_client(self.gw, self.dave)
        self.assertEqual(self.bucket_names(dave), ["shared-one"])

    def test_prefix_and_key_patterns(self):
        d = s3_client(self.gw, self.dave)
        self.assertIn("doc", [o["Key"] for o in
                              d.list_objects_v2(Bucket="shared-one")["Contents"]])
        self.assertEqual(self.read(d, "shared-one", "doc"), b"shared doc")
        self.assertS3Error(d.put_object, 403, "AccessDenied", Bucket="shared-one", Key="new",
                           Body=b"x")
        self.assertS3Error(d.list_objects_v2, 403, "AccessDenied", Bucket="a-bucket")
        d.put_object(Bucket="a-bucket", Key="photos/dave.jpg", Body=b"jpeg")
        self.assertEqual(self.read(self.a, "a-bucket", "photos/dave.jpg"), b"jpeg")
        self.assertS3Error(d.get_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="photos/dave.jpg")
        self.assertS3Error(d.put_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="docs/dave.txt", Body=b"x")
        self.assertAbsent(self.a, "a-bucket", "docs/dave.txt")

    def test_bucket_slash_star_covers_bucket_level_actions(self):
        e = s3_client(self.gw, self.erin)
        keys = [o["Key"] for o in e.list_objects_v2(Bucket="a-bucket")["Contents"]]
        self.assertIn("private/y", keys)
        e.head_bucket(Bucket="a-bucket")
        e.get_bucket_location(Bucket="a-bucket")
        self.assertEqual(self.read(e, "a-bucket", "private/y"), b"private y")
        e.put_object(Bucket="a-bucket", Key="erin/tmp", Body=b"e")
        e.delete_object(Bucket="a-bucket", Key="erin/tmp")
        self.assertS3Error(e.list_objects_v2, 403, "AccessDenied", Bucket="shared-one")
        self.assertS3Error(e.create_bucket, 403, "AccessDenied", Bucket="erin-bucket")
        self.assertEqual(self.bucket_names(e), ["a-bucket"])

    def test_create_bucket_pattern_and_owner_rights(self):
        f = s3_client(self.gw, self.frank)
        self.assertS3Error(f.create_bucket, 403, "AccessDenied", Bucket="g-frank")
        self.assertNotIn("g-frank", self.bucket_names(self.a))
        f.create_bucket(Bucket="f-frank")
        # The owner may do everything on the bucket, whatever the credential's permissions say.
        f.put_object(Bucket="f-frank", Key="k", Body=b"frank's")
        self.assertEqual(self.read(f, "f-frank", "k"), b"frank's")
        self.assertEqual([o["Key"] for o in f.list_objects_v2(Bucket="f-frank")["Contents"]],
                         ["k"])
        self.assertEqual(self.bucket_names(f), ["f-frank"])
        f.delete_object(Bucket="f-frank", Key="k")
        f.delete_bucket(Bucket="f-frank")
        self.assertNotIn("f-frank", self.bucket_names(self.a))
        # Someone else's bucket is still out of reach.
        self.assertS3Error(f.get_object, 403, "AccessDenied", Bucket="a-bucket", Key="public/x")

    def test_second_key_of_the_owner(self):
        # Ownership belongs to the user, not to the key: a second key of alice's with no
        # permissions at all still reaches her buckets.
        a2 = create_credential(self.gw, "alice", customer_id="acme",
                               user_id=self.alice["user_id"], permissions={})
        self.assertEqual(a2["user_id"], self.alice["user_id"])
        c = s3_client(self.gw, a2)
        self.assertEqual(self.read(c, "a-bucket", "private/y"), b"private y")
        self.assertIn("a-bucket", self.bucket_names(c))
        self.assertS3Error(c.create_bucket, 403, "AccessDenied", Bucket="alice-two")

    def test_customers_are_separate_namespaces(self):
        # carol has {"s3:*": ["*"]} but in another customer: acme's buckets do not exist for her.
        for fn, kw in ((self.c.get_object, {"Bucket": "a-bucket", "Key": "public/x"}),
                       (self.c.list_objects_v2, {"Bucket": "a-bucket"}),
                       (self.c.delete_object, {"Bucket": "a-bucket", "Key": "public/x"})):
            with self.assertRaises(ClientError) as cm:
                fn(**kw)
            self.assertIn(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"],
                          (403, 404))
        self.assertEqual(self.read(self.a, "a-bucket", "public/x"), b"public x")
        self.assertNotIn("a-bucket", self.bucket_names(self.c))
        # The same bucket name in both customers: two buckets.
        self.a.create_bucket(Bucket="data")
        self.c.create_bucket(Bucket="data")
        self.a.put_object(Bucket="data", Key="k", Body=b"acme's")
        self.c.put_object(Bucket="data", Key="k", Body=b"carol's")
        self.assertEqual(self.read(self.a, "data", "k"), b"acme's")
        self.assertEqual(self.read(self.c, "data", "k"), b"carol's")
        self.assertEqual(self.bucket_names(self.c), ["data"])

    def test_x_customer_id_is_ignored(self):
        def with_customer(cred, customer):
            c = s3_client(self.gw, cred)

            def add(request, **_):
                request.headers["X-Customer-ID"] = customer
            c.meta.events.register("before-sign.s3", add)
            return c

        c = with_customer(self.carol, "acme")
        with self.assertRaises(ClientError):
            c.get_object(Bucket="a-bucket", Key="public/x")
        self.assertNotIn("a-bucket", self.bucket_names(c))
        a = with_customer(self.alice, self.carol["customer_id"])
        self.assertIn("a-bucket", self.bucket_names(a))
        self.assertEqual(self.read(a, "a-bucket", "private/y"), b"private y")

    def test_bucket_level_actions_need_their_own_permission(self):
        lister = s3_client(self.gw, create_credential(
            self.gw, "lister", customer_id="acme", permissions={"s3:ListBucket": ["a-bucket"]}))
        self.assertIn("public/x", [o["Key"] for o in
                                   lister.list_objects_v2(Bucket="a-bucket")["Contents"]])
        lister.list_objects(Bucket="a-bucket")
        lister.head_bucket(Bucket="a-bucket")
        self.assertS3Error(lister.get_bucket_location, 403, "AccessDenied", Bucket="a-bucket")
        self.assertS3Error(lister.get_object, 403, "AccessDenied", Bucket="a-bucket",
                           Key="public/x")
        locator = s3_client(self.gw, create_credential(
            self.gw, "locator", customer_id="acme",
            permissions={"s3:GetBucketLocation": ["a-bucket"]}))
        locator.get_bucket_location(Bucket="a-bucket")
        self.assertS3Error(locator.list_objects_v2, 403, "AccessDenied", Bucket="a-bucket")

    def test_listing_under_a_key_pattern_needs_the_prefix(self):
        c = s3_client(self.gw, create_credential(
            self.gw, "prefix-lister", customer_id="acme",
            permissions={"s3:ListBucket": ["a-bucket/public/*"]}))
        page = c.list_objects_v2(Bucket="a-bucket", Prefix="public/")
        self.assertEqual([o["Key"] for o in page["Contents"]], ["public/x"])
        for prefix in ("", "p", "private/"):
            with self.subTest(prefix=prefix):
                self.assertS3Error(c.list_objects_v2, 403, "AccessDenied", Bucket="a-bucket",
                                   Prefix=prefix)

    def test_delete_bucket_permission(self):
        self.a.create_bucket(Bucket="tmp-one")
        k = s3_client(self.gw, create_credential(
            self.gw, "cleaner", customer_id="acme", permissions={"s3:DeleteBucket": ["tmp-*"]}))
        self.assertS3Error(k.delete_bucket, 403, "AccessDenied", Bucket="shared-one")
        k.delete_bucket(Bucket="tmp-one")
        self.assertNotIn("tmp-one", self.bucket_names(self.a))
        self.assertIn("shared-one", self.bucket_names(self.a))

    def test_streaming_upload_without_permission(self):
        for trailer in (False, True):
            with self.subTest(trailer=trailer):
                key = f"public/streamed-by-bob-{trailer}"
                r = streaming_put(self.gw, self.bob, "a-bucket", key, os.urandom(100_000),
                                  trailer=trailer)
                self.assertXmlError(r, 403, "AccessDenied")
                self.assertAbsent(self.a, "a-bucket", key)

    # ---------------------------------------------------------------- audit

    def test_anonymous_requests_are_audited(self):
        r = requests.get(f"{self.gw.endpoint}/a-bucket/public/x", timeout=30)
        self.assertXmlError(r, 403, "AccessDenied")
        ev = self.find_event(r.headers["x-amz-request-id"], type="auth_failure", limit=1000)
        self.assertEqual(ev.get("code"), "AccessDenied")
        self.assertIsNone(ev.get("access_key_id"))
        self.assertEqual(ev.get("bucket"), "a-bucket")

    def find_event(self, request_id, **params):
        def look():
            evs, _ = events(self.gw, **params)
            return [e for e in evs if e.get("request_id") == request_id]
        found = poll(look, timeout=10)
        self.assertTrue(found, f"no compliance event for request {request_id} ({params})")
        return found[0]

    def test_denials_are_audited(self):
        resp = self.assertS3Error(self.b.get_object, 403, "AccessDenied", Bucket="a-bucket",
                                  Key="private/y")
        rid = resp["ResponseMetadata"]["RequestId"]
        ev = self.find_event(rid, type="access_denied", access_key_id=self.bob["access_key_id"])
        self.assertEqual(ev["type"], "access_denied")
        self.assertEqual(ev.get("customer_id"), "acme")
        self.assertEqual(ev.get("user_id"), self.bob["user_id"])
        self.assertEqual(ev.get("access_key_id"), self.bob["access_key_id"])
        self.assertEqual(ev.get("bucket"), "a-bucket")
        self.assertEqual(ev.get("key"), "private/y")
        self.assertEqual(ev.get("code"), "AccessDenied")
        # The operation: S3's name, or the method and resource.
        self.assertIn(ev.get("operation"), ("GetObject", "s3:GetObject", "GET /a-bucket/private/y"))
        self.assertEqual(ev.get("source_ip"), "127.0.0.1")
        self.assertTrue(ev.get("at"))
        self.assertTrue(ev.get("reason"))
        # A second denial: newest first, and limit works.
        resp = self.assertS3Error(self.b.list_objects_v2, 403, "AccessDenied", Bucket="a-bucket")
        rid2 = resp["ResponseMetadata"]["RequestId"]
        self.find_event(rid2, type="access_denied", access_key_id=self.bob["access_key_id"])
        evs, _ = events(self.gw, type="access_denied", access_key_id=self.bob["access_key_id"],
                        limit=1)
        self.assertEqual([e["request_id"] for e in evs], [rid2])
        evs, _ = events(self.gw, type="access_denied", access_key_id=self.bob["access_key_id"])
        ids = [e["id"] for e in evs]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertTrue(all(e["type"] == "access_denied" for e in evs))

    def test_auth_failures_are_audited_without_secrets(self):
        cred = create_credential(self.gw, "audited", customer_id="acme")
        wrong = dict(cred, secret_access_key=flip_char(cred["secret_access_key"], 7))
        url = f"{self.gw.endpoint}/a-bucket/public/x"
        now = utcnow()
        headers = sign_headers(wrong, "GET", url, when=now)
        sent_signature = signature_of(headers)
        # What the right secret gives for the same request: the answer must not reveal it.
        right_signature = signature_of(sign_headers(cred, "GET", url, when=now))
        r = requests.get(url, headers=headers, timeout=30)
        self.assertXmlError(r, 403, "SignatureDoesNotMatch")
        self.assertNotIn(right_signature, r.text)
        self.assertNotIn(cred["secret_access_key"], r.text)
        ev = self.find_event(r.headers["x-amz-request-id"], type="auth_failure",
                             access_key_id=cred["access_key_id"])
        self.assertEqual(ev.get("code"), "SignatureDoesNotMatch")
        self.assertEqual(ev.get("bucket"), "a-bucket")
        self.assertEqual(ev.get("key"), "public/x")
        # An unknown key id is recorded as given.
        unknown = {"access_key_id": "S3GFHZZZZZZZZZZZZZZZ", "secret_access_key": "s" * 40}
        r = requests.get(url, headers=sign_headers(unknown, "GET", url), timeout=30)
        self.assertXmlError(r, 403, "InvalidAccessKeyId")
        ev = self.find_event(r.headers["x-amz-request-id"], type="auth_failure",
                             access_key_id=unknown["access_key_id"])
        self.assertEqual(ev.get("code"), "InvalidAccessKeyId")
        # Neither the events nor the log hold a secret or the signature sent.
        _, text = events(self.gw, limit=1000)
        for s in (cred["secret_access_key"], wrong["secret_access_key"], sent_signature,
                  right_signature):
            self.assertNotIn(s, text)
        log = self.gw.read_log()
        for s in SECRETS + [wrong["secret_access_key"], sent_signature, right_signature]:
            self.assertNotIn(s, log)

    def test_last_used_at(self):
        cred = create_credential(self.gw, "fresh", customer_id="acme")
        got = api(self.gw, "GET", f"/api/credentials/{cred['access_key_id']}").json()
        self.assertIsNone(got.get("last_used_at"))
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=2)
        s3_client(self.gw, cred).list_buckets()

        def used():
            return api(self.gw, "GET",
                       f"/api/credentials/{cred['access_key_id']}").json().get("last_used_at")
        at = poll(used, timeout=10, interval=0.25)
        self.assertTrue(at, "last_used_at still null 10 s after a successful request")
        when = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        self.assertGreaterEqual(when, before)

    def test_operations_log_names_the_key(self):
        self.a.put_object(Bucket="a-bucket", Key="oplog", Body=b"x")
        self.read(self.a, "a-bucket", "oplog")
        r = api(self.gw, "GET", "/api/operations", params={"bucket": "a-bucket", "limit": 200})
        self.assertEqual(r.status_code, 200, r.text)
        rows = [o for o in r.json()["operations"] if o.get("key") == "oplog"]
        self.assertTrue({o["operation"] for o in rows} >= {"PutObject", "GetObject"}, rows)
        for o in rows:
            self.assertEqual(o.get("access_key_id"), self.alice["access_key_id"], o)
            self.assertEqual(o.get("user_id"), self.alice["user_id"], o)
            self.assertEqual(o.get("customer_id"), "acme", o)

    def test_admin_api_needs_the_admin_token(self):
        for token in (None, "wrong", self.alice["secret_access_key"]):
            r = api(self.gw, "GET", "/api/compliance/events", token=token)
            self.assertEqual(r.status_code, 401, (token is None, r.text))
            r = api(self.gw, "GET", "/api/credentials/list", token=token)
            self.assertEqual(r.status_code, 401)
        # An S3 signature is no admin credential either.
        url = f"{self.gw.endpoint}/api/credentials/list"
        r = requests.get(url, headers=sign_headers(self.alice, "GET", url), timeout=30)
        self.assertEqual(r.status_code, 401, r.text)


# =============================================================================================
class InvalidationTest(S3TestCase):
    """Two gateway processes on one database: a deactivation or a permission change made
    through one takes effect in the other, cached or not (within a second by design: the tests
    print how long it took and fail only when it does not arrive, see wait_until)."""

    @classmethod
    def setUpClass(cls):
        cls.gw = cls.other = None
        try:
            cls.gw = Gateway(PG, env=AUTH_ENV).start()
            env = dict(AUTH_ENV, S3GW_ACCEPTED_REGIONS="us-east-1,eu-north-1")
            cls.other = Gateway(PG, env=env, database=cls.gw.db,
                                data_dir=cls.gw.data_dir).start()
            cls.owner = create_credential(cls.gw, "owner", customer_id="inv")
            cls.s3 = s3_client(cls.gw, cls.owner)
            cls.s3.create_bucket(Bucket="inv-bucket")
            cls.s3.put_object(Bucket="inv-bucket", Key="obj", Body=b"shared object")
        except BaseException:
            cls.stop_gateways()  # tearDownClass does not run after a failed setUpClass
            raise

    @classmethod
    def stop_gateways(cls):
        logs = []
        try:
            for gw in (cls.other, cls.gw):
                if gw and gw.proc:
                    gw.stop()
                    logs.append(gw.read_log())
        finally:
            for gw in (cls.other, cls.gw):
                if gw:
                    gw.cleanup()
        return logs

    @classmethod
    def tearDownClass(cls):
        for log in cls.stop_gateways():
            assert_clean_log(log, "second gateway")

    def wait_until(self, fn, limit=30):
        """Polls fn (every 50 ms) until it is true; returns the seconds it took, or fails. The
        limit checks that the change arrives (the cache's TTL, the fallback, is 300 s), not how
        fast: the seconds taken are printed."""
        t0 = time.monotonic()
        while True:
            if fn():
                return time.monotonic() - t0
            if time.monotonic() - t0 > limit:
                self.fail(f"not in effect after {limit} s")
            time.sleep(0.05)

    @staticmethod
    def outcome(fn, **kw):
        try:
            fn(**kw)
            return "ok"
        except ClientError as e:
            return e.response["Error"]["Code"]

    def test_shared_database(self):
        # The second process sees what the first stored.
        b = s3_client(self.other, self.owner)
        self.assertEqual(b.get_object(Bucket="inv-bucket", Key="obj")["Body"].read(),
                         b"shared object")

    def test_deactivation_reaches_the_other_process(self):
        cred = create_credential(self.gw, "leaver", customer_id="inv")
        b = s3_client(self.other, cred)
        for _ in range(3):  # cached in the other process now
            b.list_buckets()
        r = api(self.gw, "DELETE", f"/api/credentials/{cred['access_key_id']}")
        self.assertEqual(r.status_code, 204)
        took = self.wait_until(lambda: self.outcome(b.list_buckets) == "InvalidAccessKeyId")
        print(f"\ndeactivation in effect on the other process after {took:.2f} s")
        self.assertEqual(self.outcome(s3_client(self.gw, cred).list_buckets),
                         "InvalidAccessKeyId")

    def test_permission_change_reaches_the_other_process(self):
        cred = create_credential(self.gw, "reader", customer_id="inv",
                                 permissions={"s3:GetObject": ["inv-bucket/*"]})
        b = s3_client(self.other, cred)
        get = dict(Bucket="inv-bucket", Key="obj")
        for _ in range(3):
            self.assertEqual(self.outcome(b.get_object, **get), "ok")
        set_permissions(self.gw, cred, {"s3:GetObject": ["some-other-bucket"]})
        took = self.wait_until(lambda: self.outcome(b.get_object, **get) == "AccessDenied")
        print(f"\nrevoked permission in effect on the other process after {took:.2f} s")
        set_permissions(self.gw, cred, {"s3:GetObject": ["inv-*"]})
        took = self.wait_until(lambda: self.outcome(b.get_object, **get) == "ok")
        print(f"granted permission in effect on the other process after {took:.2f} s")

    def test_lost_listener_connection_loses_no_invalidation(self):
        # PostgreSQL drops the connections the gateways listen on; a key deactivated right
        # then (before they are back) still stops working within a second everywhere.
        cred = create_credential(self.gw, "dropped", customer_id="inv")
        b = s3_client(self.other, cred)
        for _ in range(3):
            b.list_buckets()
        killed = self.gw.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             f"WHERE datname = '{self.gw.db}' "
                             "AND application_name = 's3gw-credential-listener'")
        self.assertGreaterEqual(int(killed), 2, "expected a LISTEN connection per gateway")
        r = api(self.gw, "DELETE", f"/api/credentials/{cred['access_key_id']}")
        self.assertEqual(r.status_code, 204)
        took = self.wait_until(lambda: self.outcome(b.list_buckets) == "InvalidAccessKeyId")
        print(f"\ndeactivation after a lost listener in effect after {took:.2f} s")

    @unittest.skipUnless(os.geteuid() == 0, "stopping a PostgreSQL backend needs root")
    def test_stalled_listener_connection_does_not_stretch_the_bound(self):
        # The listening backends freeze (no FIN, no error: a hung server or a black-holed
        # network). Notifications stop arriving, yet a deactivation still takes effect within a
        # second: cached credentials are only served while the listener keeps proving itself.
        cred = create_credential(self.gw, "stalled", customer_id="inv")
        b = s3_client(self.other, cred)
        for _ in range(3):
            b.list_buckets()
        def listeners():
            return [int(p) for p in self.gw.sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = '" + self.gw.db + "' "
                "AND application_name = 's3gw-credential-listener'").split()]
        deadline = time.monotonic() + 10  # an earlier test may have cut them: reconnecting
        while len(listeners()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        pids = listeners()
        self.assertGreaterEqual(len(pids), 2, "expected a listener per gateway")
        try:
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
            r = api(self.gw, "DELETE", f"/api/credentials/{cred['access_key_id']}")
            self.assertEqual(r.status_code, 204)
            took = self.wait_until(lambda: self.outcome(b.list_buckets) == "InvalidAccessKeyId")
            print(f"\ndeactivation with a stalled listener in effect after {took:.2f} s")
        finally:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass

    def test_accepted_regions_setting(self):
        b_north = s3_client(self.other, self.owner, region="eu-north-1")
        self.assertEqual(self.outcome(b_north.list_buckets), "ok")
        self.assertEqual(self.outcome(s3_client(self.other, self.owner,
                                                region="us-east-1").list_buckets), "ok")
        url = f"{self.other.endpoint}/inv-bucket/obj"
        r = requests.get(url, headers=sign_headers(self.owner, "GET", url, region="eu-west-1"),
                         timeout=30)
        fields = self.assertXmlError(r, 400, "AuthorizationHeaderMalformed")
        self.assertEqual(fields.get("Region"), REGION)
        # The first process keeps the default list: eu-north-1 is not accepted there.
        url = f"{self.gw.endpoint}/inv-bucket/obj"
        r = requests.get(url, headers=sign_headers(self.owner, "GET", url, region="eu-north-1"),
                         timeout=30)
        self.assertXmlError(r, 400, "AuthorizationHeaderMalformed")


if __name__ == "__main__":
    unittest.main()
