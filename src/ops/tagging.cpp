// Object and bucket tagging.
#include "ops/handlers.h"
#include "ops/reply.h"

namespace s3gw::ops {

awaitable<Reply> get_bucket_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_bucket_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> delete_bucket_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> get_object_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_object_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> delete_object_tagging(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

}  // namespace s3gw::ops
