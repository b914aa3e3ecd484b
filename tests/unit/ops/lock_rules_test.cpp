#include "ops/lock_rules.h"

#include <gtest/gtest.h>

#include "s3/http_date.h"

namespace s3gw::ops {
namespace {

using s3::ErrorCode;
using std::chrono::hours;

util::TimePoint iso(std::string_view s) {
  return *s3::parse_iso8601(s);
}

const util::TimePoint kNow = iso("2025-06-15T12:00:00Z");

ErrorCode error_of(const std::variant<LockHeaders, s3::S3Error>& r) {
  return std::get<s3::S3Error>(r).code;
}

TEST(LockHeadersTest, ParsesModeDateAndHold) {
  auto r = parse_lock_headers("COMPLIANCE", "2030-01-01T00:00:00Z", "ON", kNow);
  const auto& h = std::get<LockHeaders>(r);
  EXPECT_EQ(h.mode, "COMPLIANCE");
  EXPECT_EQ(h.retain_until, iso("2030-01-01T00:00:00Z"));
  EXPECT_EQ(h.legal_hold, true);
  EXPECT_TRUE(h.any());
  EXPECT_FALSE(std::get<LockHeaders>(parse_lock_headers({}, {}, {}, kNow)).any());
  EXPECT_EQ(std::get<LockHeaders>(parse_lock_headers({}, {}, "OFF", kNow)).legal_hold, false);
}

TEST(LockHeadersTest, RefusesBadOrHalfHeaders) {
  EXPECT_EQ(error_of(parse_lock_headers("GOVERNANCE", {}, {}, kNow)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of(parse_lock_headers({}, "2030-01-01T00:00:00Z", {}, kNow)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of(parse_lock_headers("governance", "2030-01-01T00:00:00Z", {}, kNow)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of(parse_lock_headers("GOVERNANCE", "tomorrow", {}, kNow)),
            ErrorCode::kInvalidArgument);
  // Not in the future.
  EXPECT_EQ(error_of(parse_lock_headers("GOVERNANCE", "2025-06-15T12:00:00Z", {}, kNow)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of(parse_lock_headers({}, {}, "on", kNow)), ErrorCode::kInvalidArgument);
}

TEST(DefaultRetentionTest, DaysAndCalendarYears) {
  EXPECT_EQ(default_retain_until({"GOVERNANCE", 1, 0}, kNow), kNow + hours(24));
  EXPECT_EQ(default_retain_until({"GOVERNANCE", 0, 1}, kNow), iso("2026-06-15T12:00:00Z"));
  EXPECT_EQ(default_retain_until({"COMPLIANCE", 0, 1}, iso("2024-02-29T08:30:00.250Z")),
            iso("2025-02-28T08:30:00.250Z"));
  EXPECT_EQ(default_retain_until({"COMPLIANCE", 0, 4}, iso("2024-02-29T08:30:00Z")),
            iso("2028-02-29T08:30:00Z"));
}

meta::Bucket lock_bucket(std::optional<meta::DefaultRetention> d = std::nullopt) {
  meta::Bucket b;
  b.versioning = "Enabled";
  b.object_lock_enabled = true;
  b.default_retention = std::move(d);
  return b;
}

TEST(ApplyObjectLockTest, HeadersWinOverTheDefault) {
  meta::ObjectVersion v;
  LockHeaders asked;
  asked.mode = "GOVERNANCE";
  asked.retain_until = iso("2031-01-01T00:00:00Z");
  EXPECT_FALSE(
      apply_object_lock(lock_bucket(meta::DefaultRetention{"COMPLIANCE", 5, 0}), asked, v, kNow));
  EXPECT_EQ(v.retention_mode, "GOVERNANCE");
  EXPECT_EQ(v.retain_until, iso("2031-01-01T00:00:00Z"));
  EXPECT_FALSE(v.legal_hold);
}

TEST(ApplyObjectLockTest, DefaultWhenNoRetentionAsked) {
  meta::ObjectVersion v;
  LockHeaders asked;
  asked.legal_hold = true;  // a legal hold alone leaves the default retention to apply
  EXPECT_FALSE(
      apply_object_lock(lock_bucket(meta::DefaultRetention{"COMPLIANCE", 5, 0}), asked, v, kNow));
  EXPECT_EQ(v.retention_mode, "COMPLIANCE");
  EXPECT_EQ(v.retain_until, kNow + hours(24 * 5));
  EXPECT_TRUE(v.legal_hold);

  meta::ObjectVersion plain;
  EXPECT_FALSE(apply_object_lock(lock_bucket(), LockHeaders{}, plain, kNow));
  EXPECT_FALSE(plain.retention_mode);
  EXPECT_FALSE(plain.retain_until);
}

TEST(ApplyObjectLockTest, RefusesLockOnABucketWithout) {
  meta::Bucket b;
  meta::ObjectVersion v;
  LockHeaders asked;
  asked.legal_hold = false;
  auto err = apply_object_lock(b, asked, v, kNow);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, ErrorCode::kInvalidRequest);
  EXPECT_FALSE(apply_object_lock(b, LockHeaders{}, v, kNow));
  EXPECT_FALSE(v.retention_mode);
}

meta::ObjectVersion retained(std::string mode, std::string_view until) {
  meta::ObjectVersion v;
  v.retention_mode = std::move(mode);
  v.retain_until = iso(until);
  return v;
}

TEST(RetentionChangeTest, ComplianceOnlyExtends) {
  const auto v = retained("COMPLIANCE", "2026-01-01T00:00:00Z");
  const std::optional<std::string> compliance = "COMPLIANCE";
  const std::optional<std::string> governance = "GOVERNANCE";
  for (bool bypass : {false, true}) {
    EXPECT_TRUE(retention_change_allowed(v, compliance, iso("2027-01-01T00:00:00Z"), bypass, kNow));
    EXPECT_TRUE(retention_change_allowed(v, compliance, iso("2026-01-01T00:00:00Z"), bypass, kNow));
    EXPECT_FALSE(
        retention_change_allowed(v, compliance, iso("2025-12-31T00:00:00Z"), bypass, kNow));
    EXPECT_FALSE(
        retention_change_allowed(v, governance, iso("2027-01-01T00:00:00Z"), bypass, kNow));
    EXPECT_FALSE(retention_change_allowed(v, std::nullopt, std::nullopt, bypass, kNow));
  }
}

TEST(RetentionChangeTest, GovernanceYieldsToTheBypass) {
  const auto v = retained("GOVERNANCE", "2026-01-01T00:00:00Z");
  const std::optional<std::string> compliance = "COMPLIANCE";
  const std::optional<std::string> governance = "GOVERNANCE";
  EXPECT_TRUE(retention_change_allowed(v, governance, iso("2027-01-01T00:00:00Z"), false, kNow));
  EXPECT_TRUE(retention_change_allowed(v, compliance, iso("2026-01-01T00:00:00Z"), false, kNow));
  EXPECT_FALSE(retention_change_allowed(v, compliance, iso("2025-12-01T00:00:00Z"), false, kNow));
  EXPECT_FALSE(retention_change_allowed(v, governance, iso("2025-12-01T00:00:00Z"), false, kNow));
  EXPECT_FALSE(retention_change_allowed(v, std::nullopt, std::nullopt, false, kNow));
  EXPECT_TRUE(retention_change_allowed(v, governance, iso("2025-12-01T00:00:00Z"), true, kNow));
  EXPECT_TRUE(retention_change_allowed(v, std::nullopt, std::nullopt, true, kNow));
}

TEST(RetentionChangeTest, ExpiredOrNoneAllowsAnything) {
  const auto expired = retained("COMPLIANCE", "2025-01-01T00:00:00Z");
  EXPECT_TRUE(retention_change_allowed(expired, std::nullopt, std::nullopt, false, kNow));
  EXPECT_TRUE(retention_change_allowed(meta::ObjectVersion{},
                                       std::optional<std::string>("COMPLIANCE"),
                                       iso("2026-01-01T00:00:00Z"), false, kNow));
}

TEST(LockHeadersTest, WrittenOnGetAndHead) {
  auto v = retained("COMPLIANCE", "2030-01-01T00:00:00Z");
  v.legal_hold = true;
  http::Response r;
  write_lock_headers(v, r);
  EXPECT_EQ(r.headers["x-amz-object-lock-mode"], "COMPLIANCE");
  EXPECT_EQ(r.headers["x-amz-object-lock-retain-until-date"], "2030-01-01T00:00:00.000Z");
  EXPECT_EQ(r.headers["x-amz-object-lock-legal-hold"], "ON");
  http::Response none;
  write_lock_headers(meta::ObjectVersion{}, none);
  EXPECT_EQ(none.headers.find("x-amz-object-lock-mode"), none.headers.end());
  EXPECT_EQ(none.headers.find("x-amz-object-lock-legal-hold"), none.headers.end());
}

}  // namespace
}  // namespace s3gw::ops
