"""Multipart uploads end to end: boto3 (parts in parallel and out of order, checksums, every
error code), raw HTTP where boto3 hides the wire, `aws s3 cp` of 100 MiB up and down, and the
same against a zone on moto_server, where the object must land through the provider's own
multipart upload.

Filesystem zones keep each part as a blob of its own until the completion assembles them;
the tests check that no part file outlives its upload.
"""
import base64
import concurrent.futures
import filecmp
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
import uuid
import xml.etree.ElementTree as ET
import zlib

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster, require_tool, requires_tool
from test_auth import streaming_put
from test_providers import Moto, config_with_s3_zones

MiB = 1024 * 1024
S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def _crc_table(poly):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC64NVME = _crc_table(0x9A6C9329AC4BC9B5)


def crc64nvme(data):
    mask = (1 << 64) - 1
    c = mask
    for b in data:
        c = _CRC64NVME[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def b64(raw):
    return base64.b64encode(raw).decode()


def crc32_raw(data):
    return zlib.crc32(data).to_bytes(4, "big")


def multipart_etag(parts):
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    return f'"{digest}-{len(parts)}"'


class MultipartBase(unittest.TestCase):
    @classmethod
    def start(cls, env=None):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env=env or {}).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.s3 = cls.gw.client()
        cls.ep = cls.gw.endpoint

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()

    def new_bucket(self, **kwargs):
        name = f"mp-{uuid.uuid4().hex[:10]}"
        self.s3.create_bucket(Bucket=name, **kwargs)
        return name

    def assert_error(self, fn, code, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def upload(self, bucket, key, parts, **create_args):
        """Creates an upload and sends `parts` (number -> bytes) in parallel, highest number
        first; returns the upload id and the parts list for the completion."""
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key=key, **create_args)["UploadId"]

        def send(n):
            r = self.s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=n,
                                    Body=parts[n])
            return n, r

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = dict(pool.map(send, sorted(parts, reverse=True)))
        listed = [{"PartNumber": n, "ETag": results[n]["ETag"]} for n in sorted(parts)]
        for n, r in results.items():
            self.assertEqual(r["ETag"], f'"{hashlib.md5(parts[n]).hexdigest()}"')
        return uid, listed, results

    def complete(self, bucket, key, uid, parts, **kwargs):
        return self.s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid,
                                                 MultipartUpload={"Parts": parts}, **kwargs)

    def uploads(self, bucket, **kwargs):
        return self.s3.list_multipart_uploads(Bucket=bucket, **kwargs).get("Uploads", [])

    def object_rows(self, bucket, key):
        return int(self.gw.sql(
            "SELECT count(*) FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{bucket}' AND o.key = '{key}'"))

    def zone_files(self):
        """Blob files under the filesystem zones (temporaries excluded)."""
        return sorted(f for f in self.gw.blob_files() if "/.tmp/" not in f)


