"""Bucket names are per customer: two customers (X-Customer-ID, authentication off) may both own
`my-bucket` and never see each other's objects."""
import unittest

import requests
from botocore.exceptions import ClientError

from harness import start_stack

BUCKET = "my-bucket"


class CustomersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg, cls.gw = start_stack()
        cls.alice = cls.gw.client(customer="alice")
        cls.bob = cls.gw.client(customer="bob")
        cls.default = cls.gw.client()  # no header: the default customer
        for c in (cls.alice, cls.bob):
            c.create_bucket(Bucket=BUCKET)
        cls.alice.put_object(Bucket=BUCKET, Key="shared/key.txt", Body=b"alice's data",
                             Metadata={"owner": "alice"}, ContentType="text/plain")
        cls.bob.put_object(Bucket=BUCKET, Key="shared/key.txt", Body=b"bob's much longer data",
                           Metadata={"owner": "bob"}, ContentType="application/json")
        cls.alice.put_object(Bucket=BUCKET, Key="alice-only.txt", Body=b"a")
        cls.bob.put_object(Bucket=BUCKET, Key="bob-only.txt", Body=b"b")

    @classmethod
    def tearDownClass(cls):
        cls.gw.cleanup()
        cls.pg.stop()

    def error(self, fn, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        r = cm.exception.response
        return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]

    def keys(self, client, bucket=BUCKET, **kwargs):
        return [o["Key"] for o in client.list_objects_v2(Bucket=bucket, **kwargs).get("Contents", [])]

    def test_both_own_the_same_bucket_name(self):
        rows = self.gw.sql(f"SELECT customer_id FROM buckets WHERE name = '{BUCKET}' ORDER BY 1")
        self.assertEqual(rows.split("\n"), ["alice", "bob"])
        for c in (self.alice, self.bob):
            self.assertEqual(c.head_bucket(Bucket=BUCKET)["ResponseMetadata"]["HTTPStatusCode"], 200)
            # Creating it again is "already owned by you", not a clash with the other customer.
            self.assertEqual(self.error(c.create_bucket, Bucket=BUCKET),
                             ("BucketAlreadyOwnedByYou", 409))

    def test_each_sees_only_its_own_objects(self):
        self.assertEqual(self.keys(self.alice), ["alice-only.txt", "shared/key.txt"])
        self.assertEqual(self.keys(self.bob), ["bob-only.txt", "shared/key.txt"])
        v1 = self.alice.list_objects(Bucket=BUCKET)
        self.assertEqual([o["Key"] for o in v1["Contents"]], ["alice-only.txt", "shared/key.txt"])
        delim = self.bob.list_objects_v2(Bucket=BUCKET, Delimiter="/")
        self.assertEqual([o["Key"] for o in delim["Contents"]], ["bob-only.txt"])
        self.assertEqual([p["Prefix"] for p in delim["CommonPrefixes"]], ["shared/"])

        a = self.alice.get_object(Bucket=BUCKET, Key="shared/key.txt")
        b = self.bob.get_object(Bucket=BUCKET, Key="shared/key.txt")
        self.assertEqual(a["Body"].read(), b"alice's data")
        self.assertEqual(b["Body"].read(), b"bob's much longer data")
        self.assertEqual(a["Metadata"], {"owner": "alice"})
        self.assertEqual(b["Metadata"], {"owner": "bob"})
        self.assertNotEqual(a["ETag"], b["ETag"])

        ha = self.alice.head_object(Bucket=BUCKET, Key="shared/key.txt")
        hb = self.bob.head_object(Bucket=BUCKET, Key="shared/key.txt")
        self.assertEqual((ha["ContentLength"], ha["ContentType"]), (12, "text/plain"))
        self.assertEqual((hb["ContentLength"], hb["ContentType"]), (22, "application/json"))

    def test_cannot_reach_the_other_customers_objects(self):
        self.assertEqual(self.error(self.alice.get_object, Bucket=BUCKET, Key="bob-only.txt"),
                         ("NoSuchKey", 404))
        self.assertEqual(self.error(self.bob.head_object, Bucket=BUCKET, Key="alice-only.txt"),
                         ("404", 404))
        self.assertEqual(self.keys(self.alice, Prefix="bob"), [])

    def test_delete_in_one_does_not_affect_the_other(self):
        self.alice.put_object(Bucket=BUCKET, Key="to-delete", Body=b"alice v")
        self.bob.put_object(Bucket=BUCKET, Key="to-delete", Body=b"bob v")
        r = self.alice.delete_object(Bucket=BUCKET, Key="to-delete")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.error(self.alice.get_object, Bucket=BUCKET, Key="to-delete"),
                         ("NoSuchKey", 404))
        self.assertEqual(self.bob.get_object(Bucket=BUCKET, Key="to-delete")["Body"].read(),
                         b"bob v")
        # Deleting a key only the other customer has is a no-op for that customer's object.
        self.bob.delete_object(Bucket=BUCKET, Key="alice-only.txt")
        self.assertEqual(self.alice.get_object(Bucket=BUCKET, Key="alice-only.txt")["Body"].read(),
                         b"a")
        self.bob.delete_object(Bucket=BUCKET, Key="to-delete")

    def test_overwrite_in_one_does_not_affect_the_other(self):
        self.alice.put_object(Bucket=BUCKET, Key="over", Body=b"alice 1")
        self.bob.put_object(Bucket=BUCKET, Key="over", Body=b"bob 1")
        self.alice.put_object(Bucket=BUCKET, Key="over", Body=b"alice 2")
        self.assertEqual(self.bob.get_object(Bucket=BUCKET, Key="over")["Body"].read(), b"bob 1")
        self.assertEqual(self.alice.get_object(Bucket=BUCKET, Key="over")["Body"].read(), b"alice 2")
        for c in (self.alice, self.bob):
            c.delete_object(Bucket=BUCKET, Key="over")

    def test_delete_bucket_in_one_does_not_affect_the_other(self):
        name = "both-have-it"
        for c in (self.alice, self.bob):
            c.create_bucket(Bucket=name)
        self.bob.put_object(Bucket=name, Key="k", Body=b"bob keeps this")
        self.alice.delete_bucket(Bucket=name)  # alice's copy is empty
        self.assertEqual(self.error(self.alice.head_bucket, Bucket=name), ("404", 404))
        self.assertEqual(self.bob.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.bob.get_object(Bucket=name, Key="k")["Body"].read(), b"bob keeps this")
        # Bob's bucket is not empty: his delete is refused, alice's emptiness does not matter.
        self.assertEqual(self.error(self.bob.delete_bucket, Bucket=name), ("BucketNotEmpty", 409))

    def test_list_buckets_shows_only_own(self):
        self.alice.create_bucket(Bucket="alice-private")
        self.bob.create_bucket(Bucket="bob-private")
        a = [b["Name"] for b in self.alice.list_buckets()["Buckets"]]
        b = [b["Name"] for b in self.bob.list_buckets()["Buckets"]]
        self.assertIn("alice-private", a)
        self.assertNotIn("bob-private", a)
        self.assertIn("bob-private", b)
        self.assertNotIn("alice-private", b)
        self.assertIn(BUCKET, a)
        self.assertIn(BUCKET, b)
        self.assertEqual(self.alice.list_buckets()["Owner"]["ID"], "alice")
        d = [b["Name"] for b in self.default.list_buckets()["Buckets"]]
        self.assertNotIn(BUCKET, d)
        self.assertNotIn("alice-private", d)

    def test_other_customers_bucket_is_no_such_bucket(self):
        self.alice.create_bucket(Bucket="alice-secret")
        self.alice.put_object(Bucket="alice-secret", Key="secret.txt", Body=b"s3cr3t")
        for fn, kwargs in ((self.bob.list_objects_v2, {}),
                           (self.bob.list_objects, {}),
                           (self.bob.get_object, {"Key": "secret.txt"}),
                           (self.bob.put_object, {"Key": "intruder.txt", "Body": b"x"}),
                           (self.bob.delete_object, {"Key": "secret.txt"}),
                           (self.bob.delete_bucket, {}),
                           (self.bob.get_bucket_location, {})):
            with self.subTest(op=fn.__name__):
                self.assertEqual(self.error(fn, Bucket="alice-secret", **kwargs),
                                 ("NoSuchBucket", 404))
        self.assertEqual(self.error(self.bob.head_bucket, Bucket="alice-secret"), ("404", 404))
        self.assertEqual(self.error(self.bob.head_object, Bucket="alice-secret", Key="secret.txt"),
                         ("404", 404))
        self.assertEqual(self.error(self.default.get_object, Bucket="alice-secret",
                                    Key="secret.txt"), ("NoSuchBucket", 404))
        # Nothing changed for alice.
        self.assertEqual(self.keys(self.alice, bucket="alice-secret"), ["secret.txt"])
        self.assertEqual(self.alice.get_object(Bucket="alice-secret", Key="secret.txt")["Body"].read(),
                         b"s3cr3t")
        # Bob may now create his own bucket of that name; it starts empty.
        self.bob.create_bucket(Bucket="alice-secret")
        self.assertEqual(self.keys(self.bob, bucket="alice-secret"), [])
        self.assertEqual(self.keys(self.alice, bucket="alice-secret"), ["secret.txt"])

    def test_raw_http_with_customer_header(self):
        ep = self.gw.endpoint
        r = requests.get(f"{ep}/{BUCKET}/shared/key.txt", headers={"X-Customer-ID": "alice"})
        self.assertEqual(r.content, b"alice's data")
        r = requests.get(f"{ep}/s3/{BUCKET}/shared/key.txt", headers={"X-Customer-ID": "bob"})
        self.assertEqual(r.content, b"bob's much longer data")
        r = requests.get(f"{ep}/{BUCKET}/shared/key.txt", headers={"X-Customer-ID": "carol"})
        self.assertEqual(r.status_code, 404)
        self.assertIn("<Code>NoSuchBucket</Code>", r.text)
        # Customer ids are case-sensitive identifiers: "Alice" is someone else.
        r = requests.get(f"{ep}/{BUCKET}/shared/key.txt", headers={"X-Customer-ID": "Alice"})
        self.assertEqual(r.status_code, 404)

    def test_blobs_are_kept_apart_on_disk(self):
        # Each customer's bucket maps to its own backend bucket (directory).
        dirs = self.gw.sql(
            "SELECT DISTINCT o.backend_bucket FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{BUCKET}' AND o.key = 'shared/key.txt'").split("\n")
        self.assertEqual(len(dirs), 2)


if __name__ == "__main__":
    unittest.main()
