#include <boost/beast/http/field.hpp>

#include "ops/authorizer.h"
#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "ops/zone_choice.h"
#include "s3/http_date.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"
#include "util/log.h"
#include "util/strings.h"

namespace s3gw::ops {

using s3::ErrorCode;

namespace {
constexpr std::size_t kMaxConfigBody = 64 * 1024;

std::string no_such_bucket_extra(const S3Request& req) {
  return "<BucketName>" + s3::xml_escape(req.bucket) + "</BucketName>";
}
}  // namespace

s3::S3Error no_such_bucket(const S3Request& req) {
  s3::S3Error e(ErrorCode::kNoSuchBucket);
  e.extra_xml = no_such_bucket_extra(req);
  return e;
}

awaitable<Reply> list_buckets(OpContext& ctx, S3Request& req) {
  auto buckets = co_await ctx.buckets.list(req.customer_id);
  s3::XmlWriter w;
  w.open("ListAllMyBucketsResult", s3::kS3Namespace);
  w.open("Owner");
  w.element("ID", req.customer_id);
  w.element("DisplayName", req.customer_id);
  w.close("Owner");
  w.open("Buckets");
  for (const auto& b : buckets) {
    if (!may_see_bucket(req, b)) continue;
    w.open("Bucket");
    w.element("Name", b.name);
    w.element("CreationDate", s3::format_iso8601(b.created_at));
    w.element("BucketRegion", ctx.config.region);
    w.close("Bucket");
  }
  w.close("Buckets");
  w.close("ListAllMyBucketsResult");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> create_bucket(OpContext& ctx, S3Request& req) {
  auto body = co_await read_small_body(req, kMaxConfigBody);
  if (auto* err = std::get_if<s3::S3Error>(&body)) co_return error_reply(req, *err);
  auto parsed = s3::parse_create_bucket_configuration(std::get<std::string>(body));
  if (auto* err = std::get_if<s3::S3Error>(&parsed)) co_return error_reply(req, *err);
  const auto& config = std::get<s3::CreateBucketConfiguration>(parsed);

  // Placement refuses what it could never honour (an unknown location, a strict region's
  // border) before the bucket exists.
  auto extra = co_await extra_countries(ctx, req.customer_id);
  auto decided = decide(ctx, config.location_constraint, std::move(extra));
  if (auto* err = std::get_if<s3::S3Error>(&decided)) co_return error_reply(req, *err);
  const auto& decision = std::get<placement::PlacementDecision>(decided);

  meta::Bucket b;
  b.customer_id = req.customer_id;
  b.name = req.bucket;
  b.owner_user_id = req.user_id;
  b.location_constraint = decision.constraint;
  // Object lock at creation (versioning Enabled with it, in the same transaction).
  if (auto lock = req.header("x-amz-bucket-object-lock-enabled")) {
    b.object_lock_enabled = util::iequals_ascii(*lock, "true");
  }
  const auto outcome = co_await ctx.buckets.create(b, req.log_record(200));
  if (outcome == meta::CreateBucketOutcome::kAlreadyOwnedByYou) {
    // The namespace is the customer's; within it, the bucket may be another user's.
    auto existing = co_await ctx.buckets.find(req.customer_id, req.bucket);
    const bool mine = !req.user_id || (existing && existing->owner_user_id == req.user_id);
    s3::S3Error e(mine ? ErrorCode::kBucketAlreadyOwnedByYou : ErrorCode::kBucketAlreadyExists);
    e.extra_xml = no_such_bucket_extra(req);
    co_return error_reply(req, e);
  }
  record_placement(ctx, req, decision);
  Reply r;
  r.headers.set(boost::beast::http::field::location, "/" + req.bucket);
  co_return r;
}

awaitable<Reply> head_bucket(OpContext& ctx, S3Request& req) {
  auto b = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!b) co_return error_reply(req, no_such_bucket(req));
  Reply r;
  r.head_only = true;
  r.headers.set("x-amz-bucket-region", ctx.config.region);
  co_return r;
}

awaitable<Reply> delete_bucket(OpContext& ctx, S3Request& req) {
  auto b = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!b) co_return error_reply(req, no_such_bucket(req));
  std::vector<meta::GarbageBlob> aborted;  // multipart uploads in progress go with the bucket
  const auto outcome = co_await ctx.buckets.remove(req.customer_id, req.bucket,
                                                   req.log_record(204), &aborted);
  switch (outcome) {
    case meta::DeleteBucketOutcome::kNoSuchBucket:
      co_return error_reply(req, no_such_bucket(req));
    case meta::DeleteBucketOutcome::kNotEmpty: {
      s3::S3Error e(ErrorCode::kBucketNotEmpty);
      e.extra_xml = no_such_bucket_extra(req);
      co_return error_reply(req, e);
    }
    case meta::DeleteBucketOutcome::kDeleted:
      break;
  }
  co_await remove_garbage(ctx, std::move(aborted));
  // Every object row is gone, so its backend buckets are empty now; tidy them (the zones the
  // bucket's mappings name, which placement only ever chose inside its constraint's countries).
  co_await ctx.backend_buckets.drop(ctx.zones(), *b);
  Reply r;
  r.status = 204;
  co_return r;
}

awaitable<Reply> get_bucket_location(OpContext& ctx, S3Request& req) {
  auto b = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!b) co_return error_reply(req, no_such_bucket(req));
  s3::XmlWriter w;
  w.open("LocationConstraint", s3::kS3Namespace);
  w.raw(s3::xml_escape(b->location_constraint));
  w.close("LocationConstraint");
  co_return xml_reply(200, w.take());
}

}  // namespace s3gw::ops
