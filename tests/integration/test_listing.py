"""Listing: 1000+ keys with '/', non-ASCII characters, spaces, '+' and '%' list back complete
and in bytewise (UTF-8) order through every kind of pagination S3 clients use."""
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import requests
from botocore.exceptions import ClientError

from harness import start_stack

S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
DIRS = 25


def make_keys():
    keys = []
    for i in range(1000):
        d = f"dir-{i % DIRS:03d}/"
        kind = i % 5
        if kind == 0:
            keys.append(f"{d}ä-€-{i}")
        elif kind == 1:
            keys.append(f"{d}with space {i}.txt")
        elif kind == 2:
            keys.append(f"{d}plus+{i}")
        elif kind == 3:
            keys.append(f"{d}pct%{i}%20x")
        else:
            keys.append(f"{d}sub/ö{i}/leaf")
    # Keys that probe the ordering and the delimiter logic:
    keys += [
        "dir-001-sibling",      # '-' (0x2D) sorts before '/' (0x2F): before every dir-001/ key
        "dir-001.dot",          # '.' (0x2E) also before '/'
        "dir-0010",             # '0' (0x30) after '/'
        "top-level é",
        "top+plus",
        "\uff21-fullwidth",     # EF BC A1: before the emoji bytewise, after it in UTF-16
        "\U0001F600-emoji",     # F0 9F 98 80
        "zz/a&b<c>'\"",         # XML special characters
        "dir-003/sub/",         # a key that equals a common prefix
        "~tilde",
    ]
    return keys


KEYS = make_keys()
SORTED = sorted(KEYS, key=lambda k: k.encode("utf-8"))


def rollup(keys, prefix, delimiter):
    """The expected (contents, common prefixes) of a complete listing."""
    contents, prefixes = [], []
    for k in sorted(keys, key=lambda k: k.encode("utf-8")):
        if not k.startswith(prefix):
            continue
        rest = k[len(prefix):]
        pos = rest.find(delimiter) if delimiter else -1
        if pos >= 0:
            cp = prefix + rest[:pos + len(delimiter)]
            if not prefixes or prefixes[-1] != cp:
                prefixes.append(cp)
        else:
            contents.append(k)
    return contents, prefixes


def b(s):
    return s.encode("utf-8")


class ListingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg, cls.gw = start_stack()
        cls.s3 = cls.gw.client(max_pool_connections=16)
        cls.ep = cls.gw.endpoint
        cls.bucket = "listing-bucket"
        cls.s3.create_bucket(Bucket=cls.bucket)

        def put(key):
            cls.s3.put_object(Bucket=cls.bucket, Key=key, Body=key.encode("utf-8"))

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(put, KEYS))

    @classmethod
    def tearDownClass(cls):
        cls.gw.cleanup()
        cls.pg.stop()

    # --- helpers ------------------------------------------------------------------------

    def assert_bytewise_sorted(self, items):
        encoded = [b(x) for x in items]
        self.assertEqual(encoded, sorted(encoded))
        self.assertEqual(len(set(encoded)), len(encoded), "duplicates")

    def walk_v2(self, **kwargs):
        """Every page of a ListObjectsV2 walk driven by continuation tokens."""
        pages = []
        token = None
        while True:
            args = dict(kwargs)
            if token:
                args["ContinuationToken"] = token
            page = self.s3.list_objects_v2(Bucket=self.bucket, **args)
            pages.append(page)
            if token:
                self.assertEqual(page["ContinuationToken"], token)
            n = len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
            self.assertEqual(page["KeyCount"], n)
            if "MaxKeys" in kwargs:
                self.assertLessEqual(n, kwargs["MaxKeys"])
            if not page["IsTruncated"]:
                self.assertNotIn("NextContinuationToken", page)
                return pages
            self.assertGreater(n, 0, "a truncated page must make progress")
            token = page["NextContinuationToken"]
            self.assertLess(len(pages), 2000, "pagination does not end")

    def walk_v1(self, **kwargs):
        pages = []
        marker = None
        while True:
            args = dict(kwargs)
            if marker is not None:
                args["Marker"] = marker
            page = self.s3.list_objects(Bucket=self.bucket, **args)
            pages.append(page)
            n = len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
            if "MaxKeys" in kwargs:
                self.assertLessEqual(n, kwargs["MaxKeys"])
            if not page["IsTruncated"]:
                return pages
            self.assertGreater(n, 0)
            if "Delimiter" in kwargs:
                self.assertIn("NextMarker", page)  # S3 returns it when a delimiter is given
            # What SDKs do: NextMarker when present, else the last key.
            marker = page.get("NextMarker") or page["Contents"][-1]["Key"]
            self.assertLess(len(pages), 2000)

    def flatten(self, pages):
        keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
        prefixes = [c["Prefix"] for p in pages for c in p.get("CommonPrefixes", [])]
        return keys, prefixes

    def check_page_order(self, pages):
        """Entries (keys and prefixes together) ascend across page boundaries."""
        last = None
        for p in pages:
            entries = [o["Key"] for o in p.get("Contents", [])] + \
                      [c["Prefix"] for c in p.get("CommonPrefixes", [])]
            entries.sort(key=b)
            if entries and last is not None:
                self.assertLess(b(last), b(entries[0]))
            if entries:
                last = entries[-1]

    def raw_list(self, **params):
        r = requests.get(f"{self.ep}/{self.bucket}", params=params)
        self.assertEqual(r.status_code, 200, r.text)
        return r, ET.fromstring(r.content)

    # --- complete listings --------------------------------------------------------------

    def test_all_keys_uploaded(self):
        self.assertEqual(len(KEYS), len(set(KEYS)))
        self.assertGreaterEqual(len(KEYS), 1000)
        self.assertEqual(int(self.gw.sql("SELECT count(*) FROM objects")), len(KEYS))

    def test_v2_pagination_complete_and_ordered(self):
        pages = self.walk_v2(MaxKeys=37)
        keys, prefixes = self.flatten(pages)
        self.assertEqual(prefixes, [])
        self.assertEqual(keys, SORTED)
        self.assertEqual(len(pages), -(-len(KEYS) // 37))
        for p in pages[:-1]:
            self.assertEqual(p["KeyCount"], 37)
            self.assertTrue(p["IsTruncated"])

    def test_v1_pagination_complete_and_ordered(self):
        pages = self.walk_v1(MaxKeys=37)
        keys, prefixes = self.flatten(pages)
        self.assertEqual(prefixes, [])
        self.assertEqual(keys, SORTED)

    def test_sizes_and_etags_in_listing(self):
        import hashlib
        page = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="dir-007/")
        self.assertTrue(page["Contents"])
        for o in page["Contents"]:
            body = b(o["Key"])
            self.assertEqual(o["Size"], len(body))
            self.assertEqual(o["ETag"], f'"{hashlib.md5(body).hexdigest()}"')
            self.assertEqual(o["StorageClass"], "STANDARD")

    def test_default_page_is_1000_and_max_keys_is_capped(self):
        self.assertGreater(len(KEYS), 1000)
        for kwargs in ({}, {"MaxKeys": 5000}):
            page = self.s3.list_objects_v2(Bucket=self.bucket, **kwargs)
            self.assertEqual(page["KeyCount"], 1000)
            self.assertTrue(page["IsTruncated"])
            self.assertEqual([o["Key"] for o in page["Contents"]], SORTED[:1000])
            page = self.s3.list_objects(Bucket=self.bucket, **kwargs)
            self.assertEqual(len(page["Contents"]), 1000)
            self.assertTrue(page["IsTruncated"])

    # --- delimiter ----------------------------------------------------------------------

    def test_v2_delimiter_pagination(self):
        want_keys, want_prefixes = rollup(KEYS, "", "/")
        self.assertIn("dir-000/", want_prefixes)
        for page_size in (1, 7, 37):
            with self.subTest(page_size=page_size):
                pages = self.walk_v2(MaxKeys=page_size, Delimiter="/")
                keys, prefixes = self.flatten(pages)
                self.assertEqual(keys, want_keys)
                self.assertEqual(prefixes, want_prefixes)  # no duplicates across pages
                self.check_page_order(pages)
                for p in pages:
                    self.assertEqual(p["Delimiter"], "/")

    def test_v1_delimiter_pagination(self):
        want_keys, want_prefixes = rollup(KEYS, "", "/")
        for page_size in (1, 7, 37):
            with self.subTest(page_size=page_size):
                pages = self.walk_v1(MaxKeys=page_size, Delimiter="/")
                keys, prefixes = self.flatten(pages)
                self.assertEqual(keys, want_keys)
                self.assertEqual(prefixes, want_prefixes)
                self.check_page_order(pages)

    def test_prefix_and_delimiter(self):
        for prefix in ("dir-003/", "dir-003/sub/", "dir-001", "dir-00", "zz/", "dir-004/sub/ö"):
            want_keys, want_prefixes = rollup(KEYS, prefix, "/")
            with self.subTest(prefix=prefix):
                pages = self.walk_v2(Prefix=prefix, Delimiter="/", MaxKeys=5)
                keys, prefixes = self.flatten(pages)
                self.assertEqual(keys, want_keys)
                self.assertEqual(prefixes, want_prefixes)
                self.assertTrue(keys or prefixes)
                for p in pages:
                    self.assertEqual(p["Prefix"], prefix)
                v1 = self.walk_v1(Prefix=prefix, Delimiter="/", MaxKeys=5)
                self.assertEqual(self.flatten(v1), (want_keys, want_prefixes))
        # Spot checks of the expectation itself.
        keys, prefixes = rollup(KEYS, "dir-003/", "/")
        self.assertEqual(prefixes, ["dir-003/sub/"])
        self.assertNotIn("dir-003/sub/", keys)
        keys, prefixes = rollup(KEYS, "dir-001", "/")
        self.assertEqual(keys, ["dir-001-sibling", "dir-001.dot", "dir-0010"])
        self.assertEqual(prefixes, ["dir-001/"])

    def test_other_delimiters(self):
        for delimiter in ("-", "€", "sub/"):
            want_keys, want_prefixes = rollup(KEYS, "", delimiter)
            with self.subTest(delimiter=delimiter):
                pages = self.walk_v2(Delimiter=delimiter, MaxKeys=11)
                self.assertEqual(self.flatten(pages), (want_keys, want_prefixes))

    # --- prefix, start-after ------------------------------------------------------------

    def test_prefix_filters(self):
        for prefix in ("dir-01", "dir-000/ä", "dir-002/plus+", "dir-003/pct%", "dir-004/with space",
                       "top", "\U0001F600", "nothing-here", "dir-024/sub/ö"):
            with self.subTest(prefix=prefix):
                want = [k for k in SORTED if k.startswith(prefix)]
                pages = self.walk_v2(Prefix=prefix, MaxKeys=13)
                keys, _ = self.flatten(pages)
                self.assertEqual(keys, want)
                self.assertEqual(self.flatten(self.walk_v1(Prefix=prefix, MaxKeys=13))[0], want)
        page = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="nothing-here")
        self.assertEqual(page["KeyCount"], 0)
        self.assertFalse(page["IsTruncated"])
        self.assertNotIn("Contents", page)

    def test_start_after(self):
        for start_after in (SORTED[0], SORTED[500], SORTED[-2], SORTED[-1], "dir-010/zzz",
                            "a", "\uffff"):
            with self.subTest(start_after=start_after):
                want = [k for k in SORTED if b(k) > b(start_after)]
                pages = self.walk_v2(StartAfter=start_after, MaxKeys=97)
                self.assertEqual(self.flatten(pages)[0], want)
                self.assertEqual(pages[0]["StartAfter"], start_after)
        # With a prefix: start-after before the prefix lists the whole prefix.
        want = [k for k in SORTED if k.startswith("dir-005/")]
        self.assertEqual(self.flatten(self.walk_v2(Prefix="dir-005/", StartAfter="a"))[0], want)
        # Start-after inside the prefix.
        start = want[10]
        self.assertEqual(self.flatten(self.walk_v2(Prefix="dir-005/", StartAfter=start))[0],
                         want[11:])
        # Past the prefix: nothing.
        self.assertEqual(self.flatten(self.walk_v2(Prefix="dir-005/", StartAfter="dir-006"))[0], [])

    def test_marker(self):
        for marker in (SORTED[3], SORTED[700], "dir-0", "zzzz"):
            with self.subTest(marker=marker):
                page = self.s3.list_objects(Bucket=self.bucket, Marker=marker, MaxKeys=50)
                want = [k for k in SORTED if b(k) > b(marker)][:50]
                self.assertEqual([o["Key"] for o in page.get("Contents", [])], want)
                self.assertEqual(page["Marker"], marker)

    def test_delimiter_with_marker_at_common_prefix(self):
        # A v1 client resuming from NextMarker = "dir-004/" continues after that prefix.
        page = self.s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker="dir-004/")
        prefixes = [c["Prefix"] for c in page.get("CommonPrefixes", [])]
        self.assertNotIn("dir-004/", prefixes)
        self.assertEqual(prefixes[0], "dir-005/")

    # --- max-keys=0, encoding -----------------------------------------------------------

    def test_max_keys_zero(self):
        for fn in (self.s3.list_objects_v2, self.s3.list_objects):
            with self.subTest(fn=fn.__name__):
                page = fn(Bucket=self.bucket, MaxKeys=0)
                self.assertEqual(page["MaxKeys"], 0)
                self.assertNotIn("Contents", page)
                self.assertNotIn("CommonPrefixes", page)
                self.assertEqual(page.get("KeyCount", 0), 0)
                page = fn(Bucket=self.bucket, MaxKeys=0, Delimiter="/")
                self.assertNotIn("Contents", page)
                self.assertNotIn("CommonPrefixes", page)

    def test_bad_parameters(self):
        for params in ({"list-type": "2", "max-keys": "-1"}, {"list-type": "2", "max-keys": "x"},
                       {"list-type": "2", "continuation-token": "not-a-token"},
                       {"list-type": "2", "encoding-type": "base64"}):
            with self.subTest(params=params):
                r = requests.get(f"{self.ep}/{self.bucket}", params=params)
                self.assertEqual(r.status_code, 400)
                self.assertEqual(ET.fromstring(r.content).find("Code").text, "InvalidArgument")

    def test_encoding_type_url_with_boto3(self):
        # boto3 asks for url encoding on its own and decodes: '+', spaces, '%' round-trip.
        for prefix in ("dir-002/plus+", "dir-001/with space", "dir-003/pct%", "top"):
            with self.subTest(prefix=prefix):
                want = [k for k in SORTED if k.startswith(prefix)]
                got = [o["Key"] for o in
                       self.s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix)["Contents"]]
                self.assertEqual(got, want)
                self.assertTrue(got)
                body = self.s3.get_object(Bucket=self.bucket, Key=got[0])["Body"].read()
                self.assertEqual(body, b(got[0]))
        # Asked for explicitly, boto3 leaves the values encoded: decoding them gives the keys.
        page = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="dir-002/", EncodingType="url",
                                       Delimiter="/")
        self.assertEqual(page["EncodingType"], "url")
        got = [urllib.parse.unquote(o["Key"]) for o in page["Contents"]]
        self.assertEqual(got, rollup(KEYS, "dir-002/", "/")[0])
        self.assertTrue(all("+" not in o["Key"] and " " not in o["Key"] for o in page["Contents"]))

    def test_encoding_type_url_raw_xml(self):
        r, root = self.raw_list(**{"list-type": "2", "prefix": "dir-002/plus+",
                                   "encoding-type": "url"})
        self.assertEqual(root.find(f"{S3NS}EncodingType").text, "url")
        self.assertEqual(root.find(f"{S3NS}Prefix").text, "dir-002/plus%2B")
        keys = [k.text for k in root.iter(f"{S3NS}Key")]
        self.assertTrue(keys)
        for k in keys:
            self.assertTrue(k.startswith("dir-002/plus%2B"), k)
            self.assertNotIn("+", k)
        self.assertEqual([urllib.parse.unquote(k) for k in keys],
                         [k for k in SORTED if k.startswith("dir-002/plus+")])

        # Non-ASCII as percent-encoded UTF-8, '/' left alone, spaces and '%' encoded.
        _, root = self.raw_list(**{"prefix": "dir-000/", "encoding-type": "url", "max-keys": "1000"})
        keys = [k.text for k in root.iter(f"{S3NS}Key")]
        self.assertIn("dir-000/%C3%A4-%E2%82%AC-0", keys)
        self.assertTrue(all(k.isascii() and " " not in k for k in keys))
        _, root = self.raw_list(**{"prefix": "dir-003/pct", "encoding-type": "url"})
        for k in (k.text for k in root.iter(f"{S3NS}Key")):
            self.assertTrue(k.startswith("dir-003/pct%25"), k)
        _, root = self.raw_list(**{"prefix": "dir-001/with", "encoding-type": "url"})
        for k in (k.text for k in root.iter(f"{S3NS}Key")):
            self.assertTrue(k.startswith("dir-001/with%20space") or k.startswith("dir-001/with+space"), k)

        # CommonPrefixes and Delimiter are encoded too.
        _, root = self.raw_list(**{"delimiter": "€", "encoding-type": "url", "prefix": "dir-000/"})
        self.assertEqual(root.find(f"{S3NS}Delimiter").text, "%E2%82%AC")
        cps = [p.find(f"{S3NS}Prefix").text for p in root.iter(f"{S3NS}CommonPrefixes")]
        self.assertTrue(cps)
        self.assertTrue(all(p.endswith("%E2%82%AC") for p in cps), cps)

    def test_raw_xml_without_encoding(self):
        # Without encoding-type the keys are plain UTF-8 text, XML-escaped where needed.
        r, root = self.raw_list(**{"list-type": "2", "prefix": "zz/"})
        self.assertIn(b"&amp;", r.content)
        self.assertIn(b"&lt;", r.content)
        self.assertEqual([k.text for k in root.iter(f"{S3NS}Key")], ["zz/a&b<c>'\""])
        self.assertIsNone(root.find(f"{S3NS}EncodingType"))
        _, root = self.raw_list(**{"list-type": "2", "prefix": "dir-002/plus+"})
        keys = [k.text for k in root.iter(f"{S3NS}Key")]
        self.assertEqual(keys, [k for k in SORTED if k.startswith("dir-002/plus+")])
        _, root = self.raw_list(**{"prefix": "\U0001F600"})
        self.assertEqual([k.text for k in root.iter(f"{S3NS}Key")], ["\U0001F600-emoji"])

    def test_bytewise_order_of_non_ascii(self):
        keys = [o["Key"] for p in self.walk_v2(MaxKeys=1000) for o in p.get("Contents", [])]
        self.assert_bytewise_sorted(keys)
        # U+FF21 sorts before U+1F600 by UTF-8 bytes (not by UTF-16 code units).
        self.assertLess(keys.index("\uff21-fullwidth"), keys.index("\U0001F600-emoji"))
        self.assertLess(keys.index("dir-001-sibling"), keys.index("dir-001.dot"))
        self.assertLess(keys.index("dir-001.dot"), keys.index(
            next(k for k in SORTED if k.startswith("dir-001/"))))
        self.assertLess(keys.index("~tilde"), keys.index("\uff21-fullwidth"))

    # --- paginators ---------------------------------------------------------------------

    def test_boto3_paginators(self):
        p = self.s3.get_paginator("list_objects_v2")
        keys = [o["Key"] for page in p.paginate(Bucket=self.bucket, PaginationConfig={"PageSize": 100})
                for o in page.get("Contents", [])]
        self.assertEqual(keys, SORTED)

        want_keys, want_prefixes = rollup(KEYS, "", "/")
        result = p.paginate(Bucket=self.bucket, Delimiter="/", PaginationConfig={"PageSize": 3})
        keys, prefixes = [], []
        for page in result:
            keys += [o["Key"] for o in page.get("Contents", [])]
            prefixes += [c["Prefix"] for c in page.get("CommonPrefixes", [])]
        self.assertEqual((keys, prefixes), (want_keys, want_prefixes))

        p1 = self.s3.get_paginator("list_objects")
        keys = [o["Key"] for page in p1.paginate(Bucket=self.bucket, PaginationConfig={"PageSize": 77})
                for o in page.get("Contents", [])]
        self.assertEqual(keys, SORTED)
        keys, prefixes = [], []
        for page in p1.paginate(Bucket=self.bucket, Delimiter="/", Prefix="dir-00",
                                PaginationConfig={"PageSize": 2}):
            keys += [o["Key"] for o in page.get("Contents", [])]
            prefixes += [c["Prefix"] for c in page.get("CommonPrefixes", [])]
        self.assertEqual((keys, prefixes), rollup(KEYS, "dir-00", "/"))

    def test_listing_reflects_deletes_and_overwrites(self):
        bucket = f"small-{uuid.uuid4().hex[:8]}"
        self.s3.create_bucket(Bucket=bucket)
        for k in ("a", "b/1", "b/2", "c"):
            self.s3.put_object(Bucket=bucket, Key=k, Body=b"1")
        self.s3.put_object(Bucket=bucket, Key="a", Body=b"longer")
        self.s3.delete_object(Bucket=bucket, Key="b/1")
        page = self.s3.list_objects_v2(Bucket=bucket)
        self.assertEqual([(o["Key"], o["Size"]) for o in page["Contents"]],
                         [("a", 6), ("b/2", 1), ("c", 1)])
        self.s3.delete_object(Bucket=bucket, Key="b/2")
        page = self.s3.list_objects_v2(Bucket=bucket, Delimiter="/")
        self.assertNotIn("CommonPrefixes", page)
        with self.assertRaises(ClientError):
            self.s3.list_objects_v2(Bucket=bucket + "-missing")


if __name__ == "__main__":
    unittest.main()
