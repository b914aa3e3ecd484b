#pragma once
#include <chrono>
#include <cstdint>

namespace s3gw::util {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

inline std::int64_t to_unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline std::int64_t to_unix_us(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_ms(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}
// Truncated to whole seconds: HTTP dates (Last-Modified, If-Modified-Since) carry no fraction.
inline TimePoint floor_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

}  // namespace s3gw::util
