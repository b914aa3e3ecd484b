// Object lock: bucket configuration, retention, legal hold.
#include "ops/handlers.h"
#include "ops/reply.h"

namespace s3gw::ops {

awaitable<Reply> get_object_lock_configuration(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_object_lock_configuration(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> get_object_retention(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_object_retention(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> get_object_legal_hold(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> put_object_legal_hold(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

}  // namespace s3gw::ops
