#include "ops/list_cursor.h"

#include <cstdint>

namespace s3gw::ops {

namespace {

// Decodes the last code point of valid UTF-8 `s`; returns its byte length.
std::size_t last_code_point(std::string_view s, std::uint32_t& cp) {
  std::size_t len = 1;
  while (len < s.size() && len < 4 &&
         (static_cast<unsigned char>(s[s.size() - len]) & 0xC0) == 0x80) {
    ++len;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + s.size() - len);
  if (len == 1) {
    cp = p[0];
  } else if (len == 2) {
    cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  } else if (len == 3) {
    cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  } else {
    cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
  }
  return len;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::optional<std::string> prefix_successor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    std::uint32_t cp = 0;
    const std::size_t len = last_code_point(s, cp);
    s.resize(s.size() - len);
    if (cp == 0x10FFFF) continue;
    std::uint32_t next = cp + 1;
    if (next == 0xD800) next = 0xE000;
    append_utf8(s, next);
    return s;
  }
  return std::nullopt;
}

std::optional<std::string> common_prefix_of(std::string_view key, std::string_view prefix,
                                            std::string_view delimiter) {
  if (delimiter.empty() || !key.starts_with(prefix)) return std::nullopt;
  const auto pos = key.find(delimiter, prefix.size());
  if (pos == std::string_view::npos) return std::nullopt;
  return std::string(key.substr(0, pos + delimiter.size()));
}

ListStart list_start(std::string_view prefix, std::string_view delimiter, std::string_view marker) {
  // A marker inside a rolled-up prefix means that whole prefix was already returned.
  if (auto cp = common_prefix_of(marker, prefix, delimiter)) {
    if (auto next = prefix_successor(*cp)) return ListStart{*next, true};
  }
  return ListStart{std::string(marker), false};
}

}  // namespace s3gw::ops
