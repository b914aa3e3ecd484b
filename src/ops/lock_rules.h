#pragma once
// Object lock rules (pure, unit-tested): the x-amz-object-lock-* headers of a new version, a
// bucket's default retention, which retention changes are allowed, and the headers GET/HEAD
// answer. The database enforces the same retention rules (migration 006's trigger); these
// give the clear S3 error first.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/request.h"
#include "http/response.h"
#include "meta/types.h"
#include "s3/error.h"
#include "util/time.h"

namespace s3gw::ops {

// InvalidRequest's message for an object-lock request on a bucket without object lock.
inline constexpr std::string_view kNoLockConfiguration =
    "Bucket is missing Object Lock Configuration";

// What the x-amz-object-lock-* headers of a PUT (or CreateMultipartUpload, CopyObject) ask for.
struct LockHeaders {
  std::optional<std::string> mode;  // "GOVERNANCE" or "COMPLIANCE", with retain_until
  std::optional<util::TimePoint> retain_until;
  std::optional<bool> legal_hold;
  bool any() const { return mode || retain_until || legal_hold; }
};

// x-amz-object-lock-mode, -retain-until-date (ISO 8601, in the future) and -legal-hold (ON or
// OFF). InvalidArgument for a bad value, a date not after `now`, or mode without date (or the
// reverse).
std::variant<LockHeaders, s3::S3Error> parse_lock_headers(std::optional<std::string_view> mode,
                                                          std::optional<std::string_view> date,
                                                          std::optional<std::string_view> hold,
                                                          util::TimePoint now);
std::variant<LockHeaders, s3::S3Error> read_lock_headers(const http::Request& req,
                                                         util::TimePoint now);
// The request's lock headers for a new version in `bucket`: read_lock_headers, and
// InvalidRequest when they ask for a lock on a bucket without object lock.
std::variant<LockHeaders, s3::S3Error> asked_object_lock(const meta::Bucket& bucket,
                                                         const http::Request& req,
                                                         util::TimePoint now);

// When a default retention started at `from` ends: Days of 24 hours, or calendar Years
// (29 February becomes 28 February).
util::TimePoint default_retain_until(const meta::DefaultRetention& d, util::TimePoint from);

// The object lock of a new version: the asked retention and legal hold, or, when no retention
// is asked for, the bucket's default retention from `now`. InvalidRequest when a lock is asked
// for on a bucket without object lock.
std::optional<s3::S3Error> apply_object_lock(const meta::Bucket& bucket, const LockHeaders& asked,
                                             meta::ObjectVersion& v, util::TimePoint now);
// The same from the request's headers: what PutObject and CopyObject (its target) call before
// storing anything; `now` is when the version is written.
std::optional<s3::S3Error> apply_object_lock(const meta::Bucket& bucket, const http::Request& req,
                                             meta::ObjectVersion& v,
                                             util::TimePoint now = util::Clock::now());
// The bucket's default retention only, when `v` has no retention (CompleteMultipartUpload:
// the upload's own headers were applied at its creation).
void apply_lock_defaults(const meta::Bucket& bucket, meta::ObjectVersion& v, util::TimePoint now);

// PutObjectRetention: may `current`'s retention become `mode` until `until` (nullopt: removed)?
// An expired (or absent) retention: anything. COMPLIANCE: only extended, never shortened,
// removed or turned into GOVERNANCE, by anyone. GOVERNANCE: extended, or turned into COMPLIANCE
// no earlier, freely; shortened or removed only with `bypass`.
bool retention_change_allowed(const meta::ObjectVersion& current,
                              const std::optional<std::string>& mode,
                              const std::optional<util::TimePoint>& until, bool bypass,
                              util::TimePoint now);

// x-amz-object-lock-mode, -retain-until-date and -legal-hold (when set) on a GET/HEAD response.
void write_lock_headers(const meta::ObjectVersion& v, http::Response& r);

}  // namespace s3gw::ops
