#include "ops/authorizer.h"
#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/reply.h"
#include "ops/version_target.h"

namespace s3gw::ops {

s3::S3Error object_locked(OpContext& ctx, const S3Request& req,
                          std::optional<std::string_view> key) {
  s3::S3Error err(s3::ErrorCode::kAccessDenied,
                  "Access Denied because object protected by object lock.");
  // An auditor must find every attempt on a locked version, refused or not.
  meta::ComplianceEvent e;
  e.type = "object_lock";
  e.request_id = req.request_id;
  if (!req.customer_id.empty()) e.customer_id = req.customer_id;
  e.user_id = req.user_id;
  if (req.identity) e.access_key_id = req.identity->access_key_id;
  e.source_ip = req.http.remote();
  e.operation = std::string(req.operation);
  if (!req.bucket.empty()) e.bucket = req.bucket;
  if (key) {
    e.key = std::string(*key);
  } else if (req.has_key) {
    e.key = req.key;
  }
  e.code = "AccessDenied";
  e.reason =
      "a version under retention or legal hold was to be deleted, overwritten or "
      "its retention weakened";
  ctx.oplog.enqueue(std::move(e));
  return err;
}

// DeleteObject, S3's semantics: 204 whether or not the key (or version) existed. Without
// versionId an unversioned bucket loses the key, a versioned one gets a delete marker; with it,
// that version goes for good. Object lock is the database's to enforce (AccessDenied).
awaitable<Reply> delete_object(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<s3::S3Error>(&vid)) co_return error_reply(req, *e);
  const auto version_id = std::get<std::optional<std::string>>(vid);
  const bool bypass = co_await bypass_governance(ctx, req);
  auto outcome = co_await ctx.objects.delete_object(bucket->id, req.key, version_id, bypass,
                                                    req.log_record(204));
  if (!outcome) co_return error_reply(req, no_such_bucket(req));
  if (outcome->locked) co_return error_reply(req, object_locked(ctx, req));
  co_await remove_garbage(ctx, std::move(outcome->garbage));
  Reply r;
  r.status = 204;
  if (outcome->version_id) r.headers.set("x-amz-version-id", *outcome->version_id);
  if (outcome->delete_marker) r.headers.set("x-amz-delete-marker", "true");
  co_return r;
}

}  // namespace s3gw::ops
