#include "http/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <future>
#include <string>

namespace s3gw::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// A keep-alive server that echoes the target as the body; "/close" answers with
// Connection: close, "/silent" never answers. Counts the connections it accepted.
class EchoServer {
 public:
  explicit EchoServer(asio::io_context& ioc)
      : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(ioc, accept_loop(), asio::detached);
  }
  std::uint16_t port() const { return port_; }
  void stop() { acceptor_.close(); }
  std::atomic<int> accepted{0};
  std::atomic<int> open{0};
  std::atomic<int> max_open{0};

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      tcp::socket s =
          co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++accepted;
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(s)), asio::detached);
    }
  }
  asio::awaitable<void> serve(tcp::socket s) {
    const int now = ++open;
    if (now > max_open) max_open = now;
    beast::flat_buffer buf;
    for (;;) {
      bhttp::request<bhttp::string_body> req;
      error_code ec;
      co_await bhttp::async_read(s, buf, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      if (req.target() == "/silent") {
        asio::steady_timer t(s.get_executor(), std::chrono::seconds(3));
        co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        break;
      }
      if (req.target() == "/slow") {
        asio::steady_timer t(s.get_executor(), std::chrono::milliseconds(50));
        co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      bhttp::response<bhttp::string_body> res{bhttp::status::ok, 11};
      res.body() = std::string(req.target()) + ":" + req.body();
      const bool close = req.target() == "/close";
      res.keep_alive(!close);
      res.prepare_payload();
      co_await bhttp::async_write(s, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || close) break;
    }
    --open;
  }
  tcp::acceptor acceptor_;
  std::uint16_t port_ = acceptor_.local_endpoint().port();
};

class ClientTest : public ::testing::Test {
 protected:
  // Runs until `aw` finishes (the server's accept loop keeps the context busy forever).
  template <class T>
  T run(asio::awaitable<T> aw) {
    auto fut = asio::co_spawn(ioc_, std::move(aw), asio::use_future);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (fut.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
           std::chrono::steady_clock::now() < deadline) {
      ioc_.run_one_for(std::chrono::milliseconds(50));
    }
    return fut.get();
  }

  asio::awaitable<std::string> get(Client& client, std::string target, std::string body = {}) {
    ClientRequest req;
    req.method = body.empty() ? bhttp::verb::get : bhttp::verb::put;
    req.target = std::move(target);
    req.headers = {{"Host", "127.0.0.1"}};
    req.body = std::span<const char>(body.data(), body.size());
    req.idempotent = true;
    error_code ec;
    auto r = co_await client.send(endpoint(), req, ec);
    if (!r) co_return "error: " + ec.message();
    std::string out = co_await r->read_all(1 << 20, ec);
    if (ec) co_return "error: " + ec.message();
    co_return out;
  }

  ClientEndpoint endpoint() const { return {"127.0.0.1", server_.port()}; }

  asio::io_context ioc_;
  EchoServer server_{ioc_};
};

TEST_F(ClientTest, KeepAliveConnectionIsReused) {
  Client client({});
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(run(get(client, "/a" + std::to_string(i), "x")), "/a" + std::to_string(i) + ":x");
  }
  EXPECT_EQ(client.connections_opened(endpoint()), 1u);
  EXPECT_EQ(server_.accepted.load(), 1);
}

TEST_F(ClientTest, ConnectionCloseIsHonoured) {
  Client client({});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run(get(client, "/close")), "/close:");
  EXPECT_EQ(server_.accepted.load(), 3);
}

TEST_F(ClientTest, UnreadBodyDropsTheConnection) {
  Client client({});
  run([&]() -> asio::awaitable<int> {
    ClientRequest req;
    req.target = "/left-unread";
    req.headers = {{"Host", "127.0.0.1"}};
    error_code ec;
    auto r = co_await client.send(endpoint(), req, ec);
    EXPECT_TRUE(r);
    co_return 0;  // the response goes without its body being read
  }());
  EXPECT_EQ(run(get(client, "/next")), "/next:");
  EXPECT_EQ(server_.accepted.load(), 2);
}

TEST_F(ClientTest, ReadTimeoutFailsTheRequest) {
  ClientOptions o;
  o.io_timeout = std::chrono::milliseconds(200);
  Client client(o);
  // "/silent" closes after 3 s: a timeout, not an end of stream, shows that the io_timeout
  // ended the request (however long a slow machine took to get there).
  const std::string r = run(get(client, "/silent"));
  EXPECT_EQ(r, "error: " + error_code(beast::error::timeout).message());
  EXPECT_EQ(run(get(client, "/after")), "/after:");  // the failed connection was not reused
}

TEST_F(ClientTest, ConnectionsPerEndpointAreBounded) {
  ClientOptions o;
  o.max_connections_per_endpoint = 2;
  Client client(o);
  std::atomic<int> done{0};
  for (int i = 0; i < 8; ++i) {
    asio::co_spawn(
        ioc_,
        [&, i]() -> asio::awaitable<void> {
          EXPECT_EQ(co_await get(client, "/slow"), "/slow:") << i;
          ++done;
        },
        asio::detached);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (done < 8 && std::chrono::steady_clock::now() < deadline) {
    ioc_.run_one_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(done.load(), 8);
  EXPECT_LE(server_.max_open.load(), 2);
  EXPECT_EQ(client.connections_opened(endpoint()), 2u);
}

TEST_F(ClientTest, RefusedConnectionIsAnError) {
  server_.stop();
  Client client({});
  const std::string r = run(get(client, "/x"));
  EXPECT_EQ(r.rfind("error:", 0), 0u) << r;
}

}  // namespace
}  // namespace s3gw::http
