#pragma once
// An S3 request after routing: who asks, for which bucket and key, with which sub-resources.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/identity.h"
#include "auth/permissions.h"
#include "http/request.h"
#include "meta/types.h"
#include "s3/error.h"

namespace s3gw::ops {

// Decoded query parameters in the order sent.
class QueryParams {
 public:
  // nullopt when the query string is not valid percent-encoding.
  static std::optional<QueryParams> parse(std::string_view raw);
  bool has(std::string_view name) const;
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

struct S3Request {
  http::Request& http;
  std::string request_id;
  std::string customer_id;
  std::optional<std::string> user_id;
  std::string bucket;  // empty for service-level requests
  std::string key;     // empty for bucket-level requests
  bool has_key = false;
  QueryParams query;
  std::string resource;  // decoded path, for <Resource> in errors
  // S3's name of the operation routed to ("PutObject"), for the log and audit events.
  std::string_view operation;

  // Set when the request was authenticated (ENABLE_S3_AUTHENTICATION=true): the verified
  // signature (a streaming body's chunks are checked against it) and what the caller may do.
  std::optional<auth::Identity> identity;
  std::shared_ptr<const auth::Permissions> permissions;

  std::optional<std::string_view> header(std::string_view name) const { return http.header(name); }
  bool is_head() const { return http.method() == boost::beast::http::verb::head; }

  // The lowercase hex SHA-256 the body must have: the signed payload hash of a SigV4
  // request, else a hex x-amz-content-sha256 sent without authentication; nullopt when the
  // body is unsigned or streamed (aws-chunked).
  std::optional<std::string> signed_payload_sha256() const;

  // The operations-log record of this request (its operation, `status`).
  meta::OperationRecord log_record(int status) const;
};

}  // namespace s3gw::ops