class MultipartTest(MultipartBase):
    @classmethod
    def setUpClass(cls):
        cls.start()

    # ------------------------------------------------------------------ the happy paths

    def test_parallel_out_of_order_parts_become_one_object(self):
        bucket = self.new_bucket()
        before = self.zone_files()
        parts = {1: os.urandom(5 * MiB), 2: os.urandom(5 * MiB + 3), 3: os.urandom(1234)}
        uid, listed, _ = self.upload(bucket, "big/object.bin", parts, ContentType="video/mp4",
                                     Metadata={"origin": "camera"})
        # Nothing is visible before the completion.
        self.assertEqual(self.s3.list_objects_v2(Bucket=bucket).get("KeyCount"), 0)
        r = self.complete(bucket, "big/object.bin", uid, listed)
        whole = parts[1] + parts[2] + parts[3]
        self.assertEqual(r["ETag"], multipart_etag([parts[1], parts[2], parts[3]]))
        self.assertEqual(r["Key"], "big/object.bin")
        self.assertEqual(r["Bucket"], bucket)
        got = self.s3.get_object(Bucket=bucket, Key="big/object.bin")
        self.assertEqual(got["Body"].read(), whole)
        self.assertEqual(got["ContentLength"], len(whole))
        self.assertEqual(got["ETag"], r["ETag"])
        self.assertEqual(got["ContentType"], "video/mp4")
        self.assertEqual(got["Metadata"], {"origin": "camera"})
        ranged = self.s3.get_object(Bucket=bucket, Key="big/object.bin",
                                    Range=f"bytes={5 * MiB - 5}-{5 * MiB + 4}")
        self.assertEqual(ranged["Body"].read(), whole[5 * MiB - 5:5 * MiB + 5])
        listing = self.s3.list_objects_v2(Bucket=bucket)["Contents"]
        self.assertEqual([(o["Key"], o["Size"], o["ETag"]) for o in listing],
                         [("big/object.bin", len(whole), r["ETag"])])
        # The upload is gone; so are its part files: only the object's blob was added.
        self.assertEqual(self.uploads(bucket), [])
        self.assert_error(self.s3.list_parts, "NoSuchUpload", 404, Bucket=bucket,
                          Key="big/object.bin", UploadId=uid)
        self.assertEqual(len(self.zone_files()), len(before) + 1)
        # Without a checksum asked for, the object has S3's default CRC64NVME of the whole.
        head = self.s3.head_object(Bucket=bucket, Key="big/object.bin", ChecksumMode="ENABLED")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-crc64nvme"],
                         b64(crc64nvme(whole).to_bytes(8, "big")))
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-type"],
                         "FULL_OBJECT")

    def test_single_part_and_empty_last_part(self):
        bucket = self.new_bucket()
        uid, listed, _ = self.upload(bucket, "one", {1: b"just one part"})
        self.complete(bucket, "one", uid, listed)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="one")["Body"].read(),
                         b"just one part")
        uid, listed, _ = self.upload(bucket, "empty-tail", {1: b"x" * (5 * MiB), 2: b""})
        self.complete(bucket, "empty-tail", uid, listed)
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="empty-tail")["ContentLength"],
                         5 * MiB)

    def test_completion_replaces_an_existing_object(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"old")
        files = self.zone_files()
        uid, listed, _ = self.upload(bucket, "k", {1: b"new"})
        self.complete(bucket, "k", uid, listed)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), b"new")
        self.assertEqual(self.object_rows(bucket, "k"), 1)
        # The old version's blob went as garbage: one blob before, one after.
        self.assertEqual(len(self.zone_files()), len(files))

    def test_reuploaded_part_replaces_the_old_one(self):
        bucket = self.new_bucket()
        before = self.zone_files()
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        old = self.s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1,
                                  Body=b"first try")["ETag"]
        new = self.s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1,
                                  Body=b"second try")["ETag"]
        parts = self.s3.list_parts(Bucket=bucket, Key="k", UploadId=uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in parts],
                         [(1, new, len(b"second try"))])
        # One part file: the replaced one went as garbage in the same request.
        self.assertEqual(len(self.zone_files()), len(before) + 1)
        self.assert_error(self.complete, "InvalidPart", 400, bucket=bucket, key="k", uid=uid,
                          parts=[{"PartNumber": 1, "ETag": old}])
        self.complete(bucket, "k", uid, [{"PartNumber": 1, "ETag": new}])
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(),
                         b"second try")

    # ------------------------------------------------------------------ checksums

    def test_composite_crc32_as_s3transfer_does_it(self):
        bucket = self.new_bucket()
        parts = {1: os.urandom(5 * MiB), 2: os.urandom(100)}
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="c", ChecksumAlgorithm="CRC32")
        self.assertEqual(uid["ChecksumAlgorithm"], "CRC32")
        uid = uid["UploadId"]
        listed = []
        for n in (2, 1):
            r = self.s3.upload_part(Bucket=bucket, Key="c", UploadId=uid, PartNumber=n,
                                    Body=parts[n], ChecksumAlgorithm="CRC32")
            self.assertEqual(r["ChecksumCRC32"], b64(crc32_raw(parts[n])))
            listed.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        listed.sort(key=lambda p: p["PartNumber"])
        lp = self.s3.list_parts(Bucket=bucket, Key="c", UploadId=uid)
        self.assertEqual(lp["ChecksumAlgorithm"], "CRC32")
        self.assertEqual([p["ChecksumCRC32"] for p in lp["Parts"]],
                         [p["ChecksumCRC32"] for p in listed])
        # A wrong part checksum is InvalidPart, a missing one InvalidRequest.
        wrong = [dict(listed[0], ChecksumCRC32=b64(crc32_raw(b"other"))), listed[1]]
        self.assert_error(self.complete, "InvalidPart", 400, bucket=bucket, key="c", uid=uid,
                          parts=wrong)
        missing = [{k: v for k, v in p.items() if k != "ChecksumCRC32"} for p in listed]
        self.assert_error(self.complete, "InvalidRequest", 400, bucket=bucket, key="c", uid=uid,
                          parts=missing)
        r = self.complete(bucket, "c", uid, listed)
        composite = b64(zlib.crc32(crc32_raw(parts[1]) + crc32_raw(parts[2])).to_bytes(4, "big"))
        self.assertEqual(r["ChecksumCRC32"], f"{composite}-2")
        self.assertEqual(r["ChecksumType"], "COMPOSITE")
        head = self.s3.head_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC32"], f"{composite}-2")
        self.assertEqual(head["ChecksumType"], "COMPOSITE")
        got = self.s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), parts[1] + parts[2])

    def test_full_object_crc32(self):
        bucket = self.new_bucket()
        parts = {1: os.urandom(5 * MiB), 2: os.urandom(777)}
        uid, listed, results = self.upload(bucket, "f", parts, ChecksumAlgorithm="CRC32",
                                           ChecksumType="FULL_OBJECT")
        whole = parts[1] + parts[2]
        for p in listed:
            p["ChecksumCRC32"] = results[p["PartNumber"]]["ChecksumCRC32"]
        # The whole object's checksum sent with the completion is checked.
        self.assert_error(self.complete, "BadDigest", 400, bucket=bucket, key="f", uid=uid,
                          parts=listed, ChecksumCRC32=b64(crc32_raw(b"not it")),
                          ChecksumType="FULL_OBJECT")
        r = self.complete(bucket, "f", uid, listed, ChecksumCRC32=b64(crc32_raw(whole)),
                          ChecksumType="FULL_OBJECT")
        self.assertEqual(r["ChecksumCRC32"], b64(crc32_raw(whole)))
        self.assertEqual(r["ChecksumType"], "FULL_OBJECT")

    def test_part_integrity_checks(self):
        bucket = self.new_bucket()
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="k",
                                              ChecksumAlgorithm="SHA256")["UploadId"]
        url = f"{self.ep}/{bucket}/k?partNumber=1&uploadId={uid}"
        bad_md5 = b64(hashlib.md5(b"something else").digest())
        r = requests.put(url, data=b"data", headers={"Content-MD5": bad_md5})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("<Code>BadDigest</Code>", r.text)
        r = requests.put(url, data=b"data",
                         headers={"x-amz-checksum-sha256": b64(hashlib.sha256(b"x").digest())})
        self.assertIn("<Code>BadDigest</Code>", r.text)
        # Another algorithm than the upload's.
        r = requests.put(url, data=b"data", headers={"x-amz-checksum-crc32": b64(crc32_raw(b"data"))})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("<Code>InvalidRequest</Code>", r.text)
        # Nothing was recorded by the refused parts; a good one echoes the upload's checksum.
        self.assertEqual(self.s3.list_parts(Bucket=bucket, Key="k", UploadId=uid).get("Parts", []), [])
        r = requests.put(url, data=b"data", headers={"Content-MD5": b64(hashlib.md5(b"data").digest())})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.headers["x-amz-checksum-sha256"], b64(hashlib.sha256(b"data").digest()))
        self.assertEqual(r.headers["ETag"], f'"{hashlib.md5(b"data").hexdigest()}"')

    # ------------------------------------------------------------------ errors

    def test_completion_errors(self):
        bucket = self.new_bucket()
        parts = {1: os.urandom(1024), 2: os.urandom(1024), 3: os.urandom(10)}
        uid, listed, _ = self.upload(bucket, "e", parts)
        unknown = listed[:1] + [{"PartNumber": 9, "ETag": listed[1]["ETag"]}]
        self.assert_error(self.complete, "InvalidPart", 400, bucket=bucket, key="e", uid=uid,
                          parts=unknown)
        mismatch = [listed[0], dict(listed[1], ETag='"00000000000000000000000000000000"')]
        self.assert_error(self.complete, "InvalidPart", 400, bucket=bucket, key="e", uid=uid,
                          parts=mismatch)
        self.assert_error(self.complete, "InvalidPartOrder", 400, bucket=bucket, key="e",
                          uid=uid, parts=[listed[1], listed[0]])
        # Parts 1 and 2 are 1 KiB: too small unless last.
        err = self.assert_error(self.complete, "EntityTooSmall", 400, bucket=bucket, key="e",
                                uid=uid, parts=listed)
        self.assertIn("EntityTooSmall", str(err))
        # Nothing was created by the refused completions; the upload is intact.
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="e")
        self.assertEqual(len(self.s3.list_parts(Bucket=bucket, Key="e", UploadId=uid)["Parts"]), 3)
        # The last part alone is fine.
        self.complete(bucket, "e", uid, [listed[2]])
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="e")["Body"].read(), parts[3])

    def test_malformed_completion_xml(self):
        bucket = self.new_bucket()
        uid, listed, _ = self.upload(bucket, "x", {1: b"abc"})
        url = f"{self.ep}/{bucket}/x?uploadId={uid}"
        for body in (b"", b"not xml", b"<CompleteMultipartUpload/>",
                     b"<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>",
                     b"<Other><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Other>"):
            r = requests.post(url, data=body)
            self.assertEqual(r.status_code, 400, body)
            self.assertIn("<Code>MalformedXML</Code>", r.text)
        good = (f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                f"<ETag>{listed[0]['ETag']}</ETag></Part></CompleteMultipartUpload>")
        r = requests.post(url, data=good)
        self.assertEqual(r.status_code, 200, r.text)
        root = ET.fromstring(r.text)
        self.assertEqual(root.find(f"{S3NS}ETag").text, multipart_etag([b"abc"]))

    def test_no_such_upload_and_bad_part_numbers(self):
        bucket = self.new_bucket()
        bogus = "0" * 44
        for fn, kwargs in (
                (self.s3.upload_part, {"PartNumber": 1, "Body": b"x"}),
                (self.s3.list_parts, {}),
                (self.s3.abort_multipart_upload, {}),
                (self.s3.complete_multipart_upload,
                 {"MultipartUpload": {"Parts": [{"PartNumber": 1, "ETag": '"a"'}]}})):
            for upload_id in (bogus, "not-an-upload-id"):
                self.assert_error(fn, "NoSuchUpload", 404, Bucket=bucket, Key="k",
                                  UploadId=upload_id, **kwargs)
        # An upload of another key is not this key's.
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
        self.assert_error(self.s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key="other",
                          UploadId=uid, PartNumber=1, Body=b"x")
        for n in ("0", "10001", "x"):
            r = requests.put(f"{self.ep}/{bucket}/k?partNumber={n}&uploadId={uid}", data=b"x")
            self.assertEqual(r.status_code, 400, n)
            self.assertIn("<Code>InvalidArgument</Code>", r.text)
        r = requests.put(f"{self.ep}/{bucket}/k?partNumber=10000&uploadId={uid}", data=b"x")
        self.assertEqual(r.status_code, 200, r.text)
        self.assert_error(self.s3.create_multipart_upload, "NoSuchBucket", 404,
                          Bucket="no-such-bucket-mp", Key="k")
        self.assert_error(self.s3.create_multipart_upload, "InvalidRequest", 400, Bucket=bucket,
                          Key="k", ChecksumAlgorithm="SHA256", ChecksumType="FULL_OBJECT")

    def test_completing_twice_or_concurrently_makes_one_object(self):
        bucket = self.new_bucket()
        parts = {1: os.urandom(5 * MiB), 2: os.urandom(10)}
        uid, listed, _ = self.upload(bucket, "race", parts)

        def attempt(_):
            try:
                return self.complete(bucket, "race", uid, listed)["ETag"]
            except ClientError as e:
                return e.response["Error"]["Code"]

        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            outcomes = list(pool.map(attempt, range(3)))
        etag = multipart_etag([parts[1], parts[2]])
        # Each either completed it or saw it completed (the same answer, as S3 gives).
        self.assertTrue(all(o in (etag, "NoSuchUpload") for o in outcomes), outcomes)
        self.assertIn(etag, outcomes)
        self.assertEqual(self.object_rows(bucket, "race"), 1)
        self.assertEqual(attempt(0), etag)  # a retry later still gets the result
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="race")["Body"].read(),
                         parts[1] + parts[2])
        # Once the object is replaced, the upload is simply gone.
        self.s3.put_object(Bucket=bucket, Key="race", Body=b"newer")
        self.assertEqual(attempt(0), "NoSuchUpload")
        self.assert_error(self.s3.abort_multipart_upload, "NoSuchUpload", 404, Bucket=bucket,
                          Key="race", UploadId=uid)

    # ------------------------------------------------------------------ abort, interruption

    def test_abort_removes_the_parts(self):
        bucket = self.new_bucket()
        before = self.zone_files()
        uid, listed, _ = self.upload(bucket, "a", {1: os.urandom(1000), 2: os.urandom(1000)})
        self.assertEqual(len(self.zone_files()), len(before) + 2)
        r = self.s3.abort_multipart_upload(Bucket=bucket, Key="a", UploadId=uid)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.zone_files(), before)
        self.assertEqual(self.uploads(bucket), [])
        self.assert_error(self.s3.list_parts, "NoSuchUpload", 404, Bucket=bucket, Key="a",
                          UploadId=uid)
        self.assert_error(self.s3.upload_part, "NoSuchUpload", 404, Bucket=bucket, Key="a",
                          UploadId=uid, PartNumber=3, Body=b"late")
        self.assert_error(self.complete, "NoSuchUpload", 404, bucket=bucket, key="a", uid=uid,
                          parts=listed)
        self.assert_error(self.s3.abort_multipart_upload, "NoSuchUpload", 404, Bucket=bucket,
                          Key="a", UploadId=uid)
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM garbage_blobs")), 0)

    def test_interrupted_upload_leaves_nothing_visible_until_aborted(self):
        bucket = self.new_bucket()
        uid, listed, _ = self.upload(bucket, "cut", {1: os.urandom(5 * MiB), 2: os.urandom(99)})
        # A third part cut off mid-body by a client that goes away.
        host, port = self.ep.split("//")[1].split(":")
        with socket.create_connection((host, int(port))) as s:
            s.sendall((f"PUT /{bucket}/cut?partNumber=3&uploadId={uid} HTTP/1.1\r\n"
                       f"Host: {host}\r\nContent-Length: {MiB}\r\n\r\n").encode()
                      + b"x" * 100000)
        # Nothing visible; the two complete parts are listed, the cut one is not.
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="cut")
        self.assertEqual(self.s3.list_objects_v2(Bucket=bucket)["KeyCount"], 0)
        listed_uploads = self.uploads(bucket)
        self.assertEqual([(u["Key"], u["UploadId"]) for u in listed_uploads], [("cut", uid)])
        for _ in range(50):
            parts = self.s3.list_parts(Bucket=bucket, Key="cut", UploadId=uid)["Parts"]
            if len(parts) == 2:
                break
        self.assertEqual([p["PartNumber"] for p in parts], [1, 2])
        self.assertEqual([p["Size"] for p in parts], [5 * MiB, 99])
        # A restarted gateway still knows it.
        self.gw.stop()
        self.gw.start()
        self.s3 = self.gw.client()
        type(self).s3 = self.s3
        type(self).ep = self.ep = self.gw.endpoint
        self.assertEqual([u["UploadId"] for u in self.uploads(bucket)], [uid])
        self.s3.abort_multipart_upload(Bucket=bucket, Key="cut", UploadId=uid)
        self.assertEqual(self.uploads(bucket), [])
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="cut")

    def test_delete_bucket_aborts_uploads_in_progress(self):
        bucket = self.new_bucket()
        before = self.zone_files()
        self.upload(bucket, "pending", {1: os.urandom(100)})
        # An object keeps the bucket, and the upload with it.
        self.s3.put_object(Bucket=bucket, Key="obj", Body=b"x")
        self.assert_error(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)
        self.assertEqual(len(self.uploads(bucket)), 1)
        self.s3.delete_object(Bucket=bucket, Key="obj")
        # Uploads alone do not (as in S3): they are aborted with the bucket.
        self.s3.delete_bucket(Bucket=bucket)
        self.assert_error(self.s3.head_bucket, "404", 404, Bucket=bucket)
        self.assertEqual(self.zone_files(), before)
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM multipart_uploads u "
                                         "LEFT JOIN buckets b ON b.id = u.bucket_id "
                                         "WHERE b.id IS NULL")), 0)

    # ------------------------------------------------------------------ listings

    def test_list_parts_pages(self):
        bucket = self.new_bucket()
        parts = {n: f"part {n}".encode() for n in range(1, 6)}
        uid, _, _ = self.upload(bucket, "p", parts, ContentType="text/plain")
        r = self.s3.list_parts(Bucket=bucket, Key="p", UploadId=uid, MaxParts=2)
        self.assertTrue(r["IsTruncated"])
        self.assertEqual([p["PartNumber"] for p in r["Parts"]], [1, 2])
        self.assertEqual(r["NextPartNumberMarker"], 2)
        self.assertEqual(r["Parts"][0]["ETag"], f'"{hashlib.md5(b"part 1").hexdigest()}"')
        self.assertEqual(r["Parts"][0]["Size"], 6)
        r = self.s3.list_parts(Bucket=bucket, Key="p", UploadId=uid, MaxParts=2,
                               PartNumberMarker=2)
        self.assertEqual([p["PartNumber"] for p in r["Parts"]], [3, 4])
        r = self.s3.list_parts(Bucket=bucket, Key="p", UploadId=uid, PartNumberMarker=4)
        self.assertFalse(r["IsTruncated"])
        self.assertEqual([p["PartNumber"] for p in r["Parts"]], [5])
        # Paginators follow NextPartNumberMarker.
        pages = self.s3.get_paginator("list_parts").paginate(
            Bucket=bucket, Key="p", UploadId=uid, PaginationConfig={"PageSize": 2})
        self.assertEqual([p["PartNumber"] for page in pages for p in page["Parts"]],
                         [1, 2, 3, 4, 5])
        r = requests.get(f"{self.ep}/{bucket}/p?uploadId={uid}&max-parts=x")
        self.assertIn("<Code>InvalidArgument</Code>", r.text)

    def test_list_multipart_uploads(self):
        bucket = self.new_bucket()
        ids = {}
        for key in ("a/1", "a/2", "b", "b", "c"):
            uid = self.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
            ids.setdefault(key, []).append(uid)
        every = [(u["Key"], u["UploadId"]) for u in self.uploads(bucket)]
        # Key order, then initiation order for one key.
        self.assertEqual(every, [("a/1", ids["a/1"][0]), ("a/2", ids["a/2"][0]),
                                 ("b", ids["b"][0]), ("b", ids["b"][1]), ("c", ids["c"][0])])
        r = self.s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/"])
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["b", "b", "c"])
        r = self.s3.list_multipart_uploads(Bucket=bucket, Prefix="a/")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["a/1", "a/2"])
        # Pages of two, resuming from key-marker and upload-id-marker.
        r = self.s3.list_multipart_uploads(Bucket=bucket, MaxUploads=3)
        self.assertTrue(r["IsTruncated"])
        self.assertEqual((r["NextKeyMarker"], r["NextUploadIdMarker"]), ("b", ids["b"][0]))
        r = self.s3.list_multipart_uploads(Bucket=bucket, MaxUploads=3, KeyMarker="b",
                                           UploadIdMarker=ids["b"][0])
        self.assertEqual([(u["Key"], u["UploadId"]) for u in r["Uploads"]],
                         [("b", ids["b"][1]), ("c", ids["c"][0])])
        self.assertFalse(r["IsTruncated"])
        # A key marker alone skips that key entirely.
        r = self.s3.list_multipart_uploads(Bucket=bucket, KeyMarker="b")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["c"])
        pages = self.s3.get_paginator("list_multipart_uploads").paginate(
            Bucket=bucket, PaginationConfig={"PageSize": 2})
        self.assertEqual([(u["Key"], u["UploadId"]) for page in pages
                          for u in page.get("Uploads", [])], every)
        u = self.uploads(bucket)[0]
        self.assertEqual(u["StorageClass"], "STANDARD")
        self.assertIn("Initiated", u)
        for key, uids in ids.items():
            for uid in uids:
                self.s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=uid)
        self.assertEqual(self.uploads(bucket), [])

    def test_operations_log_rows(self):
        bucket = self.new_bucket()
        uid, listed, _ = self.upload(bucket, "logged", {1: b"abc"})
        self.complete(bucket, "logged", uid, listed)
        rows = self.gw.sql(f"SELECT operation || ':' || status FROM operations_log "
                           f"WHERE bucket = '{bucket}' ORDER BY id").split("\n")
        for op in ("CreateMultipartUpload:200", "UploadPart:200", "CompleteMultipartUpload:200"):
            self.assertIn(op, rows)


