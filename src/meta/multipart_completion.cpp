#include "meta/multipart_completion.h"

#include "meta/operation_log.h"

namespace s3gw::meta {

awaitable<std::optional<PutOutcome>> MultipartCompletion::commit(const ObjectVersion& v,
                                                                 const OperationRecord& log) {
  auto& c = tx_.conn();
  auto out = co_await ObjectRepository::put_version(c, v);
  if (!out || out->locked) co_return out;  // the transaction rolls back with this object
  auto& garbage = out->garbage;
  auto parts = garbage_from(co_await c.query(
      "WITH gone AS (DELETE FROM multipart_parts WHERE upload_id = $1 "
      "RETURNING part_handle, part_blob) "
      "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
      "SELECT $2, $3, part_handle, 'multipart completed' FROM gone WHERE part_blob "
      "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id",
      upload_.upload_id, upload_.blob.zone_id, upload_.blob.backend_bucket));
  for (auto& g : parts) garbage.push_back(std::move(g));
  co_await c.query("DELETE FROM multipart_uploads WHERE upload_id = $1", upload_.upload_id);
  OperationRecord logged = log;
  if (out->version_id != "null") logged.version_id = out->version_id;
  co_await OperationLog::record(c, logged);
  co_await tx_.commit();
  co_return out;
}

}  // namespace s3gw::meta
