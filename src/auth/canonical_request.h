#pragma once
// The SigV4 canonical request by S3's rules.
//
// S3 differs from the generic SigV4 algorithm in the path: it is signed as sent, without
// removing "." / ".." segments or duplicate slashes, and without a second round of encoding
// (botocore's S3SigV4Auth skips _normalize_url_path; aws-c-auth's "normalize": false). A segment
// already in canonical form (only unreserved characters and %XX escapes with uppercase hex) is
// taken verbatim, so a client that signs its wire path always matches; any other segment (a raw
// space, raw UTF-8, '$', lowercase hex, ...) is decoded and re-encoded, which is what a client
// that encodes strictly while signing will have signed.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/header_lookup.h"

namespace s3gw::auth {

// "/" for an empty path.
std::string canonical_uri(std::string_view raw_path);

// Parameters decoded (with '+' as a space, as S3 reads queries), re-encoded with uri_encode
// (encode_slash = true), sorted by encoded key then encoded value, "key=" for an empty value.
// With skip_signature, X-Amz-Signature is left out (presigned URLs sign everything else).
std::string canonical_query_string(std::string_view raw_query, bool skip_signature);

// Each value trimmed with inner whitespace runs collapsed to one space, values joined with ','.
std::string canonical_header_value(const std::vector<std::string_view>& values);

// Lower-cased, sorted, duplicates dropped: the order of the canonical headers and the
// SignedHeaders line.
std::vector<std::string> normalize_signed_headers(std::span<const std::string> names);

struct CanonicalRequestInput {
  std::string_view method;
  std::string_view raw_path;
  std::string_view raw_query;
  const HeaderLookup& headers;
  // Names from SignedHeaders; normalized here (see normalize_signed_headers). A name with no
  // field in the request is signed with an empty value, so the signature cannot match.
  std::span<const std::string> signed_headers;
  std::string_view payload_hash;  // hex SHA-256, UNSIGNED-PAYLOAD, STREAMING-...
  bool presigned = false;         // skip X-Amz-Signature in the query
};

std::string build_canonical_request(const CanonicalRequestInput& in);

}  // namespace s3gw::auth
