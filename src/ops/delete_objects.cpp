// DeleteObjects (POST ?delete): up to 1000 keys, each deleted as DeleteObject would (delete
// markers on versioned buckets, versionIds for good), authorized and answered per key. Quiet
// mode reports errors only. No Content-MD5 is required (S3 now accepts a checksum or none).
#include "ops/authorizer.h"
#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "s3/validation.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"
#include "util/log.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

// 1000 keys of up to 1024 bytes, escaped, with their elements.
constexpr std::size_t kMaxDeleteBody = 2 * 1024 * 1024;

struct KeyResult {
  std::string key;
  std::optional<std::string> version_id;  // as asked
  std::optional<S3Error> error;
  meta::DeleteOutcome outcome;
};

}  // namespace

awaitable<Reply> delete_objects(OpContext& ctx, S3Request& req) {
  auto body = co_await read_small_body(req, kMaxDeleteBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return error_reply(req, *e);
  auto parsed = s3::parse_delete(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto& request = std::get<s3::DeleteRequest>(parsed);

  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  const bool bypass = co_await bypass_governance(ctx, req);

  std::vector<KeyResult> results;
  results.reserve(request.objects.size());
  for (const auto& o : request.objects) {
    KeyResult r;
    r.key = o.key;
    r.version_id = o.version_id;
    if (auto v = s3::validate_object_key(o.key); !v) {
      r.error = v.error();
    } else if (o.version_id && o.version_id->empty()) {
      r.error = S3Error(ErrorCode::kInvalidArgument, "Version id cannot be the empty string");
    } else if (!co_await may_act_on(ctx, req,
                                    o.version_id ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
                                    req.bucket, o.key)) {
      r.error = S3Error(ErrorCode::kAccessDenied);
    } else {
      auto log = req.log_record(204);
      log.key = o.key;
      auto outcome =
          co_await ctx.objects.delete_object(bucket->id, o.key, o.version_id, bypass, log);
      if (!outcome) co_return error_reply(req, no_such_bucket(req));  // deleted meanwhile
      if (outcome->locked) {
        r.error = object_locked(ctx, req, o.key);
      } else {
        r.outcome = std::move(*outcome);
      }
    }
    results.push_back(std::move(r));
  }
  for (auto& r : results) {
    if (!r.error && !r.outcome.garbage.empty()) {
      co_await remove_garbage(ctx, std::move(r.outcome.garbage));
    }
  }

  s3::XmlWriter w;
  w.open("DeleteResult", s3::kS3Namespace);
  for (const auto& r : results) {
    if (r.error) {
      w.open("Error");
      w.element("Key", r.key);
      if (r.version_id) w.element("VersionId", *r.version_id);
      w.element("Code", r.error->aws_code());
      w.element("Message", r.error->effective_message());
      w.close("Error");
      continue;
    }
    if (request.quiet) continue;
    w.open("Deleted");
    w.element("Key", r.key);
    if (r.version_id) w.element("VersionId", *r.version_id);
    if (r.outcome.delete_marker) {
      w.element_bool("DeleteMarker", true);
      // A marker made now is named here; one removed by versionId is the version itself.
      if (!r.version_id && r.outcome.version_id) {
        w.element("DeleteMarkerVersionId", *r.outcome.version_id);
      }
    }
    w.close("Deleted");
  }
  w.close("DeleteResult");
  co_return xml_reply(200, w.take());
}

}  // namespace s3gw::ops
