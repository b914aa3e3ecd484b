#pragma once
// The bucket hash mapping at work (issue 5): which backend bucket holds a customer bucket's blobs
// in a zone. The mapping lives in the global database (bucket_mappings); the backend bucket is
// created the first time a zone receives data of that bucket. A name taken on the provider by
// someone else, or by another mapping, moves the mapping to the next hash candidate. Resolved
// names are remembered per process, per bucket incarnation (its row id), so a PUT costs
// database and provider requests only the first time.
#include <boost/asio/awaitable.hpp>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "meta/bucket_mapping_repository.h"
#include "meta/types.h"
#include "storage/zone_set.h"

namespace s3gw::ops {

class BackendBuckets {
 public:
  BackendBuckets(meta::BucketMappingRepository& mappings, std::string deployment_salt,
                 std::string home_region)
      : mappings_(mappings),
        salt_(std::move(deployment_salt)),
        home_region_(std::move(home_region)) {}

  // The backend bucket of `bucket` in `zone`, mapped and existing on the provider. Throws
  // StorageError(kUnavailable) when the provider cannot be reached or no candidate name is free.
  boost::asio::awaitable<std::string> resolve(storage::ZoneHandle zone, const meta::Bucket& bucket);

  // After DeleteBucket: removes the backend bucket from every zone that has a mapping for it,
  // then the mapping. A zone that cannot be reached keeps its (empty) backend bucket and its
  // mapping, so a later bucket of the same name reuses both.
  boost::asio::awaitable<void> drop(const storage::ZoneSet& zones, const meta::Bucket& bucket);

  std::string mapping_key(std::string_view customer, std::string_view bucket) const;

 private:
  meta::BucketMappingRepository& mappings_;
  std::string salt_;
  std::string home_region_;
  std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> known_;  // "<bucket id>/<zone>" -> name
};

}  // namespace s3gw::ops
