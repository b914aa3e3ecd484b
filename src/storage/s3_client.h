#pragma once
// Signed requests to one S3-compatible backend: addressing (path or virtual-host style),
// SigV4 signing of every attempt, and retries with backoff for idempotent calls. Connection
// errors, timeouts and 5xx answers that outlast the retries become StorageError(kUnavailable),
// and so does a TLS certificate that fails verification (at once: it is not retried); every
// other answer is returned for the caller to interpret.
#include <boost/beast/http/verb.hpp>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4_signer.h"
#include "http/client.h"
#include "storage/provider.h"
#include "storage/s3_provider_config.h"

namespace s3gw::storage {

struct S3Call {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string_view bucket;                                   // empty: the service (ListBuckets)
  std::string_view key;                                      // raw key; empty: the bucket itself
  std::string query;                                         // percent-encoded, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields (Range, ...)
  std::span<const char> body;
  // Small documents (XML) are signed with their SHA-256; streamed data goes UNSIGNED-PAYLOAD.
  bool sign_body = false;
  // May be sent again after a failure: GET, HEAD, DELETE, bucket create, PUT of a fresh key,
  // UploadPart. Never CreateMultipartUpload or CompleteMultipartUpload.
  bool idempotent = true;
};

struct S3Target {
  http::ClientEndpoint connect;  // where the TCP connection goes
  std::string host;              // the Host field (signed)
  std::string path;              // percent-encoded as SigV4 wants it
};

class S3Client {
 public:
  // Throws std::invalid_argument for an endpoint it cannot use, std::runtime_error for a TLS
  // CA file it cannot use.
  explicit S3Client(const S3ProviderConfig& config);

  awaitable<std::unique_ptr<http::ClientResponse>> call(const S3Call& call);

  S3Target target(std::string_view bucket, std::string_view key) const;
  const S3ProviderConfig& config() const { return config_; }
  http::Client& http_client() { return http_; }

 private:
  S3ProviderConfig config_;
  http::ClientEndpoint endpoint_;
  auth::SigV4Signer signer_;
  http::Client http_;
};

// Reads a small error body and throws the StorageError its status calls for: 404 kNotFound,
// 5xx kUnavailable, anything else kIo. `what` names the operation (no secrets).
[[noreturn]] void throw_s3_error(unsigned status, std::string_view body, std::string_view what);

}  // namespace s3gw::storage
