#include "storage/s3_retry_policy.h"

#include <algorithm>
#include <random>

namespace s3gw::storage {

std::chrono::milliseconds S3RetryPolicy::delay(int retry) const {
  const int shift = std::clamp(retry - 1, 0, 20);
  const auto cap = std::min<long long>(max_delay.count(), base_delay.count() << shift);
  if (cap <= 0) return std::chrono::milliseconds(0);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<long long> dist(0, cap);
  return std::chrono::milliseconds(dist(rng));
}

}  // namespace s3gw::storage
