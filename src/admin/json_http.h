#pragma once
// The small pieces every admin route shares: JSON replies and errors, a JSON request body,
// percent-decoded path segments and query parameters.
#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http/request.h"
#include "http/response.h"
#include "meta/types.h"

namespace s3gw::admin {

http::Response json_reply(unsigned status, const boost::json::value& v);
http::Response json_error(unsigned status, std::string_view message);

// The 401 of every route behind the admin token. A gateway without S3GW_ADMIN_TOKEN serves none
// of them, so the message names the setting too.
inline constexpr std::string_view kAdminTokenRequired =
    "admin token required (Authorization: Bearer <S3GW_ADMIN_TOKEN>; a gateway without "
    "S3GW_ADMIN_TOKEN serves no admin route)";

// The body as a JSON object (at most 64 KiB), or the 400 to answer. An empty body is an empty
// object when `empty_ok`.
boost::asio::awaitable<std::variant<boost::json::object, http::Response>> read_json_object(
    http::Request& request, bool empty_ok);

// "a/b/c" as percent-decoded segments; nullopt on bad encoding or an empty segment.
std::optional<std::vector<std::string>> path_segments(std::string_view rest);

// The operations-log record of an admin change (customer and user filled in by the caller).
meta::OperationRecord log_record(const http::Request& request, std::string operation, int status);

// The decoded value of query parameter `name`, if present.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace s3gw::admin
