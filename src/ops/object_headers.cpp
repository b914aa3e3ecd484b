#include "ops/object_headers.h"

#include <boost/beast/core/string.hpp>

#include "s3/http_date.h"
#include "s3/validation.h"
#include "util/strings.h"

namespace s3gw::ops {

namespace bhttp = boost::beast::http;

std::optional<s3::S3Error> read_object_headers(const http::Request& req, meta::ObjectVersion& v) {
  auto opt = [&](bhttp::field f) -> std::optional<std::string> {
    auto it = req.headers().find(f);
    if (it == req.headers().end()) return std::nullopt;
    return std::string(it->value());
  };
  v.content_type = opt(bhttp::field::content_type);
  v.cache_control = opt(bhttp::field::cache_control);
  v.content_disposition = opt(bhttp::field::content_disposition);
  v.content_language = opt(bhttp::field::content_language);
  v.expires = opt(bhttp::field::expires);
  // aws-chunked is transport framing, never part of the stored Content-Encoding.
  if (auto ce = opt(bhttp::field::content_encoding)) {
    std::string kept;
    std::string_view rest = *ce;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (item.empty() || boost::beast::iequals(item, "aws-chunked")) continue;
      if (!kept.empty()) kept += ",";
      kept += item;
    }
    if (!kept.empty()) v.content_encoding = kept;
  }

  std::size_t meta_bytes = 0;
  for (const auto& f : req.headers()) {
    const std::string_view name = f.name_string();
    if (name.size() <= 11 || !boost::beast::iequals(name.substr(0, 11), "x-amz-meta-")) continue;
    std::string key = util::ascii_lower(name.substr(11));
    meta_bytes += key.size() + f.value().size();
    // Repeated headers are joined with ',' as HTTP allows and S3 does.
    bool merged = false;
    for (auto& [k, val] : v.user_metadata) {
      if (k == key) {
        val += ",";
        val += f.value();
        merged = true;
        break;
      }
    }
    if (!merged) v.user_metadata.emplace_back(std::move(key), std::string(f.value()));
  }
  if (meta_bytes > kMaxUserMetadataBytes) {
    return s3::S3Error(
        s3::ErrorCode::kMetadataTooLarge,
        "Your metadata headers exceed the maximum allowed metadata size of 2048 bytes.");
  }
  // Stored values are text: bytes that are not UTF-8 are bad input, not a database failure.
  const auto utf8 = [](const std::optional<std::string>& value) {
    return !value || s3::is_valid_utf8(*value);
  };
  bool ok = utf8(v.content_type) && utf8(v.cache_control) && utf8(v.content_disposition) &&
            utf8(v.content_language) && utf8(v.expires) && utf8(v.content_encoding);
  for (const auto& [k, val] : v.user_metadata) {
    ok = ok && s3::is_valid_utf8(k) && s3::is_valid_utf8(val);
  }
  if (!ok) {
    return s3::S3Error(s3::ErrorCode::kInvalidArgument,
                       "Header values stored with the object must be valid UTF-8.");
  }
  return std::nullopt;
}

void write_object_headers(const meta::ObjectVersion& v, http::Response& r) {
  r.headers.set(bhttp::field::etag, v.etag);
  r.headers.set(bhttp::field::last_modified, s3::format_http_date(v.last_modified));
  r.headers.set(bhttp::field::content_type, v.content_type.value_or("binary/octet-stream"));
  if (v.cache_control) r.headers.set(bhttp::field::cache_control, *v.cache_control);
  if (v.content_disposition)
    r.headers.set(bhttp::field::content_disposition, *v.content_disposition);
  if (v.content_encoding) r.headers.set(bhttp::field::content_encoding, *v.content_encoding);
  if (v.content_language) r.headers.set(bhttp::field::content_language, *v.content_language);
  if (v.expires) r.headers.set(bhttp::field::expires, *v.expires);
  for (const auto& [k, val] : v.user_metadata) r.headers.insert("x-amz-meta-" + k, val);
}

}  // namespace s3gw::ops
