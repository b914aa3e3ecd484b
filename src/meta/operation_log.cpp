#include "meta/operation_log.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "util/log.h"

namespace s3gw::meta {

namespace asio = boost::asio;

awaitable<void> OperationLog::record(PgConnection& tx, const OperationRecord& r) {
  co_await tx.query(
      "INSERT INTO operations_log (at, request_id, customer_id, user_id, operation, bucket, key, "
      "version_id, status, bytes, source_ip) VALUES (to_timestamp($11::bigint / 1e6), $1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10)",
      r.request_id, r.customer_id, r.user_id, r.operation, r.bucket, r.key, r.version_id, r.status,
      r.bytes, r.source_ip, util::to_unix_us(r.at));
}

void OperationLog::enqueue(OperationRecord rec) {
  std::lock_guard lock(mutex_);
  if (pending_.size() >= kMaxPending) {
    util::log_warn("oplog", "read log queue full; dropping a read record");
    return;
  }
  pending_.push_back(std::move(rec));
}

awaitable<void> OperationLog::flush() {
  std::vector<OperationRecord> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) co_return;
  // One INSERT for the whole batch: columns travel as JSON arrays and are unnested server-side.
  boost::json::array rows;
  rows.reserve(batch.size());
  for (const auto& r : batch) {
    boost::json::object o;
    o["at_us"] = util::to_unix_us(r.at);
    o["request_id"] = r.request_id;
    o["customer_id"] = r.customer_id;
    if (r.user_id) o["user_id"] = *r.user_id;
    o["operation"] = r.operation;
    if (r.bucket) o["bucket"] = *r.bucket;
    if (r.key) o["key"] = *r.key;
    if (r.version_id) o["version_id"] = *r.version_id;
    o["status"] = r.status;
    if (r.bytes) o["bytes"] = *r.bytes;
    o["source_ip"] = r.source_ip;
    rows.push_back(std::move(o));
  }
  try {
    auto lease = co_await pool_.acquire();
    co_await lease->query(
        "INSERT INTO operations_log (at, request_id, customer_id, user_id, operation, bucket, "
        "key, version_id, status, bytes, source_ip) "
        "SELECT to_timestamp(at_us / 1e6), request_id, customer_id, user_id, operation, "
        "bucket, key, version_id, status, bytes, source_ip FROM jsonb_to_recordset($1::jsonb) "
        "AS x(at_us bigint, request_id text, "
        "customer_id text, user_id text, operation text, bucket text, key text, version_id "
        "text, status int, bytes bigint, source_ip text)",
        boost::json::serialize(rows));
  } catch (const PgError& e) {
    // Connection trouble: keep the batch for the next round. Anything else is a row the
    // database refuses for good; requeueing it would block every later read record.
    const bool transient =
        e.sqlstate().empty() || e.sqlstate().starts_with("08") || e.sqlstate().starts_with("57");
    util::log_warn("oplog", std::string("writing read log batch failed") +
                                (transient ? ", will retry: " : ", dropped: ") + e.what());
    if (transient) {
      std::lock_guard lock(mutex_);
      if (pending_.size() + batch.size() <= kMaxPending) {
        pending_.insert(pending_.begin(), std::make_move_iterator(batch.begin()),
                        std::make_move_iterator(batch.end()));
      }
    }
  }
}

awaitable<void> OperationLog::flush_loop(std::chrono::milliseconds period) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stopping_) {
    timer.expires_after(period);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_await flush();
  }
}

awaitable<std::vector<OperationLogEntry>> OperationLog::query(std::optional<std::string> customer,
                                                              std::optional<std::string> bucket,
                                                              int limit) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
      "request_id, customer_id, user_id, operation, bucket, key, version_id, status, bytes, "
      "source_ip FROM operations_log WHERE ($1::text IS NULL OR customer_id = $1) AND "
      "($2::text IS NULL OR bucket = $2) ORDER BY at DESC, id DESC LIMIT $3",
      customer, bucket, limit);
  std::vector<OperationLogEntry> out;
  for (int i = 0; i < res.rows(); ++i) {
    OperationLogEntry e;
    e.id = res.get_int(i, 0);
    e.at = std::string(res.get(i, 1));
    e.record.request_id = std::string(res.get(i, 2));
    e.record.customer_id = res.get_opt(i, 3).value_or("");
    e.record.user_id = res.get_opt(i, 4);
    e.record.operation = std::string(res.get(i, 5));
    e.record.bucket = res.get_opt(i, 6);
    e.record.key = res.get_opt(i, 7);
    e.record.version_id = res.get_opt(i, 8);
    e.record.status = static_cast<int>(res.get_int(i, 9));
    if (!res.is_null(i, 10)) e.record.bytes = res.get_int(i, 10);
    e.record.source_ip = res.get_opt(i, 11).value_or("");
    out.push_back(std::move(e));
  }
  co_return out;
}

}  // namespace s3gw::meta
