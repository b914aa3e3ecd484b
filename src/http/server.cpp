#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <iterator>
#include <vector>

#include "util/log.h"

namespace s3gw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Server::Session {
  explicit Session(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a request head; only touched on the session's strand
};

namespace {

constexpr std::size_t kWriteChunk = 128 * 1024;

// Reads the request body straight from the parser into the caller's buffer.
class ParserBodyReader final : public BodyReader {
 public:
  ParserBodyReader(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                   bhttp::request_parser<bhttp::buffer_body>& parser, bool expect_continue,
                   std::chrono::seconds timeout)
      : stream_(stream),
        buffer_(buffer),
        parser_(parser),
        need_continue_(expect_continue),
        timeout_(timeout),
        head_fields_(field_count()) {}

  awaitable<std::size_t> read_some(asio::mutable_buffer buf, error_code& ec) override {
    ec = {};
    if (buf.size() == 0) co_return 0;
    if (need_continue_) {
      // The client waits for this before it sends the body; send it only once the handler
      // actually wants the body, so a rejected request never uploads.
      need_continue_ = false;
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
      stream_.expires_after(timeout_);
      co_await bhttp::async_write(stream_, cont, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return 0;
    }
    if (parser_.is_done()) co_return 0;
    auto& body = parser_.get().body();
    body.data = buf.data();
    body.size = buf.size();
    // Fill the buffer in as many reads as it takes; the timeout is re-armed for each one, so it
    // bounds silence, not the time a slow but steady upload needs for a whole buffer.
    while (body.size > 0 && !parser_.is_done()) {
      stream_.expires_after(timeout_);
      co_await bhttp::async_read_some(stream_, buffer_, parser_,
                                      asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) break;
    }
    const std::size_t n = buf.size() - body.size;
    body.data = nullptr;
    body.size = 0;
    // Beast adds a chunked body's trailer fields to the head's fields when it reaches them.
    if (!ec && parser_.is_done() && field_count() != head_fields_) {
      ec = trailer_fields_refused();
      co_return 0;
    }
    co_return n;
  }

  bool complete() const override { return parser_.is_done(); }

  std::optional<std::uint64_t> declared_length() const override {
    if (auto len = parser_.content_length()) return *len;
    return std::nullopt;
  }

 private:
  beast::tcp_stream& stream_;
  beast::flat_buffer& buffer_;
  std::size_t field_count() const {
    const auto& fields = parser_.get().base();
    return static_cast<std::size_t>(std::distance(fields.begin(), fields.end()));
  }

  bhttp::request_parser<bhttp::buffer_body>& parser_;
  bool need_continue_;
  std::chrono::seconds timeout_;
  std::size_t head_fields_;
};

template <class Message>
void copy_headers(const bhttp::fields& from, Message& to) {
  for (const auto& f : from) {
    if (f.name() == bhttp::field::unknown) {
      to.insert(f.name_string(), f.value());
    } else {
      to.insert(f.name(), f.value());
    }
  }
}

// Writes a response; false when the connection can no longer be used.
awaitable<bool> write_response(beast::tcp_stream& stream, Response& r, bool keep_alive,
                               std::chrono::seconds timeout) {
  error_code ec;
  const auto status = static_cast<bhttp::status>(r.status);
  if (r.head_only) {
    bhttp::response<bhttp::empty_body> res{status, 11};
    copy_headers(r.headers, res);
    res.keep_alive(keep_alive);
    if (r.stream) res.content_length(r.stream_length);
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    stream.expires_after(timeout);
    co_await bhttp::async_write_header(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }
  if (!r.stream) {
    bhttp::response<bhttp::string_body> res{status, 11};
    copy_headers(r.headers, res);
    res.body() = std::move(r.body);
    res.keep_alive(keep_alive);
    // RFC 9110: no Content-Length on 1xx and 204; a 304 must not claim an empty body.
    if (r.status >= 200 && r.status != 204 && r.status != 304) res.prepare_payload();
    stream.expires_after(timeout);
    co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  bhttp::response<bhttp::buffer_body> res{status, 11};
  copy_headers(r.headers, res);
  res.keep_alive(keep_alive);
  res.content_length(r.stream_length);
  res.body().data = nullptr;
  res.body().more = true;
  bhttp::response_serializer<bhttp::buffer_body> sr{res};
  stream.expires_after(timeout);
  co_await bhttp::async_write_header(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;

  std::vector<char> buf(static_cast<std::size_t>(
      std::min<std::uint64_t>(kWriteChunk, std::max<std::uint64_t>(r.stream_length, 1))));
  std::uint64_t left = r.stream_length;
  do {
    std::size_t n = 0;
    if (left > 0) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left));
      n = co_await r.stream->read(asio::buffer(buf.data(), want), ec);
      if (ec || n == 0) {
        // The body cannot be completed (backend failed mid-stream): the only honest signal
        // left is to cut the connection, so the client sees a short body, never a wrong one.
        util::log_warn("http", "response body source failed: " +
                                   (ec ? ec.message() : std::string("ended early")));
        co_return false;
      }
      left -= n;
    }
    res.body().data = n ? buf.data() : nullptr;
    res.body().size = n;
    res.body().more = left > 0;
    stream.expires_after(timeout);
    co_await bhttp::async_write(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) co_return false;
  } while (left > 0);
  co_return true;
}

}  // namespace

Response default_error_response(unsigned status, std::string_view code, std::string_view message) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>";
  body += code;
  body += "</Code><Message>";
  body += message;
  body += "</Message></Error>";
  auto r = Response::text(status, std::move(body), "application/xml");
  r.close = true;
  return r;
}

Server::Server(asio::io_context& ioc, ServerOptions options, Handler handler)
    : ioc_(ioc), options_(std::move(options)), handler_(std::move(handler)), acceptor_(ioc) {
  if (!options_.error_response) options_.error_response = default_error_response;
}

Server::~Server() = default;

void Server::start() {
  const auto address = asio::ip::make_address(options_.bind_address);
  tcp::endpoint ep{address, options_.port};
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, listen(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      util::log_error("http", std::string("accept loop failed: ") + ex.what());
    }
  });
}

