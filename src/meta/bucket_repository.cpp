#include "meta/bucket_repository.h"

#include "meta/multipart_repository.h"
#include "meta/operation_log.h"

namespace s3gw::meta {

namespace {
constexpr const char* kColumns =
    "id, customer_id, name, owner_user_id, location_constraint, versioning, "
    "(extract(epoch from created_at) * 1000)::bigint, replica_count";

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
  return b;
}
}  // namespace

awaitable<CreateBucketOutcome> BucketRepository::create(const Bucket& bucket,
                                                        const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto res = co_await tx.conn().query(
      "INSERT INTO buckets (customer_id, name, owner_user_id, location_constraint) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, name) DO NOTHING RETURNING id",
      bucket.customer_id, bucket.name, bucket.owner_user_id, bucket.location_constraint);
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

}  // namespace s3gw::meta
