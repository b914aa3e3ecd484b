#include "ops/s3_request.h"

#include <cctype>

#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "util/strings.h"

namespace s3gw::ops {

std::optional<QueryParams> QueryParams::parse(std::string_view raw) {
  QueryParams q;
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const std::string_view part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto name = s3::uri_decode(part.substr(0, eq), true);
    auto value = s3::uri_decode(
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    q.params_.emplace_back(std::move(*name), std::move(*value));
  }
  return q;
}

bool QueryParams::has(std::string_view name) const {
  return get(name).has_value();
}

std::optional<std::string_view> QueryParams::get(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

namespace {

// PostgreSQL text holds neither invalid UTF-8 nor NUL, and one such value would fail the whole
// read-log batch again and again: a rejected name is logged percent-encoded instead.
std::string loggable(const std::string& name) {
  if (s3::is_valid_utf8(name) && name.find('\0') == std::string::npos) return name;
  return s3::uri_encode(name, false);
}

}  // namespace

std::optional<std::string> S3Request::signed_payload_sha256() const {
  std::string_view hash;
  if (identity && identity->payload_mode == auth::PayloadMode::kSha256) {
    hash = identity->payload_hash;
  } else if (auto h = header("x-amz-content-sha256")) {
    hash = *h;
  }
  if (hash.size() != 64) return std::nullopt;
  for (char c : hash) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return util::ascii_lower(hash);
}

meta::OperationRecord S3Request::log_record(int status) const {
  meta::OperationRecord r;
  r.request_id = request_id;
  r.customer_id = customer_id;
  r.user_id = user_id;
  r.operation = std::string(operation);
  if (!bucket.empty()) r.bucket = loggable(bucket);
  if (has_key) r.key = loggable(key);
  r.status = status;
  r.source_ip = http.remote();
  if (identity) r.access_key_id = identity->access_key_id;
  return r;
}

}  // namespace s3gw::ops
