#include "s3/copy_source.h"

#include <charconv>

#include "s3/uri_encode.h"
#include "s3/validation.h"

namespace s3gw::s3 {

namespace {

S3Error bad_source() {
  return S3Error(ErrorCode::kInvalidArgument,
                 "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
}

std::optional<std::uint64_t> parse_offset(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 19) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::variant<CopySource, S3Error> parse_copy_source(std::string_view header) {
  std::string_view path = header;
  std::optional<std::string_view> query;
  if (const auto q = header.find('?'); q != std::string_view::npos) {
    path = header.substr(0, q);
    query = header.substr(q + 1);
  }
  auto decoded = uri_decode(path, false);
  if (!decoded) return bad_source();
  std::string_view rest = *decoded;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return bad_source();
  }
  CopySource out;
  out.bucket = std::string(rest.substr(0, slash));
  out.key = std::string(rest.substr(slash + 1));
  if (auto v = validate_bucket_name(out.bucket); !v) return v.error();
  if (auto v = validate_object_key(out.key); !v) return v.error();
  if (query) {
    constexpr std::string_view kVersionId = "versionId=";
    if (!query->starts_with(kVersionId) || query->find('&') != std::string_view::npos) {
      return bad_source();
    }
    auto vid = uri_decode(query->substr(kVersionId.size()), true);
    if (!vid || vid->empty()) {
      return S3Error(ErrorCode::kInvalidArgument, "Version id cannot be the empty string");
    }
    out.version_id = std::move(*vid);
  }
  return out;
}

std::variant<CopyRange, S3Error> parse_copy_source_range(std::string_view header,
                                                         std::uint64_t size) {
  const S3Error malformed(ErrorCode::kInvalidArgument,
                          "The x-amz-copy-source-range value must be of the form bytes=first-last "
                          "where first and last are the zero-based offsets of the first and last "
                          "bytes to copy");
  constexpr std::string_view kBytes = "bytes=";
  if (!header.starts_with(kBytes)) return malformed;
  const std::string_view spec = header.substr(kBytes.size());
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return malformed;
  const auto first = parse_offset(spec.substr(0, dash));
  const auto last = parse_offset(spec.substr(dash + 1));
  if (!first || !last || *first > *last) return malformed;
  if (*last >= size) {
    return S3Error(
        ErrorCode::kInvalidRange,
        "Range specified is not valid for source object of size: " + std::to_string(size));
  }
  return CopyRange{*first, *last - *first + 1};
}

}  // namespace s3gw::s3
