#pragma once
// A plain-TCP client connection (beast::tcp_stream); every read and write is bounded by the
// I/O timeout.
#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "http/client_options.h"
#include "http/client_stream_connection.h"

namespace s3gw::http {

class ClientTcpConnection final : public ClientStreamConnection<boost::beast::tcp_stream> {
 public:
  // Resolves and connects within options.connect_timeout; null (and ec) on failure.
  static awaitable<std::unique_ptr<ClientConnection>> connect(boost::asio::any_io_executor ex,
                                                              const ClientEndpoint& endpoint,
                                                              const ClientOptions& options,
                                                              boost::system::error_code& ec);

  // Also used by the TLS connection, which runs its handshake over such a stream.
  static awaitable<boost::beast::tcp_stream> connect_stream(boost::asio::any_io_executor ex,
                                                            const ClientEndpoint& endpoint,
                                                            const ClientOptions& options,
                                                            boost::system::error_code& ec);

  ClientTcpConnection(boost::beast::tcp_stream stream, std::chrono::milliseconds io_timeout)
      : ClientStreamConnection(std::move(stream), io_timeout) {}
};

}  // namespace s3gw::http