class MultipartAwsCliTest(MultipartBase):
    """`aws s3 cp` switches to multipart past 8 MiB: 100 MiB up and down, byte for byte."""

    @classmethod
    def setUpClass(cls):
        require_tool("aws")
        cls.start()
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-mp-cli-")
        config = os.path.join(cls.tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cls.env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": config,
                        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cls.tmp, "none"),
                        "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "HOME": cls.tmp})

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def aws(self, *args):
        r = subprocess.run(["aws", "--endpoint-url", self.ep] + list(args), env=self.env,
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 0, f"{args}: {r.stdout}\n{r.stderr}")
        return r

    def test_cp_100_mib_up_and_down(self):
        bucket = self.new_bucket()
        src = os.path.join(self.tmp, "big.bin")
        with open(src, "wb") as f:
            for _ in range(100):
                f.write(os.urandom(MiB))
        self.aws("s3", "cp", src, f"s3://{bucket}/big.bin")
        head = self.s3.head_object(Bucket=bucket, Key="big.bin", ChecksumMode="ENABLED")
        self.assertEqual(head["ContentLength"], 100 * MiB)
        self.assertRegex(head["ETag"], r'^"[0-9a-f]{32}-13"$')  # 8 MiB parts
        self.assertRegex(head.get("ChecksumCRC32", ""), r"-13$")
        self.assertEqual(self.uploads(bucket), [])
        dst = os.path.join(self.tmp, "back.bin")
        self.aws("s3", "cp", f"s3://{bucket}/big.bin", dst)
        self.assertTrue(filecmp.cmp(src, dst, shallow=False))
        # Only the object's blob is left in the zone: every part file was removed.
        blobs = [f for f in self.zone_files() if os.path.getsize(f) > 0]
        self.assertEqual([os.path.getsize(f) for f in blobs], [100 * MiB])


