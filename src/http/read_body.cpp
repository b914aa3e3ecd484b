#include "http/read_body.h"

namespace s3gw::http {

awaitable<std::optional<std::string>> read_body_to_string(BodyReader& body, std::size_t limit,
                                                          boost::system::error_code* error) {
  std::string out;
  char buf[8192];
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n = co_await body.read_some(boost::asio::buffer(buf), ec);
    if (ec) {
      if (error != nullptr) *error = ec;
      co_return std::nullopt;
    }
    if (n == 0) break;
    if (out.size() + n > limit) co_return std::nullopt;
    out.append(buf, n);
  }
  co_return out;
}

}  // namespace s3gw::http
