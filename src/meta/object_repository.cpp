#include "meta/object_repository.h"

#include <boost/json.hpp>

#include "meta/operation_log.h"
#include "util/random.h"

namespace s3gw::meta {

namespace json = boost::json;

namespace {

// Every query names the objects table "o", so these columns also serve joins.
constexpr std::string_view kColumns =
    "o.id, o.bucket_id, o.key, o.version_id, o.is_latest, o.is_delete_marker, o.size, o.etag, "
    "o.content_type, o.cache_control, o.content_disposition, o.content_encoding, "
    "o.content_language, o.expires, o.user_metadata::text, o.checksum_algorithm, "
    "o.checksum_value, o.checksum_type, o.zone_id, o.backend_bucket, o.blob_key, "
    "(extract(epoch from o.last_modified) * 1000)::bigint, o.replica_count, o.retention_mode, "
    "(extract(epoch from o.retain_until) * 1000)::bigint, o.legal_hold";
constexpr int kColumnCount = 26;
// Appended by the single-version reads: the version's tag count (x-amz-tagging-count).
constexpr std::string_view kTagCount =
    "(SELECT count(*) FROM object_tags t WHERE t.object_id = o.id)";

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
  v.user_metadata = parse_user_metadata(r.get(i, 14));
  v.checksum_algorithm = r.get_opt(i, 15);
  v.checksum_value = r.get_opt(i, 16);
  v.checksum_type = r.get_opt(i, 17);
  v.blob.zone_id = std::string(r.get(i, 18));
  v.blob.backend_bucket = std::string(r.get(i, 19));
  v.blob.blob_key = std::string(r.get(i, 20));
  v.last_modified = util::from_unix_ms(r.get_int(i, 21));
  if (!r.is_null(i, 22)) v.replica_count = static_cast<int>(r.get_int(i, 22));
  v.retention_mode = r.get_opt(i, 23);
  if (!r.is_null(i, 24)) v.retain_until = util::from_unix_ms(r.get_int(i, 24));
  v.legal_hold = r.get_bool(i, 25);
  return v;
}

// The lock trigger's refusals (migration 006): a locked version was to be deleted or weakened.
bool is_lock_refusal(const PgError& e) {
  return e.sqlstate().starts_with("S3L");
}

std::string metadata_json(const ObjectVersion& v) {
  return user_metadata_json(v.user_metadata);
}

// Serializes writers of one key; released at commit.
constexpr std::string_view kLockKey =
    "SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2, 0))";

// Deletes one version; its blob (delete markers have none) becomes garbage in the next
// statement.
constexpr std::string_view kDeleteVersion =
    "DELETE FROM objects WHERE bucket_id = $1 AND key = $2 AND version_id = $3 "
    "RETURNING id, is_latest, is_delete_marker, zone_id, backend_bucket, blob_key";
constexpr std::string_view kToGarbage =
    "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
    "VALUES ($1, $2, $3, $4) RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id";
// After the latest version went: the newest remaining one becomes the latest.
constexpr std::string_view kPromoteNewest =
    "UPDATE objects SET is_latest = true WHERE id = (SELECT id FROM objects WHERE bucket_id = $1 "
    "AND key = $2 ORDER BY id DESC LIMIT 1)";
constexpr std::string_view kUnsetLatest =
    "UPDATE objects SET is_latest = false WHERE bucket_id = $1 AND key = $2 AND is_latest";

struct Removed {
  bool found = false;
  bool was_latest = false;
  bool was_marker = false;
};

// Removes one version inside the caller's transaction (key lock held), its blob to garbage.
// A locked version makes the trigger throw (PgError S3L..).
awaitable<Removed> remove_version(PgConnection& c, std::int64_t bucket_id, std::string_view key,
                                  std::string_view version_id, std::string_view reason,
                                  std::vector<GarbageBlob>& garbage) {
  auto r = co_await c.query(kDeleteVersion, bucket_id, key, version_id);
  Removed out;
  if (r.empty()) co_return out;
  out.found = true;
  out.was_latest = r.get_bool(0, 1);
  out.was_marker = r.get_bool(0, 2);
  if (!out.was_marker) {
    for (auto& g : garbage_from(
             co_await c.query(kToGarbage, r.get(0, 3), r.get(0, 4), r.get(0, 5), reason))) {
      garbage.push_back(std::move(g));
    }
  }
  co_return out;
}

std::string tags_json(const std::vector<std::pair<std::string, std::string>>& tags) {
  return user_metadata_json(tags);  // the same [[k, v], ...] form
}

}  // namespace

