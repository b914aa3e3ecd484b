#pragma once
// The settings of one S3-compatible provider as a zone's backend.
#include <chrono>
#include <cstddef>
#include <string>

#include "storage/s3_retry_policy.h"

namespace s3gw::storage {

enum class S3AddressingStyle {
  kPath,         // http://endpoint/bucket/key
  kVirtualHost,  // http://bucket.endpoint/key
};

struct S3ProviderConfig {
  std::string zone_id;
  std::string endpoint;  // "host:port", "host" or "http://host[:port]" (https: not yet)
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
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
