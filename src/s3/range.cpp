#include "s3/range.h"

#include <charconv>
#include <optional>
#include <system_error>

#include "util/strings.h"

namespace s3gw::s3 {
namespace {

// Digits only (no sign, no spaces inside); nullopt when empty, not a number or too large.
std::optional<std::uint64_t> parse_u64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

RangeResult none() {
  return {};
}
RangeResult unsatisfiable() {
  return {RangeResult::Kind::kUnsatisfiable, 0, 0};
}
RangeResult satisfiable(std::uint64_t first, std::uint64_t last) {
  return {RangeResult::Kind::kSatisfiable, first, last - first + 1};
}

}  // namespace

RangeResult parse_range(std::string_view header, std::uint64_t object_size) {
  std::string_view s = util::trim_ows(header);
  const std::size_t eq = s.find('=');
  if (eq == std::string_view::npos) return none();
  // The range unit is case-insensitive (RFC 9110 §14.1).
  if (!util::iequals_ascii(util::trim_ows(s.substr(0, eq)), "bytes")) return none();
  s = util::trim_ows(s.substr(eq + 1));
  // S3 serves one range per request; for a set of ranges it ignores the header.
  if (s.find(',') != std::string_view::npos) return none();
  const std::size_t dash = s.find('-');
  if (dash == std::string_view::npos) return none();
  const std::string_view first_text = util::trim_ows(s.substr(0, dash));
  const std::string_view last_text = util::trim_ows(s.substr(dash + 1));

  if (first_text.empty()) {  // suffix range: the last n bytes
    const auto n = parse_u64(last_text);
    if (!n) return none();
    if (*n == 0) return unsatisfiable();
    if (object_size == 0) return none();  // see the header comment
    const std::uint64_t len = *n < object_size ? *n : object_size;
    return satisfiable(object_size - len, object_size - 1);
  }

  const auto first = parse_u64(first_text);
  if (!first) return none();
  std::uint64_t last = 0;
  if (last_text.empty()) {
    if (*first >= object_size) return unsatisfiable();
    last = object_size - 1;
  } else {
    const auto parsed_last = parse_u64(last_text);
    if (!parsed_last || *parsed_last < *first) return none();  // invalid: ignored, RFC 9110
    if (*first >= object_size) return unsatisfiable();
    last = *parsed_last < object_size ? *parsed_last : object_size - 1;
  }
  return satisfiable(*first, last);
}

std::string content_range(std::uint64_t first, std::uint64_t last, std::uint64_t size) {
  return "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size);
}

std::string content_range_unsatisfied(std::uint64_t size) {
  return "bytes */" + std::to_string(size);
}

}  // namespace s3gw::s3
