"""Smoke runs with the other real clients, signing with credentials of the gateway's own store
(authentication on): rclone and s3cmd (Debian packages) upload (single and multipart), list,
download and delete; `aws s3 sync` both ways and `aws s3 rm --recursive`."""
import filecmp
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import requests

from harness import Gateway, PostgresCluster, require_tool

MiB = 1024 * 1024
TOKEN = "clients-admin-" + uuid.uuid4().hex


class ClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env={"ENABLE_S3_AUTHENTICATION": "true",
                                          "S3GW_ADMIN_TOKEN": TOKEN,
                                          "S3GW_MASTER_KEY": os.urandom(32).hex()}).start()
        except Exception:
            cls.pg.stop()
            raise
        r = requests.post(f"{cls.gw.endpoint}/api/credentials/create",
                          headers={"Authorization": f"Bearer {TOKEN}"},
                          json={"user_name": "clients", "email": "c@example.com",
                                "customer_id": "clients", "permissions": {"s3:*": ["*"]}},
                          timeout=30)
        assert r.status_code == 201, r.text
        cls.key = r.json()["access_key_id"]
        cls.secret = r.json()["secret_access_key"]
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-clients-")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
        cls.env["HOME"] = cls.tmp

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_tool(self, cmd, env=None, check=True):
        r = subprocess.run(cmd, env=env or self.env, capture_output=True, text=True, timeout=300)
        if check:
            self.assertEqual(r.returncode, 0, f"{cmd}:\n{r.stdout}\n{r.stderr}")
        return r

    def files(self, name, sizes):
        d = os.path.join(self.tmp, name)
        os.makedirs(os.path.join(d, "sub"), exist_ok=True)
        for i, size in enumerate(sizes):
            path = os.path.join(d, "sub" if i % 2 else "", f"f{i}.bin")
            with open(path, "wb") as f:
                f.write(os.urandom(size))
        return d

    def test_rclone(self):
        require_tool("rclone")
        env = dict(self.env)
        env.update({"RCLONE_CONFIG_GW_TYPE": "s3", "RCLONE_CONFIG_GW_PROVIDER": "Other",
                    "RCLONE_CONFIG_GW_ENDPOINT": self.gw.endpoint,
                    "RCLONE_CONFIG_GW_ACCESS_KEY_ID": self.key,
                    "RCLONE_CONFIG_GW_SECRET_ACCESS_KEY": self.secret,
                    "RCLONE_CONFIG_GW_REGION": "us-east-1",
                    "RCLONE_CONFIG_GW_FORCE_PATH_STYLE": "true",
                    "RCLONE_CONFIG": os.path.join(self.tmp, "rclone.conf")})
        bucket = f"rclone-{uuid.uuid4().hex[:8]}"
        src = self.files("rclone-src", [10, 100_000, 12 * MiB])  # the last one in parts
        rc = ["rclone", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", "--retries", "1"]
        self.run_tool(rc + ["mkdir", f"gw:{bucket}"], env)
        self.run_tool(rc + ["copy", src, f"gw:{bucket}/data"], env)
        listed = self.run_tool(rc + ["lsf", "-R", f"gw:{bucket}"], env).stdout.split()
        self.assertEqual(sorted(listed), ["data/", "data/f0.bin", "data/f2.bin", "data/sub/",
                                          "data/sub/f1.bin"])
        dst = os.path.join(self.tmp, "rclone-dst")
        self.run_tool(rc + ["copy", f"gw:{bucket}/data", dst], env)
        self.assertEqual(filecmp.dircmp(src, dst).diff_files, [])
        for rel in ("f0.bin", "f2.bin", "sub/f1.bin"):
            self.assertTrue(filecmp.cmp(os.path.join(src, rel), os.path.join(dst, rel),
                                        shallow=False), rel)
        self.run_tool(rc + ["check", src, f"gw:{bucket}/data"], env)
        self.run_tool(rc + ["delete", f"gw:{bucket}"], env)
        self.assertEqual(self.run_tool(rc + ["lsf", "-R", f"gw:{bucket}"], env).stdout.split(),
                         [])
        self.run_tool(rc + ["rmdir", f"gw:{bucket}"], env)

    def test_s3cmd(self):
        require_tool("s3cmd")
        host = self.gw.endpoint.removeprefix("http://")
        cfg = os.path.join(self.tmp, "s3cmd.cfg")
        with open(cfg, "w") as f:
            f.write(f"[default]\naccess_key = {self.key}\nsecret_key = {self.secret}\n"
                    f"host_base = {host}\nhost_bucket = {host}\nuse_https = False\n"
                    "signature_v2 = False\nbucket_location = us-east-1\n"
                    "multipart_chunk_size_mb = 5\n")
        s3cmd = ["s3cmd", "-c", cfg]
        bucket = f"s3cmd-{uuid.uuid4().hex[:8]}"
        self.run_tool(s3cmd + ["mb", f"s3://{bucket}"])
        src = self.files("s3cmd-src", [1000, 11 * MiB])  # multipart at 5 MiB chunks
        for name in ("f0.bin", "sub/f1.bin"):
            self.run_tool(s3cmd + ["put", os.path.join(src, name), f"s3://{bucket}/{name}"])
        out = self.run_tool(s3cmd + ["ls", "-r", f"s3://{bucket}"]).stdout
        self.assertIn(f"s3://{bucket}/f0.bin", out)
        self.assertIn(f"s3://{bucket}/sub/f1.bin", out)
        self.assertIn(str(11 * MiB), out)
        for name in ("f0.bin", "sub/f1.bin"):
            dst = os.path.join(self.tmp, "s3cmd-" + name.replace("/", "-"))
            self.run_tool(s3cmd + ["get", "--force", f"s3://{bucket}/{name}", dst])
            self.assertTrue(filecmp.cmp(os.path.join(src, name), dst, shallow=False), name)
        self.run_tool(s3cmd + ["del", "--recursive", "--force", f"s3://{bucket}"])
        self.assertNotIn("s3://", self.run_tool(s3cmd + ["ls", f"s3://{bucket}"]).stdout)
        self.run_tool(s3cmd + ["rb", f"s3://{bucket}"])

    def test_aws_sync_both_ways_and_recursive_rm(self):
        require_tool("aws")
        env = dict(self.env)
        config = os.path.join(self.tmp, "aws-config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
        env.update({"AWS_ACCESS_KEY_ID": self.key, "AWS_SECRET_ACCESS_KEY": self.secret,
                    "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config,
                    "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": ""})
        aws = ["aws", "--endpoint-url", self.gw.endpoint]
        bucket = f"sync-{uuid.uuid4().hex[:8]}"
        self.run_tool(aws + ["s3", "mb", f"s3://{bucket}"], env)
        src = self.files("sync-src", [1, 5000, 9 * MiB, 0])
        self.run_tool(aws + ["s3", "sync", src, f"s3://{bucket}/backup"], env)
        # A second sync has nothing to do.
        again = self.run_tool(aws + ["s3", "sync", src, f"s3://{bucket}/backup"], env).stdout
        self.assertNotIn("upload:", again)
        dst = os.path.join(self.tmp, "sync-dst")
        self.run_tool(aws + ["s3", "sync", f"s3://{bucket}/backup", dst], env)
        cmp = filecmp.dircmp(src, dst)
        self.assertEqual((cmp.left_only, cmp.right_only, cmp.diff_files), ([], [], []))
        self.assertTrue(filecmp.cmp(os.path.join(src, "f2.bin"), os.path.join(dst, "f2.bin"),
                                    shallow=False))
        self.run_tool(aws + ["s3", "rm", "--recursive", f"s3://{bucket}/backup"], env)
        out = self.run_tool(aws + ["s3", "ls", "--recursive", f"s3://{bucket}"], env).stdout
        self.assertEqual(out.strip(), "")
        self.run_tool(aws + ["s3", "rb", f"s3://{bucket}"], env)


if __name__ == "__main__":
    unittest.main()
