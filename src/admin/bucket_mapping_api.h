#pragma once
// GET /api/bucket-mappings/{customer}/{bucket} (admin token): the backend bucket that holds the
// bucket's blobs in each zone that has received its data, from the global database.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "http/request.h"
#include "http/response.h"
#include "meta/bucket_mapping_repository.h"

namespace s3gw::admin {

class BucketMappingApi {
 public:
  // Null `mappings`: every route answers 404.
  BucketMappingApi(meta::BucketMappingRepository* mappings, std::string deployment_salt)
      : mappings_(mappings), salt_(std::move(deployment_salt)) {}

  static bool owns(std::string_view path);
  boost::asio::awaitable<http::Response> handle(http::Request& request, bool admin);

 private:
  meta::BucketMappingRepository* mappings_;
  std::string salt_;
};

}  // namespace s3gw::admin
