#pragma once
// Backend buckets are created when a zone first receives data of a bucket (issue 5): this
// remembers, per process, which (zone, backend bucket) pairs exist already, so a PUT costs a
// bucket request only the first time.
#include <boost/asio/awaitable.hpp>
#include <mutex>
#include <set>
#include <string>

#include "storage/zone_set.h"

namespace s3gw::ops {

class BackendBuckets {
 public:
  // Throws StorageError(kUnavailable) when the name is taken on the provider by someone else
  // (the next hash candidate needs the stored mappings of the global database) or the provider
  // cannot be reached.
  boost::asio::awaitable<void> ensure(storage::ZoneHandle zone, const std::string& name);
  // After a DeleteBucket: the next write creates it again.
  void forget(const storage::ZoneHandle& zone, const std::string& name);

 private:
  std::mutex mutex_;
  std::set<std::string, std::less<>> known_;  // "zone/bucket"
};

}  // namespace s3gw::ops
