#pragma once
// How often and how patiently an idempotent provider call is tried: exponential backoff with
// full jitter (a random delay up to the capped exponential), so gateway processes that failed
// together do not retry in lockstep.
#include <chrono>

namespace s3gw::storage {

struct S3RetryPolicy {
  int attempts = 3;  // in all, the first included; 1 = no retry
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{2000};

  // The pause before retry number `retry` (1 for the first retry).
  std::chrono::milliseconds delay(int retry) const;
};

}  // namespace s3gw::storage
