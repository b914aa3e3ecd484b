#pragma once
// The object attributes a PUT stores from request headers and a GET/HEAD returns.
#include <optional>

#include "http/request.h"
#include "http/response.h"
#include "meta/types.h"
#include "s3/error.h"

namespace s3gw::ops {

inline constexpr std::size_t kMaxUserMetadataBytes = 2048;  // S3: keys + values, UTF-8 bytes

// Fills content headers and x-amz-meta-* into `v`; MetadataTooLarge beyond 2 KB.
std::optional<s3::S3Error> read_object_headers(const http::Request& req, meta::ObjectVersion& v);

// Sets ETag, Last-Modified, content headers and x-amz-meta-* of `v` on a response.
void write_object_headers(const meta::ObjectVersion& v, http::Response& r);

}  // namespace s3gw::ops
