#pragma once
// The version a request names with ?versionId= (absent: the latest), and S3's answers when it
// is missing or a delete marker. Shared by the handlers of one object's sub-resources (tags,
// retention, legal hold).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/response.h"
#include "ops/s3_request.h"
#include "s3/error.h"

namespace s3gw::ops {

// ?versionId=: absent, or a non-empty id (InvalidArgument for an empty one).
std::variant<std::optional<std::string>, s3::S3Error> version_id_of(const S3Request& req);

s3::S3Error no_such_version(const S3Request& req, std::string_view version_id);
s3::S3Error no_such_key(const S3Request& req);

// A delete marker has no body, tags or lock: 405 when it was named by version id, 404 when it
// is the key's latest version; x-amz-delete-marker and its version id either way.
http::Response delete_marker_reply(const S3Request& req, std::string_view marker_id,
                                   bool by_version);

}  // namespace s3gw::ops
