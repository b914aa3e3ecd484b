#include "http/client_tcp_connection.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace s3gw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using boost::system::error_code;

awaitable<beast::tcp_stream> ClientTcpConnection::connect_stream(asio::any_io_executor ex,
                                                                 const ClientEndpoint& endpoint,
                                                                 const ClientOptions& options,
                                                                 error_code& ec) {
  ec = {};
  beast::tcp_stream stream(ex);
  tcp::resolver resolver(ex);
  // An IP literal needs no lookup; a name goes through the resolver's own thread.
  auto results = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return stream;
  stream.expires_after(options.connect_timeout);
  co_await stream.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return stream;
  stream.socket().set_option(tcp::no_delay(true), ec);
  ec = {};
  co_return stream;
}

awaitable<std::unique_ptr<ClientConnection>> ClientTcpConnection::connect(
    asio::any_io_executor ex, const ClientEndpoint& endpoint, const ClientOptions& options,
    error_code& ec) {
  beast::tcp_stream stream = co_await connect_stream(ex, endpoint, options, ec);
  if (ec) co_return nullptr;
  co_return std::make_unique<ClientTcpConnection>(std::move(stream), options.io_timeout);
}

}  // namespace s3gw::http
