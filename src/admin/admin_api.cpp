#include "admin/admin_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "admin/json_http.h"
#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "util/crypto.h"
#include "util/log.h"

namespace s3gw::admin {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

// ?limit= of the log views: 100 when absent, nullopt when not an integer from 1 to 10000.
std::optional<int> limit_param(const http::Request& request) {
  int limit = 100;
  if (auto l = query_param(request.query(), "limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit < 1 || limit > 10000) {
      return std::nullopt;
    }
  }
  return limit;
}

json::object validation_json(std::string_view what, const std::string& value,
                             const s3::Validation& v) {
  json::object o;
  // JSON text is UTF-8: a value that is not is echoed percent-encoded.
  o[what] = s3::is_valid_utf8(value) ? value : s3::uri_encode(value, false);
  o["valid"] = v.ok;
  if (!v.ok) {
    o["error_code"] = s3::error_info(v.code).code;
    o["reason"] = v.reason;
  }
  return o;
}

}  // namespace

bool AdminApi::owns(std::string_view path) {
  return path == "/health" || path == "/api" || path.starts_with("/api/");
}

bool AdminApi::authorized(const http::Request& request) const {
  // No token configured: no admin route is served (main refuses to start that way with
  // authentication on); an empty Bearer must never match an empty setting.
  if (!config_.admin_token || config_.admin_token->empty()) return false;
  auto h = request.header("authorization");
  if (!h || !h->starts_with("Bearer ")) return false;
  return util::constant_time_equal(h->substr(7), *config_.admin_token);
}

awaitable<http::Response> AdminApi::handle(http::Request& request) {
  using boost::beast::http::verb;
  const std::string_view path = request.path();
  if (config_.role == "regional" && CredentialsApi::owns(path)) {
    if (!authorized(request)) co_return json_error(401, kAdminTokenRequired);
    co_return co_await credentials_.handle(request);
  }
  if (PlacementApi::owns(path)) co_return co_await placement_.handle(request, authorized(request));
  if (BucketMappingApi::owns(path)) {
    co_return co_await mappings_.handle(request, authorized(request));
  }
  if (request.method() != verb::get) co_return json_error(405, "method not allowed");

  if (path == "/health") {
    json::object o{{"status", "ok"}, {"role", config_.role}};
    if (!config_.region.empty()) o["region"] = config_.region;
    try {
      auto lease = co_await pool_.acquire();
      co_await lease->query("SELECT 1");
      o["database"] = "ok";
    } catch (const std::exception&) {
      o["status"] = "degraded";
      o["database"] = "unavailable";
      co_return json_reply(503, o);
    }
    co_return json_reply(200, o);
  }

  constexpr std::string_view kBucketPrefix = "/api/validation/bucket/";
  if (path.starts_with(kBucketPrefix)) {
    auto name = s3::uri_decode(path.substr(kBucketPrefix.size()), false);
    if (!name) co_return json_error(400, "invalid percent-encoding");
    co_return json_reply(200, validation_json("name", *name, s3::validate_bucket_name(*name)));
  }
  if (path == "/api/validation/key") {
    auto key = query_param(request.query(), "key");
    if (!key) co_return json_error(400, "the key query parameter is required");
    co_return json_reply(200, validation_json("key", *key, s3::validate_object_key(*key)));
  }

  if (path == "/api/operations" && oplog_ != nullptr) {
    if (!authorized(request)) co_return json_error(401, kAdminTokenRequired);
    const auto limit = limit_param(request);
    if (!limit) co_return json_error(400, "limit must be an integer from 1 to 10000");
    // Reads are logged in batches; make this view complete up to now.
    co_await oplog_->flush();
    auto rows = co_await oplog_->query(query_param(request.query(), "customer"),
                                       query_param(request.query(), "bucket"), *limit);
    json::array out;
    for (const auto& e : rows) {
      json::object o{{"id", e.id},
                     {"at", e.at},
                     {"request_id", e.record.request_id},
                     {"customer_id", e.record.customer_id},
                     {"operation", e.record.operation},
                     {"status", e.record.status},
                     {"source_ip", e.record.source_ip}};
      if (e.record.user_id) o["user_id"] = *e.record.user_id;
      if (e.record.bucket) o["bucket"] = *e.record.bucket;
      if (e.record.key) o["key"] = *e.record.key;
      if (e.record.version_id) o["version_id"] = *e.record.version_id;
      if (e.record.bytes) o["bytes"] = *e.record.bytes;
      if (e.record.access_key_id) o["access_key_id"] = *e.record.access_key_id;
      out.push_back(std::move(o));
    }
    co_return json_reply(200, json::object{{"operations", std::move(out)}});
  }

  if (path == "/api/compliance/events" && oplog_ != nullptr) {
    if (!authorized(request)) co_return json_error(401, kAdminTokenRequired);
    const auto limit = limit_param(request);
    if (!limit) co_return json_error(400, "limit must be an integer from 1 to 10000");
    meta::ComplianceEventFilter filter;
    filter.limit = *limit;
    filter.type = query_param(request.query(), "type");
    filter.access_key_id = query_param(request.query(), "access_key_id");
    filter.customer_id = query_param(request.query(), "customer");
    co_await oplog_->flush();
    auto rows = co_await oplog_->query_events(std::move(filter));
    json::array out;
    auto opt = [](json::object& o, std::string_view name, const std::optional<std::string>& v) {
      if (v) o[name] = *v;
    };
    for (const auto& e : rows) {
      json::object o{{"id", e.id},
                     {"at", e.at},
                     {"type", e.event.type},
                     {"request_id", e.event.request_id},
                     {"source_ip", e.event.source_ip},
                     {"operation", e.event.operation},
                     {"code", e.event.code},
                     {"reason", e.event.reason}};
      opt(o, "customer_id", e.event.customer_id);
      opt(o, "user_id", e.event.user_id);
      opt(o, "access_key_id", e.event.access_key_id);
      opt(o, "bucket", e.event.bucket);
      opt(o, "key", e.event.key);
      out.push_back(std::move(o));
    }
    co_return json_reply(200, json::object{{"events", std::move(out)}});
  }
  co_return json_error(404, "no such admin route");
}

}  // namespace s3gw::admin
