"""The global database's side of placement: the provider catalog (regions, providers, zones)
written from the configuration files, POST /api/providers/reload, health transitions recorded
there, and the bucket hash mappings: keyed by a keyed hash of (customer, bucket), shown by
GET /api/bucket-mappings/{customer}/{bucket}, resolved to the next candidate when a name is
taken on the provider by someone else or by another mapping, removed with the bucket.

Gateways here have a global database of their own (S3GW_GLOBAL_DATABASE_URL), as in the dev
stack; one test checks the single-database fallback and the schema_migrations upgrade."""
import hashlib
import hmac
import json
import os
import shutil
import time
import unittest
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

import test_providers as tp
from harness import CONFIG_DIR, Gateway, PostgresCluster, requires_tool

SALT = "s3gw-dev-salt"  # the gateway's default S3GW_DEPLOYMENT_SALT
ADMIN = {"Authorization": "Bearer mapping-test-token"}


def fields(customer, bucket):
    return "".join(f"{len(p)}:{p}" for p in (customer, bucket))


def candidate(customer, bucket, provider, attempt):
    """The gateway's hash candidate (placement/bucket_hash.cpp), computed independently."""
    digest = hmac.new(SALT.encode(), f"{fields(customer, bucket)}#{attempt}".encode(),
                      hashlib.sha256).digest()
    return f"s3gw-{digest[:4].hex()}-{provider[:8]}"


def mapping_key(customer, bucket):
    return hmac.new(SALT.encode(), ("mapping-key\n" + fields(customer, bucket)).encode(),
                    hashlib.sha256).hexdigest()


