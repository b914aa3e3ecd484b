"""Zones on real S3 servers: two moto_server instances stand in for providers in Finland and
Germany. The gateway creates the hashed backend buckets there when a zone first receives a
bucket's data, objects land on the provider of the placement's primary zone (checked with boto3
directly against that moto), a large object takes the provider's multipart path, deletes reach
the provider, and a provider that is down gets the client a 503 and commits nothing. The health
check (HealthCheckTest, with a moto of its own) marks a stopped provider down, placement then
avoids it, and it comes back once its moto does."""
import copy
import hashlib
import json
import os
import shutil
import socket
import tempfile
import time
import unittest
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import (CONFIG_DIR, Gateway, HelperServer, PostgresCluster, free_port,
                     requires_tool)

MiB = 1024 * 1024


class Moto:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.server = HelperServer(["moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
                                   "moto_server")
        self.proc = self.server.proc
        deadline = time.time() + 30
        while time.time() < deadline:
            self.server.check_running()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            self.server._kill()
            raise RuntimeError(f"moto_server did not start:\n{self.server.output()}")
        self.client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                                   aws_access_key_id="moto", aws_secret_access_key="moto",
                                   config=Config(s3={"addressing_style": "path"}))

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def buckets(self):
        return sorted(b["Name"] for b in self.client.list_buckets()["Buckets"])

    def keys(self, bucket):
        r = self.client.list_objects_v2(Bucket=bucket)
        return sorted(o["Key"] for o in r.get("Contents", []))

    def stop(self):
        self.server.stop()


def config_with_s3_zones(motos):
    """A copy of the repository's provider configuration in a temporary directory, with the
    Storj entry of each country in `motos` turned into an S3 zone on that moto."""
    with open(os.path.join(CONFIG_DIR, "s3_backends.json")) as f:
        config = json.load(f)
    for p in config["providers"]:
        moto = motos.get(p["country"])
        if p["id"] == "st" and moto is not None:
            p.update({"type": "s3", "endpoint": moto.endpoint, "region": "us-east-1",
                      "addressing_style": "path",
                      "credentials": {"access_key_env": "TEST_PROVIDER_ACCESS_KEY",
                                      "secret_key_env": "TEST_PROVIDER_SECRET_KEY"}})
    config_dir = tempfile.mkdtemp(prefix="s3gw-config-")
    with open(os.path.join(config_dir, "s3_backends.json"), "w") as f:
        json.dump(config, f)
    return config_dir


@requires_tool("moto_server")
class ProvidersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fi_moto, cls.de_moto = Moto(), Moto()
        # The repository's dev configuration with Storj in Helsinki and in Frankfurt on moto.
        cls.config_dir = config_with_s3_zones({"fi": cls.fi_moto, "de": cls.de_moto})
        cls.pg = PostgresCluster().start()
        try:
            # No health checks here: the 503 test needs the German provider to stay
            # "available" while it is stopped (HealthCheckTest covers the checks).
            cls.gw = Gateway(cls.pg, env={"S3GW_CONFIG_DIR": cls.config_dir,
                                          "S3GW_HEALTH_INTERVAL": "0",
                                          "TEST_PROVIDER_ACCESS_KEY": "moto",
                                          "TEST_PROVIDER_SECRET_KEY": "moto-secret"}).start()
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
            cls.fi_moto.stop()
            cls.de_moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def placed(self, bucket, key):
        row = self.gw.sql("SELECT o.zone_id || ' ' || o.backend_bucket || ' ' || o.blob_key "
                          "FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                          f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND o.is_latest")
        return row.split(" ") if row else None

    def test_objects_land_on_the_primary_zones_provider(self):
        name = f"fi-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        before_de = self.de_moto.buckets()
        body = os.urandom(100_000)
        self.s3.put_object(Bucket=name, Key="photos/a.jpg", Body=body)
        zone, backend, blob = self.placed(name, "photos/a.jpg")
        self.assertEqual(zone, "fi-hel-st-1")
        self.assertRegex(backend, r"^s3gw-[0-9a-f]{8}-storj$")
        # The hashed bucket was created on the Helsinki provider and holds the blob.
        self.assertIn(backend, self.fi_moto.buckets())
        self.assertEqual(self.fi_moto.keys(backend), [blob])
        self.assertEqual(self.fi_moto.client.get_object(Bucket=backend, Key=blob)["Body"].read(),
                         body)
        # Nothing reached Germany.
        self.assertEqual(self.de_moto.buckets(), before_de)
        got = self.s3.get_object(Bucket=name, Key="photos/a.jpg", Range="bytes=10-99")
        self.assertEqual(got["Body"].read(), body[10:100])
        self.assertEqual(self.s3.get_object(Bucket=name, Key="photos/a.jpg")["Body"].read(), body)

    def test_german_bucket_writes_to_the_german_provider(self):
        name = f"de-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "de"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"in Frankfurt")
        zone, backend, blob = self.placed(name, "k")
        self.assertEqual(zone, "de-fra-st-1")
        self.assertEqual(self.de_moto.keys(backend), [blob])
        self.assertNotIn(backend, self.fi_moto.buckets())

    def test_large_object_takes_the_providers_multipart_path(self):
        name = f"big-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        body = os.urandom(20 * MiB + 123)
        # One PUT to the gateway (no client multipart): the gateway splits it for the provider.
        self.s3.put_object(Bucket=name, Key="big.bin", Body=body)
        zone, backend, blob = self.placed(name, "big.bin")
        head = self.fi_moto.client.head_object(Bucket=backend, Key=blob)
        self.assertEqual(head["ContentLength"], len(body))
        self.assertRegex(head["ETag"], r'-\d+"$')  # a multipart ETag
        got = self.s3.get_object(Bucket=name, Key="big.bin")["Body"].read()
        self.assertEqual(hashlib.md5(got).hexdigest(), hashlib.md5(body).hexdigest())

    def test_overwrite_and_delete_reach_the_provider(self):
        name = f"gc-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"one")
        _, backend, first = self.placed(name, "k")
        self.s3.put_object(Bucket=name, Key="k", Body=b"two")
        _, _, second = self.placed(name, "k")
        self.assertEqual(self.fi_moto.keys(backend), [second])  # the replaced blob is gone
        self.s3.delete_object(Bucket=name, Key="k")
        self.assertEqual(self.fi_moto.keys(backend), [])
        self.s3.delete_bucket(Bucket=name)
        self.assertNotIn(backend, self.fi_moto.buckets())

    def test_zz_provider_down_is_503_and_commits_nothing(self):
        # Runs last (zz): it stops the German provider for good.
        name = f"down-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "de"})
        self.s3.put_object(Bucket=name, Key="before", Body=b"stored while up")
        self.de_moto.stop()
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=name, Key="after", Body=b"x" * 1000)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 503)
        self.assertIsNone(self.placed(name, "after"))
        with self.assertRaises(ClientError) as cm:
            self.s3.get_object(Bucket=name, Key="before")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 503)
        # The Finnish provider is unaffected.
        fi = f"still-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=fi, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=fi, Key="k", Body=b"ok")
        self.assertEqual(self.s3.get_object(Bucket=fi, Key="k")["Body"].read(), b"ok")


