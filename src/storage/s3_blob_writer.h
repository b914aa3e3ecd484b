#pragma once
// A blob streamed to an S3 backend with at most one part in memory. A blob smaller than a
// part goes as one PUT (with Content-Length) at commit(); a larger one becomes a multipart
// upload, started when the first part is full, each full part uploaded as it fills, completed
// at commit(). Nothing is visible under the key before commit() returns; abort() and the
// destructor of an uncommitted writer abort the multipart upload (the destructor in the
// background, the sweep catching what that misses).
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "storage/provider.h"
#include "storage/s3_client.h"

namespace s3gw::storage {

class S3BlobWriter final : public BlobWriter {
 public:
  S3BlobWriter(std::shared_ptr<S3Client> client, boost::asio::any_io_executor executor,
               std::string bucket, std::string key);
  ~S3BlobWriter() override;

  awaitable<void> write(std::span<const char> data) override;
  awaitable<void> commit() override;
  awaitable<void> abort() override;

  // Best effort, never throws: aborts the upload (if any) and, when a completion may have
  // happened, deletes the key.
  static awaitable<void> discard(std::shared_ptr<S3Client> client, std::string bucket,
                                 std::string key, std::string upload_id, bool delete_key);

 private:
  // kBusy while a backend call is in flight; a call that threw leaves it there (failed).
  enum class State { kOpen, kBusy, kCommitted, kAborted };

  void require_open() const;
  void append(std::span<const char> data);
  awaitable<void> start_upload();
  awaitable<void> upload_part();
  awaitable<void> put_whole();
  awaitable<void> complete_upload();

  std::shared_ptr<S3Client> client_;
  boost::asio::any_io_executor executor_;
  std::string bucket_;
  std::string key_;
  std::size_t part_size_;
  std::string buffer_;  // the part being filled; capacity never above part_size_
  std::string upload_id_;
  std::vector<std::string> etags_;
  State state_ = State::kOpen;
  bool commit_started_ = false;  // the key may exist (a completion with an unknown outcome)
};

}  // namespace s3gw::storage
