#include "http/client_response.h"

#include <boost/beast/http/error.hpp>

namespace s3gw::http {

namespace bhttp = boost::beast::http;
using boost::system::error_code;

ClientResponse::ClientResponse(ClientLease lease, std::unique_ptr<ClientResponseParser> parser)
    : lease_(std::move(lease)), parser_(std::move(parser)) {
  finish();  // a bodiless response (HEAD, 204) is complete already
}

ClientResponse::~ClientResponse() = default;  // the lease closes an unfinished connection

std::string_view ClientResponse::header(std::string_view name) const {
  const auto& fields = parser_->get().base();
  auto it = fields.find(name);
  return it == fields.end() ? std::string_view() : std::string_view(it->value());
}

std::optional<std::uint64_t> ClientResponse::content_length() const {
  // From the field, not parser::content_length(), which trips g++ 12's
  // -Wmaybe-uninitialized inside boost::optional.
  const std::string_view v = header("Content-Length");
  if (v.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

awaitable<std::size_t> ClientResponse::read(boost::asio::mutable_buffer buf, error_code& ec) {
  ec = {};
  if (!lease_ || parser_->is_done()) co_return 0;
  const std::size_t n = co_await lease_.connection().read_body(*parser_, buf, ec);
  if (ec) {
    lease_.release(false);
    co_return 0;
  }
  finish();
  co_return n;
}

awaitable<std::string> ClientResponse::read_all(std::size_t limit, error_code& ec) {
  std::string out;
  char buf[4096];
  for (;;) {
    const std::size_t n = co_await read(boost::asio::buffer(buf), ec);
    if (ec || n == 0) break;
    if (out.size() + n > limit) {
      ec = bhttp::error::body_limit;
      lease_.release(false);
      break;
    }
    out.append(buf, n);
  }
  co_return out;
}

void ClientResponse::finish() {
  if (lease_ && parser_->is_done()) lease_.release(parser_->keep_alive());
}

}  // namespace s3gw::http
