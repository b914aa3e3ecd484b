"""Object lock end to end: lock-enabled buckets, default retention, GOVERNANCE and COMPLIANCE
retention, legal hold, with boto3, the aws CLI, raw HTTP and plain SQL.

A COMPLIANCE-locked version must survive every attempt to remove it: DeleteObject with its
version id (with the bypass header too, from the bucket's owner), DeleteObjects, suspending
versioning (refused) to overwrite it, a `DELETE FROM objects` typed into psql (the database's
trigger refuses it), DeleteBucket, and a garbage row naming its blob (dropped by the database);
its blob file stays where it is and it stays readable by version id.
"""
import datetime
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import ADMIN_HEADERS, Gateway, PostgresCluster, require_tool, requires_tool
from test_providers import Moto, config_with_s3_zones

UTC = datetime.timezone.utc


def in_days(days):
    """A whole-second date `days` from now, as clients usually send them."""
    return (datetime.datetime.now(UTC) + datetime.timedelta(days=days)).replace(microsecond=0)


class LockBase(unittest.TestCase):
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env=cls.ENV).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.ep = cls.gw.endpoint
        cls.s3 = cls.gw.client()

    @classmethod
    def tearDownClass(cls):
        try:
            cls.gw.cleanup()
        finally:
            cls.pg.stop()

    def assert_error(self, fn, code, status, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def new_bucket(self, client=None, lock=True, prefix="lock"):
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        (client or self.s3).create_bucket(Bucket=name, ObjectLockEnabledForBucket=lock)
        return name

    def blob_key(self, bucket, key, version_id):
        return self.gw.sql(
            "SELECT o.blob_key FROM objects o JOIN buckets b ON b.id = o.bucket_id "
            f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND o.version_id = '{version_id}'")

    def blob_exists(self, blob_key):
        return any(os.path.basename(f) == blob_key for f in self.gw.blob_files())

    def sql_fails(self, statement):
        """Runs `statement` through psql; returns its error text (and fails if it succeeded)."""
        with self.assertRaises(subprocess.CalledProcessError) as cm:
            self.gw.sql(statement)
        return cm.exception.stderr


class ObjectLockTest(LockBase):
    def test_bucket_created_with_lock_is_versioned(self):
        bucket = self.new_bucket()
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
        conf = self.s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
        self.assertEqual(conf, {"ObjectLockEnabled": "Enabled"})
        # Object lock keeps every version: versioning cannot be suspended.
        self.assert_error(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                          Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
        # Versions get ids from the first PUT on.
        put = self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        self.assertNotEqual(put.get("VersionId", "null"), "null")

    def test_lock_configuration_on_an_existing_bucket(self):
        bucket = self.new_bucket(lock=False)
        self.assert_error(self.s3.get_object_lock_configuration,
                          "ObjectLockConfigurationNotFoundError", 404, Bucket=bucket)
        rule = {"ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 2}}}
        # Not while versioning is off.
        self.assert_error(self.s3.put_object_lock_configuration, "InvalidBucketState", 409,
                          Bucket=bucket, ObjectLockConfiguration=rule)
        self.s3.put_object(Bucket=bucket, Key="before", Body=b"old")
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=rule)
        conf = self.s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
        self.assertEqual(conf, rule)
        self.assert_error(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                          Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        # A version from before has no retention and goes as usual; a new one has the default.
        self.assert_error(self.s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                          Bucket=bucket, Key="before")
        self.s3.delete_object(Bucket=bucket, Key="before", VersionId="null")
        v = self.s3.put_object(Bucket=bucket, Key="after", Body=b"new")["VersionId"]
        ret = self.s3.get_object_retention(Bucket=bucket, Key="after")["Retention"]
        self.assertEqual(ret["Mode"], "GOVERNANCE")
        expected = datetime.datetime.now(UTC) + datetime.timedelta(days=2)
        self.assertLess(abs((ret["RetainUntilDate"] - expected).total_seconds()), 60)
        self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="after",
                          VersionId=v)
        # The rule can be replaced (Years now) and removed; the lock itself stays.
        rule["Rule"]["DefaultRetention"] = {"Mode": "COMPLIANCE", "Years": 1}
        self.s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration=rule)
        self.assertEqual(self.s3.get_object_lock_configuration(
            Bucket=bucket)["ObjectLockConfiguration"], rule)
        self.s3.put_object_lock_configuration(
            Bucket=bucket, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
        self.assertEqual(self.s3.get_object_lock_configuration(
            Bucket=bucket)["ObjectLockConfiguration"], {"ObjectLockEnabled": "Enabled"})
        self.s3.put_object(Bucket=bucket, Key="plain", Body=b"p")
        self.assert_error(self.s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                          Bucket=bucket, Key="plain")
        rows = self.gw.sql("SELECT operation || ':' || status FROM operations_log "
                           f"WHERE bucket = '{bucket}' AND operation = "
                           "'PutObjectLockConfiguration' AND status = 200").split("\n")
        self.assertEqual(rows, ["PutObjectLockConfiguration:200"] * 3)

    def test_bad_lock_configuration(self):
        bucket = self.new_bucket()
        for rule, code in (({"Mode": "GOVERNANCE", "Days": 0}, "InvalidRetentionPeriod"),
                           ({"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, "MalformedXML"),
                           ({"Mode": "SOMETIMES", "Days": 1}, "MalformedXML")):
            self.assert_error(self.s3.put_object_lock_configuration, code, 400, Bucket=bucket,
                              ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                                       "Rule": {"DefaultRetention": rule}})
        self.assertEqual(self.s3.get_object_lock_configuration(
            Bucket=bucket)["ObjectLockConfiguration"], {"ObjectLockEnabled": "Enabled"})

    def test_default_retention_applied_to_every_new_version(self):
        bucket = self.new_bucket()
        self.s3.put_object_lock_configuration(
            Bucket=bucket, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}}})
        expected = datetime.datetime.now(UTC) + datetime.timedelta(days=1)
        self.s3.put_object(Bucket=bucket, Key="put", Body=b"p")
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="mpu")["UploadId"]
        part = self.s3.upload_part(Bucket=bucket, Key="mpu", UploadId=uid, PartNumber=1,
                                   Body=b"m" * 1000)
        self.s3.complete_multipart_upload(
            Bucket=bucket, Key="mpu", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        for key in ("put", "mpu"):
            head = self.s3.head_object(Bucket=bucket, Key=key)
            self.assertEqual(head["ObjectLockMode"], "COMPLIANCE", key)
            self.assertLess(abs((head["ObjectLockRetainUntilDate"] - expected).total_seconds()),
                            60, key)
            got = self.s3.get_object(Bucket=bucket, Key=key)
            self.assertEqual(got["ObjectLockMode"], "COMPLIANCE")
            got["Body"].read()
        # Headers win over the default.
        until = in_days(3)
        self.s3.put_object(Bucket=bucket, Key="explicit", Body=b"e", ObjectLockMode="GOVERNANCE",
                           ObjectLockRetainUntilDate=until)
        ret = self.s3.get_object_retention(Bucket=bucket, Key="explicit")["Retention"]
        self.assertEqual(ret, {"Mode": "GOVERNANCE", "RetainUntilDate": until})

    def test_lock_headers_on_put_and_multipart(self):
        bucket = self.new_bucket()
        until = in_days(2)
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"1", ObjectLockMode="COMPLIANCE",
                           ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")
        head = self.s3.head_object(Bucket=bucket, Key="k")
        self.assertEqual(head["ObjectLockMode"], "COMPLIANCE")
        self.assertEqual(head["ObjectLockRetainUntilDate"], until)
        self.assertEqual(head["ObjectLockLegalHoldStatus"], "ON")

        uid = self.s3.create_multipart_upload(
            Bucket=bucket, Key="m", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until,
            ObjectLockLegalHoldStatus="ON")["UploadId"]
        part = self.s3.upload_part(Bucket=bucket, Key="m", UploadId=uid, PartNumber=1, Body=b"x")
        done = self.s3.complete_multipart_upload(
            Bucket=bucket, Key="m", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(self.s3.get_object_retention(Bucket=bucket, Key="m")["Retention"],
                         {"Mode": "GOVERNANCE", "RetainUntilDate": until})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="m")["LegalHold"],
                         {"Status": "ON"})
        self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="m",
                          VersionId=done["VersionId"], BypassGovernanceRetention=True)

    def test_lock_headers_checked(self):
        plain = self.new_bucket(lock=False)
        until = in_days(1)
        for kwargs in ({"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": until},
                       {"ObjectLockLegalHoldStatus": "OFF"}):
            self.assert_error(self.s3.put_object, "InvalidRequest", 400, Bucket=plain, Key="k",
                              Body=b"x", **kwargs)
            self.assert_error(self.s3.create_multipart_upload, "InvalidRequest", 400,
                              Bucket=plain, Key="k", **kwargs)
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=plain))
        self.assertEqual(self.s3.list_multipart_uploads(Bucket=plain).get("Uploads", []), [])

        bucket = self.new_bucket()
        past = in_days(-1)
        for kwargs in ({"ObjectLockMode": "GOVERNANCE"},
                       {"ObjectLockRetainUntilDate": until},
                       {"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": past},
                       {"ObjectLockMode": "FOREVER", "ObjectLockRetainUntilDate": until},
                       {"ObjectLockLegalHoldStatus": "MAYBE"}):
            self.assert_error(self.s3.put_object, "InvalidArgument", 400, Bucket=bucket, Key="k",
                              Body=b"x", **kwargs)
        r = requests.put(f"{self.ep}/{bucket}/raw", data=b"x",
                         headers={"x-amz-object-lock-mode": "COMPLIANCE",
                                  "x-amz-object-lock-retain-until-date": "next tuesday"})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("<Code>InvalidArgument</Code>", r.text)
        self.assertEqual(self.s3.list_object_versions(Bucket=bucket).get("Versions", []), [])

    def test_compliance_version_survives_every_delete(self):
        bucket = self.new_bucket()
        body = os.urandom(4096)
        until = in_days(1)
        vid = self.s3.put_object(Bucket=bucket, Key="evidence", Body=body,
                                 ObjectLockMode="COMPLIANCE",
                                 ObjectLockRetainUntilDate=until)["VersionId"]
        blob = self.blob_key(bucket, "evidence", vid)
        self.assertTrue(self.blob_exists(blob))

        # DeleteObject with its version id, with and without the bypass (we are the owner here).
        for bypass in (False, True):
            self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket,
                              Key="evidence", VersionId=vid, BypassGovernanceRetention=bypass)
        # DeleteObjects.
        out = self.s3.delete_objects(Bucket=bucket, BypassGovernanceRetention=True,
                                     Delete={"Objects": [{"Key": "evidence", "VersionId": vid}]})
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"], out)
        self.assertEqual(out.get("Deleted", []), [])
        # Suspend versioning to overwrite the version: refused.
        self.assert_error(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                          Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        # Shorten, remove or downgrade its retention: refused, bypass or not.
        for bypass in (False, True):
            for retention in ({"Mode": "COMPLIANCE", "RetainUntilDate": in_days(0.5)},
                              {"Mode": "GOVERNANCE", "RetainUntilDate": in_days(5)}, {}):
                self.assert_error(self.s3.put_object_retention, "AccessDenied", 403,
                                  Bucket=bucket, Key="evidence", VersionId=vid,
                                  Retention=retention, BypassGovernanceRetention=bypass)
        # Straight to the database: the trigger refuses, whoever asks.
        err = self.sql_fails(f"DELETE FROM objects WHERE version_id = '{vid}'")
        self.assertIn("retained (COMPLIANCE)", err)
        err = self.sql_fails(f"BEGIN; SET LOCAL s3gw.bypass_governance = 'on'; "
                             f"DELETE FROM objects WHERE version_id = '{vid}'; COMMIT")
        self.assertIn("retained (COMPLIANCE)", err)
        err = self.sql_fails("UPDATE objects SET retain_until = now() - interval '1 day' "
                             f"WHERE version_id = '{vid}'")
        self.assertIn("cannot be weakened", err)
        # Its blob can never become garbage (the database drops such a row).
        self.gw.sql("INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
                    "SELECT zone_id, backend_bucket, blob_key, 'test' FROM objects "
                    f"WHERE version_id = '{vid}'")
        self.assertEqual(self.gw.sql(
            f"SELECT count(*) FROM garbage_blobs WHERE blob_key = '{blob}'"), "0")
        # DeleteBucket.
        self.assert_error(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)

        # Extending is allowed.
        later = in_days(2)
        self.s3.put_object_retention(Bucket=bucket, Key="evidence", VersionId=vid,
                                     Retention={"Mode": "COMPLIANCE", "RetainUntilDate": later})
        self.assertEqual(self.s3.get_object_retention(Bucket=bucket, Key="evidence",
                                                      VersionId=vid)["Retention"],
                         {"Mode": "COMPLIANCE", "RetainUntilDate": later})
        # Still there, byte for byte, blob included.
        self.assertTrue(self.blob_exists(blob))
        got = self.s3.get_object(Bucket=bucket, Key="evidence", VersionId=vid)
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual(got["ObjectLockMode"], "COMPLIANCE")
        self.assertEqual(got["ObjectLockRetainUntilDate"], later)
        rows = self.gw.sql("SELECT operation || ':' || status || ':' || version_id "
                           f"FROM operations_log WHERE bucket = '{bucket}' "
                           "AND operation = 'PutObjectRetention' AND status = 200")
        self.assertEqual(rows, f"PutObjectRetention:200:{vid}")
        # Every refused attempt is on the audit trail, naming its operation and key.
        r = requests.get(f"{self.ep}/api/compliance/events?type=object_lock&limit=1000",
                         headers=ADMIN_HEADERS, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        events = [e for e in r.json()["events"] if e.get("bucket") == bucket]
        ops = sorted(e["operation"] for e in events)
        self.assertEqual(ops, ["DeleteObject"] * 2 + ["DeleteObjects"] +
                         ["PutObjectRetention"] * 6)
        self.assertTrue(all(e["key"] == "evidence" and e["code"] == "AccessDenied"
                            for e in events))

    def test_overwrite_of_a_locked_null_version_refused(self):
        """A 'null' version (from before versioning) locked later cannot be overwritten: the
        database refuses put_version's replacement, whatever the handlers let through."""
        bucket = self.new_bucket(lock=False)
        self.s3.put_object(Bucket=bucket, Key="n", Body=b"first")
        self.s3.put_bucket_versioning(Bucket=bucket,
                                      VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object_lock_configuration(
            Bucket=bucket, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
        self.s3.put_object_legal_hold(Bucket=bucket, Key="n", VersionId="null",
                                      LegalHold={"Status": "ON"})
        # Only a forced state (versioning cannot be suspended through the API) would overwrite
        # it: set it behind the gateway's back.
        self.gw.sql(f"UPDATE buckets SET versioning = 'Suspended' WHERE name = '{bucket}'")
        self.assert_error(self.s3.put_object, "AccessDenied", 403, Bucket=bucket, Key="n",
                          Body=b"second")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="n",
                                            VersionId="null")["Body"].read(), b"first")
        self.gw.sql(f"UPDATE buckets SET versioning = 'Enabled' WHERE name = '{bucket}'")

    def test_governance_yields_only_to_the_bypass(self):
        bucket = self.new_bucket()
        vid = self.s3.put_object(Bucket=bucket, Key="g", Body=b"g", ObjectLockMode="GOVERNANCE",
                                 ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        blob = self.blob_key(bucket, "g", vid)
        self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                          VersionId=vid)
        out = self.s3.delete_objects(Bucket=bucket,
                                     Delete={"Objects": [{"Key": "g", "VersionId": vid}]})
        self.assertEqual([e["Code"] for e in out.get("Errors", [])], ["AccessDenied"], out)
        err = self.sql_fails(f"DELETE FROM objects WHERE version_id = '{vid}'")
        self.assertIn("retained (GOVERNANCE)", err)
        # Shortening or removing needs the bypass; extending does not.
        self.assert_error(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                          Key="g", Retention={"Mode": "GOVERNANCE",
                                              "RetainUntilDate": in_days(0.5)})
        self.assert_error(self.s3.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                          Key="g", Retention={})
        self.s3.put_object_retention(Bucket=bucket, Key="g", Retention={
            "Mode": "GOVERNANCE", "RetainUntilDate": in_days(3)})
        self.s3.put_object_retention(Bucket=bucket, Key="g", BypassGovernanceRetention=True,
                                     Retention={"Mode": "GOVERNANCE",
                                                "RetainUntilDate": in_days(2)})
        # With the bypass (authentication is off: nobody to refuse it to), the version goes.
        self.s3.delete_object(Bucket=bucket, Key="g", VersionId=vid,
                              BypassGovernanceRetention=True)
        self.assert_error(self.s3.head_object, "404", 404, Bucket=bucket, Key="g", VersionId=vid)
        self.assertFalse(self.blob_exists(blob))

        # Removed with the bypass, the retention is gone and so is the protection.
        vid = self.s3.put_object(Bucket=bucket, Key="h", Body=b"h", ObjectLockMode="GOVERNANCE",
                                 ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        self.s3.put_object_retention(Bucket=bucket, Key="h", VersionId=vid, Retention={},
                                     BypassGovernanceRetention=True)
        self.assert_error(self.s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                          Bucket=bucket, Key="h", VersionId=vid)
        self.assertNotIn("ObjectLockMode", self.s3.head_object(Bucket=bucket, Key="h"))
        out = self.s3.delete_objects(Bucket=bucket,
                                     Delete={"Objects": [{"Key": "h", "VersionId": vid}]})
        self.assertEqual([d["VersionId"] for d in out.get("Deleted", [])], [vid], out)

        # GOVERNANCE may become COMPLIANCE (no earlier) without the bypass.
        vid = self.s3.put_object(Bucket=bucket, Key="c", Body=b"c", ObjectLockMode="GOVERNANCE",
                                 ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        later = in_days(1.5)
        self.s3.put_object_retention(Bucket=bucket, Key="c", Retention={
            "Mode": "COMPLIANCE", "RetainUntilDate": later})
        self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="c",
                          VersionId=vid, BypassGovernanceRetention=True)

    def test_legal_hold_blocks_until_off(self):
        bucket = self.new_bucket()
        vid = self.s3.put_object(Bucket=bucket, Key="h", Body=b"held")["VersionId"]
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="h")["LegalHold"],
                         {"Status": "OFF"})
        self.s3.put_object_legal_hold(Bucket=bucket, Key="h", LegalHold={"Status": "ON"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="h",
                                                       VersionId=vid)["LegalHold"],
                         {"Status": "ON"})
        self.assertEqual(self.s3.head_object(Bucket=bucket, Key="h")["ObjectLockLegalHoldStatus"],
                         "ON")
        for bypass in (False, True):
            self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="h",
                              VersionId=vid, BypassGovernanceRetention=bypass)
        err = self.sql_fails(f"DELETE FROM objects WHERE version_id = '{vid}'")
        self.assertIn("legal hold", err)
        self.s3.put_object_legal_hold(Bucket=bucket, Key="h", VersionId=vid,
                                      LegalHold={"Status": "OFF"})
        self.s3.delete_object(Bucket=bucket, Key="h", VersionId=vid)
        self.assertEqual(self.s3.list_object_versions(Bucket=bucket).get("Versions", []), [])
        rows = self.gw.sql("SELECT operation || ':' || status FROM operations_log "
                           f"WHERE bucket = '{bucket}' AND operation = 'PutObjectLegalHold' "
                           "AND status = 200")
        self.assertEqual(rows.split("\n"), ["PutObjectLegalHold:200"] * 2)

    def test_delete_marker_on_top_of_a_locked_version(self):
        bucket = self.new_bucket()
        vid = self.s3.put_object(Bucket=bucket, Key="d", Body=b"kept",
                                 ObjectLockMode="COMPLIANCE",
                                 ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        out = self.s3.delete_object(Bucket=bucket, Key="d")
        self.assertTrue(out["DeleteMarker"])
        marker = out["VersionId"]
        self.assert_error(self.s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="d")
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="d",
                                            VersionId=vid)["Body"].read(), b"kept")
        # A lock request on the marker: it has no lock.
        self.assert_error(self.s3.get_object_retention, "MethodNotAllowed", 405, Bucket=bucket,
                          Key="d", VersionId=marker)
        self.assert_error(self.s3.put_object_legal_hold, "NoSuchKey", 404, Bucket=bucket,
                          Key="d", LegalHold={"Status": "ON"})
        # The version underneath is still addressed by id.
        self.assertEqual(self.s3.get_object_retention(Bucket=bucket, Key="d",
                                                      VersionId=vid)["Retention"]["Mode"],
                         "COMPLIANCE")
        # The marker itself may go; the version comes back as the latest.
        self.s3.delete_object(Bucket=bucket, Key="d", VersionId=marker)
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="d")["Body"].read(), b"kept")

    def test_retention_requests_checked(self):
        plain = self.new_bucket(lock=False)
        self.s3.put_object(Bucket=plain, Key="k", Body=b"x")
        self.assert_error(self.s3.put_object_retention, "InvalidRequest", 400, Bucket=plain,
                          Key="k", Retention={"Mode": "GOVERNANCE",
                                              "RetainUntilDate": in_days(1)})
        self.assert_error(self.s3.get_object_retention, "InvalidRequest", 400, Bucket=plain,
                          Key="k")
        self.assert_error(self.s3.put_object_legal_hold, "InvalidRequest", 400, Bucket=plain,
                          Key="k", LegalHold={"Status": "ON"})
        self.assert_error(self.s3.get_object_lock_configuration,
                          "ObjectLockConfigurationNotFoundError", 404, Bucket=plain)

        bucket = self.new_bucket()
        self.s3.put_object(Bucket=bucket, Key="k", Body=b"x")
        self.assert_error(self.s3.put_object_retention, "InvalidArgument", 400, Bucket=bucket,
                          Key="k", Retention={"Mode": "GOVERNANCE",
                                              "RetainUntilDate": in_days(-1)})
        self.assert_error(self.s3.get_object_retention, "NoSuchObjectLockConfiguration", 404,
                          Bucket=bucket, Key="k")
        self.assert_error(self.s3.put_object_retention, "NoSuchKey", 404, Bucket=bucket,
                          Key="absent", Retention={"Mode": "GOVERNANCE",
                                                   "RetainUntilDate": in_days(1)})
        self.assert_error(self.s3.get_object_retention, "NoSuchVersion", 404, Bucket=bucket,
                          Key="k", VersionId="0" * 32)
        self.assert_error(self.s3.get_object_legal_hold, "NoSuchKey", 404, Bucket=bucket,
                          Key="absent")
        self.assert_error(self.s3.get_object_retention, "NoSuchBucket", 404,
                          Bucket="no-such-bucket-here", Key="k")
        r = requests.put(f"{self.ep}/{bucket}/k?retention",
                         data=b"<Retention><Mode>GOVERNANCE</Mode></Retention>")
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("<Code>MalformedXML</Code>", r.text)
        r = requests.put(f"{self.ep}/{bucket}/k?legal-hold",
                         data=b"<LegalHold><Status>MAYBE</Status></LegalHold>")
        self.assertEqual(r.status_code, 400, r.text)
        # Content-MD5 is checked when sent (AWS requires it or a checksum; here it is optional).
        r = requests.put(f"{self.ep}/{bucket}/k?legal-hold",
                         data=b"<LegalHold><Status>ON</Status></LegalHold>",
                         headers={"Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg=="})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key="k")["LegalHold"],
                         {"Status": "OFF"})


