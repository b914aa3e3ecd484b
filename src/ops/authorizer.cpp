#include "ops/authorizer.h"

#include "ops/action.h"

namespace s3gw::ops {

namespace {

bool permitted(const S3Request& req, const Action& action, Endpoint e) {
  const auto& p = *req.permissions;
  if (action.scope == ActionScope::kObject) return p.allows(action.name, req.bucket, req.key);
  if (e == Endpoint::kListObjects || e == Endpoint::kListObjectsV2) {
    return p.allows_prefix(action.name, req.bucket, req.query.get("prefix").value_or(""));
  }
  return p.allows(action.name, req.bucket);
}

}  // namespace

awaitable<std::optional<std::string>> authorize(OpContext& ctx, const S3Request& req, Endpoint e) {
  if (!req.permissions) co_return std::nullopt;  // authentication is off
  const Action action = action_of(e);
  if (action.scope == ActionScope::kNone || action.scope == ActionScope::kService) {
    co_return std::nullopt;
  }
  if (permitted(req, action, e)) co_return std::nullopt;
  // Only now the database: callers whose permissions cover the request (the common case)
  // never pay for the ownership lookup.
  if (action.owner_allowed && req.user_id) {
    auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
    if (bucket && bucket->owner_user_id == req.user_id) co_return std::nullopt;
  }
  std::string what = req.bucket;
  if (action.scope == ActionScope::kObject) what += "/" + req.key;
  co_return std::string(action.name) + " on " + what + " is not permitted for " +
      req.user_id.value_or("?");
}

bool may_see_bucket(const S3Request& req, const meta::Bucket& bucket) {
  if (!req.permissions) return true;
  if (bucket.owner_user_id && bucket.owner_user_id == req.user_id) return true;
  return req.permissions->allows("s3:ListBucket", bucket.name);
}

}  // namespace s3gw::ops
