// Put/GetBucketVersioning and ListObjectVersions.
#include "ops/handlers.h"
#include "ops/list_cursor.h"
#include "ops/list_params.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "s3/http_date.h"
#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

constexpr std::size_t kMaxVersioningBody = 64 * 1024;

}  // namespace

awaitable<Reply> get_bucket_versioning(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  s3::XmlWriter w;
  w.open("VersioningConfiguration", s3::kS3Namespace);
  // A bucket that was never versioned answers an empty configuration, as S3 does.
  if (bucket->versioning != "Unversioned") w.element("Status", bucket->versioning);
  w.close("VersioningConfiguration");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> put_bucket_versioning(OpContext& ctx, S3Request& req) {
  auto body = co_await read_small_body(req, kMaxVersioningBody);
  if (auto* e = std::get_if<S3Error>(&body)) co_return error_reply(req, *e);
  auto parsed = s3::parse_versioning_configuration(std::get<std::string>(body));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *e);
  const auto& status = std::get<s3::VersioningConfiguration>(parsed).status;
  if (!status)
    co_return error_reply(req, S3Error(ErrorCode::kIllegalVersioningConfigurationException));
  switch (co_await ctx.buckets.set_versioning(req.customer_id, req.bucket, *status,
                                              req.log_record(200))) {
    case meta::VersioningChange::kNoSuchBucket:
      co_return error_reply(req, no_such_bucket(req));
    case meta::VersioningChange::kLocked:
      co_return error_reply(
          req, S3Error(ErrorCode::kInvalidBucketState,
                       "An Object Lock configuration is present on this bucket, so the "
                       "versioning state cannot be changed."));
    case meta::VersioningChange::kChanged:
      break;
  }
  co_return Reply{};
}

namespace {

struct VersionEntry {
  bool is_prefix = false;
  std::string prefix;
  meta::ObjectVersion version;
};

}  // namespace

awaitable<Reply> list_object_versions(OpContext& ctx, S3Request& req) {
  auto params = list_params(req);
  if (auto* e = std::get_if<S3Error>(&params)) co_return error_reply(req, *e);
  const auto& [prefix, delimiter, url, max_keys] = std::get<ListParams>(params);
  const std::string key_marker(req.query.get("key-marker").value_or(""));
  const std::string version_marker(req.query.get("version-id-marker").value_or(""));
  if (!version_marker.empty() && key_marker.empty()) {
    co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                       "A version-id marker cannot be specified without a key "
                                       "marker."));
  }
  for (std::string_view s :
       {std::string_view(prefix), std::string_view(delimiter), std::string_view(key_marker)}) {
    if (!s3::is_valid_utf8(s) || s.find('\0') != std::string_view::npos) {
      co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                         "prefix, delimiter and key-marker must be valid UTF-8 "
                                         "without NUL"));
    }
  }

  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));

  // The walk: (key, newest version first); `before` resumes inside a key after a version.
  ListStart cursor{prefix, true};
  std::optional<std::int64_t> before;
  if (!key_marker.empty() && key_marker >= prefix) {
    if (!version_marker.empty()) {
      before = co_await ctx.objects.version_row_id(bucket->id, key_marker, version_marker);
      if (!before) {
        co_return error_reply(req,
                              S3Error(ErrorCode::kInvalidArgument, "Invalid version id specified"));
      }
      cursor = ListStart{key_marker, true};
    } else {
      cursor = list_start(prefix, delimiter, key_marker);
    }
  }
  const std::optional<std::string> end = prefix.empty() ? std::nullopt : prefix_successor(prefix);

  std::vector<VersionEntry> entries;
  bool truncated = false;
  bool exhausted = false;
  while (!exhausted && !truncated) {
    const int want = std::max(1, max_keys - static_cast<int>(entries.size())) + 1;
    auto page = co_await ctx.objects.list_versions(bucket->id, cursor.key, before, cursor.inclusive,
                                                   end, want);
    exhausted = !page.more;
    bool jumped = false;
    for (auto& v : page.objects) {
      if (static_cast<int>(entries.size()) == max_keys) {
        truncated = true;
        break;
      }
      if (auto cp = common_prefix_of(v.key, prefix, delimiter)) {
        VersionEntry e;
        e.is_prefix = true;
        e.prefix = *cp;
        entries.push_back(std::move(e));
        auto next = prefix_successor(*cp);
        if (!next) {
          exhausted = true;
        } else {
          cursor = ListStart{*next, true};
          before.reset();
          exhausted = false;
        }
        jumped = true;
        break;
      }
      cursor = ListStart{v.key, true};
      before = v.id;
      VersionEntry e;
      e.version = std::move(v);
      entries.push_back(std::move(e));
    }
    if (!jumped && !truncated && static_cast<int>(entries.size()) == max_keys && !exhausted) {
      auto probe = co_await ctx.objects.list_versions(bucket->id, cursor.key, before,
                                                      cursor.inclusive, end, 1);
      truncated = !probe.objects.empty();
      break;
    }
  }
  if (max_keys == 0) truncated = false;

  auto enc = [&](std::string_view s) { return url ? s3::url_encode_key(s) : std::string(s); };
  s3::XmlWriter w;
  w.open("ListVersionsResult", s3::kS3Namespace);
  w.element("Name", req.bucket);
  w.element("Prefix", enc(prefix));
  w.element("KeyMarker", enc(key_marker));
  w.element("VersionIdMarker", version_marker);
  w.element("MaxKeys", static_cast<std::int64_t>(max_keys));
  if (!delimiter.empty()) w.element("Delimiter", enc(delimiter));
  if (url) w.element("EncodingType", "url");
  w.element_bool("IsTruncated", truncated);
  if (truncated && !entries.empty()) {
    const auto& last = entries.back();
    w.element("NextKeyMarker", enc(last.is_prefix ? last.prefix : last.version.key));
    if (!last.is_prefix) w.element("NextVersionIdMarker", last.version.version_id);
  }
  for (const auto& e : entries) {
    if (e.is_prefix) continue;
    const auto& v = e.version;
    w.open(v.is_delete_marker ? "DeleteMarker" : "Version");
    w.element("Key", enc(v.key));
    w.element("VersionId", v.version_id);
    w.element_bool("IsLatest", v.is_latest);
    w.element("LastModified", s3::format_iso8601(v.last_modified));
    if (!v.is_delete_marker) {
      w.element("ETag", v.etag);
      if (v.checksum_algorithm) w.element("ChecksumAlgorithm", *v.checksum_algorithm);
      if (v.checksum_type) w.element("ChecksumType", *v.checksum_type);
      w.element("Size", v.size);
      w.element("StorageClass", "STANDARD");
    }
    w.open("Owner");
    w.element("ID", req.customer_id);
    w.element("DisplayName", req.customer_id);
    w.close("Owner");
    w.close(v.is_delete_marker ? "DeleteMarker" : "Version");
  }
  for (const auto& e : entries) {
    if (!e.is_prefix) continue;
    w.open("CommonPrefixes");
    w.element("Prefix", enc(e.prefix));
    w.close("CommonPrefixes");
  }
  w.close("ListVersionsResult");
  co_return xml_reply(200, w.take());
}

}  // namespace s3gw::ops
