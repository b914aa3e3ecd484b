#include "s3/tagging.h"

#include <set>

#include "s3/uri_encode.h"
#include "s3/validation.h"

namespace s3gw::s3 {

namespace {

// Unicode characters (code points) in valid UTF-8: S3 counts characters, not bytes.
std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

S3Error invalid_tag(std::string message) {
  return S3Error(ErrorCode::kInvalidTag, std::move(message));
}

}  // namespace

std::variant<TagSet, S3Error> parse_tagging_header(std::string_view header) {
  TagSet tags;
  if (header.empty()) return tags;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t amp = header.find('&', pos);
    if (amp == std::string_view::npos) amp = header.size();
    const std::string_view pair = header.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) {
      if (amp == header.size()) break;
      continue;
    }
    const std::size_t eq = pair.find('=');
    auto key = uri_decode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : uri_decode(pair.substr(eq + 1), true);
    if (!key || !value) {
      return S3Error(ErrorCode::kInvalidArgument, "The x-amz-tagging header is not valid.");
    }
    tags.push_back(Tag{std::move(*key), std::move(*value)});
    if (amp == header.size()) break;
  }
  return tags;
}

std::optional<S3Error> validate_tags(const TagSet& tags, std::size_t max_tags) {
  if (tags.size() > max_tags) {
    if (max_tags == kMaxObjectTags) {
      return S3Error(ErrorCode::kBadRequest,
                     "Object tags cannot be greater than " + std::to_string(max_tags));
    }
    return invalid_tag("At most " + std::to_string(max_tags) + " tags are allowed.");
  }
  std::set<std::string_view> keys;
  for (const auto& t : tags) {
    if (!is_valid_utf8(t.key) || !is_valid_utf8(t.value)) {
      return invalid_tag("Tags must be valid UTF-8.");
    }
    if (t.key.empty() || characters(t.key) > 128) {
      return invalid_tag("The TagKey you have provided is invalid: 1 to 128 characters.");
    }
    if (characters(t.value) > 256) {
      return invalid_tag("The TagValue you have provided is invalid: at most 256 characters.");
    }
    if (t.key.starts_with("aws:")) {
      return invalid_tag("Your TagKey cannot be prefixed with aws:");
    }
    if (!keys.insert(t.key).second) {
      return invalid_tag("Cannot provide multiple Tags with the same key");
    }
  }
  return std::nullopt;
}

std::string tagging_header(const TagSet& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!out.empty()) out += '&';
    out += uri_encode(t.key, true);
    out += '=';
    out += uri_encode(t.value, true);
  }
  return out;
}

ReplicaCountTag replica_count_tag(const TagSet& tags) {
  ReplicaCountTag out;
  for (const auto& t : tags) {
    if (t.key != kReplicaCountTag) continue;
    int n = 0;
    bool ok = !t.value.empty() && t.value.size() <= 3;
    for (char c : t.value) {
      if (c < '0' || c > '9') ok = false;
      if (ok) n = n * 10 + (c - '0');
    }
    if (!ok || n < 1 || n > 255) {
      out.error = invalid_tag(
          "The replica-count tag must be an integer from 1 to the number of "
          "zones the bucket's LocationConstraint allows; got '" +
          t.value + "'.");
      return out;
    }
    out.count = n;
  }
  return out;
}

}  // namespace s3gw::s3
