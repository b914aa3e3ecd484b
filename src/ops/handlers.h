#pragma once
// Every S3 operation handler has this shape: context and request in, response out. Expected
// failures come back as S3 error responses; only the unexpected throws.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string_view>

#include "http/response.h"
#include "ops/context.h"
#include "ops/s3_request.h"

namespace s3gw::ops {

using boost::asio::awaitable;
using Reply = http::Response;

// bucket_ops.cpp
s3::S3Error no_such_bucket(const S3Request& req);
awaitable<Reply> list_buckets(OpContext& ctx, S3Request& req);
awaitable<Reply> create_bucket(OpContext& ctx, S3Request& req);
awaitable<Reply> head_bucket(OpContext& ctx, S3Request& req);
awaitable<Reply> delete_bucket(OpContext& ctx, S3Request& req);
awaitable<Reply> get_bucket_location(OpContext& ctx, S3Request& req);
// list_objects.cpp
awaitable<Reply> list_objects(OpContext& ctx, S3Request& req, bool v2);
// put_object.cpp
awaitable<Reply> put_object(OpContext& ctx, S3Request& req);
// get_object.cpp
awaitable<Reply> get_object(OpContext& ctx, S3Request& req);
// delete_object.cpp
awaitable<Reply> delete_object(OpContext& ctx, S3Request& req);
// AccessDenied: a locked version (retention, legal hold) was to be deleted or overwritten, or
// its retention weakened; recorded as an "object_lock" compliance event (`key`: another key of
// the request's bucket, DeleteObjects').
s3::S3Error object_locked(OpContext& ctx, const S3Request& req,
                          std::optional<std::string_view> key = std::nullopt);
// multipart.cpp
awaitable<Reply> create_multipart_upload(OpContext& ctx, S3Request& req);
awaitable<Reply> upload_part(OpContext& ctx, S3Request& req);
awaitable<Reply> complete_multipart_upload(OpContext& ctx, S3Request& req);
awaitable<Reply> abort_multipart_upload(OpContext& ctx, S3Request& req);
// multipart_list.cpp
awaitable<Reply> list_parts(OpContext& ctx, S3Request& req);
awaitable<Reply> list_multipart_uploads(OpContext& ctx, S3Request& req);

// versioning.cpp
awaitable<Reply> get_bucket_versioning(OpContext& ctx, S3Request& req);
awaitable<Reply> put_bucket_versioning(OpContext& ctx, S3Request& req);
awaitable<Reply> list_object_versions(OpContext& ctx, S3Request& req);
// tagging.cpp
awaitable<Reply> get_bucket_tagging(OpContext& ctx, S3Request& req);
awaitable<Reply> put_bucket_tagging(OpContext& ctx, S3Request& req);
awaitable<Reply> delete_bucket_tagging(OpContext& ctx, S3Request& req);
awaitable<Reply> get_object_tagging(OpContext& ctx, S3Request& req);
awaitable<Reply> put_object_tagging(OpContext& ctx, S3Request& req);
awaitable<Reply> delete_object_tagging(OpContext& ctx, S3Request& req);
// delete_objects.cpp
awaitable<Reply> delete_objects(OpContext& ctx, S3Request& req);
// object_lock.cpp
awaitable<Reply> get_object_lock_configuration(OpContext& ctx, S3Request& req);
awaitable<Reply> put_object_lock_configuration(OpContext& ctx, S3Request& req);
awaitable<Reply> get_object_retention(OpContext& ctx, S3Request& req);
awaitable<Reply> put_object_retention(OpContext& ctx, S3Request& req);
awaitable<Reply> get_object_legal_hold(OpContext& ctx, S3Request& req);
awaitable<Reply> put_object_legal_hold(OpContext& ctx, S3Request& req);
// copy_object.cpp
awaitable<Reply> copy_object(OpContext& ctx, S3Request& req);
awaitable<Reply> upload_part_copy(OpContext& ctx, S3Request& req);

}  // namespace s3gw::ops
