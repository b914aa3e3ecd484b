#pragma once
// One HTTP/1.1 connection of the client, behind an interface: plain TCP (ClientTcpConnection)
// and TLS (ClientTlsConnection, a Beast ssl_stream) share the pool and the client.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>

namespace s3gw::http {

using boost::asio::awaitable;

// Request bodies are sent from memory the caller bounds (an S3 part at most).
using ClientRequestMessage = boost::beast::http::request<boost::beast::http::span_body<const char>>;
using ClientResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

class ClientConnection {
 public:
  virtual ~ClientConnection() = default;
  virtual awaitable<void> write(ClientRequestMessage& request, boost::system::error_code& ec) = 0;
  virtual awaitable<void> read_header(ClientResponseParser& parser,
                                      boost::system::error_code& ec) = 0;
  // Reads body bytes into buf (as many as arrive in one go); 0 with no error: body done.
  virtual awaitable<std::size_t> read_body(ClientResponseParser& parser,
                                           boost::asio::mutable_buffer buf,
                                           boost::system::error_code& ec) = 0;
  virtual void close() = 0;
};

}  // namespace s3gw::http
