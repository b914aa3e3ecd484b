#pragma once
// The HTTP/1.1 exchange shared by the plain and the TLS client connection, for any Beast stream
// whose lowest layer is a beast::tcp_stream: every read and write is bounded by the I/O timeout
// (the tcp_stream's expiry, which a TLS layer above it inherits).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <memory>

#include "http/client_connection.h"

namespace s3gw::http {

template <class Stream>
class ClientStreamConnection : public ClientConnection {
 public:
  awaitable<void> write(ClientRequestMessage& request, boost::system::error_code& ec) override {
    ec = {};
    lowest().expires_after(io_timeout_);
    co_await boost::beast::http::async_write(
        stream_, request, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  awaitable<void> read_header(ClientResponseParser& parser,
                              boost::system::error_code& ec) override {
    ec = {};
    lowest().expires_after(io_timeout_);
    co_await boost::beast::http::async_read_header(
        stream_, buffer_, parser, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  awaitable<std::size_t> read_body(ClientResponseParser& parser, boost::asio::mutable_buffer buf,
                                   boost::system::error_code& ec) override {
    ec = {};
    if (parser.is_done() || buf.size() == 0) co_return 0;
    auto& body = parser.get().body();
    body.data = buf.data();
    body.size = buf.size();
    // Loop until at least one byte arrived: a read may consume only framing (chunk headers).
    while (body.size == buf.size() && !parser.is_done()) {
      lowest().expires_after(io_timeout_);
      co_await boost::beast::http::async_read_some(
          stream_, buffer_, parser, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec == boost::beast::http::error::need_buffer) ec = {};
      if (ec) break;
    }
    const std::size_t n = buf.size() - body.size;
    body.data = nullptr;
    body.size = 0;
    co_return ec ? 0 : n;
  }

  void close() override {
    boost::system::error_code ignored;
    lowest().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

 protected:
  // `keep_alive` is whatever the stream needs to outlive it (the TLS context); it is
  // destroyed after the stream.
  ClientStreamConnection(Stream stream, std::chrono::milliseconds io_timeout,
                         std::shared_ptr<const void> keep_alive = {})
      : keep_alive_(std::move(keep_alive)), stream_(std::move(stream)), io_timeout_(io_timeout) {
    // Beast sizes each socket read by the buffer's free capacity (512 bytes at least): left to
    // grow by itself it stays around the header's size, and a 1 MiB body took ~250 reads and
    // 30x the time of a direct GET. 64 KiB per read brings a body through in a few.
    buffer_.reserve(64 * 1024);
  }

  boost::beast::tcp_stream& lowest() { return boost::beast::get_lowest_layer(stream_); }
  Stream& stream() { return stream_; }

 private:
  std::shared_ptr<const void> keep_alive_;
  Stream stream_;
  boost::beast::flat_buffer buffer_;  // bytes read past the current message stay here
  std::chrono::milliseconds io_timeout_;
};

}  // namespace s3gw::http
