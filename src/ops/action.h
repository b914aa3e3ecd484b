#pragma once
// The permission action that authorizes an S3 operation, and what it applies to (the service,
// a bucket, or an object); each operation's is in its row of operation.cpp's table.
#include <string_view>

#include "ops/endpoint.h"

namespace s3gw::ops {

enum class ActionScope {
  kService,  // ListBuckets: any authenticated user; the listing itself is filtered
  kBucket,   // the bucket named in the path
  kObject,   // the bucket and key named in the path
  kPerKey,   // several keys in the body (DeleteObjects): the handler authorizes each one
  kNone,     // not an operation (NotImplemented, MethodNotAllowed): nothing to authorize
};

struct Action {
  std::string_view name;  // "s3:GetObject"
  ActionScope scope;
  // Whether the bucket's owner is allowed without a permission (false only for CreateBucket,
  // whose bucket has no owner yet).
  bool owner_allowed = true;
};

// The operation's row in operation.cpp's table.
Action action_of(Endpoint e);

}  // namespace s3gw::ops
