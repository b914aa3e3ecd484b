#include "storage/s3_part_writer.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "storage/s3_blob_writer.h"
#include "storage/s3_multipart.h"
#include "util/log.h"
#include "util/random.h"

namespace s3gw::storage {

namespace asio = boost::asio;

S3PartWriter::S3PartWriter(std::shared_ptr<S3Client> client, asio::any_io_executor executor,
                           std::string bucket, std::string key, std::string upload_id, int number,
                           std::uint64_t size_hint)
    : client_(std::move(client)),
      executor_(std::move(executor)),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      upload_id_(std::move(upload_id)),
      number_(number),
      size_hint_(size_hint),
      limit_(std::max<std::size_t>(client_->config().part_size, 1)) {
  if (size_hint <= limit_) buffer_.reserve(static_cast<std::size_t>(size_hint));
}

S3PartWriter::~S3PartWriter() {
  // An uncommitted staging writer cleans up after itself; a committed staging blob whose copy
  // did not happen is deleted here, in the background.
  if (staging_committed_) {
    asio::co_spawn(executor_,
                   S3BlobWriter::discard(client_, bucket_, staging_key_, std::string(), true),
                   asio::detached);
  }
}

awaitable<void> S3PartWriter::start_staging() {
  staging_key_ = util::random_hex(16);
  staging_ = std::make_unique<S3BlobWriter>(client_, executor_, bucket_, staging_key_);
  std::string held = std::move(buffer_);
  buffer_ = std::string();
  co_await staging_->write(held);
}

awaitable<void> S3PartWriter::write(std::span<const char> data) {
  if (done_) throw StorageError(StorageError::Kind::kIo, "part writer is no longer open");
  // A part announced larger than the limit is staged from its first byte.
  if (!staging_ && (size_hint_ > limit_ || buffer_.size() + data.size() > limit_)) {
    co_await start_staging();
  }
  if (staging_) {
    co_await staging_->write(data);
  } else {
    buffer_.append(data.data(), data.size());
  }
}

awaitable<void> S3PartWriter::commit() {
  if (done_) throw StorageError(StorageError::Kind::kIo, "part writer is no longer open");
  done_ = true;
  if (!staging_) {
    stored_.handle = co_await s3_upload_part(*client_, bucket_, key_, upload_id_, number_,
                                             std::span<const char>(buffer_.data(), buffer_.size()));
    buffer_ = std::string();
    co_return;
  }
  co_await staging_->commit();
  staging_committed_ = true;
  stored_.handle =
      co_await s3_upload_part_copy(*client_, bucket_, key_, upload_id_, number_, staging_key_);
  staging_committed_ = false;
  co_await S3BlobWriter::discard(client_, bucket_, staging_key_, std::string(), true);
}

awaitable<void> S3PartWriter::abort() {
  if (done_) co_return;
  done_ = true;
  buffer_ = std::string();
  if (staging_) co_await staging_->abort();
}

}  // namespace s3gw::storage
