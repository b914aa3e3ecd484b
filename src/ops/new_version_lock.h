#pragma once
// The object lock of a version about to be written: PutObject, CreateMultipartUpload (its
// completion applies the bucket's default) and CopyObject's target call this before storing
// anything.
#include <boost/asio/awaitable.hpp>
#include <optional>

#include "meta/types.h"
#include "ops/context.h"
#include "ops/s3_request.h"
#include "s3/error.h"

namespace s3gw::ops {

// Reads x-amz-object-lock-mode, -retain-until-date and -legal-hold (InvalidArgument for a bad
// value; InvalidRequest on a bucket without object lock), checks that the caller may set them
// (s3:PutObjectRetention for a retention, s3:PutObjectLegalHold for a legal hold, as AWS asks;
// the bucket's owner may: else AccessDenied) and fills `v`'s retention and legal hold. When the
// request asks for no retention and `with_default`, the bucket's default retention applies
// (from now).
boost::asio::awaitable<std::optional<s3::S3Error>> lock_new_version(OpContext& ctx,
                                                                    const S3Request& req,
                                                                    const meta::Bucket& bucket,
                                                                    meta::ObjectVersion& v,
                                                                    bool with_default = true);

}  // namespace s3gw::ops
