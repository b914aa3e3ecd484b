#pragma once
#include <cstdint>
#include <string>

#include "meta/bucket_repository.h"
#include "meta/customer_placement_repository.h"
#include "meta/multipart_repository.h"
#include "meta/object_lock_repository.h"
#include "meta/object_repository.h"
#include "meta/operation_log.h"
#include "meta/tag_repository.h"
#include "ops/backend_buckets.h"
#include "ops/topology.h"
#include "placement/registry.h"
#include "storage/zone_set.h"

namespace s3gw::ops {

struct GatewayConfig {
  std::string region = "fi-hel";  // also the home region of this gateway's customers
  std::string deployment_salt = "s3gw-dev";
  bool auth_enabled = false;
  std::string default_customer = "default";
  std::uint64_t max_put_size = std::uint64_t{5} << 30;  // S3's single-PUT limit
  std::size_t io_buffer = 256 * 1024;                   // per-request body buffer
};

class Authenticator;

// What every operation handler may use.
struct OpContext {
  GatewayConfig config;
  meta::BucketRepository& buckets;
  meta::ObjectRepository& objects;
  meta::OperationLog& oplog;
  TopologyHolder& topology;                // providers and zones, reloadable
  BackendBuckets& backend_buckets;         // which backend buckets exist already
  Authenticator* authenticator = nullptr;  // null when authentication is off
  // Strict regions: the countries an operator allowed a customer besides the region's own.
  meta::CustomerPlacementRepository* customer_placement = nullptr;
  // Multipart uploads; null only where no multipart operation is served.
  meta::MultipartRepository* multipart = nullptr;
  // Object and bucket tags; null only where no tagging operation is served.
  meta::TagRepository* tags = nullptr;
  // Retention and legal hold writes; null only where no object-lock operation is served.
  meta::ObjectLockRepository* locks = nullptr;

  // Placement decides from the registry. Read each once per decision: a reload may install a
  // new topology between two calls.
  const placement::Registry& registry() const { return topology.current().registry; }
  // Every zone this process reads and writes.
  const storage::ZoneSet& zones() const { return topology.current().zones; }
};

}  // namespace s3gw::ops
