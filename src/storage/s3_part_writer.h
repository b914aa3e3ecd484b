#pragma once
// One part of a client multipart upload on an S3 backend: client part n becomes backend part n
// of the backend upload, so S3's rules (5 MiB for every part but the last, 10,000 parts) hold
// for both alike.
//
// Memory is bounded by the provider's part_size (8 MiB by default), the same bound as every
// other write to an S3 zone: the HTTP client sends request bodies from memory, so a part up to
// part_size is held and sent as one UploadPart at commit(); a larger part is streamed on into a
// staging blob (S3BlobWriter: a multipart upload of its own, one part_size buffer) and becomes
// backend part n through UploadPartCopy, after which the staging blob is deleted.
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "storage/provider.h"
#include "storage/s3_client.h"

namespace s3gw::storage {

class S3PartWriter final : public PartWriter {
 public:
  S3PartWriter(std::shared_ptr<S3Client> client, boost::asio::any_io_executor executor,
               std::string bucket, std::string key, std::string upload_id, int number,
               std::uint64_t size_hint);
  ~S3PartWriter() override;

  awaitable<void> write(std::span<const char> data) override;
  awaitable<void> commit() override;
  awaitable<void> abort() override;
  // The backend part's ETag, for CompleteMultipartUpload.
  const StoredPart& stored() const override { return stored_; }

 private:
  awaitable<void> start_staging();

  std::shared_ptr<S3Client> client_;
  boost::asio::any_io_executor executor_;
  std::string bucket_;
  std::string key_;
  std::string upload_id_;
  int number_;
  std::uint64_t size_hint_;
  std::size_t limit_;  // bytes held in memory at most
  std::string buffer_;
  std::unique_ptr<BlobWriter> staging_;
  std::string staging_key_;
  bool staging_committed_ = false;  // the staging blob exists and must be deleted
  bool done_ = false;               // committed or aborted
  StoredPart stored_;
};

}  // namespace s3gw::storage