// Stored as an array of [name, value] pairs to keep the client's order.
std::string user_metadata_json(const std::vector<std::pair<std::string, std::string>>& meta) {
  json::array a;
  for (const auto& [k, val] : meta) a.push_back(json::array{json::string(k), json::string(val)});
  return json::serialize(a);
}

std::vector<std::pair<std::string, std::string>> parse_user_metadata(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto meta = json::parse(text);
  if (meta.is_array()) {
    for (const auto& pair : meta.as_array()) {
      const auto& a = pair.as_array();
      out.emplace_back(json::value_to<std::string>(a.at(0)), json::value_to<std::string>(a.at(1)));
    }
  }
  return out;
}

std::vector<GarbageBlob> garbage_from(const PgResult& r) {
  std::vector<GarbageBlob> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(GarbageBlob{
        r.get_int(i, 0),
        BlobLocation{std::string(r.get(i, 1)), std::string(r.get(i, 2)), std::string(r.get(i, 3))},
        r.get_opt(i, 4)});
  }
  return out;
}

awaitable<ObjectRepository::BucketAndVersion> ObjectRepository::find_latest(
    std::string_view customer, std::string_view bucket, std::string_view key,
    std::optional<std::string> version_id) {
  // The object columns first (version_from_row reads them by position), then the tag count,
  // the bucket id and its versioning state; the LEFT JOIN keeps the bucket row when the key
  // (or the version) does not exist.
  static const std::string head = "SELECT " + std::string(kColumns) + ", " +
                                  std::string(kTagCount) +
                                  ", b.id, b.versioning FROM buckets b LEFT JOIN objects o ON "
                                  "o.bucket_id = b.id AND o.key = $3 AND ";
  static const std::string latest_sql =
      head + "o.is_latest WHERE b.customer_id = $1 AND b.name = $2";
  static const std::string version_sql =
      head + "o.version_id = $4 WHERE b.customer_id = $1 AND b.name = $2";
  auto lease = co_await pool_.acquire();
  // Two statements, not a conditional expression: g++ 12 destroys the temporaries of a
  // co_await inside ?: twice.
  PgResult res;
  if (version_id) {
    res = co_await lease->query(version_sql, customer, bucket, key, *version_id);
  } else {
    res = co_await lease->query(latest_sql, customer, bucket, key);
  }
  BucketAndVersion out;
  if (res.empty()) co_return out;
  out.bucket_id = res.get_int(0, kColumnCount + 1);
  out.versioning = std::string(res.get(0, kColumnCount + 2));
  if (!res.is_null(0, 0)) {
    out.latest = version_from_row(res, 0);
    out.latest->tag_count = static_cast<int>(res.get_int(0, kColumnCount));
  }
  co_return out;
}

awaitable<std::optional<PutOutcome>> ObjectRepository::commit_put(const ObjectVersion& v,
                                                                  const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  auto out = co_await put_version(c, v);
  if (!out || out->locked) co_return out;  // rolled back
  OperationRecord logged = log;
  if (out->version_id != "null") logged.version_id = out->version_id;
  co_await OperationLog::record(c, logged);
  co_await tx.commit();
  co_return out;
}

