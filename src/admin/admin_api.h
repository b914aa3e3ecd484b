#pragma once
// The JSON admin API of a regional gateway: /health, /api/validation/*, /api/operations.
// Routes that read logs need the admin bearer token when one is configured; the credentials
// routes (credentials_api.h) always need it.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

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

class AdminApi {
 public:
  // `credentials` is null on the global gateway and when no master key is configured.
  // `registry` and `buckets` are null on the global gateway.
  AdminApi(AdminConfig config, meta::PgPool& pool, meta::OperationLog* oplog,
           meta::CredentialRepository* credentials = nullptr,
           const placement::Registry* registry = nullptr, meta::BucketRepository* buckets = nullptr,
           meta::CustomerPlacementRepository* customer_placement = nullptr)
      : config_(std::move(config)),
        pool_(pool),
        oplog_(oplog),
        credentials_(credentials),
        placement_(registry, buckets, config_.region, customer_placement) {}

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
};

}  // namespace s3gw::admin
