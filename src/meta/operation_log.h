#pragma once
// The compliance log of operations. A mutating request writes its row inside its own
// transaction (record()); reads are queued and written in batches (enqueue()) so a GET never
// waits for a log insert. Compliance events (authentication failures, denials) are batched the
// same way: a flood of bad requests costs one INSERT a second, not one per request.
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

struct ComplianceEventEntry {
  std::int64_t id;
  std::string at;  // ISO 8601
  ComplianceEvent event;
};

struct ComplianceEventFilter {
  std::optional<std::string> type;
  std::optional<std::string> access_key_id;
  std::optional<std::string> customer_id;
  int limit = 100;
};

class OperationLog {
 public:
  // Per queue; beyond this, queued records are dropped (with a warning).
  static constexpr std::size_t kMaxPending = 100000;

  explicit OperationLog(PgPool& pool) : pool_(pool) {}

  static awaitable<void> record(PgConnection& tx, const OperationRecord& rec);

  void enqueue(OperationRecord rec);
  void enqueue(ComplianceEvent event);
  // Writes what is queued; run periodically by flush_loop() and once at shutdown.
  awaitable<void> flush();
  awaitable<void> flush_loop(std::chrono::milliseconds period);
  void stop() { stopping_ = true; }

  awaitable<std::vector<OperationLogEntry>> query(std::optional<std::string> customer,
                                                  std::optional<std::string> bucket, int limit);
  // Newest first.
  awaitable<std::vector<ComplianceEventEntry>> query_events(ComplianceEventFilter filter);

 private:
  PgPool& pool_;
  std::mutex mutex_;
  std::vector<OperationRecord> pending_;
  std::vector<ComplianceEvent> pending_events_;
  std::atomic<bool> stopping_{false};

  template <class Record>
  awaitable<void> write_batch(std::vector<Record>& queue, std::string_view sql,
                              std::string_view what);
};

}  // namespace s3gw::meta
