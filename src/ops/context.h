#pragma once
#include <cstdint>
#include <string>

#include "meta/bucket_repository.h"
#include "meta/object_repository.h"
#include "meta/operation_log.h"
#include "storage/provider.h"

namespace s3gw::ops {

struct GatewayConfig {
  std::string region = "fi-hel";
  std::string provider_name = "filesystem";  // the primary zone's provider, for backend names
  std::string deployment_salt = "s3gw-dev";
  bool auth_enabled = false;
  std::string default_customer = "default";
  std::uint64_t max_put_size = std::uint64_t{5} << 30;  // S3's single-PUT limit
  std::size_t io_buffer = 256 * 1024;                   // per-request body buffer
};

// What every operation handler may use.
class Authenticator;

struct OpContext {
  GatewayConfig config;
  meta::BucketRepository& buckets;
  meta::ObjectRepository& objects;
  meta::OperationLog& oplog;
  storage::Provider& zone;  // the region's primary zone (placement picks zones in issue 5)
  Authenticator* authenticator = nullptr;  // null when authentication is off
};

}  // namespace s3gw::ops
