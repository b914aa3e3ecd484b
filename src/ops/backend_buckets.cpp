#include "ops/backend_buckets.h"

#include "placement/bucket_hash.h"
#include "util/log.h"

namespace s3gw::ops {

namespace {

// Each step moves to a new candidate; 32 names taken in a row means something is wrong (a
// provider answering BucketAlreadyExists to everything), not bad luck.
constexpr int kMaxSteps = 32;

std::string cache_key(const meta::Bucket& bucket, std::string_view zone) {
  return std::to_string(bucket.id) + "/" + std::string(zone);
}

}  // namespace

std::string BackendBuckets::mapping_key(std::string_view customer, std::string_view bucket) const {
  return placement::bucket_mapping_key(salt_, customer, bucket);
}

boost::asio::awaitable<std::string> BackendBuckets::resolve(storage::ZoneHandle zone,
                                                            const meta::Bucket& bucket) {
  const std::string zone_id = zone.provider.zone_id();
  const std::string cached = cache_key(bucket, zone_id);
  {
    std::lock_guard lock(mutex_);
    if (auto it = known_.find(cached); it != known_.end()) co_return it->second;
  }
  const std::string key = mapping_key(bucket.customer_id, bucket.name);
  auto candidate = [&](int attempt) {
    return placement::backend_bucket_name(salt_, bucket.customer_id, bucket.name,
                                          zone.provider_name, static_cast<unsigned>(attempt));
  };
  auto mapping = co_await mappings_.find(key, zone_id);
  int attempt = mapping ? mapping->attempt : 0;
  for (int step = 0; step < kMaxSteps; ++step) {
    if (!mapping) {
      meta::BucketMapping want;
      want.bucket_key = key;
      want.zone_id = zone_id;
      want.provider_name = zone.provider_name;
      want.backend_bucket = candidate(attempt);
      want.attempt = attempt;
      want.home_region = home_region_;
      const auto claimed = co_await mappings_.claim(want);
      if (claimed == meta::ClaimOutcome::kNameTaken) {  // another bucket's mapping has it
        ++attempt;
        continue;
      }
      if (claimed == meta::ClaimOutcome::kZoneTaken) {  // another process was first: use its
        mapping = co_await mappings_.find(key, zone_id);
        if (mapping) attempt = mapping->attempt;
        continue;
      }
      mapping = std::move(want);
    }
    const auto created = co_await zone.provider.ensure_bucket(mapping->backend_bucket);
    if (created != storage::BucketCreation::kNameTaken) {
      std::lock_guard lock(mutex_);
      known_.insert_or_assign(cached, mapping->backend_bucket);
      co_return mapping->backend_bucket;
    }
    // Someone else's bucket on the provider: move this mapping on. Only blobs written from now
    // on go to the new name; versions record their own backend bucket.
    util::log_warn("placement", "backend bucket " + mapping->backend_bucket + " in zone " +
                                    zone_id + " belongs to someone else: next candidate");
    const std::string from = mapping->backend_bucket;
    attempt = mapping->attempt + 1;
    for (; step < kMaxSteps; ++step, ++attempt) {
      const auto moved = co_await mappings_.move(key, zone_id, from, candidate(attempt), attempt);
      if (moved != meta::ClaimOutcome::kNameTaken) break;
    }
    mapping = co_await mappings_.find(key, zone_id);  // ours, or whoever moved it first
    if (mapping) attempt = mapping->attempt;
  }
  throw storage::StorageError(storage::StorageError::Kind::kUnavailable,
                              "no free backend bucket name in zone " + zone_id + " after " +
                                  std::to_string(kMaxSteps) + " candidates");
}

boost::asio::awaitable<void> BackendBuckets::drop(const storage::ZoneSet& zones,
                                                  const meta::Bucket& bucket) {
  const std::string key = mapping_key(bucket.customer_id, bucket.name);
  const auto mappings = co_await mappings_.list(key);
  for (const auto& m : mappings) {
    {
      std::lock_guard lock(mutex_);
      known_.erase(cache_key(bucket, m.zone_id));
    }
    auto zone = zones.find(m.zone_id);
    if (!zone) {
      util::log_warn("bucket", "backend bucket " + m.backend_bucket + " left in zone " + m.zone_id +
                                   ", which this gateway does not serve");
      continue;
    }
    bool removed = false;
    try {
      co_await zone->provider.delete_bucket(m.backend_bucket);
      removed = true;
    } catch (const std::exception& e) {
      util::log_warn("bucket", "backend bucket " + m.backend_bucket + " left in zone " + m.zone_id +
                                   ": " + e.what());
    }
    if (removed) co_await mappings_.remove(key, m.zone_id);
  }
}

}  // namespace s3gw::ops
