"""Versioning with the semantics of AWS S3, through boto3 and the aws CLI: Put/GetBucketVersioning,
version ids on PUT and multipart completion, delete markers, GET/HEAD/DELETE with versionId,
the 'null' version in unversioned and suspended buckets, ListObjectVersions (prefix,
delimiter, key-marker and version-id-marker pagination), and DeleteObjects (quiet, versionIds,
per-key errors and permissions, 1001 keys refused)."""
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster, require_tool, requires_tool

MiB = 1024 * 1024


class VersioningBase(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env=cls.env).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.s3 = cls.gw.client(customer="acme")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()

    def bucket(self, versioning=None):
        name = f"ver-{uuid.uuid4().hex[:10]}"
        self.s3.create_bucket(Bucket=name)
        if versioning:
            self.s3.put_bucket_versioning(Bucket=name,
                                          VersioningConfiguration={"Status": versioning})
        return name

    def error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def blob_count(self):
        return int(self.gw.sql("SELECT count(*) FROM objects WHERE NOT is_delete_marker"))


class VersioningTest(VersioningBase):
    def test_configuration_round_trip(self):
        b = self.bucket()
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        # A bad document changes nothing.
        r = requests.put(f"{self.gw.endpoint}/{b}?versioning",
                         data="<VersioningConfiguration><Status>On</Status>"
                              "</VersioningConfiguration>",
                         headers={"X-Customer-ID": "acme"}, timeout=10)
        self.assertEqual(r.status_code, 400)
        self.assertIn("MalformedXML", r.text)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        e = self.error(self.s3.put_bucket_versioning, Bucket="no-such-bucket-here",
                       VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(e["Error"]["Code"], "NoSuchBucket")

    def test_versions_delete_markers_and_version_reads(self):
        b = self.bucket("Enabled")
        v1 = self.s3.put_object(Bucket=b, Key="doc", Body=b"one")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="doc", Body=b"two")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertNotIn("null", (v1, v2))
        got = self.s3.get_object(Bucket=b, Key="doc")
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"two", v2))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="doc", VersionId=v1)["Body"].read(),
                         b"one")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="doc", VersionId=v1)["ContentLength"],
                         3)
        # DELETE without a version: a delete marker on top; the data stays.
        d = self.s3.delete_object(Bucket=b, Key="doc")
        self.assertTrue(d["DeleteMarker"])
        marker = d["VersionId"]
        e = self.error(self.s3.get_object, Bucket=b, Key="doc")
        self.assertEqual(e["Error"]["Code"], "NoSuchKey")
        self.assertEqual(e["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b).get("KeyCount"), 0)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="doc", VersionId=v2)["Body"].read(),
                         b"two")
        # The marker itself, asked for by id: 405.
        e = self.error(self.s3.get_object, Bucket=b, Key="doc", VersionId=marker)
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 405)
        listing = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in listing["Versions"]],
                         [(v2, False), (v1, False)])
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in listing["DeleteMarkers"]],
                         [(marker, True)])
        # Removing the marker brings the object back.
        d = self.s3.delete_object(Bucket=b, Key="doc", VersionId=marker)
        self.assertTrue(d["DeleteMarker"])
        self.assertEqual(d["VersionId"], marker)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="doc")["Body"].read(), b"two")
        # A version deleted by id is gone for good, the older one becomes the latest.
        self.s3.delete_object(Bucket=b, Key="doc", VersionId=v2)
        e = self.error(self.s3.get_object, Bucket=b, Key="doc", VersionId=v2)
        self.assertEqual(e["Error"]["Code"], "NoSuchVersion")
        got = self.s3.get_object(Bucket=b, Key="doc")
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"one", v1))
        # Deleting a version that does not exist succeeds and changes nothing.
        self.s3.delete_object(Bucket=b, Key="doc", VersionId="0" * 32)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="doc")["Body"].read(), b"one")

    def test_deleted_version_blob_is_removed(self):
        b = self.bucket("Enabled")
        v = self.s3.put_object(Bucket=b, Key="k", Body=os.urandom(1000))["VersionId"]
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        files = self.gw.blob_files()
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v)
        self.assertEqual(len(self.gw.blob_files()), len(files) - 1)

    def test_suspended_bucket_writes_the_null_version(self):
        b = self.bucket("Enabled")
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"enabled")["VersionId"]
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"null-1")
        self.assertEqual(r.get("VersionId", "null"), "null")
        self.s3.put_object(Bucket=b, Key="k", Body=b"null-2")  # replaces the null version
        versions = self.s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions],
                         [("null", True), (v1, False)])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read(),
                         b"null-2")
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertEqual((d["DeleteMarker"], d["VersionId"]), (True, "null"))
        listing = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in listing["Versions"]], [v1])
        self.assertEqual([m["VersionId"] for m in listing["DeleteMarkers"]], ["null"])

    def test_unversioned_bucket_has_only_null(self):
        b = self.bucket()
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"a")
        self.assertNotIn("VersionId", r)
        self.s3.put_object(Bucket=b, Key="k", Body=b"b")
        versions = self.s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual([(v["Key"], v["VersionId"]) for v in versions], [("k", "null")])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId="null")["Body"].read(),
                         b"b")
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertNotIn("DeleteMarker", d)
        self.assertNotIn("Versions", self.s3.list_object_versions(Bucket=b))

    def test_list_versions_pagination_and_prefixes(self):
        b = self.bucket("Enabled")
        expected = []
        for key in ("a", "b/1", "b/2", "c"):
            ids = [self.s3.put_object(Bucket=b, Key=key, Body=key.encode())["VersionId"]
                   for _ in range(2)]
            expected += [(key, i) for i in reversed(ids)]
        marker = self.s3.delete_object(Bucket=b, Key="c")["VersionId"]
        expected.insert(6, ("c", marker))
        # One entry per page, through key and version markers.
        seen = []
        kw = {}
        for _ in range(20):
            page = self.s3.list_object_versions(Bucket=b, MaxKeys=1, **kw)
            entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
            self.assertEqual(len(entries), 1)
            seen.append((entries[0]["Key"], entries[0]["VersionId"]))
            if not page["IsTruncated"]:
                break
            kw = {"KeyMarker": page["NextKeyMarker"],
                  "VersionIdMarker": page["NextVersionIdMarker"]}
        self.assertEqual(seen, expected)
        # A delimiter rolls b/'s versions into one common prefix.
        page = self.s3.list_object_versions(Bucket=b, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in page["CommonPrefixes"]], ["b/"])
        self.assertEqual(sorted({v["Key"] for v in page["Versions"]}), ["a", "c"])
        page = self.s3.list_object_versions(Bucket=b, Prefix="b/", MaxKeys=3)
        self.assertEqual([v["Key"] for v in page["Versions"]], ["b/1", "b/1", "b/2"])
        self.assertTrue(page["IsTruncated"])
        # A key marker alone starts after every version of that key.
        page = self.s3.list_object_versions(Bucket=b, KeyMarker="b/2")
        self.assertEqual({v["Key"] for v in page["Versions"]}, {"c"})
        e = self.error(self.s3.list_object_versions, Bucket=b, VersionIdMarker="x")
        self.assertEqual(e["Error"]["Code"], "InvalidArgument")

    def test_multipart_completion_gets_a_version(self):
        b = self.bucket("Enabled")
        self.s3.put_object(Bucket=b, Key="mp", Body=b"first")
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
        part = self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=1, Body=b"second")
        r = self.s3.complete_multipart_upload(
            Bucket=b, Key="mp", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertIn("VersionId", r)
        versions = self.s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual(len(versions), 2)
        self.assertEqual(versions[0]["VersionId"], r["VersionId"])

    def test_delete_objects(self):
        b = self.bucket("Enabled")
        v = {k: self.s3.put_object(Bucket=b, Key=k, Body=b"x")["VersionId"] for k in "abc"}
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "a"}, {"Key": "b", "VersionId": v["b"]}, {"Key": "missing"}]})
        deleted = {d["Key"]: d for d in r["Deleted"]}
        self.assertEqual(set(deleted), {"a", "b", "missing"})
        self.assertTrue(deleted["a"]["DeleteMarker"])
        self.assertIn("DeleteMarkerVersionId", deleted["a"])
        self.assertEqual(deleted["b"]["VersionId"], v["b"])
        self.assertNotIn("Errors", r)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b).get("Contents", [])]
        self.assertEqual(keys, ["c"])
        # Quiet: only errors come back; a bad key is an error of its own, the others proceed.
        r = self.s3.delete_objects(Bucket=b, Delete={"Quiet": True, "Objects": [
            {"Key": "c"}, {"Key": "x/../y"}]})
        self.assertNotIn("Deleted", r)
        self.assertEqual([(e["Key"], e["Code"]) for e in r["Errors"]],
                         [("x/../y", "InvalidArgument")])
        self.assertEqual(self.s3.list_objects_v2(Bucket=b).get("KeyCount"), 0)

    def test_delete_objects_limits(self):
        b = self.bucket()
        for k in ("k1", "k2"):
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        body = "<Delete>" + "".join(f"<Object><Key>k{i}</Key></Object>" for i in range(1001)) + \
               "</Delete>"
        r = requests.post(f"{self.gw.endpoint}/{b}?delete", data=body,
                          headers={"X-Customer-ID": "acme"}, timeout=30)
        self.assertEqual(r.status_code, 400)
        self.assertIn("MalformedXML", r.text)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 2)  # nothing deleted
        # Exactly 1000, without Content-MD5 (raw request): accepted.
        body = "<Delete>" + "".join(f"<Object><Key>k{i}</Key></Object>" for i in range(1000)) + \
               "</Delete>"
        r = requests.post(f"{self.gw.endpoint}/{b}?delete", data=body,
                          headers={"X-Customer-ID": "acme"}, timeout=60)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.text.count("<Deleted>"), 1000)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)
        for bad in ("<Delete></Delete>", "<Delete><Object></Object></Delete>", "not xml"):
            r = requests.post(f"{self.gw.endpoint}/{b}?delete", data=bad,
                              headers={"X-Customer-ID": "acme"}, timeout=10)
            self.assertEqual(r.status_code, 400, bad)
            self.assertIn("MalformedXML", r.text)

    def test_aws_cli_versioning(self):
        require_tool("aws")
        tmp = tempfile.mkdtemp(prefix="s3gw-ver-cli-")
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            config = os.path.join(tmp, "config")
            with open(config, "w") as f:
                f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
            env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config,
                        "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "HOME": tmp})

            def aws(*args):
                r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, *args], env=env,
                                   capture_output=True, text=True, timeout=120)
                self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
                return r.stdout

            b = f"cli-ver-{uuid.uuid4().hex[:8]}"
            aws("s3", "mb", f"s3://{b}")
            aws("s3api", "put-bucket-versioning", "--bucket", b,
                "--versioning-configuration", "Status=Enabled")
            self.assertIn("Enabled", aws("s3api", "get-bucket-versioning", "--bucket", b))
            src = os.path.join(tmp, "f.txt")
            for text in ("v1", "v2"):
                with open(src, "w") as f:
                    f.write(text)
                aws("s3", "cp", src, f"s3://{b}/f.txt")
            out = aws("s3api", "list-object-versions", "--bucket", b, "--query",
                      "Versions[].VersionId", "--output", "text").split()
            self.assertEqual(len(out), 2)
            aws("s3", "rm", f"s3://{b}/f.txt")
            self.assertIn("DeleteMarkers", aws("s3api", "list-object-versions", "--bucket", b))
            dst = os.path.join(tmp, "old.txt")
            aws("s3api", "get-object", "--bucket", b, "--key", "f.txt", "--version-id", out[1],
                dst)
            with open(dst) as f:
                self.assertEqual(f.read(), "v1")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@requires_tool("moto_server")