awaitable<std::optional<PutOutcome>> ObjectRepository::put_version(PgConnection& c,
                                                                   const ObjectVersion& v) {
  // Holding the bucket row (key share) keeps a concurrent DeleteBucket out until we commit;
  // its versioning state decides the version id.
  auto bucket =
      co_await c.query("SELECT versioning FROM buckets WHERE id = $1 FOR KEY SHARE", v.bucket_id);
  if (bucket.empty()) co_return std::nullopt;
  const bool enabled = bucket.get(0, 0) == "Enabled";
  co_await c.query(kLockKey, v.bucket_id, v.key);
  PutOutcome out;
  out.version_id = enabled ? util::random_hex(16) : "null";
  if (!enabled) {
    // Unversioned and suspended buckets: the new 'null' version replaces the old one.
    bool locked = false;
    try {
      co_await remove_version(c, v.bucket_id, v.key, "null", "overwritten", out.garbage);
    } catch (const PgError& e) {
      if (!is_lock_refusal(e)) throw;
      locked = true;
    }
    if (locked) {
      out.locked = true;
      out.garbage.clear();
      co_return out;
    }
  }
  co_await c.query(kUnsetLatest, v.bucket_id, v.key);
  std::optional<std::int64_t> retain_until;
  if (v.retain_until) retain_until = util::to_unix_ms(*v.retain_until);
  auto inserted = co_await c.query(
      "INSERT INTO objects (bucket_id, key, version_id, is_latest, is_delete_marker, size, etag, "
      "content_type, cache_control, content_disposition, content_encoding, content_language, "
      "expires, user_metadata, checksum_algorithm, checksum_value, checksum_type, zone_id, "
      "backend_bucket, blob_key, last_modified, replica_count, retention_mode, retain_until, "
      "legal_hold) VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19, to_timestamp($20::bigint / "
      "1000.0), $21, $22, to_timestamp($23::bigint / 1000.0), $24) RETURNING id",
      v.bucket_id, v.key, out.version_id, v.is_delete_marker, v.size, v.etag, v.content_type,
      v.cache_control, v.content_disposition, v.content_encoding, v.content_language, v.expires,
      metadata_json(v), v.checksum_algorithm, v.checksum_value, v.checksum_type, v.blob.zone_id,
      v.blob.backend_bucket, v.blob.blob_key, util::to_unix_ms(v.last_modified), v.replica_count,
      v.retention_mode, retain_until, v.legal_hold);
  out.object_id = inserted.get_int(0, 0);
  if (!v.tags.empty()) {
    co_await c.query(
        "INSERT INTO object_tags (object_id, key, value) SELECT $1, t->>0, t->>1 "
        "FROM jsonb_array_elements($2::jsonb) t",
        out.object_id, tags_json(v.tags));
  }
  co_return out;
}

awaitable<void> ObjectRepository::lock_key(PgConnection& c, std::int64_t bucket_id,
                                           std::string_view key) {
  co_await c.query(kLockKey, bucket_id, key);
}

