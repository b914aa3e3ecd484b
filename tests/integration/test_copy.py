"""CopyObject and UploadPartCopy end to end: within and across buckets and countries (the new
blob lands in the destination's primary zone), metadata and tagging directives, the
x-amz-copy-source-if-* conditions, versionId sources, the self-copy rule, size limits, copy
ranges, `aws s3 cp` s3->s3 of 20 MiB (UploadPartCopy) and `aws s3 mv` with the aws CLI, copies
between a filesystem zone and a moto-backed zone, and the source's permission with
authentication on.
"""
import base64
import email.utils
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid
import zlib

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

import test_providers as tp
from harness import Gateway, PostgresCluster, require_tool, requires_tool

MiB = 1024 * 1024


def md5_etag(data):
    return f'"{hashlib.md5(data).hexdigest()}"'


def b64(raw):
    return base64.b64encode(raw).decode()


class CopyBase(unittest.TestCase):
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env=cls.ENV).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.s3 = cls.gw.client()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()

    def new_bucket(self, constraint=None, client=None):
        name = f"cp-{uuid.uuid4().hex[:10]}"
        kwargs = {}
        if constraint is not None:
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": constraint}
        (client or self.s3).create_bucket(Bucket=name, **kwargs)
        return name

    def assert_error(self, fn, code, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def row(self, bucket, key, columns):
        return self.gw.sql(f"SELECT {columns} FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                           f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND o.is_latest")

    def body(self, bucket, key, **kwargs):
        return self.s3.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()

    def tags(self, bucket, key):
        return {t["Key"]: t["Value"]
                for t in self.s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


class CopyObjectTest(CopyBase):
    def test_copy_within_and_across_buckets(self):
        src = self.new_bucket()
        data = os.urandom(300_000)
        self.s3.put_object(Bucket=src, Key="a/b c+d.bin", Body=data, ContentType="image/png",
                           CacheControl="max-age=60", ContentDisposition="inline",
                           Metadata={"origin": "camera", "n": "1"}, Tagging="t=1")
        r = self.s3.copy_object(Bucket=src, Key="copy", CopySource=f"{src}/a/b c+d.bin")
        self.assertEqual(r["CopyObjectResult"]["ETag"], md5_etag(data))
        self.assertLess(abs(r["CopyObjectResult"]["LastModified"].timestamp() - time.time()), 60)
        self.assertNotIn("VersionId", r)
        self.assertNotIn("CopySourceVersionId", r)
        got = self.s3.get_object(Bucket=src, Key="copy")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "image/png")
        self.assertEqual(got["CacheControl"], "max-age=60")
        self.assertEqual(got["ContentDisposition"], "inline")
        self.assertEqual(got["Metadata"], {"origin": "camera", "n": "1"})
        self.assertEqual(got["ETag"], md5_etag(data))
        self.assertEqual(self.tags(src, "copy"), {"t": "1"})
        # Another bucket, the source named with a leading slash and URL-encoded.
        dst = self.new_bucket()
        self.s3.copy_object(Bucket=dst, Key="x/y", CopySource={"Bucket": src,
                                                              "Key": "a/b c+d.bin"})
        self.assertEqual(self.body(dst, "x/y"), data)
        r = requests.put(f"{self.gw.endpoint}/{dst}/raw",
                         headers={"x-amz-copy-source": f"/{src}/a/b%20c%2Bd.bin"}, timeout=30)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIn("<CopyObjectResult", r.text)
        self.assertEqual(self.body(dst, "raw"), data)
        # Each copy is a blob of its own: the source can go, the copies stay.
        self.s3.delete_object(Bucket=src, Key="a/b c+d.bin")
        self.assertEqual(self.body(src, "copy"), data)
        blobs = self.gw.sql("SELECT count(DISTINCT blob_key) FROM objects o JOIN buckets b ON "
                            f"b.id = o.bucket_id WHERE b.name IN ('{src}', '{dst}')")
        self.assertEqual(blobs, "3")
        log = self.gw.sql("SELECT count(*) FROM operations_log WHERE operation = 'CopyObject' "
                          f"AND bucket = '{dst}' AND status = 200")
        self.assertEqual(log, "2")

    def test_copy_lands_in_the_destinations_country(self):
        fi = self.new_bucket("fi")
        de = self.new_bucket("de")
        data = os.urandom(1 * MiB + 17)
        self.s3.put_object(Bucket=fi, Key="k", Body=data)
        self.assertEqual(self.row(fi, "k", "o.zone_id"), "fi-hel-st-1")
        self.s3.copy_object(Bucket=de, Key="k", CopySource=f"{fi}/k")
        self.assertEqual(self.row(de, "k", "o.zone_id"), "de-fra-st-1")
        blob = self.row(de, "k", "o.blob_key")
        files = [f for f in self.gw.blob_files() if f.endswith(blob)]
        self.assertEqual(len(files), 1)
        self.assertIn("de-fra-st-1", files[0])
        self.assertEqual(self.body(de, "k"), data)
        # And back, to a zone-pinned bucket.
        pinned = self.new_bucket("fi-hel-uc-1")
        self.s3.copy_object(Bucket=pinned, Key="k", CopySource=f"{de}/k")
        self.assertEqual(self.row(pinned, "k", "o.zone_id"), "fi-hel-uc-1")
        self.assertEqual(self.body(pinned, "k"), data)

    def test_metadata_directive(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"data", ContentType="text/plain",
                           ContentLanguage="fi", Metadata={"old": "1"})
        # COPY (the default) ignores the request's own metadata.
        self.s3.copy_object(Bucket=b, Key="c", CopySource=f"{b}/src", MetadataDirective="COPY",
                            ContentType="application/json", Metadata={"new": "2"})
        h = self.s3.head_object(Bucket=b, Key="c")
        self.assertEqual((h["ContentType"], h["ContentLanguage"], h["Metadata"]),
                         ("text/plain", "fi", {"old": "1"}))
        self.s3.copy_object(Bucket=b, Key="r", CopySource=f"{b}/src", MetadataDirective="REPLACE",
                            ContentType="application/json", Metadata={"new": "2"})
        h = self.s3.head_object(Bucket=b, Key="r")
        self.assertEqual((h["ContentType"], h.get("ContentLanguage"), h["Metadata"]),
                         ("application/json", None, {"new": "2"}))
        self.assertEqual(self.body(b, "r"), b"data")
        r = requests.put(f"{self.gw.endpoint}/{b}/bad", timeout=30, headers={
            "x-amz-copy-source": f"{b}/src", "x-amz-metadata-directive": "MERGE"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("<Code>InvalidArgument</Code>", r.text)
        big_meta = {"m": "x" * 2100}
        self.assert_error(self.s3.copy_object, "MetadataTooLarge", 400, Bucket=b, Key="bad",
                          CopySource=f"{b}/src", MetadataDirective="REPLACE", Metadata=big_meta)
        self.assert_error(self.s3.head_object, "404", 404, Bucket=b, Key="bad")

    def test_tagging_directive(self):
        b = self.new_bucket("fi")
        self.s3.put_object(Bucket=b, Key="src", Body=b"data", Tagging="a=1&replica-count=2")
        self.s3.copy_object(Bucket=b, Key="c", CopySource=f"{b}/src", Tagging="ignored=1")
        self.assertEqual(self.tags(b, "c"), {"a": "1", "replica-count": "2"})
        self.assertEqual(self.row(b, "c", "o.replica_count"), "2")
        self.s3.copy_object(Bucket=b, Key="r", CopySource=f"{b}/src", TaggingDirective="REPLACE",
                            Tagging="b=2")
        self.assertEqual(self.tags(b, "r"), {"b": "2"})
        self.assertEqual(self.row(b, "r", "o.replica_count"), "")
        self.s3.copy_object(Bucket=b, Key="none", CopySource=f"{b}/src",
                            TaggingDirective="REPLACE")
        self.assertEqual(self.tags(b, "none"), {})
        # The destination's constraint decides what replica-count may be: Germany holds three,
        # a zone-pinned Finnish bucket still two (the rest of Finland).
        de = self.new_bucket("de")
        self.s3.copy_object(Bucket=de, Key="k", CopySource=f"{b}/src", TaggingDirective="REPLACE",
                            Tagging="replica-count=3")
        self.assertEqual(self.row(de, "k", "o.replica_count"), "3")
        err = self.assert_error(self.s3.copy_object, "InvalidTag", 400, Bucket=b, Key="bad",
                                CopySource=f"{de}/k")
        self.assertIn("replica-count", err["Error"]["Message"])
        self.assert_error(self.s3.copy_object, "InvalidTag", 400, Bucket=b, Key="bad",
                          CopySource=f"{b}/src", TaggingDirective="REPLACE",
                          Tagging="replica-count=3")
        self.assert_error(self.s3.head_object, "404", 404, Bucket=b, Key="bad")
        r = requests.put(f"{self.gw.endpoint}/{b}/bad", timeout=30, headers={
            "x-amz-copy-source": f"{b}/src", "x-amz-tagging-directive": "copy"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("<Code>InvalidArgument</Code>", r.text)

    def test_copy_source_conditions(self):
        b = self.new_bucket()
        put = self.s3.put_object(Bucket=b, Key="src", Body=b"conditional")
        etag = put["ETag"]
        modified = self.s3.head_object(Bucket=b, Key="src")["LastModified"]
        past = email.utils.formatdate(modified.timestamp() - 3600, usegmt=True)
        future = email.utils.formatdate(modified.timestamp() + 3600, usegmt=True)
        copy = self.s3.copy_object
        args = {"Bucket": b, "Key": "dst", "CopySource": f"{b}/src"}
        for cond in ({"CopySourceIfMatch": '"0000"'}, {"CopySourceIfNoneMatch": etag},
                     {"CopySourceIfNoneMatch": "*"}, {"CopySourceIfModifiedSince": future},
                     {"CopySourceIfUnmodifiedSince": past},
                     {"CopySourceIfNoneMatch": etag, "CopySourceIfModifiedSince": past}):
            self.assert_error(copy, "PreconditionFailed", 412, **args, **cond)
        self.assert_error(self.s3.head_object, "404", 404, Bucket=b, Key="dst")
        for cond in ({"CopySourceIfMatch": etag}, {"CopySourceIfNoneMatch": '"0000"'},
                     {"CopySourceIfModifiedSince": past},
                     {"CopySourceIfUnmodifiedSince": future},
                     # If-Match true wins over If-Unmodified-Since false, as S3 documents.
                     {"CopySourceIfMatch": etag, "CopySourceIfUnmodifiedSince": past}):
            copy(**args, **cond)
        self.assertEqual(self.body(b, "dst"), b"conditional")

    def test_missing_and_malformed_sources(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        copy = self.s3.copy_object
        err = self.assert_error(copy, "NoSuchKey", 404, Bucket=b, Key="d", CopySource=f"{b}/none")
        self.assertEqual(err["Error"]["Key"], "none")
        err = self.assert_error(copy, "NoSuchBucket", 404, Bucket=b, Key="d",
                                CopySource="no-such-bkt/k")
        self.assertEqual(err["Error"]["BucketName"], "no-such-bkt")
        self.assert_error(copy, "NoSuchBucket", 404, Bucket="no-such-bkt", Key="d",
                          CopySource=f"{b}/k")
        self.assert_error(copy, "NoSuchVersion", 404, Bucket=b, Key="d",
                          CopySource={"Bucket": b, "Key": "k",
                                      "VersionId": "0123456789abcdef0123456789abcdef"})
        for header in (b, f"/{b}", f"{b}/", f"{b}/k?versionId=", f"{b}/k?other=1", f"{b}/%zz"):
            r = requests.put(f"{self.gw.endpoint}/{b}/d", headers={"x-amz-copy-source": header},
                             timeout=30)
            self.assertEqual(r.status_code, 400, header)
            self.assertIn("<Code>InvalidArgument</Code>", r.text)
        # Another customer's bucket of the same name is not a source.
        other = self.gw.client(customer="someone-else")
        other.create_bucket(Bucket=b)
        other.put_object(Bucket=b, Key="theirs", Body=b"private")
        self.assert_error(copy, "NoSuchKey", 404, Bucket=b, Key="d", CopySource=f"{b}/theirs")
        self.assert_error(self.s3.head_object, "404", 404, Bucket=b, Key="d")

    def test_self_copy(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"same", Metadata={"v": "1"})
        err = self.assert_error(self.s3.copy_object, "InvalidRequest", 400, Bucket=b, Key="k",
                                CopySource=f"{b}/k")
        self.assertIn("copy an object to itself without changing", err["Error"]["Message"])
        # A change makes it legal: new metadata, new tags, another checksum algorithm.
        self.s3.copy_object(Bucket=b, Key="k", CopySource=f"{b}/k", MetadataDirective="REPLACE",
                            Metadata={"v": "2"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["Metadata"], {"v": "2"})
        self.s3.copy_object(Bucket=b, Key="k", CopySource=f"{b}/k", TaggingDirective="REPLACE",
                            Tagging="x=y")
        self.assertEqual(self.tags(b, "k"), {"x": "y"})
        self.s3.copy_object(Bucket=b, Key="k", CopySource=f"{b}/k", ChecksumAlgorithm="SHA256")
        h = self.s3.head_object(Bucket=b, Key="k", ChecksumMode="ENABLED")
        self.assertEqual(h["ChecksumSHA256"], b64(hashlib.sha256(b"same").digest()))
        self.assertEqual(self.body(b, "k"), b"same")
        # Only one version is kept in an unversioned bucket, and the replaced blobs are gone.
        self.assertEqual(self.gw.sql("SELECT count(*) FROM objects o JOIN buckets b ON "
                                     f"b.id = o.bucket_id WHERE b.name = '{b}'"), "1")

    def test_checksums_and_multipart_sources(self):
        b = self.new_bucket()
        data = os.urandom(200_000)
        self.s3.put_object(Bucket=b, Key="crc", Body=data, ChecksumAlgorithm="CRC32")
        r = self.s3.copy_object(Bucket=b, Key="crc-copy", CopySource=f"{b}/crc")
        crc = b64(zlib.crc32(data).to_bytes(4, "big"))
        self.assertEqual(r["CopyObjectResult"]["ChecksumCRC32"], crc)
        h = self.s3.head_object(Bucket=b, Key="crc-copy", ChecksumMode="ENABLED")
        self.assertEqual(h["ChecksumCRC32"], crc)
        # A source stored without a client checksum has S3's default, CRC64NVME (boto3 sends
        # CRC32 by itself, so the source is written with plain HTTP); the copy keeps it.
        r = requests.put(f"{self.gw.endpoint}/{b}/plain", data=data, timeout=30)
        self.assertEqual(r.status_code, 200, r.text)
        r = self.s3.copy_object(Bucket=b, Key="plain-copy", CopySource=f"{b}/plain")
        src_head = self.s3.head_object(Bucket=b, Key="plain", ChecksumMode="ENABLED")
        self.assertEqual(r["CopyObjectResult"]["ChecksumCRC64NVME"],
                         src_head["ChecksumCRC64NVME"])
        # A multipart source (ETag "...-2") becomes a single-part copy: ETag = MD5 of the bytes.
        parts = [os.urandom(5 * MiB), os.urandom(1000)]
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
        listed = []
        for n, p in enumerate(parts, 1):
            e = self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=n, Body=p)["ETag"]
            listed.append({"PartNumber": n, "ETag": e})
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=uid,
                                                 MultipartUpload={"Parts": listed})
        self.assertTrue(done["ETag"].endswith('-2"'))
        r = self.s3.copy_object(Bucket=b, Key="mp-copy", CopySource=f"{b}/mp")
        self.assertEqual(r["CopyObjectResult"]["ETag"], md5_etag(parts[0] + parts[1]))
        self.assertEqual(self.body(b, "mp-copy"), parts[0] + parts[1])

    def test_corrupted_source_is_not_copied(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"original bytes")
        blob = self.row(b, "k", "o.blob_key")
        path = [f for f in self.gw.blob_files() if f.endswith(blob)][0]
        with open(path, "r+b") as f:
            f.write(b"X")  # same size, other bytes
        self.assert_error(self.s3.copy_object, "InternalError", 500, Bucket=b, Key="c",
                          CopySource=f"{b}/k")
        self.assert_error(self.s3.head_object, "404", 404, Bucket=b, Key="c")

    def test_larger_than_five_gib(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="huge", Body=b"pretend")
        # Metadata says 6 GiB: the limit is checked before a byte is read.
        self.gw.sql("UPDATE objects SET size = 6442450944 WHERE key = 'huge'")
        err = self.assert_error(self.s3.copy_object, "InvalidRequest", 400, Bucket=b, Key="c",
                                CopySource=f"{b}/huge")
        self.assertIn("5368709120", err["Error"]["Message"])
        uid = self.s3.create_multipart_upload(Bucket=b, Key="c")["UploadId"]
        self.assert_error(self.s3.upload_part_copy, "InvalidRequest", 400, Bucket=b, Key="c",
                          UploadId=uid, PartNumber=1, CopySource=f"{b}/huge")
        self.s3.abort_multipart_upload(Bucket=b, Key="c", UploadId=uid)

    def test_versioned_sources(self):
        b = self.new_bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=b, Key="doc", Body=b"first", Tagging="gen=1")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="doc", Body=b"second")["VersionId"]
        dst = self.new_bucket()
        r = self.s3.copy_object(Bucket=dst, Key="old", CopySource={"Bucket": b, "Key": "doc",
                                                                  "VersionId": v1})
        self.assertEqual(r["CopySourceVersionId"], v1)
        self.assertNotIn("VersionId", r)  # the destination is unversioned
        self.assertEqual(self.body(dst, "old"), b"first")
        self.assertEqual(self.tags(dst, "old"), {"gen": "1"})
        r = self.s3.copy_object(Bucket=dst, Key="new", CopySource=f"{b}/doc")
        self.assertEqual(r["CopySourceVersionId"], v2)
        # Restoring an old version by copying it onto its own key: a new latest version.
        r = self.s3.copy_object(Bucket=b, Key="doc", CopySource={"Bucket": b, "Key": "doc",
                                                                "VersionId": v1})
        v3 = r["VersionId"]
        self.assertNotIn(v3, (v1, v2, "null"))
        self.assertEqual(r["CopySourceVersionId"], v1)
        self.assertEqual(self.body(b, "doc"), b"first")
        self.assertEqual(self.body(b, "doc", VersionId=v2), b"second")
        # Delete markers: the latest one is NoSuchKey, one named by id InvalidRequest.
        marker = self.s3.delete_object(Bucket=b, Key="doc")["VersionId"]
        self.assert_error(self.s3.copy_object, "NoSuchKey", 404, Bucket=dst, Key="x",
                          CopySource=f"{b}/doc")
        self.assert_error(self.s3.copy_object, "InvalidRequest", 400, Bucket=dst, Key="x",
                          CopySource={"Bucket": b, "Key": "doc", "VersionId": marker})
        # Versions under the marker are still copyable.
        self.s3.copy_object(Bucket=dst, Key="x", CopySource={"Bucket": b, "Key": "doc",
                                                            "VersionId": v2})
        self.assertEqual(self.body(dst, "x"), b"second")


class UploadPartCopyTest(CopyBase):
    def test_ranges_become_parts(self):
        src_bucket = self.new_bucket("de")
        data = os.urandom(12 * MiB + 5)
        self.s3.put_object(Bucket=src_bucket, Key="big", Body=data)
        b = self.new_bucket("fi")
        uid = self.s3.create_multipart_upload(Bucket=b, Key="assembled",
                                              ChecksumAlgorithm="CRC32")["UploadId"]
        ranges = [(0, 5 * MiB - 1), (5 * MiB, 10 * MiB - 1), (10 * MiB, len(data) - 1)]
        listed = []
        for n, (first, last) in enumerate(ranges, 1):
            r = self.s3.upload_part_copy(Bucket=b, Key="assembled", UploadId=uid, PartNumber=n,
                                         CopySource=f"{src_bucket}/big",
                                         CopySourceRange=f"bytes={first}-{last}")
            piece = data[first:last + 1]
            self.assertEqual(r["CopyPartResult"]["ETag"], md5_etag(piece))
            self.assertEqual(r["CopyPartResult"]["ChecksumCRC32"],
                             b64(zlib.crc32(piece).to_bytes(4, "big")))
            self.assertIn("LastModified", r["CopyPartResult"])
            listed.append({"PartNumber": n, "ETag": r["CopyPartResult"]["ETag"],
                           "ChecksumCRC32": r["CopyPartResult"]["ChecksumCRC32"]})
        parts = self.s3.list_parts(Bucket=b, Key="assembled", UploadId=uid)["Parts"]
        self.assertEqual([p["Size"] for p in parts], [5 * MiB, 5 * MiB, 2 * MiB + 5])
        self.s3.complete_multipart_upload(Bucket=b, Key="assembled", UploadId=uid,
                                          MultipartUpload={"Parts": listed})
        self.assertEqual(hashlib.md5(self.body(b, "assembled")).hexdigest(),
                         hashlib.md5(data).hexdigest())
        self.assertEqual(self.row(b, "assembled", "o.zone_id"), "fi-hel-st-1")

    def test_whole_source_mixed_with_uploaded_parts(self):
        b = self.new_bucket()
        small = os.urandom(5 * MiB)
        self.s3.put_object(Bucket=b, Key="five", Body=small)
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mix")["UploadId"]
        r1 = self.s3.upload_part_copy(Bucket=b, Key="mix", UploadId=uid, PartNumber=1,
                                      CopySource=f"{b}/five")
        r2 = self.s3.upload_part(Bucket=b, Key="mix", UploadId=uid, PartNumber=2, Body=b"tail")
        # Part 1 again, from a range: it replaces the first.
        r1 = self.s3.upload_part_copy(Bucket=b, Key="mix", UploadId=uid, PartNumber=1,
                                      CopySource=f"{b}/five",
                                      CopySourceRange=f"bytes=0-{5 * MiB - 1}")
        self.s3.complete_multipart_upload(
            Bucket=b, Key="mix", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]},
                                       {"PartNumber": 2, "ETag": r2["ETag"]}]})
        self.assertEqual(self.body(b, "mix"), small + b"tail")

    def test_errors(self):
        b = self.new_bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"0123456789")
        uid = self.s3.create_multipart_upload(Bucket=b, Key="d")["UploadId"]
        args = {"Bucket": b, "Key": "d", "UploadId": uid, "PartNumber": 1,
                "CopySource": f"{b}/src"}
        fn = self.s3.upload_part_copy
        self.assert_error(fn, "InvalidRange", None, **dict(args, CopySourceRange="bytes=0-10"))
        for bad in ("bytes=5-2", "bytes=-3", "0-3", "bytes=0-1,3-4"):
            self.assert_error(fn, "InvalidArgument", 400, **dict(args, CopySourceRange=bad))
        self.assert_error(fn, "NoSuchUpload", 404, **dict(args, UploadId="0" * 44))
        self.assert_error(fn, "NoSuchKey", 404, **dict(args, CopySource=f"{b}/none"))
        self.assert_error(fn, "PreconditionFailed", 412,
                          **dict(args, CopySourceIfMatch='"nope"'))
        r = requests.put(f"{self.gw.endpoint}/{b}/d?partNumber=0&uploadId={uid}",
                         headers={"x-amz-copy-source": f"{b}/src"}, timeout=30)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.s3.list_parts(Bucket=b, Key="d", UploadId=uid).get("Parts", []), [])
        r = fn(**dict(args, CopySourceRange="bytes=2-4", CopySourceIfMatch=md5_etag(b"0123456789")))
        self.assertEqual(r["CopyPartResult"]["ETag"], md5_etag(b"234"))
        self.s3.abort_multipart_upload(Bucket=b, Key="d", UploadId=uid)


