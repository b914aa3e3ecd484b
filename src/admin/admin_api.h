#pragma once
// The JSON admin API of a regional gateway: /health, /api/validation/*, /api/operations.
// Routes that read logs need the admin bearer token when one is configured; the credentials
// routes (credentials_api.h) always need it.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "admin/bucket_mapping_api.h"
#include "admin/credentials_api.h"
#include "admin/placement_api.h"
#include "http/request.h"
#include "http/response.h"
#include "meta/operation_log.h"
#include "meta/pg_pool.h"

namespace s3gw::admin {

struct AdminConfig {
  std::string role = "regional";  // or "global"
  std::string region;
  std::optional<std::string> admin_token;  // S3GW_ADMIN_TOKEN
};

// What the admin API serves from; null members switch their routes off (404).
struct AdminServices {
  meta::OperationLog* oplog = nullptr;                // null on the global gateway
  meta::CredentialRepository* credentials = nullptr;  // null without a master key
  ops::TopologyHolder* topology = nullptr;            // regional only
  meta::BucketRepository* buckets = nullptr;          // regional only
  meta::CustomerPlacementRepository* customer_placement = nullptr;
  meta::BucketMappingRepository* bucket_mappings = nullptr;
  std::string deployment_salt;  // names the mappings' keys
  ProviderReloader reload_providers;
};

class AdminApi {
 public:
  AdminApi(AdminConfig config, meta::PgPool& pool, AdminServices services)
      : config_(std::move(config)),
        pool_(pool),
        oplog_(services.oplog),
        credentials_(services.credentials),
        placement_(services.topology, services.buckets, config_.region, services.customer_placement,
                   std::move(services.reload_providers)),
        mappings_(services.bucket_mappings, std::move(services.deployment_salt)) {}

  // True for the paths this API serves: /health and /api/...
  static bool owns(std::string_view path);
  boost::asio::awaitable<http::Response> handle(http::Request& request);

 private:
  bool authorized(const http::Request& request) const;

  AdminConfig config_;
  meta::PgPool& pool_;
  meta::OperationLog* oplog_;  // null on the global gateway
  CredentialsApi credentials_;
  PlacementApi placement_;
  BucketMappingApi mappings_;
};

}  // namespace s3gw::admin