std::size_t Server::active_sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void Server::begin_shutdown() {
  if (draining_.exchange(true)) return;
  asio::post(ioc_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
  });
  std::lock_guard lock(mutex_);
  for (Session* s : sessions_) {
    // Wake connections idling in keep-alive; busy ones close after their response.
    asio::post(s->stream.get_executor(), [this, s] {
      std::lock_guard inner(mutex_);
      if (sessions_.contains(s) && s->idle) s->stream.cancel();
    });
  }
}

void Server::abort_all() {
  std::lock_guard lock(mutex_);
  for (Session* s : sessions_) {
    asio::post(s->stream.get_executor(), [this, s] {
      std::lock_guard inner(mutex_);
      if (sessions_.contains(s)) s->stream.close();
    });
  }
}

awaitable<void> Server::listen() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_),
                                                        asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (draining_ || ec == asio::error::operation_aborted) co_return;
      // Out of descriptors and the like: back off briefly instead of spinning.
      util::log_warn("http", "accept failed: " + ec.message());
      asio::steady_timer t(ioc_, std::chrono::milliseconds(50));
      co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto ex = socket.get_executor();
    asio::co_spawn(ex, run_session(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex2) {
        util::log_error("http", std::string("session failed: ") + ex2.what());
      }
    });
  }
}

awaitable<void> Server::run_session(tcp::socket socket) {
  error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  std::string remote;
  {
    auto ep = socket.remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  Session session(std::move(socket));
  {
    std::lock_guard lock(mutex_);
    sessions_.insert(&session);
  }
  struct Unregister {
    Server* server;
    Session* s;
    ~Unregister() {
      std::lock_guard lock(server->mutex_);
      server->sessions_.erase(s);
    }
  } unregister{this, &session};

  beast::tcp_stream& stream = session.stream;
  beast::flat_buffer buffer;
  // Beast sizes each socket read by the buffer's free capacity: left alone it stays near the
  // request head's size, and a body then arrives a kilobyte or two per read.
  buffer.reserve(64 * 1024);
  for (bool first = true; !draining_; first = false) {
    bhttp::request_parser<bhttp::buffer_body> parser;
    parser.header_limit(options_.header_limit);
    parser.body_limit(boost::none);  // object size limits belong to the handlers

    session.idle = true;
    stream.expires_after(first ? options_.header_timeout : options_.idle_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    session.idle = false;
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        auto r = options_.error_response(400, "RequestHeaderSectionTooLarge",
                                         "Your request header section exceeds the maximum "
                                         "allowed size.");
        co_await write_response(stream, r, false, options_.body_timeout);
      } else if (ec != bhttp::error::end_of_stream && ec != asio::error::operation_aborted &&
                 ec != beast::error::timeout && ec != asio::error::eof &&
                 ec != asio::error::connection_reset && buffer.size() > 0) {
        auto r = options_.error_response(400, "BadRequest", "The request could not be parsed.");
        co_await write_response(stream, r, false, options_.body_timeout);
      }
      break;
    }

    auto& head = parser.get();
    if (static_cast<std::size_t>(std::distance(head.begin(), head.end())) >
        options_.max_header_count) {
      auto r = options_.error_response(400, "RequestHeaderSectionTooLarge",
                                       "Your request has too many header fields.");
      co_await write_response(stream, r, false, options_.body_timeout);
      break;
    }

    // Also for an empty body: botocore, told the final response straight away, keeps that
    // response's status line for the next request of the connection that also expects 100 and
    // misreads its response (awsrequest.py, AWSConnection.request). S3 sends the 100.
    const bool expect_continue = beast::iequals(head[bhttp::field::expect], "100-continue");
    ParserBodyReader body(stream, buffer, parser, expect_continue, options_.body_timeout);
    Request request(head.method(), head.method_string(), std::string(head.target()), head.base(),
                    body, remote);

    Response response;
    try {
      response = co_await handler_(request);
    } catch (const std::exception& e) {
      util::log_error("http", std::string("handler failed: ") + e.what());
      response = options_.error_response(500, "InternalError",
                                         "We encountered an internal error. Please try again.");
    }

    // A connection is reusable only if the request body was consumed entirely; otherwise the
    // unread bytes would be taken for the next request. A client still waiting for
    // 100 Continue has sent nothing, but closing is the simple safe choice there too.
    const bool keep_alive = head.keep_alive() && body.complete() && !response.close && !draining_;
    const bool ok = co_await write_response(stream, response, keep_alive, options_.body_timeout);
    if (!ok || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace s3gw::http
