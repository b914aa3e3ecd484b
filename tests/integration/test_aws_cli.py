"""The real `aws` CLI against the gateway: `aws s3` (mb, cp, ls, rm, rb) and `aws s3api`.

Path-style addressing through a private AWS config file; the host's own AWS configuration and
credentials are never read.
"""
import filecmp
import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

from harness import Gateway, PostgresCluster, require_tool


class AwsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_tool("aws")
        cls.pg = PostgresCluster().start()
        cls.gw = Gateway(cls.pg).start()
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-awscli-")
        config = os.path.join(cls.tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
        creds = os.path.join(cls.tmp, "credentials")
        with open(creds, "w") as f:
            f.write("[default]\naws_access_key_id = test\naws_secret_access_key = test\n")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cls.env.update({
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": config,
            "AWS_SHARED_CREDENTIALS_FILE": creds,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "HOME": cls.tmp,
        })
        cls.s3 = cls.gw.client()

    @classmethod
    def tearDownClass(cls):
        cls.gw.cleanup()
        cls.pg.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def aws(self, *args, check=True, timeout=180):
        cmd = ["aws", "--endpoint-url", self.gw.endpoint] + list(args)
        r = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=timeout)
        if check:
            self.assertEqual(r.returncode, 0,
                             f"{' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
        return r

    def s3api(self, *args, **kw):
        r = self.aws("s3api", *args, "--output", "json", **kw)
        return json.loads(r.stdout) if r.stdout.strip() else {}

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def keys(self, bucket):
        r = self.s3.list_objects_v2(Bucket=bucket)
        return sorted(o["Key"] for o in r.get("Contents", []))

    def bucket_names(self):
        return {b["Name"] for b in self.s3.list_buckets()["Buckets"]}

    # ------------------------------------------------------------------ aws s3

    def test_s3_mb_cp_ls_rm_rb(self):
        bucket = "cli-roundtrip"
        r = self.aws("s3", "mb", f"s3://{bucket}")
        self.assertIn(f"make_bucket: {bucket}", r.stdout)
        self.assertIn(bucket, self.bucket_names())

        rnd = random.Random(42)
        files = {"empty.bin": b"", "one.bin": b"\x00",
                 "five-mib.bin": rnd.randbytes(5 * 1024 * 1024),
                 "text.txt": "héllo wörld\n".encode() * 1000}
        for name, data in files.items():
            src = self.write(f"up/{name}", data)
            r = self.aws("s3", "cp", src, f"s3://{bucket}/dir/{name}")
            self.assertIn(f"upload: ", r.stdout)
            self.assertIn(f"s3://{bucket}/dir/{name}", r.stdout)

        # Byte-identical downloads, and the ETag is the MD5 of the content.
        for name, data in files.items():
            dst = os.path.join(self.tmp, "down", name)
            r = self.aws("s3", "cp", f"s3://{bucket}/dir/{name}", dst)
            self.assertIn("download: ", r.stdout)
            with open(dst, "rb") as f:
                self.assertEqual(f.read(), data, name)
            head = self.s3.head_object(Bucket=bucket, Key=f"dir/{name}")
            self.assertEqual(head["ContentLength"], len(data))
            self.assertEqual(head["ETag"], '"%s"' % hashlib.md5(data).hexdigest())

        # ls of the buckets, of a prefix, and recursive.
        r = self.aws("s3", "ls")
        self.assertIn(bucket, r.stdout.split())
        r = self.aws("s3", "ls", f"s3://{bucket}")
        self.assertIn("PRE dir/", r.stdout)
        r = self.aws("s3", "ls", f"s3://{bucket}/dir/")
        listed = {line.split()[-1]: int(line.split()[-2]) for line in r.stdout.splitlines()}
        self.assertEqual(listed, {name: len(data) for name, data in files.items()})
        r = self.aws("s3", "ls", "--recursive", f"s3://{bucket}")
        keys = [line.split()[-1] for line in r.stdout.splitlines()]
        self.assertEqual(keys, sorted(f"dir/{name}" for name in files))

        # Single rm, then recursive rm, then rb.
        r = self.aws("s3", "rm", f"s3://{bucket}/dir/one.bin")
        self.assertIn(f"delete: s3://{bucket}/dir/one.bin", r.stdout)
        self.assertNotIn("dir/one.bin", self.keys(bucket))
        # rb on a bucket that still has objects fails and keeps the bucket.
        r = self.aws("s3", "rb", f"s3://{bucket}", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BucketNotEmpty", r.stderr)
        self.assertIn(bucket, self.bucket_names())
        r = self.aws("s3", "rm", "--recursive", f"s3://{bucket}/")
        self.assertEqual(r.stdout.count("delete: "), len(files) - 1)
        self.assertEqual(self.keys(bucket), [])
        r = self.aws("s3", "rb", f"s3://{bucket}")
        self.assertIn(f"remove_bucket: {bucket}", r.stdout)
        self.assertNotIn(bucket, self.bucket_names())

    def test_s3_cp_recursive_directory(self):
        bucket = "cli-recursive"
        self.aws("s3", "mb", f"s3://{bucket}")
        rnd = random.Random(7)
        tree = {
            "a.txt": b"alpha\n",
            "sub/b.bin": rnd.randbytes(300 * 1024),
            "sub/deeper/c.bin": rnd.randbytes(1),
            "sub/deeper/empty": b"",
            "x y/space name.txt": b"spaces in names",
            "uni/ünïcödé.txt": "ünïcödé".encode(),
        }
        src = os.path.join(self.tmp, "tree-src")
        for rel, data in tree.items():
            self.write(os.path.join("tree-src", rel), data)
        r = self.aws("s3", "cp", "--recursive", src, f"s3://{bucket}/tree/")
        self.assertEqual(r.stdout.count("upload: "), len(tree), r.stdout)
        self.assertEqual(self.keys(bucket), sorted(f"tree/{k}" for k in tree))

        dst = os.path.join(self.tmp, "tree-dst")
        r = self.aws("s3", "cp", "--recursive", f"s3://{bucket}/tree/", dst)
        self.assertEqual(r.stdout.count("download: "), len(tree), r.stdout)
        for rel, data in tree.items():
            with open(os.path.join(dst, rel), "rb") as f:
                self.assertEqual(f.read(), data, rel)
        cmp = filecmp.dircmp(src, dst)
        self.assertEqual((cmp.left_only, cmp.right_only, cmp.diff_files), ([], [], []))

        r = self.aws("s3", "ls", "--recursive", f"s3://{bucket}/tree/sub/")
        self.assertEqual([line.split()[-1] for line in r.stdout.splitlines()],
                         ["tree/sub/b.bin", "tree/sub/deeper/c.bin", "tree/sub/deeper/empty"])

        r = self.aws("s3", "rm", "--recursive", f"s3://{bucket}/tree/sub/")
        self.assertEqual(r.stdout.count("delete: "), 3)
        self.assertEqual(self.keys(bucket),
                         sorted(f"tree/{k}" for k in tree if not k.startswith("sub/")))
        self.aws("s3", "rm", "--recursive", f"s3://{bucket}")
        self.aws("s3", "rb", f"s3://{bucket}")
        self.assertNotIn(bucket, self.bucket_names())

    def test_s3_cp_stdin_stdout(self):
        bucket = "cli-stream"
        self.aws("s3", "mb", f"s3://{bucket}")
        data = random.Random(9).randbytes(1024 * 1024 + 7)
        r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, "s3", "cp", "-",
                            f"s3://{bucket}/from-stdin"], input=data, env=self.env,
                           capture_output=True, timeout=180)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, "s3", "cp",
                            f"s3://{bucket}/from-stdin", "-"], env=self.env,
                           capture_output=True, timeout=180)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, data)

    def test_s3_errors(self):
        r = self.aws("s3", "ls", "s3://no-such-bucket-cli", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchBucket", r.stderr)
        r = self.aws("s3", "mb", "s3://Bad_Bucket_Name", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn("Bad_Bucket_Name", self.bucket_names())
        self.aws("s3", "mb", "s3://cli-errors")
        r = self.aws("s3", "cp", "s3://cli-errors/missing", os.path.join(self.tmp, "m"),
                     check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("404", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "m")))

    # ------------------------------------------------------------------ aws s3api

    def test_s3api_object_lifecycle(self):
        bucket = "cli-api"
        out = self.s3api("create-bucket", "--bucket", bucket)
        self.assertIn(bucket, out.get("Location", ""))
        loc = self.s3api("get-bucket-location", "--bucket", bucket)
        self.assertIn(loc.get("LocationConstraint"), (None, ""))

        data = random.Random(11).randbytes(2 * 1024 * 1024 + 3)
        src = self.write("api-src.bin", data)
        put = self.s3api("put-object", "--bucket", bucket, "--key", "docs/a.bin", "--body", src,
                         "--content-type", "application/x-custom",
                         "--metadata", "owner=alice,project=s3gw")
        self.assertEqual(put["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        self.s3api("put-object", "--bucket", bucket, "--key", "docs/b.txt", "--body",
                   self.write("b.txt", b"bee"))
        self.s3api("put-object", "--bucket", bucket, "--key", "top.txt", "--body",
                   self.write("top.txt", b"top"))

        head = self.s3api("head-object", "--bucket", bucket, "--key", "docs/a.bin")
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(head["ContentType"], "application/x-custom")
        self.assertEqual(head["Metadata"], {"owner": "alice", "project": "s3gw"})
        self.assertEqual(head["ETag"], put["ETag"])

        dst = os.path.join(self.tmp, "api-dst.bin")
        got = self.s3api("get-object", "--bucket", bucket, "--key", "docs/a.bin", dst)
        self.assertEqual(got["ContentLength"], len(data))
        with open(dst, "rb") as f:
            self.assertEqual(f.read(), data)

        ranged = os.path.join(self.tmp, "api-range.bin")
        got = self.s3api("get-object", "--bucket", bucket, "--key", "docs/a.bin",
                         "--range", "bytes=100-199", ranged)
        self.assertEqual(got["ContentLength"], 100)
        self.assertEqual(got.get("ContentRange"), f"bytes 100-199/{len(data)}")
        with open(ranged, "rb") as f:
            self.assertEqual(f.read(), data[100:200])

        lst = self.s3api("list-objects-v2", "--bucket", bucket)
        self.assertEqual([o["Key"] for o in lst["Contents"]],
                         ["docs/a.bin", "docs/b.txt", "top.txt"])
        raw = self.s3api("list-objects-v2", "--bucket", bucket, "--no-paginate",
                         "--max-keys", "2")
        self.assertEqual(raw["KeyCount"], 2)
        self.assertTrue(raw["IsTruncated"])
        self.assertEqual([o["Key"] for o in raw["Contents"]], ["docs/a.bin", "docs/b.txt"])
        rest = self.s3api("list-objects-v2", "--bucket", bucket, "--no-paginate",
                          "--continuation-token", raw["NextContinuationToken"])
        self.assertEqual([o["Key"] for o in rest["Contents"]], ["top.txt"])
        self.assertFalse(rest["IsTruncated"])
        lst = self.s3api("list-objects-v2", "--bucket", bucket, "--delimiter", "/")
        self.assertEqual([o["Key"] for o in lst["Contents"]], ["top.txt"])
        self.assertEqual([p["Prefix"] for p in lst["CommonPrefixes"]], ["docs/"])
        lst = self.s3api("list-objects-v2", "--bucket", bucket, "--prefix", "docs/")
        self.assertEqual([o["Key"] for o in lst["Contents"]], ["docs/a.bin", "docs/b.txt"])
        # The CLI paginates by itself: one key per page still lists everything.
        lst = self.s3api("list-objects-v2", "--bucket", bucket, "--page-size", "1")
        self.assertEqual([o["Key"] for o in lst["Contents"]],
                         ["docs/a.bin", "docs/b.txt", "top.txt"])

        r = self.aws("s3api", "head-object", "--bucket", bucket, "--key", "nope", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("404", r.stderr)

        for key in ("docs/a.bin", "docs/b.txt", "top.txt"):
            self.s3api("delete-object", "--bucket", bucket, "--key", key)
        # Deleting a missing key succeeds too (idempotent).
        self.s3api("delete-object", "--bucket", bucket, "--key", "top.txt")
        lst = self.s3api("list-objects-v2", "--bucket", bucket)
        self.assertNotIn("Contents", lst)
        r = self.aws("s3api", "head-object", "--bucket", bucket, "--key", "docs/a.bin",
                     check=False)
        self.assertNotEqual(r.returncode, 0)
        self.s3api("delete-bucket", "--bucket", bucket)
        self.assertNotIn(bucket, self.bucket_names())

    def test_s3api_create_bucket_location_constraint(self):
        bucket = "cli-located"
        self.s3api("create-bucket", "--bucket", bucket,
                   "--create-bucket-configuration", "LocationConstraint=fi")
        loc = self.s3api("get-bucket-location", "--bucket", bucket)
        self.assertEqual(loc.get("LocationConstraint"), "fi")
        # Creating it again: the customer already owns it.
        r = self.aws("s3api", "create-bucket", "--bucket", bucket,
                     "--create-bucket-configuration", "LocationConstraint=fi", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("BucketAlreadyOwnedByYou", r.stderr)
        r = self.aws("s3api", "get-bucket-location", "--bucket", "cli-no-such", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchBucket", r.stderr)


if __name__ == "__main__":
    unittest.main()
