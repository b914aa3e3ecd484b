#include "ops/new_version_lock.h"

#include "ops/authorizer.h"
#include "ops/lock_rules.h"

namespace s3gw::ops {

boost::asio::awaitable<std::optional<s3::S3Error>> lock_new_version(OpContext& ctx,
                                                                    const S3Request& req,
                                                                    const meta::Bucket& bucket,
                                                                    meta::ObjectVersion& v,
                                                                    bool with_default) {
  const auto now = util::Clock::now();
  auto parsed = asked_object_lock(bucket, req.http, now);
  if (auto* e = std::get_if<s3::S3Error>(&parsed)) co_return *e;
  const LockHeaders& asked = std::get<LockHeaders>(parsed);
  // A retention set with a PUT cannot be taken back (COMPLIANCE): its own permission decides.
  bool allowed = true;
  if (asked.mode) {
    allowed = co_await may_act_on(ctx, req, "s3:PutObjectRetention", bucket.name, v.key);
  }
  if (allowed && asked.legal_hold) {
    allowed = co_await may_act_on(ctx, req, "s3:PutObjectLegalHold", bucket.name, v.key);
  }
  if (!allowed) co_return s3::S3Error(s3::ErrorCode::kAccessDenied);
  if (with_default) {
    apply_object_lock(bucket, asked, v, now);  // checked above: cannot fail
  } else {
    if (asked.mode) {
      v.retention_mode = asked.mode;
      v.retain_until = asked.retain_until;
    }
    if (asked.legal_hold) v.legal_hold = *asked.legal_hold;
  }
  co_return std::nullopt;
}

}  // namespace s3gw::ops
