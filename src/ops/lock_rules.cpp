#include "ops/lock_rules.h"

#include <chrono>

#include "s3/http_date.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

std::variant<LockHeaders, S3Error> parse_lock_headers(std::optional<std::string_view> mode,
                                                      std::optional<std::string_view> date,
                                                      std::optional<std::string_view> hold,
                                                      util::TimePoint now) {
  LockHeaders out;
  if (mode.has_value() != date.has_value()) {
    return S3Error(ErrorCode::kInvalidArgument,
                   "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be "
                   "supplied");
  }
  if (mode) {
    if (*mode != "GOVERNANCE" && *mode != "COMPLIANCE") {
      return S3Error(ErrorCode::kInvalidArgument, "Unknown wormMode directive.");
    }
    const auto until = s3::parse_iso8601(*date);
    if (!until) {
      return S3Error(ErrorCode::kInvalidArgument,
                     "The retain until date must be provided in ISO 8601 format");
    }
    if (*until <= now) {
      return S3Error(ErrorCode::kInvalidArgument, "The retain until date must be in the future!");
    }
    out.mode = std::string(*mode);
    out.retain_until = *until;
  }
  if (hold) {
    if (*hold != "ON" && *hold != "OFF") {
      return S3Error(ErrorCode::kInvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'");
    }
    out.legal_hold = *hold == "ON";
  }
  return out;
}

std::variant<LockHeaders, S3Error> read_lock_headers(const http::Request& req,
                                                     util::TimePoint now) {
  return parse_lock_headers(req.header("x-amz-object-lock-mode"),
                            req.header("x-amz-object-lock-retain-until-date"),
                            req.header("x-amz-object-lock-legal-hold"), now);
}

std::variant<LockHeaders, S3Error> asked_object_lock(const meta::Bucket& bucket,
                                                     const http::Request& req,
                                                     util::TimePoint now) {
  auto asked = read_lock_headers(req, now);
  if (auto* h = std::get_if<LockHeaders>(&asked); h && h->any() && !bucket.object_lock_enabled) {
    return S3Error(ErrorCode::kInvalidRequest, std::string(kNoLockConfiguration));
  }
  return asked;
}

util::TimePoint default_retain_until(const meta::DefaultRetention& d, util::TimePoint from) {
  using namespace std::chrono;
  if (d.years <= 0) return from + days(d.days);
  const auto day = floor<days>(from);
  year_month_day ymd{day};
  ymd += years(d.years);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return from + (sys_days(ymd) - day);
}

std::optional<S3Error> apply_object_lock(const meta::Bucket& bucket, const LockHeaders& asked,
                                         meta::ObjectVersion& v, util::TimePoint now) {
  if (asked.any() && !bucket.object_lock_enabled) {
    return S3Error(ErrorCode::kInvalidRequest, std::string(kNoLockConfiguration));
  }
  if (asked.mode) {
    v.retention_mode = asked.mode;
    v.retain_until = asked.retain_until;
  }
  if (asked.legal_hold) v.legal_hold = *asked.legal_hold;
  apply_lock_defaults(bucket, v, now);
  return std::nullopt;
}

std::optional<S3Error> apply_object_lock(const meta::Bucket& bucket, const http::Request& req,
                                         meta::ObjectVersion& v, util::TimePoint now) {
  auto asked = asked_object_lock(bucket, req, now);
  if (auto* e = std::get_if<S3Error>(&asked)) return *e;
  return apply_object_lock(bucket, std::get<LockHeaders>(asked), v, now);
}

void apply_lock_defaults(const meta::Bucket& bucket, meta::ObjectVersion& v, util::TimePoint now) {
  if (v.retention_mode || !bucket.object_lock_enabled || !bucket.default_retention) return;
  v.retention_mode = bucket.default_retention->mode;
  // Milliseconds: what the database keeps and the responses show.
  v.retain_until =
      util::from_unix_ms(util::to_unix_ms(default_retain_until(*bucket.default_retention, now)));
}

bool retention_change_allowed(const meta::ObjectVersion& current,
                              const std::optional<std::string>& mode,
                              const std::optional<util::TimePoint>& until, bool bypass,
                              util::TimePoint now) {
  if (!current.retention_mode || !current.retain_until || *current.retain_until <= now) {
    return true;
  }
  const bool weakened = !until || *until < *current.retain_until || mode != current.retention_mode;
  if (!weakened) return true;
  if (*current.retention_mode == "COMPLIANCE") return false;
  // GOVERNANCE: becoming COMPLIANCE for at least as long is a strengthening.
  return bypass || (mode == "COMPLIANCE" && until && *until >= *current.retain_until);
}

void write_lock_headers(const meta::ObjectVersion& v, http::Response& r) {
  if (v.retention_mode && v.retain_until) {
    r.headers.set("x-amz-object-lock-mode", *v.retention_mode);
    r.headers.set("x-amz-object-lock-retain-until-date", s3::format_iso8601(*v.retain_until));
  }
  if (v.legal_hold) r.headers.set("x-amz-object-lock-legal-hold", "ON");
}

}  // namespace s3gw::ops
