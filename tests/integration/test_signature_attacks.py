"""Attacks on signed requests, replayed as raw HTTP built here (hmac/hashlib, http.client), so
that no client library decides what is sent: each test first shows that the signed request
itself is accepted, then sends it widened and checks that the gateway refuses it and that
nothing changed.

- SigV2 presigned URLs: a sub-resource that selects another operation (`retention`,
  `legal-hold`, also percent-encoded, `%76ersionId`) appended to a signed PUT or DELETE;
  an Expires years ahead.
- SigV4: x-amz-* headers outside SignedHeaders (a copy source, object lock, the governance
  bypass, tags, metadata) added to a presigned URL or to a header-signed request; a URL signed
  for an aws-chunked body sent with a plain one.
- HTTP/1.1 chunked bodies ending with trailer fields, which would join the headers after the
  signature was checked.
- SigV2: an unsigned `list-type` put before the signed sub-resource.
- Authorization: DeleteObjects telling a caller without rights whether a bucket exists;
  x-amz-tagging without s3:PutObjectTagging.
- The admin API without a token.
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import secrets
import shutil
import unittest
import xml.etree.ElementTree as ET
from urllib.parse import quote

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster

TOKEN = "attacks-admin-token-" + secrets.token_hex(8)
MASTER_KEY = secrets.token_hex(32)
REGION = "fi-hel"
ENV = {"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN,
       "S3GW_MASTER_KEY": MASTER_KEY}
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
RETENTION_2099 = (b'<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                  b"<Mode>COMPLIANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate>"
                  b"</Retention>")
LEGAL_HOLD_ON = (b'<LegalHold xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                 b"<Status>ON</Status></LegalHold>")

PG = None
GW = None


def setUpModule():
    global PG, GW
    PG = PostgresCluster().start()
    try:
        GW = Gateway(PG, env=ENV).start()
    except Exception:
        PG.stop()
        raise


def tearDownModule():
    try:
        if GW:
            GW.cleanup()
    finally:
        if PG:
            PG.stop()


def create_credential(permissions, customer_id=None, name="attacker"):
    body = {"user_name": name, "email": f"{name}@example.com", "permissions": permissions}
    if customer_id:
        body["customer_id"] = customer_id
    r = requests.post(GW.endpoint + "/api/credentials/create", json=body,
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def client(cred):
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                 signature_version="s3v4")
    return boto3.client("s3", endpoint_url=GW.endpoint, region_name=REGION,
                        aws_access_key_id=cred["access_key_id"],
                        aws_secret_access_key=cred["secret_access_key"], config=cfg)


def send(method, target, headers=None, body=b""):
    """One request with exactly this target (path and query as given) and these headers."""
    conn = http.client.HTTPConnection("127.0.0.1", GW.port, timeout=30)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def send_chunked(method, target, headers, body, trailers):
    """A request whose body has Transfer-Encoding: chunked framing, ending with HTTP trailer
    fields (after the signature was checked, were they honoured, they would act unsigned)."""
    import socket
    head = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{GW.port}",
            "Transfer-Encoding: chunked", "Connection: close"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    wire = ("\r\n".join(head) + "\r\n\r\n").encode()
    wire += f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n"
    wire += "".join(f"{k}: {v}\r\n" for k, v in trailers.items()).encode() + b"\r\n"
    with socket.create_connection(("127.0.0.1", GW.port), timeout=30) as sock:
        sock.sendall(wire)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def code_of(body):
    if not body:
        return None
    return ET.fromstring(body).findtext("Code")


def v2_presign(cred, method, path, expires=None, sub=""):
    """A SigV2 presigned URL's target, as botocore's HmacV1QueryAuth makes it (no Content-Type,
    no Content-MD5, no x-amz-* fields); `sub` is a sub-resource signed along."""
    if expires is None:
        expires = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) + 600
    resource = path + ("?" + sub if sub else "")
    sts = f"{method}\n\n\n{expires}\n{resource}"
    sig = base64.b64encode(hmac.new(cred["secret_access_key"].encode(), sts.encode(),
                                    hashlib.sha1).digest()).decode()
    query = (f"AWSAccessKeyId={cred['access_key_id']}&Expires={expires}"
             f"&Signature={quote(sig, safe='')}")
    return path + "?" + (sub + "&" if sub else "") + query


def v4_presign(cred, method, path, params=None, expires=600):
    """A SigV4 presigned URL's target signing Host only (what boto3's generate_presigned_url
    and `aws s3 presign` make), with `params` among the signed query parameters."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    q = {"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
         "X-Amz-Credential": f"{cred['access_key_id']}/{scope}",
         "X-Amz-Date": amz_date, "X-Amz-Expires": str(expires), "X-Amz-SignedHeaders": "host"}
    q.update(params or {})
    enc = lambda s: quote(s, safe="-_.~")  # noqa: E731
    canonical_query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(q.items()))
    payload = q.get("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
    creq = "\n".join([method, path, canonical_query, f"host:127.0.0.1:{GW.port}", "", "host",
                      payload])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    key = ("AWS4" + cred["secret_access_key"]).encode()
    for part in (amz_date[:8], REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return path + "?" + canonical_query + "&X-Amz-Signature=" + sig


class Attacks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.owner = create_credential({"s3:*": ["*"]}, name="owner")
        cls.s3 = client(cls.owner)
        suffix = secrets.token_hex(3)
        cls.lock = f"lock-{suffix}"
        cls.src = f"src-{suffix}"
        cls.dst = f"dst-{suffix}"
        cls.s3.create_bucket(Bucket=cls.lock, ObjectLockEnabledForBucket=True)
        cls.s3.create_bucket(Bucket=cls.src)
        cls.s3.create_bucket(Bucket=cls.dst)
        cls.s3.put_object(Bucket=cls.src, Key="secret.txt", Body=b"the secret bytes")

    def versions(self, bucket, key):
        r = self.s3.list_object_versions(Bucket=bucket, Prefix=key)
        return [v["VersionId"] for v in r.get("Versions", []) if v["Key"] == key]

    def assert_no_retention(self, bucket, key, version_id=None):
        kw = {"VersionId": version_id} if version_id else {}
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object_retention(Bucket=bucket, Key=key, **kw)
        self.assertEqual(cm.exception.response["Error"]["Code"],
                         "NoSuchObjectLockConfiguration")

    # --- SigV2: sub-resources ----------------------------------------------------------------

    def test_sigv2_presigned_put_cannot_set_a_retention(self):
        key = "v2-retention"
        url = v2_presign(self.owner, "PUT", f"/{self.lock}/{key}")
        status, body = send("PUT", url, body=b"object bytes")
        self.assertEqual(status, 200, body)  # the URL does what it was signed for
        [vid] = self.versions(self.lock, key)
        for extra in ("&retention", "&%72etention", "&retention="):
            with self.subTest(extra=extra):
                status, body = send("PUT", url + extra, body=RETENTION_2099)
                self.assertEqual(status, 403, body)
                self.assertEqual(code_of(body), "SignatureDoesNotMatch")
        self.assert_no_retention(self.lock, key)
        # Still deletable: nothing locked it.
        self.s3.delete_object(Bucket=self.lock, Key=key, VersionId=vid)
        self.assertEqual(self.versions(self.lock, key), [])

    def test_sigv2_presigned_put_cannot_set_a_legal_hold(self):
        key = "v2-legal-hold"
        url = v2_presign(self.owner, "PUT", f"/{self.lock}/{key}")
        self.assertEqual(send("PUT", url, body=b"x")[0], 200)
        for extra in ("&legal-hold", "&%6Cegal-hold"):
            with self.subTest(extra=extra):
                status, body = send("PUT", url + extra, body=LEGAL_HOLD_ON)
                self.assertEqual(status, 403, body)
                self.assertEqual(code_of(body), "SignatureDoesNotMatch")
        self.assertFalse(self._has_legal_hold(key))

    def _has_legal_hold(self, key):
        try:
            r = self.s3.get_object_legal_hold(Bucket=self.lock, Key=key)
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "NoSuchObjectLockConfiguration")
            return False
        return r["LegalHold"]["Status"] == "ON"

    def test_sigv2_signed_subresource_still_works(self):
        # A client that signs ?retention itself (SigV2 lists it now) is served.
        key = "v2-signed-retention"
        self.s3.put_object(Bucket=self.lock, Key=key, Body=b"x")
        until = (datetime.datetime.now(datetime.timezone.utc) +
                 datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = (f'<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>GOVERNANCE'
                f"</Mode><RetainUntilDate>{until}</RetainUntilDate></Retention>").encode()
        url = v2_presign(self.owner, "PUT", f"/{self.lock}/{key}", sub="retention")
        status, resp = send("PUT", url, body=body)
        self.assertEqual(status, 200, resp)
        got = self.s3.get_object_retention(Bucket=self.lock, Key=key)["Retention"]
        self.assertEqual(got["Mode"], "GOVERNANCE")

    def test_sigv2_presigned_delete_cannot_name_a_version(self):
        bucket = self.lock
        key = "v2-version"
        self.s3.put_object(Bucket=bucket, Key=key, Body=b"v1")
        [vid] = self.versions(bucket, key)
        url = v2_presign(self.owner, "DELETE", f"/{bucket}/{key}")
        for extra in (f"&%76ersionId={vid}", f"&versionId={vid}"):
            with self.subTest(extra=extra):
                status, body = send("DELETE", url + extra)
                self.assertEqual(status, 403, body)
                self.assertEqual(code_of(body), "SignatureDoesNotMatch")
        self.assertEqual(self.versions(bucket, key), [vid])

    def test_sigv2_expires_years_ahead_is_refused(self):
        far = int(datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc).timestamp())
        status, body = send("GET", v2_presign(self.owner, "GET", f"/{self.src}/secret.txt", far))
        self.assertEqual(status, 403, body)
        self.assertEqual(code_of(body), "AccessDenied")
        self.assertIn(b"7 days", body)
        week = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) + 7 * 86400 - 60
        status, body = send("GET", v2_presign(self.owner, "GET", f"/{self.src}/secret.txt", week))
        self.assertEqual(status, 200, body)
        self.assertEqual(body, b"the secret bytes")

    # --- SigV4: x-amz-* outside SignedHeaders -------------------------------------------------

    def assert_headers_not_signed(self, status, body, names):
        self.assertEqual(status, 403, body)
        doc = ET.fromstring(body)
        self.assertEqual(doc.findtext("Code"), "AccessDenied")
        self.assertEqual(doc.findtext("Message"),
                         "There were headers present in the request which were not signed")
        self.assertEqual(doc.findtext("HeadersNotSigned"), names)

    def test_presigned_put_cannot_copy_a_secret(self):
        url = v4_presign(self.owner, "PUT", f"/{self.dst}/innocent.txt")
        status, body = send("PUT", url, {"x-amz-copy-source": f"/{self.src}/secret.txt"})
        self.assert_headers_not_signed(status, body, "x-amz-copy-source")
        with self.assertRaises(ClientError) as cm:
            self.s3.head_object(Bucket=self.dst, Key="innocent.txt")
        self.assertEqual(cm.exception.response["Error"]["Code"], "404")
        # The URL itself works: it uploads the body it is given.
        self.assertEqual(send("PUT", url, body=b"innocent")[0], 200)
        got = self.s3.get_object(Bucket=self.dst, Key="innocent.txt")["Body"].read()
        self.assertEqual(got, b"innocent")

    def test_presigned_put_cannot_lock(self):
        key = "v4-lock"
        url = v4_presign(self.owner, "PUT", f"/{self.lock}/{key}")
        status, body = send("PUT", url, {"x-amz-object-lock-mode": "COMPLIANCE",
                                         "x-amz-object-lock-retain-until-date":
                                             "2099-01-01T00:00:00Z"}, b"locked?")
        self.assert_headers_not_signed(
            status, body, "x-amz-object-lock-mode, x-amz-object-lock-retain-until-date")
        status, body = send("PUT", url, {"x-amz-object-lock-legal-hold": "ON"}, b"held?")
        self.assert_headers_not_signed(status, body, "x-amz-object-lock-legal-hold")
        self.assertEqual(self.versions(self.lock, key), [])

    def test_presigned_put_cannot_add_tags_or_metadata(self):
        key = "v4-tags"
        url = v4_presign(self.owner, "PUT", f"/{self.dst}/{key}")
        status, body = send("PUT", url, {"x-amz-tagging": "replica-count=2"}, b"x")
        self.assert_headers_not_signed(status, body, "x-amz-tagging")
        status, body = send("PUT", url, {"x-amz-meta-approved-by": "ceo"}, b"x")
        self.assert_headers_not_signed(status, body, "x-amz-meta-approved-by")
        # x-amz-content-sha256 stays exempt, as at AWS.
        status, body = send("PUT", url, {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}, b"x")
        self.assertEqual(status, 200, body)
        head = self.s3.head_object(Bucket=self.dst, Key=key)
        self.assertEqual(head["Metadata"], {})
        self.assertNotIn("x-amz-tagging-count", head["ResponseMetadata"]["HTTPHeaders"])

    def test_presigned_versioned_delete_cannot_bypass_governance(self):
        key = "v4-governance"
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        r = self.s3.put_object(Bucket=self.lock, Key=key, Body=b"kept",
                               ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)
        vid = r["VersionId"]
        url = v4_presign(self.owner, "DELETE", f"/{self.lock}/{key}", {"versionId": vid})
        status, body = send("DELETE", url, {"x-amz-bypass-governance-retention": "true"})
        self.assert_headers_not_signed(status, body, "x-amz-bypass-governance-retention")
        # Without the header the lock holds on its own.
        status, body = send("DELETE", url)
        self.assertEqual(status, 403, body)
        self.assertEqual(self.versions(self.lock, key), [vid])
        self.s3.delete_object(Bucket=self.lock, Key=key, VersionId=vid,
                              BypassGovernanceRetention=True)

    def test_header_signed_request_cannot_carry_unsigned_amz_headers(self):
        # Sign a PUT with botocore, then add a copy source the signature does not cover.
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        target = f"/{self.dst}/header-signed"
        req = AWSRequest(method="PUT", url=GW.endpoint + target, data=b"mine",
                         headers={"X-Amz-Content-SHA256": hashlib.sha256(b"mine").hexdigest()})
        SigV4Auth(Credentials(self.owner["access_key_id"], self.owner["secret_access_key"]),
                  "s3", REGION).add_auth(req)
        headers = dict(req.headers.items())
        status, body = send("PUT", target, dict(headers, **{
            "x-amz-copy-source": f"/{self.src}/secret.txt"}), b"mine")
        self.assert_headers_not_signed(status, body, "x-amz-copy-source")
        status, body = send("PUT", target, headers, b"mine")
        self.assertEqual(status, 200, body)
        got = self.s3.get_object(Bucket=self.dst, Key="header-signed")["Body"].read()
        self.assertEqual(got, b"mine")

    def test_presigned_streaming_mode_needs_a_chunked_body(self):
        key = "v4-streaming"
        url = v4_presign(self.owner, "PUT", f"/{self.dst}/{key}",
                         {"X-Amz-Content-Sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"})
        status, body = send("PUT", url, body=b"plain bytes no chunk signature covers")
        self.assertEqual(status, 400, body)
        self.assertEqual(code_of(body), "AuthorizationQueryParametersError")
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.dst, Key=key)

    def test_chunked_trailer_cannot_add_a_bypass(self):
        # Trailer fields arrive after the signature was checked; a presigned DeleteObjects must
        # not learn x-amz-bypass-governance-retention from one.
        key = "trailer-governance"
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        vid = self.s3.put_object(Bucket=self.lock, Key=key, Body=b"kept",
                                 ObjectLockMode="GOVERNANCE",
                                 ObjectLockRetainUntilDate=until)["VersionId"]
        body = (f"<Delete><Object><Key>{key}</Key><VersionId>{vid}</VersionId></Object>"
                "</Delete>").encode()
        url = v4_presign(self.owner, "POST", f"/{self.lock}", {"delete": ""})
        status, resp = send_chunked("POST", url, {}, body,
                                    {"x-amz-bypass-governance-retention": "true"})
        self.assertEqual(status, 400, resp)
        self.assertEqual(code_of(resp), "InvalidRequest")
        self.assertEqual(self.versions(self.lock, key), [vid])
        # Without the trailer the request runs, and the lock holds.
        status, resp = send_chunked("POST", url, {}, body, {})
        self.assertEqual(status, 200, resp)
        self.assertEqual(ET.fromstring(resp).findtext(f"{NS}Error/{NS}Code"), "AccessDenied")
        self.assertEqual(self.versions(self.lock, key), [vid])
        self.s3.delete_object(Bucket=self.lock, Key=key, VersionId=vid,
                              BypassGovernanceRetention=True)

    def test_chunked_trailer_fails_an_upload(self):
        url = v4_presign(self.owner, "PUT", f"/{self.dst}/trailer-put")
        status, resp = send_chunked("PUT", url, {}, b"bytes", {"x-amz-meta-late": "1"})
        self.assertEqual(status, 400, resp)
        self.assertEqual(code_of(resp), "InvalidRequest")
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=self.dst, Key="trailer-put")
        status, resp = send_chunked("PUT", url, {}, b"bytes", {})
        self.assertEqual(status, 200, resp)

    def test_sigv2_unsigned_list_type_cannot_turn_a_request_into_a_listing(self):
        url = v2_presign(self.owner, "GET", f"/{self.src}", sub="versioning")
        status, body = send("GET", url)
        self.assertEqual(status, 200, body)
        self.assertEqual(ET.fromstring(body).tag, f"{NS}VersioningConfiguration")
        widened = f"/{self.src}?list-type=2&prefix=secret&" + url.split("?", 1)[1]
        status, body = send("GET", widened)
        self.assertEqual(status, 200, body)
        self.assertEqual(ET.fromstring(body).tag, f"{NS}VersioningConfiguration")
        self.assertNotIn(b"secret.txt", body)

    # --- authorization -----------------------------------------------------------------------

    def test_delete_objects_reveals_nothing_without_rights(self):
        stranger = client(create_credential({"s3:*": ["elsewhere-*"]},
                                            customer_id=self.owner["customer_id"],
                                            name="stranger"))
        body = {"Objects": [{"Key": "secret.txt"}]}
        for bucket in (self.src, "no-such-bucket-" + secrets.token_hex(3)):
            with self.subTest(bucket=bucket):
                with self.assertRaises(ClientError) as cm:
                    stranger.delete_objects(Bucket=bucket, Delete=body)
                self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        self.assertEqual(self.s3.get_object(Bucket=self.src, Key="secret.txt")["Body"].read(),
                         b"the secret bytes")
        # One who may delete some keys of the bucket gets the per-key answers, as before.
        scoped = client(create_credential({"s3:DeleteObject": [f"{self.src}/tmp/*"]},
                                          customer_id=self.owner["customer_id"], name="scoped"))
        r = scoped.delete_objects(Bucket=self.src, Delete=body)
        self.assertEqual([e["Code"] for e in r.get("Errors", [])], ["AccessDenied"])
        with self.assertRaises(ClientError) as cm:
            scoped.delete_objects(Bucket="no-such-" + secrets.token_hex(3), Delete=body)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")

    def test_tagging_header_needs_put_object_tagging(self):
        bucket = self.dst
        writer = client(create_credential(
            {"s3:PutObject": [f"{bucket}/w/*"], "s3:GetObject": [f"{self.src}/*"]},
            customer_id=self.owner["customer_id"], name="writer"))
        with self.assertRaises(ClientError) as cm:
            writer.put_object(Bucket=bucket, Key="w/tagged", Body=b"x", Tagging="replica-count=2")
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        with self.assertRaises(ClientError) as cm:
            writer.create_multipart_upload(Bucket=bucket, Key="w/tagged", Tagging="a=b")
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        with self.assertRaises(ClientError) as cm:
            writer.copy_object(Bucket=bucket, Key="w/tagged", Tagging="a=b",
                               TaggingDirective="REPLACE",
                               CopySource={"Bucket": self.src, "Key": "secret.txt"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        with self.assertRaises(ClientError):
            self.s3.head_object(Bucket=bucket, Key="w/tagged")
        # Without tags the same writer may write; with s3:PutObjectTagging, tags too.
        writer.put_object(Bucket=bucket, Key="w/plain", Body=b"x")
        tagger = client(create_credential(
            {"s3:PutObject": [f"{bucket}/w/*"], "s3:PutObjectTagging": [f"{bucket}/w/*"]},
            customer_id=self.owner["customer_id"], name="tagger"))
        tagger.put_object(Bucket=bucket, Key="w/tagged", Body=b"x", Tagging="a=b")
        tags = self.s3.get_object_tagging(Bucket=bucket, Key="w/tagged")["TagSet"]
        self.assertEqual(tags, [{"Key": "a", "Value": "b"}])


class AdminWithoutToken(unittest.TestCase):
    """A gateway without S3GW_ADMIN_TOKEN serves no admin route, and refuses to start at all
    with authentication on."""

    def test_authentication_on_needs_a_token(self):
        # An empty setting counts as none (it would otherwise match "Bearer ").
        gw = Gateway(PG, env={"ENABLE_S3_AUTHENTICATION": "true", "S3GW_MASTER_KEY": MASTER_KEY,
                              "S3GW_ADMIN_TOKEN": ""})
        try:
            with self.assertRaises(RuntimeError) as cm:
                gw.start()
            self.assertIn("needs S3GW_ADMIN_TOKEN", str(cm.exception))
        finally:
            gw.stop()
            shutil.rmtree(gw.dir, ignore_errors=True)

    def test_no_admin_route_without_a_token(self):
        gw = Gateway(PG, env={"S3GW_ADMIN_TOKEN": "", "S3GW_MASTER_KEY": MASTER_KEY}).start()
        try:
            for method, path in (("GET", "/api/operations"), ("GET", "/api/compliance/events"),
                                 ("GET", "/api/credentials/list"), ("GET", "/api/providers"),
                                 ("POST", "/api/providers/reload"),
                                 ("POST", "/api/credentials/generate-demo"),
                                 ("GET", "/api/bucket-mappings/acme/b"),
                                 ("GET", "/api/location-constraints/acme/b")):
                for headers in ({}, {"Authorization": "Bearer "}):
                    with self.subTest(path=path, headers=headers):
                        r = requests.request(method, gw.endpoint + path, headers=headers,
                                             timeout=30)
                        self.assertEqual(r.status_code, 401, r.text)
                        self.assertIn("S3GW_ADMIN_TOKEN", r.json()["error"])
            # What holds no data stays open.
            self.assertEqual(requests.get(gw.endpoint + "/health", timeout=30).status_code, 200)
            r = requests.get(gw.endpoint + "/api/validation/bucket/good-name", timeout=30)
            self.assertEqual(r.status_code, 200)
            self.assertTrue(r.json()["valid"])
        finally:
            gw.cleanup()


if __name__ == "__main__":
    unittest.main()
