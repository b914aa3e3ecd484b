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

// Exclusive use of one connection until destroyed. A lease released inside an open
// transaction (an early return or an exception) has that transaction rolled back at once.
class PgLease {
 public:
  PgLease(PgPool* pool, PgConnection* conn) : pool_(pool), conn_(conn) {}
  PgLease(PgLease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.conn_ = nullptr; }
  PgLease& operator=(PgLease&&) = delete;
  PgLease(const PgLease&) = delete;
  ~PgLease();
  PgConnection* operator->() const { return conn_; }
  PgConnection& operator*() const { return *conn_; }

 private:
  PgPool* pool_;
  PgConnection* conn_;
};

class PgPool {
 public:
  PgPool(boost::asio::io_context& ioc, std::string conninfo, std::size_t size);
  awaitable<PgLease> acquire();
  std::size_t size() const { return connections_.size(); }

 private:
  friend class PgLease;
  void release(PgConnection* conn);

  using Channel =
      boost::asio::experimental::concurrent_channel<void(boost::system::error_code, PgConnection*)>;
  boost::asio::io_context& ioc_;
  std::vector<std::unique_ptr<PgConnection>> connections_;
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
