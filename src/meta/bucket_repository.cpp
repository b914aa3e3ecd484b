#include "meta/bucket_repository.h"

#include <boost/json.hpp>

#include "meta/multipart_repository.h"
#include "meta/operation_log.h"

namespace s3gw::meta {

namespace {
constexpr const char* kColumns =
    "id, customer_id, name, owner_user_id, location_constraint, versioning, "
    "(extract(epoch from created_at) * 1000)::bigint, replica_count, object_lock::text";

// buckets.object_lock: null (off) or {"enabled": true, "rule": {"mode": "...", "days": N}}
// ("years" instead of "days"); PutBucketVersioning tests it for not null.
void read_object_lock(std::string_view text, Bucket& b) {
  namespace json = boost::json;
  const auto doc = json::parse(text);
  if (!doc.is_object()) return;
  b.object_lock_enabled = true;
  const auto* rule = doc.as_object().if_contains("rule");
  if (rule == nullptr || !rule->is_object()) return;
  const auto& r = rule->as_object();
  DefaultRetention d;
  d.mode = json::value_to<std::string>(r.at("mode"));
  if (const auto* days = r.if_contains("days")) d.days = json::value_to<int>(*days);
  if (const auto* years = r.if_contains("years")) d.years = json::value_to<int>(*years);
  b.default_retention = std::move(d);
}

Bucket bucket_from_row(const PgResult& r, int i) {
  Bucket b;
  b.id = r.get_int(i, 0);
  b.customer_id = std::string(r.get(i, 1));
  b.name = std::string(r.get(i, 2));
  b.owner_user_id = r.get_opt(i, 3);
  b.location_constraint = std::string(r.get(i, 4));
  b.versioning = std::string(r.get(i, 5));
  b.created_at = util::from_unix_ms(r.get_int(i, 6));
  if (!r.is_null(i, 7)) b.replica_count = static_cast<int>(r.get_int(i, 7));
  if (!r.is_null(i, 8)) read_object_lock(r.get(i, 8), b);
  return b;
}
}  // namespace

std::string object_lock_json(const Bucket& b) {
  namespace json = boost::json;
  json::object o;
  o["enabled"] = true;
  if (b.default_retention) {
    json::object rule;
    rule["mode"] = b.default_retention->mode;
    if (b.default_retention->days > 0) rule["days"] = b.default_retention->days;
    if (b.default_retention->years > 0) rule["years"] = b.default_retention->years;
    o["rule"] = std::move(rule);
  }
  return json::serialize(o);
}

awaitable<CreateBucketOutcome> BucketRepository::create(const Bucket& bucket,
                                                        const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  // Object lock at creation turns versioning on with it.
  std::optional<std::string> lock;
  std::string versioning = bucket.versioning;
  if (bucket.object_lock_enabled) {
    lock = object_lock_json(bucket);
    versioning = "Enabled";
  }
  auto res = co_await tx.conn().query(
      "INSERT INTO buckets (customer_id, name, owner_user_id, location_constraint, versioning, "
      "object_lock) VALUES ($1, $2, $3, $4, $5, $6::jsonb) "
      "ON CONFLICT (customer_id, name) DO NOTHING RETURNING id",
      bucket.customer_id, bucket.name, bucket.owner_user_id, bucket.location_constraint, versioning,
      lock);
  if (res.empty()) co_return CreateBucketOutcome::kAlreadyOwnedByYou;  // lease rolls back
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return CreateBucketOutcome::kCreated;
}

awaitable<std::optional<Bucket>> BucketRepository::find(std::string_view customer,
                                                        std::string_view name) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM buckets WHERE customer_id = $1 AND name = $2";
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, customer, name);
  if (res.empty()) co_return std::nullopt;
  co_return bucket_from_row(res, 0);
}

awaitable<std::vector<Bucket>> BucketRepository::list(std::string_view customer) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM buckets WHERE customer_id = $1 ORDER BY name";
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, customer);
  std::vector<Bucket> out;
  out.reserve(static_cast<std::size_t>(res.rows()));
  for (int i = 0; i < res.rows(); ++i) out.push_back(bucket_from_row(res, i));
  co_return out;
}

awaitable<DeleteBucketOutcome> BucketRepository::remove(std::string_view customer,
                                                        std::string_view name,
                                                        const OperationRecord& log,
                                                        std::vector<GarbageBlob>* garbage) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  // The row lock serializes against writers: an object insert holds a key-share lock on its
  // bucket row through the foreign key.
  auto b = co_await tx.conn().query(
      "SELECT id FROM buckets WHERE customer_id = $1 AND name = $2 FOR UPDATE", customer, name);
  if (b.empty()) co_return DeleteBucketOutcome::kNoSuchBucket;
  const std::int64_t id = b.get_int(0, 0);
  auto any = co_await tx.conn().query("SELECT 1 FROM objects WHERE bucket_id = $1 LIMIT 1", id);
  if (!any.empty()) co_return DeleteBucketOutcome::kNotEmpty;
  auto dropped = co_await MultipartRepository::drop_bucket_uploads(tx.conn(), id);
  co_await tx.conn().query("DELETE FROM buckets WHERE id = $1", id);
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  if (garbage != nullptr) {
    for (auto& g : dropped) garbage->push_back(std::move(g));
  }
  co_return DeleteBucketOutcome::kDeleted;
}

awaitable<bool> BucketRepository::set_replica_count(std::string_view customer,
                                                    std::string_view name, int replica_count,
                                                    const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto res = co_await tx.conn().query(
      "UPDATE buckets SET replica_count = $3 WHERE customer_id = $1 AND name = $2 RETURNING id",
      customer, name, replica_count);
  if (res.empty()) co_return false;  // the lease rolls back
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return true;
}

awaitable<VersioningChange> BucketRepository::set_versioning(std::string_view customer,
                                                             std::string_view name,
                                                             std::string_view state,
                                                             const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto bucket = co_await tx.conn().query(
      "SELECT id, object_lock IS NOT NULL AND object_lock <> 'null'::jsonb FROM buckets "
      "WHERE customer_id = $1 AND name = $2 FOR UPDATE",
      customer, name);
  if (bucket.empty()) co_return VersioningChange::kNoSuchBucket;
  // Object lock needs every version kept: a lock-enabled bucket stays versioned.
  if (bucket.get_bool(0, 1) && state != "Enabled") co_return VersioningChange::kLocked;
  co_await tx.conn().query("UPDATE buckets SET versioning = $2 WHERE id = $1", bucket.get_int(0, 0),
                           state);
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return VersioningChange::kChanged;
}

awaitable<ObjectLockChange> BucketRepository::set_object_lock(std::string_view customer,
                                                              std::string_view name,
                                                              const Bucket& config,
                                                              const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  // FOR UPDATE: PutBucketVersioning takes the same lock, so a bucket cannot be suspended
  // while its lock is being enabled.
  auto bucket = co_await tx.conn().query(
      "SELECT id, versioning FROM buckets WHERE customer_id = $1 AND name = $2 FOR UPDATE",
      customer, name);
  if (bucket.empty()) co_return ObjectLockChange::kNoSuchBucket;
  if (bucket.get(0, 1) != "Enabled") co_return ObjectLockChange::kNotVersioned;
  co_await tx.conn().query("UPDATE buckets SET object_lock = $2::jsonb WHERE id = $1",
                           bucket.get_int(0, 0), object_lock_json(config));
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return ObjectLockChange::kChanged;
}

}  // namespace s3gw::meta
