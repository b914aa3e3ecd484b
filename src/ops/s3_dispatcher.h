#pragma once
// The S3 front door of a regional gateway: parses the path (/s3/{bucket}/{key} and
// /{bucket}/{key}), identifies the customer, validates names, resolves the operation, runs its
// handler, renders errors, logs the request.
#include <boost/asio/awaitable.hpp>

#include "http/request.h"
#include "http/response.h"
#include "ops/context.h"
#include "ops/endpoint.h"
#include "ops/s3_request.h"

namespace s3gw::ops {

using boost::asio::awaitable;

class S3Dispatcher {
 public:
  explicit S3Dispatcher(OpContext& ctx) : ctx_(ctx) {}
  boost::asio::awaitable<http::Response> handle(http::Request& request);

 private:
  awaitable<std::optional<s3::S3Error>> admit(S3Request& req, Endpoint& endpoint);
  // A compliance event for an authentication failure or a denial.
  void audit(const S3Request& req, Endpoint endpoint, std::string type,
             const std::optional<std::string>& access_key_id, const s3::S3Error& err,
             std::string reason);

  OpContext& ctx_;
};

}  // namespace s3gw::ops
