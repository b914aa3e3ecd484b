#pragma once
// The XML documents the S3 provider exchanges with a backend: error bodies, multipart
// initiation, completion and upload listings. Parsing is lenient about namespaces (backends
// differ) and never throws: a document that does not parse gives empty results.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/time.h"

namespace s3gw::storage {

struct S3ErrorBody {
  std::string code;  // empty when the body is not an S3 <Error>
  std::string message;
};

struct S3UploadEntry {
  std::string key;
  std::string upload_id;
  std::optional<util::TimePoint> initiated;
};

struct S3UploadListing {
  std::vector<S3UploadEntry> uploads;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

S3ErrorBody parse_s3_error(std::string_view body);
// UploadId of an InitiateMultipartUploadResult; empty if missing.
std::string parse_upload_id(std::string_view body);
// ListMultipartUploadsResult.
S3UploadListing parse_upload_listing(std::string_view body);
// CompleteMultipartUpload body for parts 1..n with these ETags (as the backend returned them).
std::string complete_multipart_xml(const std::vector<std::string>& etags);
// CompleteMultipartUpload body for these (part number, ETag) pairs, in the given order.
std::string complete_multipart_xml(const std::vector<std::pair<int, std::string>>& parts);
// The ETag of a CopyPartResult (UploadPartCopy); empty if missing.
std::string parse_copy_part_etag(std::string_view body);
// "2024-05-01T10:00:00.000Z" (fraction optional); nullopt otherwise.
std::optional<util::TimePoint> parse_iso8601(std::string_view text);

}  // namespace s3gw::storage
