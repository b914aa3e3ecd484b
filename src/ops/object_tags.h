#pragma once
// The tag set a new or existing object version gets, checked: S3's tag rules (s3/tagging.h) and
// the `replica-count` tag against what the bucket's LocationConstraint can hold (placement
// decides, as for every zone choice). Used by the tagging operations and by the writes that
// take x-amz-tagging (PutObject, CreateMultipartUpload, CopyObject).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "meta/tag_repository.h"
#include "meta/types.h"
#include "ops/context.h"
#include "ops/s3_request.h"
#include "s3/error.h"
#include "s3/tagging.h"

namespace s3gw::ops {

struct CheckedTags {
  meta::TagList tags;
  std::optional<int> replica_count;  // from `replica-count`; nullopt: the bucket's
};

// InvalidTag / BadRequest for a set breaking a rule; InvalidTag with placement's reason for a
// replica count the constraint cannot hold (a count that is possible but needs zones that are
// down right now is accepted: the replication agent waits for them). `extra_countries` from
// extra_countries() (strict regions).
std::variant<CheckedTags, s3::S3Error> check_object_tags(
    const OpContext& ctx, const meta::Bucket& bucket, const s3::TagSet& tags,
    const std::vector<std::string>& extra_countries);

// The x-amz-tagging header, checked as above; no header: no tags.
std::variant<CheckedTags, s3::S3Error> tagging_header_of(
    const OpContext& ctx, const S3Request& req, const meta::Bucket& bucket,
    const std::vector<std::string>& extra_countries);

// Sets `v`'s tags and replica count from x-amz-tagging; the error changes nothing.
std::optional<s3::S3Error> apply_tagging_header(const OpContext& ctx, const S3Request& req,
                                                const meta::Bucket& bucket,
                                                const std::vector<std::string>& extra_countries,
                                                meta::ObjectVersion& v);

// The stored form and back.
meta::TagList to_tag_list(const s3::TagSet& tags);
s3::TagSet to_tag_set(const meta::TagList& tags);

}  // namespace s3gw::ops
