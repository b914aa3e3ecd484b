#pragma once
// The multipart calls of the S3 API against a backend, shared by S3BlobWriter (a large blob of
// a single PUT) and the client multipart uploads of S3Provider (UploadPart n -> part n).
// Failures throw StorageError as throw_s3_error() classifies them (404 NoSuchUpload is kNotFound).
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/s3_client.h"

namespace s3gw::storage {

// CreateMultipartUpload (sent once: a repeat would start a second upload); the UploadId.
awaitable<std::string> s3_create_multipart(S3Client& client, std::string_view bucket,
                                           std::string_view key);
// UploadPart with the bytes in memory (retried: the same bytes under the same number); the ETag.
awaitable<std::string> s3_upload_part(S3Client& client, std::string_view bucket,
                                      std::string_view key, std::string_view upload_id, int number,
                                      std::span<const char> body);
// UploadPartCopy of the whole object `source_key` of the same bucket; the part's ETag.
awaitable<std::string> s3_upload_part_copy(S3Client& client, std::string_view bucket,
                                           std::string_view key, std::string_view upload_id,
                                           int number, std::string_view source_key);
// CompleteMultipartUpload with (number, ETag) in order (sent once).
awaitable<void> s3_complete_multipart(S3Client& client, std::string_view bucket,
                                      std::string_view key, std::string_view upload_id,
                                      const std::vector<std::pair<int, std::string>>& parts);
// AbortMultipartUpload; false when the upload was gone already (404).
awaitable<bool> s3_abort_multipart(S3Client& client, std::string_view bucket, std::string_view key,
                                   std::string_view upload_id);

}  // namespace s3gw::storage
