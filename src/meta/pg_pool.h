#pragma once
// A fixed set of PostgreSQL connections handed out one coroutine at a time. Waiting for a free
// connection is itself awaitable (a concurrent channel), so a burst queues instead of blocking.
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "meta/pg.h"

namespace s3gw::meta {

class PgPool;

// The connections, shared by the pool and its leases. At shutdown the io_context destroys the
// frames of coroutines still suspended (detached writers, requests cut off) after the pool
// itself is gone; their leases must then find the connections still there and the pool closed.
struct PgPoolConnections {
  std::vector<std::unique_ptr<PgConnection>> all;
  bool closed = false;  // set by ~PgPool, once no I/O thread runs any more
};

// Exclusive use of one connection until destroyed. A lease released inside an open
// transaction (an early return or an exception) has that transaction rolled back at once.
class PgLease {
 public:
  PgLease(PgPool* pool, std::shared_ptr<PgPoolConnections> owner, PgConnection* conn)
      : pool_(pool), owner_(std::move(owner)), conn_(conn) {}
  PgLease(PgLease&& o) noexcept : pool_(o.pool_), owner_(std::move(o.owner_)), conn_(o.conn_) {
    o.conn_ = nullptr;
  }
  PgLease& operator=(PgLease&&) = delete;
  PgLease(const PgLease&) = delete;
  ~PgLease();
  PgConnection* operator->() const { return conn_; }
  PgConnection& operator*() const { return *conn_; }

 private:
  PgPool* pool_;  // valid while !owner_->closed
  std::shared_ptr<PgPoolConnections> owner_;
  PgConnection* conn_;
};

class PgPool {
 public:
  PgPool(boost::asio::io_context& ioc, std::string conninfo, std::size_t size);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;
  awaitable<PgLease> acquire();
  std::size_t size() const { return connections_->all.size(); }

 private:
  friend class PgLease;
  void release(PgConnection* conn);

  using Channel =
      boost::asio::experimental::concurrent_channel<void(boost::system::error_code, PgConnection*)>;
  boost::asio::io_context& ioc_;
  std::shared_ptr<PgPoolConnections> connections_;
  Channel free_;
};

// BEGIN ... COMMIT on a lease; without commit() the lease's release rolls it back.
class PgTransaction {
 public:
  static awaitable<PgTransaction> begin(PgLease& lease);
  awaitable<void> commit();
  PgConnection& conn() { return *conn_; }

 private:
  explicit PgTransaction(PgConnection& c) : conn_(&c) {}
  PgConnection* conn_;
};

}  // namespace s3gw::meta
