#include "meta/object_repository.h"

#include <boost/json.hpp>

#include "meta/operation_log.h"

namespace s3gw::meta {

namespace json = boost::json;

namespace {

// Every query names the objects table "o", so these columns also serve joins.
constexpr std::string_view kColumns =
    "o.id, o.bucket_id, o.key, o.version_id, o.is_latest, o.is_delete_marker, o.size, o.etag, "
    "o.content_type, o.cache_control, o.content_disposition, o.content_encoding, "
    "o.content_language, o.expires, o.user_metadata::text, o.checksum_algorithm, "
    "o.checksum_value, o.checksum_type, o.zone_id, o.backend_bucket, o.blob_key, "
    "(extract(epoch from o.last_modified) * 1000)::bigint";
constexpr int kColumnCount = 22;

std::string select_sql(std::string_view tail) {
  std::string s = "SELECT ";
  s += kColumns;
  s += " FROM objects o ";
  s += tail;
  return s;
}

ObjectVersion version_from_row(const PgResult& r, int i) {
  ObjectVersion v;
  v.id = r.get_int(i, 0);
  v.bucket_id = r.get_int(i, 1);
  v.key = std::string(r.get(i, 2));
  v.version_id = std::string(r.get(i, 3));
  v.is_latest = r.get_bool(i, 4);
  v.is_delete_marker = r.get_bool(i, 5);
  v.size = r.get_int(i, 6);
  v.etag = std::string(r.get(i, 7));
  v.content_type = r.get_opt(i, 8);
  v.cache_control = r.get_opt(i, 9);
  v.content_disposition = r.get_opt(i, 10);
  v.content_encoding = r.get_opt(i, 11);
  v.content_language = r.get_opt(i, 12);
  v.expires = r.get_opt(i, 13);
  // Stored as an array of [name, value] pairs to keep the client's order.
  const auto meta = json::parse(r.get(i, 14));
  if (meta.is_array()) {
    for (const auto& pair : meta.as_array()) {
      const auto& a = pair.as_array();
      v.user_metadata.emplace_back(json::value_to<std::string>(a.at(0)),
                                   json::value_to<std::string>(a.at(1)));
    }
  }
  v.checksum_algorithm = r.get_opt(i, 15);
  v.checksum_value = r.get_opt(i, 16);
  v.checksum_type = r.get_opt(i, 17);
  v.blob.zone_id = std::string(r.get(i, 18));
  v.blob.backend_bucket = std::string(r.get(i, 19));
  v.blob.blob_key = std::string(r.get(i, 20));
  v.last_modified = util::from_unix_ms(r.get_int(i, 21));
  return v;
}

std::string metadata_json(const ObjectVersion& v) {
  json::array a;
  for (const auto& [k, val] : v.user_metadata)
    a.push_back(json::array{json::string(k), json::string(val)});
  return json::serialize(a);
}

// Serializes writers of one key; released at commit.
constexpr std::string_view kLockKey =
    "SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2, 0))";

// Deletes a key's version and records its blob as garbage, in one statement.
constexpr std::string_view kDeleteVersionToGarbage =
    "WITH gone AS (DELETE FROM objects WHERE bucket_id = $1 AND key = $2 AND version_id = $3 "
    "RETURNING zone_id, backend_bucket, blob_key) "
    "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
    "SELECT zone_id, backend_bucket, blob_key, $4 FROM gone "
    "RETURNING id, zone_id, backend_bucket, blob_key";

std::vector<GarbageBlob> garbage_from(const PgResult& r) {
  std::vector<GarbageBlob> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(GarbageBlob{r.get_int(i, 0),
                              BlobLocation{std::string(r.get(i, 1)), std::string(r.get(i, 2)),
                                           std::string(r.get(i, 3))}});
  }
  return out;
}

}  // namespace

awaitable<ObjectRepository::BucketAndVersion> ObjectRepository::find_latest(
    std::string_view customer, std::string_view bucket, std::string_view key) {
  // The object columns first (version_from_row reads them by position), the bucket id last;
  // the LEFT JOIN keeps the bucket row when the key does not exist.
  static const std::string sql =
      "SELECT " + std::string(kColumns) +
      ", b.id FROM buckets b LEFT JOIN objects o ON o.bucket_id = b.id AND o.key = $3 AND "
      "o.is_latest WHERE b.customer_id = $1 AND b.name = $2";
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, customer, bucket, key);
  BucketAndVersion out;
  if (res.empty()) co_return out;
  out.bucket_id = res.get_int(0, kColumnCount);
  if (!res.is_null(0, 0)) out.latest = version_from_row(res, 0);
  co_return out;
}

