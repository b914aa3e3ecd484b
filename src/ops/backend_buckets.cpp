#include "ops/backend_buckets.h"

namespace s3gw::ops {

boost::asio::awaitable<void> BackendBuckets::ensure(storage::ZoneHandle zone,
                                                    const std::string& name) {
  const std::string id = zone.provider.zone_id() + "/" + name;
  {
    std::lock_guard lock(mutex_);
    if (known_.contains(id)) co_return;
  }
  const auto outcome = co_await zone.provider.ensure_bucket(name);
  if (outcome == storage::BucketCreation::kNameTaken) {
    throw storage::StorageError(storage::StorageError::Kind::kUnavailable,
                                "backend bucket " + name + " in zone " + zone.provider.zone_id() +
                                    " belongs to someone else");
  }
  std::lock_guard lock(mutex_);
  known_.insert(id);
}

void BackendBuckets::forget(const storage::ZoneHandle& zone, const std::string& name) {
  std::lock_guard lock(mutex_);
  known_.erase(zone.provider.zone_id() + "/" + name);
}

}  // namespace s3gw::ops