class CopyAwsCliTest(CopyBase):
    def setUp(self):
        require_tool("aws")
        self.tmp = tempfile.mkdtemp(prefix="s3gw-copycli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        config = os.path.join(self.tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                         "AWS_CONFIG_FILE": config,
                         "AWS_SHARED_CREDENTIALS_FILE": config + "-none",
                         "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "",
                         "HOME": self.tmp})

    def aws(self, *args):
        r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, *args], env=self.env,
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, f"{args}: {r.stdout}\n{r.stderr}")
        return r

    def test_s3_cp_s3_to_s3_uses_upload_part_copy(self):
        a = self.new_bucket("fi")
        b = self.new_bucket("de")
        path = os.path.join(self.tmp, "big")
        data = os.urandom(20 * MiB + 3)
        with open(path, "wb") as f:
            f.write(data)
        self.aws("s3", "cp", path, f"s3://{a}/big", "--content-type", "video/mp4",
                 "--metadata", "origin=cli")
        self.aws("s3", "cp", f"s3://{a}/big", f"s3://{b}/big")
        out = os.path.join(self.tmp, "out")
        self.aws("s3", "cp", f"s3://{b}/big", out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertEqual(self.row(b, "big", "o.zone_id"), "de-fra-st-1")
        copies = int(self.gw.sql("SELECT count(*) FROM operations_log WHERE "
                                 f"operation = 'UploadPartCopy' AND bucket = '{b}'"))
        self.assertGreaterEqual(copies, 3)  # 8 MiB parts
        # (aws CLI v1 does not carry content headers and metadata into a multipart copy; v2's
        # --copy-props does.) A small object goes through CopyObject, which keeps them.
        small = os.path.join(self.tmp, "small")
        with open(small, "wb") as f:
            f.write(b"tiny")
        self.aws("s3", "cp", small, f"s3://{a}/small", "--content-type", "text/x-tiny",
                 "--metadata", "origin=cli")
        self.aws("s3", "cp", f"s3://{a}/small", f"s3://{b}/small")
        self.assertEqual(self.body(b, "small"), b"tiny")
        h = self.s3.head_object(Bucket=b, Key="small")
        self.assertEqual((h["ContentType"], h["Metadata"]), ("text/x-tiny", {"origin": "cli"}))
        self.assertEqual(self.gw.sql("SELECT count(*) FROM operations_log WHERE "
                                     f"operation = 'CopyObject' AND bucket = '{b}' "
                                     "AND status = 200"), "1")

    def test_s3_mv(self):
        a = self.new_bucket()
        b = self.new_bucket()
        self.s3.put_object(Bucket=a, Key="dir/one", Body=b"1")
        self.s3.put_object(Bucket=a, Key="dir/two", Body=os.urandom(9 * MiB))
        two = self.body(a, "dir/two")
        self.aws("s3", "mv", f"s3://{a}/dir/one", f"s3://{b}/moved/one")
        self.aws("s3", "mv", f"s3://{a}/dir/two", f"s3://{a}/renamed/two")
        self.assertEqual(self.body(b, "moved/one"), b"1")
        self.assertEqual(self.body(a, "renamed/two"), two)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=a).get("Contents", [])]
        self.assertEqual(keys, ["renamed/two"])
        self.aws("s3", "mv", f"s3://{a}/", f"s3://{b}/all/", "--recursive")
        self.assertEqual(self.s3.list_objects_v2(Bucket=a).get("KeyCount"), 0)
        self.assertEqual(self.body(b, "all/renamed/two"), two)


