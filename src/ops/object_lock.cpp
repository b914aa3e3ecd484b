// Object lock: the bucket's configuration (Get/PutObjectLockConfiguration) and a version's
// retention and legal hold (Get/Put ObjectRetention, ObjectLegalHold, with versionId). The
// rules are lock_rules'; the database enforces them again (migration 006's trigger), so a race
// or a bug elsewhere still cannot weaken a retention. Content-MD5 (or an x-amz-checksum), which
// AWS requires on these PUTs, is checked when sent and not required.
#include "meta/object_lock_repository.h"
#include "ops/authorizer.h"
#include "ops/handlers.h"
#include "ops/lock_rules.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "ops/version_target.h"
#include "s3/http_date.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

constexpr std::size_t kMaxLockBody = 64 * 1024;

S3Error no_lock_configuration() {
  return S3Error(ErrorCode::kInvalidRequest, std::string(kNoLockConfiguration));
}

// The version a retention or legal-hold request is about: the bucket (which must have object
// lock) and the version, or the reply to give instead.
struct Subject {
  std::optional<meta::Bucket> bucket;
  std::optional<std::string> version_id;  // as asked
  std::optional<meta::ObjectVersion> version;
  std::optional<Reply> reply;
};

awaitable<Subject> find_subject(OpContext& ctx, S3Request& req) {
  Subject s;
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<S3Error>(&vid)) {
    s.reply = failure(req, *e);
    co_return s;
  }
  s.version_id = std::get<std::optional<std::string>>(vid);
  s.bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!s.bucket) {
    s.reply = failure(req, no_such_bucket(req));
    co_return s;
  }
  if (!s.bucket->object_lock_enabled) {
    s.reply = failure(req, no_lock_configuration());
    co_return s;
  }
  std::optional<meta::ObjectVersion> v;
  if (s.version_id) {
    v = co_await ctx.objects.find_version(s.bucket->id, req.key, *s.version_id);
  } else {
    auto found = co_await ctx.objects.find_latest(req.customer_id, req.bucket, req.key);
    v = std::move(found.latest);
  }
  if (!v) {
    s.reply = failure(req, s.version_id ? no_such_version(req, *s.version_id) : no_such_key(req));
  } else if (v->is_delete_marker) {
    s.reply = delete_marker_reply(req, v->version_id, s.version_id.has_value());
  } else {
    s.version = std::move(v);
  }
  co_return s;
}

// The answer to a retention or legal-hold write that did not happen.
Reply lock_write_failure(OpContext& ctx, const S3Request& req, const meta::LockWrite& w, const std::optional<std::string>& version_id) {
  switch (w.result) {
    case meta::LockWriteResult::kNoSuchBucket:
      return failure(req, no_such_bucket(req));
    case meta::LockWriteResult::kNoSuchKey:
      return failure(req, no_such_key(req));
    case meta::LockWriteResult::kNoSuchVersion:
      return failure(req, no_such_version(req, version_id.value_or("")));
    case meta::LockWriteResult::kDeleteMarker:
      return delete_marker_reply(req, w.version_id, version_id.has_value());
    case meta::LockWriteResult::kLocked:
      return failure(req, object_locked(ctx, req));
    case meta::LockWriteResult::kDone:
      break;
  }
  throw std::logic_error("lock_write_failure of a write that succeeded");
}

}  // namespace