class MotoVersioningTest(VersioningTest):
    """Every test above again with the buckets' data on an S3 provider (moto_server stands in
    for Storj in Helsinki, the dev configuration's first Finnish zone, where buckets without a
    constraint go)."""

    @classmethod
    def setUpClass(cls):
        import test_providers as tp
        cls.moto = tp.Moto()
        cls.config_dir = tp.config_with_s3_zones({"fi": cls.moto})
        cls.env = {"S3GW_CONFIG_DIR": cls.config_dir, "S3GW_HEALTH_INTERVAL": "0",
                   "TEST_PROVIDER_ACCESS_KEY": "moto", "TEST_PROVIDER_SECRET_KEY": "moto-secret"}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def test_deleted_version_blob_is_removed(self):
        b = self.bucket("Enabled")
        v = self.s3.put_object(Bucket=b, Key="k", Body=os.urandom(1000))["VersionId"]
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        zone, backend, blob = self.gw.sql(
            "SELECT zone_id || ' ' || backend_bucket || ' ' || blob_key FROM objects "
            f"WHERE version_id = '{v}'").split(" ")
        self.assertEqual(zone, "fi-hel-st-1")
        self.assertIn(blob, self.moto.keys(backend))
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v)
        self.assertNotIn(blob, self.moto.keys(backend))


