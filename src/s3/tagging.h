#pragma once
// Object and bucket tags: the x-amz-tagging header's form (URL-encoded, "a=1&b=2") and the
// rules a tag set obeys (after the S3 documentation: at most 10 tags per object and 50 per
// bucket, keys of 1-128 and values of 0-256 Unicode characters, keys unique and not under the
// reserved "aws:" prefix). The XML form is parsed by xml_reader.h.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "s3/error.h"

namespace s3gw::s3 {

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};
using TagSet = std::vector<Tag>;

inline constexpr std::size_t kMaxObjectTags = 10;
inline constexpr std::size_t kMaxBucketTags = 50;

// The tag holding an object's wanted replica count (validated against the bucket's
// LocationConstraint by the handler).
inline constexpr std::string_view kReplicaCountTag = "replica-count";

// The x-amz-tagging header. InvalidArgument for a malformed form (bad percent-encoding, an
// empty key); the tag rules are checked by validate_tags.
std::variant<TagSet, S3Error> parse_tagging_header(std::string_view header);

// InvalidTag naming the rule a set breaks, or nullopt when it is valid.
std::optional<S3Error> validate_tags(const TagSet& tags, std::size_t max_tags);

// The header form again (x-amz-tagging in responses of copies, tests).
std::string tagging_header(const TagSet& tags);

// `replica-count`'s value when present: the integer, or nullopt-with-error when not an integer
// from 1 to 255. Absent: {nullopt, nullopt}.
struct ReplicaCountTag {
  std::optional<int> count;
  std::optional<S3Error> error;
};
ReplicaCountTag replica_count_tag(const TagSet& tags);

}  // namespace s3gw::s3
