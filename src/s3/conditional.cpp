#include "s3/conditional.h"

#include "s3/http_date.h"
#include "util/strings.h"

namespace s3gw::s3 {
namespace {

// The opaque part of an entity tag: without W/ and without the surrounding quotes.
std::string_view opaque_tag(std::string_view tag) {
  tag = util::trim_ows(tag);
  if (tag.starts_with("W/") || tag.starts_with("w/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    tag = tag.substr(1, tag.size() - 2);
  }
  return tag;
}

// A header counts when present and not blank; a blank value is no condition.
std::optional<std::string_view> present(std::optional<std::string_view> value) {
  if (!value) return std::nullopt;
  const std::string_view v = util::trim_ows(*value);
  if (v.empty()) return std::nullopt;
  return v;
}

}  // namespace

bool etag_matches(std::string_view header_value, std::string_view etag) {
  const std::string_view want = opaque_tag(etag);
  std::string_view rest = header_value;
  while (!rest.empty()) {
    rest = util::trim_ows(rest);
    // One element: up to the next comma outside quotes (an etag's opaque part may hold commas).
    std::size_t end = 0;
    bool quoted = false;
    while (end < rest.size() && (quoted || rest[end] != ',')) {
      if (rest[end] == '"') quoted = !quoted;
      ++end;
    }
    const std::string_view element = util::trim_ows(rest.substr(0, end));
    if (element == "*") return true;
    if (!element.empty() && opaque_tag(element) == want) return true;
    rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
  }
  return false;
}

Precondition evaluate_preconditions(const ConditionalHeaders& headers, std::string_view etag,
                                    std::chrono::system_clock::time_point last_modified,
                                    RequestKind kind) {
  const auto modified = std::chrono::floor<std::chrono::seconds>(last_modified);

  if (const auto if_match = present(headers.if_match)) {
    if (!etag_matches(*if_match, etag)) return Precondition::kPreconditionFailed;
  } else if (const auto text = present(headers.if_unmodified_since)) {
    if (const auto since = parse_http_date(*text); since && modified > *since) {
      return Precondition::kPreconditionFailed;
    }
  }

  if (const auto if_none_match = present(headers.if_none_match)) {
    if (etag_matches(*if_none_match, etag)) {
      return kind == RequestKind::kRead ? Precondition::kNotModified
                                        : Precondition::kPreconditionFailed;
    }
  } else if (kind == RequestKind::kRead) {
    if (const auto text = present(headers.if_modified_since)) {
      if (const auto since = parse_http_date(*text); since && modified <= *since) {
        return Precondition::kNotModified;
      }
    }
  }
  return Precondition::kProceed;
}

}  // namespace s3gw::s3
