#pragma once
// The connections of one endpoint: idle keep-alive connections are reused (most recently
// used first), at most max_connections_per_endpoint exist at once, and a caller over the limit
// waits up to the connect timeout. Thread-safe: any I/O thread may acquire and release.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "http/client_connection.h"
#include "http/client_options.h"

namespace s3gw::http {

class ClientLease;

// Opens a connection (plain TCP or TLS, as the endpoint says); null and ec on failure.
using ClientConnector = std::function<awaitable<std::unique_ptr<ClientConnection>>(
    boost::asio::any_io_executor, const ClientEndpoint&, const ClientOptions&,
    boost::system::error_code&)>;

class ClientPool : public std::enable_shared_from_this<ClientPool> {
 public:
  ClientPool(ClientEndpoint endpoint, ClientOptions options, ClientConnector connector);
  ~ClientPool();

  // A connection, reused or new; on failure ec is set (timed_out when the pool stayed full).
  awaitable<ClientLease> acquire(boost::system::error_code& ec);

  const ClientEndpoint& endpoint() const { return endpoint_; }
  // For tests and metrics.
  std::size_t connections_opened() const;
  std::size_t idle_count() const;

 private:
  friend class ClientLease;
  using Clock = std::chrono::steady_clock;
  struct Idle {
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point since;
  };

  // Called by a lease when done: a reusable connection goes back to the idle list.
  void release(std::unique_ptr<ClientConnection> connection, bool reusable);

  ClientEndpoint endpoint_;
  ClientOptions options_;
  ClientConnector connector_;
  mutable std::mutex mutex_;
  std::vector<Idle> idle_;
  std::size_t open_ = 0;  // idle + leased + being connected
  std::size_t opened_total_ = 0;
};

}  // namespace s3gw::http
