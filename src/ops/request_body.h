#pragma once
// Small request documents (the XML bodies of bucket and batch operations), read whole and
// checked against what the client vouched for before anything acts on them.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>

#include "ops/s3_request.h"
#include "s3/error.h"

namespace s3gw::ops {

using boost::asio::awaitable;

// The body, or the S3 error to answer: MalformedXML when larger than `limit` or cut short,
// InvalidRequest when it ends with HTTP trailer fields,
// InvalidDigest/BadDigest for Content-MD5, XAmzContentSHA256Mismatch when a hex
// x-amz-content-sha256 (signed by SigV4) is not the body's.
awaitable<std::variant<std::string, s3::S3Error>> read_small_body(S3Request& req,
                                                                  std::size_t limit);

// InvalidRequest for a body that ended with HTTP trailer fields (http::trailer_fields_refused).
s3::S3Error trailer_fields_error();

}  // namespace s3gw::ops
