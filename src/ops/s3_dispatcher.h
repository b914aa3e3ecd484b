#pragma once
// The S3 front door of a regional gateway: parses the path (/s3/{bucket}/{key} and
// /{bucket}/{key}), identifies the customer, validates names, resolves the operation, runs its
// handler, renders errors, logs the request.
#include <boost/asio/awaitable.hpp>

#include "http/request.h"
#include "http/response.h"
#include "ops/context.h"

namespace s3gw::ops {

class S3Dispatcher {
 public:
  explicit S3Dispatcher(OpContext& ctx) : ctx_(ctx) {}
  boost::asio::awaitable<http::Response> handle(http::Request& request);

 private:
  OpContext& ctx_;
};

}  // namespace s3gw::ops