TOKEN = "health-admin-token"


@requires_tool("moto_server")
class HealthCheckTest(unittest.TestCase):
    """The background health check, with its own moto as Storj in Helsinki (fi-hel-st) and a
    probe every second: the provider stopped is marked down and placement goes to the other
    Finnish zone (fi-hel-uc-1, a filesystem zone); restarted, it is available again."""

    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()
        cls.config_dir = config_with_s3_zones({"fi": cls.moto})
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env={"S3GW_CONFIG_DIR": cls.config_dir,
                                          "S3GW_HEALTH_INTERVAL": "1",
                                          "S3GW_ADMIN_TOKEN": TOKEN,
                                          "TEST_PROVIDER_ACCESS_KEY": "moto",
                                          "TEST_PROVIDER_SECRET_KEY": "moto-secret"}).start()
        except Exception:
            cls.pg.stop()
            cls.moto.stop()
            raise
        cls.s3 = cls.gw.client(customer="acme")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()
            cls.moto.stop()
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def statuses(self):
        r = requests.get(self.gw.endpoint + "/api/providers",
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        return {p["key"]: p["status"] for p in r.json()["providers"]}

    def wait_for(self, key, status, timeout=30):
        deadline = time.time() + timeout
        seen = None
        while time.time() < deadline:
            seen = self.statuses()[key]
            if seen == status:
                return
            time.sleep(0.2)
        self.fail(f"{key} still {seen} after {timeout} s, not {status}")

    def put_in_fi(self, prefix):
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=name, Key="k", Body=prefix.encode())
        row = self.gw.sql("SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                          f"WHERE b.name = '{name}' AND o.key = 'k' AND o.is_latest")
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(),
                         prefix.encode())
        return row

    def test_down_provider_is_skipped_until_it_recovers(self):
        self.wait_for("fi-hel-st", "available")
        self.assertEqual(self.put_in_fi("up"), "fi-hel-st-1")
        port = self.moto.port
        self.moto.stop()
        try:
            self.wait_for("fi-hel-st", "down")
            others = self.statuses()
            self.assertEqual(others["fi-hel-uc"], "available")  # filesystem zones probe fine
            self.assertEqual(others["de-fra-st"], "available")
            # A Finnish bucket's data goes to the other zone of the country.
            self.assertEqual(self.put_in_fi("while-down"), "fi-hel-uc-1")
        finally:
            self.moto = type(self).moto = Moto(port)
        self.wait_for("fi-hel-st", "available")
        self.assertEqual(self.put_in_fi("back"), "fi-hel-st-1")
        # Transitions are logged, not every failed probe (one per second while it was down).
        lines = [l for l in self.gw.read_log().splitlines() if "provider fi-hel-st:" in l]
        self.assertTrue(any("-> down" in l for l in lines), lines)
        self.assertTrue(any("down -> available" in l for l in lines), lines)
        self.assertLessEqual(len(lines), 4, lines)


if __name__ == "__main__":
    unittest.main()
