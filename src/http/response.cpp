#include "http/response.h"

namespace s3gw::http {

Response Response::text(unsigned status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.set(boost::beast::http::field::content_type, content_type);
  return r;
}

}  // namespace s3gw::http
