#pragma once
// A response whose head has arrived; the body streams on demand through read(). The
// connection goes back to the pool once the body has been read to its end on a keep-alive
// connection; destroying the response earlier closes it instead.
#include <memory>
#include <string>
#include <string_view>

#include "http/body.h"
#include "http/client_connection.h"
#include "http/client_lease.h"

namespace s3gw::http {

class ClientResponse final : public BodySource {
 public:
  ClientResponse(ClientLease lease, std::unique_ptr<ClientResponseParser> parser);
  ~ClientResponse() override;

  unsigned status() const { return parser_->get().result_int(); }
  // The first field of that name; empty when absent.
  std::string_view header(std::string_view name) const;
  std::optional<std::uint64_t> content_length() const;

  awaitable<std::size_t> read(boost::asio::mutable_buffer buf,
                              boost::system::error_code& ec) override;
  // The whole body, for small documents (errors, XML results); message_size past `limit`.
  awaitable<std::string> read_all(std::size_t limit, boost::system::error_code& ec);
  bool complete() const { return parser_->is_done(); }

 private:
  void finish();

  ClientLease lease_;
  std::unique_ptr<ClientResponseParser> parser_;
};

}  // namespace s3gw::http
