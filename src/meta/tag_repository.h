#pragma once
// Tags: an object version's tag set (object_tags, with objects.replica_count, the wanted replica
// count its `replica-count` tag names) and a bucket's (buckets.tags, migration 006). A write
// replaces the whole set, in one transaction with its operations-log row. New versions get
// their tags from ObjectRepository::put_version, in the transaction that writes them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

// Tags as stored: (key, value) pairs.
using TagList = std::vector<std::pair<std::string, std::string>>;

enum class TagWriteResult {
  kDone,
  kNoSuchBucket,
  kNoSuchKey,      // the key has no version (or its latest one is a delete marker: see below)
  kNoSuchVersion,  // the version asked for does not exist
  kDeleteMarker,   // the version asked for (or the latest) is a delete marker: nothing written
};

struct ObjectTagWrite {
  TagWriteResult result = TagWriteResult::kDone;
  std::string version_id;  // the version written (or the delete marker met)
};

struct BucketTags {
  bool bucket_found = false;
  std::optional<TagList> tags;  // nullopt: the bucket has no tag set
};

class TagRepository {
 public:
  explicit TagRepository(PgPool& pool) : pool_(pool) {}

  // The tags of one version (its objects row id), in bytewise key order.
  awaitable<TagList> object_tags(std::int64_t object_id);

  // Replaces the tag set of the key's latest version, or of `version_id`, and sets its
  // replica_count (nullopt clears it); under the key's writer lock, so a concurrent PUT either
  // precedes (and its new version is tagged) or follows. The log row gets the version id.
  awaitable<ObjectTagWrite> replace_object_tags(std::int64_t bucket_id, std::string_view key,
                                                std::optional<std::string> version_id,
                                                const TagList& tags,
                                                std::optional<int> replica_count,
                                                const OperationRecord& log);

  awaitable<BucketTags> bucket_tags(std::string_view customer, std::string_view bucket);
  // Replaces (or with nullopt removes) a bucket's tag set; false when there is no such bucket.
  awaitable<bool> set_bucket_tags(std::string_view customer, std::string_view bucket,
                                  const std::optional<TagList>& tags, const OperationRecord& log);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
