// ListParts and ListMultipartUploads.
#include <charconv>

#include "ops/handlers.h"
#include "ops/list_cursor.h"
#include "ops/multipart_rules.h"
#include "ops/reply.h"
#include "s3/http_date.h"
#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "s3/xml_writer.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

constexpr int kMaxListed = 1000;

// A non-negative integer query parameter, or nullopt when malformed; `fallback` when absent.
std::optional<int> int_param(const S3Request& req, std::string_view name, int fallback) {
  auto v = req.query.get(name);
  if (!v) return fallback;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (v->empty() || ec != std::errc() || p != v->data() + v->size() || n < 0) return std::nullopt;
  return n;
}

void owner(s3::XmlWriter& w, std::string_view element, const S3Request& req,
           const std::optional<std::string>& user) {
  w.open(element);
  const std::string id = user.value_or(req.customer_id);
  w.element("ID", id);
  w.element("DisplayName", id);
  w.close(element);
}

}  // namespace

awaitable<Reply> list_parts(OpContext& ctx, S3Request& req) {
  const auto max_parts = int_param(req, "max-parts", kMaxListed);
  if (!max_parts) {
    co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                       "Provided max-parts not an integer or within integer "
                                       "range"));
  }
  const auto marker = int_param(req, "part-number-marker", 0);
  if (!marker) {
    co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                       "Provided part-number-marker not an integer or within "
                                       "integer range"));
  }
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  const std::string upload_id(req.query.get("uploadId").value_or(""));
  std::optional<meta::MultipartUpload> upload;
  if (s3::is_valid_utf8(upload_id) && upload_id.find('\0') == std::string::npos) {
    upload = co_await ctx.multipart->find(bucket->id, req.key, upload_id);
  }
  if (!upload) {
    S3Error e(ErrorCode::kNoSuchUpload);
    e.extra_xml = "<UploadId>" + s3::xml_escape(upload_id) + "</UploadId>";
    co_return error_reply(req, e);
  }
  const int limit = std::min(*max_parts, kMaxListed);
  meta::PartPage page;
  if (limit > 0) page = co_await ctx.multipart->list_parts(upload_id, *marker, limit);

  s3::XmlWriter w;
  w.open("ListPartsResult", s3::kS3Namespace);
  w.element("Bucket", req.bucket);
  w.element("Key", req.key);
  w.element("UploadId", upload_id);
  w.element("PartNumberMarker", static_cast<std::int64_t>(*marker));
  if (!page.parts.empty()) {
    w.element("NextPartNumberMarker", static_cast<std::int64_t>(page.parts.back().number));
  }
  w.element("MaxParts", static_cast<std::int64_t>(*max_parts));
  w.element_bool("IsTruncated", page.more);
  owner(w, "Initiator", req, upload->owner_user_id);
  owner(w, "Owner", req, upload->owner_user_id);
  w.element("StorageClass", "STANDARD");
  if (upload->checksum_algorithm) {
    w.element("ChecksumAlgorithm", *upload->checksum_algorithm);
    w.element("ChecksumType", upload->checksum_type.value_or("COMPOSITE"));
  }
  for (const auto& p : page.parts) {
    w.open("Part");
    w.element("PartNumber", static_cast<std::int64_t>(p.number));
    w.element("LastModified", s3::format_iso8601(p.uploaded_at));
    w.element("ETag", p.etag);
    w.element("Size", p.size);
    if (upload->checksum_algorithm && p.checksum_value) {
      w.element("Checksum" + *upload->checksum_algorithm, *p.checksum_value);
    }
    w.close("Part");
  }
  w.close("ListPartsResult");
  co_return xml_reply(200, w.take());
}

