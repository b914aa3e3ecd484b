#include "util/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace s3gw::util {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string env_or(const char* name, std::string_view fallback) {
  auto v = env(name);
  return v ? *v : std::string(fallback);
}

bool parse_bool(std::string_view text, bool& out) {
  std::string t(text);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "1" || t == "true" || t == "yes" || t == "on") {
    out = true;
    return true;
  }
  if (t == "0" || t == "false" || t == "no" || t == "off") {
    out = false;
    return true;
  }
  return false;
}

bool env_bool(const char* name, bool fallback) {
  auto v = env(name);
  if (!v) return fallback;
  bool out = fallback;
  if (!parse_bool(*v, out)) {
    throw std::invalid_argument(std::string(name) + ": expected true or false, got '" + *v + "'");
  }
  return out;
}

std::int64_t env_int(const char* name, std::int64_t fallback) {
  auto v = env(name);
  if (!v) return fallback;
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size()) {
    throw std::invalid_argument(std::string(name) + ": expected an integer, got '" + *v + "'");
  }
  return out;
}

std::vector<std::string> env_list(const char* name, std::string_view fallback) {
  const std::string text = env_or(name, fallback);
  std::vector<std::string> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace s3gw::util
