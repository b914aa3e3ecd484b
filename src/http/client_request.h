#pragma once
// An outgoing request: target and fields as they go on the wire (Host included); the body is
// borrowed from the caller and must stay alive until send() returns.
#include <boost/beast/http/verb.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace s3gw::http {

struct ClientRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target = "/";  // path and query, percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::span<const char> body;
  // A request that may be sent twice: a reused connection that turns out to be dead before
  // any response byte is retried once on a new one. Never set for non-idempotent requests.
  bool idempotent = false;
};

}  // namespace s3gw::http