awaitable<Reply> list_multipart_uploads(OpContext& ctx, S3Request& req) {
  const std::string prefix(req.query.get("prefix").value_or(""));
  const std::string delimiter(req.query.get("delimiter").value_or(""));
  const std::string key_marker(req.query.get("key-marker").value_or(""));
  // Without a key marker the upload id marker means nothing (as in S3).
  const std::string upload_marker =
      key_marker.empty() ? std::string()
                         : std::string(req.query.get("upload-id-marker").value_or(""));
  const auto encoding = req.query.get("encoding-type");
  if (encoding && *encoding != "url") {
    co_return error_reply(
        req, S3Error(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request"));
  }
  const bool url = encoding.has_value();
  const auto max_uploads = int_param(req, "max-uploads", kMaxListed);
  if (!max_uploads) {
    co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                       "Provided max-uploads not an integer or within integer "
                                       "range"));
  }
  for (std::string_view s : {std::string_view(prefix), std::string_view(delimiter),
                             std::string_view(key_marker), std::string_view(upload_marker)}) {
    if (!s3::is_valid_utf8(s) || s.find('\0') != std::string_view::npos) {
      co_return error_reply(req, S3Error(ErrorCode::kInvalidArgument,
                                         "prefix, delimiter and markers must be valid UTF-8 "
                                         "without NUL"));
    }
  }
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return error_reply(req, no_such_bucket(req));
  const int limit = std::min(*max_uploads, kMaxListed);

  // The walk of list_objects, over (key, upload id): each rolled-up prefix is skipped in one
  // jump. `inclusive` here: uploads of cursor.key with an id above `cursor_id` still count.
  std::string cursor_key = prefix;
  std::string cursor_id;
  bool inclusive = true;
  if (!key_marker.empty() && key_marker >= prefix) {
    const ListStart start = list_start(prefix, delimiter, key_marker);
    cursor_key = start.key;
    inclusive = start.inclusive || !upload_marker.empty();
    if (!start.inclusive) cursor_id = upload_marker;
  }
  const std::optional<std::string> end = prefix.empty() ? std::nullopt : prefix_successor(prefix);

  struct Entry {
    bool is_prefix = false;
    std::string name;
    std::size_t upload = 0;  // index into `uploads`
  };
  std::vector<meta::MultipartUpload> uploads;
  std::vector<Entry> entries;
  bool truncated = false;
  bool exhausted = limit == 0;
  while (!exhausted && !truncated) {
    const int want = std::max(1, limit - static_cast<int>(entries.size())) + 1;
    auto page = co_await ctx.multipart->list_uploads(bucket->id, cursor_key, cursor_id, inclusive,
                                                     end, want);
    exhausted = !page.more;
    bool jumped = false;
    for (auto& u : page.uploads) {
      if (static_cast<int>(entries.size()) == limit) {
        truncated = true;
        break;
      }
      if (auto cp = common_prefix_of(u.key, prefix, delimiter)) {
        entries.push_back(Entry{true, *cp, 0});
        auto next = prefix_successor(*cp);
        if (!next) {
          exhausted = true;
        } else {
          cursor_key = *next;
          cursor_id.clear();
          inclusive = true;
          exhausted = false;
        }
        jumped = true;
        break;
      }
      cursor_key = u.key;
      cursor_id = u.upload_id;
      inclusive = true;
      entries.push_back(Entry{false, u.key, uploads.size()});
      uploads.push_back(std::move(u));
    }
    if (!jumped && !truncated && static_cast<int>(entries.size()) == limit && !exhausted) {
      auto probe = co_await ctx.multipart->list_uploads(bucket->id, cursor_key, cursor_id,
                                                        inclusive, end, 1);
      truncated = !probe.uploads.empty();
      break;
    }
  }

  auto enc = [&](std::string_view s) { return url ? s3::url_encode_key(s) : std::string(s); };
  s3::XmlWriter w;
  w.open("ListMultipartUploadsResult", s3::kS3Namespace);
  w.element("Bucket", req.bucket);
  w.element("KeyMarker", enc(key_marker));
  w.element("UploadIdMarker", upload_marker);
  if (truncated && !entries.empty()) {
    const Entry& last = entries.back();
    w.element("NextKeyMarker", enc(last.name));
    w.element("NextUploadIdMarker",
              last.is_prefix ? std::string() : uploads[last.upload].upload_id);
  }
  if (!delimiter.empty()) w.element("Delimiter", enc(delimiter));
  w.element("Prefix", enc(prefix));
  w.element("MaxUploads", static_cast<std::int64_t>(*max_uploads));
  if (url) w.element("EncodingType", "url");
  w.element_bool("IsTruncated", truncated);
  for (const auto& e : entries) {
    if (e.is_prefix) continue;
    const auto& u = uploads[e.upload];
    w.open("Upload");
    w.element("Key", enc(u.key));
    w.element("UploadId", u.upload_id);
    owner(w, "Initiator", req, u.owner_user_id);
    owner(w, "Owner", req, u.owner_user_id);
    w.element("StorageClass", "STANDARD");
    w.element("Initiated", s3::format_iso8601(u.initiated));
    if (u.checksum_algorithm) {
      w.element("ChecksumAlgorithm", *u.checksum_algorithm);
      w.element("ChecksumType", u.checksum_type.value_or("COMPOSITE"));
    }
    w.close("Upload");
  }
  for (const auto& e : entries) {
    if (!e.is_prefix) continue;
    w.open("CommonPrefixes");
    w.element("Prefix", enc(e.name));
    w.close("CommonPrefixes");
  }
  w.close("ListMultipartUploadsResult");
  co_return xml_reply(200, w.take());
}

}  // namespace s3gw::ops
