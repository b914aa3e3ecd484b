#pragma once
// May the authenticated caller run this operation on this resource? Its permissions decide,
// and a bucket's owner may do everything on it. Nothing here ever crosses customers: buckets
// are looked up within the caller's customer only.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "ops/context.h"
#include "ops/endpoint.h"
#include "ops/s3_request.h"

namespace s3gw::ops {

using boost::asio::awaitable;

// nullopt when allowed; otherwise the reason, for the audit trail.
awaitable<std::optional<std::string>> authorize(OpContext& ctx, const S3Request& req, Endpoint e);

// `action` on an object other than the request's own (DeleteObjects' keys, a copy's source),
// within the caller's customer: its permissions, or ownership of that bucket.
awaitable<bool> may_act_on(OpContext& ctx, const S3Request& req, std::string_view action,
                           std::string_view bucket, std::string_view key);

// x-amz-bypass-governance-retention: true, from a caller allowed s3:BypassGovernanceRetention
// (or the bucket's owner): a GOVERNANCE retention then yields.
awaitable<bool> bypass_governance(OpContext& ctx, const S3Request& req);
awaitable<bool> may_bypass_governance(OpContext& ctx, const S3Request& req);

// ListBuckets shows the caller's own buckets and those its s3:ListBucket patterns match.
bool may_see_bucket(const S3Request& req, const meta::Bucket& bucket);

}  // namespace s3gw::ops