awaitable<Reply> get_object_lock_configuration(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  if (!bucket->object_lock_enabled) {
    S3Error e(ErrorCode::kObjectLockConfigurationNotFoundError,
              "Object Lock configuration does not exist for this bucket");
    e.extra_xml = "<BucketName>" + s3::xml_escape(req.bucket) + "</BucketName>";
    co_return error_reply(req, e);
  }
  s3::XmlWriter w;
  w.open("ObjectLockConfiguration", s3::kS3Namespace);
  w.element("ObjectLockEnabled", "Enabled");
  if (const auto& d = bucket->default_retention) {
    w.open("Rule");
    w.open("DefaultRetention");
    w.element("Mode", d->mode);
    if (d->years > 0) {
      w.element("Years", std::int64_t{d->years});
    } else {
      w.element("Days", std::int64_t{d->days});
    }
    w.close("DefaultRetention");
    w.close("Rule");
  }
  w.close("ObjectLockConfiguration");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> put_object_lock_configuration(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  auto body = co_await read_small_body(req, kMaxLockBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return failure(req, *e);
  auto parsed = s3::parse_object_lock_configuration(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto& config = std::get<s3::ObjectLockConfiguration>(parsed);
  meta::Bucket lock;
  lock.object_lock_enabled = true;
  if (config.rule) {
    meta::DefaultRetention d;
    d.mode = config.rule->mode;
    d.days = static_cast<int>(config.rule->days.value_or(0));
    d.years = static_cast<int>(config.rule->years.value_or(0));
    lock.default_retention = d;
  }
  // Enabling it on an existing bucket is allowed (as AWS now does) once versioning is Enabled.
  switch (co_await ctx.buckets.set_object_lock(req.customer_id, req.bucket, lock,
                                               req.log_record(200))) {
    case meta::ObjectLockChange::kNoSuchBucket:
      co_return error_reply(req, no_such_bucket(req));
    case meta::ObjectLockChange::kNotVersioned:
      co_return error_reply(
          req, S3Error(ErrorCode::kInvalidBucketState,
                       "Versioning must be 'Enabled' on the bucket to apply a Object Lock "
                       "configuration"));
    case meta::ObjectLockChange::kChanged:
      break;
  }
  co_return Reply{};
}

awaitable<Reply> get_object_retention(OpContext& ctx, S3Request& req) {
  auto s = co_await find_subject(ctx, req);
  if (s.reply) co_return std::move(*s.reply);
  const auto& v = *s.version;
  if (!v.retention_mode || !v.retain_until) {
    co_return error_reply(req, S3Error(ErrorCode::kNoSuchObjectLockConfiguration,
                                       "The specified object does not have a ObjectLock "
                                       "configuration"));
  }
  s3::XmlWriter w;
  w.open("Retention", s3::kS3Namespace);
  w.element("Mode", *v.retention_mode);
  w.element("RetainUntilDate", s3::format_iso8601(*v.retain_until));
  w.close("Retention");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> put_object_retention(OpContext& ctx, S3Request& req) {
  auto s = co_await find_subject(ctx, req);
  if (s.reply) co_return std::move(*s.reply);
  auto body = co_await read_small_body(req, kMaxLockBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return failure(req, *e);
  auto parsed = s3::parse_retention(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto& retention = std::get<s3::Retention>(parsed);
  const auto now = util::Clock::now();
  std::optional<util::TimePoint> until;
  if (retention.retain_until) {
    until = s3::parse_iso8601(*retention.retain_until);
    if (!until) {
      co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                         "The retain until date must be provided in ISO 8601 "
                                         "format"));
    }
    if (*until <= now) {
      co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                         "The retain until date must be in the future!"));
    }
    until = util::from_unix_ms(util::to_unix_ms(*until));  // what the database keeps
  }
  const bool bypass = co_await bypass_governance(ctx, req);
  if (!retention_change_allowed(*s.version, retention.mode, until, bypass, now)) {
    co_return error_reply(req, object_locked(ctx, req));
  }
  // The version checked, by id: a version written meanwhile is not the one this request saw.
  std::optional<std::string> target = s.version->version_id;
  std::optional<std::string> mode = retention.mode;
  const auto written =
      co_await ctx.locks->set_retention(s.bucket->id, req.key, target, mode, until, bypass,
                                        req.log_record(200));
  if (written.result != meta::LockWriteResult::kDone) {
    co_return lock_write_failure(ctx, req, written, s.version_id);
  }
  co_return Reply{};
}

awaitable<Reply> get_object_legal_hold(OpContext& ctx, S3Request& req) {
  auto s = co_await find_subject(ctx, req);
  if (s.reply) co_return std::move(*s.reply);
  s3::XmlWriter w;
  w.open("LegalHold", s3::kS3Namespace);
  w.element("Status", s.version->legal_hold ? "ON" : "OFF");
  w.close("LegalHold");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> put_object_legal_hold(OpContext& ctx, S3Request& req) {
  auto s = co_await find_subject(ctx, req);
  if (s.reply) co_return std::move(*s.reply);
  auto body = co_await read_small_body(req, kMaxLockBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return failure(req, *e);
  auto parsed = s3::parse_legal_hold(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  std::optional<std::string> target = s.version->version_id;
  const auto written =
      co_await ctx.locks->set_legal_hold(s.bucket->id, req.key, target, std::get<bool>(parsed),
                                         req.log_record(200));
  if (written.result != meta::LockWriteResult::kDone) {
    co_return lock_write_failure(ctx, req, written, s.version_id);
  }
  co_return Reply{};
}

}  // namespace s3gw::ops
