#pragma once
// The health of one provider entry from its probe rounds (the state machine of the health
// checker, kept pure so it can be tested without providers or clocks):
// - every zone answered, none slower than `slow`: available (one such round is enough to
//   recover from degraded or down);
// - every zone answered but one slowly, or some zones failed while others answered: degraded;
// - every zone failed: degraded at first (suspect), down after `failures_to_down` such
//   rounds in a row.
#include <chrono>
#include <cstddef>

#include "placement/provider_status.h"

namespace s3gw::ops {

// What one round of probes saw of one provider entry's zones.
struct ProbeRound {
  std::size_t zones = 0;                 // probed
  std::size_t succeeded = 0;             // of those, answered in time
  std::chrono::milliseconds slowest{0};  // the longest successful probe
};

class HealthTracker {
 public:
  struct Options {
    std::chrono::milliseconds slow{2000};
    int failures_to_down = 2;
  };

  HealthTracker(placement::ProviderStatus initial, Options options);

  // The status after this round.
  placement::ProviderStatus record(const ProbeRound& round);
  placement::ProviderStatus status() const { return status_; }
  int consecutive_failures() const { return failures_; }

 private:
  Options options_;
  placement::ProviderStatus status_;
  int failures_ = 0;
};

}  // namespace s3gw::ops
