"""Object and bucket tagging end to end, with boto3 and the aws CLI: round trips (object,
versionId, bucket), every limit and error, the `replica-count` tag against a bucket's
LocationConstraint (stored as the version's wanted replica count), and x-amz-tagging on
PutObject and CreateMultipartUpload.

The dev configuration (config/s3_backends.json) has two zones in Finland (fi-hel-st-1,
fi-hel-uc-1) and three in Germany (de-fra-st-1, de-fra-uc-1, de-fra-hz-1).
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import requests
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster, require_tool

MiB = 1024 * 1024


def tagset(d):
    return [{"Key": k, "Value": v} for k, v in d.items()]


def as_dict(tags):
    return {t["Key"]: t["Value"] for t in tags}


class TaggingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg).start()
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

    def new_bucket(self, constraint=None):
        name = f"tag-{uuid.uuid4().hex[:10]}"
        kwargs = {}
        if constraint is not None:
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": constraint}
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

    def tags(self, bucket, key, **kwargs):
        return as_dict(self.s3.get_object_tagging(Bucket=bucket, Key=key, **kwargs)["TagSet"])

    def replica_count(self, bucket, key, version_id=None):
        where = f"o.version_id = '{version_id}'" if version_id else "o.is_latest"
        return self.gw.sql("SELECT coalesce(o.replica_count::text, 'null') FROM objects o "
                           "JOIN buckets b ON b.id = o.bucket_id "
                           f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND {where}")

    def log_ops(self, bucket, operation):
        # Successful writes, logged in their transaction. Refused requests are logged too, but
        # in batches a second later, so counting them here would race the batch.
        return int(self.gw.sql("SELECT count(*) FROM operations_log "
                               f"WHERE bucket = '{bucket}' AND operation = '{operation}' "
                               "AND status < 300"))

    # ------------------------------------------------------------------ object tags

    def test_object_tagging_round_trip(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="doc", Body=b"hello")
        self.assertEqual(self.tags(bucket, "doc"), {})
        r = self.s3.put_object_tagging(Bucket=bucket, Key="doc", Tagging={
            "TagSet": tagset({"project": "apollo", "owner": "ops team", "empty": ""})})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        got = self.s3.get_object_tagging(Bucket=bucket, Key="doc")
        self.assertEqual(as_dict(got["TagSet"]),
                         {"project": "apollo", "owner": "ops team", "empty": ""})
        self.assertEqual(got["VersionId"], "null")
        head = self.s3.head_object(Bucket=bucket, Key="doc")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"], "3")
        # A put replaces the whole set.
        self.s3.put_object_tagging(Bucket=bucket, Key="doc",
                                   Tagging={"TagSet": tagset({"only": "this"})})
        self.assertEqual(self.tags(bucket, "doc"), {"only": "this"})
        r = self.s3.delete_object_tagging(Bucket=bucket, Key="doc")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.tags(bucket, "doc"), {})
        head = self.s3.head_object(Bucket=bucket, Key="doc")
        self.assertNotIn("x-amz-tagging-count", head["ResponseMetadata"]["HTTPHeaders"])
        # The object itself is untouched; every change was logged.
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="doc")["Body"].read(), b"hello")
        self.assertEqual(self.log_ops(bucket, "PutObjectTagging"), 2)
        self.assertEqual(self.log_ops(bucket, "DeleteObjectTagging"), 1)

    def test_unicode_and_special_characters(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"")
        tags = {"späce & <xml>": "välue = \"quoted\" / 'x'", "日本": "語" * 256,
                "k" * 128: "v" * 256, "é" * 128: ""}
        self.s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tagset(tags)})
        self.assertEqual(self.tags(bucket, "k"), tags)

    def test_limits_and_rules(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        self.s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={
            "TagSet": tagset({"keep": "me"})})
        put = self.s3.put_object_tagging
        ten = {f"k{i}": str(i) for i in range(10)}
        put(Bucket=bucket, Key="k", Tagging={"TagSet": tagset(ten)})
        self.assertEqual(self.tags(bucket, "k"), ten)
        eleven = {f"k{i}": str(i) for i in range(11)}
        err = self.assert_error(put, "BadRequest", 400, Bucket=bucket, Key="k",
                                Tagging={"TagSet": tagset(eleven)})
        self.assertIn("10", err["Error"]["Message"])
        for bad in ({"k" * 129: "v"}, {"k": "v" * 257}, {"aws:reserved": "v"},
                    {"é" * 129: "v"}):
            self.assert_error(put, "InvalidTag", 400, Bucket=bucket, Key="k",
                              Tagging={"TagSet": tagset(bad)})
        self.assert_error(put, "InvalidTag", 400, Bucket=bucket, Key="k", Tagging={
            "TagSet": [{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]})
        # A refused set changed nothing.
        self.assertEqual(self.tags(bucket, "k"), ten)

    def test_malformed_xml_and_empty_key(self):
        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        for body in (b"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
                     b"<Tagging><Nope/></Tagging>", b"not xml"):
            r = requests.put(f"{self.gw.endpoint}/{bucket}/k?tagging", data=body, timeout=30)
            self.assertEqual(r.status_code, 400, r.text)
            self.assertIn("<Code>MalformedXML</Code>", r.text)
        # botocore refuses an empty key itself; the gateway does too.
        body = b"<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>"
        r = requests.put(f"{self.gw.endpoint}/{bucket}/k?tagging", data=body, timeout=30)
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("<Code>InvalidTag</Code>", r.text)

    def test_missing_bucket_key_and_version(self):
        bucket = self.new_bucket()
        ts = {"TagSet": tagset({"a": "b"})}
        self.assert_error(self.s3.get_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="no")
        self.assert_error(self.s3.put_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="no",
                          Tagging=ts)
        self.assert_error(self.s3.delete_object_tagging, "NoSuchKey", 404, Bucket=bucket,
                          Key="no")
        self.assert_error(self.s3.get_object_tagging, "NoSuchBucket", 404, Bucket="no-such-bkt",
                          Key="k")
        self.assert_error(self.s3.put_object_tagging, "NoSuchBucket", 404, Bucket="no-such-bkt",
                          Key="k", Tagging=ts)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        bogus = "0123456789abcdef0123456789abcdef"
        for fn, extra in ((self.s3.get_object_tagging, {}),
                          (self.s3.put_object_tagging, {"Tagging": ts}),
                          (self.s3.delete_object_tagging, {})):
            self.assert_error(fn, "NoSuchVersion", 404, Bucket=bucket, Key="k",
                              VersionId=bogus, **extra)
        # The 'null' version of an unversioned bucket can be named.
        self.s3.put_object_tagging(Bucket=bucket, Key="k", VersionId="null", Tagging=ts)
        self.assertEqual(self.tags(bucket, "k", VersionId="null"), {"a": "b"})

    def test_versions_have_their_own_tags(self):
        bucket = self.new_bucket()
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        v1 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"one", Tagging="gen=1")["VersionId"]
        v2 = self.s3.put_object(Bucket=bucket, Key="k", Body=b"two")["VersionId"]
        self.assertEqual(self.tags(bucket, "k"), {})
        self.assertEqual(self.tags(bucket, "k", VersionId=v1), {"gen": "1"})
        r = self.s3.put_object_tagging(Bucket=bucket, Key="k", VersionId=v1,
                                       Tagging={"TagSet": tagset({"gen": "one"})})
        self.assertEqual(r["VersionId"], v1)
        r = self.s3.put_object_tagging(Bucket=bucket, Key="k",
                                       Tagging={"TagSet": tagset({"gen": "two"})})
        self.assertEqual(r["VersionId"], v2)
        got = self.s3.get_object_tagging(Bucket=bucket, Key="k")
        self.assertEqual((got["VersionId"], as_dict(got["TagSet"])), (v2, {"gen": "two"}))
        got = self.s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual((got["VersionId"], as_dict(got["TagSet"])), (v1, {"gen": "one"}))
        r = self.s3.delete_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
        self.assertEqual(r["VersionId"], v1)
        self.assertEqual(self.tags(bucket, "k", VersionId=v1), {})
        self.assertEqual(self.tags(bucket, "k", VersionId=v2), {"gen": "two"})
        # A delete marker has no tags: 404 as the latest version, 405 named by its id.
        marker = self.s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
        err = self.assert_error(self.s3.get_object_tagging, "NoSuchKey", 404, Bucket=bucket,
                                Key="k")
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"], "true")
        self.assert_error(self.s3.put_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="k",
                          Tagging={"TagSet": []})
        for fn, extra in ((self.s3.get_object_tagging, {}),
                          (self.s3.put_object_tagging, {"Tagging": {"TagSet": []}}),
                          (self.s3.delete_object_tagging, {})):
            self.assert_error(fn, "MethodNotAllowed", 405, Bucket=bucket, Key="k",
                              VersionId=marker, **extra)
        # The versions under the marker keep theirs.
        self.assertEqual(self.tags(bucket, "k", VersionId=v2), {"gen": "two"})

    # ------------------------------------------------------------------ replica-count

    def test_replica_count_against_the_location_constraint(self):
        fi = self.new_bucket("fi")  # two zones in Finland
        self.s3.put_object(Bucket=fi, Key="k", Body=b"x")
        self.assertEqual(self.replica_count(fi, "k"), "null")
        put = self.s3.put_object_tagging
        put(Bucket=fi, Key="k", Tagging={"TagSet": tagset({"replica-count": "2", "a": "b"})})
        self.assertEqual(self.replica_count(fi, "k"), "2")
        self.assertEqual(self.tags(fi, "k"), {"replica-count": "2", "a": "b"})
        err = self.assert_error(put, "InvalidTag", 400, Bucket=fi, Key="k",
                                Tagging={"TagSet": tagset({"replica-count": "3"})})
        msg = err["Error"]["Message"]
        self.assertIn("replica-count", msg)
        self.assertIn("'fi'", msg)
        self.assertIn("2", msg)  # placement's reason says how many are possible
        for bad in ("0", "-1", "two", "1.5", "", "9999"):
            err = self.assert_error(put, "InvalidTag", 400, Bucket=fi, Key="k",
                                    Tagging={"TagSet": tagset({"replica-count": bad})})
            self.assertIn("replica-count", err["Error"]["Message"])
        # Refusals changed nothing.
        self.assertEqual(self.replica_count(fi, "k"), "2")
        self.assertEqual(self.tags(fi, "k"), {"replica-count": "2", "a": "b"})
        # Removing the tag clears the count; so does deleting the set.
        put(Bucket=fi, Key="k", Tagging={"TagSet": tagset({"a": "b"})})
        self.assertEqual(self.replica_count(fi, "k"), "null")
        put(Bucket=fi, Key="k", Tagging={"TagSet": tagset({"replica-count": "1"})})
        self.assertEqual(self.replica_count(fi, "k"), "1")
        self.s3.delete_object_tagging(Bucket=fi, Key="k")
        self.assertEqual(self.replica_count(fi, "k"), "null")

        # Germany has three zones; a bucket listing both countries five.
        de = self.new_bucket("de")
        self.s3.put_object(Bucket=de, Key="k", Body=b"x")
        put(Bucket=de, Key="k", Tagging={"TagSet": tagset({"replica-count": "3"})})
        self.assertEqual(self.replica_count(de, "k"), "3")
        self.assert_error(put, "InvalidTag", 400, Bucket=de, Key="k",
                          Tagging={"TagSet": tagset({"replica-count": "4"})})
        both = self.new_bucket("fi,de")
        self.s3.put_object(Bucket=both, Key="k", Body=b"x")
        put(Bucket=both, Key="k", Tagging={"TagSet": tagset({"replica-count": "5"})})
        self.assertEqual(self.replica_count(both, "k"), "5")
        self.assert_error(put, "InvalidTag", 400, Bucket=both, Key="k",
                          Tagging={"TagSet": tagset({"replica-count": "6"})})
        # A bucket in the home region (no constraint) holds what fi-hel holds.
        home = self.new_bucket()
        self.s3.put_object(Bucket=home, Key="k", Body=b"x")
        put(Bucket=home, Key="k", Tagging={"TagSet": tagset({"replica-count": "2"})})
        self.assert_error(put, "InvalidTag", 400, Bucket=home, Key="k",
                          Tagging={"TagSet": tagset({"replica-count": "3"})})

    # ------------------------------------------------------------------ x-amz-tagging

    def test_tagging_header_on_put(self):
        bucket = self.new_bucket("fi")
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x",
                           Tagging="a=1&b=two%20words&replica-count=2&empty=")
        self.assertEqual(self.tags(bucket, "k"),
                         {"a": "1", "b": "two words", "replica-count": "2", "empty": ""})
        self.assertEqual(self.replica_count(bucket, "k"), "2")
        # An overwrite without the header has no tags and no count of its own.
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"y")
        self.assertEqual(self.tags(bucket, "k"), {})
        self.assertEqual(self.replica_count(bucket, "k"), "null")
        # A bad header changes nothing: the old object stays, no new one appears.
        for header, code in (("replica-count=3", "InvalidTag"),
                             ("&".join(f"k{i}=v" for i in range(11)), "BadRequest"),
                             ("k=%zz", "InvalidArgument"), ("aws:x=1", "InvalidTag")):
            self.assert_error(self.s3.put_object, code, 400, Bucket=bucket, Key="k",
                              Body=b"z" * 1000, Tagging=header)
            self.assert_error(self.s3.put_object, code, 400, Bucket=bucket, Key="new",
                              Body=b"z", Tagging=header)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k")["Body"].read(), b"y")
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="new")

    def test_tagging_header_on_multipart_upload(self):
        bucket = self.new_bucket("fi")
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="mp",
                                              Tagging="stage=raw&replica-count=2")["UploadId"]
        part = os.urandom(5 * MiB)
        etags = []
        for n, body in ((1, part), (2, b"tail")):
            r = self.s3.upload_part(Bucket=bucket, Key="mp", UploadId=uid, PartNumber=n,
                                    Body=body)
            etags.append({"PartNumber": n, "ETag": r["ETag"]})
        # Nothing is tagged before the completion.
        self.assert_error(self.s3.get_object_tagging, "NoSuchKey", 404, Bucket=bucket, Key="mp")
        self.s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=uid,
                                          MultipartUpload={"Parts": etags})
        self.assertEqual(self.tags(bucket, "mp"), {"stage": "raw", "replica-count": "2"})
        self.assertEqual(self.replica_count(bucket, "mp"), "2")
        # A bad header creates no upload.
        for header in ("replica-count=3", "replica-count=x", "aws:k=v"):
            self.assert_error(self.s3.create_multipart_upload, "InvalidTag", 400, Bucket=bucket,
                              Key="bad", Tagging=header)
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []), [])

    # ------------------------------------------------------------------ bucket tags

    def test_bucket_tagging(self):
        bucket = self.new_bucket()
        err = self.assert_error(self.s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
        self.assertIn("TagSet", err["Error"]["Message"])
        tags = {"cost-center": "42", "env": "prod", "replica-count": "any text is fine here"}
        r = self.s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tagset(tags)})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(as_dict(self.s3.get_bucket_tagging(Bucket=bucket)["TagSet"]), tags)
        fifty = {f"k{i:02}": "v" * 256 for i in range(50)}
        self.s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tagset(fifty)})
        self.assertEqual(as_dict(self.s3.get_bucket_tagging(Bucket=bucket)["TagSet"]), fifty)
        fifty_one = dict(fifty, extra="1")
        for bad in (fifty_one, {"k" * 129: "v"}, {"k": "v" * 257}, {"aws:x": "1"}):
            self.assert_error(self.s3.put_bucket_tagging, "InvalidTag", 400, Bucket=bucket,
                              Tagging={"TagSet": tagset(bad)})
        self.assertEqual(as_dict(self.s3.get_bucket_tagging(Bucket=bucket)["TagSet"]), fifty)
        r = self.s3.delete_bucket_tagging(Bucket=bucket)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_error(self.s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
        # Deleting again is fine.
        self.s3.delete_bucket_tagging(Bucket=bucket)
        for fn, extra in ((self.s3.get_bucket_tagging, {}),
                          (self.s3.put_bucket_tagging, {"Tagging": {"TagSet": tagset(tags)}}),
                          (self.s3.delete_bucket_tagging, {})):
            self.assert_error(fn, "NoSuchBucket", 404, Bucket="no-such-bkt", **extra)
        self.assertEqual(self.log_ops(bucket, "PutBucketTagging"), 2)
        self.assertEqual(self.log_ops(bucket, "DeleteBucketTagging"), 2)

    # ------------------------------------------------------------------ the aws CLI

    def test_aws_cli(self):
        require_tool("aws")
        tmp = tempfile.mkdtemp(prefix="s3gw-tagcli-")
        self.addCleanup(shutil.rmtree, tmp, True)
        config = os.path.join(tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                    "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config + "-none",
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "HOME": tmp})

        def s3api(*args, check=True):
            r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, "s3api", *args,
                                "--output", "json"], env=env, capture_output=True, text=True,
                               timeout=120)
            if check:
                self.assertEqual(r.returncode, 0, r.stderr)
                return json.loads(r.stdout) if r.stdout.strip() else {}
            return r

        bucket = self.new_bucket("fi")
        path = os.path.join(tmp, "f")
        with open(path, "wb") as f:
            f.write(b"cli")
        s3api("put-object", "--bucket", bucket, "--key", "f", "--body", path,
              "--tagging", "from=cli")
        self.assertEqual(as_dict(s3api("get-object-tagging", "--bucket", bucket,
                                       "--key", "f")["TagSet"]), {"from": "cli"})
        s3api("put-object-tagging", "--bucket", bucket, "--key", "f", "--tagging",
              json.dumps({"TagSet": tagset({"replica-count": "2", "x": "y"})}))
        self.assertEqual(as_dict(s3api("get-object-tagging", "--bucket", bucket,
                                       "--key", "f")["TagSet"]), {"replica-count": "2", "x": "y"})
        self.assertEqual(self.replica_count(bucket, "f"), "2")
        bad = s3api("put-object-tagging", "--bucket", bucket, "--key", "f", "--tagging",
                    json.dumps({"TagSet": tagset({"replica-count": "3"})}), check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("InvalidTag", bad.stderr)
        s3api("delete-object-tagging", "--bucket", bucket, "--key", "f")
        self.assertEqual(s3api("get-object-tagging", "--bucket", bucket, "--key", "f")["TagSet"],
                         [])
        s3api("put-bucket-tagging", "--bucket", bucket, "--tagging",
              json.dumps({"TagSet": tagset({"team": "storage"})}))
        self.assertEqual(as_dict(s3api("get-bucket-tagging", "--bucket", bucket)["TagSet"]),
                         {"team": "storage"})
        s3api("delete-bucket-tagging", "--bucket", bucket)
        r = s3api("get-bucket-tagging", "--bucket", bucket, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchTagSet", r.stderr)


if __name__ == "__main__":
    unittest.main()