awaitable<std::optional<DeleteOutcome>> ObjectRepository::delete_object(
    std::int64_t bucket_id, std::string_view key, std::optional<std::string> version_id,
    bool bypass_governance, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  auto bucket =
      co_await c.query("SELECT versioning FROM buckets WHERE id = $1 FOR KEY SHARE", bucket_id);
  if (bucket.empty()) co_return std::nullopt;
  const std::string versioning(bucket.get(0, 0));
  co_await c.query(kLockKey, bucket_id, key);
  if (bypass_governance) co_await c.query("SET LOCAL s3gw.bypass_governance = 'on'");
  DeleteOutcome out;
  bool locked = false;
  try {
    if (version_id) {
      // One version, permanently; the newest remaining one becomes the latest.
      out.version_id = *version_id;
      const auto removed =
          co_await remove_version(c, bucket_id, key, *version_id, "deleted", out.garbage);
      out.delete_marker = removed.was_marker;
      if (removed.was_latest) co_await c.query(kPromoteNewest, bucket_id, key);
    } else if (versioning == "Unversioned") {
      co_await remove_version(c, bucket_id, key, "null", "deleted", out.garbage);
    } else {
      // A delete marker becomes the latest version: 'null' in a suspended bucket (replacing
      // the null version), a new id when versioning is enabled.
      const bool enabled = versioning == "Enabled";
      out.version_id = enabled ? util::random_hex(16) : "null";
      out.delete_marker = true;
      if (!enabled) co_await remove_version(c, bucket_id, key, "null", "deleted", out.garbage);
      co_await c.query(kUnsetLatest, bucket_id, key);
      co_await c.query(
          "INSERT INTO objects (bucket_id, key, version_id, is_latest, is_delete_marker, size, "
          "etag, zone_id, backend_bucket, blob_key, last_modified) "
          "VALUES ($1, $2, $3, true, true, 0, '', '', '', '', now())",
          bucket_id, key, *out.version_id);
    }
  } catch (const PgError& e) {
    if (!is_lock_refusal(e)) throw;
    locked = true;
  }
  if (locked) {  // the transaction rolls back as it goes
    DeleteOutcome refused;
    refused.locked = true;
    refused.version_id = version_id;
    co_return refused;
  }
  OperationRecord logged = log;
  logged.version_id = out.version_id;
  co_await OperationLog::record(c, logged);
  co_await tx.commit();
  co_return out;
}

awaitable<std::optional<ObjectVersion>> ObjectRepository::find_version(
    std::int64_t bucket_id, std::string_view key, std::string_view version_id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + ", " + std::string(kTagCount) +
                                 " FROM objects o WHERE o.bucket_id = $1 AND o.key = $2 AND "
                                 "o.version_id = $3";
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, bucket_id, key, version_id);
  if (res.empty()) co_return std::nullopt;
  auto v = version_from_row(res, 0);
  v.tag_count = static_cast<int>(res.get_int(0, kColumnCount));
  co_return v;
}

awaitable<ListPage> ObjectRepository::list_versions(std::int64_t bucket_id, std::string_view start,
                                                    std::optional<std::int64_t> before_id,
                                                    bool inclusive, std::optional<std::string> end,
                                                    int limit) {
  // (key, id DESC) order: after `start`'s versions older than `before_id` come the later keys.
  static const std::string sql = select_sql(
      "WHERE bucket_id = $1 AND ((key = $2 AND ($3::bigint IS NULL AND $4 OR id < $3)) OR "
      "key > $2) AND ($5::text IS NULL OR key < $5) ORDER BY key, id DESC LIMIT $6");
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, bucket_id, start, before_id, inclusive, end, limit + 1);
  ListPage page;
  const int n = std::min(res.rows(), limit);
  page.objects.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) page.objects.push_back(version_from_row(res, i));
  page.more = res.rows() > limit;
  co_return page;
}

awaitable<std::optional<std::int64_t>> ObjectRepository::version_row_id(
    std::int64_t bucket_id, std::string_view key, std::string_view version_id) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT id FROM objects WHERE bucket_id = $1 AND key = $2 AND version_id = $3", bucket_id,
      key, version_id);
  if (res.empty()) co_return std::nullopt;
  co_return res.get_int(0, 0);
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

awaitable<std::optional<std::string>> ObjectRepository::version_of_blob(std::int64_t bucket_id,
                                                                        std::string_view key,
                                                                        std::string_view blob_key) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT version_id FROM objects WHERE bucket_id = $1 AND key = $2 AND blob_key = $3",
      bucket_id, key, blob_key);
  if (res.empty()) co_return std::nullopt;
  co_return std::string(res.get(0, 0));
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
      "SELECT id, zone_id, backend_bucket, blob_key, backend_upload_id FROM garbage_blobs "
      "WHERE zone_id = $1 AND "
      "id > $2 ORDER BY id LIMIT $3",
      zone_id, after_id, limit));
}

}  // namespace s3gw::meta
