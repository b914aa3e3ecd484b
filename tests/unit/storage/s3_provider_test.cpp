// S3Provider against a real moto_server on a loopback port (skipped when moto_server is not on
// PATH, failed then with CI set). moto accepts any credentials and does not check SigV4
// signatures unless configured for IAM auth, so these tests cover the protocol, not the
// signature; the signer itself is checked against botocore in tests/unit/auth.
#include "storage/s3_provider.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "../require_tool.h"
#include "storage/s3_xml.h"
#include "util/random.h"

namespace s3gw::storage {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::uint16_t free_port() {
  asio::io_context ioc;
  tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

bool on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string p = path;
  for (std::size_t start = 0; start <= p.size();) {
    const auto end = std::min(p.find(':', start), p.size());
    const auto dir = p.substr(start, end - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

bool answers(std::uint16_t port) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

// Deterministic bytes that differ at every offset a part boundary could land on.
std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

class S3ProviderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!on_path("moto_server")) return;
    port_ = free_port();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      const std::string port = std::to_string(port_);
      // Quiet: moto logs every request to stderr.
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !answers(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      // A moto_server that died mid-suite (not by our SIGTERM) failed the requests sent to it.
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        ADD_FAILURE() << "moto_server exited before the end of the suite (status " << status << ")";
      } else {
        ::kill(-pid_, SIGTERM);
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, &status, 0);
      }
      pid_ = -1;
    }
  }

  void SetUp() override {
    S3GW_REQUIRE_TOOL(pid_ > 0,
                      "moto_server is not on PATH: install moto with its server extras in the "
                      "Python on PATH (pip install 'moto[server]'; Debian 12 has no package of "
                      "it)");
    ASSERT_TRUE(answers(port_)) << "moto_server did not start";
    bucket_ = "s3gw-" + util::random_hex(4) + "-test";
    provider_ = make_provider(port_);
    EXPECT_EQ(run(provider_->ensure_bucket(bucket_)), BucketCreation::kCreated);
  }

  std::unique_ptr<S3Provider> make_provider(std::uint16_t port, std::size_t part_size = 5 << 20) {
    S3ProviderConfig c;
    c.zone_id = "zz-test-mo-1";
    c.endpoint = "http://127.0.0.1:" + std::to_string(port);
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = "secret";
    c.part_size = part_size;
    c.connect_timeout = std::chrono::milliseconds(1000);
    c.io_timeout = std::chrono::milliseconds(10000);
    c.retry.base_delay = std::chrono::milliseconds(10);
    return std::make_unique<S3Provider>(c);
  }

  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ioc_, std::move(aw), asio::use_future);
    ioc_.run();
    ioc_.restart();
    return fut.get();
  }

  asio::awaitable<int> put(std::string key, std::string data, std::size_t chunk) {
    auto w = co_await provider_->create_blob(bucket_, key);
    for (std::size_t off = 0; off < data.size(); off += chunk) {
      co_await w->write(
          std::span<const char>(data).subspan(off, std::min(chunk, data.size() - off)));
    }
    co_await w->commit();
    co_return 0;
  }

  asio::awaitable<std::string> get(std::string key, std::uint64_t off, std::uint64_t len) {
    auto src = co_await provider_->open_blob(bucket_, key, off, len);
    std::string out;
    std::vector<char> buf(64 * 1024 + 3);
    for (;;) {
      boost::system::error_code ec;
      auto n = co_await src->read(asio::buffer(buf), ec);
      if (ec) throw boost::system::system_error(ec);
      if (n == 0) break;
      out.append(buf.data(), n);
    }
    co_return out;
  }

  // Multipart uploads in progress in the test bucket (ListMultipartUploads, raw).
  std::size_t uploads_in_progress() {
    return run([&]() -> asio::awaitable<std::size_t> {
      S3Call call;
      call.bucket = bucket_;
      call.query = "uploads=";
      auto r = co_await provider_->client().call(call);
      boost::system::error_code ec;
      const std::string body = co_await r->read_all(1 << 20, ec);
      co_return parse_upload_listing(body).uploads.size();
    }());
  }

  StorageError::Kind head_error(const std::string& key) {
    try {
      run(provider_->head_blob(bucket_, key));
    } catch (const StorageError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "blob " << key << " exists";
    return StorageError::Kind::kIo;
  }

  static inline pid_t pid_ = -1;
  static inline std::uint16_t port_ = 0;
  asio::io_context ioc_;
  std::string bucket_;
  std::unique_ptr<S3Provider> provider_;
};

