// Put/GetBucketVersioning and ListObjectVersions.
#include "ops/handlers.h"
#include "ops/reply.h"

namespace s3gw::ops {

awaitable<Reply> get_bucket_versioning(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_bucket_versioning(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> list_object_versions(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

}  // namespace s3gw::ops
