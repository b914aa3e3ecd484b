#pragma once
// A connection taken from a ClientPool. It goes back to the pool only when released as
// reusable (a complete response on a keep-alive connection); otherwise, and when the lease is
// destroyed first, the connection is closed: one that failed or was left mid-message is never
// reused.
#include <memory>

#include "http/client_connection.h"
#include "http/client_pool.h"

namespace s3gw::http {

class ClientLease {
 public:
  ClientLease() = default;
  ClientLease(std::shared_ptr<ClientPool> pool, std::unique_ptr<ClientConnection> connection,
              bool reused)
      : pool_(std::move(pool)), connection_(std::move(connection)), reused_(reused) {}
  ClientLease(ClientLease&&) noexcept = default;
  ClientLease& operator=(ClientLease&& other) noexcept {
    if (this != &other) {
      release(false);
      pool_ = std::move(other.pool_);
      connection_ = std::move(other.connection_);
      reused_ = other.reused_;
    }
    return *this;
  }
  ~ClientLease() { release(false); }

  explicit operator bool() const { return connection_ != nullptr; }
  ClientConnection& connection() { return *connection_; }
  // True for a connection that served an earlier request (it may have gone stale).
  bool reused() const { return reused_; }

  void release(bool reusable) {
    if (connection_ && pool_) pool_->release(std::move(connection_), reusable);
    connection_.reset();
    pool_.reset();
  }

 private:
  std::shared_ptr<ClientPool> pool_;
  std::unique_ptr<ClientConnection> connection_;
  bool reused_ = false;
};

}  // namespace s3gw::http