TEST_F(S3ProviderTest, EnsureBucketTwiceSucceeds) {
  const auto again = run(provider_->ensure_bucket(bucket_));
  EXPECT_TRUE(again == BucketCreation::kExisted || again == BucketCreation::kCreated);
}

TEST_F(S3ProviderTest, SmallBlobsRoundTrip) {
  for (std::size_t size : {0u, 1u, 1024u}) {
    const std::string key = "blob-" + std::to_string(size);
    const std::string data = pattern(size, static_cast<unsigned>(size));
    run(put(key, data, 100));
    const BlobInfo info = run(provider_->head_blob(bucket_, key));
    EXPECT_EQ(info.size, size);
    EXPECT_FALSE(info.etag.empty());
    EXPECT_EQ(run(get(key, 0, size)), data) << size;
  }
}

TEST_F(S3ProviderTest, MultipartBlobRoundTripsAndReadsInRanges) {
  const std::size_t size = 11 * 1024 * 1024 + 17;  // three parts of 5 MiB at most
  const std::string data = pattern(size, 7);
  run(put("big", data, 1024 * 1024 + 7));
  EXPECT_EQ(run(provider_->head_blob(bucket_, "big")).size, size);
  const std::string whole = run(get("big", 0, size));
  EXPECT_TRUE(whole == data) << "multipart blob differs";
  const std::uint64_t boundary = 5 * 1024 * 1024;
  EXPECT_EQ(run(get("big", boundary - 10, 20)), data.substr(boundary - 10, 20));
  EXPECT_EQ(run(get("big", size - 5, 5)), data.substr(size - 5));
  EXPECT_EQ(run(get("big", 3, 0)), "");
  EXPECT_EQ(uploads_in_progress(), 0u);
}

TEST_F(S3ProviderTest, KeysAreEncodedAsSigV4Wants) {
  const std::string key = "dir/sub dir/ä+%?#=&~.bin";
  run(put(key, "odd", 3));
  EXPECT_EQ(run(get(key, 0, 3)), "odd");
  EXPECT_EQ(run(get(key, 1, 2)), "dd");
}

TEST_F(S3ProviderTest, MissingBlobIsNotFound) {
  EXPECT_EQ(head_error("absent"), StorageError::Kind::kNotFound);
  try {
    run(get("absent", 0, 10));
    ADD_FAILURE() << "no error";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.kind(), StorageError::Kind::kNotFound) << e.what();
  }
}

TEST_F(S3ProviderTest, DeleteIsIdempotent) {
  run(put("gone", "x", 1));
  run(provider_->delete_blob(bucket_, "gone"));
  run(provider_->delete_blob(bucket_, "gone"));
  EXPECT_EQ(head_error("gone"), StorageError::Kind::kNotFound);
}

TEST_F(S3ProviderTest, DeleteBucketLeavesANonEmptyBucket) {
  run(put("keep", "x", 1));
  run(provider_->delete_bucket(bucket_));  // BucketNotEmpty: no error, bucket stays
  EXPECT_EQ(run(get("keep", 0, 1)), "x");
  run(provider_->delete_blob(bucket_, "keep"));
  run(provider_->delete_bucket(bucket_));
  run(provider_->delete_bucket(bucket_));  // already gone
  EXPECT_EQ(run(provider_->ensure_bucket(bucket_)), BucketCreation::kCreated);
}

