// CopyObject and UploadPartCopy.
#include "ops/handlers.h"
#include "ops/reply.h"

namespace s3gw::ops {

awaitable<Reply> copy_object(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

awaitable<Reply> upload_part_copy(OpContext& /*ctx*/, S3Request& req) {
  co_return error_reply(req, s3::S3Error(s3::ErrorCode::kNotImplemented));
}

}  // namespace s3gw::ops
