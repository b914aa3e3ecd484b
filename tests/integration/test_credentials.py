"""The credentials admin API: secrets sealed at rest with AES-256-GCM under the master key,
shown once at creation, every route behind the admin token, bad input changing nothing."""
import json
import os
import re
import secrets
import shutil
import tempfile
import unittest

import requests

from harness import Gateway, PostgresCluster

TOKEN = "test-admin-token-" + secrets.token_hex(8)
MASTER_KEY = secrets.token_hex(32)
KEY_ID = re.compile(r"^S3GFH[A-Z2-7]{15}$")


class CredentialsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        try:
            cls.gw = Gateway(cls.pg, env={"S3GW_ADMIN_TOKEN": TOKEN,
                                          "S3GW_MASTER_KEY": MASTER_KEY}).start()
        except Exception:
            cls.pg.stop()
            raise
        cls.secrets = []

    @classmethod
    def tearDownClass(cls):
        try:
            log = cls.gw.read_log()
            cls.gw.cleanup()
        finally:
            cls.pg.stop()
        # Checked last, once every test has run and logged what it would.
        for s in cls.secrets:
            assert s not in log, "a secret access key reached the gateway log"
        assert MASTER_KEY not in log.lower(), "the master key reached the gateway log"

    def api(self, method, path, body=None, token=TOKEN, raw=None):
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        if data is not None:
            headers["Content-Type"] = "application/json"
        return requests.request(method, self.gw.endpoint + path, headers=headers, data=data,
                                timeout=30)

    def create(self, **body):
        body.setdefault("user_name", "alice")
        body.setdefault("email", "alice@example.com")
        r = self.api("POST", "/api/credentials/create", body)
        self.assertEqual(r.status_code, 201, r.text)
        c = r.json()
        self.secrets.append(c["secret_access_key"])
        return c

    def count(self):
        return int(self.gw.sql("SELECT count(*) FROM s3_credentials"))

    def test_create_shows_the_secret_once(self):
        c = self.create(permissions={"s3:GetObject": ["my-bucket", "shared-*"]})
        self.assertRegex(c["access_key_id"], KEY_ID)
        self.assertEqual(len(c["secret_access_key"]), 40)
        self.assertEqual(c["permissions"], {"s3:GetObject": ["my-bucket", "shared-*"]})
        self.assertTrue(c["user_id"])
        self.assertTrue(c["customer_id"])
        self.assertTrue(c["active"])
        self.assertEqual(c["secret_status"], "ok")

        got = self.api("GET", f"/api/credentials/{c['access_key_id']}")
        self.assertEqual(got.status_code, 200)
        self.assertNotIn("secret_access_key", got.json())
        self.assertNotIn(c["secret_access_key"], got.text)
        self.assertEqual(got.json()["user_name"], "alice")
        self.assertEqual(got.json()["secret_status"], "ok")

        listed = self.api("GET", "/api/credentials/list")
        self.assertEqual(listed.status_code, 200)
        ids = [x["access_key_id"] for x in listed.json()["credentials"]]
        self.assertIn(c["access_key_id"], ids)
        for s in self.secrets:
            self.assertNotIn(s, listed.text)

    def test_customer_given_or_new(self):
        a = self.create(customer_id="acme")
        b = self.create(customer_id="acme")
        self.assertEqual(a["customer_id"], "acme")
        self.assertEqual(b["customer_id"], "acme")
        self.assertNotEqual(a["user_id"], b["user_id"])
        c, d = self.create(), self.create()
        self.assertNotEqual(c["customer_id"], d["customer_id"])
        self.assertNotIn(c["customer_id"], ("acme", d["customer_id"]))

    def test_secret_sealed_at_rest(self):
        c = self.create()
        stored = self.gw.sql(f"SELECT secret_sealed FROM s3_credentials "
                             f"WHERE access_key_id = '{c['access_key_id']}'")
        self.assertNotIn(c["secret_access_key"], stored)
        # nonce (12) || ciphertext (40) || tag (16), base64.
        self.assertEqual(len(stored), 92)
        dump = self.gw.sql("SELECT s3_credentials::text FROM s3_credentials")
        for s in self.secrets:
            self.assertNotIn(s, dump)
        # The same secret sealed again (a second row cannot share it, but every seal draws a
        # fresh nonce): two credentials never share a ciphertext prefix.
        sealed = self.gw.sql("SELECT secret_sealed FROM s3_credentials").split()
        self.assertEqual(len({s[:16] for s in sealed}), len(sealed))

    def test_tampered_secret_is_unreadable(self):
        c = self.create()
        key = c["access_key_id"]
        self.gw.sql("UPDATE s3_credentials SET secret_sealed = overlay(secret_sealed placing "
                    "CASE WHEN substr(secret_sealed, 30, 1) = 'A' THEN 'B' ELSE 'A' END "
                    f"FROM 30 FOR 1) WHERE access_key_id = '{key}'")
        got = self.api("GET", f"/api/credentials/{key}")
        self.assertEqual(got.status_code, 200)
        self.assertEqual(got.json()["secret_status"], "unreadable")

    def test_swapped_ciphertexts_do_not_open(self):
        a, b = self.create(), self.create()
        ka, kb = a["access_key_id"], b["access_key_id"]
        self.gw.sql(
            "UPDATE s3_credentials c SET secret_sealed = o.secret_sealed FROM s3_credentials o "
            f"WHERE (c.access_key_id, o.access_key_id) IN (('{ka}', '{kb}'), ('{kb}', '{ka}'))")
        for k in (ka, kb):
            self.assertEqual(self.api("GET", f"/api/credentials/{k}").json()["secret_status"],
                             "unreadable")

    def test_update_permissions(self):
        c = self.create()
        key = c["access_key_id"]
        perms = {"s3:*": ["bucket2/*"], "s3:ListBucket": ["*"]}
        r = self.api("PUT", f"/api/credentials/{key}/permissions", {"permissions": perms})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["permissions"], perms)
        self.assertEqual(self.api("GET", f"/api/credentials/{key}").json()["permissions"], perms)
        self.assertEqual(self.api("PUT", "/api/credentials/S3GFHAAAAAAAAAAAAAAA/permissions",
                                  {"permissions": {}}).status_code, 404)

    def test_bad_permissions_change_nothing(self):
        c = self.create(permissions={"s3:GetObject": ["a"]})
        key = c["access_key_id"]
        bad = [[], "s3:*", {"GetObject": ["a"]}, {"s3:": ["a"]}, {"s3:Get Object": ["a"]},
               {"s3:GetObject": "a"}, {"s3:GetObject": [1]}, {"s3:GetObject": [""]},
               {"s3:GetObject": [None]}]
        for p in bad:
            r = self.api("PUT", f"/api/credentials/{key}/permissions", {"permissions": p})
            self.assertEqual(r.status_code, 400, p)
            self.assertIn("error", r.json())
        self.assertEqual(self.api("PUT", f"/api/credentials/{key}/permissions", {}).status_code,
                         400)
        self.assertEqual(self.api("GET", f"/api/credentials/{key}").json()["permissions"],
                         {"s3:GetObject": ["a"]})

    def test_bad_create_bodies_create_nothing(self):
        before = self.count()
        for raw in ["{", "[]", "null", '"x"', "{\"user_name\": 1, \"email\": \"a@b\"}",
                    json.dumps({"email": "a@b"}), json.dumps({"user_name": "a"}),
                    json.dumps({"user_name": "a", "email": "no-at-sign"}),
                    json.dumps({"user_name": "a", "email": "a@b", "customer_id": "bad id!"}),
                    json.dumps({"user_name": "a", "email": "a@b", "permissions": ["s3:*"]}),
                    json.dumps({"user_name": "a", "email": "a@b",
                                "permissions": {"s3:*": "*"}})]:
            r = self.api("POST", "/api/credentials/create", raw=raw)
            self.assertEqual(r.status_code, 400, raw)
            self.assertIn("error", r.json())
        r = self.api("POST", "/api/credentials/create", raw="{" + " " * (65 * 1024) + "}")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.count(), before)

    def test_deactivate(self):
        c = self.create()
        key = c["access_key_id"]
        r = self.api("DELETE", f"/api/credentials/{key}")
        self.assertEqual(r.status_code, 204)
        self.assertEqual(r.content, b"")
        got = self.api("GET", f"/api/credentials/{key}").json()
        self.assertFalse(got["active"])
        self.assertEqual(self.api("DELETE", "/api/credentials/S3GFHAAAAAAAAAAAAAAA").status_code,
                         404)

    def test_mutations_are_logged_in_their_transaction(self):
        c = self.create()
        self.api("DELETE", f"/api/credentials/{c['access_key_id']}")
        rows = self.gw.sql("SELECT operation, customer_id, user_id FROM operations_log "
                           f"WHERE user_id = '{c['user_id']}' ORDER BY id").splitlines()
        self.assertEqual(rows, [f"CreateCredential|{c['customer_id']}|{c['user_id']}",
                                f"DeactivateCredential|{c['customer_id']}|{c['user_id']}"])

    def test_generate_demo(self):
        r = self.api("POST", "/api/credentials/generate-demo")
        self.assertEqual(r.status_code, 201, r.text)
        c = r.json()
        self.secrets.append(c["secret_access_key"])
        self.assertEqual(c["permissions"], {"s3:*": ["*"]})
        self.assertRegex(c["access_key_id"], KEY_ID)

    def test_user_buckets(self):
        c = self.create(customer_id="bucketco")
        self.gw.sql("INSERT INTO buckets (customer_id, name, owner_user_id) VALUES "
                    f"('bucketco', 'owned-one', '{c['user_id']}'), "
                    f"('bucketco', 'owned-two', '{c['user_id']}'), "
                    "('bucketco', 'someone-elses', 'user-other')")
        r = self.api("GET", f"/api/credentials/user/{c['user_id']}/buckets")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual([b["name"] for b in r.json()["buckets"]], ["owned-one", "owned-two"])
        self.assertEqual(self.api("GET", "/api/credentials/user/nobody/buckets").status_code, 404)

    def test_token_required_everywhere(self):
        c = self.create()
        key = c["access_key_id"]
        routes = [("POST", "/api/credentials/create", {"user_name": "m", "email": "m@x"}),
                  ("GET", "/api/credentials/list", None), ("GET", f"/api/credentials/{key}", None),
                  ("PUT", f"/api/credentials/{key}/permissions", {"permissions": {}}),
                  ("DELETE", f"/api/credentials/{key}", None),
                  ("POST", "/api/credentials/generate-demo", None),
                  ("GET", f"/api/credentials/user/{c['user_id']}/buckets", None)]
        before = self.count()
        for method, path, body in routes:
            for token in (None, "wrong", TOKEN + "x", ""):
                r = self.api(method, path, body, token=token)
                self.assertEqual(r.status_code, 401, (method, path, token))
                self.assertNotIn(c["secret_access_key"], r.text)
        self.assertEqual(self.count(), before)
        got = self.api("GET", f"/api/credentials/{key}").json()
        self.assertTrue(got["active"])
        self.assertEqual(got["permissions"], {})

    def test_wrong_methods_and_routes(self):
        self.assertEqual(self.api("GET", "/api/credentials/create").status_code, 405)
        self.assertEqual(self.api("POST", "/api/credentials/list").status_code, 405)
        self.assertEqual(self.api("GET", "/api/credentials/a/b/c/d").status_code, 404)
        self.assertEqual(self.api("GET", "/api/credentials/S3GFHAAAAAAAAAAAAAAA").status_code,
                         404)


class MasterKeyStartupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()
        cls.dir = tempfile.mkdtemp(prefix="s3gw-key-")

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def key_file(self, mode):
        path = os.path.join(self.dir, f"key-{mode:o}")
        with open(path, "w") as f:
            f.write(MASTER_KEY + "\n")
        os.chmod(path, mode)
        return path

    def refused(self, env):
        gw = Gateway(self.pg, env=env)
        try:
            with self.assertRaises(RuntimeError) as cm:
                gw.start()
            self.assertNotIn(MASTER_KEY, str(cm.exception).lower())
            return str(cm.exception)
        finally:
            gw.stop()
            shutil.rmtree(gw.dir, ignore_errors=True)

    def test_world_or_group_readable_key_file_refused(self):
        for mode in (0o644, 0o640):
            msg = self.refused({"S3GW_MASTER_KEY_FILE": self.key_file(mode)})
            self.assertIn("S3GW_MASTER_KEY_FILE", msg)

    def test_malformed_key_refused(self):
        self.refused({"S3GW_MASTER_KEY": MASTER_KEY[:-2]})

    def test_authentication_needs_a_key(self):
        msg = self.refused({"ENABLE_S3_AUTHENTICATION": "true", "S3GW_ADMIN_TOKEN": TOKEN})
        self.assertIn("master key", msg)

    def test_private_key_file_works(self):
        gw = Gateway(self.pg, env={"S3GW_MASTER_KEY_FILE": self.key_file(0o600),
                                   "S3GW_ADMIN_TOKEN": TOKEN}).start()
        try:
            r = requests.post(gw.endpoint + "/api/credentials/generate-demo",
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
            self.assertEqual(r.status_code, 201, r.text)
            self.assertNotIn(r.json()["secret_access_key"], gw.read_log())
        finally:
            gw.cleanup()

    def test_without_a_key_the_api_answers_503(self):
        gw = Gateway(self.pg, env={"S3GW_ADMIN_TOKEN": TOKEN}).start()
        try:
            r = requests.get(gw.endpoint + "/api/credentials/list",
                             headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
            self.assertEqual(r.status_code, 503)
            self.assertIn("master key", r.json()["error"])
            # The token is still checked first.
            r = requests.get(gw.endpoint + "/api/credentials/list", timeout=30)
            self.assertEqual(r.status_code, 401)
        finally:
            gw.cleanup()


if __name__ == "__main__":
    unittest.main()
