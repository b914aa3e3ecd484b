#pragma once
// Building S3 responses: XML documents, errors, and the headers every response carries.
#include <string>

#include "http/response.h"
#include "ops/s3_request.h"
#include "s3/error.h"

namespace s3gw::ops {

http::Response xml_reply(unsigned status, std::string body);
// The S3 XML error (no body for HEAD, which cannot carry one).
http::Response error_reply(const S3Request& req, const s3::S3Error& err);
// An error answered before the request body was read through: the connection closes unless
// the body is complete, since the unread rest would be taken for the next request.
http::Response failure(const S3Request& req, const s3::S3Error& err);
// x-amz-request-id, x-amz-id-2 and Server on every response.
void stamp_common_headers(http::Response& r, std::string_view request_id);

}  // namespace s3gw::ops
