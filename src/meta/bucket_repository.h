#pragma once
#include <optional>
#include <string>
#include <vector>

#include "meta/object_repository.h"
#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

enum class CreateBucketOutcome { kCreated, kAlreadyOwnedByYou };
enum class DeleteBucketOutcome { kDeleted, kNoSuchBucket, kNotEmpty };
enum class VersioningChange { kChanged, kNoSuchBucket, kLocked };
enum class ObjectLockChange { kChanged, kNoSuchBucket, kNotVersioned };

// buckets.object_lock as stored for `b` (enabled, with its default retention if any).
std::string object_lock_json(const Bucket& b);

class BucketRepository {
 public:
  explicit BucketRepository(PgPool& pool) : pool_(pool) {}

  // With `object_lock_enabled`, the bucket is created with object lock and versioning Enabled.
  awaitable<CreateBucketOutcome> create(const Bucket& bucket, const OperationRecord& log);
  awaitable<std::optional<Bucket>> find(std::string_view customer, std::string_view name);
  awaitable<std::vector<Bucket>> list(std::string_view customer);
  // The replica count the replication agent is to keep; false when no such bucket.
  awaitable<bool> set_replica_count(std::string_view customer, std::string_view name,
                                    int replica_count, const OperationRecord& log);
  // PutBucketVersioning: "Enabled" or "Suspended" (never back to "Unversioned"). kLocked: an
  // object-lock bucket cannot be suspended.
  awaitable<VersioningChange> set_versioning(std::string_view customer, std::string_view name,
                                             std::string_view state, const OperationRecord& log);
  // PutObjectLockConfiguration: object lock on (for good) with `config`'s default retention
  // (none: no default). Only on a bucket whose versioning is Enabled (kNotVersioned).
  awaitable<ObjectLockChange> set_object_lock(std::string_view customer, std::string_view name,
                                              const Bucket& config, const OperationRecord& log);
  // Multipart uploads in progress do not keep a bucket (as in S3): they are aborted with it, and
  // their blobs added to `garbage` (when given) for the caller to remove.
  awaitable<DeleteBucketOutcome> remove(std::string_view customer, std::string_view name,
                                        const OperationRecord& log,
                                        std::vector<GarbageBlob>* garbage = nullptr);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
