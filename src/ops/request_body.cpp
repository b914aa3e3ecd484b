#include "ops/request_body.h"

#include "http/read_body.h"
#include "util/checksum.h"
#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

S3Error trailer_fields_error() {
  return S3Error(ErrorCode::kInvalidRequest,
                 "HTTP trailer fields are not accepted: a signature cannot cover them. Send "
                 "checksums as aws-chunked trailers or headers.");
}

awaitable<std::variant<std::string, S3Error>> read_small_body(S3Request& req, std::size_t limit) {
  const std::string_view sha = req.header("x-amz-content-sha256").value_or("");
  if (sha.starts_with("STREAMING-")) {
    co_return S3Error(ErrorCode::kInvalidRequest,
                      "Streaming (aws-chunked) payloads are accepted for object uploads only.");
  }
  boost::system::error_code ec;
  auto body = co_await http::read_body_to_string(req.http.body(), limit, &ec);
  if (!body) {
    if (ec == http::trailer_fields_refused()) co_return trailer_fields_error();
    co_return S3Error(ErrorCode::kMalformedXML, "The request body is too large or incomplete.");
  }
  if (auto md5 = req.header("content-md5")) {
    auto raw = util::base64_decode(*md5);
    if (!raw || raw->size() != 16) co_return S3Error(ErrorCode::kInvalidDigest);
    util::Md5 h;
    h.update(std::span<const char>(body->data(), body->size()));
    if (h.digest() != *raw) co_return S3Error(ErrorCode::kBadDigest);
  }
  if (auto expected = req.signed_payload_sha256();
      expected && util::hex_encode(util::sha256(*body)) != *expected) {
    co_return S3Error(ErrorCode::kXAmzContentSHA256Mismatch);
  }
  co_return std::move(*body);
}

}  // namespace s3gw::ops
