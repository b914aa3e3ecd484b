#pragma once
// Bucket hash mappings (global database, table bucket_mappings): which backend bucket holds a
// customer bucket's blobs in one zone. Rows are keyed by a keyed hash of (customer, bucket),
// never by names in clear. Backend bucket names are unique per provider name, so a claim can
// lose to another mapping; the caller then tries the next candidate.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meta/pg_pool.h"

namespace s3gw::meta {

struct BucketMapping {
  std::string bucket_key;  // HMAC of (customer, bucket) under the deployment salt, hex
  std::string zone_id;
  std::string provider_name;
  std::string backend_bucket;
  int attempt = 0;  // which hash candidate: 0 unless names were taken
  std::optional<std::string> home_region;
  std::string created_at;  // ISO 8601, UTC
};

enum class ClaimOutcome {
  kClaimed,    // the row is ours
  kZoneTaken,  // another process mapped this (bucket, zone) meanwhile: read it
  kNameTaken,  // another mapping holds this backend bucket name on the provider
};

class BucketMappingRepository {
 public:
  explicit BucketMappingRepository(PgPool& pool) : pool_(pool) {}

  awaitable<std::optional<BucketMapping>> find(std::string_view bucket_key,
                                               std::string_view zone_id);
  // Every zone's mapping of one bucket, by zone.
  awaitable<std::vector<BucketMapping>> list(std::string_view bucket_key);
  awaitable<ClaimOutcome> claim(const BucketMapping& mapping);
  // Moves a mapping whose name turned out to be taken on the provider to the next candidate,
  // if it still holds `from` (another process may have moved it first: then false, re-read).
  // kNameTaken when the new name belongs to another mapping.
  awaitable<ClaimOutcome> move(std::string_view bucket_key, std::string_view zone_id,
                               std::string_view from, std::string_view to, int attempt);
  // After the backend bucket is gone (DeleteBucket).
  awaitable<void> remove(std::string_view bucket_key, std::string_view zone_id);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
