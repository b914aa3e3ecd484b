#include "storage/s3_provider.h"

#include <boost/asio/this_coro.hpp>
#include <charconv>

#include "auth/sigv4_signer.h"
#include "s3/uri_encode.h"
#include "storage/s3_blob_reader.h"
#include "storage/s3_blob_writer.h"
#include "storage/s3_multipart.h"
#include "storage/s3_part_writer.h"
#include "storage/s3_xml.h"
#include "util/log.h"

namespace s3gw::storage {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t kSmallBodyLimit = 1024 * 1024;  // error documents, upload listings

awaitable<std::string> read_small_body(http::ClientResponse& r, std::string_view what) {
  error_code ec;
  std::string body = co_await r.read_all(kSmallBodyLimit, ec);
  if (ec) {
    throw StorageError(StorageError::Kind::kUnavailable,
                       std::string(what) + ": reading the response: " + ec.message());
  }
  co_return body;
}

}  // namespace

namespace {

// One attempt with short timeouts: a probe reports what the provider does now; the health
// checker, not retries, decides how much one failure means.
S3ProviderConfig probe_config(S3ProviderConfig c) {
  c.connect_timeout = std::chrono::milliseconds(2000);
  c.io_timeout = std::chrono::milliseconds(3000);
  c.max_connections = 2;
  c.retry.attempts = 1;
  return c;
}

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace

S3Provider::S3Provider(S3ProviderConfig config)
    : client_(std::make_shared<S3Client>(config)),
      probe_client_(std::make_shared<S3Client>(probe_config(std::move(config)))) {
  const auto& c = client_->config();
  if (c.tls.insecure_skip_verify && c.endpoint.starts_with("https://")) {
    util::log_warn("storage",
                   "s3 " + c.zone_id + ": TLS CERTIFICATE VERIFICATION IS OFF for " + c.endpoint +
                       " (tls.insecure_skip_verify): anyone on the path can impersonate the "
                       "provider and read the data and the signed requests; for tests only");
  }
}

awaitable<void> S3Provider::probe() {
  // Sent here rather than through S3Client::call, which logs every failure: the checker logs
  // transitions only. The frame keeps the client alive should the provider go first.
  const auto client = probe_client_;
  const auto& cfg = client->config();
  const S3Target t = client->target({}, {});
  auth::SignableRequest sreq;
  sreq.method = "GET";
  sreq.path = t.path;
  sreq.query = "max-buckets=1";  // a small answer; providers that do not know it ignore it
  sreq.headers.add("Host", t.host);
  sreq.payload_hash = std::string(kEmptySha256);
  auth::SigV4Signer({cfg.access_key_id, cfg.secret_access_key, cfg.session_token},
                    {.region = cfg.region})
      .sign(sreq, util::Clock::now());
  http::ClientRequest req;
  req.target = t.path + "?" + sreq.query;
  req.headers = sreq.headers.fields();
  req.idempotent = true;
  error_code ec;
  auto r = co_await client->http_client().send(t.connect, req, ec);
  if (!r) {
    // The client's timeouts cancel the operation: say so rather than "Operation canceled".
    const std::string why =
        ec == asio::error::operation_aborted ? "no answer in time" : ec.message();
    throw StorageError(StorageError::Kind::kUnavailable,
                       "ListBuckets " + cfg.endpoint + ": " + why);
  }
  const unsigned status = r->status();
  if (status >= 200 && status < 300) co_return;
  const std::string body = co_await r->read_all(64 * 1024, ec);
  if (status == 403 && parse_s3_error(body).code == "AccessDenied") co_return;
  const auto err = parse_s3_error(body);
  throw StorageError(status >= 500 ? StorageError::Kind::kUnavailable : StorageError::Kind::kIo,
                     "ListBuckets " + cfg.endpoint + ": HTTP " + std::to_string(status) +
                         (err.code.empty() ? "" : " " + err.code));
}

awaitable<std::unique_ptr<BlobWriter>> S3Provider::create_blob(std::string_view backend_bucket,
                                                               std::string_view blob_key) {
  auto ex = co_await asio::this_coro::executor;
  co_return std::make_unique<S3BlobWriter>(client_, ex, std::string(backend_bucket),
                                           std::string(blob_key));
}

awaitable<std::string> S3Provider::begin_multipart(std::string_view backend_bucket,
                                                   std::string_view blob_key) {
  co_return co_await s3_create_multipart(*client_, backend_bucket, blob_key);
}

awaitable<std::unique_ptr<PartWriter>> S3Provider::create_part(std::string_view backend_bucket,
                                                               std::string_view blob_key,
                                                               std::string_view upload_id,
                                                               int part_number,
                                                               std::uint64_t size) {
  auto ex = co_await asio::this_coro::executor;
  co_return std::make_unique<S3PartWriter>(client_, ex, std::string(backend_bucket),
                                           std::string(blob_key), std::string(upload_id),
                                           part_number, size);
}

awaitable<void> S3Provider::complete_multipart(std::string_view backend_bucket,
                                               std::string_view blob_key,
                                               std::string_view upload_id,
                                               const std::vector<PartRef>& parts) {
  std::vector<std::pair<int, std::string>> list;
  list.reserve(parts.size());
  std::uint64_t total = 0;
  for (const auto& p : parts) {
    list.emplace_back(p.number, p.stored.handle);
    total += p.size;
  }
  bool gone = false;
  try {
    co_await s3_complete_multipart(*client_, backend_bucket, blob_key, upload_id, list);
  } catch (const StorageError& e) {
    if (e.kind() != StorageError::Kind::kNotFound) throw;
    gone = true;
  }
  if (!gone) co_return;
  // NoSuchUpload: completed by an earlier attempt whose reply was lost, or really gone.
  const BlobInfo info = co_await head_blob(backend_bucket, blob_key);  // kNotFound: gone
  if (info.size != total) {
    throw StorageError(StorageError::Kind::kNotFound,
                       "CompleteMultipartUpload: upload gone and blob " + std::string(blob_key) +
                           " has another size");
  }
}

awaitable<void> S3Provider::abort_multipart(std::string_view backend_bucket,
                                            std::string_view blob_key, std::string_view upload_id) {
  if (upload_id.empty()) co_return;
  co_await s3_abort_multipart(*client_, backend_bucket, blob_key, upload_id);
}

awaitable<std::unique_ptr<http::BodySource>> S3Provider::open_blob(std::string_view backend_bucket,
                                                                   std::string_view blob_key,
                                                                   std::uint64_t offset,
                                                                   std::uint64_t length) {
  // An empty range needs no request (and "bytes=5-4" is not a valid Range).
  if (length == 0) co_return std::make_unique<S3BlobReader>(nullptr, 0);
  S3Call call;
  call.bucket = backend_bucket;
  call.key = blob_key;
  call.headers.emplace_back(
      "Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1));
  auto r = co_await client_->call(call);
  const unsigned status = r->status();
  // 200 is a provider that ignored Range: usable only when the range starts at 0.
  if (status == 206 || (status == 200 && offset == 0)) {
    co_return std::make_unique<S3BlobReader>(std::move(r), length);
  }
  const std::string body = co_await read_small_body(*r, "GetObject");
  throw_s3_error(status == 416 ? 404 : status, body, "GetObject " + std::string(blob_key));
}

awaitable<BlobInfo> S3Provider::head_blob(std::string_view backend_bucket,
                                          std::string_view blob_key) {
  S3Call call;
  call.method = bhttp::verb::head;
  call.bucket = backend_bucket;
  call.key = blob_key;
  auto r = co_await client_->call(call);
  if (r->status() != 200) throw_s3_error(r->status(), {}, "HeadObject " + std::string(blob_key));
  BlobInfo info;
  info.etag = std::string(r->header("ETag"));
  const std::string_view len = r->header("Content-Length");
  if (std::from_chars(len.data(), len.data() + len.size(), info.size).ec != std::errc()) {
    throw StorageError(StorageError::Kind::kIo, "HeadObject: no Content-Length");
  }
  co_return info;
}

awaitable<void> S3Provider::delete_blob(std::string_view backend_bucket,
                                        std::string_view blob_key) {
  S3Call call;
  call.method = bhttp::verb::delete_;
  call.bucket = backend_bucket;
  call.key = blob_key;
  auto r = co_await client_->call(call);
  const unsigned status = r->status();
  const std::string body = co_await read_small_body(*r, "DeleteObject");
  if (status == 204 || status == 200) co_return;
  // S3 answers 204 for a missing key; a missing bucket (404 NoSuchBucket) is gone as well.
  if (status == 404) co_return;
  throw_s3_error(status, body, "DeleteObject " + std::string(blob_key));
}

awaitable<void> S3Provider::delete_bucket(std::string_view backend_bucket) {
  S3Call call;
  call.method = bhttp::verb::delete_;
  call.bucket = backend_bucket;
  auto r = co_await client_->call(call);
  const unsigned status = r->status();
  const std::string body = co_await read_small_body(*r, "DeleteBucket");
  if (status == 204 || status == 200 || status == 404) {
    std::lock_guard lock(mutex_);
    buckets_.erase(std::string(backend_bucket));
    co_return;
  }
  // Blobs (or an upload in flight) still there: the bucket stays, as the interface promises.
  if (status == 409 && parse_s3_error(body).code == "BucketNotEmpty") co_return;
  throw_s3_error(status, body, "DeleteBucket " + std::string(backend_bucket));
}

awaitable<BucketCreation> S3Provider::ensure_bucket(std::string_view backend_bucket) {
  const std::string& region = client_->config().region;
  // us-east-1 takes no LocationConstraint (AWS rejects one naming it).
  const std::string xml =
      region.empty() || region == "us-east-1"
          ? std::string()
          : "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<LocationConstraint>" +
                region + "</LocationConstraint></CreateBucketConfiguration>";
  S3Call call;
  call.method = bhttp::verb::put;
  call.bucket = backend_bucket;
  call.body = std::span<const char>(xml.data(), xml.size());
  call.sign_body = true;
  if (!xml.empty()) call.headers.emplace_back("Content-Type", "application/xml");
  call.idempotent = true;  // a repeat finds the bucket already ours
  auto r = co_await client_->call(call);
  const unsigned status = r->status();
  const std::string body = co_await read_small_body(*r, "CreateBucket");
  BucketCreation result;
  if (status == 200) {
    result = BucketCreation::kCreated;
  } else if (status == 409 && parse_s3_error(body).code == "BucketAlreadyOwnedByYou") {
    result = BucketCreation::kExisted;
  } else if (status == 409 && parse_s3_error(body).code == "BucketAlreadyExists") {
    co_return BucketCreation::kNameTaken;
  } else {
    throw_s3_error(status, body, "CreateBucket " + std::string(backend_bucket));
  }
  std::lock_guard lock(mutex_);
  buckets_.insert(std::string(backend_bucket));
  co_return result;
}

awaitable<std::size_t> S3Provider::sweep_abandoned_uploads(std::chrono::seconds older_than) {
  std::vector<std::string> buckets;
  {
    std::lock_guard lock(mutex_);
    buckets.assign(buckets_.begin(), buckets_.end());
  }
  std::size_t removed = 0;
  for (const auto& b : buckets) removed += co_await sweep_bucket(b, older_than);
  co_return removed;
}

awaitable<std::size_t> S3Provider::sweep_bucket(std::string_view backend_bucket,
                                                std::chrono::seconds older_than) {
  const auto cutoff = util::Clock::now() - older_than;
  std::size_t removed = 0;
  std::string key_marker;
  std::string upload_marker;
  for (;;) {
    S3Call list;
    list.bucket = backend_bucket;
    // Parameters in canonical (sorted) order; the signer sorts them anyway.
    list.query = "key-marker=" + s3::uri_encode(key_marker, true) +
                 "&upload-id-marker=" + s3::uri_encode(upload_marker, true) + "&uploads=";
    auto r = co_await client_->call(list);
    const unsigned status = r->status();
    const std::string body = co_await read_small_body(*r, "ListMultipartUploads");
    if (status == 404) co_return removed;  // the bucket is gone
    if (status != 200) throw_s3_error(status, body, "ListMultipartUploads");
    const S3UploadListing listing = parse_upload_listing(body);
    for (const auto& u : listing.uploads) {
      if (!u.initiated || *u.initiated >= cutoff) continue;
      if (is_multipart_blob_key(u.key)) continue;  // a client's upload: may last days
      S3Call abort;
      abort.method = bhttp::verb::delete_;
      abort.bucket = backend_bucket;
      abort.key = u.key;
      abort.query = "uploadId=" + s3::uri_encode(u.upload_id, true);
      auto ar = co_await client_->call(abort);
      if (ar->status() == 204 || ar->status() == 200) ++removed;
    }
    if (!listing.truncated ||
        (listing.next_key_marker.empty() && listing.next_upload_id_marker.empty())) {
      co_return removed;
    }
    key_marker = listing.next_key_marker;
    upload_marker = listing.next_upload_id_marker;
  }
}

}  // namespace s3gw::storage
