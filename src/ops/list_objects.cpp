// ListObjects (v1) and ListObjectsV2: prefix, delimiter, pagination, encoding-type=url.
#include "ops/handlers.h"
#include "ops/list_cursor.h"
#include "ops/list_params.h"
#include "ops/reply.h"
#include "s3/http_date.h"
#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"
#include "util/encoding.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

struct Entry {
  bool is_prefix = false;
  std::string name;
  const meta::ObjectVersion* object = nullptr;
};

}  // namespace

awaitable<Reply> list_objects(OpContext& ctx, S3Request& req, bool v2) {
  auto params = list_params(req);
  if (auto* e = std::get_if<S3Error>(&params)) co_return error_reply(req, *e);
  const auto& [prefix, delimiter, url, max_keys] = std::get<ListParams>(params);

  std::string marker;  // exclusive start, v1 marker / v2 start-after or token
  std::optional<std::string> token;
  if (v2) {
    if (auto t = req.query.get("continuation-token")) {
      auto decoded = util::base64_decode(*t);
      if (!decoded || decoded->empty() || (*decoded)[0] != 'k') {
        co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                           "The continuation token provided is incorrect"));
      }
      token = std::string(*t);
      marker = decoded->substr(1);
    } else if (auto sa = req.query.get("start-after")) {
      marker = std::string(*sa);
    }
  } else if (auto m = req.query.get("marker")) {
    marker = std::string(*m);
  }

  // Keys are UTF-8 without NUL; so must be what is compared with them.
  for (std::string_view s :
       {std::string_view(prefix), std::string_view(delimiter), std::string_view(marker)}) {
    if (!s3::is_valid_utf8(s) || s.find('\0') != std::string_view::npos) {
      co_return error_reply(
          req, S3Error(ErrorCode::kInvalidArgument,
                       token ? "The continuation token provided is incorrect"
                             : "prefix, delimiter, marker and start-after must be valid UTF-8 "
                               "without NUL"));
    }
  }

  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));

  // Walk the key index from the start, skipping over each rolled-up prefix in one jump.
  ListStart cursor{prefix, true};
  if (!marker.empty() && marker >= prefix) cursor = list_start(prefix, delimiter, marker);
  const std::optional<std::string> end = prefix.empty() ? std::nullopt : prefix_successor(prefix);

  std::vector<meta::ObjectVersion> rows;  // owns what entries point to
  rows.reserve(static_cast<std::size_t>(max_keys));
  std::vector<Entry> entries;
  bool truncated = false;
  bool exhausted = false;
  while (!exhausted && !truncated) {
    const int want = std::max(1, max_keys - static_cast<int>(entries.size())) + 1;
    auto page =
        co_await ctx.objects.list_latest(bucket->id, cursor.key, cursor.inclusive, end, want);
    exhausted = !page.more;
    bool jumped = false;
    for (auto& obj : page.objects) {
      if (static_cast<int>(entries.size()) == max_keys) {
        truncated = true;
        break;
      }
      if (auto cp = common_prefix_of(obj.key, prefix, delimiter)) {
        entries.push_back(Entry{true, *cp, nullptr});
        auto next = prefix_successor(*cp);
        if (!next) {
          exhausted = true;
        } else {
          cursor = ListStart{*next, true};
          exhausted = false;
        }
        jumped = true;
        break;
      }
      rows.push_back(std::move(obj));
      entries.push_back(Entry{false, rows.back().key, nullptr});
      cursor = ListStart{rows.back().key, false};
    }
    if (!jumped && !truncated && static_cast<int>(entries.size()) == max_keys && !exhausted) {
      // Page full exactly at a batch boundary: truncated iff anything follows.
      auto probe =
          co_await ctx.objects.list_latest(bucket->id, cursor.key, cursor.inclusive, end, 1);
      truncated = !probe.objects.empty();
      break;
    }
  }
  if (max_keys == 0) truncated = false;  // nothing was asked for, so nothing is withheld
  // Object entries point into `rows`, now stable.
  {
    std::size_t i = 0;
    for (auto& e : entries) {
      if (!e.is_prefix) e.object = &rows[i++];
    }
  }

  auto enc = [&](std::string_view s) { return url ? s3::url_encode_key(s) : std::string(s); };
  s3::XmlWriter w;
  w.open("ListBucketResult", s3::kS3Namespace);
  w.element("Name", req.bucket);
  w.element("Prefix", enc(prefix));
  if (v2) {
    if (token) w.element("ContinuationToken", *token);
    if (auto sa = req.query.get("start-after")) w.element("StartAfter", enc(*sa));
    int key_count = static_cast<int>(entries.size());
    w.element("KeyCount", static_cast<std::int64_t>(key_count));
  } else {
    w.element("Marker", enc(marker));
  }
  w.element("MaxKeys", static_cast<std::int64_t>(max_keys));
  if (!delimiter.empty()) w.element("Delimiter", enc(delimiter));
  if (url) w.element("EncodingType", "url");
  w.element_bool("IsTruncated", truncated);
  if (truncated && !entries.empty()) {
    const std::string& last = entries.back().name;
    if (v2) {
      w.element("NextContinuationToken", util::base64_encode("k" + last));
    } else {
      w.element("NextMarker", enc(last));
    }
  }
  const bool fetch_owner = !v2 || req.query.get("fetch-owner") == "true";
  for (const auto& e : entries) {
    if (e.is_prefix) continue;
    const auto& o = *e.object;
    w.open("Contents");
    w.element("Key", enc(o.key));
    w.element("LastModified", s3::format_iso8601(o.last_modified));
    w.element("ETag", o.etag);
    if (o.checksum_algorithm) w.element("ChecksumAlgorithm", *o.checksum_algorithm);
    if (o.checksum_type) w.element("ChecksumType", *o.checksum_type);
    w.element("Size", o.size);
    if (fetch_owner) {
      w.open("Owner");
      w.element("ID", req.customer_id);
      w.element("DisplayName", req.customer_id);
      w.close("Owner");
    }
    w.element("StorageClass", "STANDARD");
    w.close("Contents");
  }
  for (const auto& e : entries) {
    if (!e.is_prefix) continue;
    w.open("CommonPrefixes");
    w.element("Prefix", enc(e.name));
    w.close("CommonPrefixes");
  }
  w.close("ListBucketResult");
  co_return xml_reply(200, w.take());
}

}  // namespace s3gw::ops