class MultipartAuthTest(MultipartBase):
    """With authentication on: every multipart operation is signed and authorized by its
    action (s3:PutObject for create/upload/complete, s3:AbortMultipartUpload,
    s3:ListMultipartUploadParts, s3:ListBucketMultipartUploads)."""

    TOKEN = "mp-admin-" + uuid.uuid4().hex

    @classmethod
    def setUpClass(cls):
        cls.start({"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": cls.TOKEN,
                   "S3GW_MASTER_KEY": os.urandom(32).hex()})

    def client_for(self, permissions):
        r = requests.post(f"{self.ep}/api/credentials/create",
                          headers={"Authorization": f"Bearer {self.TOKEN}"},
                          json={"user_name": f"u{uuid.uuid4().hex[:6]}", "email": "u@example.com",
                                "customer_id": "mp-customer", "permissions": permissions},
                          timeout=30)
        self.assertEqual(r.status_code, 201, r.text)
        cred = r.json()
        self.cred = cred
        return boto3.client("s3", endpoint_url=self.ep, region_name="fi-hel",
                            aws_access_key_id=cred["access_key_id"],
                            aws_secret_access_key=cred["secret_access_key"],
                            config=Config(s3={"addressing_style": "path"},
                                          signature_version="s3v4",
                                          retries={"max_attempts": 1}))

    def test_actions_authorize_multipart(self):
        owner = self.client_for({"s3:CreateBucket": ["*"]})
        bucket = f"mp-auth-{uuid.uuid4().hex[:8]}"
        owner.create_bucket(Bucket=bucket)
        writer = self.client_for({"s3:PutObject": [f"{bucket}/uploads/*"],
                                  "s3:ListBucketMultipartUploads": [bucket]})
        parts = {1: os.urandom(5 * MiB), 2: os.urandom(10)}
        uid = writer.create_multipart_upload(Bucket=bucket, Key="uploads/a",
                                             ChecksumAlgorithm="CRC32")["UploadId"]
        listed = []
        for n in (2, 1):
            r = writer.upload_part(Bucket=bucket, Key="uploads/a", UploadId=uid, PartNumber=n,
                                   Body=parts[n], ChecksumAlgorithm="CRC32")
            listed.insert(0, {"PartNumber": n, "ETag": r["ETag"],
                              "ChecksumCRC32": r["ChecksumCRC32"]})
        self.assertEqual([u["UploadId"] for u in writer.list_multipart_uploads(
            Bucket=bucket)["Uploads"]], [uid])
        for fn, kwargs in ((writer.list_parts, {}), (writer.abort_multipart_upload, {})):
            self.assert_error(fn, "AccessDenied", 403, Bucket=bucket, Key="uploads/a",
                              UploadId=uid, **kwargs)
        self.assert_error(writer.create_multipart_upload, "AccessDenied", 403, Bucket=bucket,
                          Key="elsewhere/a")
        self.assertEqual(len(owner.list_parts(Bucket=bucket, Key="uploads/a",
                                              UploadId=uid)["Parts"]), 2)
        writer.complete_multipart_upload(Bucket=bucket, Key="uploads/a", UploadId=uid,
                                         MultipartUpload={"Parts": listed})
        self.assertEqual(owner.get_object(Bucket=bucket, Key="uploads/a")["Body"].read(),
                         parts[1] + parts[2])
        # The bucket's owner may abort anyone's upload in it.
        uid = writer.create_multipart_upload(Bucket=bucket, Key="uploads/b")["UploadId"]
        owner.abort_multipart_upload(Bucket=bucket, Key="uploads/b", UploadId=uid)

    def test_signed_streaming_parts(self):
        """UploadPart with STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: each chunk signature and
        the trailer's checked, as for PutObject; a bad one records nothing."""
        client = self.client_for({"s3:*": ["*"]})
        cred = self.cred
        bucket = f"mp-stream-{uuid.uuid4().hex[:8]}"
        client.create_bucket(Bucket=bucket)
        uid = client.create_multipart_upload(Bucket=bucket, Key="s",
                                             ChecksumAlgorithm="CRC32")["UploadId"]
        payload = os.urandom(200 * 1024)
        key = f"s?partNumber=1&uploadId={uid}"
        bad = streaming_put(self.gw, cred, bucket, key, payload, trailer=True, tamper="data")
        self.assertEqual(bad.status, 403, bad)
        bad = streaming_put(self.gw, cred, bucket, key, payload, trailer=True,
                            tamper="trailer-value")  # no longer what the trailer signature signs
        self.assertEqual(bad.status, 403, bad)
        self.assertEqual(client.list_parts(Bucket=bucket, Key="s", UploadId=uid).get("Parts", []),
                         [])
        ok = streaming_put(self.gw, cred, bucket, key, payload, trailer=True)
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(ok.headers["etag"], f'"{hashlib.md5(payload).hexdigest()}"')
        self.assertEqual(ok.headers["x-amz-checksum-crc32"], b64(crc32_raw(payload)))
        client.complete_multipart_upload(
            Bucket=bucket, Key="s", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": ok.headers["etag"],
                                        "ChecksumCRC32": b64(crc32_raw(payload))}]})
        self.assertEqual(client.get_object(Bucket=bucket, Key="s")["Body"].read(), payload)


