#include "meta/operation_log.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "util/log.h"

namespace s3gw::meta {

namespace asio = boost::asio;

namespace {

boost::json::object to_json(const OperationRecord& r) {
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
  if (r.access_key_id) o["access_key_id"] = *r.access_key_id;
  return o;
}

boost::json::object to_json(const ComplianceEvent& e) {
  boost::json::object o;
  o["at_us"] = util::to_unix_us(e.at);
  o["type"] = e.type;
  o["request_id"] = e.request_id;
  if (e.customer_id) o["customer_id"] = *e.customer_id;
  if (e.user_id) o["user_id"] = *e.user_id;
  if (e.access_key_id) o["access_key_id"] = *e.access_key_id;
  o["source_ip"] = e.source_ip;
  o["operation"] = e.operation;
  if (e.bucket) o["bucket"] = *e.bucket;
  if (e.key) o["key"] = *e.key;
  o["code"] = e.code;
  o["reason"] = e.reason;
  return o;
}

template <class Record>
void push_bounded(std::vector<Record>& queue, Record rec, std::string_view what) {
  if (queue.size() >= OperationLog::kMaxPending) {
    util::log_warn("oplog", std::string(what) + " queue full; dropping a record");
    return;
  }
  queue.push_back(std::move(rec));
}

}  // namespace

awaitable<void> OperationLog::record(PgConnection& tx, const OperationRecord& r) {
  co_await tx.query(
      "INSERT INTO operations_log (at, request_id, customer_id, user_id, operation, bucket, key, "
      "version_id, status, bytes, source_ip, access_key_id) VALUES (to_timestamp($11::bigint / "
      "1e6), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12)",
      r.request_id, r.customer_id, r.user_id, r.operation, r.bucket, r.key, r.version_id, r.status,
      r.bytes, r.source_ip, util::to_unix_us(r.at), r.access_key_id);
}

void OperationLog::enqueue(OperationRecord rec) {
  std::lock_guard lock(mutex_);
  push_bounded(pending_, std::move(rec), "read log");
}

void OperationLog::enqueue(ComplianceEvent event) {
  std::lock_guard lock(mutex_);
  push_bounded(pending_events_, std::move(event), "compliance event");
}

template <class Record>
awaitable<void> OperationLog::write_batch(std::vector<Record>& queue, std::string_view sql,
                                          std::string_view what) {
  std::vector<Record> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue);
  }
  if (batch.empty()) co_return;
  // One INSERT for the whole batch: rows travel as a JSON array, unnested server-side.
  boost::json::array rows;
  rows.reserve(batch.size());
  for (const auto& r : batch) rows.push_back(to_json(r));
  try {
    auto lease = co_await pool_.acquire();
    co_await lease->query(sql, boost::json::serialize(rows));
  } catch (const PgError& e) {
    // Connection trouble: keep the batch for the next round. Anything else is a row the
    // database refuses for good; requeueing it would block every later record.
    const bool transient =
        e.sqlstate().empty() || e.sqlstate().starts_with("08") || e.sqlstate().starts_with("57");
    util::log_warn("oplog", "writing " + std::string(what) + " batch failed" +
                                (transient ? ", will retry: " : ", dropped: ") + e.what());
    if (transient) {
      std::lock_guard lock(mutex_);
      if (queue.size() + batch.size() <= kMaxPending) {
        queue.insert(queue.begin(), std::make_move_iterator(batch.begin()),
                     std::make_move_iterator(batch.end()));
      }
    }
  }
}

awaitable<void> OperationLog::flush() {
  co_await write_batch(
      pending_,
      "INSERT INTO operations_log (at, request_id, customer_id, user_id, operation, bucket, "
      "key, version_id, status, bytes, source_ip, access_key_id) "
      "SELECT to_timestamp(at_us / 1e6), request_id, customer_id, user_id, operation, "
      "bucket, key, version_id, status, bytes, source_ip, access_key_id "
      "FROM jsonb_to_recordset($1::jsonb) AS x(at_us bigint, request_id text, "
      "customer_id text, user_id text, operation text, bucket text, key text, version_id "
      "text, status int, bytes bigint, source_ip text, access_key_id text)",
      "read log");
  co_await write_batch(
      pending_events_,
      "INSERT INTO compliance_events (at, type, request_id, customer_id, user_id, "
      "access_key_id, source_ip, operation, bucket, key, code, reason) "
      "SELECT to_timestamp(at_us / 1e6), type, request_id, customer_id, user_id, access_key_id, "
      "source_ip, operation, bucket, key, code, reason FROM jsonb_to_recordset($1::jsonb) "
      "AS x(at_us bigint, type text, request_id text, customer_id text, user_id text, "
      "access_key_id text, source_ip text, operation text, bucket text, key text, code text, "
      "reason text)",
      "compliance event");
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
      "source_ip, access_key_id FROM operations_log "
      "WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR bucket = $2) "
      "ORDER BY at DESC, id DESC LIMIT $3",
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
    e.record.access_key_id = res.get_opt(i, 12);
    out.push_back(std::move(e));
  }
  co_return out;
}

awaitable<std::vector<ComplianceEventEntry>> OperationLog::query_events(
    ComplianceEventFilter filter) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), type, "
      "request_id, customer_id, user_id, access_key_id, source_ip, operation, bucket, key, code, "
      "reason FROM compliance_events WHERE ($1::text IS NULL OR type = $1) AND "
      "($2::text IS NULL OR access_key_id = $2) AND ($3::text IS NULL OR customer_id = $3) "
      "ORDER BY at DESC, id DESC LIMIT $4",
      filter.type, filter.access_key_id, filter.customer_id, filter.limit);
  std::vector<ComplianceEventEntry> out;
  for (int i = 0; i < res.rows(); ++i) {
    ComplianceEventEntry e;
    e.id = res.get_int(i, 0);
    e.at = std::string(res.get(i, 1));
    e.event.type = std::string(res.get(i, 2));
    e.event.request_id = res.get_opt(i, 3).value_or("");
    e.event.customer_id = res.get_opt(i, 4);
    e.event.user_id = res.get_opt(i, 5);
    e.event.access_key_id = res.get_opt(i, 6);
    e.event.source_ip = res.get_opt(i, 7).value_or("");
    e.event.operation = res.get_opt(i, 8).value_or("");
    e.event.bucket = res.get_opt(i, 9);
    e.event.key = res.get_opt(i, 10);
    e.event.code = res.get_opt(i, 11).value_or("");
    e.event.reason = res.get_opt(i, 12).value_or("");
    out.push_back(std::move(e));
  }
  co_return out;
}

}  // namespace s3gw::meta
