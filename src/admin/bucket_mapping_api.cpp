#include "admin/bucket_mapping_api.h"

#include <boost/json.hpp>

#include "admin/json_http.h"
#include "placement/bucket_hash.h"
#include "s3/validation.h"

namespace s3gw::admin {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {
constexpr std::string_view kPrefix = "/api/bucket-mappings/";
}  // namespace

bool BucketMappingApi::owns(std::string_view path) {
  return path.starts_with(kPrefix);
}

awaitable<http::Response> BucketMappingApi::handle(http::Request& request, bool admin) {
  if (mappings_ == nullptr) co_return json_error(404, "no such admin route");
  if (!admin) co_return json_error(401, kAdminTokenRequired);
  if (request.method() != boost::beast::http::verb::get) co_return json_error(405, "use GET");
  auto seg = path_segments(request.path().substr(kPrefix.size()));
  if (!seg || seg->size() != 2)
    co_return json_error(404, "use /api/bucket-mappings/{customer}/{bucket}");
  const std::string customer = (*seg)[0];
  const std::string bucket = (*seg)[1];
  if (!s3::validate_customer_id(customer) || !s3::validate_bucket_name(bucket)) {
    co_return json_error(400, "not a valid customer id or bucket name");
  }
  const std::string key = placement::bucket_mapping_key(salt_, customer, bucket);
  const auto rows = co_await mappings_->list(key);
  json::array out;
  for (const auto& m : rows) {
    json::object o{{"zone_id", m.zone_id},
                   {"provider_name", m.provider_name},
                   {"backend_bucket", m.backend_bucket},
                   {"attempt", m.attempt},
                   {"created_at", m.created_at}};
    if (m.home_region) o["home_region"] = *m.home_region;
    out.push_back(std::move(o));
  }
  // The key, not the names, is what the global database holds.
  co_return json_reply(200, json::object{{"customer_id", customer},
                                         {"bucket", bucket},
                                         {"bucket_key", key},
                                         {"mappings", std::move(out)}});
}

}  // namespace s3gw::admin
