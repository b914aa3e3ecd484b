// Object and bucket tagging: Put/Get/DeleteObjectTagging (with versionId) and
// Put/Get/DeleteBucketTagging. A put replaces the whole set; object tag sets follow S3's rules
// (s3/tagging.h) and `replica-count` must be a count the bucket's LocationConstraint can hold
// (ops/object_tags.h), stored as the version's wanted replica count.
#include "ops/handlers.h"
#include "ops/object_tags.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "ops/version_target.h"
#include "ops/zone_choice.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

// Ten object tags or fifty bucket tags of the longest keys and values, escaped, fit easily.
constexpr std::size_t kMaxTaggingBody = 256 * 1024;

std::string tagging_xml(const meta::TagList& tags) {
  s3::XmlWriter w;
  w.open("Tagging", s3::kS3Namespace);
  w.open("TagSet");
  for (const auto& [k, v] : tags) {
    w.open("Tag");
    w.element("Key", k);
    w.element("Value", v);
    w.close("Tag");
  }
  w.close("TagSet");
  w.close("Tagging");
  return w.take();
}

Reply tag_write_failure(const S3Request& req, const meta::ObjectTagWrite& w,
                        const std::optional<std::string>& version_id) {
  switch (w.result) {
    case meta::TagWriteResult::kNoSuchBucket:
      return failure(req, no_such_bucket(req));
    case meta::TagWriteResult::kNoSuchKey:
      return failure(req, no_such_key(req));
    case meta::TagWriteResult::kNoSuchVersion:
      return failure(req, no_such_version(req, version_id.value_or("")));
    case meta::TagWriteResult::kDeleteMarker:
      return delete_marker_reply(req, w.version_id, version_id.has_value());
    case meta::TagWriteResult::kDone:
      break;
  }
  throw std::logic_error("tag_write_failure of a write that succeeded");
}

}  // namespace

awaitable<Reply> get_bucket_tagging(OpContext& ctx, S3Request& req) {
  auto found = co_await ctx.tags->bucket_tags(req.customer_id, req.bucket);
  if (!found.bucket_found) co_return error_reply(req, no_such_bucket(req));
  if (!found.tags) {
    S3Error e(ErrorCode::kNoSuchTagSet);
    e.extra_xml = "<BucketName>" + s3::xml_escape(req.bucket) + "</BucketName>";
    co_return error_reply(req, e);
  }
  co_return xml_reply(200, tagging_xml(*found.tags));
}

awaitable<Reply> put_bucket_tagging(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  auto body = co_await read_small_body(req, kMaxTaggingBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return failure(req, *e);
  auto parsed = s3::parse_tagging(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto& tags = std::get<s3::TagSet>(parsed);
  if (auto err = s3::validate_tags(tags, s3::kMaxBucketTags)) co_return error_reply(req, *err);
  // An empty set leaves the bucket without one, as DeleteBucketTagging does.
  std::optional<meta::TagList> stored;
  if (!tags.empty()) stored = to_tag_list(tags);
  if (!co_await ctx.tags->set_bucket_tags(req.customer_id, req.bucket, stored,
                                          req.log_record(204))) {
    co_return error_reply(req, no_such_bucket(req));
  }
  Reply r;
  r.status = 204;
  co_return r;
}

awaitable<Reply> delete_bucket_tagging(OpContext& ctx, S3Request& req) {
  if (!co_await ctx.tags->set_bucket_tags(req.customer_id, req.bucket, std::nullopt,
                                          req.log_record(204))) {
    co_return error_reply(req, no_such_bucket(req));
  }
  Reply r;
  r.status = 204;
  co_return r;
}

awaitable<Reply> get_object_tagging(OpContext& ctx, S3Request& req) {
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<S3Error>(&vid)) co_return error_reply(req, *e);
  const auto version_id = std::get<std::optional<std::string>>(vid);
  auto found = co_await ctx.objects.find_latest(req.customer_id, req.bucket, req.key, version_id);
  if (!found.bucket_id) co_return error_reply(req, no_such_bucket(req));
  if (!found.latest) {
    co_return error_reply(req, version_id ? no_such_version(req, *version_id) : no_such_key(req));
  }
  const auto& v = *found.latest;
  if (v.is_delete_marker) co_return delete_marker_reply(req, v.version_id, version_id.has_value());
  auto tags = co_await ctx.tags->object_tags(v.id);
  Reply r = xml_reply(200, tagging_xml(tags));
  r.headers.set("x-amz-version-id", v.version_id);
  co_return r;
}

awaitable<Reply> put_object_tagging(OpContext& ctx, S3Request& req) {
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<S3Error>(&vid)) co_return failure(req, *e);
  const auto version_id = std::get<std::optional<std::string>>(vid);
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  auto body = co_await read_small_body(req, kMaxTaggingBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return failure(req, *e);
  auto parsed = s3::parse_tagging(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto extra = co_await extra_countries(ctx, req.customer_id);
  auto checked = check_object_tags(ctx, *bucket, std::get<s3::TagSet>(parsed), extra);
  if (auto* e = std::get_if<S3Error>(&checked)) co_return error_reply(req, *e);
  const auto& tags = std::get<CheckedTags>(checked);
  auto written = co_await ctx.tags->replace_object_tags(bucket->id, req.key, version_id, tags.tags,
                                                        tags.replica_count,
                                                        req.log_record(200));
  if (written.result != meta::TagWriteResult::kDone) {
    co_return tag_write_failure(req, written, version_id);
  }
  Reply r;
  r.headers.set("x-amz-version-id", written.version_id);
  co_return r;
}

awaitable<Reply> delete_object_tagging(OpContext& ctx, S3Request& req) {
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<S3Error>(&vid)) co_return error_reply(req, *e);
  const auto version_id = std::get<std::optional<std::string>>(vid);
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  const meta::TagList none;
  const std::optional<int> no_count;  // named: no temporaries straight into a coroutine call
  auto written = co_await ctx.tags->replace_object_tags(
      bucket->id, req.key, version_id, none, no_count, req.log_record(204));
  if (written.result != meta::TagWriteResult::kDone) {
    co_return tag_write_failure(req, written, version_id);
  }
  Reply r;
  r.status = 204;
  r.headers.set("x-amz-version-id", written.version_id);
  co_return r;
}

}  // namespace s3gw::ops
