// GetObject and HeadObject: conditions, ranges, and the body streamed from the blob.
#include <boost/beast/http/field.hpp>

#include "ops/handlers.h"
#include "ops/lock_rules.h"
#include "ops/object_headers.h"
#include "ops/reply.h"
#include "ops/version_target.h"
#include "s3/conditional.h"
#include "s3/http_date.h"
#include "s3/range.h"
#include "s3/xml_writer.h"
#include "util/log.h"
#include "util/strings.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;
namespace bhttp = boost::beast::http;

namespace {

// response-* query parameters override the stored headers (presigned download links use them).
void apply_response_overrides(const S3Request& req, Reply& r) {
  static constexpr std::pair<std::string_view, bhttp::field> kOverrides[] = {
      {"response-content-type", bhttp::field::content_type},
      {"response-content-language", bhttp::field::content_language},
      {"response-expires", bhttp::field::expires},
      {"response-cache-control", bhttp::field::cache_control},
      {"response-content-disposition", bhttp::field::content_disposition},
      {"response-content-encoding", bhttp::field::content_encoding},
  };
  for (const auto& [param, field] : kOverrides) {
    if (auto v = req.query.get(param)) r.headers.set(field, *v);
  }
}

// A header value must not carry control characters: CR/LF would let a link split the response.
bool overrides_are_safe(const S3Request& req) {
  for (const auto& [name, value] : req.query.all()) {
    if (!name.starts_with("response-")) continue;
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && u != '\t') || u == 0x7F) return false;
    }
  }
  return true;
}

}  // namespace

// One attempt; throws StorageError(kNotFound) when the version read was replaced and its blob
// removed between the metadata read and the open.
awaitable<Reply> get_object_once(OpContext& ctx, S3Request& req) {
  const bool head = req.is_head();
  auto vid = version_id_of(req);
  if (auto* e = std::get_if<S3Error>(&vid)) co_return error_reply(req, *e);
  const auto version_id = std::get<std::optional<std::string>>(vid);
  if (!overrides_are_safe(req)) {
    co_return error_reply(req,
                          S3Error(ErrorCode::kInvalidArgument,
                                  "response-* parameters must not contain control characters"));
  }
  auto found = co_await ctx.objects.find_latest(req.customer_id, req.bucket, req.key, version_id);
  if (!found.bucket_id) co_return error_reply(req, no_such_bucket(req));
  auto& v = found.latest;
  if (!v)
    co_return error_reply(req, version_id ? no_such_version(req, *version_id) : no_such_key(req));
  if (v->is_delete_marker) {
    auto r = delete_marker_reply(req, v->version_id, version_id.has_value());
    r.headers.set(bhttp::field::last_modified, s3::format_http_date(v->last_modified));
    co_return r;
  }

  s3::ConditionalHeaders cond{req.header("if-match"), req.header("if-none-match"),
                              req.header("if-modified-since"), req.header("if-unmodified-since")};
  switch (s3::evaluate_preconditions(cond, v->etag, v->last_modified)) {
    case s3::Precondition::kProceed:
      break;
    case s3::Precondition::kNotModified: {
      Reply r;
      r.status = 304;
      r.head_only = head;
      r.headers.set(bhttp::field::etag, v->etag);
      r.headers.set(bhttp::field::last_modified, s3::format_http_date(v->last_modified));
      co_return r;
    }
    case s3::Precondition::kPreconditionFailed:
      co_return error_reply(req, S3Error(ErrorCode::kPreconditionFailed));
  }

  const auto size = static_cast<std::uint64_t>(v->size);
  const auto range = s3::parse_range(req.header("range").value_or(""), size);
  if (range.kind == s3::RangeResult::Kind::kUnsatisfiable) {
    auto r = error_reply(req, S3Error(ErrorCode::kInvalidRange));
    r.headers.set(bhttp::field::content_range, s3::content_range_unsatisfied(size));
    co_return r;
  }

  Reply r;
  write_object_headers(*v, r);
  if (found.versioning != "Unversioned" || v->version_id != "null") {
    r.headers.set("x-amz-version-id", v->version_id);
  }
  if (v->tag_count > 0) r.headers.set("x-amz-tagging-count", std::to_string(v->tag_count));
  write_lock_headers(*v, r);
  r.headers.set(bhttp::field::accept_ranges, "bytes");
  apply_response_overrides(req, r);
  std::uint64_t first = 0;
  std::uint64_t length = size;
  if (range.kind == s3::RangeResult::Kind::kSatisfiable) {
    first = range.first;
    length = range.length;
    r.status = 206;
    r.headers.set(bhttp::field::content_range, s3::content_range(range.first, range.last(), size));
  } else if (v->checksum_algorithm && v->checksum_value &&
             req.header("x-amz-checksum-mode").value_or("") == "ENABLED") {
    // A whole-object checksum describes the whole object only: never on a 206.
    const std::string name = util::ascii_lower("x-amz-checksum-" + *v->checksum_algorithm);
    r.headers.set(name, *v->checksum_value);
    r.headers.set("x-amz-checksum-type", v->checksum_type.value_or("FULL_OBJECT"));
  }

  if (head) {
    r.head_only = true;
    r.headers.set(bhttp::field::content_length, std::to_string(length));
    co_return r;
  }
  auto zone = ctx.zones().find(v->blob.zone_id);
  if (!zone) {
    util::log_error("get", "object version lives in zone " + v->blob.zone_id + ", not served here");
    co_return error_reply(req, S3Error(ErrorCode::kServiceUnavailable));
  }
  r.stream =
      co_await zone->provider.open_blob(v->blob.backend_bucket, v->blob.blob_key, first, length);
  r.stream_length = length;
  co_return r;
}

awaitable<Reply> get_object(OpContext& ctx, S3Request& req) {
  // A concurrent overwrite or delete may remove the blob we were about to open; reading the
  // metadata again serves the new version (or 404), as S3 would.
  for (int attempt = 0;; ++attempt) {
    try {
      co_return co_await get_object_once(ctx, req);
    } catch (const storage::StorageError& e) {
      if (e.kind() != storage::StorageError::Kind::kNotFound || attempt == 2) throw;
    }
  }
}

}  // namespace s3gw::ops
