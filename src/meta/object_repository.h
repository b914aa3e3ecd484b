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
};

struct ListPage {
  std::vector<ObjectVersion> objects;
  bool more = false;  // rows exist beyond the page
};

class ObjectRepository {
 public:
  explicit ObjectRepository(PgPool& pool) : pool_(pool) {}

  // The bucket (by customer and name) and its key's latest version, in one round trip: a read
  // needs both to tell NoSuchBucket from NoSuchKey.
  struct BucketAndVersion {
    std::optional<std::int64_t> bucket_id;  // nullopt: no such bucket
    std::optional<ObjectVersion> latest;    // nullopt: no such key
  };
  awaitable<BucketAndVersion> find_latest(std::string_view customer, std::string_view bucket,
                                          std::string_view key);

  // Makes `version` the visible latest version of its key in one transaction with its log row.
  // Returns the blobs the write dereferenced (the replaced 'null' version), or nullopt when
  // the bucket disappeared meanwhile.
  awaitable<std::optional<std::vector<GarbageBlob>>> commit_put(const ObjectVersion& version,
                                                                const OperationRecord& log);

  // Removes the key's 'null' version (unversioned buckets); idempotent.
  awaitable<std::vector<GarbageBlob>> delete_null_version(std::int64_t bucket_id,
                                                          std::string_view key,
                                                          const OperationRecord& log);

  // Latest, non-deleted versions with key >= start (or > start when !inclusive), key < end
  // when end is given, in bytewise key order, at most `limit` rows.
  awaitable<ListPage> list_latest(std::int64_t bucket_id, std::string_view start, bool inclusive,
                                  std::optional<std::string> end, int limit);

  // Whether the version with this blob is committed (resolves a lost COMMIT reply).
  awaitable<bool> has_version_blob(std::int64_t bucket_id, std::string_view key,
                                   std::string_view blob_key);

  awaitable<void> forget_garbage(std::int64_t id);
  // Garbage of one zone with id > after_id, in id order.
  awaitable<std::vector<GarbageBlob>> pending_garbage(std::string_view zone_id,
                                                      std::int64_t after_id, int limit);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
