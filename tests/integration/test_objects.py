"""Buckets and objects through boto3 (and raw HTTP where boto3 hides the wire).

One PostgreSQL cluster and one regional gateway (with an admin token) serve the whole module.
"""
import base64
import datetime
import hashlib
import os
import time
import unittest
import uuid
import xml.etree.ElementTree as ET
import zlib

import requests
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster

ADMIN_TOKEN = "objects-admin-" + uuid.uuid4().hex
S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


# --- checksums computed independently of the gateway (awscrt is not installed) -------------

def _crc_table(poly, width):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc_table(0x82F63B78, 32)
_CRC64NVME = _crc_table(0x9A6C9329AC4BC9B5, 64)


def _crc(data, table, width):
    mask = (1 << width) - 1
    c = mask
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def b64(raw):
    return base64.b64encode(raw).decode()


def expected_checksum(algorithm, data):
    if algorithm == "SHA256":
        return b64(hashlib.sha256(data).digest())
    if algorithm == "SHA1":
        return b64(hashlib.sha1(data).digest())
    if algorithm == "CRC32":
        return b64(zlib.crc32(data).to_bytes(4, "big"))
    if algorithm == "CRC32C":
        return b64(_crc(data, _CRC32C, 32).to_bytes(4, "big"))
    if algorithm == "CRC64NVME":
        return b64(_crc(data, _CRC64NVME, 64).to_bytes(8, "big"))
    raise ValueError(algorithm)


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


class ChecksumHelpersTest(unittest.TestCase):
    """The reference implementations above against the published check values."""

    def test_check_values(self):
        self.assertEqual(_crc(b"123456789", _CRC32C, 32), 0xE3069283)
        self.assertEqual(_crc(b"123456789", _CRC64NVME, 64), 0xAE8B14860A799888)


class ObjectsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env={"S3GW_ADMIN_TOKEN": ADMIN_TOKEN}).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.s3 = cls.gw.client()
        cls.ep = cls.gw.endpoint
        cls.bucket = "objects-main"
        cls.s3.create_bucket(Bucket=cls.bucket)

    @classmethod
    def tearDownClass(cls):
        cls.gw.cleanup()
        cls.pg.stop()

    # --- helpers ------------------------------------------------------------------------

    def new_bucket(self, prefix="bkt"):
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        self.s3.create_bucket(Bucket=name)
        return name

    def assert_client_error(self, fn, code, status, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def assert_absent(self, bucket, key):
        self.assert_client_error(self.s3.head_object, "404", 404, Bucket=bucket, Key=key)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        self.assertNotIn(key, keys)

    def bucket_rows(self, name):
        return int(self.gw.sql(f"SELECT count(*) FROM buckets WHERE name = '{name}'"))

    def body(self, resp):
        return resp["Body"].read()

    def parse_error(self, text):
        root = ET.fromstring(text)
        self.assertEqual(root.tag, "Error")
        return {child.tag: child.text for child in root}

    # --- buckets ------------------------------------------------------------------------

    def test_create_bucket_without_configuration(self):
        name = self.new_bucket("plain")
        loc = self.s3.get_bucket_location(Bucket=name)
        self.assertIn(loc["LocationConstraint"], (None, ""))
        self.assertIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])

    def test_create_bucket_with_location_constraint(self):
        # Countries, regions and zones, stored normalized (lower case, no spaces).
        for constraint, stored in (("fi-hel", "fi-hel"), ("fi,de", "fi,de"),
                                   ("FI-HEL-UC-1, de", "fi-hel-uc-1,de")):
            name = f"located-{uuid.uuid4().hex[:8]}"
            r = self.s3.create_bucket(Bucket=name,
                                      CreateBucketConfiguration={"LocationConstraint": constraint})
            self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
            loc = self.s3.get_bucket_location(Bucket=name)
            self.assertEqual(loc["LocationConstraint"], stored)
            self.assertEqual(
                self.gw.sql(f"SELECT location_constraint FROM buckets WHERE name = '{name}'"),
                stored)

    def test_create_bucket_with_unknown_location_is_refused(self):
        # A location placement could never honour is refused before the bucket exists.
        for constraint in ("eu-north-1", "fi,xx", "fi-hel-zz-9", "fi,,de", "fi,fi"):
            name = f"nowhere-{uuid.uuid4().hex[:8]}"
            self.assert_client_error(self.s3.create_bucket, "InvalidLocationConstraint", 400,
                                     Bucket=name,
                                     CreateBucketConfiguration={"LocationConstraint": constraint})
            self.assertEqual(self.bucket_rows(name), 0, constraint)

    def test_objects_land_in_the_primary_zone(self):
        # fi-hel-uc-1 named first: the blob is written there, under the bucket's hashed name.
        name = f"placed-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name,
                              CreateBucketConfiguration={"LocationConstraint": "fi-hel-uc-1,fi"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"where am I")
        zone = self.gw.sql("SELECT o.zone_id || ' ' || o.backend_bucket FROM objects o "
                           f"JOIN buckets b ON b.id = o.bucket_id WHERE b.name = '{name}'")
        self.assertRegex(zone, r"^fi-hel-uc-1 s3gw-[0-9a-f]{8}-upcloud$")
        files = [f for f in self.gw.blob_files() if os.sep + "fi-hel-uc-1" + os.sep in f]
        self.assertEqual(len(files), 1, self.gw.blob_files())
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"where am I")
        # A de-only bucket of this fi-hel gateway writes only to a de zone.
        de = f"placed-de-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=de, CreateBucketConfiguration={"LocationConstraint": "de"})
        self.s3.put_object(Bucket=de, Key="k", Body=b"in Germany")
        self.assertRegex(self.gw.sql(
            "SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{de}'"), r"^de-")

    def test_create_bucket_twice_is_already_owned_by_you(self):
        name = self.new_bucket("twice")
        self.assert_client_error(self.s3.create_bucket, "BucketAlreadyOwnedByYou", 409, Bucket=name)
        self.assert_client_error(self.s3.create_bucket, "BucketAlreadyOwnedByYou", 409, Bucket=name,
                                 CreateBucketConfiguration={"LocationConstraint": "fi-hel"})
        self.assertEqual(self.bucket_rows(name), 1)
        # The first creation's (absent) constraint is kept.
        self.assertIn(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], (None, ""))

    def test_head_bucket(self):
        name = self.new_bucket("head")
        r = self.s3.head_bucket(Bucket=name)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assert_client_error(self.s3.head_bucket, "404", 404, Bucket="no-such-bucket-here")

    def test_delete_bucket(self):
        name = self.new_bucket("del")
        self.s3.put_object(Bucket=name, Key="a/b.txt", Body=b"x")
        self.assert_client_error(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=name)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="a/b.txt")["Body"].read(), b"x")
        self.s3.delete_object(Bucket=name, Key="a/b.txt")
        r = self.s3.delete_bucket(Bucket=name)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.s3.head_bucket, "404", 404, Bucket=name)
        self.assert_client_error(self.s3.delete_bucket, "NoSuchBucket", 404, Bucket=name)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        self.assertEqual(self.bucket_rows(name), 0)
        # The name can be taken again and starts empty.
        self.s3.create_bucket(Bucket=name)
        self.assertEqual(self.s3.list_objects_v2(Bucket=name)["KeyCount"], 0)

    def test_list_buckets(self):
        names = sorted(f"list-{i}-{uuid.uuid4().hex[:6]}" for i in range(3))
        for n in names:
            self.s3.create_bucket(Bucket=n)
        listed = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        for n in names:
            self.assertEqual(listed.count(n), 1)
        self.assertEqual(listed, sorted(listed))
        for b in self.s3.list_buckets()["Buckets"]:
            self.assertIsInstance(b["CreationDate"], datetime.datetime)

    def test_object_operations_on_missing_bucket(self):
        self.assert_client_error(self.s3.put_object, "NoSuchBucket", 404,
                                 Bucket="missing-bucket-x", Key="k", Body=b"data")
        self.assert_client_error(self.s3.get_object, "NoSuchBucket", 404,
                                 Bucket="missing-bucket-x", Key="k")
        self.assert_client_error(self.s3.delete_object, "NoSuchBucket", 404,
                                 Bucket="missing-bucket-x", Key="k")
        self.assert_client_error(self.s3.list_objects_v2, "NoSuchBucket", 404,
                                 Bucket="missing-bucket-x")
        self.assertEqual(self.bucket_rows("missing-bucket-x"), 0)

    # --- basic object life cycle --------------------------------------------------------

    def test_put_get_head_delete(self):
        data = os.urandom(5000)
        r = self.s3.put_object(Bucket=self.bucket, Key="life/cycle.bin", Body=data)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(r["ETag"], f'"{md5_hex(data)}"')
        g = self.s3.get_object(Bucket=self.bucket, Key="life/cycle.bin")
        self.assertEqual(self.body(g), data)
        self.assertEqual(g["ContentLength"], len(data))
        self.assertEqual(g["ETag"], f'"{md5_hex(data)}"')
        h = self.s3.head_object(Bucket=self.bucket, Key="life/cycle.bin")
        self.assertEqual(h["ContentLength"], len(data))
        self.assertEqual(h["ETag"], f'"{md5_hex(data)}"')
        self.assertIsInstance(h["LastModified"], datetime.datetime)

        d = self.s3.delete_object(Bucket=self.bucket, Key="life/cycle.bin")
        self.assertEqual(d["ResponseMetadata"]["HTTPStatusCode"], 204)
        # Idempotent: deleting what is not there is still 204.
        d = self.s3.delete_object(Bucket=self.bucket, Key="life/cycle.bin")
        self.assertEqual(d["ResponseMetadata"]["HTTPStatusCode"], 204)
        d = self.s3.delete_object(Bucket=self.bucket, Key="never/existed")
        self.assertEqual(d["ResponseMetadata"]["HTTPStatusCode"], 204)
        err = self.assert_client_error(self.s3.get_object, "NoSuchKey", 404,
                                       Bucket=self.bucket, Key="life/cycle.bin")
        self.assertIn("specified key does not exist", err["Error"]["Message"])
        self.assert_client_error(self.s3.head_object, "404", 404,
                                 Bucket=self.bucket, Key="life/cycle.bin")

    def test_no_such_key_xml(self):
        r = requests.get(f"{self.ep}/{self.bucket}/no/such/key.txt")
        self.assertEqual(r.status_code, 404)
        e = self.parse_error(r.text)
        self.assertEqual(e["Code"], "NoSuchKey")
        self.assertEqual(e["Key"], "no/such/key.txt")
        self.assertEqual(e["Resource"], f"/{self.bucket}/no/such/key.txt")
        self.assertTrue(e["Message"])
        self.assertEqual(e["RequestId"], r.headers["x-amz-request-id"])

    def test_empty_object(self):
        self.s3.put_object(Bucket=self.bucket, Key="empty", Body=b"")
        g = self.s3.get_object(Bucket=self.bucket, Key="empty")
        self.assertEqual(self.body(g), b"")
        self.assertEqual(g["ContentLength"], 0)
        self.assertEqual(g["ETag"], f'"{md5_hex(b"")}"')

    def _files_with_content(self, data):
        out = set()
        for path in self.gw.blob_files():
            try:
                if os.path.getsize(path) == len(data):
                    with open(path, "rb") as f:
                        if f.read() == data:
                            out.add(path)
            except FileNotFoundError:
                pass
        return out

    def _wait_gone(self, paths):
        # The old blob is removed after the commit; allow the removal a moment, then check.
        deadline = time.time() + 30
        while time.time() < deadline and any(os.path.exists(p) for p in paths):
            time.sleep(0.05)
        return [p for p in paths if os.path.exists(p)]

    def test_overwrite_replaces_content_and_removes_old_blob(self):
        bucket = self.new_bucket("overwrite")
        old = b"old content " + os.urandom(64)
        new = b"new content, longer " + os.urandom(200)
        self.s3.put_object(Bucket=bucket, Key="doc.txt", Body=old, Metadata={"gen": "1"},
                           ContentType="text/plain")
        old_files = self._files_with_content(old)
        self.assertEqual(len(old_files), 1, "the first version is stored as one blob file")
        before = set(self.gw.blob_files())

        r = self.s3.put_object(Bucket=bucket, Key="doc.txt", Body=new)
        self.assertEqual(r["ETag"], f'"{md5_hex(new)}"')
        g = self.s3.get_object(Bucket=bucket, Key="doc.txt")
        self.assertEqual(self.body(g), new)
        # Metadata of the old version does not leak into the new one.
        self.assertEqual(g["Metadata"], {})
        self.assertNotEqual(g["ContentType"], "text/plain")
        self.assertEqual(self._wait_gone(old_files), [], "old blob still on disk")
        after = set(self.gw.blob_files())
        self.assertEqual(len(after - before), 1, "exactly one new blob file")
        self.assertEqual(before - after, old_files)
        self.assertEqual(self._files_with_content(new), after - before)
        listed = self.s3.list_objects_v2(Bucket=bucket)["Contents"]
        self.assertEqual([(o["Key"], o["Size"]) for o in listed], [("doc.txt", len(new))])

    def test_delete_removes_blob_file(self):
        bucket = self.new_bucket("delblob")
        data = b"to be deleted " + os.urandom(64)
        self.s3.put_object(Bucket=bucket, Key="gone", Body=data)
        files = self._files_with_content(data)
        self.assertEqual(len(files), 1)
        self.s3.delete_object(Bucket=bucket, Key="gone")
        self.assertEqual(self._wait_gone(files), [])

    # --- metadata and headers -----------------------------------------------------------

    def test_user_metadata_round_trip(self):
        meta = {"color": "blue", "owner-name": "Alice Example", "n": "42", "empty": ""}
        self.s3.put_object(Bucket=self.bucket, Key="meta.txt", Body=b"m", Metadata=meta)
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="meta.txt")["Metadata"], meta)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="meta.txt")["Metadata"], meta)

    def test_user_metadata_names_are_case_insensitive(self):
        r = requests.put(f"{self.ep}/{self.bucket}/meta-case.txt", data=b"c",
                         headers={"X-Amz-Meta-Project": "Apollo"})
        self.assertEqual(r.status_code, 200, r.text)
        h = self.s3.head_object(Bucket=self.bucket, Key="meta-case.txt")
        self.assertEqual(h["Metadata"], {"project": "Apollo"})

    def test_metadata_too_large(self):
        self.assert_client_error(self.s3.put_object, "MetadataTooLarge", 400,
                                 Bucket=self.bucket, Key="big-meta", Body=b"data",
                                 Metadata={"big": "x" * 2100})
        self.assert_absent(self.bucket, "big-meta")
        # Many small entries that add up past 2 KB count too.
        self.assert_client_error(self.s3.put_object, "MetadataTooLarge", 400,
                                 Bucket=self.bucket, Key="big-meta",
                                 Body=b"data", Metadata={f"k{i:03d}": "v" * 20 for i in range(100)})
        self.assert_absent(self.bucket, "big-meta")
        # Just under the limit is fine.
        self.s3.put_object(Bucket=self.bucket, Key="ok-meta", Body=b"d",
                           Metadata={"big": "x" * 1900})
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="ok-meta")["Metadata"],
                         {"big": "x" * 1900})

    def test_metadata_too_large_does_not_replace_existing(self):
        self.s3.put_object(Bucket=self.bucket, Key="keep-meta", Body=b"original")
        self.assert_client_error(self.s3.put_object, "MetadataTooLarge", 400,
                                 Bucket=self.bucket, Key="keep-meta", Body=b"replacement",
                                 Metadata={"big": "y" * 3000})
        self.assertEqual(self.body(self.s3.get_object(Bucket=self.bucket, Key="keep-meta")),
                         b"original")

    def test_content_headers_stored_and_returned(self):
        expires = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        self.s3.put_object(Bucket=self.bucket, Key="headers.html", Body=b"<p>hi</p>",
                           ContentType="text/html; charset=utf-8",
                           CacheControl="max-age=3600, public",
                           ContentDisposition='attachment; filename="report.html"',
                           ContentEncoding="identity",
                           ContentLanguage="fi",
                           Expires=expires)
        for resp in (self.s3.head_object(Bucket=self.bucket, Key="headers.html"),
                     self.s3.get_object(Bucket=self.bucket, Key="headers.html")):
            self.assertEqual(resp["ContentType"], "text/html; charset=utf-8")
            self.assertEqual(resp["CacheControl"], "max-age=3600, public")
            self.assertEqual(resp["ContentDisposition"], 'attachment; filename="report.html"')
            self.assertEqual(resp["ContentEncoding"], "identity")
            self.assertEqual(resp["ContentLanguage"], "fi")
            raw = resp["ResponseMetadata"]["HTTPHeaders"]
            self.assertEqual(raw["expires"], "Wed, 02 Jan 2030 03:04:05 GMT")

    def test_default_content_type(self):
        r = requests.put(f"{self.ep}/{self.bucket}/no-type", data=b"abc")
        self.assertEqual(r.status_code, 200)
        h = self.s3.head_object(Bucket=self.bucket, Key="no-type")
        self.assertEqual(h["ContentType"], "binary/octet-stream")

    def test_response_content_type_override(self):
        self.s3.put_object(Bucket=self.bucket, Key="override.bin", Body=b"1,2,3",
                           ContentType="application/octet-stream")
        g = self.s3.get_object(Bucket=self.bucket, Key="override.bin",
                               ResponseContentType="text/csv",
                               ResponseContentDisposition='attachment; filename="x.csv"',
                               ResponseCacheControl="no-cache")
        self.assertEqual(g["ContentType"], "text/csv")
        self.assertEqual(g["ContentDisposition"], 'attachment; filename="x.csv"')
        self.assertEqual(g["CacheControl"], "no-cache")
        self.assertEqual(self.body(g), b"1,2,3")
        # The override is per response: the stored value is unchanged.
        h = self.s3.head_object(Bucket=self.bucket, Key="override.bin")
        self.assertEqual(h["ContentType"], "application/octet-stream")

    # --- integrity ----------------------------------------------------------------------

    def test_etag_is_md5(self):
        for size in (1, 1000, 70000):
            data = os.urandom(size)
            key = f"etag/{size}"
            put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
            want = f'"{md5_hex(data)}"'
            self.assertEqual(put["ETag"], want)
            self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key=key)["ETag"], want)
            listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=key)["Contents"]
            self.assertEqual([o["ETag"] for o in listed], [want])

    def test_content_md5(self):
        data = b"checked body " * 100
        good = b64(hashlib.md5(data).digest())
        r = self.s3.put_object(Bucket=self.bucket, Key="md5/good", Body=data, ContentMD5=good)
        self.assertEqual(r["ETag"], f'"{md5_hex(data)}"')
        self.assertEqual(self.body(self.s3.get_object(Bucket=self.bucket, Key="md5/good")), data)

        wrong = b64(hashlib.md5(b"something else").digest())
        self.assert_client_error(self.s3.put_object, "BadDigest", 400,
                                 Bucket=self.bucket, Key="md5/wrong", Body=data, ContentMD5=wrong)
        self.assert_absent(self.bucket, "md5/wrong")

        for malformed in ("not base64!!", b64(b"0123456789")):
            self.assert_client_error(self.s3.put_object, "InvalidDigest", 400,
                                     Bucket=self.bucket, Key="md5/malformed", Body=data,
                                     ContentMD5=malformed)
        self.assert_absent(self.bucket, "md5/malformed")

    def test_bad_digest_keeps_previous_version(self):
        self.s3.put_object(Bucket=self.bucket, Key="md5/keep", Body=b"v1")
        self.assert_client_error(self.s3.put_object, "BadDigest", 400, Bucket=self.bucket,
                                 Key="md5/keep", Body=b"v2",
                                 ContentMD5=b64(hashlib.md5(b"v3").digest()))
        self.assertEqual(self.body(self.s3.get_object(Bucket=self.bucket, Key="md5/keep")), b"v1")

    def test_bad_digest_leaves_no_blob_file(self):
        bucket = self.new_bucket("nofile")
        before = set(self.gw.blob_files())
        self.assert_client_error(self.s3.put_object, "BadDigest", 400, Bucket=bucket,
                                 Key="x", Body=b"payload" * 100,
                                 ContentMD5=b64(hashlib.md5(b"other").digest()))
        self.assertEqual(set(self.gw.blob_files()) - before, set())

    def test_checksum_algorithms(self):
        data = b"checksum me " + bytes(range(256)) * 8
        for alg in ("SHA256", "CRC32", "CRC32C", "SHA1", "CRC64NVME"):
            with self.subTest(alg=alg):
                key = f"checksum/{alg}"
                want = expected_checksum(alg, data)
                if alg in ("CRC32C", "CRC64NVME"):
                    # botocore needs awscrt (not installed) to compute these: name the
                    # algorithm and send the value ourselves.
                    put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data,
                                             ChecksumAlgorithm=alg, **{f"Checksum{alg}": want})
                else:
                    put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data,
                                             ChecksumAlgorithm=alg)
                self.assertEqual(put.get(f"Checksum{alg}"), want)

                g = self.s3.get_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                self.assertEqual(g.get(f"Checksum{alg}"), want)
                self.assertEqual(self.body(g), data)  # boto3 validates supported algorithms
                h = self.s3.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                self.assertEqual(h.get(f"Checksum{alg}"), want)

                # Without checksum mode no checksum header is returned (boto3 always asks
                # for it, so use a plain HTTP request).
                plain = requests.get(f"{self.ep}/{self.bucket}/{key}")
                self.assertEqual(plain.content, data)
                self.assertFalse([h for h in plain.headers
                                  if h.lower().startswith("x-amz-checksum-")], plain.headers)

                # A range is not the whole object: never a whole-object checksum on a 206.
                part = self.s3.get_object(Bucket=self.bucket, Key=key, Range="bytes=0-99",
                                          ChecksumMode="ENABLED")
                self.assertEqual(part["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(self.body(part), data[:100])
                headers = part["ResponseMetadata"]["HTTPHeaders"]
                self.assertFalse([h for h in headers if h.startswith("x-amz-checksum-")
                                  and h != "x-amz-checksum-type"], headers)

    def test_checksum_wire_values_with_raw_http(self):
        # The checksum headers the gateway returns, checked without boto3 in between.
        data = b"raw checksum body"
        want = expected_checksum("SHA256", data)
        r = requests.put(f"{self.ep}/{self.bucket}/checksum/raw", data=data,
                         headers={"x-amz-checksum-sha256": want})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers.get("x-amz-checksum-sha256"), want)
        g = requests.get(f"{self.ep}/{self.bucket}/checksum/raw",
                         headers={"x-amz-checksum-mode": "ENABLED"})
        self.assertEqual(g.headers.get("x-amz-checksum-sha256"), want)
        self.assertEqual(g.content, data)

    def test_wrong_checksum_is_bad_digest(self):
        data = b"some data for the crc"
        self.assertNotEqual(expected_checksum("CRC32", data), "AAAAAA==")
        self.assert_client_error(self.s3.put_object, "BadDigest", 400, Bucket=self.bucket,
                                 Key="checksum/wrong", Body=data, ChecksumCRC32="AAAAAA==")
        self.assert_absent(self.bucket, "checksum/wrong")
        wrong_sha = b64(hashlib.sha256(b"other").digest())
        self.assert_client_error(self.s3.put_object, "BadDigest", 400, Bucket=self.bucket,
                                 Key="checksum/wrong", Body=data, ChecksumSHA256=wrong_sha)
        self.assert_absent(self.bucket, "checksum/wrong")

    def test_malformed_checksum_value_rejected(self):
        r = requests.put(f"{self.ep}/{self.bucket}/checksum/malformed", data=b"abc",
                         headers={"x-amz-checksum-crc32": "not-a-checksum"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.parse_error(r.text)["Code"], "InvalidRequest")
        self.assert_absent(self.bucket, "checksum/malformed")

    # --- ranges -------------------------------------------------------------------------

    def test_ranges(self):
        data = bytes(range(256)) * 4  # 1024 bytes
        self.s3.put_object(Bucket=self.bucket, Key="range.bin", Body=data)
        cases = [
            ("bytes=0-9", 0, 9),
            ("bytes=100-199", 100, 199),
            ("bytes=1000-", 1000, 1023),
            ("bytes=-10", 1014, 1023),
            ("bytes=1000-5000", 1000, 1023),  # an end past the object is clipped
            ("bytes=0-", 0, 1023),
            ("bytes=-5000", 0, 1023),  # a suffix longer than the object is the whole object
        ]
        for header, first, last in cases:
            with self.subTest(range=header):
                g = self.s3.get_object(Bucket=self.bucket, Key="range.bin", Range=header)
                self.assertEqual(g["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(g["ContentRange"], f"bytes {first}-{last}/1024")
                self.assertEqual(g["ContentLength"], last - first + 1)
                self.assertEqual(self.body(g), data[first:last + 1])
        h = self.s3.head_object(Bucket=self.bucket, Key="range.bin", Range="bytes=10-19")
        self.assertEqual(h["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(h["ContentLength"], 10)
        self.assertEqual(h["ContentRange"], "bytes 10-19/1024")

    def test_range_not_satisfiable(self):
        self.s3.put_object(Bucket=self.bucket, Key="short.bin", Body=b"x" * 50)
        for header in ("bytes=100-", "bytes=50-60"):
            with self.subTest(range=header):
                err = self.assert_client_error(self.s3.get_object, "InvalidRange", 416,
                                               Bucket=self.bucket, Key="short.bin", Range=header)
                self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"].get("content-range"),
                                 "bytes */50")
        # An unparsable Range header is ignored, as HTTP says: the whole object.
        r = requests.get(f"{self.ep}/{self.bucket}/short.bin", headers={"Range": "lines=1-2"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.content, b"x" * 50)

    # --- conditional requests -----------------------------------------------------------

    def _conditional_object(self, key):
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"conditional body")
        h = self.s3.head_object(Bucket=self.bucket, Key=key)
        lm = h["LastModified"]
        return h["ETag"], h["ResponseMetadata"]["HTTPHeaders"]["last-modified"], lm

    def _status(self, method, key, **headers):
        r = requests.request(method, f"{self.ep}/{self.bucket}/{key}", headers=headers)
        return r.status_code, r

    def test_conditional_get_and_head(self):
        etag, lm_header, lm = self._conditional_object("cond.txt")
        past = (lm - datetime.timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        future = (lm + datetime.timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
        other = '"0123456789abcdef0123456789abcdef"'
        cases = [
            ({"If-Match": etag}, 200),
            ({"If-Match": other}, 412),
            ({"If-Match": "*"}, 200),
            ({"If-Match": f"{other}, {etag}"}, 200),
            ({"If-None-Match": etag}, 304),
            ({"If-None-Match": other}, 200),
            ({"If-None-Match": "*"}, 304),
            ({"If-None-Match": f"{other}, {etag}"}, 304),
            ({"If-Modified-Since": past}, 200),
            ({"If-Modified-Since": future}, 304),
            ({"If-Modified-Since": lm_header}, 304),  # what caches send back
            ({"If-Unmodified-Since": past}, 412),
            ({"If-Unmodified-Since": future}, 200),
            ({"If-Unmodified-Since": lm_header}, 200),
            # Precedence (S3 GetObject documentation, RFC 7232 section 6):
            # If-Match true wins over If-Unmodified-Since false.
            ({"If-Match": etag, "If-Unmodified-Since": past}, 200),
            # If-None-Match false (tag matches) wins over If-Modified-Since true.
            ({"If-None-Match": etag, "If-Modified-Since": past}, 304),
            ({"If-Match": other, "If-None-Match": other}, 412),
            ({"If-Match": etag, "If-None-Match": etag}, 304),
            ({"If-Unmodified-Since": past, "If-None-Match": etag}, 412),
        ]
        for headers, want in cases:
            for method in ("GET", "HEAD"):
                with self.subTest(method=method, headers=headers):
                    status, r = self._status(method, "cond.txt", **headers)
                    self.assertEqual(status, want)
                    if want == 304:
                        self.assertEqual(r.content, b"")
                        self.assertEqual(r.headers.get("ETag"), etag)
                    elif want == 412 and method == "GET":
                        self.assertEqual(self.parse_error(r.text)["Code"], "PreconditionFailed")
                    elif want == 200 and method == "GET":
                        self.assertEqual(r.content, b"conditional body")

    def test_conditional_through_boto3(self):
        etag, _, lm = self._conditional_object("cond-boto.txt")
        g = self.s3.get_object(Bucket=self.bucket, Key="cond-boto.txt", IfMatch=etag)
        self.assertEqual(self.body(g), b"conditional body")
        self.assert_client_error(self.s3.get_object, "PreconditionFailed", 412,
                                 Bucket=self.bucket, Key="cond-boto.txt", IfMatch='"nope"')
        self.assert_client_error(self.s3.get_object, "304", 304,
                                 Bucket=self.bucket, Key="cond-boto.txt", IfNoneMatch=etag)
        self.assert_client_error(self.s3.head_object, "304", 304,
                                 Bucket=self.bucket, Key="cond-boto.txt",
                                 IfModifiedSince=lm + datetime.timedelta(hours=1))
        self.assert_client_error(self.s3.head_object, "412", 412,
                                 Bucket=self.bucket, Key="cond-boto.txt",
                                 IfUnmodifiedSince=lm - datetime.timedelta(hours=1))

    def test_condition_on_missing_key_is_no_such_key(self):
        self.assert_client_error(self.s3.get_object, "NoSuchKey", 404, Bucket=self.bucket,
                                 Key="cond-missing", IfMatch='"abc"')

    # --- addressing, request ids, unsupported operations --------------------------------

    def test_s3_path_prefix(self):
        data = b"reached through /s3/"
        r = requests.put(f"{self.ep}/s3/{self.bucket}/prefixed/obj.txt", data=data,
                         headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["ETag"], f'"{md5_hex(data)}"')
        for url in (f"{self.ep}/s3/{self.bucket}/prefixed/obj.txt",
                    f"{self.ep}/{self.bucket}/prefixed/obj.txt"):
            g = requests.get(url)
            self.assertEqual(g.status_code, 200)
            self.assertEqual(g.content, data)
            self.assertEqual(g.headers["Content-Type"], "text/plain")
        self.assertEqual(self.body(self.s3.get_object(Bucket=self.bucket, Key="prefixed/obj.txt")),
                         data)
        # Bucket-level requests through the prefix.
        lst = requests.get(f"{self.ep}/s3/{self.bucket}?list-type=2&prefix=prefixed/")
        self.assertEqual(lst.status_code, 200)
        keys = [k.text for k in ET.fromstring(lst.text).iter(f"{S3NS}Key")]
        self.assertEqual(keys, ["prefixed/obj.txt"])
        name = f"prefixed-{uuid.uuid4().hex[:8]}"
        self.assertEqual(requests.put(f"{self.ep}/s3/{name}").status_code, 200)
        self.assertEqual(self.s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(requests.head(f"{self.ep}/s3/{name}").status_code, 200)
        self.assertEqual(requests.delete(f"{self.ep}/s3/{self.bucket}/prefixed/obj.txt").status_code,
                         204)
        self.assertEqual(requests.get(f"{self.ep}/{self.bucket}/prefixed/obj.txt").status_code, 404)
        self.assertEqual(requests.delete(f"{self.ep}/s3/{name}").status_code, 204)
        self.assertEqual(requests.head(f"{self.ep}/{name}").status_code, 404)

    def test_request_id_on_success_and_error(self):
        r = self.s3.put_object(Bucket=self.bucket, Key="rid", Body=b"1")
        ok_id = r["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")
        self.assertTrue(ok_id)
        g = requests.get(f"{self.ep}/{self.bucket}/rid")
        self.assertTrue(g.headers.get("x-amz-request-id"))
        self.assertNotEqual(g.headers["x-amz-request-id"], ok_id)
        for method, path in (("GET", f"/{self.bucket}/missing-key"),
                             ("GET", "/no-such-bucket-rid/key"),
                             ("DELETE", "/no-such-bucket-rid"),
                             ("PUT", "/Bad_Bucket")):
            with self.subTest(method=method, path=path):
                e = requests.request(method, self.ep + path)
                self.assertGreaterEqual(e.status_code, 400)
                rid = e.headers.get("x-amz-request-id")
                self.assertTrue(rid)
                self.assertEqual(e.headers.get("Content-Type"), "application/xml")
                self.assertEqual(self.parse_error(e.text)["RequestId"], rid)
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=self.bucket, Key="missing-key")
        meta = cm.exception.response["ResponseMetadata"]
        self.assertEqual(meta["RequestId"], meta["HTTPHeaders"]["x-amz-request-id"])

    def test_not_implemented_subresources(self):
        # Sub-resources this gateway does not serve answer NotImplemented and never fall
        # through to another operation: a PUT ?cors must not create a bucket, a PUT ?acl must
        # not overwrite an object, a DELETE ?lifecycle must not delete a bucket.
        name = f"cors-{uuid.uuid4().hex[:8]}"
        body = ('<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><CORSRule>'
                "<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>"
                "</CORSConfiguration>")
        r = requests.put(f"{self.ep}/{name}?cors", data=body)
        self.assertEqual(r.status_code, 501)
        self.assertEqual(self.parse_error(r.text)["Code"], "NotImplemented")
        self.assertEqual(requests.head(f"{self.ep}/{name}").status_code, 404)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        self.assertEqual(self.bucket_rows(name), 0)

        self.s3.put_object(Bucket=self.bucket, Key="acl.txt", Body=b"untouched")
        g = requests.get(f"{self.ep}/{self.bucket}/acl.txt?acl")
        self.assertEqual(g.status_code, 501)
        self.assertEqual(self.parse_error(g.text)["Code"], "NotImplemented")
        p = requests.put(f"{self.ep}/{self.bucket}/acl.txt?acl", data="<AccessControlPolicy/>")
        self.assertEqual(p.status_code, 501)
        # The object was not overwritten by the ACL document.
        self.assertEqual(self.body(self.s3.get_object(Bucket=self.bucket, Key="acl.txt")),
                         b"untouched")
        d = requests.delete(f"{self.ep}/{self.bucket}?lifecycle")
        self.assertEqual(d.status_code, 501)
        self.assertEqual(self.s3.head_bucket(Bucket=self.bucket)["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)

    # --- operations log -----------------------------------------------------------------

    def operations(self, bucket, token=ADMIN_TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.get(f"{self.ep}/api/operations", params={"bucket": bucket, "limit": 1000},
                            headers=headers)

    def test_operations_log(self):
        name = f"oplog-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name)
        put = self.s3.put_object(Bucket=name, Key="a.txt", Body=b"12345")
        self.s3.get_object(Bucket=name, Key="a.txt")["Body"].read()
        self.s3.delete_object(Bucket=name, Key="a.txt")
        with self.assertRaises(ClientError):
            self.s3.get_object(Bucket=name, Key="a.txt")

        r = self.operations(name)
        self.assertEqual(r.status_code, 200, r.text)
        rows = r.json()["operations"]
        ops = [(o["operation"], o.get("key"), o["status"]) for o in rows]
        for want in (("CreateBucket", None, 200), ("PutObject", "a.txt", 200),
                     ("GetObject", "a.txt", 200), ("DeleteObject", "a.txt", 204),
                     ("GetObject", "a.txt", 404)):
            self.assertIn(want, ops)
        self.assertTrue(all(o.get("bucket") == name for o in rows))
        put_rows = [o for o in rows if o["operation"] == "PutObject"]
        self.assertEqual(put_rows[0]["request_id"],
                         put["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"])
        self.assertEqual(put_rows[0].get("bytes"), 5)
        # Newest first, by when each request was handled (reads are written in batches, so
        # insertion order is not request order): the sequence above, reversed.
        stamps = [o["at"] for o in rows]
        self.assertEqual(stamps, sorted(stamps, reverse=True))
        order = [(o["operation"], o["status"]) for o in rows]
        self.assertLess(order.index(("DeleteObject", 204)), order.index(("GetObject", 200)))
        self.assertLess(order.index(("GetObject", 200)), order.index(("PutObject", 200)))
        self.assertLess(order.index(("GetObject", 404)), order.index(("DeleteObject", 204)))

        # A rejected mutation is logged with its error status, and changed nothing.
        self.assert_client_error(self.s3.put_object, "BadDigest", 400, Bucket=name, Key="b.txt",
                                 Body=b"x", ContentMD5=b64(hashlib.md5(b"y").digest()))
        rows = self.operations(name).json()["operations"]
        self.assertIn(("PutObject", "b.txt", 400),
                      [(o["operation"], o.get("key"), o["status"]) for o in rows])

        # limit is honoured.
        r = requests.get(f"{self.ep}/api/operations", params={"bucket": name, "limit": 2},
                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        self.assertEqual(len(r.json()["operations"]), 2)

    def test_operations_log_needs_admin_token(self):
        self.assertEqual(self.operations(self.bucket, token=None).status_code, 401)
        self.assertEqual(self.operations(self.bucket, token="wrong-" + ADMIN_TOKEN).status_code, 401)
        r = requests.get(f"{self.ep}/api/operations", params={"bucket": self.bucket},
                         headers={"Authorization": ADMIN_TOKEN})  # no "Bearer "
        self.assertEqual(r.status_code, 401)
        self.assertNotIn("operations", r.text)


if __name__ == "__main__":
    unittest.main()
