#pragma once
// The global gateway: routes customers to their regional gateway and stores no personal data.
// In this step it answers /health; routing (307 redirect and pass-through proxy) arrives with
// the global-layer issue, until then S3 requests get NotImplemented.
#include <boost/asio/awaitable.hpp>

#include "admin/admin_api.h"

namespace s3gw::global {

class GlobalGateway {
 public:
  explicit GlobalGateway(admin::AdminApi& admin) : admin_(admin) {}
  boost::asio::awaitable<http::Response> handle(http::Request& request);

 private:
  admin::AdminApi& admin_;
};

}  // namespace s3gw::global
