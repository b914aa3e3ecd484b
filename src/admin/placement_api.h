#pragma once
// The placement admin API of a regional gateway: which locations exist, where a constraint
// would put data, a bucket's constraint and wanted replica count, the providers and their
// health (/api/location-constraints/..., /api/providers).
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "http/request.h"
#include "http/response.h"
#include "meta/bucket_repository.h"
#include "meta/customer_placement_repository.h"
#include "ops/topology.h"

namespace s3gw::admin {

// POST /api/providers/reload: re-reads the configuration files and installs what they say (the
// app knows how to build providers). The status and JSON body of the answer.
struct ReloadOutcome {
  unsigned status = 200;
  boost::json::object body;
};
using ProviderReloader = std::function<boost::asio::awaitable<ReloadOutcome>()>;

class PlacementApi {
 public:
  // Null topology (the global gateway): every route answers 404.
  PlacementApi(ops::TopologyHolder* topology, meta::BucketRepository* buckets,
               std::string home_region,
               meta::CustomerPlacementRepository* customer_placement = nullptr,
               ProviderReloader reload = {})
      : topology_(topology),
        buckets_(buckets),
        home_region_(std::move(home_region)),
        customer_placement_(customer_placement),
        reload_(std::move(reload)) {}

  static bool owns(std::string_view path);
  // Public routes (available locations, the test endpoint) describe configuration only; the
  // others name customers' buckets or providers' endpoints and need `admin` (a valid token).
  boost::asio::awaitable<http::Response> handle(http::Request& request, bool admin);

 private:
  boost::asio::awaitable<http::Response> test(http::Request& request);
  boost::asio::awaitable<http::Response> bucket(http::Request& request, const std::string& customer,
                                                const std::string& name);
  boost::asio::awaitable<http::Response> set_replica_count(http::Request& request,
                                                           const std::string& customer,
                                                           const std::string& name);
  boost::asio::awaitable<http::Response> allowed_countries(http::Request& request,
                                                           const std::string& customer);
  http::Response providers() const;
  // One read per request: a reload may install another registry meanwhile.
  const placement::Registry& registry() const { return topology_->current().registry; }

  ops::TopologyHolder* topology_;
  meta::BucketRepository* buckets_;
  std::string home_region_;
  meta::CustomerPlacementRepository* customer_placement_;
  ProviderReloader reload_;
};

}  // namespace s3gw::admin
