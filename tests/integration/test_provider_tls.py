"""Zones on an S3 provider over https: one moto_server speaking TLS with a certificate for
127.0.0.1 and localhost, issued by a throwaway CA made here with the openssl CLI. Zones of the
fi-hel gateway point at it in different ways:

  fi-hel-st-1  tls.ca_file (relative to the config directory), keys from environment variables
  fi-hel-uc-1  tls.ca_file, keys from credentials.file (AWS INI, profile "gateway")
  de-fra-st-1  no tls settings: the system trust store, which does not know the CA
  de-fra-uc-1  tls.ca_file, but a server whose certificate names another host
  fr-par-st-1  tls.insecure_skip_verify

Checked: objects written and read through the gateway land in moto over TLS; a certificate the
gateway cannot verify gets the client a 503 and commits nothing (never a fall-back to http);
insecure_skip_verify works and is logged loudly; the credentials file's keys sign the
requests (moto's request recorder shows them); a credentials file others can read stops the
start-up; no secret ever reaches the log."""
import hashlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
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
ENV_KEY, ENV_SECRET = "TLSENVKEY", "env-secret-never-logged"
FILE_KEY, FILE_SECRET = "TLSFILEKEY", "file-secret-never-logged"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(d):
    """ca.pem (+ key), server.pem for 127.0.0.1 and localhost, wrong.pem for other.example."""
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=s3gw test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    for name, san in (("server", "IP:127.0.0.1,DNS:localhost"), ("wrong", "DNS:other.example")):
        with open(os.path.join(d, f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n")
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", str(int(time.time() * 1000)), "-days", "2",
                "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=d)


class TlsMoto:
    """moto_server over https with the given certificate; its request recorder can be turned on."""

    def __init__(self, d, cert, key, ca):
        self.port = free_port()
        self.recording = os.path.join(d, "moto-recording.jsonl")
        env = dict(os.environ, MOTO_RECORDER_FILEPATH=self.recording)
        self.server = HelperServer(["moto_server", "-H", "127.0.0.1", "-p", str(self.port),
                                    "-c", cert, "-k", key], "moto_server (https)", env=env)
        self.proc = self.server.proc
        self.ca = ca
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(self.endpoint + "/moto-api/", verify=ca, timeout=2)
                break
            except requests.RequestException:
                self.server.check_running()
                time.sleep(0.2)
        else:
            self.server._kill()
            raise RuntimeError(f"moto_server (https) did not start:\n{self.server.output()}")
        self.client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                                   aws_access_key_id="moto", aws_secret_access_key="moto",
                                   verify=ca, config=Config(s3={"addressing_style": "path"}))

    @property
    def endpoint(self):
        return f"https://127.0.0.1:{self.port}"

    def buckets(self):
        return sorted(b["Name"] for b in self.client.list_buckets()["Buckets"])

    def recorder(self, action):
        r = requests.request("GET" if action == "download-recording" else "POST",
                             f"{self.endpoint}/moto-api/recorder/{action}", verify=self.ca,
                             timeout=30)
        r.raise_for_status()
        return r.text

    def stop(self):
        self.server.stop()


class WrongNameServer:
    """A TLS server whose certificate (from the same CA) names other.example: the handshake
    must fail on the gateway's side. Counts handshakes that succeeded (must stay 0)."""

    def __init__(self, cert, key):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.handshakes = 0
        self.errors = []  # anything but the expected handshake failures (the thread ends)
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        try:
            while True:
                try:
                    conn, _ = self.sock.accept()
                except OSError:
                    return
                self.accepted += 1
                conn.settimeout(5)
                try:
                    with self.ctx.wrap_socket(conn, server_side=True):
                        self.handshakes += 1
                except (ssl.SSLError, OSError):
                    conn.close()
        except Exception as e:
            self.errors.append(repr(e))

    def stop(self):
        self.sock.close()


def tls_config(config_dir, moto, wrong):
    """The repository's configuration with five zones turned into https S3 zones."""
    with open(os.path.join(CONFIG_DIR, "s3_backends.json")) as f:
        config = json.load(f)
    env_creds = {"access_key_env": "TEST_TLS_ACCESS_KEY", "secret_key_env": "TEST_TLS_SECRET_KEY"}
    zones = {
        ("fi", "st"): {"endpoint": moto.endpoint, "tls": {"ca_file": "ca.pem"},
                       "credentials": env_creds},
        ("fi", "uc"): {"endpoint": moto.endpoint, "tls": {"ca_file": "ca.pem"},
                       "credentials": {"file": "credentials", "profile": "gateway"}},
        ("de", "st"): {"endpoint": moto.endpoint, "credentials": env_creds},
        ("de", "uc"): {"endpoint": f"https://127.0.0.1:{wrong.port}",
                       "tls": {"ca_file": "ca.pem"}, "credentials": env_creds},
        ("fr", "st"): {"endpoint": moto.endpoint, "tls": {"insecure_skip_verify": True},
                       "credentials": env_creds},
    }
    for p in config["providers"]:
        z = zones.get((p["country"], p["id"]))
        if z is not None:
            p.update({"type": "s3", "region": "us-east-1", "addressing_style": "path", **z})
    with open(os.path.join(config_dir, "s3_backends.json"), "w") as f:
        json.dump(config, f)
    path = os.path.join(config_dir, "credentials")
    with open(path, "w") as f:
        f.write("[default]\naws_access_key_id = WRONGPROFILE\naws_secret_access_key = nope\n\n"
                f"# the gateway's keys\n[gateway]\naws_access_key_id = {FILE_KEY}\n"
                f"aws_secret_access_key = {FILE_SECRET}\n")
    os.chmod(path, 0o600)


@requires_tool("moto_server", "openssl")
class ProviderTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="s3gw-tls-")
        cls.config_dir = os.path.join(cls.dir, "config")
        os.mkdir(cls.config_dir)
        make_pki(cls.dir)
        ca = os.path.join(cls.dir, "ca.pem")
        shutil.copy(ca, os.path.join(cls.config_dir, "ca.pem"))
        cls.moto = TlsMoto(cls.dir, os.path.join(cls.dir, "server.pem"),
                           os.path.join(cls.dir, "server.key"), ca)
        cls.wrong = WrongNameServer(os.path.join(cls.dir, "wrong.pem"),
                                    os.path.join(cls.dir, "wrong.key"))
        tls_config(cls.config_dir, cls.moto, cls.wrong)
        cls.pg = PostgresCluster().start()
        try:
            # No health checks: a zone whose certificate fails stays "available", so the
            # data path itself must answer 503.
            cls.gw = Gateway(cls.pg, env={"S3GW_CONFIG_DIR": cls.config_dir,
                                          "S3GW_HEALTH_INTERVAL": "0",
                                          "TEST_TLS_ACCESS_KEY": ENV_KEY,
                                          "TEST_TLS_SECRET_KEY": ENV_SECRET}).start()
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
            cls.wrong.stop()
            shutil.rmtree(cls.dir, ignore_errors=True)

    def bucket(self, location):
        name = f"tls-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=name,
                              CreateBucketConfiguration={"LocationConstraint": location})
        return name

    def placed(self, bucket, key):
        row = self.gw.sql("SELECT o.zone_id || ' ' || o.backend_bucket || ' ' || o.blob_key "
                          "FROM objects o JOIN buckets b ON b.id = o.bucket_id "
                          f"WHERE b.name = '{bucket}' AND o.key = '{key}' AND o.is_latest")
        return row.split(" ") if row else None

    def assert_lands_in_moto(self, location, zone, size=50_000):
        name = self.bucket(location)
        body = os.urandom(size)
        self.s3.put_object(Bucket=name, Key="data.bin", Body=body)
        got_zone, backend, blob = self.placed(name, "data.bin")
        self.assertEqual(got_zone, zone)
        stored = self.moto.client.get_object(Bucket=backend, Key=blob)["Body"].read()
        self.assertEqual(hashlib.md5(stored).hexdigest(), hashlib.md5(body).hexdigest())
        got = self.s3.get_object(Bucket=name, Key="data.bin")["Body"].read()
        self.assertEqual(hashlib.md5(got).hexdigest(), hashlib.md5(body).hexdigest())
        self.assertEqual(self.s3.get_object(Bucket=name, Key="data.bin",
                                            Range="bytes=100-199")["Body"].read(), body[100:200])
        return name, backend, blob

    def assert_refused(self, location, reason):
        name = self.bucket(location)
        before = self.moto.buckets()
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=name, Key="k", Body=b"x" * 1000)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 503)
        self.assertIsNone(self.placed(name, "k"))
        self.assertEqual(self.moto.buckets(), before)  # not even the backend bucket
        log = self.gw.read_log()
        self.assertIn(f"TLS certificate verification failed: {reason}", log)

    def test_ca_file_put_and_get_over_tls(self):
        self.assert_lands_in_moto("fi-hel-st-1", "fi-hel-st-1")

    def test_large_object_multipart_over_tls(self):
        # Past one part (8 MiB): the provider's multipart path, parts on kept-alive connections.
        _, backend, blob = self.assert_lands_in_moto("fi-hel-st-1", "fi-hel-st-1",
                                                     size=9 * MiB + 7)
        head = self.moto.client.head_object(Bucket=backend, Key=blob)
        self.assertRegex(head["ETag"], r'-2"$')

    def test_system_trust_store_refuses_the_private_ca(self):
        self.assert_refused("de-fra-st-1", "unable to get local issuer certificate")

    def test_certificate_for_another_name_is_refused(self):
        self.assert_refused("de-fra-uc-1", "IP address mismatch")
        self.assertGreater(self.wrong.accepted, 0)
        self.assertEqual(self.wrong.handshakes, 0)
        self.assertEqual(self.wrong.errors, [])

    def test_insecure_skip_verify_works_and_is_logged(self):
        self.assert_lands_in_moto("fr", "fr-par-st-1")
        log = self.gw.read_log()
        self.assertIn("fr-par-st-1: TLS CERTIFICATE VERIFICATION IS OFF", log)
        self.assertNotIn("fi-hel-st-1: TLS CERTIFICATE VERIFICATION IS OFF", log)

    def test_credentials_file_keys_sign_the_requests(self):
        self.moto.recorder("reset-recording")
        self.moto.recorder("start-recording")
        try:
            _, backend, _ = self.assert_lands_in_moto("fi-hel-uc-1", "fi-hel-uc-1", size=1000)
            _, env_backend, _ = self.assert_lands_in_moto("fi-hel-st-1", "fi-hel-st-1", size=1000)
        finally:
            self.moto.recorder("stop-recording")
        credentials = {}  # backend bucket -> access key ids that signed requests to it
        for line in self.moto.recorder("download-recording").splitlines():
            entry = json.loads(line)
            auth = {k.lower(): v for k, v in entry["headers"].items()}.get("authorization", "")
            if "Credential=" not in auth:
                continue
            key_id = auth.split("Credential=")[1].split("/")[0]
            if key_id == "moto":
                continue  # this test's own client, checking what landed
            path = entry["url"].split("://", 1)[1].split("/", 2)
            if len(path) > 1 and path[1]:
                credentials.setdefault(path[1].split("?")[0], set()).add(key_id)
        self.assertEqual(credentials.get(backend), {FILE_KEY})  # the [gateway] profile
        self.assertEqual(credentials.get(env_backend), {ENV_KEY})
        self.assertIn("keys from " + os.path.join(self.config_dir, "credentials") + " [gateway]",
                      self.gw.read_log())

    def test_zz_no_secret_in_the_log(self):  # last: after every other test wrote its lines
        log = self.gw.read_log()
        for secret in (ENV_SECRET, FILE_SECRET, "nope"):
            self.assertNotIn(secret, log)


