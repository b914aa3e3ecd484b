"""Placement end to end: the provider registry from config/, LocationConstraint validated at
CreateBucket, objects written to the placement's primary zone under the hashed bucket name,
the placement admin API (available locations, the test endpoint, a bucket's constraint and
replica count, providers), placement decisions as compliance events, and a strict region
(de-fra) refusing other countries."""
import re
import secrets
import unittest
import uuid

import requests
from botocore.exceptions import ClientError

from harness import Gateway, PostgresCluster

TOKEN = "test-admin-token-" + secrets.token_hex(8)


class PlacementTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        cls.gws = []
        try:
            cls.fi = Gateway(cls.pg, env={"S3GW_ADMIN_TOKEN": TOKEN}).start()
            cls.gws.append(cls.fi)
            cls.de = Gateway(cls.pg, region="de-fra", env={"S3GW_ADMIN_TOKEN": TOKEN}).start()
            cls.gws.append(cls.de)
        except Exception:
            for gw in cls.gws:
                gw.cleanup()
            cls.pg.stop()
            raise
        cls.s3 = cls.fi.client(customer="acme")

    @classmethod
    def tearDownClass(cls):
        try:
            for gw in cls.gws:
                gw.cleanup()
        finally:
            cls.pg.stop()

    def api(self, gw, method, path, body=None, token=TOKEN):
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return requests.request(method, gw.endpoint + path, headers=headers, json=body, timeout=30)

    def bucket(self, prefix="pl"):
        return f"{prefix}-{uuid.uuid4().hex[:8]}"

    def test_available_locations(self):
        r = self.api(self.fi, "GET", "/api/location-constraints/available-locations", token=None)
        self.assertEqual(r.status_code, 200, r.text)
        text = r.text
        for zone in ("fi-hel-st-1", "fi-hel-uc-1", "de-fra-st-1", "de-fra-uc-1", "de-fra-hz-1",
                     "fr-par-st-1", "fr-par-hz-1"):
            self.assertIn(zone, text)

    def test_the_test_endpoint(self):
        r = self.api(self.fi, "POST", "/api/location-constraints/test",
                     {"location_constraint": "fi,de", "replica_count": 2}, token=None)
        self.assertEqual(r.status_code, 200, r.text)
        d = r.json()
        self.assertEqual(d["primary"], "fi-hel-st-1")
        self.assertEqual(d["zones"], ["fi-hel-st-1", "de-fra-st-1"])
        self.assertEqual(d["countries"], ["fi", "de"])
        self.assertTrue(d["rule"])
        # Two replicas in fi land on two providers; a third does not fit in fi.
        r = self.api(self.fi, "POST", "/api/location-constraints/test",
                     {"location_constraint": "fi", "replica_count": 2}, token=None)
        self.assertEqual(r.json()["zones"], ["fi-hel-st-1", "fi-hel-uc-1"])
        r = self.api(self.fi, "POST", "/api/location-constraints/test",
                     {"location_constraint": "fi", "replica_count": 3}, token=None)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["code"], "InvalidLocationConstraint")
        r = self.api(self.fi, "POST", "/api/location-constraints/test",
                     {"location_constraint": "se"}, token=None)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["item"], "se")
        # Empty: the home region's default.
        r = self.api(self.fi, "POST", "/api/location-constraints/test",
                     {"location_constraint": ""}, token=None)
        self.assertEqual(r.json()["primary"], "fi-hel-st-1")

    def test_objects_never_cross_a_border_the_constraint_does_not_list(self):
        for constraint, country in (("fi", "fi"), ("de", "de"), ("fr-par", "fr"),
                                    ("de-fra-hz-1,fi", "de")):
            name = self.bucket("border")
            self.s3.create_bucket(Bucket=name,
                                  CreateBucketConfiguration={"LocationConstraint": constraint})
            for i in range(3):
                self.s3.put_object(Bucket=name, Key=f"k{i}", Body=b"x" * i)
            zones = self.fi.sql(
                "SELECT DISTINCT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                f"WHERE b.name = '{name}'").split()
            self.assertEqual(len(zones), 1, zones)
            self.assertTrue(zones[0].startswith(country + "-"), (constraint, zones))
        # The hashed backend bucket is named for the zone's provider.
        self.assertRegex(self.fi.sql(
            "SELECT o.backend_bucket FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{name}' LIMIT 1"), r"^s3gw-[0-9a-f]{8}-hetzner$")

    def test_bucket_constraint_and_replica_count(self):
        name = self.bucket()
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi,de"})
        path = f"/api/location-constraints/acme/{name}"
        self.assertEqual(self.api(self.fi, "GET", path, token=None).status_code, 401)
        r = self.api(self.fi, "GET", path)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["location_constraint"], "fi,de")
        self.assertEqual(r.json()["replica_count"], 1)
        r = self.api(self.fi, "PUT", path + "/replica-count", {"replica_count": 3})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(len(r.json()["placement"]["zones"]), 3)
        self.assertEqual(self.api(self.fi, "GET", path).json()["replica_count"], 3)
        # More than fi and de hold (2 + 3 zones) is refused and changes nothing.
        r = self.api(self.fi, "PUT", path + "/replica-count", {"replica_count": 6})
        self.assertEqual(r.status_code, 400, r.text)
        for bad in (0, 17, "2", None):
            r = self.api(self.fi, "PUT", path + "/replica-count", {"replica_count": bad})
            self.assertEqual(r.status_code, 400, bad)
        self.assertEqual(self.api(self.fi, "GET", path).json()["replica_count"], 3)
        self.assertEqual(self.api(self.fi, "GET", "/api/location-constraints/acme/nope-bucket")
                         .status_code, 404)

    def test_providers_need_the_token_and_show_no_secrets(self):
        self.assertEqual(self.api(self.fi, "GET", "/api/providers", token=None).status_code, 401)
        r = self.api(self.fi, "GET", "/api/providers")
        self.assertEqual(r.status_code, 200, r.text)
        providers = r.json()["providers"]
        self.assertEqual(len(providers), 7)
        self.assertTrue(all(p["status"] == "available" for p in providers))
        self.assertNotIn("credentials", r.text)

    def test_placement_decisions_are_compliance_events(self):
        name = self.bucket("audited")
        self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "de"})
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        r = self.api(self.fi, "GET", "/api/compliance/events?type=placement&customer=acme")
        events = [e for e in r.json()["events"] if e.get("bucket") == name]
        ops = sorted(e["operation"] for e in events)
        self.assertEqual(ops, ["CreateBucket", "PutObject"])
        for e in events:
            self.assertRegex(e["reason"], r"zones de-fra-\w+-1 ")

    def test_strict_region_keeps_data_in_its_country(self):
        s3 = self.de.client(customer="berlin")
        name = self.bucket("strict")
        with self.assertRaises(ClientError) as cm:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "de,fi"})
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "InvalidLocationConstraint")
        self.assertIn("strict", err["Message"])
        self.assertEqual(self.de.sql(f"SELECT count(*) FROM buckets WHERE name = '{name}'"), "0")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "de"})
        s3.put_object(Bucket=name, Key="k", Body=b"bleibt hier")
        self.assertTrue(re.match(r"^de-fra-", self.de.sql(
            "SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{name}'")))
        # No constraint: the home region.
        other = self.bucket("strict-default")
        s3.create_bucket(Bucket=other)
        s3.put_object(Bucket=other, Key="k", Body=b"x")
        self.assertTrue(self.de.sql(
            "SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{other}'").startswith("de-fra-"))


    def test_operator_allows_a_strict_customer_another_country(self):
        s3 = self.de.client(customer="hamburg")
        path = "/api/location-constraints/customers/hamburg/allowed-countries"
        self.assertEqual(self.api(self.de, "GET", path, token=None).status_code, 401)
        self.assertEqual(self.api(self.de, "GET", path).json()["allowed_countries"], [])
        for bad in ({"countries": ["xx"]}, {"countries": "fi"}, {"countries": ["FI"]}, {}):
            self.assertEqual(self.api(self.de, "PUT", path, bad).status_code, 400, bad)
        r = self.api(self.de, "PUT", path, {"countries": ["fi", "fi"]})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["allowed_countries"], ["fi"])
        self.assertTrue(r.json()["strict"])
        name = self.bucket("allowed")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "fi,de"})
        s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertTrue(self.de.sql(
            "SELECT o.zone_id FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{name}'").startswith("fi-hel-"))
        # Another customer of the region is not affected.
        with self.assertRaises(ClientError):
            self.de.client(customer="munich").create_bucket(
                Bucket=self.bucket("notallowed"),
                CreateBucketConfiguration={"LocationConstraint": "fi"})
        # Revoked: no new data goes to Finland, and nothing is stored.
        self.assertEqual(self.api(self.de, "PUT", path, {"countries": []}).status_code, 200)
        with self.assertRaises(ClientError) as cm:
            s3.put_object(Bucket=name, Key="k2", Body=b"y")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidLocationConstraint")
        self.assertEqual(self.de.sql(
            "SELECT count(*) FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{name}'"), "1")

if __name__ == "__main__":
    unittest.main()
