#pragma once
// Line-oriented log to stderr: "<ISO time> <LEVEL> <component>: <message>". Thread-safe; one
// write(2) per line so lines from several threads never interleave. Never pass secrets.
#include <string_view>

namespace s3gw::util {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view component, std::string_view message);

inline void log_info(std::string_view c, std::string_view m) {
  log(LogLevel::kInfo, c, m);
}
inline void log_warn(std::string_view c, std::string_view m) {
  log(LogLevel::kWarn, c, m);
}
inline void log_error(std::string_view c, std::string_view m) {
  log(LogLevel::kError, c, m);
}
inline void log_debug(std::string_view c, std::string_view m) {
  log(LogLevel::kDebug, c, m);
}

}  // namespace s3gw::util
