#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/reply.h"

namespace s3gw::ops {

// DeleteObject on an unversioned bucket: 204 whether or not the key existed (S3 semantics).
awaitable<Reply> delete_object(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  auto garbage = co_await ctx.objects.delete_null_version(bucket->id, req.key,
                                                          req.log_record("DeleteObject", 204));
  co_await remove_garbage(ctx, std::move(garbage));
  Reply r;
  r.status = 204;
  co_return r;
}

}  // namespace s3gw::ops
