#pragma once
// Settings come from the environment (run.sh passes them through) and may be overridden on the
// command line; these helpers read and check one variable each.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3gw::util {

std::optional<std::string> env(const char* name);
std::string env_or(const char* name, std::string_view fallback);
// "1", "true", "yes", "on" (any case) are true; "0", "false", "no", "off" false; else throws.
bool env_bool(const char* name, bool fallback);
std::int64_t env_int(const char* name, std::int64_t fallback);
bool parse_bool(std::string_view text, bool& out);
// A comma-separated list, items trimmed, empty items dropped.
std::vector<std::string> env_list(const char* name, std::string_view fallback);

}  // namespace s3gw::util
