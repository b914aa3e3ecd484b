#pragma once
// The one table of S3 operations. Routing (endpoint) picks an Endpoint from method, path and
// sub-resources; everything else about the operation is its row here: the name S3 gives it
// (operations log, audit events), the permission that authorizes it and the one for a
// specific version, whether a success writes its own log row, and its handler. Adding an
// operation: an Endpoint value and its route, one row, one handler, one test.
#include <span>
#include <string_view>

#include "ops/action.h"
#include "ops/endpoint.h"
#include "ops/handlers.h"

namespace s3gw::ops {

using Handler = awaitable<Reply> (*)(OpContext&, S3Request&);

struct Operation {
  Endpoint endpoint;
  std::string_view name;  // "PutObjectTagging"
  Action action;
  // With ?versionId, S3's separate action for a specific version ("s3:GetObjectVersion");
  // empty when the plain action covers versions too.
  std::string_view versioned_action;
  // A success writes its operations-log row in its own transaction (the dispatcher logs
  // everything else).
  bool mutates = false;
  Handler handler = nullptr;  // null for kNotImplemented and kMethodNotAllowed
};

// The row of `e`; every Endpoint has exactly one.
const Operation& operation_of(Endpoint e);
std::span<const Operation> all_operations();

}  // namespace s3gw::ops