@requires_tool("moto_server")
class MotoMultipartTest(MultipartBase):
    """A zone on moto_server (Storj in Helsinki): client part n is the provider's part n of a
    provider multipart upload on the upload's blob key, completed with the client's."""

    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()
        cls.config_dir = config_with_s3_zones({"fi": cls.moto})
        try:
            cls.start({"S3GW_CONFIG_DIR": cls.config_dir, "S3GW_HEALTH_INTERVAL": "0",
                       "TEST_PROVIDER_ACCESS_KEY": "moto",
                       "TEST_PROVIDER_SECRET_KEY": "moto-secret"})
        except Exception:
            cls.moto.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def upload_row(self, uid):
        row = self.gw.sql("SELECT zone_id || ' ' || backend_bucket || ' ' || blob_key || ' ' || "
                          f"backend_upload_id FROM multipart_uploads WHERE upload_id = '{uid}'")
        return row.split(" ")

    def provider_uploads(self, backend):
        r = self.moto.client.list_multipart_uploads(Bucket=backend)
        return [(u["Key"], u["UploadId"]) for u in r.get("Uploads", [])]

    def test_object_lands_through_the_providers_multipart(self):
        bucket = self.new_bucket(CreateBucketConfiguration={"LocationConstraint": "fi"})
        # Part 1 is larger than the provider writer's 8 MiB buffer: it goes to the provider
        # through a staging blob and UploadPartCopy; the others are sent from memory.
        parts = {1: os.urandom(9 * MiB), 2: os.urandom(5 * MiB), 3: os.urandom(100)}
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="v.bin",
                                              ChecksumAlgorithm="CRC32")["UploadId"]
        zone, backend, blob, provider_uid = self.upload_row(uid)
        self.assertEqual(zone, "fi-hel-st-1")
        self.assertTrue(blob.endswith(".mpu"))
        self.assertEqual(self.provider_uploads(backend), [(blob, provider_uid)])

        def send(n):
            r = self.s3.upload_part(Bucket=bucket, Key="v.bin", UploadId=uid, PartNumber=n,
                                    Body=parts[n], ChecksumAlgorithm="CRC32")
            return {"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]}

        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            listed = sorted(pool.map(send, (3, 2, 1)), key=lambda p: p["PartNumber"])
        provider_parts = self.moto.client.list_parts(Bucket=backend, Key=blob,
                                                     UploadId=provider_uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["Size"]) for p in provider_parts],
                         [(1, 9 * MiB), (2, 5 * MiB), (3, 100)])
        r = self.complete(bucket, "v.bin", uid, listed)
        whole = parts[1] + parts[2] + parts[3]
        self.assertEqual(r["ETag"], multipart_etag([parts[1], parts[2], parts[3]]))
        # On the provider: one object under the blob key, made by its multipart upload.
        self.assertEqual(self.moto.keys(backend), [blob])
        self.assertEqual(self.provider_uploads(backend), [])
        direct = self.moto.client.get_object(Bucket=backend, Key=blob)
        self.assertRegex(direct["ETag"], r'-3"$')
        self.assertEqual(direct["Body"].read(), whole)
        got = self.s3.get_object(Bucket=bucket, Key="v.bin")
        self.assertEqual(got["Body"].read(), whole)
        self.assertEqual(got["ETag"], r["ETag"])

    def test_abort_and_interruption_on_the_provider(self):
        bucket = self.new_bucket(CreateBucketConfiguration={"LocationConstraint": "fi"})
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="gone")["UploadId"]
        _, backend, blob, provider_uid = self.upload_row(uid)
        self.s3.upload_part(Bucket=bucket, Key="gone", UploadId=uid, PartNumber=1,
                            Body=os.urandom(1000))
        # In progress: listed by the gateway, held by the provider, invisible as an object.
        self.assertEqual([u["UploadId"] for u in self.uploads(bucket)], [uid])
        self.assertEqual(self.provider_uploads(backend), [(blob, provider_uid)])
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="gone")
        self.assertEqual(self.moto.keys(backend), [])
        self.s3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=uid)
        self.assertEqual(self.provider_uploads(backend), [])
        self.assertEqual(self.uploads(bucket), [])
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM garbage_blobs")), 0)
        # DeleteBucket with an upload in progress aborts it on the provider too.
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="pending")["UploadId"]
        self.assertEqual(len(self.provider_uploads(backend)), 1)
        self.s3.delete_bucket(Bucket=bucket)
        self.assertNotIn(backend, self.moto.buckets())

    def test_errors_and_a_gap_in_the_part_numbers(self):
        bucket = self.new_bucket(CreateBucketConfiguration={"LocationConstraint": "fi"})
        parts = {1: os.urandom(8 * MiB), 2: os.urandom(MiB), 3: os.urandom(MiB)}
        uid, listed, _ = self.upload(bucket, "k", parts)
        self.assert_error(self.complete, "InvalidPartOrder", 400, bucket=bucket, key="k",
                          uid=uid, parts=[listed[1], listed[0]])
        self.assert_error(self.complete, "EntityTooSmall", 400, bucket=bucket, key="k",
                          uid=uid, parts=listed)
        # Parts 1 and 3 only: the provider completes with the same numbers.
        self.complete(bucket, "k", uid, [listed[0], listed[2]])
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(),
                         parts[1] + parts[3])


if __name__ == "__main__":
    unittest.main()
