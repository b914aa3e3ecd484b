"""Every invalid input gets its S3 error and changes nothing.

Invalid names are sent with `requests` (and curl where a client would normalize the path) on
raw URLs: boto3 refuses some of them client-side. Authentication is off, so no signature is
needed.
"""
import json
import subprocess
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import requests
from botocore.exceptions import ClientError

from harness import ADMIN_HEADERS, start_stack

INVALID_BUCKETS = {
    "ab": "too short",
    "a": "too short",
    "a" * 64: "too long",
    "MyBucket": "uppercase",
    "my_bucket": "underscore",
    "my bucket": "space",
    "bücket": "non-ASCII",
    "-bucket": "starts with '-'",
    "bucket-": "ends with '-'",
    ".bucket": "starts with '.'",
    "bucket.": "ends with '.'",
    "my..bucket": "two adjacent dots",
    "192.168.1.1": "IP address",
    "10.0.0.255": "IP address",
    "xn--bucket": "xn-- prefix",
    "sthree-bucket": "sthree- prefix",
    "sthree-configurator": "sthree- prefix",
    "bucket-s3alias": "-s3alias suffix",
    "bucket--ol-s3": "--ol-s3 suffix",
}
VALID_BUCKETS = ["abc", "a" * 63, "my.bucket.name", "1.2.3", "a-b-c", "xn-a", "s3alias-b",
                 "192.168.1.1a", "0bucket9"]

INVALID_KEYS = {
    # name: (raw percent-encoded path after the bucket, expected code)
    "1025 bytes": ("a" * 1025, "KeyTooLongError"),
    "1026 bytes in 342 characters": (urllib.parse.quote("€" * 342), "KeyTooLongError"),
    "lone 0xFF": ("%FF", "InvalidArgument"),
    "0xFF inside": ("abc%FFdef", "InvalidArgument"),
    "truncated sequence": ("a%C3", "InvalidArgument"),
    "overlong '/'": ("%C0%AF", "InvalidArgument"),
    "surrogate": ("%ED%A0%80", "InvalidArgument"),
    "above U+10FFFF": ("%F4%90%80%80", "InvalidArgument"),
    "NUL": ("a%00b", "InvalidArgument"),
    "NUL only": ("%00", "InvalidArgument"),
    "a/../b": ("a/%2E%2E/b", "InvalidArgument"),
    "./a": ("%2E/a", "InvalidArgument"),
    "a/./b": ("a/%2E/b", "InvalidArgument"),
    "..": ("%2E%2E", "InvalidArgument"),
    "trailing /..": ("a/b/%2E%2E", "InvalidArgument"),
}
VALID_KEYS = ["a" * 1024, "€" * 341 + "a", "...", "a..b", ".hidden", "a/.b/c", "dir/", "a//b",
              "ünïcødé/😀", "with space", "x+y", "100%"]


class ValidationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg, cls.gw = start_stack()
        cls.s3 = cls.gw.client()
        cls.ep = cls.gw.endpoint
        cls.bucket = "validation-bucket"
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.s3.put_object(Bucket=cls.bucket, Key="existing", Body=b"existing")

    @classmethod
    def tearDownClass(cls):
        cls.gw.cleanup()
        cls.pg.stop()

    # --- helpers ------------------------------------------------------------------------

    def state(self):
        """What an invalid request must not change."""
        return (self.gw.sql("SELECT count(*) FROM buckets"),
                self.gw.sql("SELECT count(*) FROM objects"),
                tuple(sorted(b["Name"] for b in self.s3.list_buckets()["Buckets"])),
                tuple(sorted(self.gw.blob_files())))

    def assert_s3_error(self, r, code, status=400):
        self.assertEqual(r.status_code, status, r.text)
        self.assertEqual(r.headers.get("Content-Type"), "application/xml")
        root = ET.fromstring(r.content)
        self.assertEqual(root.tag, "Error")
        self.assertEqual(root.find("Code").text, code, r.text)
        self.assertTrue(root.find("Message").text)
        self.assertEqual(root.find("RequestId").text, r.headers.get("x-amz-request-id"))
        return root

    def curl(self, method, path, data=None, headers=()):
        """Raw request with the path exactly as given (no dot-segment normalization)."""
        cmd = ["curl", "-s", "--path-as-is", "-X", method, "-o", "-", "-w", "\n%{http_code}"]
        for h in headers:
            cmd += ["-H", h]
        if data is not None:
            cmd += ["--data-binary", data]
        cmd.append(self.ep + path)
        out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode()
        body, _, status = out.rpartition("\n")
        return int(status), body

    def validation_api(self, path, **params):
        r = requests.get(self.ep + path, params=params)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertTrue(r.headers["Content-Type"].startswith("application/json"))
        return r.json()

    # --- bucket names -------------------------------------------------------------------

    def test_invalid_bucket_names_are_rejected(self):
        before = self.state()
        for name, why in INVALID_BUCKETS.items():
            quoted = urllib.parse.quote(name, safe="")
            with self.subTest(name=name, why=why):
                root = self.assert_s3_error(requests.put(f"{self.ep}/{quoted}"), "InvalidBucketName")
                self.assertEqual(root.find("Resource").text, f"/{name}")
                # With a configuration body too, and through the /s3/ prefix.
                body = ('<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                        "<LocationConstraint>fi-hel</LocationConstraint></CreateBucketConfiguration>")
                self.assert_s3_error(requests.put(f"{self.ep}/s3/{quoted}", data=body),
                                     "InvalidBucketName")
                self.assertEqual(int(self.gw.sql(
                    "SELECT count(*) FROM buckets WHERE name = '" + name.replace("'", "''") + "'")), 0)
        self.assertEqual(self.state(), before)

    def test_invalid_bucket_names_through_boto3(self):
        # Names boto3 lets through client-side get the server's answer.
        before = self.state()
        for name in ("MyBucket", "my_bucket", "-bucket", "my..bucket", "192.168.1.1", "xn--bucket",
                     "sthree-bucket", "bucket-s3alias", "bucket--ol-s3", "ab"):
            with self.subTest(name=name):
                with self.assertRaises(ClientError) as cm:
                    self.s3.create_bucket(Bucket=name)
                self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidBucketName")
                self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(self.state(), before)

    def test_invalid_bucket_name_on_other_operations(self):
        before = self.state()
        for method, suffix in (("GET", ""), ("HEAD", ""), ("DELETE", ""), ("PUT", "/key"),
                               ("GET", "/key"), ("DELETE", "/key"), ("GET", "?location")):
            with self.subTest(method=method, suffix=suffix):
                r = requests.request(method, f"{self.ep}/Invalid_Bucket{suffix}", data=b"x"
                                     if method == "PUT" else None)
                self.assertEqual(r.status_code, 400)
                if method != "HEAD":
                    self.assert_s3_error(r, "InvalidBucketName")
        self.assertEqual(self.state(), before)

    def test_valid_bucket_names_are_accepted(self):
        for name in VALID_BUCKETS:
            with self.subTest(name=name):
                r = requests.put(f"{self.ep}/{name}")
                self.assertEqual(r.status_code, 200, r.text)
                self.assertEqual(requests.head(f"{self.ep}/{name}").status_code, 200)
                self.assertTrue(self.validation_api(f"/api/validation/bucket/{name}")["valid"])
                self.assertEqual(requests.delete(f"{self.ep}/{name}").status_code, 204)

    def test_bucket_validation_api(self):
        for name, why in INVALID_BUCKETS.items():
            with self.subTest(name=name, why=why):
                j = self.validation_api("/api/validation/bucket/" + urllib.parse.quote(name, safe=""))
                self.assertIs(j["valid"], False)
                self.assertEqual(j["error_code"], "InvalidBucketName")
                self.assertIsInstance(j["reason"], str)
                self.assertTrue(j["reason"])
        j = self.validation_api("/api/validation/bucket/good-name")
        self.assertIs(j["valid"], True)
        self.assertNotIn("error_code", j)
        # The reasons say what is wrong.
        self.assertIn("63", self.validation_api("/api/validation/bucket/" + "a" * 64)["reason"])
        self.assertIn("IP", self.validation_api("/api/validation/bucket/192.168.1.1")["reason"])
        self.assertIn("xn--", self.validation_api("/api/validation/bucket/xn--abc")["reason"])
        # The API agrees with the S3 endpoint: it created nothing either.
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM buckets WHERE name = 'good-name'")), 0)

    # --- object keys --------------------------------------------------------------------

    def test_invalid_keys_are_rejected(self):
        before = self.state()
        for what, (raw, code) in INVALID_KEYS.items():
            with self.subTest(key=what):
                r = requests.put(f"{self.ep}/{self.bucket}/{raw}", data=b"payload")
                self.assert_s3_error(r, code)
                for method in ("GET", "HEAD", "DELETE"):
                    r = requests.request(method, f"{self.ep}/{self.bucket}/{raw}")
                    self.assertEqual(r.status_code, 400, (method, r.text))
                    if method != "HEAD":
                        self.assert_s3_error(r, code)
        self.assertEqual(self.state(), before)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="existing")["Body"].read(),
                         b"existing")

    def test_rejected_keys_do_not_break_the_operations_log(self):
        # Rejected requests are logged too; a key that is not valid UTF-8 (or holds a NUL) must
        # neither be lost from nor poison the log, so later reads are still recorded.
        for raw in ("%FF", "a%00b", "%ED%A0%80", "bucket%FF"):
            if raw.startswith("bucket"):  # a bucket name that is not UTF-8 either
                requests.get(f"{self.ep}/{raw}/key")
                r = requests.get(f"{self.ep}/{self.bucket}/oplog-{raw}%FF")
            else:
                r = requests.get(f"{self.ep}/{self.bucket}/oplog-{raw}")
            self.assertEqual(r.status_code, 400)
            marker = r.headers["x-amz-request-id"]
            g = requests.get(f"{self.ep}/{self.bucket}/existing")
            self.assertEqual(g.status_code, 200)
            ops = requests.get(f"{self.ep}/api/operations",
                               params={"bucket": self.bucket, "limit": 50},
                               headers=ADMIN_HEADERS)
            self.assertEqual(ops.status_code, 200, ops.text)
            ids = [o["request_id"] for o in ops.json()["operations"]]
            with self.subTest(raw=raw):
                self.assertIn(g.headers["x-amz-request-id"], ids)
                self.assertIn(marker, ids)

    def test_dot_segments_sent_literally(self):
        # A client that does not normalize sends the segments as they are.
        before = self.state()
        for path in ("a/../b", "./a", "a/./b", "x/.."):
            with self.subTest(path=path):
                status, body = self.curl("PUT", f"/{self.bucket}/{path}", data="payload")
                self.assertEqual(status, 400, body)
                self.assertEqual(ET.fromstring(body).find("Code").text, "InvalidArgument")
        self.assertEqual(self.state(), before)

    def test_invalid_keys_through_boto3(self):
        before = self.state()
        for key, code in (("k" * 1025, "KeyTooLongError"), ("a\x00b", "InvalidArgument"),
                          ("a/../b", "InvalidArgument"), ("./a", "InvalidArgument")):
            with self.subTest(key=key[:20]):
                with self.assertRaises(ClientError) as cm:
                    self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"x")
                self.assertEqual(cm.exception.response["Error"]["Code"], code)
                self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(self.state(), before)

    def test_key_too_long_on_missing_bucket_changes_nothing(self):
        before = self.state()
        r = requests.put(f"{self.ep}/no-such-bucket-here/{'a' * 1025}", data=b"x")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.state(), before)

    def test_valid_edge_keys_are_accepted(self):
        for key in VALID_KEYS:
            with self.subTest(key=key[:30]):
                self.s3.put_object(Bucket=self.bucket, Key=key, Body=key.encode())
                self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                                 key.encode())
                j = self.validation_api("/api/validation/key", key=key)
                self.assertIs(j["valid"], True)
                self.s3.delete_object(Bucket=self.bucket, Key=key)

    def test_key_validation_api(self):
        for what, (raw, code) in INVALID_KEYS.items():
            with self.subTest(key=what):
                r = requests.get(f"{self.ep}/api/validation/key?key={raw}")
                self.assertEqual(r.status_code, 200, r.text)
                j = json.loads(r.content)  # strict: the document itself must be UTF-8
                self.assertIs(j["valid"], False)
                self.assertEqual(j["error_code"], code)
                self.assertTrue(j["reason"])
        r = requests.get(f"{self.ep}/api/validation/bucket/bad%FFname")
        j = json.loads(r.content)
        self.assertIs(j["valid"], False)
        self.assertEqual(j["error_code"], "InvalidBucketName")
        j = self.validation_api("/api/validation/key", key="a" * 1025)
        self.assertIn("1024", j["reason"])
        j = self.validation_api("/api/validation/key", key="fine/key ä+€")
        self.assertEqual(j, {"key": "fine/key ä+€", "valid": True})
        # The key parameter is required.
        self.assertEqual(requests.get(f"{self.ep}/api/validation/key").status_code, 400)
        j = self.validation_api("/api/validation/key", key="")
        self.assertIs(j["valid"], False)

    # --- customer ids -------------------------------------------------------------------

    def test_bad_customer_id(self):
        before = self.state()
        for cid in ("bad customer", "a" * 65, "bad/slash", "semi;colon", "quote\"", "ünï"):
            with self.subTest(cid=cid):
                headers = {"X-Customer-ID": cid.encode("utf-8")}
                self.assert_s3_error(requests.put(f"{self.ep}/customer-bucket", headers=headers),
                                     "InvalidArgument")
                self.assert_s3_error(requests.put(f"{self.ep}/{self.bucket}/cust-key", data=b"x",
                                                  headers=headers), "InvalidArgument")
                self.assert_s3_error(requests.get(f"{self.ep}/", headers=headers), "InvalidArgument")
        r = requests.get(f"{self.ep}/{self.bucket}", headers={"X-Customer-ID": ""})
        self.assert_s3_error(r, "InvalidArgument")
        self.assertEqual(self.state(), before)
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM buckets WHERE name = 'customer-bucket'")),
                         0)
        # A well-formed id is accepted.
        ok = requests.put(f"{self.ep}/customer-bucket", headers={"X-Customer-ID": "Cust_1.a-b"})
        self.assertEqual(ok.status_code, 200, ok.text)
        self.assertEqual(self.gw.sql(
            "SELECT customer_id FROM buckets WHERE name = 'customer-bucket'"), "Cust_1.a-b")

    # --- bodies and parameters ----------------------------------------------------------

    def test_malformed_create_bucket_configuration(self):
        before = self.state()
        for body in ("<not-xml", "<Wrong/>",
                     "<CreateBucketConfiguration><Foo>x</Foo></CreateBucketConfiguration>",
                     '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                     "<LocationConstraint>a</LocationConstraint>"
                     "<LocationConstraint>b</LocationConstraint></CreateBucketConfiguration>"):
            with self.subTest(body=body):
                self.assert_s3_error(requests.put(f"{self.ep}/config-bucket", data=body),
                                     "MalformedXML")
        self.assertEqual(self.state(), before)

    def test_listing_parameters_must_be_utf8(self):
        import base64
        token = base64.b64encode(b"k\xff").decode()
        for query in ("prefix=%FF", "marker=%FF", "delimiter=%FF", "prefix=a%00",
                      "list-type=2&start-after=%C3", "list-type=2&prefix=%ED%A0%80",
                      f"list-type=2&continuation-token={urllib.parse.quote(token)}"):
            with self.subTest(query=query):
                r = requests.get(f"{self.ep}/{self.bucket}?{query}")
                self.assert_s3_error(r, "InvalidArgument")

    def test_header_values_must_be_utf8(self):
        before = self.state()
        for headers in ({"x-amz-meta-a": b"\xff\xfe"}, {"Content-Type": b"text/\xff"},
                        {"Cache-Control": b"max-age=\xe4"},
                        {"Content-Disposition": b"attachment; filename=\xe4.txt"}):
            with self.subTest(headers=headers):
                r = requests.put(f"{self.ep}/{self.bucket}/bad-header", data=b"x", headers=headers)
                self.assert_s3_error(r, "InvalidArgument")
        self.assertEqual(self.state(), before)
        # UTF-8 is fine and round-trips byte for byte.
        r = requests.put(f"{self.ep}/{self.bucket}/utf8-header", data=b"x",
                         headers={"x-amz-meta-city": "Hämeenlinna".encode()})
        self.assertEqual(r.status_code, 200, r.text)
        g = requests.get(f"{self.ep}/{self.bucket}/utf8-header")
        self.assertEqual(g.raw.headers["x-amz-meta-city"].encode("latin-1"), "Hämeenlinna".encode())
        self.s3.delete_object(Bucket=self.bucket, Key="utf8-header")

    def test_invalid_percent_encoding(self):
        before = self.state()
        for path in (f"/{self.bucket}/bad%zzkey", f"/{self.bucket}/bad%2", "/bad%zzbucket"):
            with self.subTest(path=path):
                status, body = self.curl("PUT", path, data="x")
                self.assertEqual(status, 400, body)
                self.assertEqual(ET.fromstring(body).find("Code").text, "InvalidArgument")
        self.assertEqual(self.state(), before)


if __name__ == "__main__":
    unittest.main()
