#include "admin/json_http.h"

#include "http/read_body.h"
#include "s3/uri_encode.h"
#include "util/random.h"

namespace s3gw::admin {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {
constexpr std::size_t kMaxBody = 64 * 1024;
}  // namespace

http::Response json_reply(unsigned status, const json::value& v) {
  return http::Response::text(status, json::serialize(v), "application/json");
}

http::Response json_error(unsigned status, std::string_view message) {
  return json_reply(status, json::object{{"error", message}});
}

awaitable<std::variant<json::object, http::Response>> read_json_object(http::Request& request,
                                                                       bool empty_ok) {
  auto body = co_await http::read_body_to_string(request.body(), kMaxBody);
  if (!body) co_return json_error(400, "the body is unreadable or larger than 64 KiB");
  if (body->empty() && empty_ok) co_return json::object{};
  boost::system::error_code ec;
  auto v = json::parse(*body, ec);
  if (ec) co_return json_error(400, "the body is not valid JSON");
  if (!v.is_object()) co_return json_error(400, "the body must be a JSON object");
  co_return std::move(v.as_object());
}

std::optional<std::vector<std::string>> path_segments(std::string_view rest) {
  std::vector<std::string> out;
  while (true) {
    const auto slash = rest.find('/');
    auto seg = s3::uri_decode(rest.substr(0, slash), false);
    if (!seg || seg->empty()) return std::nullopt;
    out.push_back(std::move(*seg));
    if (slash == std::string_view::npos) return out;
    rest = rest.substr(slash + 1);
  }
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = part.find('=');
    auto k = s3::uri_decode(part.substr(0, eq), true);
    if (k && *k == name) {
      return s3::uri_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    }
  }
  return std::nullopt;
}

meta::OperationRecord log_record(const http::Request& request, std::string operation, int status) {
  meta::OperationRecord r;
  r.request_id = util::random_hex(8);
  r.operation = std::move(operation);
  r.status = status;
  r.source_ip = request.remote();
  return r;
}

}  // namespace s3gw::admin