@requires_tool("moto_server", "openssl")
class CredentialsFileStartupTest(unittest.TestCase):
    """A credentials file others can read, or one without the profile, stops the start-up
    with a message naming the zone and the file, and never the secret."""

    @classmethod
    def setUpClass(cls):
        cls.pg = PostgresCluster().start()

    @classmethod
    def tearDownClass(cls):
        cls.pg.stop()

    def start_fails(self, content, mode, profile=None):
        d = tempfile.mkdtemp(prefix="s3gw-creds-")
        try:
            with open(os.path.join(CONFIG_DIR, "s3_backends.json")) as f:
                config = json.load(f)
            for p in config["providers"]:
                if (p["country"], p["id"]) == ("fi", "st"):
                    creds = {"file": "credentials"}
                    if profile:
                        creds["profile"] = profile
                    p.update({"type": "s3", "endpoint": "https://127.0.0.1:9",
                              "credentials": creds})
            with open(os.path.join(d, "s3_backends.json"), "w") as f:
                json.dump(config, f)
            path = os.path.join(d, "credentials")
            with open(path, "w") as f:
                f.write(content)
            os.chmod(path, mode)
            gw = Gateway(self.pg, env={"S3GW_CONFIG_DIR": d, "S3GW_HEALTH_INTERVAL": "0"})
            with self.assertRaises(RuntimeError) as cm:
                gw.start()
            gw.stop()  # closes its log
            shutil.rmtree(gw.dir, ignore_errors=True)
            return str(cm.exception)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_world_readable_file_is_refused(self):
        msg = self.start_fails(f"[default]\naws_access_key_id = A\n"
                               f"aws_secret_access_key = {FILE_SECRET}\n", 0o644)
        self.assertIn("zone fi-hel-st-1: credentials file", msg)
        self.assertIn("chmod 600", msg)
        self.assertNotIn(FILE_SECRET, msg)

    def test_missing_profile_is_refused(self):
        msg = self.start_fails(f"[default]\naws_access_key_id = A\n"
                               f"aws_secret_access_key = {FILE_SECRET}\n", 0o600,
                               profile="storj")
        self.assertIn("no profile [storj] (sections: default)", msg)
        self.assertNotIn(FILE_SECRET, msg)


if __name__ == "__main__":
    unittest.main()
