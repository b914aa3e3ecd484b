#include "admin/placement_api.h"

#include <algorithm>
#include <boost/json.hpp>

#include "admin/json_http.h"
#include "placement/available_locations.h"
#include "placement/placement.h"
#include "placement/placement_error.h"
#include "s3/validation.h"

namespace s3gw::admin {

namespace json = boost::json;
using boost::asio::awaitable;
using boost::beast::http::verb;

namespace {

constexpr std::string_view kConstraints = "/api/location-constraints/";
constexpr std::int64_t kMaxReplicas = 16;

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::object decision_json(const placement::PlacementDecision& d) {
  return json::object{{"location_constraint", d.constraint},
                      {"zones", strings(d.zones)},
                      {"primary", d.primary()},
                      {"countries", strings(d.countries)},
                      {"allowed_countries", strings(d.allowed_countries)},
                      {"rule", d.rule}};
}

http::Response placement_error(const placement::PlacementError& e) {
  json::object o{{"error", e.message}};
  if (!e.item.empty()) o["item"] = e.item;
  o["code"] = std::string(placement::to_s3_error(e).aws_code());
  const unsigned status = e.code == placement::PlacementErrc::kZonesUnavailable ? 503 : 400;
  return json_reply(status, o);
}

// {"replica_count": k}: an integer from 1 to kMaxReplicas, else nullopt.
std::optional<int> replica_count_of(const json::object& body) {
  const auto* v = body.if_contains("replica_count");
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  const auto k = v->as_int64();
  if (k < 1 || k > kMaxReplicas) return std::nullopt;
  return static_cast<int>(k);
}

}  // namespace

bool PlacementApi::owns(std::string_view path) {
  return path == "/api/providers" || path == "/api/providers/reload" ||
         path.starts_with(kConstraints);
}

awaitable<http::Response> PlacementApi::handle(http::Request& request, bool admin) {
  if (topology_ == nullptr) co_return json_error(404, "no such admin route");
  const std::string_view path = request.path();
  const auto method = request.method();
  if (path == "/api/location-constraints/available-locations") {
    if (method != verb::get) co_return json_error(405, "use GET");
    co_return http::Response::text(200, placement::available_locations(registry()).to_json(),
                                   "application/json");
  }
  if (path == "/api/location-constraints/test") {
    if (method != verb::post) co_return json_error(405, "use POST");
    co_return co_await test(request);
  }
  if (!admin) co_return json_error(401, kAdminTokenRequired);
  if (path == "/api/providers") {
    if (method != verb::get) co_return json_error(405, "use GET");
    co_return providers();
  }
  if (path == "/api/providers/reload") {
    if (method != verb::post) co_return json_error(405, "use POST");
    if (!reload_) co_return json_error(404, "reloading is not available here");
    auto outcome = co_await reload_();
    co_return json_reply(outcome.status, outcome.body);
  }
  auto seg = path_segments(path.substr(kConstraints.size()));
  if (!seg || (seg->size() != 2 && seg->size() != 3)) {
    co_return json_error(404, "no such location-constraints route");
  }
  const auto& s = *seg;
  if (s.size() == 3 && s[0] == "customers" && s[2] == "allowed-countries") {
    if (!s3::validate_customer_id(s[1])) co_return json_error(400, "not a valid customer id");
    if (method != verb::get && method != verb::put) co_return json_error(405, "use GET or PUT");
    co_return co_await allowed_countries(request, s[1]);
  }
  if (!s3::validate_customer_id(s[0]) || !s3::validate_bucket_name(s[1])) {
    co_return json_error(400, "not a valid customer id or bucket name");
  }
  if (s.size() == 2) {
    if (method != verb::get) co_return json_error(405, "use GET");
    co_return co_await bucket(request, s[0], s[1]);
  }
  if (s[2] != "replica-count") co_return json_error(404, "no such location-constraints route");
  if (method != verb::put) co_return json_error(405, "use PUT");
  co_return co_await set_replica_count(request, s[0], s[1]);
}

awaitable<http::Response> PlacementApi::test(http::Request& request) {
  auto parsed = co_await read_json_object(request, false);
  if (auto* err = std::get_if<http::Response>(&parsed)) co_return std::move(*err);
  const auto& body = std::get<json::object>(parsed);
  const auto* c = body.if_contains("location_constraint");
  if (c == nullptr || !c->is_string()) {
    co_return json_error(400, "location_constraint must be a string (\"\" for the default)");
  }
  int replicas = 1;
  if (body.contains("replica_count")) {
    auto k = replica_count_of(body);
    if (!k) co_return json_error(400, "replica_count must be an integer from 1 to 16");
    replicas = *k;
  }
  auto decision = placement::place(registry(), std::string_view(c->as_string()),
                                   static_cast<unsigned>(replicas), home_region_);
  if (!decision) co_return placement_error(decision.error());
  co_return json_reply(200, decision_json(decision.value()));
}

awaitable<http::Response> PlacementApi::bucket(http::Request& /*request*/,
                                               const std::string& customer,
                                               const std::string& name) {
  auto b = co_await buckets_->find(customer, name);
  if (!b) co_return json_error(404, "no such bucket");
  const int replicas = b->replica_count.value_or(1);
  json::object o{{"customer_id", customer},
                 {"bucket", name},
                 {"location_constraint", b->location_constraint},
                 {"replica_count", replicas}};
  auto decision = placement::place(registry(), b->location_constraint,
                                   static_cast<unsigned>(replicas), home_region_);
  if (decision) {
    o["placement"] = decision_json(decision.value());
  } else {
    o["placement_error"] = decision.error().message;
  }
  co_return json_reply(200, o);
}

awaitable<http::Response> PlacementApi::set_replica_count(http::Request& request,
                                                          const std::string& customer,
                                                          const std::string& name) {
  auto parsed = co_await read_json_object(request, false);
  if (auto* err = std::get_if<http::Response>(&parsed)) co_return std::move(*err);
  auto k = replica_count_of(std::get<json::object>(parsed));
  if (!k) co_return json_error(400, "replica_count must be an integer from 1 to 16");
  auto b = co_await buckets_->find(customer, name);
  if (!b) co_return json_error(404, "no such bucket");
  // The count must be one the bucket's constraint can honour, or replication could never
  // finish; stored only then.
  auto decision =
      placement::place(registry(), b->location_constraint, static_cast<unsigned>(*k), home_region_);
  if (!decision) co_return placement_error(decision.error());
  auto log = log_record(request, "PutBucketReplicaCount", 200);
  log.customer_id = customer;
  log.bucket = name;
  if (!co_await buckets_->set_replica_count(customer, name, *k, log)) {
    co_return json_error(404, "no such bucket");
  }
  co_return json_reply(200, json::object{{"customer_id", customer},
                                         {"bucket", name},
                                         {"replica_count", *k},
                                         {"placement", decision_json(decision.value())}});
}

awaitable<http::Response> PlacementApi::allowed_countries(http::Request& request,
                                                          const std::string& customer) {
  if (customer_placement_ == nullptr) co_return json_error(404, "no such admin route");
  const auto* home = registry().find_region(home_region_);
  std::vector<std::string> countries;
  if (request.method() == verb::put) {
    auto parsed = co_await read_json_object(request, false);
    if (auto* err = std::get_if<http::Response>(&parsed)) co_return std::move(*err);
    const auto* list = std::get<json::object>(parsed).if_contains("countries");
    if (list == nullptr || !list->is_array() || list->as_array().size() > 64) {
      co_return json_error(400, "countries must be an array of country codes");
    }
    for (const auto& c : list->as_array()) {
      // Only countries that have zones: an allowance elsewhere could never be used.
      if (!c.is_string() || !registry().has_country(c.as_string())) {
        co_return json_error(400,
                             "countries must be lower-case codes of countries with zones "
                             "(GET /api/location-constraints/available-locations)");
      }
      countries.emplace_back(c.as_string());
    }
    std::sort(countries.begin(), countries.end());
    countries.erase(std::unique(countries.begin(), countries.end()), countries.end());
    auto log = log_record(request, "PutCustomerAllowedCountries", 200);
    log.customer_id = customer;
    co_await customer_placement_->set_extra_countries(customer, countries, log);
  } else {
    countries = co_await customer_placement_->extra_countries(customer);
  }
  json::object o{{"customer_id", customer},
                 {"home_region", home_region_},
                 {"strict", home != nullptr && home->strict},
                 {"allowed_countries", strings(countries)}};
  if (home != nullptr && !home->strict) {
    o["note"] = "the home region is not strict: any listed country is allowed";
  }
  co_return json_reply(200, o);
}

http::Response PlacementApi::providers() const {
  const placement::Registry& reg = registry();
  const auto statuses = reg.status_snapshot();
  json::array out;
  for (std::size_t i = 0; i < reg.providers().size(); ++i) {
    const auto& p = reg.providers()[i];
    // Endpoints and locations; never credentials (not even where they are kept).
    json::object o{
        {"key", p.key()},          {"id", p.id},
        {"name", p.name},          {"type", std::string(placement::to_string(p.type))},
        {"country", p.country},    {"city", p.city},
        {"region", p.region_id()}, {"zones", strings(p.zones)},
        {"priority", p.priority},  {"status", std::string(placement::to_string(statuses[i]))}};
    if (!p.endpoint.empty()) o["endpoint"] = p.endpoint;
    out.push_back(std::move(o));
  }
  return json_reply(200, json::object{{"providers", std::move(out)}});
}

}  // namespace s3gw::admin
