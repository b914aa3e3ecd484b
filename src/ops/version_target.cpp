#include "ops/version_target.h"

#include "ops/reply.h"
#include "s3/xml_writer.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

std::variant<std::optional<std::string>, S3Error> version_id_of(const S3Request& req) {
  auto vid = req.query.get("versionId");
  if (!vid) return std::optional<std::string>();
  if (vid->empty()) {
    return S3Error(ErrorCode::kInvalidArgument, "Version id cannot be the empty string");
  }
  return std::optional<std::string>(std::string(*vid));
}

S3Error no_such_version(const S3Request& req, std::string_view version_id) {
  S3Error e(ErrorCode::kNoSuchVersion);
  e.extra_xml = "<Key>" + s3::xml_escape(req.key) + "</Key><VersionId>" +
                s3::xml_escape(version_id) + "</VersionId>";
  return e;
}

S3Error no_such_key(const S3Request& req) {
  S3Error e(ErrorCode::kNoSuchKey);
  e.extra_xml = "<Key>" + s3::xml_escape(req.key) + "</Key>";
  return e;
}

http::Response delete_marker_reply(const S3Request& req, std::string_view marker_id,
                                   bool by_version) {
  S3Error e = no_such_key(req);
  if (by_version) {
    e = S3Error(ErrorCode::kMethodNotAllowed,
                "The specified method is not allowed against this resource.");
    e.extra_xml = "<Method>" + std::string(req.http.method_string()) +
                  "</Method><ResourceType>DeleteMarker</ResourceType>";
  }
  auto r = failure(req, e);
  r.headers.set("x-amz-delete-marker", "true");
  r.headers.set("x-amz-version-id", std::string(marker_id));
  return r;
}

}  // namespace s3gw::ops
