#include "ops/reply.h"

#include "s3/xml_writer.h"

namespace s3gw::ops {

namespace bhttp = boost::beast::http;

http::Response failure(const S3Request& req, const s3::S3Error& err) {
  auto r = error_reply(req, err);
  r.close = !req.http.body().complete();
  return r;
}

http::Response xml_reply(unsigned status, std::string body) {
  return http::Response::text(status, std::move(body), "application/xml");
}

http::Response error_reply(const S3Request& req, const s3::S3Error& err) {
  http::Response r;
  r.status = static_cast<unsigned>(err.http_status());
  if (req.is_head()) {
    r.head_only = true;  // HEAD errors are a bare status, as S3 answers them
    return r;
  }
  r.body = s3::error_xml(err, req.resource, req.request_id);
  r.headers.set(bhttp::field::content_type, "application/xml");
  return r;
}

void stamp_common_headers(http::Response& r, std::string_view request_id) {
  r.headers.set("x-amz-request-id", request_id);
  r.headers.set("x-amz-id-2", request_id);
  r.headers.set(bhttp::field::server, "s3gw");
}

}  // namespace s3gw::ops
