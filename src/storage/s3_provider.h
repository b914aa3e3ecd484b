#pragma once
// A zone on an S3-compatible provider (AWS, UpCloud, Hetzner, ... and moto_server in tests):
// blobs are objects in the zone's backend buckets, written through S3BlobWriter (one PUT, or
// multipart past one part) and read through ranged GETs that stream. A provider that cannot be
// reached, times out or keeps answering 5xx gives StorageError(kUnavailable).
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <mutex>
#include <set>

#include "storage/provider.h"
#include "storage/s3_client.h"
#include "storage/s3_provider_config.h"

namespace s3gw::storage {

struct BlobInfo {
  std::uint64_t size = 0;
  std::string etag;  // as the backend gives it, quotes included
};

class S3Provider final : public Provider {
 public:
  // Throws std::invalid_argument for an unusable endpoint.
  explicit S3Provider(S3ProviderConfig config);

  const std::string& zone_id() const override { return client_->config().zone_id; }
  awaitable<std::unique_ptr<BlobWriter>> create_blob(std::string_view backend_bucket,
                                                     std::string_view blob_key) override;
  awaitable<std::unique_ptr<http::BodySource>> open_blob(std::string_view backend_bucket,
                                                         std::string_view blob_key,
                                                         std::uint64_t offset,
                                                         std::uint64_t length) override;
  awaitable<void> delete_blob(std::string_view backend_bucket, std::string_view blob_key) override;
  // Client multipart: a backend multipart upload on the blob key, client part n as backend part
  // n (S3PartWriter), completed with the backend ETags of the chosen parts.
  awaitable<std::string> begin_multipart(std::string_view backend_bucket,
                                         std::string_view blob_key) override;
  awaitable<std::unique_ptr<PartWriter>> create_part(std::string_view backend_bucket,
                                                     std::string_view blob_key,
                                                     std::string_view upload_id, int part_number,
                                                     std::uint64_t size) override;
  // A completion whose reply was lost leaves the backend upload gone (NoSuchUpload) and the
  // blob in place: a blob of the expected size counts as completed.
  awaitable<void> complete_multipart(std::string_view backend_bucket, std::string_view blob_key,
                                     std::string_view upload_id,
                                     const std::vector<PartRef>& parts) override;
  awaitable<void> abort_multipart(std::string_view backend_bucket, std::string_view blob_key,
                                  std::string_view upload_id) override;
  // A bucket that still holds objects (BucketNotEmpty) is left as it is, without an error.
  awaitable<void> delete_bucket(std::string_view backend_bucket) override;
  // Aborts multipart uploads initiated before now - older_than in the buckets this process
  // ensured (see ensure_bucket); buckets of earlier runs need sweep_bucket(). Uploads of client
  // multipart blob keys (is_multipart_blob_key) are left alone, however old.
  awaitable<std::size_t> sweep_abandoned_uploads(std::chrono::seconds older_than) override;
  // ListBuckets (GET /, max-buckets=1) on a client of its own: one attempt, short timeouts.
  // 2xx, and 403 AccessDenied (a key scoped to its buckets may not list), prove the endpoint
  // up; 5xx, timeouts and refused connections are kUnavailable; other 4xx (an unknown key, a
  // bad signature: every data call would fail too) are kIo.
  awaitable<void> probe() override;

  // Creates the backend bucket if missing (with the provider's region as LocationConstraint).
  awaitable<BucketCreation> ensure_bucket(std::string_view backend_bucket) override;
  // Size and ETag; StorageError(kNotFound) when absent.
  awaitable<BlobInfo> head_blob(std::string_view backend_bucket, std::string_view blob_key);
  awaitable<std::size_t> sweep_bucket(std::string_view backend_bucket,
                                      std::chrono::seconds older_than);

  S3Client& client() { return *client_; }

 private:
  std::shared_ptr<S3Client> client_;  // shared with writers, which may outlive a call
  // Probes must fail fast and must not wait behind data transfers for a pooled connection.
  std::shared_ptr<S3Client> probe_client_;
  std::mutex mutex_;
  std::set<std::string> buckets_;  // ensured by this process: the sweep's scope
};

}  // namespace s3gw::storage
