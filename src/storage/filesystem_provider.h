#pragma once
// A zone on the local filesystem: <root>/<backend bucket>/<2 hex>/<blob key>. Writes go to a
// temporary file that is fsynced and renamed into place at commit, so a crash never exposes a
// partial blob. File calls run on the blocking pool, never on an I/O thread.
#include <filesystem>

#include "storage/provider.h"
#include "util/blocking_pool.h"

namespace s3gw::storage {

class FilesystemProvider final : public Provider {
 public:
  FilesystemProvider(std::string zone_id, std::filesystem::path root, util::BlockingPool& pool);

  const std::string& zone_id() const override { return zone_id_; }
  awaitable<std::unique_ptr<BlobWriter>> create_blob(std::string_view backend_bucket,
                                                     std::string_view blob_key) override;
  awaitable<std::unique_ptr<http::BodySource>> open_blob(std::string_view backend_bucket,
                                                         std::string_view blob_key,
                                                         std::uint64_t offset,
                                                         std::uint64_t length) override;
  awaitable<void> delete_blob(std::string_view backend_bucket, std::string_view blob_key) override;
  // Client multipart: each part is a blob of its own next to the upload's blob key; completion
  // copies them (copy_file_range) into a temporary file, fsyncs it and renames it into place.
  awaitable<std::string> begin_multipart(std::string_view backend_bucket,
                                         std::string_view blob_key) override;
  awaitable<std::unique_ptr<PartWriter>> create_part(std::string_view backend_bucket,
                                                     std::string_view blob_key,
                                                     std::string_view upload_id, int part_number,
                                                     std::uint64_t size) override;
  awaitable<void> complete_multipart(std::string_view backend_bucket, std::string_view blob_key,
                                     std::string_view upload_id,
                                     const std::vector<PartRef>& parts) override;
  awaitable<void> abort_multipart(std::string_view backend_bucket, std::string_view blob_key,
                                  std::string_view upload_id) override;
  awaitable<void> delete_bucket(std::string_view backend_bucket) override;
  awaitable<std::size_t> sweep_abandoned_uploads(std::chrono::seconds older_than) override;
  // The root exists and a file can be created in it (an unnamed O_TMPFILE where the filesystem
  // has it, so no name ever appears in the zone; else a named file removed at once).
  awaitable<void> probe() override;

  // Path of a blob; checks that names cannot escape the root.
  std::filesystem::path blob_path(std::string_view backend_bucket, std::string_view blob_key) const;

 private:
  std::string zone_id_;
  std::filesystem::path root_;
  util::BlockingPool& pool_;
};

}  // namespace s3gw::storage
