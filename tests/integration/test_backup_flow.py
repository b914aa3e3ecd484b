"""A backup tool's usual sequence, end to end with the aws CLI (issue 6's "done when"): a bucket
created with object lock (versioning on), a default retention, multipart uploads of each
generation, a retention set on one version, the versions listed, an old version restored by
copy, and the locked versions surviving deletes."""
import filecmp
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from harness import Gateway, PostgresCluster, requires_tool

MiB = 1024 * 1024


@requires_tool("aws")
class BackupFlowTest(unittest.TestCase):
    gateway_env = {}

    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env=cls.gateway_env).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-backup-")
        config = os.path.join(cls.tmp, "config")
        with open(config, "w") as f:
            f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n"
                    "    multipart_threshold = 8MB\n    multipart_chunksize = 8MB\n")
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cls.env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                        "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config,
                        "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "HOME": cls.tmp})

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def aws(self, *args, check=True):
        r = subprocess.run(["aws", "--endpoint-url", self.gw.endpoint, *args], env=self.env,
                           capture_output=True, text=True, timeout=300)
        if check:
            self.assertEqual(r.returncode, 0, f"{args}:\n{r.stdout}\n{r.stderr}")
        return r

    def api(self, *args):
        out = self.aws("s3api", *args).stdout
        return json.loads(out) if out.strip() else {}

    def generation(self, name):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(os.urandom(20 * MiB + 123))
        return path

    def test_backup_sequence(self):
        bucket = f"backup-{uuid.uuid4().hex[:8]}"
        self.api("create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket")
        self.assertEqual(self.api("get-bucket-versioning", "--bucket", bucket)["Status"],
                         "Enabled")
        self.api("put-object-lock-configuration", "--bucket", bucket,
                 "--object-lock-configuration",
                 json.dumps({"ObjectLockEnabled": "Enabled",
                             "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}))
        conf = self.api("get-object-lock-configuration", "--bucket", bucket)
        self.assertEqual(conf["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Days"], 1)

        # Two generations of the backup, each a multipart upload (20 MiB, 8 MiB parts).
        first, second = self.generation("gen1.tar"), self.generation("gen2.tar")
        self.aws("s3", "cp", first, f"s3://{bucket}/db.tar")
        self.aws("s3", "cp", second, f"s3://{bucket}/db.tar")
        versions = self.api("list-object-versions", "--bucket", bucket)["Versions"]
        self.assertEqual([v["IsLatest"] for v in versions], [True, False])
        self.assertTrue(all(v["ETag"].endswith('-3"') for v in versions))
        old, new = versions[1]["VersionId"], versions[0]["VersionId"]
        # The default retention reached both versions.
        ret = self.api("get-object-retention", "--bucket", bucket, "--key", "db.tar",
                       "--version-id", old)["Retention"]
        self.assertEqual(ret["Mode"], "GOVERNANCE")

        # The first generation is kept for good: COMPLIANCE, a year.
        until = (datetime.now(timezone.utc) + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.api("put-object-retention", "--bucket", bucket, "--key", "db.tar", "--version-id",
                 old, "--retention", json.dumps({"Mode": "COMPLIANCE", "RetainUntilDate": until}))

        # Restore: the old generation copied over the current one becomes the latest.
        self.api("copy-object", "--bucket", bucket, "--key", "db.tar", "--copy-source",
                 f"{bucket}/db.tar?versionId={old}")
        restored = os.path.join(self.tmp, "restored.tar")
        self.aws("s3", "cp", f"s3://{bucket}/db.tar", restored)
        self.assertTrue(filecmp.cmp(first, restored, shallow=False))
        versions = self.api("list-object-versions", "--bucket", bucket)["Versions"]
        self.assertEqual(len(versions), 3)
        self.assertEqual(versions[2]["VersionId"], old)

        # Locked versions survive deletes, even with the governance bypass for the COMPLIANCE one.
        r = self.aws("s3api", "delete-object", "--bucket", bucket, "--key", "db.tar",
                     "--version-id", old, "--bypass-governance-retention", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("AccessDenied", r.stderr)
        r = self.aws("s3api", "delete-object", "--bucket", bucket, "--key", "db.tar",
                     "--version-id", new, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("AccessDenied", r.stderr)
        # A plain delete only adds a marker; the old generation still reads by version.
        self.aws("s3", "rm", f"s3://{bucket}/db.tar")
        back = os.path.join(self.tmp, "again.tar")
        self.api("get-object", "--bucket", bucket, "--key", "db.tar", "--version-id", old, back)
        self.assertTrue(filecmp.cmp(first, back, shallow=False))


@requires_tool("moto_server", "aws")
class MotoBackupFlowTest(BackupFlowTest):
    """The same sequence with the data on an S3 provider (moto_server as Storj in Helsinki):
    the multipart uploads go through the provider's multipart path."""

    @classmethod
    def setUpClass(cls):
        import test_providers as tp
        cls.moto = tp.Moto()
        cls.config_dir = tp.config_with_s3_zones({"fi": cls.moto})
        cls.gateway_env = {"S3GW_CONFIG_DIR": cls.config_dir, "S3GW_HEALTH_INTERVAL": "0",
                           "TEST_PROVIDER_ACCESS_KEY": "moto",
                           "TEST_PROVIDER_SECRET_KEY": "moto-secret"}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def test_backup_sequence(self):
        super().test_backup_sequence()
        # The generations' blobs are on the provider.
        backends = self.gw.sql("SELECT DISTINCT zone_id FROM objects WHERE NOT is_delete_marker")
        self.assertEqual(backends, "fi-hel-st-1")


if __name__ == "__main__":
    unittest.main()
