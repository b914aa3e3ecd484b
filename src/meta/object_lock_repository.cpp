#include "meta/object_lock_repository.h"

#include "meta/object_repository.h"
#include "meta/operation_log.h"

namespace s3gw::meta {

namespace {

struct Target {
  LockWriteResult result = LockWriteResult::kDone;
  std::int64_t object_id = 0;
  std::string version_id;
};

// Inside the caller's transaction: the bucket row (key share: DeleteBucket waits), the key's
// writer lock, then the version to change.
awaitable<Target> find_target(PgConnection& c, std::int64_t bucket_id, std::string_view key,
                              const std::optional<std::string>& version_id) {
  Target t;
  auto bucket = co_await c.query("SELECT 1 FROM buckets WHERE id = $1 FOR KEY SHARE", bucket_id);
  if (bucket.empty()) {
    t.result = LockWriteResult::kNoSuchBucket;
    co_return t;
  }
  co_await ObjectRepository::lock_key(c, bucket_id, key);
  PgResult row;
  if (version_id) {
    row = co_await c.query(
        "SELECT id, version_id, is_delete_marker FROM objects WHERE bucket_id = $1 AND key = $2 "
        "AND version_id = $3",
        bucket_id, key, *version_id);
  } else {
    row = co_await c.query(
        "SELECT id, version_id, is_delete_marker FROM objects WHERE bucket_id = $1 AND key = $2 "
        "AND is_latest",
        bucket_id, key);
  }
  if (row.empty()) {
    t.result = version_id ? LockWriteResult::kNoSuchVersion : LockWriteResult::kNoSuchKey;
    co_return t;
  }
  t.object_id = row.get_int(0, 0);
  t.version_id = std::string(row.get(0, 1));
  if (row.get_bool(0, 2)) t.result = LockWriteResult::kDeleteMarker;
  co_return t;
}

}  // namespace

awaitable<LockWrite> ObjectLockRepository::set_retention(
    std::int64_t bucket_id, std::string_view key, std::optional<std::string> version_id,
    std::optional<std::string> mode, std::optional<util::TimePoint> retain_until,
    bool bypass_governance, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  const Target t = co_await find_target(c, bucket_id, key, version_id);
  LockWrite out{t.result, t.version_id};
  if (t.result != LockWriteResult::kDone) co_return out;  // rolled back
  if (bypass_governance) co_await c.query("SET LOCAL s3gw.bypass_governance = 'on'");
  std::optional<std::int64_t> until_ms;
  if (retain_until) until_ms = util::to_unix_ms(*retain_until);
  bool refused = false;
  try {
    co_await c.query(
        "UPDATE objects SET retention_mode = $2, retain_until = to_timestamp($3::bigint / 1000.0) "
        "WHERE id = $1",
        t.object_id, mode, until_ms);
  } catch (const PgError& e) {
    if (!e.sqlstate().starts_with("S3L")) throw;
    refused = true;
  }
  if (refused) {  // the transaction rolls back as the lease goes
    out.result = LockWriteResult::kLocked;
    co_return out;
  }
  OperationRecord logged = log;
  logged.version_id = t.version_id;
  co_await OperationLog::record(c, logged);
  co_await tx.commit();
  co_return out;
}

awaitable<LockWrite> ObjectLockRepository::set_legal_hold(std::int64_t bucket_id,
                                                          std::string_view key,
                                                          std::optional<std::string> version_id,
                                                          bool on, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  const Target t = co_await find_target(c, bucket_id, key, version_id);
  LockWrite out{t.result, t.version_id};
  if (t.result != LockWriteResult::kDone) co_return out;
  co_await c.query("UPDATE objects SET legal_hold = $2 WHERE id = $1", t.object_id, on);
  OperationRecord logged = log;
  logged.version_id = t.version_id;
  co_await OperationLog::record(c, logged);
  co_await tx.commit();
  co_return out;
}

}  // namespace s3gw::meta