awaitable<std::optional<std::vector<GarbageBlob>>> ObjectRepository::commit_put(
    const ObjectVersion& v, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  // Holding the bucket row (key share) keeps a concurrent DeleteBucket out until we commit.
  auto bucket = co_await c.query("SELECT 1 FROM buckets WHERE id = $1 FOR KEY SHARE", v.bucket_id);
  if (bucket.empty()) co_return std::nullopt;
  co_await c.query(kLockKey, v.bucket_id, v.key);
  // Unversioned bucket: the new 'null' version replaces the old one.
  auto garbage = garbage_from(
      co_await c.query(kDeleteVersionToGarbage, v.bucket_id, v.key, v.version_id, "overwritten"));
  co_await c.query(
      "UPDATE objects SET is_latest = false WHERE bucket_id = $1 AND key = $2 AND is_latest",
      v.bucket_id, v.key);
  co_await c.query(
      "INSERT INTO objects (bucket_id, key, version_id, is_latest, is_delete_marker, size, etag, "
      "content_type, cache_control, content_disposition, content_encoding, content_language, "
      "expires, user_metadata, checksum_algorithm, checksum_value, checksum_type, zone_id, "
      "backend_bucket, blob_key, last_modified) VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, to_timestamp($20::bigint / "
      "1000.0))",
      v.bucket_id, v.key, v.version_id, v.is_delete_marker, v.size, v.etag, v.content_type,
      v.cache_control, v.content_disposition, v.content_encoding, v.content_language, v.expires,
      metadata_json(v), v.checksum_algorithm, v.checksum_value, v.checksum_type, v.blob.zone_id,
      v.blob.backend_bucket, v.blob.blob_key, util::to_unix_ms(v.last_modified));
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return garbage;
}

awaitable<std::vector<GarbageBlob>> ObjectRepository::delete_null_version(
    std::int64_t bucket_id, std::string_view key, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  co_await c.query(kLockKey, bucket_id, key);
  auto garbage =
      garbage_from(co_await c.query(kDeleteVersionToGarbage, bucket_id, key, "null", "deleted"));
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return garbage;
}

awaitable<ListPage> ObjectRepository::list_latest(std::int64_t bucket_id, std::string_view start,
                                                  bool inclusive, std::optional<std::string> end,
                                                  int limit) {
  static const std::string sql_incl = select_sql(
      "WHERE bucket_id = $1 AND is_latest AND NOT is_delete_marker AND key >= $2 AND "
      "($3::text IS NULL OR key < $3) ORDER BY key LIMIT $4");
  static const std::string sql_excl = select_sql(
      "WHERE bucket_id = $1 AND is_latest AND NOT is_delete_marker AND key > $2 AND "
      "($3::text IS NULL OR key < $3) ORDER BY key LIMIT $4");
  auto lease = co_await pool_.acquire();
  auto res =
      co_await lease->query(inclusive ? sql_incl : sql_excl, bucket_id, start, end, limit + 1);
  ListPage page;
  const int n = std::min(res.rows(), limit);
  page.objects.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) page.objects.push_back(version_from_row(res, i));
  page.more = res.rows() > limit;
  co_return page;
}

awaitable<bool> ObjectRepository::has_version_blob(std::int64_t bucket_id, std::string_view key,
                                                   std::string_view blob_key) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT 1 FROM objects WHERE bucket_id = $1 AND key = $2 AND blob_key = $3", bucket_id, key,
      blob_key);
  co_return !res.empty();
}

awaitable<void> ObjectRepository::forget_garbage(std::int64_t id) {
  auto lease = co_await pool_.acquire();
  co_await lease->query("DELETE FROM garbage_blobs WHERE id = $1", id);
}

awaitable<std::vector<GarbageBlob>> ObjectRepository::pending_garbage(std::string_view zone_id,
                                                                      std::int64_t after_id,
                                                                      int limit) {
  auto lease = co_await pool_.acquire();
  co_return garbage_from(co_await lease->query(
      "SELECT id, zone_id, backend_bucket, blob_key FROM garbage_blobs WHERE zone_id = $1 AND "
      "id > $2 ORDER BY id LIMIT $3",
      zone_id, after_id, limit));
}

}  // namespace s3gw::meta
