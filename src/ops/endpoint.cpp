#include "ops/endpoint.h"

namespace s3gw::ops {

namespace {

using boost::beast::http::verb;

// Query parameters that select another operation on the same resource. Anything else
// (x-id, response-*, versionId, the X-Amz-* of presigned URLs) is a parameter, not a selector.
constexpr std::string_view kSubresources[] = {"accelerate",
                                              "acl",
                                              "analytics",
                                              "attributes",
                                              "cors",
                                              "delete",
                                              "encryption",
                                              "intelligent-tiering",
                                              "inventory",
                                              "legal-hold",
                                              "lifecycle",
                                              "location",
                                              "logging",
                                              "metrics",
                                              "notification",
                                              "object-lock",
                                              "ownershipControls",
                                              "policy",
                                              "policyStatus",
                                              "publicAccessBlock",
                                              "replication",
                                              "requestPayment",
                                              "restore",
                                              "retention",
                                              "select",
                                              "tagging",
                                              "torrent",
                                              "uploadId",
                                              "uploads",
                                              "versioning",
                                              "versions",
                                              "website",
                                              "session",
                                              "partNumber",
                                              "renameObject",
                                              "metadataTable",
                                              "abac",
                                              "list-type",
                                              "inventoryConfiguration"};

}  // namespace

std::span<const std::string_view> operation_selectors() {
  return kSubresources;
}

namespace {

// The selector of a request; `list-type` only when it is the only one. SigV2 does not sign it
// (botocore does not), so it must never win over one that is signed: `?list-type=2&versioning`
// is GetBucketVersioning, not a listing the signature never named.
std::string_view first_subresource(const QueryParams& q) {
  bool list_type = false;
  for (const auto& [name, value] : q.all()) {
    for (auto s : kSubresources) {
      if (name != s) continue;
      if (s != "list-type") return s;
      list_type = true;
    }
  }
  return list_type ? std::string_view("list-type") : std::string_view();
}

}  // namespace

Endpoint resolve_endpoint(verb method, bool has_bucket, bool has_key, const QueryParams& query,
                          bool has_copy_source) {
  const std::string_view sub = first_subresource(query);
  if (!has_bucket) {
    if (method == verb::get && sub.empty()) return Endpoint::kListBuckets;
    return Endpoint::kMethodNotAllowed;
  }
  if (!has_key) {
    switch (method) {
      case verb::get:
        if (sub.empty()) return Endpoint::kListObjects;
        if (sub == "location") return Endpoint::kGetBucketLocation;
        if (sub == "uploads") return Endpoint::kListMultipartUploads;
        if (sub == "versioning") return Endpoint::kGetBucketVersioning;
        if (sub == "versions") return Endpoint::kListObjectVersions;
        if (sub == "tagging") return Endpoint::kGetBucketTagging;
        if (sub == "object-lock") return Endpoint::kGetObjectLockConfiguration;
        if (sub == "list-type") {
          return query.get("list-type") == "2" ? Endpoint::kListObjectsV2 : Endpoint::kListObjects;
        }
        return Endpoint::kNotImplemented;
      case verb::put:
        if (sub.empty()) return Endpoint::kCreateBucket;
        if (sub == "versioning") return Endpoint::kPutBucketVersioning;
        if (sub == "tagging") return Endpoint::kPutBucketTagging;
        if (sub == "object-lock") return Endpoint::kPutObjectLockConfiguration;
        return Endpoint::kNotImplemented;
      case verb::head:
        return sub.empty() ? Endpoint::kHeadBucket : Endpoint::kMethodNotAllowed;
      case verb::delete_:
        if (sub.empty()) return Endpoint::kDeleteBucket;
        if (sub == "tagging") return Endpoint::kDeleteBucketTagging;
        return Endpoint::kNotImplemented;
      case verb::post:
        return sub == "delete" ? Endpoint::kDeleteObjects : Endpoint::kNotImplemented;
      default:
        return Endpoint::kMethodNotAllowed;
    }
  }
  // Multipart: uploadId names an upload whatever order the parameters come in.
  const bool upload_id = query.has("uploadId");
  const bool part_number = query.has("partNumber");
  const bool only_multipart = sub == "uploadId" || sub == "partNumber";
  switch (method) {
    case verb::put:
      if (upload_id && part_number && only_multipart) {
        return has_copy_source ? Endpoint::kUploadPartCopy : Endpoint::kUploadPart;
      }
      if (sub == "tagging") return Endpoint::kPutObjectTagging;
      if (sub == "retention") return Endpoint::kPutObjectRetention;
      if (sub == "legal-hold") return Endpoint::kPutObjectLegalHold;
      if (!sub.empty()) return Endpoint::kNotImplemented;
      return has_copy_source ? Endpoint::kCopyObject : Endpoint::kPutObject;
    case verb::get:
      if (upload_id && only_multipart && !part_number) return Endpoint::kListParts;
      if (sub == "tagging") return Endpoint::kGetObjectTagging;
      if (sub == "retention") return Endpoint::kGetObjectRetention;
      if (sub == "legal-hold") return Endpoint::kGetObjectLegalHold;
      return sub.empty() ? Endpoint::kGetObject : Endpoint::kNotImplemented;
    case verb::head:
      return sub.empty() ? Endpoint::kHeadObject : Endpoint::kNotImplemented;
    case verb::delete_:
      if (upload_id && sub == "uploadId") return Endpoint::kAbortMultipartUpload;
      if (sub == "tagging") return Endpoint::kDeleteObjectTagging;
      return sub.empty() ? Endpoint::kDeleteObject : Endpoint::kNotImplemented;
    case verb::post:
      if (sub == "uploads") return Endpoint::kCreateMultipartUpload;
      if (upload_id && sub == "uploadId") return Endpoint::kCompleteMultipartUpload;
      return Endpoint::kNotImplemented;  // restore, select
    default:
      return Endpoint::kMethodNotAllowed;
  }
}

}  // namespace s3gw::ops
