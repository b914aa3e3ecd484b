#include "http/client_pool.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/client_lease.h"

namespace s3gw::http {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
// How often a caller waiting for a free slot looks again. Polling keeps the pool free of
// cross-thread wake-ups (the io_context runs on several threads without strands).
constexpr std::chrono::milliseconds kFullPoll{5};
}  // namespace

ClientPool::ClientPool(ClientEndpoint endpoint, ClientOptions options, ClientConnector connector)
    : endpoint_(std::move(endpoint)), options_(options), connector_(std::move(connector)) {}

ClientPool::~ClientPool() {
  for (auto& i : idle_) i.connection->close();
}

awaitable<ClientLease> ClientPool::acquire(error_code& ec) {
  ec = {};
  auto ex = co_await asio::this_coro::executor;
  const auto deadline = Clock::now() + options_.connect_timeout;
  for (;;) {
    std::vector<std::unique_ptr<ClientConnection>> stale;  // closed outside the lock
    bool may_open = false;
    {
      std::lock_guard lock(mutex_);
      const auto now = Clock::now();
      while (!idle_.empty()) {
        Idle i = std::move(idle_.back());
        idle_.pop_back();
        if (now - i.since <= options_.idle_timeout) {
          for (auto& s : stale) s->close();
          co_return ClientLease(shared_from_this(), std::move(i.connection), true);
        }
        stale.push_back(std::move(i.connection));
        --open_;
      }
      if (open_ < options_.max_connections_per_endpoint) {
        ++open_;
        ++opened_total_;
        may_open = true;
      }
    }
    for (auto& s : stale) s->close();
    if (may_open) {
      auto conn = co_await connector_(ex, endpoint_, options_, ec);
      if (!conn) {
        std::lock_guard lock(mutex_);
        --open_;
        co_return ClientLease();
      }
      co_return ClientLease(shared_from_this(), std::move(conn), false);
    }
    if (Clock::now() >= deadline) {
      ec = asio::error::timed_out;
      co_return ClientLease();
    }
    asio::steady_timer timer(ex, kFullPoll);
    error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void ClientPool::release(std::unique_ptr<ClientConnection> connection, bool reusable) {
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back({std::move(connection), Clock::now()});
      return;
    }
    --open_;
  }
  connection->close();
}

std::size_t ClientPool::connections_opened() const {
  std::lock_guard lock(mutex_);
  return opened_total_;
}

std::size_t ClientPool::idle_count() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

}  // namespace s3gw::http
