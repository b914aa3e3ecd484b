#include "ops/object_tags.h"

#include "placement/placement.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

meta::TagList to_tag_list(const s3::TagSet& tags) {
  meta::TagList out;
  out.reserve(tags.size());
  for (const auto& t : tags) out.emplace_back(t.key, t.value);
  return out;
}

s3::TagSet to_tag_set(const meta::TagList& tags) {
  s3::TagSet out;
  out.reserve(tags.size());
  for (const auto& [k, v] : tags) out.push_back(s3::Tag{k, v});
  return out;
}

std::variant<CheckedTags, S3Error> check_object_tags(
    const OpContext& ctx, const meta::Bucket& bucket, const s3::TagSet& tags,
    const std::vector<std::string>& extra_countries) {
  if (auto err = s3::validate_tags(tags, s3::kMaxObjectTags)) return *err;
  auto wanted = s3::replica_count_tag(tags);
  if (wanted.error) return *wanted.error;
  if (wanted.count) {
    auto decision =
        placement::place(ctx.registry(), bucket.location_constraint,
                         static_cast<unsigned>(*wanted.count), ctx.config.region, extra_countries);
    if (!decision && decision.error().code != placement::PlacementErrc::kZonesUnavailable) {
      const std::string constraint =
          bucket.location_constraint.empty() ? ctx.config.region : bucket.location_constraint;
      return S3Error(ErrorCode::kInvalidTag,
                     "The replica-count tag asks for " + std::to_string(*wanted.count) +
                         " replicas, which the bucket's LocationConstraint '" + constraint +
                         "' cannot hold: " + decision.error().message);
    }
  }
  return CheckedTags{to_tag_list(tags), wanted.count};
}

std::variant<CheckedTags, S3Error> tagging_header_of(
    const OpContext& ctx, const S3Request& req, const meta::Bucket& bucket,
    const std::vector<std::string>& extra_countries) {
  auto header = req.header("x-amz-tagging");
  if (!header) return CheckedTags{};
  auto parsed = s3::parse_tagging_header(*header);
  if (auto* err = std::get_if<S3Error>(&parsed)) return *err;
  return check_object_tags(ctx, bucket, std::get<s3::TagSet>(parsed), extra_countries);
}

std::optional<S3Error> apply_tagging_header(const OpContext& ctx, const S3Request& req,
                                            const meta::Bucket& bucket,
                                            const std::vector<std::string>& extra_countries,
                                            meta::ObjectVersion& v) {
  auto checked = tagging_header_of(ctx, req, bucket, extra_countries);
  if (auto* err = std::get_if<S3Error>(&checked)) return *err;
  auto& tags = std::get<CheckedTags>(checked);
  v.tags = std::move(tags.tags);
  v.replica_count = tags.replica_count;
  return std::nullopt;
}

}  // namespace s3gw::ops
