#pragma once
// The HTTP/1.1 client: one connection pool per endpoint (scheme, host and port), keep-alive
// connections reused (TLS ones too: one handshake per connection, not per request), a failed
// connection dropped. https endpoints are verified as options.tls says (client_tls_connection.h).
// One send() is one attempt; retrying with backoff is the caller's policy (it knows which requests
// are idempotent).
#include <boost/asio/any_io_executor.hpp>
#include <map>
#include <memory>
#include <mutex>

#include "http/client_options.h"
#include "http/client_pool.h"
#include "http/client_request.h"
#include "http/client_response.h"

namespace s3gw::http {

class Client {
 public:
  // Without a connector: plain TCP for http endpoints, TLS for https ones. Throws
  // std::runtime_error when options.tls names a CA file that cannot be used.
  explicit Client(ClientOptions options, ClientConnector connector = {});

  // The response head; the body streams from the returned response. Null and ec on a
  // connection error or timeout (an HTTP error status is a response, not an ec).
  awaitable<std::unique_ptr<ClientResponse>> send(const ClientEndpoint& endpoint,
                                                  const ClientRequest& request,
                                                  boost::system::error_code& ec);

  const ClientOptions& options() const { return options_; }
  // Connections ever opened to the endpoint (tests, metrics).
  std::size_t connections_opened(const ClientEndpoint& endpoint);

 private:
  std::shared_ptr<ClientPool> pool(const ClientEndpoint& endpoint);
  awaitable<std::unique_ptr<ClientResponse>> send_once(ClientLease lease,
                                                       const ClientRequest& request,
                                                       bool& nothing_received,
                                                       boost::system::error_code& ec);

  ClientOptions options_;
  ClientConnector connector_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<ClientPool>> pools_;
};

}  // namespace s3gw::http
