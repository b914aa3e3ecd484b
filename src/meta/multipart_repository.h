#pragma once
// Client multipart uploads and their parts (migration 005). Every state change is one
// transaction with its operations-log row; blobs the change dereferences (a replaced part, the
// parts of an aborted or completed upload, an aborted backend upload) are recorded in
// garbage_blobs in the same transaction and returned for the caller to remove.
//
// Lock order, everywhere: the bucket row, then the upload row, then the key's writer lock.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meta/object_repository.h"
#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

struct MultipartUpload {
  std::string upload_id;
  std::int64_t bucket_id = 0;
  std::string key;
  util::TimePoint initiated;
  std::optional<std::string> owner_user_id;
  // What the object gets: content headers and user metadata from CreateMultipartUpload.
  std::optional<std::string> content_type;
  std::optional<std::string> cache_control;
  std::optional<std::string> content_disposition;
  std::optional<std::string> content_encoding;
  std::optional<std::string> content_language;
  std::optional<std::string> expires;
  std::vector<std::pair<std::string, std::string>> user_metadata;
  std::optional<std::string> checksum_algorithm;  // as asked for ("CRC32", ...); none: nullopt
  std::optional<std::string> checksum_type;       // "COMPOSITE" or "FULL_OBJECT"
  BlobLocation blob;                              // where the object will be
  std::string backend_upload_id;                  // the backend's upload (S3 zones)
  // Object lock asked for by CreateMultipartUpload's headers (the bucket's default retention
  // is applied at completion when none was).
  std::optional<std::string> retention_mode;
  std::optional<util::TimePoint> retain_until;
  bool legal_hold = false;
  // x-amz-tagging of CreateMultipartUpload (checked then), the object's tags at completion.
  std::vector<std::pair<std::string, std::string>> tags;
};

struct MultipartPart {
  int number = 0;
  std::int64_t size = 0;
  std::string etag;                           // quoted hex MD5
  std::optional<std::string> checksum_value;  // the upload's algorithm (default CRC64NVME)
  std::optional<std::string> client_checksum_algorithm;  // another algorithm the client sent
  std::optional<std::string> client_checksum_value;
  std::string part_handle;  // storage::StoredPart::handle
  bool part_blob = false;   // storage::StoredPart::separate_blob
  util::TimePoint uploaded_at;
};

struct UploadPage {
  std::vector<MultipartUpload> uploads;
  bool more = false;
};

struct PartPage {
  std::vector<MultipartPart> parts;
  bool more = false;
};

class MultipartCompletion;

class MultipartRepository {
 public:
  explicit MultipartRepository(PgPool& pool) : pool_(pool) {}

  // Records a new upload (initiated now) with its log row; false when the bucket is gone.
  awaitable<bool> create(const MultipartUpload& upload, const OperationRecord& log);

  // The upload `upload_id` of this bucket and key; nullopt when there is none (never created,
  // aborted, completed, or another key's).
  awaitable<std::optional<MultipartUpload>> find(std::int64_t bucket_id, std::string_view key,
                                                 std::string_view upload_id);

  // Records a part, replacing one of the same number (whose separate blob becomes garbage,
  // returned). nullopt when the upload is gone: the caller removes the part it stored.
  awaitable<std::optional<std::vector<GarbageBlob>>> put_part(const MultipartUpload& upload,
                                                              const MultipartPart& part,
                                                              const OperationRecord& log);

  // Parts with number > after, in order.
  awaitable<PartPage> list_parts(std::string_view upload_id, int after, int limit);

  // Uploads of a bucket in (key, upload id) order: with key_inclusive, those of key `start_key`
  // with an upload id > start_upload_id and every later key; without, keys > start_key only.
  // Keys < end when end is given.
  awaitable<UploadPage> list_uploads(std::int64_t bucket_id, std::string_view start_key,
                                     std::string_view start_upload_id, bool key_inclusive,
                                     std::optional<std::string> end, int limit);

  // Locks the upload (and its bucket) for completion; null when the upload is gone. The lock
  // is held until the completion commits or is destroyed (rolled back).
  awaitable<std::unique_ptr<MultipartCompletion>> begin_completion(std::int64_t bucket_id,
                                                                   std::string_view key,
                                                                   std::string_view upload_id);

  // Drops the upload and its parts; nullopt when it is gone already.
  awaitable<std::optional<std::vector<GarbageBlob>>> abort(std::int64_t bucket_id,
                                                           std::string_view key,
                                                           std::string_view upload_id,
                                                           const OperationRecord& log);

  // Inside a DeleteBucket transaction (bucket row locked): every upload of the bucket aborted.
  static awaitable<std::vector<GarbageBlob>> drop_bucket_uploads(PgConnection& c,
                                                                 std::int64_t bucket_id);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
