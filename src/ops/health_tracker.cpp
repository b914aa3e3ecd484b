#include "ops/health_tracker.h"

#include <algorithm>

namespace s3gw::ops {

using placement::ProviderStatus;

HealthTracker::HealthTracker(ProviderStatus initial, Options options)
    : options_(options), status_(initial) {
  options_.failures_to_down = std::max(1, options_.failures_to_down);
}

ProviderStatus HealthTracker::record(const ProbeRound& round) {
  if (round.zones == 0) return status_;  // nothing probed: nothing learned
  if (round.succeeded == 0) {
    ++failures_;
    // One failed round may be a blip: prefer other providers, but keep this one usable.
    if (failures_ >= options_.failures_to_down) {
      status_ = ProviderStatus::kDown;
    } else if (status_ == ProviderStatus::kAvailable) {
      status_ = ProviderStatus::kDegraded;
    }
    return status_;
  }
  failures_ = 0;
  const bool partial = round.succeeded < round.zones;
  status_ = partial || round.slowest > options_.slow ? ProviderStatus::kDegraded
                                                     : ProviderStatus::kAvailable;
  return status_;
}

}  // namespace s3gw::ops
