#include "meta/tag_repository.h"

#include "meta/object_repository.h"
#include "meta/operation_log.h"

namespace s3gw::meta {

awaitable<TagList> TagRepository::object_tags(std::int64_t object_id) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT key, value FROM object_tags WHERE object_id = $1 ORDER BY key COLLATE \"C\"",
      object_id);
  TagList out;
  out.reserve(static_cast<std::size_t>(res.rows()));
  for (int i = 0; i < res.rows(); ++i) {
    out.emplace_back(std::string(res.get(i, 0)), std::string(res.get(i, 1)));
  }
  co_return out;
}

awaitable<ObjectTagWrite> TagRepository::replace_object_tags(
    std::int64_t bucket_id, std::string_view key, std::optional<std::string> version_id,
    const TagList& tags, std::optional<int> replica_count, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  ObjectTagWrite out;
  auto bucket = co_await c.query("SELECT 1 FROM buckets WHERE id = $1 FOR KEY SHARE", bucket_id);
  if (bucket.empty()) {
    out.result = TagWriteResult::kNoSuchBucket;
    co_return out;
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
    out.result = version_id ? TagWriteResult::kNoSuchVersion : TagWriteResult::kNoSuchKey;
    co_return out;
  }
  const std::int64_t object_id = row.get_int(0, 0);
  out.version_id = std::string(row.get(0, 1));
  if (row.get_bool(0, 2)) {
    out.result = TagWriteResult::kDeleteMarker;
    co_return out;
  }
  co_await c.query("DELETE FROM object_tags WHERE object_id = $1", object_id);
  if (!tags.empty()) {
    co_await c.query(
        "INSERT INTO object_tags (object_id, key, value) SELECT $1, t->>0, t->>1 "
        "FROM jsonb_array_elements($2::jsonb) t",
        object_id, user_metadata_json(tags));
  }
  co_await c.query("UPDATE objects SET replica_count = $2 WHERE id = $1", object_id, replica_count);
  OperationRecord logged = log;
  logged.version_id = out.version_id;
  co_await OperationLog::record(c, logged);
  co_await tx.commit();
  co_return out;
}

awaitable<BucketTags> TagRepository::bucket_tags(std::string_view customer,
                                                 std::string_view bucket) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT tags::text FROM buckets WHERE customer_id = $1 AND name = $2", customer, bucket);
  BucketTags out;
  if (res.empty()) co_return out;
  out.bucket_found = true;
  if (!res.is_null(0, 0)) out.tags = parse_user_metadata(res.get(0, 0));
  co_return out;
}

awaitable<bool> TagRepository::set_bucket_tags(std::string_view customer, std::string_view bucket,
                                               const std::optional<TagList>& tags,
                                               const OperationRecord& log) {
  std::optional<std::string> json;
  if (tags) json = user_metadata_json(*tags);
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  auto res = co_await c.query(
      "UPDATE buckets SET tags = $3::jsonb WHERE customer_id = $1 AND name = $2 RETURNING id",
      customer, bucket, json);
  if (res.empty()) co_return false;
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return true;
}

}  // namespace s3gw::meta