class VersioningAuthTest(VersioningBase):
    """DeleteObjects authorizes every key; versioned reads need s3:GetObjectVersion."""
    TOKEN = "ver-admin-" + uuid.uuid4().hex
    env = {"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN,
           "S3GW_MASTER_KEY": os.urandom(32).hex()}

    def client_for(self, permissions):
        r = requests.post(f"{self.gw.endpoint}/api/credentials/create",
                          headers={"Authorization": f"Bearer {self.TOKEN}"},
                          json={"user_name": f"u{uuid.uuid4().hex[:6]}", "email": "u@example.com",
                                "customer_id": "ver-customer", "permissions": permissions},
                          timeout=30)
        self.assertEqual(r.status_code, 201, r.text)
        cred = r.json()
        return boto3.client("s3", endpoint_url=self.gw.endpoint, region_name="fi-hel",
                            aws_access_key_id=cred["access_key_id"],
                            aws_secret_access_key=cred["secret_access_key"],
                            config=Config(s3={"addressing_style": "path"},
                                          signature_version="s3v4",
                                          retries={"max_attempts": 1}))

    def test_per_key_authorization(self):
        owner = self.client_for({"s3:CreateBucket": ["*"]})
        b = f"ver-auth-{uuid.uuid4().hex[:8]}"
        owner.create_bucket(Bucket=b)
        owner.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        ids = {k: owner.put_object(Bucket=b, Key=k, Body=b"x")["VersionId"]
               for k in ("tmp/a", "keep/b")}
        user = self.client_for({"s3:DeleteObject": [f"{b}/tmp/*"], "s3:GetObject": [f"{b}/*"]})
        r = user.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "tmp/a"},
                                                              {"Key": "keep/b"}]})
        self.assertEqual([d["Key"] for d in r["Deleted"]], ["tmp/a"])
        self.assertEqual([(e["Key"], e["Code"]) for e in r["Errors"]],
                         [("keep/b", "AccessDenied")])
        self.assertEqual(owner.get_object(Bucket=b, Key="keep/b")["Body"].read(), b"x")
        # s3:DeleteObject does not cover deleting a version for good.
        r = user.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "tmp/a", "VersionId": ids["tmp/a"]}]})
        self.assertEqual([e["Code"] for e in r["Errors"]], ["AccessDenied"])
        # Reading a version needs s3:GetObjectVersion.
        with self.assertRaises(ClientError) as cm:
            user.get_object(Bucket=b, Key="keep/b", VersionId=ids["keep/b"])
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        self.assertEqual(owner.get_object(Bucket=b, Key="keep/b",
                                          VersionId=ids["keep/b"])["Body"].read(), b"x")


if __name__ == "__main__":
    unittest.main()
