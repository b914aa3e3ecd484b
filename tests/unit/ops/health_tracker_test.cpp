#include "ops/health_tracker.h"

#include <gtest/gtest.h>

namespace s3gw::ops {
namespace {

using placement::ProviderStatus;
using std::chrono::milliseconds;

constexpr HealthTracker::Options kOptions{.slow = milliseconds(2000), .failures_to_down = 2};

ProbeRound fast(std::size_t zones = 1) {
  return {zones, zones, milliseconds(10)};
}
ProbeRound slow(std::size_t zones = 1) {
  return {zones, zones, milliseconds(2500)};
}
ProbeRound failed(std::size_t zones = 1) {
  return {zones, 0, milliseconds(0)};
}

TEST(HealthTracker, StartsFromTheConfiguredStatus) {
  EXPECT_EQ(HealthTracker(ProviderStatus::kDegraded, kOptions).status(), ProviderStatus::kDegraded);
  EXPECT_EQ(HealthTracker(ProviderStatus::kDown, kOptions).status(), ProviderStatus::kDown);
}

TEST(HealthTracker, FastSuccessIsAvailable) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  EXPECT_EQ(t.record(fast()), ProviderStatus::kAvailable);
  EXPECT_EQ(t.record(fast(3)), ProviderStatus::kAvailable);
}

TEST(HealthTracker, SlowSuccessIsDegraded) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  EXPECT_EQ(t.record(slow()), ProviderStatus::kDegraded);
  EXPECT_EQ(t.record(ProbeRound{1, 1, milliseconds(2000)}), ProviderStatus::kAvailable);  // at
}

TEST(HealthTracker, SomeZonesFailingIsDegraded) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  EXPECT_EQ(t.record(ProbeRound{3, 2, milliseconds(10)}), ProviderStatus::kDegraded);
  // Never down while some zone answers, however long it lasts.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.record(ProbeRound{3, 1, milliseconds(10)}), ProviderStatus::kDegraded);
  }
  EXPECT_EQ(t.consecutive_failures(), 0);
}

TEST(HealthTracker, ConsecutiveFailuresGoDown) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDegraded);  // one may be a blip
  EXPECT_EQ(t.consecutive_failures(), 1);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDown);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDown);
  EXPECT_EQ(t.consecutive_failures(), 3);
}

TEST(HealthTracker, ASuccessInBetweenResetsTheCount) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  t.record(failed());
  EXPECT_EQ(t.record(fast()), ProviderStatus::kAvailable);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDegraded);
  EXPECT_EQ(t.record(slow()), ProviderStatus::kDegraded);  // answering again, slowly
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDegraded);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDown);
}

TEST(HealthTracker, OneFastSuccessRecoversFromDown) {
  HealthTracker t(ProviderStatus::kAvailable, kOptions);
  t.record(failed());
  t.record(failed());
  ASSERT_EQ(t.status(), ProviderStatus::kDown);
  EXPECT_EQ(t.record(fast()), ProviderStatus::kAvailable);
  EXPECT_EQ(t.consecutive_failures(), 0);
}

TEST(HealthTracker, DownRecoversToDegradedWhenSlowOrPartial) {
  HealthTracker t(ProviderStatus::kDown, kOptions);
  EXPECT_EQ(t.record(slow()), ProviderStatus::kDegraded);
  HealthTracker u(ProviderStatus::kDown, kOptions);
  EXPECT_EQ(u.record(ProbeRound{2, 1, milliseconds(5)}), ProviderStatus::kDegraded);
}

TEST(HealthTracker, ConfiguredDownStaysDownOnAFirstFailure) {
  HealthTracker t(ProviderStatus::kDown, kOptions);
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDown);
}

TEST(HealthTracker, ARoundWithoutZonesChangesNothing) {
  HealthTracker t(ProviderStatus::kDegraded, kOptions);
  EXPECT_EQ(t.record(ProbeRound{}), ProviderStatus::kDegraded);
  EXPECT_EQ(t.consecutive_failures(), 0);
}

TEST(HealthTracker, OneFailureToDownGoesDownAtOnce) {
  HealthTracker t(ProviderStatus::kAvailable, {.slow = milliseconds(100), .failures_to_down = 1});
  EXPECT_EQ(t.record(failed()), ProviderStatus::kDown);
  HealthTracker z(ProviderStatus::kAvailable, {.slow = milliseconds(100), .failures_to_down = 0});
  EXPECT_EQ(z.record(failed()), ProviderStatus::kDown);  // treated as 1
}

}  // namespace
}  // namespace s3gw::ops
