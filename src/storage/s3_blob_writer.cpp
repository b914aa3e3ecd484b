#include "storage/s3_blob_writer.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "s3/uri_encode.h"
#include "storage/s3_multipart.h"
#include "storage/s3_xml.h"
#include "util/log.h"

namespace s3gw::storage {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t kResultBodyLimit = 64 * 1024;

awaitable<std::string> read_small_body(http::ClientResponse& r, std::string_view what) {
  error_code ec;
  std::string body = co_await r.read_all(kResultBodyLimit, ec);
  if (ec) {
    throw StorageError(StorageError::Kind::kUnavailable,
                       std::string(what) + ": reading the response: " + ec.message());
  }
  co_return body;
}

}  // namespace

S3BlobWriter::S3BlobWriter(std::shared_ptr<S3Client> client, asio::any_io_executor executor,
                           std::string bucket, std::string key)
    : client_(std::move(client)),
      executor_(std::move(executor)),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      part_size_(std::max<std::size_t>(client_->config().part_size, 1)) {}

S3BlobWriter::~S3BlobWriter() {
  if (state_ == State::kCommitted || state_ == State::kAborted) return;
  if (upload_id_.empty() && !commit_started_) return;  // nothing ever reached the backend
  // Abandoned mid-upload (client gone, coroutine destroyed): clean up in the background.
  asio::co_spawn(executor_, discard(client_, bucket_, key_, upload_id_, commit_started_),
                 asio::detached);
}

void S3BlobWriter::require_open() const {
  if (state_ != State::kOpen) {
    throw StorageError(StorageError::Kind::kIo, "blob writer is no longer open");
  }
}

void S3BlobWriter::append(std::span<const char> data) {
  const std::size_t need = buffer_.size() + data.size();
  if (need > buffer_.capacity()) {
    // Grow geometrically but never past one part, so memory stays bounded by the part size.
    buffer_.reserve(std::min(part_size_, std::max(need, buffer_.capacity() * 2)));
  }
  buffer_.append(data.data(), data.size());
}

awaitable<void> S3BlobWriter::write(std::span<const char> data) {
  require_open();
  while (!data.empty()) {
    const std::size_t take = std::min(data.size(), part_size_ - buffer_.size());
    append(data.first(take));
    data = data.subspan(take);
    if (buffer_.size() == part_size_) {
      state_ = State::kBusy;
      if (upload_id_.empty()) co_await start_upload();
      co_await upload_part();
      state_ = State::kOpen;
    }
  }
}

awaitable<void> S3BlobWriter::commit() {
  require_open();
  state_ = State::kBusy;
  if (upload_id_.empty()) {
    commit_started_ = true;
    co_await put_whole();
  } else {
    if (!buffer_.empty()) co_await upload_part();
    commit_started_ = true;
    co_await complete_upload();
  }
  buffer_ = std::string();
  state_ = State::kCommitted;
}

awaitable<void> S3BlobWriter::abort() {
  if (state_ == State::kCommitted || state_ == State::kAborted) co_return;
  state_ = State::kAborted;
  buffer_ = std::string();
  if (!upload_id_.empty() || commit_started_) {
    co_await discard(client_, bucket_, key_, upload_id_, commit_started_);
  }
}

awaitable<void> S3BlobWriter::start_upload() {
  upload_id_ = co_await s3_create_multipart(*client_, bucket_, key_);
}

awaitable<void> S3BlobWriter::upload_part() {
  const int number = static_cast<int>(etags_.size()) + 1;
  etags_.push_back(co_await s3_upload_part(*client_, bucket_, key_, upload_id_, number,
                                           std::span<const char>(buffer_.data(), buffer_.size())));
  buffer_.clear();  // keeps its capacity for the next part
}

awaitable<void> S3BlobWriter::put_whole() {
  S3Call call;
  call.method = bhttp::verb::put;
  call.bucket = bucket_;
  call.key = key_;
  call.body = std::span<const char>(buffer_.data(), buffer_.size());
  call.idempotent = true;  // blob keys are never reused, so a repeat writes the same bytes
  auto r = co_await client_->call(call);
  const std::string body = co_await read_small_body(*r, "PutObject");
  if (r->status() != 200) throw_s3_error(r->status(), body, "PutObject");
}

awaitable<void> S3BlobWriter::complete_upload() {
  std::vector<std::pair<int, std::string>> parts;
  parts.reserve(etags_.size());
  for (std::size_t i = 0; i < etags_.size(); ++i) {
    parts.emplace_back(static_cast<int>(i + 1), etags_[i]);
  }
  co_await s3_complete_multipart(*client_, bucket_, key_, upload_id_, parts);
}

awaitable<void> S3BlobWriter::discard(std::shared_ptr<S3Client> client, std::string bucket,
                                      std::string key, std::string upload_id, bool delete_key) {
  std::string failure;
  try {
    // 404 NoSuchUpload when it was completed or aborted already: fine.
    if (!upload_id.empty()) co_await s3_abort_multipart(*client, bucket, key, upload_id);
    if (delete_key) {
      S3Call call;
      call.method = bhttp::verb::delete_;
      call.bucket = bucket;
      call.key = key;
      auto r = co_await client->call(call);
      if (r->status() >= 300 && r->status() != 404) {
        failure = "DeleteObject: HTTP " + std::to_string(r->status());
      }
    }
  } catch (const std::exception& e) {
    failure = e.what();
  }
  // The sweep removes an upload left behind; a stray key is garbage for the cleanup agent.
  if (!failure.empty()) util::log_warn("storage", "discarding blob " + key + ": " + failure);
}

}  // namespace s3gw::storage
