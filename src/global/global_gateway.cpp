#include "global/global_gateway.h"

#include "s3/error.h"
#include "util/random.h"

namespace s3gw::global {

boost::asio::awaitable<http::Response> GlobalGateway::handle(http::Request& request) {
  if (admin::AdminApi::owns(request.path())) co_return co_await admin_.handle(request);
  const std::string request_id = util::random_hex(8);
  s3::S3Error err(s3::ErrorCode::kNotImplemented,
                  "The global gateway does not route S3 requests yet; use a regional endpoint.");
  auto r =
      http::Response::text(501, s3::error_xml(err, request.path(), request_id), "application/xml");
  r.headers.set("x-amz-request-id", request_id);
  r.close = !request.body().complete();
  co_return r;
}

}  // namespace s3gw::global