class ObjectLockAuthTest(LockBase):
    """With authentication on: s3:PutObjectRetention to set a retention,
    s3:BypassGovernanceRetention (or owning the bucket) for the bypass, and nobody, the owner
    with every permission included, past a COMPLIANCE retention."""

    TOKEN = "lock-admin-" + uuid.uuid4().hex
    ENV = {"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN,
           "S3GW_MASTER_KEY": os.urandom(32).hex()}

    def client_for(self, permissions):
        r = requests.post(f"{self.ep}/api/credentials/create",
                          headers={"Authorization": f"Bearer {self.TOKEN}"},
                          json={"user_name": f"u{uuid.uuid4().hex[:6]}", "email": "u@example.com",
                                "customer_id": "lock-customer", "permissions": permissions},
                          timeout=30)
        self.assertEqual(r.status_code, 201, r.text)
        cred = r.json()
        return boto3.client("s3", endpoint_url=self.ep, region_name="fi-hel",
                            aws_access_key_id=cred["access_key_id"],
                            aws_secret_access_key=cred["secret_access_key"],
                            config=Config(s3={"addressing_style": "path"},
                                          signature_version="s3v4",
                                          retries={"max_attempts": 1}))

    def test_permissions(self):
        owner = self.client_for({"s3:*": ["*"]})
        bucket = self.new_bucket(owner)
        objects = [f"{bucket}/*"]
        base = {"s3:PutObject": objects, "s3:GetObject": objects,
                "s3:GetObjectVersion": objects, "s3:DeleteObjectVersion": objects,
                "s3:GetObjectRetention": objects}
        writer = self.client_for(base)
        retainer = self.client_for(dict(base, **{"s3:PutObjectRetention": objects}))
        bypasser = self.client_for(dict(base, **{"s3:PutObjectRetention": objects,
                                                 "s3:BypassGovernanceRetention": objects}))

        # A retention (or legal hold) set with the PUT needs its own permission, as in AWS:
        # a COMPLIANCE one could never be taken back.
        self.assert_error(writer.put_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                          Body=b"g", ObjectLockMode="COMPLIANCE",
                          ObjectLockRetainUntilDate=in_days(1))
        self.assert_error(retainer.put_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                          Body=b"g", ObjectLockLegalHoldStatus="ON")
        self.assert_error(writer.create_multipart_upload, "AccessDenied", 403, Bucket=bucket,
                          Key="g", ObjectLockMode="COMPLIANCE",
                          ObjectLockRetainUntilDate=in_days(1))
        self.assertEqual(owner.list_object_versions(Bucket=bucket).get("Versions", []), [])
        vid = retainer.put_object(Bucket=bucket, Key="g", Body=b"g", ObjectLockMode="GOVERNANCE",
                                  ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        # No s3:PutObjectRetention: no retention change at all.
        self.assert_error(writer.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                          Key="g", Retention={"Mode": "GOVERNANCE",
                                              "RetainUntilDate": in_days(2)})
        retainer.put_object_retention(Bucket=bucket, Key="g", Retention={
            "Mode": "GOVERNANCE", "RetainUntilDate": in_days(2)})
        # The bypass header without s3:BypassGovernanceRetention changes nothing.
        self.assert_error(retainer.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                          Key="g", BypassGovernanceRetention=True,
                          Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)})
        for client in (writer, retainer):
            self.assert_error(client.delete_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                              VersionId=vid, BypassGovernanceRetention=True)
        self.assertEqual(writer.get_object(Bucket=bucket, Key="g",
                                           VersionId=vid)["Body"].read(), b"g")
        bypasser.put_object_retention(Bucket=bucket, Key="g", BypassGovernanceRetention=True,
                                      Retention={"Mode": "GOVERNANCE",
                                                 "RetainUntilDate": in_days(1)})
        bypasser.delete_object(Bucket=bucket, Key="g", VersionId=vid,
                               BypassGovernanceRetention=True)
        self.assert_error(owner.head_object, "404", 404, Bucket=bucket, Key="g", VersionId=vid)

        # The bucket's owner may bypass GOVERNANCE, but nobody gets past COMPLIANCE.
        vid = owner.put_object(Bucket=bucket, Key="g2", Body=b"2", ObjectLockMode="GOVERNANCE",
                               ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        owner.delete_object(Bucket=bucket, Key="g2", VersionId=vid, BypassGovernanceRetention=True)
        vid = owner.put_object(Bucket=bucket, Key="c", Body=b"c", ObjectLockMode="COMPLIANCE",
                               ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        for client in (owner, bypasser):
            self.assert_error(client.delete_object, "AccessDenied", 403, Bucket=bucket, Key="c",
                              VersionId=vid, BypassGovernanceRetention=True)
            self.assert_error(client.put_object_retention, "AccessDenied", 403, Bucket=bucket,
                              Key="c", VersionId=vid, BypassGovernanceRetention=True,
                              Retention={})
        self.assertEqual(owner.get_object(Bucket=bucket, Key="c", VersionId=vid)["Body"].read(),
                         b"c")
        # Legal hold has its own action.
        self.assert_error(retainer.put_object_legal_hold, "AccessDenied", 403, Bucket=bucket,
                          Key="c", LegalHold={"Status": "ON"})
        # So does the configuration: a writer cannot change the bucket's default.
        self.assert_error(writer.put_object_lock_configuration, "AccessDenied", 403,
                          Bucket=bucket, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})


class ObjectLockCliTest(LockBase):
    """`aws s3api` for the lock configuration, retention and legal hold."""

    @classmethod
    def setUpClass(cls):
        require_tool("aws")
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="s3gw-lock-cli-")
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

    def s3api(self, *args, check=True):
        import json
        r = subprocess.run(["aws", "--endpoint-url", self.ep, "--output", "json", "s3api"] +
                           list(args), env=self.env, capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(r.returncode, 0, f"{args}: {r.stdout}\n{r.stderr}")
            return json.loads(r.stdout) if r.stdout.strip() else {}
        self.assertNotEqual(r.returncode, 0, f"{args} succeeded: {r.stdout}")
        return r.stderr

    def test_lock_with_the_cli(self):
        bucket = f"lock-cli-{uuid.uuid4().hex[:8]}"
        self.s3api("create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket")
        self.assertEqual(self.s3api("get-bucket-versioning", "--bucket", bucket)["Status"],
                         "Enabled")
        self.s3api("put-object-lock-configuration", "--bucket", bucket,
                   "--object-lock-configuration",
                   '{"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": '
                   '{"Mode": "GOVERNANCE", "Days": 1}}}')
        conf = self.s3api("get-object-lock-configuration", "--bucket", bucket)
        self.assertEqual(conf["ObjectLockConfiguration"]["Rule"]["DefaultRetention"],
                         {"Mode": "GOVERNANCE", "Days": 1})
        src = os.path.join(self.tmp, "f.txt")
        with open(src, "wb") as f:
            f.write(b"cli")
        vid = self.s3api("put-object", "--bucket", bucket, "--key", "f", "--body",
                         src)["VersionId"]
        self.assertEqual(self.s3api("get-object-retention", "--bucket", bucket, "--key",
                                    "f")["Retention"]["Mode"], "GOVERNANCE")
        until = in_days(2).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.s3api("put-object-retention", "--bucket", bucket, "--key", "f", "--version-id", vid,
                   "--retention", f'{{"Mode": "COMPLIANCE", "RetainUntilDate": "{until}"}}')
        ret = self.s3api("get-object-retention", "--bucket", bucket, "--key", "f",
                         "--version-id", vid)["Retention"]
        self.assertEqual(ret["Mode"], "COMPLIANCE")
        self.assertTrue(ret["RetainUntilDate"].startswith(until[:19]), ret)
        self.s3api("put-object-legal-hold", "--bucket", bucket, "--key", "f",
                   "--legal-hold", "Status=ON")
        self.assertEqual(self.s3api("get-object-legal-hold", "--bucket", bucket, "--key",
                                    "f")["LegalHold"], {"Status": "ON"})
        err = self.s3api("delete-object", "--bucket", bucket, "--key", "f", "--version-id", vid,
                         "--bypass-governance-retention", check=False)
        self.assertIn("AccessDenied", err)
        shorter = in_days(1).strftime("%Y-%m-%dT%H:%M:%SZ")
        err = self.s3api("put-object-retention", "--bucket", bucket, "--key", "f",
                         "--bypass-governance-retention", "--retention",
                         f'{{"Mode": "COMPLIANCE", "RetainUntilDate": "{shorter}"}}', check=False)
        self.assertIn("AccessDenied", err)
        head = self.s3api("head-object", "--bucket", bucket, "--key", "f")
        self.assertEqual(head["ObjectLockMode"], "COMPLIANCE")
        self.assertEqual(head["ObjectLockLegalHoldStatus"], "ON")


@requires_tool("moto_server")
class MotoObjectLockTest(LockBase):
    """The same guarantees with the bucket's data on an S3 provider (moto_server): the lock is
    the gateway's, whatever the backend supports."""

    @classmethod
    def setUpClass(cls):
        cls.moto = Moto()
        cls.config_dir = config_with_s3_zones({"fi": cls.moto})
        cls.ENV = {"S3GW_CONFIG_DIR": cls.config_dir, "S3GW_HEALTH_INTERVAL": "0",
                   "TEST_PROVIDER_ACCESS_KEY": "moto", "TEST_PROVIDER_SECRET_KEY": "moto-secret"}
        try:
            super().setUpClass()
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

    def backend_blob(self, bucket, key, version_id):
        row = self.gw.sql(
            "SELECT o.backend_bucket || ' ' || o.blob_key FROM objects o JOIN buckets b ON "
            f"b.id = o.bucket_id WHERE b.name = '{bucket}' AND o.key = '{key}' AND "
            f"o.version_id = '{version_id}'")
        return row.split(" ")

    def test_locked_version_on_an_s3_zone(self):
        bucket = f"lock-moto-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True,
                              CreateBucketConfiguration={"LocationConstraint": "fi"})
        self.s3.put_object_lock_configuration(
            Bucket=bucket, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}}})
        body = os.urandom(10000)
        vid = self.s3.put_object(Bucket=bucket, Key="k", Body=body)["VersionId"]
        backend, blob = self.backend_blob(bucket, "k", vid)
        for bypass in (False, True):
            self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="k",
                              VersionId=vid, BypassGovernanceRetention=bypass)
        self.assertTrue(self.s3.delete_object(Bucket=bucket, Key="k")["DeleteMarker"])
        self.assert_error(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=bucket)
        self.assertEqual(self.moto.client.head_object(Bucket=backend, Key=blob)["ContentLength"],
                         len(body))
        self.assertEqual(self.s3.get_object(Bucket=bucket, Key="k", VersionId=vid)["Body"].read(),
                         body)
        # GOVERNANCE, from a multipart upload: goes with the bypass, blob included.
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key="g", ObjectLockMode="GOVERNANCE",
                                              ObjectLockRetainUntilDate=in_days(1))["UploadId"]
        part = self.s3.upload_part(Bucket=bucket, Key="g", UploadId=uid, PartNumber=1, Body=b"g")
        gid = self.s3.complete_multipart_upload(
            Bucket=bucket, Key="g", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})["VersionId"]
        backend, blob = self.backend_blob(bucket, "g", gid)
        self.assertEqual(self.s3.get_object_retention(Bucket=bucket, Key="g")["Retention"]["Mode"],
                         "GOVERNANCE")
        self.assert_error(self.s3.delete_object, "AccessDenied", 403, Bucket=bucket, Key="g",
                          VersionId=gid)
        self.s3.delete_object(Bucket=bucket, Key="g", VersionId=gid,
                              BypassGovernanceRetention=True)
        with self.assertRaises(ClientError):
            self.moto.client.head_object(Bucket=backend, Key=blob)


if __name__ == "__main__":
    unittest.main()
