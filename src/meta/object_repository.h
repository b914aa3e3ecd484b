#pragma once
#include <optional>
#include <string>
#include <vector>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

// A blob that metadata no longer references, recorded in garbage_blobs in the same
// transaction; the caller removes the blob and then calls forget_garbage(id).
struct GarbageBlob {
  std::int64_t id = 0;
  BlobLocation location;
  // Set for an aborted multipart upload that the backend still holds: abort it there rather
  // than delete a blob.
  std::optional<std::string> backend_upload_id;
};

// Garbage rows as RETURNING/SELECT id, zone_id, backend_bucket, blob_key, backend_upload_id
// gives them.
std::vector<GarbageBlob> garbage_from(const PgResult& r);

// User metadata as stored (a JSON array of [name, value] pairs, in the client's order).
std::string user_metadata_json(const std::vector<std::pair<std::string, std::string>>& meta);
std::vector<std::pair<std::string, std::string>> parse_user_metadata(std::string_view text);

// What a write of a new version did.
struct PutOutcome {
  std::string version_id;            // "null" unless the bucket's versioning is enabled
  std::int64_t object_id = 0;        // the new row
  std::vector<GarbageBlob> garbage;  // the replaced 'null' version's blob, if any
  bool locked = false;               // the 'null' version it would replace is locked: nothing done
};

// What a DeleteObject did (S3's answer: x-amz-version-id, x-amz-delete-marker).
struct DeleteOutcome {
  std::optional<std::string> version_id;  // the version removed, or the delete marker made
  bool delete_marker = false;             // a marker was made, or the removed version was one
  std::vector<GarbageBlob> garbage;
  bool locked = false;  // refused by object lock (retention, legal hold): nothing done
};

struct ListPage {
  std::vector<ObjectVersion> objects;
  bool more = false;  // rows exist beyond the page
};

class ObjectRepository {
 public:
  explicit ObjectRepository(PgPool& pool) : pool_(pool) {}

  // The bucket (by customer and name) and its key's latest version (or the version asked
  // for), in one round trip: a read needs both to tell NoSuchBucket from NoSuchKey.
  struct BucketAndVersion {
    std::optional<std::int64_t> bucket_id;  // nullopt: no such bucket
    std::string versioning;                 // the bucket's state
    std::optional<ObjectVersion> latest;    // nullopt: no such key (or version)
  };
  awaitable<BucketAndVersion> find_latest(std::string_view customer, std::string_view bucket,
                                          std::string_view key,
                                          std::optional<std::string> version_id = std::nullopt);
  awaitable<std::optional<ObjectVersion>> find_version(std::int64_t bucket_id, std::string_view key,
                                                       std::string_view version_id);

  // Makes `version` the visible latest version of its key in one transaction with its log row
  // (which gets the version id). nullopt when the bucket disappeared meanwhile.
  awaitable<std::optional<PutOutcome>> commit_put(const ObjectVersion& version,
                                                  const OperationRecord& log);

  // Inside the caller's transaction: holds the bucket row (FOR KEY SHARE), takes the key's
  // writer lock and makes `version` its latest version. The version id follows the bucket's
  // versioning (a new one when enabled; 'null' otherwise, replacing the old 'null' version,
  // whose blob is returned as garbage). Its tags are written too. nullopt: no such bucket.
  // `locked`: the 'null' version is under object lock; the caller must roll back.
  static awaitable<std::optional<PutOutcome>> put_version(PgConnection& c,
                                                          const ObjectVersion& version);

  // Inside the caller's transaction: the key's writer lock, which every writer of the key's
  // versions (put_version, delete_object, tag writes) takes; released at commit.
  static awaitable<void> lock_key(PgConnection& c, std::int64_t bucket_id, std::string_view key);

  // DeleteObject: without `version_id`, removes the 'null' version (unversioned) or makes a
  // delete marker the latest (enabled: a new id; suspended: 'null', replacing the null
  // version); with it, removes that version for good (the newest remaining becomes the
  // latest). Object lock is enforced by the database (`bypass_governance` lets a GOVERNANCE
  // retention yield). nullopt: no such bucket.
  awaitable<std::optional<DeleteOutcome>> delete_object(std::int64_t bucket_id,
                                                        std::string_view key,
                                                        std::optional<std::string> version_id,
                                                        bool bypass_governance,
                                                        const OperationRecord& log);

  // Latest, non-deleted versions with key >= start (or > start when !inclusive), key < end
  // when end is given, in bytewise key order, at most `limit` rows.
  awaitable<ListPage> list_latest(std::int64_t bucket_id, std::string_view start, bool inclusive,
                                  std::optional<std::string> end, int limit);

  // Every version (delete markers too) in (key, newest first) order, starting at `start`:
  // its versions older than row `before_id` when given, else all of them when `inclusive`;
  // then the keys after it, below `end`.
  awaitable<ListPage> list_versions(std::int64_t bucket_id, std::string_view start,
                                    std::optional<std::int64_t> before_id, bool inclusive,
                                    std::optional<std::string> end, int limit);
  // The row id of a version (a version-id-marker's position).
  awaitable<std::optional<std::int64_t>> version_row_id(std::int64_t bucket_id,
                                                        std::string_view key,
                                                        std::string_view version_id);

  // Whether the version with this blob is committed (resolves a lost COMMIT reply).
  // Its version id, or nullopt when not committed.
  awaitable<std::optional<std::string>> version_of_blob(std::int64_t bucket_id,
                                                        std::string_view key,
                                                        std::string_view blob_key);

  awaitable<void> forget_garbage(std::int64_t id);
  // Garbage of one zone with id > after_id, in id order.
  awaitable<std::vector<GarbageBlob>> pending_garbage(std::string_view zone_id,
                                                      std::int64_t after_id, int limit);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
