#include "ops/authorizer.h"

#include "ops/operation.h"

namespace s3gw::ops {

namespace {

bool permitted(const S3Request& req, const Action& action, Endpoint e) {
  const auto& p = *req.permissions;
  if (action.scope == ActionScope::kObject) return p.allows(action.name, req.bucket, req.key);
  if (action.scope == ActionScope::kPerKey) {
    // DeleteObjects authorizes each key in its handler; here only whether the caller may delete
    // anything in the bucket at all, so that one who may not learns nothing of it (not even
    // whether it exists: NoSuchBucket comes after this).
    return p.allows_some("s3:DeleteObject", req.bucket) ||
           p.allows_some("s3:DeleteObjectVersion", req.bucket);
  }
  if (e == Endpoint::kListObjects || e == Endpoint::kListObjectsV2) {
    return p.allows_prefix(action.name, req.bucket, req.query.get("prefix").value_or(""));
  }
  return p.allows(action.name, req.bucket);
}

// With ?versionId, S3's separate action for a specific version (s3:GetObjectVersion, ...).
Action versioned(Endpoint e, const S3Request& req) {
  const Operation& op = operation_of(e);
  Action action = op.action;
  if (!op.versioned_action.empty() && req.query.get("versionId")) {
    action.name = op.versioned_action;
  }
  return action;
}

// What a request's headers write beyond its operation's own action: x-amz-tagging sets the new
// version's tags (and `replica-count` drives placement), which S3 grants as s3:PutObjectTagging.
// A copy uses the header only with x-amz-tagging-directive REPLACE.
std::optional<Action> header_action(const S3Request& req, Endpoint e) {
  if (!req.header("x-amz-tagging")) return std::nullopt;
  const bool sets_tags = e == Endpoint::kPutObject || e == Endpoint::kCreateMultipartUpload ||
                         (e == Endpoint::kCopyObject &&
                          req.header("x-amz-tagging-directive").value_or("") == "REPLACE");
  if (!sets_tags) return std::nullopt;
  return Action{"s3:PutObjectTagging", ActionScope::kObject};
}

bool asks_bypass(const S3Request& req) {
  auto h = req.header("x-amz-bypass-governance-retention");
  return h && (*h == "true" || *h == "True" || *h == "TRUE");
}

}  // namespace

awaitable<bool> may_act_on(OpContext& ctx, const S3Request& req, std::string_view action,
                           std::string_view bucket_name, std::string_view key) {
  if (!req.permissions) co_return true;
  if (req.permissions->allows(action, bucket_name, key)) co_return true;
  if (!req.user_id) co_return false;
  auto bucket = co_await ctx.buckets.find(req.customer_id, bucket_name);
  co_return bucket && bucket->owner_user_id == req.user_id;
}

awaitable<bool> may_bypass_governance(OpContext& ctx, const S3Request& req) {
  if (!req.permissions) co_return true;  // authentication is off: nobody to tell apart
  if (req.permissions->allows("s3:BypassGovernanceRetention", req.bucket, req.key)) {
    co_return true;
  }
  if (!req.user_id) co_return false;
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  co_return bucket && bucket->owner_user_id == req.user_id;
}

awaitable<bool> bypass_governance(OpContext& ctx, const S3Request& req) {
  if (!asks_bypass(req)) co_return false;
  co_return co_await may_bypass_governance(ctx, req);
}

awaitable<std::optional<std::string>> authorize(OpContext& ctx, const S3Request& req, Endpoint e) {
  if (!req.permissions) co_return std::nullopt;  // authentication is off
  const Action action = versioned(e, req);
  if (action.scope == ActionScope::kNone || action.scope == ActionScope::kService) {
    co_return std::nullopt;
  }
  // Every action the request needs: the operation's own, then what its headers add (no
  // allocation on this path: one optional).
  const std::optional<Action> extra = header_action(req, e);
  std::optional<Action> refused;
  if (!permitted(req, action, e)) {
    refused = action;
  } else if (extra && !permitted(req, *extra, e)) {
    refused = extra;
  }
  if (!refused) co_return std::nullopt;
  // Only now the database: callers whose permissions cover the request (the common case)
  // never pay for the ownership lookup.
  if (action.owner_allowed && req.user_id) {
    auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
    if (bucket && bucket->owner_user_id == req.user_id) co_return std::nullopt;
  }
  std::string what = req.bucket;
  if (refused->scope == ActionScope::kObject) what += "/" + req.key;
  if (refused->scope == ActionScope::kPerKey) what += " (any key)";
  co_return std::string(refused->name) + " on " + what + " is not permitted for " +
      req.user_id.value_or("?");
}

bool may_see_bucket(const S3Request& req, const meta::Bucket& bucket) {
  if (!req.permissions) return true;
  if (bucket.owner_user_id && bucket.owner_user_id == req.user_id) return true;
  return req.permissions->allows("s3:ListBucket", bucket.name);
}

}  // namespace s3gw::ops