TEST_F(S3ProviderTest, AbortLeavesNothing) {
  const std::string data = pattern(6 * 1024 * 1024, 3);  // one part uploaded, then abort
  run([&]() -> asio::awaitable<int> {
    auto w = co_await provider_->create_blob(bucket_, "aborted");
    co_await w->write(data);
    co_await w->abort();
    auto small = co_await provider_->create_blob(bucket_, "aborted-small");
    co_await small->write(std::span<const char>("abc", 3));
    co_await small->abort();
    co_return 0;
  }());
  EXPECT_EQ(head_error("aborted"), StorageError::Kind::kNotFound);
  EXPECT_EQ(head_error("aborted-small"), StorageError::Kind::kNotFound);
  EXPECT_EQ(uploads_in_progress(), 0u);
}

TEST_F(S3ProviderTest, WriterDestroyedWithoutCommitLeavesNothing) {
  const std::string data = pattern(6 * 1024 * 1024, 4);
  run([&]() -> asio::awaitable<int> {
    auto w = co_await provider_->create_blob(bucket_, "abandoned");
    co_await w->write(data);
    auto small = co_await provider_->create_blob(bucket_, "abandoned-small");
    co_await small->write(std::span<const char>("abc", 3));
    co_return 0;  // both destroyed here; the multipart one is aborted in the background
  }());
  EXPECT_EQ(head_error("abandoned"), StorageError::Kind::kNotFound);
  EXPECT_EQ(head_error("abandoned-small"), StorageError::Kind::kNotFound);
  EXPECT_EQ(uploads_in_progress(), 0u);
}

TEST_F(S3ProviderTest, SweepAbortsOldUploads) {
  // Start an upload and leave it (the writer is kept alive so nothing aborts it).
  std::unique_ptr<BlobWriter> kept;
  const std::string data = pattern(5 * 1024 * 1024, 5);
  run([&]() -> asio::awaitable<int> {
    kept = co_await provider_->create_blob(bucket_, "stale");
    co_await kept->write(data);
    co_return 0;
  }());
  ASSERT_EQ(uploads_in_progress(), 1u);
  // moto reports every upload as initiated on 2010-11-10, so a fresh one is "old" there;
  // that a young upload is kept rests on the Initiated parsing tested in S3Xml.
  EXPECT_EQ(run(provider_->sweep_abandoned_uploads(std::chrono::hours(1))), 1u);
  EXPECT_EQ(uploads_in_progress(), 0u);
  EXPECT_EQ(run(provider_->sweep_abandoned_uploads(std::chrono::hours(1))), 0u);
  run(kept->abort());  // NoSuchUpload by now: still fine
}

TEST_F(S3ProviderTest, ManySmallReadsWork) {
  run(put("small", "hello", 5));
  for (int i = 0; i < 50; ++i) ASSERT_EQ(run(get("small", 1, 3)), "ell");
}

