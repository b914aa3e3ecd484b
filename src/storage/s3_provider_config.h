#pragma once
// The settings of one S3-compatible provider as a zone's backend.
#include <chrono>
#include <cstddef>
#include <string>

#include "http/client_options.h"
#include "storage/s3_retry_policy.h"

namespace s3gw::storage {

enum class S3AddressingStyle {
  kPath,         // http(s)://endpoint/bucket/key
  kVirtualHost,  // http(s)://bucket.endpoint/key
};

struct S3ProviderConfig {
  std::string zone_id;
  // "http://host[:port]", "https://host[:port]" (TLS, port 443 by default), "host[:port]" (http)
  std::string endpoint;
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; empty: none
  // https endpoints: certificate and host name verified against the system trust store, or
  // against ca_file only; insecure_skip_verify turns every check off (tests only).
  http::ClientTlsOptions tls;
  S3AddressingStyle addressing = S3AddressingStyle::kPath;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds io_timeout{30000};   // per read/write
  std::chrono::milliseconds idle_timeout{4000};  // pooled connections older are not reused
  std::size_t max_connections = 16;
  // A writer buffers at most one part; bodies smaller than a part go as one PUT. S3 wants
  // at least 5 MiB for every part but the last.
  std::size_t part_size = 8 * 1024 * 1024;
  S3RetryPolicy retry;
};

}  // namespace s3gw::storage
