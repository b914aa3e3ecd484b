#pragma once
// HTTP/1.1 server on Boost.Beast with C++20 coroutines: listen -> session -> handler.
// Keep-alive, Expect: 100-continue, Content-Length and chunked bodies streamed both ways,
// limits on the header section, timeouts against slow clients, graceful shutdown.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "http/request.h"
#include "http/response.h"

namespace s3gw::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;                  // 0: any free port (tests)
  std::uint32_t header_limit = 16 * 1024;  // bytes in the request head (S3 allows 8 KiB)
  std::uint32_t max_header_count = 128;
  std::chrono::seconds header_timeout{20};  // to receive a whole request head
  std::chrono::seconds idle_timeout{60};    // keep-alive wait for the next request
  std::chrono::seconds body_timeout{60};    // max silence while reading or writing a body
  // Renders errors the server itself answers (header too large, unparseable request, a
  // handler that threw); the application sets it to produce S3 XML errors.
  std::function<Response(unsigned status, std::string_view code, std::string_view message)>
      error_response;
};

// A minimal XML error with Connection: close.
Response default_error_response(unsigned status, std::string_view code, std::string_view message);

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

class Server {
 public:
  Server(boost::asio::io_context& ioc, ServerOptions options, Handler handler);
  ~Server();

  // Binds and starts accepting; throws if the address cannot be bound.
  void start();
  std::uint16_t port() const { return port_; }

  // Stops accepting and closes idle connections; requests in flight run to completion.
  // Safe to call from any thread.
  void begin_shutdown();
  // Closes every remaining connection (the shutdown deadline has passed); their sessions end
  // with an error shortly after.
  void abort_all();
  std::size_t active_sessions() const;

 private:
  struct Session;
  boost::asio::awaitable<void> listen();
  boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  ServerOptions options_;
  Handler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  mutable std::mutex mutex_;
  std::unordered_set<Session*> sessions_;
};

}  // namespace s3gw::http
