#include "http/client.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/http/error.hpp>

#include "http/client_tcp_connection.h"
#include "http/client_tls_connection.h"

namespace s3gw::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

// What a server's close of an idle keep-alive connection looks like to the next request.
bool stale_connection_error(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

Client::Client(ClientOptions options, ClientConnector connector)
    : options_(options), connector_(std::move(connector)) {
  if (connector_) return;
  // Made now, not at the first https request: a CA file that cannot be used is a start-up error.
  auto tls = ClientTlsConnection::make_context(options_.tls);
  connector_ = [tls](asio::any_io_executor ex, const ClientEndpoint& endpoint,
                     const ClientOptions& opts, error_code& ec) {
    return endpoint.tls ? ClientTlsConnection::connect(tls, std::move(ex), endpoint, opts, ec)
                        : ClientTcpConnection::connect(std::move(ex), endpoint, opts, ec);
  };
}

std::shared_ptr<ClientPool> Client::pool(const ClientEndpoint& endpoint) {
  std::lock_guard lock(mutex_);
  auto& p = pools_[endpoint.key()];
  if (!p) p = std::make_shared<ClientPool>(endpoint, options_, connector_);
  return p;
}

std::size_t Client::connections_opened(const ClientEndpoint& endpoint) {
  return pool(endpoint)->connections_opened();
}

awaitable<std::unique_ptr<ClientResponse>> Client::send(const ClientEndpoint& endpoint,
                                                        const ClientRequest& request,
                                                        error_code& ec) {
  auto p = pool(endpoint);
  for (int attempt = 0;; ++attempt) {
    ClientLease lease = co_await p->acquire(ec);
    if (!lease) co_return nullptr;
    const bool reused = lease.reused();
    bool nothing_received = false;
    auto response = co_await send_once(std::move(lease), request, nothing_received, ec);
    if (response) co_return response;
    // A reused connection the server had already closed: the request never got an answer, so
    // an idempotent one may go again on a fresh connection (a new one is not retried here).
    if (!(reused && nothing_received && request.idempotent && stale_connection_error(ec)) ||
        attempt > 0) {
      co_return nullptr;
    }
  }
}

awaitable<std::unique_ptr<ClientResponse>> Client::send_once(ClientLease lease,
                                                             const ClientRequest& request,
                                                             bool& nothing_received,
                                                             error_code& ec) {
  ClientRequestMessage msg{request.method, request.target, 11};
  for (const auto& [name, value] : request.headers) msg.insert(name, value);
  msg.body() = request.body;
  msg.keep_alive(true);
  msg.prepare_payload();  // Content-Length: PUT and POST carry one even when 0

  nothing_received = true;
  co_await lease.connection().write(msg, ec);
  if (ec) co_return nullptr;

  auto parser = std::make_unique<ClientResponseParser>();
  parser->header_limit(options_.max_header_bytes);
  parser->body_limit(boost::none);  // bodies stream through; the caller bounds what it keeps
  if (request.method == bhttp::verb::head) parser->skip(true);
  co_await lease.connection().read_header(*parser, ec);
  if (ec) {
    nothing_received = parser->got_some() == false;
    co_return nullptr;
  }
  nothing_received = false;
  co_return std::make_unique<ClientResponse>(std::move(lease), std::move(parser));
}

}  // namespace s3gw::http
