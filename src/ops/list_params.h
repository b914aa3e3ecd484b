#pragma once
// The parameters every listing shares (ListObjects, ListObjectsV2, ListObjectVersions): prefix,
// delimiter, encoding-type=url and max-keys (at most 1000), checked once.
#include <string>
#include <variant>

#include "ops/s3_request.h"
#include "s3/error.h"

namespace s3gw::ops {

struct ListParams {
  std::string prefix;
  std::string delimiter;
  bool url = false;  // encoding-type=url
  int max_keys = 1000;
};

// InvalidArgument for another encoding type or a max-keys that is not a non-negative integer.
std::variant<ListParams, s3::S3Error> list_params(const S3Request& req);

}  // namespace s3gw::ops