@requires_tool("moto_server")
class BucketMappingsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fi_moto = tp.Moto()
        cls.config_dir = tp.config_with_s3_zones({"fi": cls.fi_moto})
        cls.pg = PostgresCluster().start()
        try:
            cls.global_db = f"s3gw_global_{uuid.uuid4().hex[:8]}"
            global_url = cls.pg.create_database(cls.global_db)
            cls.gw = Gateway(cls.pg, env={"S3GW_CONFIG_DIR": cls.config_dir,
                                          "S3GW_GLOBAL_DATABASE_URL": global_url,
                                          "S3GW_HEALTH_INTERVAL": "1",
                                          "S3GW_ADMIN_TOKEN": ADMIN["Authorization"][7:],
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
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def global_sql(self, query):
        return self.pg.psql(self.global_db, query)

    def api(self, method, path, **kw):
        return requests.request(method, self.gw.endpoint + path, headers=ADMIN, timeout=30, **kw)

    def fi_bucket(self):
        name = f"map-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        return name

    def test_catalog_is_written_to_the_global_database(self):
        zones = self.global_sql("SELECT string_agg(id, ',' ORDER BY id) FROM zones").split(",")
        self.assertEqual(zones, sorted(["fi-hel-st-1", "fi-hel-uc-1", "de-fra-st-1",
                                        "de-fra-uc-1", "de-fra-hz-1", "fr-par-st-1",
                                        "fr-par-hz-1"]))
        row = self.global_sql("SELECT type || ' ' || endpoint || ' ' || name || ' ' || region_id "
                              "FROM providers WHERE id = 'fi-hel-st'")
        self.assertEqual(row, f"s3 {self.fi_moto.endpoint} storj fi-hel")
        self.assertEqual(self.global_sql("SELECT strict FROM regions WHERE id = 'de-fra'"), "t")
        # Never credentials, not even the names of the variables that hold them.
        dump = self.global_sql("SELECT row_to_json(p)::text FROM providers p")
        self.assertNotIn("TEST_PROVIDER", dump)
        self.assertNotIn("moto-secret", dump)

    def test_put_creates_a_mapping_keyed_by_a_hash(self):
        name = self.fi_bucket()
        self.s3.put_object(Bucket=name, Key="k", Body=b"hello")
        backend = candidate("acme", name, "storj", 0)
        rows = self.global_sql("SELECT bucket_key || ' ' || zone_id || ' ' || backend_bucket || ' '"
                               " || attempt FROM bucket_mappings WHERE backend_bucket = "
                               f"'{backend}'")
        self.assertEqual(rows, f"{mapping_key('acme', name)} fi-hel-st-1 {backend} 0")
        self.assertIn(backend, self.fi_moto.buckets())
        # The global database holds no customer or bucket name in clear.
        dump = self.global_sql("SELECT string_agg(row_to_json(m)::text, ' ') FROM bucket_mappings m")
        self.assertNotIn(name, dump)
        self.assertNotIn("acme", dump)
        r = self.api("GET", f"/api/bucket-mappings/acme/{name}")
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["bucket_key"], mapping_key("acme", name))
        self.assertEqual([(m["zone_id"], m["backend_bucket"], m["attempt"])
                          for m in body["mappings"]], [("fi-hel-st-1", backend, 0)])
        # The admin token is required.
        self.assertEqual(requests.get(f"{self.gw.endpoint}/api/bucket-mappings/acme/{name}",
                                      timeout=10).status_code, 401)

    def test_name_taken_by_another_mapping_moves_to_the_next_candidate(self):
        name = f"map-{uuid.uuid4().hex[:8]}"
        taken = candidate("acme", name, "storj", 0)
        # Another bucket's mapping (a hash collision) already holds candidate 0 on Storj.
        self.global_sql("INSERT INTO bucket_mappings (bucket_key, zone_id, provider_name, "
                        f"backend_bucket, attempt) VALUES ('other', 'de-fra-st-1', 'storj', "
                        f"'{taken}', 0)")
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        m = self.api("GET", f"/api/bucket-mappings/acme/{name}").json()["mappings"]
        self.assertEqual([(x["backend_bucket"], x["attempt"]) for x in m],
                         [(candidate("acme", name, "storj", 1), 1)])
        self.assertNotIn(taken, self.fi_moto.buckets())
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"x")

    def test_name_taken_on_the_provider_by_someone_else(self):
        name = f"map-{uuid.uuid4().hex[:8]}"
        taken = candidate("acme", name, "storj", 0)
        # Another account of the provider owns candidate 0 (moto tells accounts apart by the
        # credentials of an assumed role).
        sts = boto3.client("sts", endpoint_url=self.fi_moto.endpoint, region_name="us-east-1",
                           aws_access_key_id="moto", aws_secret_access_key="moto")
        creds = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/other",
                                RoleSessionName="other")["Credentials"]
        other = boto3.client("s3", endpoint_url=self.fi_moto.endpoint, region_name="us-east-1",
                             aws_access_key_id=creds["AccessKeyId"],
                             aws_secret_access_key=creds["SecretAccessKey"],
                             aws_session_token=creds["SessionToken"],
                             config=Config(s3={"addressing_style": "path"}))
        other.create_bucket(Bucket=taken)
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"mine")
        second = candidate("acme", name, "storj", 1)
        m = self.api("GET", f"/api/bucket-mappings/acme/{name}").json()["mappings"]
        self.assertEqual([(x["backend_bucket"], x["attempt"]) for x in m], [(second, 1)])
        # The blob went to our bucket, not into the other account's.
        self.assertEqual(other.list_objects_v2(Bucket=taken).get("KeyCount", 0), 0)
        self.assertEqual(len(self.fi_moto.keys(second)), 1)
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"mine")

    def test_delete_bucket_removes_backend_bucket_and_mapping(self):
        name = self.fi_bucket()
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        backend = candidate("acme", name, "storj", 0)
        self.assertIn(backend, self.fi_moto.buckets())
        self.s3.delete_object(Bucket=name, Key="k")
        # The blob's removal runs after the delete's commit; the backend bucket must be empty.
        deadline = time.time() + 10
        while self.fi_moto.keys(backend) and time.time() < deadline:
            time.sleep(0.1)
        self.s3.delete_bucket(Bucket=name)
        self.assertNotIn(backend, self.fi_moto.buckets())
        self.assertEqual(self.api("GET", f"/api/bucket-mappings/acme/{name}").json()["mappings"],
                         [])
        # A new bucket of the same name maps (and creates) the same backend bucket again.
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object(Bucket=name, Key="k2", Body=b"y")
        self.assertIn(backend, self.fi_moto.buckets())
        self.assertEqual(self.s3.get_object(Bucket=name, Key="k2")["Body"].read(), b"y")

    def test_reload_adds_a_zone_and_refuses_a_bad_file(self):
        path = os.path.join(self.config_dir, "s3_backends.json")
        with open(path) as f:
            original = f.read()
        config = json.loads(original)
        try:
            # A bad file changes nothing.
            with open(path, "w") as f:
                f.write("{not json")
            r = self.api("POST", "/api/providers/reload")
            self.assertEqual(r.status_code, 400, r.text)
            self.assertFalse(r.json()["installed"])
            self.assertNotIn("se-sto-st-1", self.global_sql("SELECT string_agg(id, ',') FROM zones"))
            # A new provider in Stockholm (filesystem) becomes a location at once.
            config["providers"].append({"id": "st", "name": "storj", "type": "filesystem",
                                        "country": "se", "city": "sto",
                                        "zones": ["se-sto-st-1"]})
            with open(path, "w") as f:
                json.dump(config, f)
            r = self.api("POST", "/api/providers/reload")
            self.assertEqual(r.status_code, 200, r.text)
            body = r.json()
            self.assertEqual(body["zones_added"], ["se-sto-st-1"])
            self.assertEqual(body["zones_removed"], [])
            self.assertIn("fi-hel-st-1", body["zones_kept"])  # the moto zone's pool is kept
            locations = requests.get(
                f"{self.gw.endpoint}/api/location-constraints/available-locations",
                timeout=10).json()
            self.assertIn("se", json.dumps(locations))
            self.assertIn("se-sto-st-1", self.global_sql("SELECT string_agg(id, ',') FROM zones"))
            name = f"se-{uuid.uuid4().hex[:8]}"
            self.s3.create_bucket(Bucket=name,
                                  CreateBucketConfiguration={"LocationConstraint": "se"})
            self.s3.put_object(Bucket=name, Key="k", Body=b"sweden")
            zone = self.gw.sql("SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = "
                               f"o.bucket_id WHERE b.name = '{name}'")
            self.assertEqual(zone, "se-sto-st-1")
            self.assertEqual(self.s3.get_object(Bucket=name, Key="k")["Body"].read(), b"sweden")
            # Objects in the kept moto zone still read.
            fi = self.fi_bucket()
            self.s3.put_object(Bucket=fi, Key="k", Body=b"fi")
            self.assertEqual(self.s3.get_object(Bucket=fi, Key="k")["Body"].read(), b"fi")
        finally:
            with open(path, "w") as f:
                f.write(original)
        r = self.api("POST", "/api/providers/reload")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["zones_removed"], ["se-sto-st-1"])
        self.assertNotIn("se-sto-st-1", self.global_sql("SELECT string_agg(id, ',') FROM zones"))
        # Reload needs the admin token.
        self.assertEqual(requests.post(f"{self.gw.endpoint}/api/providers/reload",
                                       timeout=10).status_code, 401)

    def test_health_transitions_reach_the_catalog(self):
        moto = tp.Moto()
        path = os.path.join(self.config_dir, "s3_backends.json")
        with open(path) as f:
            original = f.read()
        config = json.loads(original)
        config["providers"].append({
            "id": "hc", "name": "healthcheck", "type": "s3", "endpoint": moto.endpoint,
            "region": "us-east-1", "country": "fi", "city": "tku", "zones": ["fi-tku-hc-1"],
            "credentials": {"access_key_env": "TEST_PROVIDER_ACCESS_KEY",
                            "secret_key_env": "TEST_PROVIDER_SECRET_KEY"}})
        try:
            with open(path, "w") as f:
                json.dump(config, f)
            self.assertEqual(self.api("POST", "/api/providers/reload").status_code, 200)
            moto.stop()
            deadline = time.time() + 30
            status = None
            while time.time() < deadline:
                status = self.global_sql("SELECT status || ' ' || coalesce(status_by, '') FROM "
                                         "providers WHERE id = 'fi-tku-hc'")
                if status.startswith("down"):
                    break
                time.sleep(0.3)
            self.assertEqual(status, "down fi-hel")
        finally:
            moto.stop()
            with open(path, "w") as f:
                f.write(original)
            self.api("POST", "/api/providers/reload")