TEST_F(S3ProviderTest, ProviderDownIsUnavailable) {
  auto down = make_provider(free_port());  // nothing listens there
  const auto start = std::chrono::steady_clock::now();
  auto expect_unavailable = [&](auto aw) {
    try {
      run(std::move(aw));
      ADD_FAILURE() << "no error";
    } catch (const StorageError& e) {
      EXPECT_EQ(e.kind(), StorageError::Kind::kUnavailable) << e.what();
    }
  };
  expect_unavailable(down->ensure_bucket("s3gw-00000000-down"));
  expect_unavailable(down->open_blob("s3gw-00000000-down", "k", 0, 10));
  expect_unavailable([&]() -> asio::awaitable<int> {
    auto w = co_await down->create_blob("s3gw-00000000-down", "k");
    co_await w->write(std::span<const char>("abc", 3));
    co_await w->commit();
    co_return 0;
  }());
  // The retries end: a generous bound (refused connections fail at once), not a speed check.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

asio::awaitable<StoredPart> write_part(Provider& p, std::string bucket, std::string key,
                                       std::string upload, int n, std::string data,
                                       std::size_t chunk) {
  auto w = co_await p.create_part(bucket, key, upload, n, data.size());
  for (std::size_t off = 0; off < data.size(); off += chunk) {
    co_await w->write(std::span<const char>(data).subspan(off, std::min(chunk, data.size() - off)));
  }
  co_await w->commit();
  co_return w->stored();
}

TEST_F(S3ProviderTest, ClientMultipartMapsPartsOneToOne) {
  // part_size is 5 MiB here: part 1 (6 MiB) goes through a staging blob and UploadPartCopy,
  // part 2 (5 MiB) and part 3 (small, last) are sent from memory. Out of order.
  const std::string key = util::random_hex(16) + std::string(kMultipartBlobSuffix);
  const std::string p1 = pattern(6 * 1024 * 1024, 11);
  const std::string p2 = pattern(5 * 1024 * 1024, 12);
  const std::string p3 = pattern(1000, 13);
  const std::string upload = run(provider_->begin_multipart(bucket_, key));
  ASSERT_FALSE(upload.empty());
  const StoredPart s3p = run(write_part(*provider_, bucket_, key, upload, 3, p3, 100));
  const StoredPart s1 = run(write_part(*provider_, bucket_, key, upload, 1, p1, 1 << 20));
  const StoredPart s2 = run(write_part(*provider_, bucket_, key, upload, 2, p2, 300000));
  EXPECT_FALSE(s1.separate_blob);
  EXPECT_FALSE(s1.handle.empty());
  // Only the client's upload is in progress (the staging blob's own upload is done).
  EXPECT_EQ(uploads_in_progress(), 1u);
  run(provider_->complete_multipart(bucket_, key, upload,
                                    {{1, s1, p1.size()}, {2, s2, p2.size()}, {3, s3p, p3.size()}}));
  const std::string whole = p1 + p2 + p3;
  EXPECT_EQ(run(provider_->head_blob(bucket_, key)).size, whole.size());
  EXPECT_TRUE(run(get(key, 0, whole.size())) == whole);
  EXPECT_EQ(uploads_in_progress(), 0u);
  // Nothing else is left in the bucket: the staging blob went after its copy.
  const std::string listing = run([&]() -> asio::awaitable<std::string> {
    S3Call call;
    call.bucket = bucket_;
    call.query = "list-type=2";
    auto r = co_await provider_->client().call(call);
    boost::system::error_code ec;
    co_return co_await r->read_all(1 << 20, ec);
  }());
  EXPECT_EQ(listing.find("<Key>"), listing.rfind("<Key>")) << listing;
  EXPECT_NE(listing.find("<Key>" + key + "</Key>"), std::string::npos) << listing;
  // A repeated completion (its first reply lost) finds the blob and succeeds.
  run(provider_->complete_multipart(bucket_, key, upload,
                                    {{1, s1, p1.size()}, {2, s2, p2.size()}, {3, s3p, p3.size()}}));
}

TEST_F(S3ProviderTest, SweepLeavesClientMultipartUploadsAlone) {
  const std::string key = util::random_hex(16) + std::string(kMultipartBlobSuffix);
  const std::string upload = run(provider_->begin_multipart(bucket_, key));
  const std::string p1 = pattern(5 * 1024 * 1024, 21);
  const StoredPart s1 = run(write_part(*provider_, bucket_, key, upload, 1, p1, 1 << 20));
  ASSERT_EQ(uploads_in_progress(), 1u);
  // moto reports every upload as initiated in 2010: an ordinary one would be swept here.
  EXPECT_EQ(run(provider_->sweep_abandoned_uploads(std::chrono::hours(1))), 0u);
  EXPECT_EQ(run(provider_->sweep_bucket(bucket_, std::chrono::hours(1))), 0u);
  EXPECT_EQ(uploads_in_progress(), 1u);
  const StoredPart s2 = run(write_part(*provider_, bucket_, key, upload, 2, "tail", 4));
  run(provider_->complete_multipart(bucket_, key, upload, {{1, s1, p1.size()}, {2, s2, 4}}));
  EXPECT_EQ(run(get(key, p1.size() - 2, 6)), p1.substr(p1.size() - 2) + "tail");
}

TEST_F(S3ProviderTest, AbortedClientMultipartLeavesNothing) {
  const std::string key = util::random_hex(16) + std::string(kMultipartBlobSuffix);
  const std::string upload = run(provider_->begin_multipart(bucket_, key));
  run(write_part(*provider_, bucket_, key, upload, 1, pattern(1000, 5), 100));
  run(provider_->abort_multipart(bucket_, key, upload));
  run(provider_->abort_multipart(bucket_, key, upload));  // idempotent
  EXPECT_EQ(uploads_in_progress(), 0u);
  // A part for an aborted upload fails: NoSuchUpload (kNotFound) from S3; moto answers 500.
  EXPECT_THROW(run(write_part(*provider_, bucket_, key, upload, 2, "x", 1)), StorageError);
}

TEST(S3ClientTarget, PathAndVirtualHostAddressing) {
  S3ProviderConfig c;
  c.endpoint = "http://s3.example.com:9000/";
  S3Client path_style(c);
  auto t = path_style.target("bkt", "a b/c+d");
  EXPECT_EQ(t.host, "s3.example.com:9000");
  EXPECT_EQ(t.path, "/bkt/a%20b/c%2Bd");
  EXPECT_EQ(path_style.target("bkt", "").path, "/bkt");
  c.addressing = S3AddressingStyle::kVirtualHost;
  c.endpoint = "s3.example.com";
  S3Client vhost(c);
  t = vhost.target("bkt", "x/y");
  EXPECT_EQ(t.host, "bkt.s3.example.com");
  EXPECT_EQ(t.connect.port, 80);
  EXPECT_EQ(t.path, "/x/y");
  // https: TLS, port 443 unless given, and the Host field (signed) without the default port.
  c.endpoint = "https://s3.example.com";
  S3Client tls(c);
  t = tls.target("bkt", "k");
  EXPECT_TRUE(t.connect.tls);
  EXPECT_EQ(t.connect.port, 443);
  EXPECT_EQ(t.connect.host, "bkt.s3.example.com");  // also the SNI name and the checked name
  EXPECT_EQ(t.host, "bkt.s3.example.com");
  c.addressing = S3AddressingStyle::kPath;
  c.endpoint = "https://s3.example.com:8443";
  t = S3Client(c).target("bkt", "k");
  EXPECT_TRUE(t.connect.tls);
  EXPECT_EQ(t.host, "s3.example.com:8443");
  EXPECT_EQ(t.path, "/bkt/k");
  c.endpoint = "ftp://s3.example.com";
  EXPECT_THROW(S3Client{c}, std::invalid_argument);
  // A CA file that cannot be used stops the construction (a start-up error, not a 503 later).
  c.endpoint = "https://s3.example.com";
  c.tls.ca_file = "/nonexistent/ca.pem";
  EXPECT_THROW(S3Client{c}, std::runtime_error);
}

TEST(S3Xml, ParsesErrorsUploadsAndListings) {
  EXPECT_EQ(parse_s3_error("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code>"
                           "<Message>m</Message></Error>")
                .code,
            "NoSuchKey");
  EXPECT_EQ(parse_s3_error("not xml").code, "");
  EXPECT_EQ(parse_upload_id("<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/"
                            "2006-03-01/\"><Bucket>b</Bucket><UploadId>u-1</UploadId>"
                            "</InitiateMultipartUploadResult>"),
            "u-1");
  const auto l = parse_upload_listing(
      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k</NextKeyMarker>"
      "<Upload><Key>k</Key><UploadId>u</UploadId><Initiated>2024-05-01T10:00:00.000Z</Initiated>"
      "</Upload></ListMultipartUploadsResult>");
  ASSERT_EQ(l.uploads.size(), 1u);
  EXPECT_TRUE(l.truncated);
  EXPECT_EQ(util::to_unix_ms(*l.uploads[0].initiated), 1714557600000);
  EXPECT_EQ(complete_multipart_xml({"\"e1\""}),
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part>"
            "<PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

TEST(S3RetryPolicy, DelaysAreJitteredAndCapped) {
  S3RetryPolicy p;
  p.base_delay = std::chrono::milliseconds(100);
  p.max_delay = std::chrono::milliseconds(300);
  for (int i = 0; i < 100; ++i) {
    EXPECT_LE(p.delay(1).count(), 100);
    EXPECT_LE(p.delay(10).count(), 300);
    EXPECT_GE(p.delay(3).count(), 0);
  }
}

}  // namespace
}  // namespace s3gw::storage