@requires_tool("moto_server")
class MotoCopyTest(unittest.TestCase):
    """Storj in Helsinki on moto: copies between it and the filesystem zones stream through
    both providers."""

    @classmethod
    def setUpClass(cls):
        cls.moto = tp.Moto()
        cls.config_dir = tp.config_with_s3_zones({"fi": cls.moto})
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env={"S3GW_CONFIG_DIR": cls.config_dir,
                                          "S3GW_HEALTH_INTERVAL": "0",
                                          "TEST_PROVIDER_ACCESS_KEY": "moto",
                                          "TEST_PROVIDER_SECRET_KEY": "moto-secret"}).start()
        except Exception:
            cls.pg.stop()
            cls.moto.stop()
            raise
        cls.s3 = cls.gw.client()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()
            cls.moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def placed(self, bucket, key):
        return self.gw.sql("SELECT o.zone_id || ' ' || o.backend_bucket || ' ' || o.blob_key "
                           "FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                           f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND o.is_latest"
                           ).split(" ")

    def test_copy_between_moto_and_filesystem_zones(self):
        fi = f"moto-{uuid.uuid4().hex[:8]}"
        de = f"fs-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=fi, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.create_bucket(Bucket=de, CreateBucketConfiguration={"LocationConstraint": "de"})
        data = os.urandom(3 * MiB + 1)
        self.s3.put_object(Bucket=de, Key="k", Body=data, Metadata={"m": "1"})
        # Filesystem -> moto.
        self.s3.copy_object(Bucket=fi, Key="k", CopySource=f"{de}/k")
        zone, backend, blob = self.placed(fi, "k")
        self.assertEqual(zone, "fi-hel-st-1")
        self.assertEqual(self.moto.client.get_object(Bucket=backend, Key=blob)["Body"].read(),
                         data)
        self.assertEqual(self.s3.head_object(Bucket=fi, Key="k")["Metadata"], {"m": "1"})
        # Moto -> moto, and moto -> filesystem.
        self.s3.copy_object(Bucket=fi, Key="k2", CopySource=f"{fi}/k")
        self.s3.copy_object(Bucket=de, Key="back", CopySource=f"{fi}/k2")
        self.assertEqual(self.placed(de, "back")[0], "de-fra-st-1")
        self.assertEqual(self.s3.get_object(Bucket=de, Key="back")["Body"].read(), data)

    def test_upload_part_copy_into_a_moto_upload(self):
        fi = f"mmp-{uuid.uuid4().hex[:8]}"
        de = f"fsp-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=fi, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.create_bucket(Bucket=de, CreateBucketConfiguration={"LocationConstraint": "de"})
        data = os.urandom(7 * MiB)
        self.s3.put_object(Bucket=de, Key="src", Body=data)
        uid = self.s3.create_multipart_upload(Bucket=fi, Key="dst")["UploadId"]
        listed = []
        for n, (first, last) in enumerate([(0, 5 * MiB - 1), (5 * MiB, len(data) - 1)], 1):
            r = self.s3.upload_part_copy(Bucket=fi, Key="dst", UploadId=uid, PartNumber=n,
                                         CopySource=f"{de}/src",
                                         CopySourceRange=f"bytes={first}-{last}")
            listed.append({"PartNumber": n, "ETag": r["CopyPartResult"]["ETag"]})
        self.s3.complete_multipart_upload(Bucket=fi, Key="dst", UploadId=uid,
                                          MultipartUpload={"Parts": listed})
        zone, backend, blob = self.placed(fi, "dst")
        self.assertEqual(zone, "fi-hel-st-1")
        self.assertEqual(self.moto.client.get_object(Bucket=backend, Key=blob)["Body"].read(),
                         data)