class SingleDatabaseTest(unittest.TestCase):
    """Without S3GW_GLOBAL_DATABASE_URL the global tables live in the regional database; and a
    database whose schema_migrations predates the two sets is upgraded in place."""

    def test_fallback_and_schema_migrations_upgrade(self):
        pg = PostgresCluster().start()
        try:
            gw = Gateway(pg).start()
            s3 = gw.client(customer="acme")
            s3.create_bucket(Bucket="one")
            s3.put_object(Bucket="one", Key="k", Body=b"1")
            self.assertEqual(gw.sql("SELECT count(*) FROM bucket_mappings"), "1")
            sets = gw.sql("SELECT string_agg(DISTINCT database, ',' ORDER BY database) "
                          "FROM schema_migrations")
            self.assertEqual(sets, "global,regional")
            gw.stop()
            # The old shape: versions only, one set per database. Rebuild it for the regional
            # rows (the global set moves out), then start again.
            gw.sql("DELETE FROM schema_migrations WHERE database = 'global'")
            gw.sql("ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey; "
                   "ALTER TABLE schema_migrations DROP COLUMN database; "
                   "ALTER TABLE schema_migrations ADD PRIMARY KEY (version)")
            global_db = f"s3gw_global_{uuid.uuid4().hex[:8]}"
            gw.extra_env["S3GW_GLOBAL_DATABASE_URL"] = pg.create_database(global_db)
            gw.start()
            rows = gw.sql("SELECT string_agg(database || version, ',' ORDER BY database, version) "
                          "FROM schema_migrations")
            self.assertTrue(rows.startswith("regional1,regional2"), rows)
            self.assertNotIn("global", rows)
            s3 = gw.client(customer="acme")  # a new port
            self.assertEqual(s3.get_object(Bucket="one", Key="k")["Body"].read(), b"1")
            self.assertIn("global2", pg.psql(global_db, "SELECT string_agg(database || version, "
                                                        "',') FROM schema_migrations"))
            gw.cleanup()
        finally:
            pg.stop()


if __name__ == "__main__":
    unittest.main()
