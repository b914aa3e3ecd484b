#pragma once
// The compliance log of operations. A mutating request writes its row inside its own
// transaction (record()); reads are queued and written in batches (enqueue()) so a GET never
// waits for a log insert.
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

struct OperationLogEntry {
  std::int64_t id;
  std::string at;  // ISO 8601
  OperationRecord record;
};

class OperationLog {
 public:
  explicit OperationLog(PgPool& pool) : pool_(pool) {}

  static awaitable<void> record(PgConnection& tx, const OperationRecord& rec);

  void enqueue(OperationRecord rec);
  // Writes what is queued; run periodically by flush_loop() and once at shutdown.
  awaitable<void> flush();
  awaitable<void> flush_loop(std::chrono::milliseconds period);
  void stop() { stopping_ = true; }

  awaitable<std::vector<OperationLogEntry>> query(std::optional<std::string> customer,
                                                  std::optional<std::string> bucket, int limit);

 private:
  PgPool& pool_;
  std::mutex mutex_;
  std::vector<OperationRecord> pending_;
  std::atomic<bool> stopping_{false};
  static constexpr std::size_t kMaxPending = 100000;  // beyond this, reads are dropped (warned)
};

}  // namespace s3gw::meta
