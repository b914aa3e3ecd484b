#pragma once
// The pure part of ListObjects pagination: where a page starts, and how delimiters roll keys
// up into common prefixes. Keys compare bytewise (UTF-8 byte order = code point order).
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::ops {

// The smallest string greater than every string that starts with `prefix`: the last code
// point incremented (skipping surrogates), dropping trailing U+10FFFF. nullopt when no such
// string exists (empty, or only U+10FFFF).
std::optional<std::string> prefix_successor(std::string_view prefix);

// The common prefix `key` rolls up into under (prefix, delimiter), or nullopt if none.
std::optional<std::string> common_prefix_of(std::string_view key, std::string_view prefix,
                                            std::string_view delimiter);

// Where listing resumes after `marker` (a key, or a common prefix already returned).
struct ListStart {
  std::string key;
  bool inclusive = false;
};
ListStart list_start(std::string_view prefix, std::string_view delimiter, std::string_view marker);

}  // namespace s3gw::ops
