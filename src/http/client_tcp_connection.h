#pragma once
// A plain-TCP client connection (beast::tcp_stream); every read and write is bounded by the
// I/O timeout.
#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "http/client_connection.h"
#include "http/client_options.h"

namespace s3gw::http {

class ClientTcpConnection final : public ClientConnection {
 public:
  // Resolves and connects within options.connect_timeout; null (and ec) on failure.
  static awaitable<std::unique_ptr<ClientConnection>> connect(boost::asio::any_io_executor ex,
                                                              const ClientEndpoint& endpoint,
                                                              const ClientOptions& options,
                                                              boost::system::error_code& ec);

  ClientTcpConnection(boost::beast::tcp_stream stream, std::chrono::milliseconds io_timeout);

  awaitable<void> write(ClientRequestMessage& request, boost::system::error_code& ec) override;
  awaitable<void> read_header(ClientResponseParser& parser, boost::system::error_code& ec) override;
  awaitable<std::size_t> read_body(ClientResponseParser& parser, boost::asio::mutable_buffer buf,
                                   boost::system::error_code& ec) override;
  void close() override;

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;  // bytes read past the current message stay here
  std::chrono::milliseconds io_timeout_;
};

}  // namespace s3gw::http