class CopyAuthTest(CopyBase):
    """With authentication on, a copy needs s3:GetObject (s3:GetObjectVersion for a versionId)
    on its source besides s3:PutObject on its destination."""

    TOKEN = "copy-admin-" + uuid.uuid4().hex
    ENV = {"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN,
           "S3GW_MASTER_KEY": os.urandom(32).hex()}

    def client_for(self, permissions):
        r = requests.post(f"{self.gw.endpoint}/api/credentials/create",
                          headers={"Authorization": f"Bearer {self.TOKEN}"},
                          json={"user_name": f"u{uuid.uuid4().hex[:6]}", "email": "u@example.com",
                                "customer_id": "copy-customer", "permissions": permissions},
                          timeout=30)
        self.assertEqual(r.status_code, 201, r.text)
        cred = r.json()
        return boto3.client("s3", endpoint_url=self.gw.endpoint, region_name="fi-hel",
                            aws_access_key_id=cred["access_key_id"],
                            aws_secret_access_key=cred["secret_access_key"],
                            config=Config(s3={"addressing_style": "path"},
                                          signature_version="s3v4",
                                          retries={"max_attempts": 1})), cred

    def denials(self, access_key_id):
        r = requests.get(f"{self.gw.endpoint}/api/compliance/events",
                         params={"type": "access_denied", "access_key_id": access_key_id},
                         headers={"Authorization": f"Bearer {self.TOKEN}"}, timeout=30)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()["events"]

    def test_source_needs_read_permission(self):
        owner, _ = self.client_for({"s3:CreateBucket": ["*"]})
        src = self.new_bucket(client=owner)
        dst = self.new_bucket(client=owner)
        owner.put_bucket_versioning(Bucket=src, VersioningConfiguration={"Status": "Enabled"})
        vid = owner.put_object(Bucket=src, Key="secret", Body=b"classified")["VersionId"]
        writer, wcred = self.client_for({"s3:PutObject": [dst]})
        err = self.assert_error(writer.copy_object, "AccessDenied", 403, Bucket=dst, Key="leak",
                                CopySource=f"{src}/secret")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 403)
        uid = writer.create_multipart_upload(Bucket=dst, Key="leak")["UploadId"]
        self.assert_error(writer.upload_part_copy, "AccessDenied", 403, Bucket=dst, Key="leak",
                          UploadId=uid, PartNumber=1, CopySource=f"{src}/secret")
        self.assertEqual(owner.list_parts(Bucket=dst, Key="leak", UploadId=uid).get("Parts", []),
                         [])
        self.assert_error(owner.head_object, "404", 404, Bucket=dst, Key="leak")
        # A denial of the source is an auditable event naming the source.
        events = self.denials(wcred["access_key_id"])
        self.assertTrue(any(e.get("bucket") == src and e.get("key") == "secret" and
                            "copy source" in e.get("reason", "") for e in events), events)
        # No existence oracle either: a missing source is denied the same way.
        self.assert_error(writer.copy_object, "AccessDenied", 403, Bucket=dst, Key="leak",
                          CopySource=f"{src}/no-such-key")

        reader, _ = self.client_for({"s3:PutObject": [dst], "s3:GetObject": [src]})
        reader.copy_object(Bucket=dst, Key="ok", CopySource=f"{src}/secret")
        self.assertEqual(owner.get_object(Bucket=dst, Key="ok")["Body"].read(), b"classified")
        # A specific version needs s3:GetObjectVersion.
        self.assert_error(reader.copy_object, "AccessDenied", 403, Bucket=dst, Key="v",
                          CopySource={"Bucket": src, "Key": "secret", "VersionId": vid})
        versioned, _ = self.client_for({"s3:PutObject": [dst], "s3:GetObjectVersion": [src]})
        versioned.copy_object(Bucket=dst, Key="v", CopySource={"Bucket": src, "Key": "secret",
                                                              "VersionId": vid})
        # The destination's own permission is still the dispatcher's.
        self.assert_error(reader.copy_object, "AccessDenied", 403, Bucket=src, Key="copy",
                          CopySource=f"{src}/secret")
        # The owner of both may copy freely.
        owner.copy_object(Bucket=dst, Key="owner", CopySource=f"{src}/secret")


if __name__ == "__main__":
    unittest.main()
