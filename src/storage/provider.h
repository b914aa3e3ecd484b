#pragma once
// The storage-provider interface: where version blobs live. Implementations: filesystem (this
// module) and S3 (s3_provider.h). A blob is written once under a key never reused, and becomes
// readable at commit(); an aborted or abandoned writer leaves nothing at the key.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "http/body.h"

namespace s3gw::storage {

using boost::asio::awaitable;

class StorageError : public std::runtime_error {
 public:
  enum class Kind { kNotFound, kUnavailable, kIo };
  StorageError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

enum class BucketCreation {
  kCreated,
  kExisted,    // ours already (BucketAlreadyOwnedByYou, or a 200 for a repeat)
  kNameTaken,  // BucketAlreadyExists: someone else's; try the next hash candidate
};

class BlobWriter {
 public:
  virtual ~BlobWriter() = default;  // abandons the blob unless committed
  virtual awaitable<void> write(std::span<const char> data) = 0;
  // Makes the blob durable and readable under its key.
  virtual awaitable<void> commit() = 0;
  virtual awaitable<void> abort() = 0;
};

// Client multipart uploads (CreateMultipartUpload .. CompleteMultipartUpload): the parts of one
// upload are written separately, in any order and in parallel, and become the blob at the
// upload's blob key when it completes. How a stored part is found again:
struct StoredPart {
  std::string handle;          // given back to complete_multipart (a part blob key, an ETag)
  bool separate_blob = false;  // true: the handle is a blob key of its own, removed with
                               // delete_blob(backend_bucket, handle) once the part is dropped
};

class PartWriter : public BlobWriter {
 public:
  // Valid after commit().
  virtual const StoredPart& stored() const = 0;
};

// A part chosen for completion, in object order.
struct PartRef {
  int number = 0;
  StoredPart stored;
  std::uint64_t size = 0;
};

// Blob keys of client multipart uploads end with this: sweeps of abandoned uploads leave them
// alone, since a client's upload may last days (the metadata knows which ones are live).
inline constexpr std::string_view kMultipartBlobSuffix = ".mpu";
inline bool is_multipart_blob_key(std::string_view key) {
  return key.ends_with(kMultipartBlobSuffix);
}

class Provider {
 public:
  virtual ~Provider() = default;
  virtual const std::string& zone_id() const = 0;
  virtual awaitable<std::unique_ptr<BlobWriter>> create_blob(std::string_view backend_bucket,
                                                             std::string_view blob_key) = 0;
  // A reader of `length` bytes from `offset`; throws StorageError(kNotFound) if absent.
  virtual awaitable<std::unique_ptr<http::BodySource>> open_blob(std::string_view backend_bucket,
                                                                 std::string_view blob_key,
                                                                 std::uint64_t offset,
                                                                 std::uint64_t length) = 0;
  // Creates the backend bucket when missing; called before a zone first receives a bucket's
  // data. Providers without buckets of their own (the filesystem) have nothing to do.
  virtual awaitable<BucketCreation> ensure_bucket(std::string_view /*backend_bucket*/) {
    co_return BucketCreation::kExisted;
  }
  // Idempotent: deleting a missing blob succeeds.
  virtual awaitable<void> delete_blob(std::string_view backend_bucket,
                                      std::string_view blob_key) = 0;
  // Removes the backend bucket if it holds no blobs; idempotent.
  virtual awaitable<void> delete_bucket(std::string_view backend_bucket) = 0;
  // Client multipart uploads. begin_multipart returns the backend's upload id (empty when the
  // provider needs none); create_part streams one part (`size` bytes expected, a hint);
  // complete_multipart makes the parts, in the given order, the blob at `blob_key` (the parts
  // themselves stay until the caller removes the separate ones); abort_multipart drops what the
  // backend holds for the upload (idempotent). Throws StorageError.
  virtual awaitable<std::string> begin_multipart(std::string_view backend_bucket,
                                                 std::string_view blob_key) = 0;
  virtual awaitable<std::unique_ptr<PartWriter>> create_part(std::string_view backend_bucket,
                                                             std::string_view blob_key,
                                                             std::string_view upload_id,
                                                             int part_number,
                                                             std::uint64_t size) = 0;
  virtual awaitable<void> complete_multipart(std::string_view backend_bucket,
                                             std::string_view blob_key, std::string_view upload_id,
                                             const std::vector<PartRef>& parts) = 0;
  virtual awaitable<void> abort_multipart(std::string_view backend_bucket,
                                          std::string_view blob_key,
                                          std::string_view upload_id) = 0;
  // Removes uploads abandoned by a crashed process (untouched for `older_than`); returns how
  // many. Live uploads of other gateway processes sharing the zone are younger than that; client
  // multipart uploads (is_multipart_blob_key) are never touched here.
  virtual awaitable<std::size_t> sweep_abandoned_uploads(std::chrono::seconds older_than) = 0;
  // A cheap check that the zone can take writes now, for the health checker: returns when it
  // can, throws StorageError otherwise (kUnavailable: unreachable, timed out, 5xx). Bounded by
  // the implementation's own short timeouts; the caller bounds it as well.
  virtual awaitable<void> probe() = 0;
};

}  // namespace s3gw::storage
