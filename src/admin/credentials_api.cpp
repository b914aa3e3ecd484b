#include "admin/credentials_api.h"

#include <boost/json.hpp>
#include <variant>
#include <vector>

#include "admin/json_http.h"
#include "auth/permissions.h"

namespace s3gw::admin {

namespace json = boost::json;
using boost::asio::awaitable;
using boost::beast::http::verb;

namespace {

constexpr std::string_view kPrefix = "/api/credentials/";
constexpr std::size_t kMaxText = 1024;

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// Why `v` is not a permission document, or nullopt when it is. The rules (and the messages)
// live in auth::Permissions so that what the admin API accepts is what requests are checked by.
std::optional<std::string> permissions_error(const json::value& v) {
  auto parsed = auth::Permissions::parse(json::serialize(v));
  if (auto* why = std::get_if<std::string>(&parsed)) return std::move(*why);
  return std::nullopt;
}

// Reads an optional string field; false when present with the wrong type or a bad value.
bool optional_text(const json::object& o, std::string_view name, std::optional<std::string>& out) {
  const auto* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return true;
  if (!v->is_string()) return false;
  const std::string_view s = v->as_string();
  if (s.empty() || s.size() > kMaxText || !printable(s)) return false;
  out = std::string(s);
  return true;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

json::value permissions_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? json::value(text) : v;
}

json::object info_json(const meta::CredentialInfo& c) {
  json::object o{
      {"access_key_id", c.access_key_id},
      {"user_id", c.user_id},
      {"customer_id", c.customer_id},
      {"permissions", permissions_json(c.permissions)},
      {"active", c.active},
      {"created_at", c.created_at},
      {"secret_status", c.secret_status == meta::SecretStatus::kOk ? "ok" : "unreadable"}};
  o["user_name"] = c.user_name ? json::value(*c.user_name) : json::value(nullptr);
  o["email"] = c.email ? json::value(*c.email) : json::value(nullptr);
  o["last_used_at"] = c.last_used_at ? json::value(*c.last_used_at) : json::value(nullptr);
  return o;
}

}  // namespace

bool CredentialsApi::owns(std::string_view path) {
  return path == "/api/credentials" || path.starts_with(kPrefix);
}

awaitable<http::Response> CredentialsApi::handle(http::Request& request) {
  if (repository_ == nullptr) {
    co_return json_error(503,
                         "the credentials API is unavailable: no master key is configured "
                         "(set S3GW_MASTER_KEY or S3GW_MASTER_KEY_FILE)");
  }
  const std::string_view path = request.path();
  if (!path.starts_with(kPrefix)) co_return json_error(404, "no such credentials route");
  auto seg = path_segments(path.substr(kPrefix.size()));
  if (!seg) co_return json_error(404, "no such credentials route");
  const auto method = request.method();
  const auto& s = *seg;

  if (s.size() == 1 && s[0] == "create") {
    if (method != verb::post) co_return json_error(405, "use POST");
    co_return co_await create(request, false);
  }
  if (s.size() == 1 && s[0] == "generate-demo") {
    if (method != verb::post) co_return json_error(405, "use POST");
    co_return co_await create(request, true);
  }
  if (s.size() == 1 && s[0] == "list") {
    if (method != verb::get) co_return json_error(405, "use GET");
    json::array out;
    for (const auto& c : co_await repository_->list()) out.push_back(info_json(c));
    co_return json_reply(200, json::object{{"credentials", std::move(out)}});
  }
  if (s.size() == 3 && s[0] == "user" && s[2] == "buckets") {
    if (method != verb::get) co_return json_error(405, "use GET");
    if (!co_await repository_->user_exists(s[1])) co_return json_error(404, "no such user");
    json::array out;
    for (const auto& b : co_await repository_->buckets_of_user(s[1])) {
      out.push_back(json::object{{"name", b.name},
                                 {"customer_id", b.customer_id},
                                 {"location_constraint", b.location_constraint},
                                 {"versioning", b.versioning}});
    }
    co_return json_reply(200, json::object{{"user_id", s[1]}, {"buckets", std::move(out)}});
  }
  if (s.size() == 2 && s[1] == "permissions") {
    if (method != verb::put) co_return json_error(405, "use PUT");
    co_return co_await update_permissions(request, s[0]);
  }
  if (s.size() == 1) {
    if (method == verb::get) {
      auto c = co_await repository_->find(s[0]);
      if (!c) co_return json_error(404, "no such access key id");
      co_return json_reply(200, info_json(*c));
    }
    if (method == verb::delete_) {
      if (!co_await repository_->deactivate(s[0],
                                            log_record(request, "DeactivateCredential", 204))) {
        co_return json_error(404, "no such access key id");
      }
      http::Response r;
      r.status = 204;
      co_return r;
    }
    co_return json_error(405, "use GET or DELETE");
  }
  co_return json_error(404, "no such credentials route");
}

awaitable<http::Response> CredentialsApi::create(http::Request& request, bool demo) {
  auto parsed = co_await read_json_object(request, demo);
  if (auto* err = std::get_if<http::Response>(&parsed)) co_return std::move(*err);
  const auto& body = std::get<json::object>(parsed);

  meta::NewCredentialRequest req;
  if (!optional_text(body, "user_name", req.user_name) ||
      !optional_text(body, "email", req.email)) {
    co_return json_error(400, "user_name and email must be non-empty strings");
  }
  if (!optional_text(body, "customer_id", req.customer_id) ||
      (req.customer_id && !valid_id(*req.customer_id))) {
    co_return json_error(400, "customer_id must be 1-128 characters of A-Z a-z 0-9 . _ -");
  }
  if (!optional_text(body, "user_id", req.user_id) || (req.user_id && !valid_id(*req.user_id))) {
    co_return json_error(400, "user_id must be 1-128 characters of A-Z a-z 0-9 . _ -");
  }
  if (demo) {
    if (!req.user_name) req.user_name = "demo";
    if (!req.email) req.email = "demo@example.com";
    req.permissions = R"({"s3:*": ["*"]})";
  } else {
    if (!req.user_name || !req.email) co_return json_error(400, "user_name and email are required");
    if (req.email->find('@') == std::string::npos) {
      co_return json_error(400, "email must be an e-mail address");
    }
    if (const auto* p = body.if_contains("permissions"); p != nullptr && !p->is_null()) {
      if (auto why = permissions_error(*p)) co_return json_error(400, *why);
      req.permissions = json::serialize(*p);
    }
  }

  auto created = co_await repository_->create(
      std::move(req),
      log_record(request, demo ? "GenerateDemoCredential" : "CreateCredential", 201));
  json::object o = info_json(created.info);
  o["secret_access_key"] = created.secret_access_key;  // the only time it is shown
  co_return json_reply(201, o);
}

awaitable<http::Response> CredentialsApi::update_permissions(http::Request& request,
                                                             std::string access_key_id) {
  auto parsed = co_await read_json_object(request, false);
  if (auto* err = std::get_if<http::Response>(&parsed)) co_return std::move(*err);
  const auto& body = std::get<json::object>(parsed);
  const auto* p = body.if_contains("permissions");
  if (p == nullptr) co_return json_error(400, "the body must have a permissions object");
  if (auto why = permissions_error(*p)) co_return json_error(400, *why);
  if (!co_await repository_->update_permissions(
          access_key_id, json::serialize(*p),
          log_record(request, "UpdateCredentialPermissions", 200))) {
    co_return json_error(404, "no such access key id");
  }
  auto c = co_await repository_->find(access_key_id);
  if (!c) co_return json_error(404, "no such access key id");
  co_return json_reply(200, info_json(*c));
}

}  // namespace s3gw::admin
