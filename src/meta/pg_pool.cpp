#include "meta/pg_pool.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "util/log.h"

namespace s3gw::meta {

PgLease::~PgLease() {
  // A closed pool takes nothing back: the connection goes with the last lease holding it, and
  // the server rolls back whatever it had open.
  if (conn_ != nullptr && !owner_->closed) pool_->release(conn_);
}

PgPool::PgPool(boost::asio::io_context& ioc, std::string conninfo, std::size_t size)
    : ioc_(ioc), connections_(std::make_shared<PgPoolConnections>()), free_(ioc, size) {
  for (std::size_t i = 0; i < size; ++i) {
    connections_->all.push_back(std::make_unique<PgConnection>(ioc.get_executor(), conninfo));
    free_.try_send(boost::system::error_code{}, connections_->all.back().get());
  }
}

// Runs after the I/O threads have stopped (the pool lives in main, below the io_context), so no
// lease is released concurrently.
PgPool::~PgPool() {
  connections_->closed = true;
}

awaitable<PgLease> PgPool::acquire() {
  PgConnection* conn = co_await free_.async_receive(boost::asio::use_awaitable);
  PgLease lease(this, connections_, conn);
  if (!conn->idle_and_alive()) co_await conn->connect();
  co_return lease;
}

void PgPool::release(PgConnection* conn) {
  if (conn->healthy() && conn->in_transaction()) {
    // Abandoned mid-transaction (an early return or an exception): roll back now, so its row
    // locks do not outlive the request, then hand the connection back.
    boost::asio::co_spawn(
        ioc_,
        [this, conn]() -> awaitable<void> {
          try {
            co_await conn->query("ROLLBACK");
          } catch (const std::exception& e) {
            util::log_warn("meta", std::string("rollback failed, reconnecting: ") + e.what());
            conn->close();
          }
          free_.try_send(boost::system::error_code{}, conn);
        },
        boost::asio::detached);
    return;
  }
  // Capacity equals the number of connections, so this never fails.
  free_.try_send(boost::system::error_code{}, conn);
}

awaitable<PgTransaction> PgTransaction::begin(PgLease& lease) {
  co_await lease->query("BEGIN");
  co_return PgTransaction(*lease);
}

awaitable<void> PgTransaction::commit() {
  co_await conn_->query("COMMIT");
}

}  // namespace s3gw::meta
