#pragma once
// Percent-encoding (RFC 3986) for S3: keys in `encoding-type=url` listings, and decoding of
// request paths and query strings.
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::s3 {

// Keeps the unreserved characters A-Z a-z 0-9 - . _ ~ (and '/' unless encode_slash); every
// other byte becomes %XX with uppercase hex, UTF-8 bytes one by one. This is also the
// encoding SigV4 canonical requests use.
std::string uri_encode(std::string_view text, bool encode_slash);

// A key (or prefix, delimiter, marker) in a ListObjects/ListObjectVersions/ListMultipartUploads
// response with encoding-type=url. '/' stays literal and a space becomes %20, '+' becomes %2B,
// '%' becomes %25. AWS leaves '/' literal too and writes a space as '+' in at least some
// regions, but %20 is what the Ceph s3-tests suite expects and it decodes to a space under
// both urllib.parse.unquote_plus (botocore) and plain percent-decoding (other SDKs), so
// every key round-trips whichever decoder the client uses.
inline std::string url_encode_key(std::string_view key) {
  return uri_encode(key, false);
}

// Percent-decoding; with plus_as_space (query strings, form bodies) '+' decodes to a space,
// otherwise (paths) it stays '+'. nullopt on a '%' not followed by two hex digits. The result
// may hold any byte, NUL included: validating it is the caller's job.
std::optional<std::string> uri_decode(std::string_view text, bool plus_as_space);

}  // namespace s3gw::s3
