#include "meta/multipart_repository.h"

#include "meta/multipart_completion.h"
#include "meta/operation_log.h"

namespace s3gw::meta {

namespace {

constexpr std::string_view kUploadColumns =
    "u.upload_id, u.bucket_id, u.key, (extract(epoch from u.initiated) * 1000)::bigint, "
    "u.owner_user_id, u.content_type, u.cache_control, u.content_disposition, "
    "u.content_encoding, u.content_language, u.expires, u.user_metadata::text, "
    "u.checksum_algorithm, u.checksum_type, u.zone_id, u.backend_bucket, u.blob_key, "
    "u.backend_upload_id, u.retention_mode, (extract(epoch from u.retain_until) * 1000)::bigint, "
    "u.legal_hold, u.tags::text";

constexpr std::string_view kPartColumns =
    "p.part_number, p.size, p.etag, p.checksum_value, p.client_checksum_algorithm, "
    "p.client_checksum_value, p.part_handle, p.part_blob, "
    "(extract(epoch from p.uploaded_at) * 1000)::bigint";

std::string upload_sql(std::string_view tail) {
  std::string s = "SELECT ";
  s += kUploadColumns;
  s += " FROM multipart_uploads u ";
  s += tail;
  return s;
}

MultipartUpload upload_from_row(const PgResult& r, int i) {
  MultipartUpload u;
  u.upload_id = std::string(r.get(i, 0));
  u.bucket_id = r.get_int(i, 1);
  u.key = std::string(r.get(i, 2));
  u.initiated = util::from_unix_ms(r.get_int(i, 3));
  u.owner_user_id = r.get_opt(i, 4);
  u.content_type = r.get_opt(i, 5);
  u.cache_control = r.get_opt(i, 6);
  u.content_disposition = r.get_opt(i, 7);
  u.content_encoding = r.get_opt(i, 8);
  u.content_language = r.get_opt(i, 9);
  u.expires = r.get_opt(i, 10);
  u.user_metadata = parse_user_metadata(r.get(i, 11));
  u.checksum_algorithm = r.get_opt(i, 12);
  u.checksum_type = r.get_opt(i, 13);
  u.blob.zone_id = std::string(r.get(i, 14));
  u.blob.backend_bucket = std::string(r.get(i, 15));
  u.blob.blob_key = std::string(r.get(i, 16));
  u.backend_upload_id = std::string(r.get(i, 17));
  u.retention_mode = r.get_opt(i, 18);
  if (!r.is_null(i, 19)) u.retain_until = util::from_unix_ms(r.get_int(i, 19));
  u.legal_hold = r.get_bool(i, 20);
  if (!r.is_null(i, 21)) u.tags = parse_user_metadata(r.get(i, 21));
  return u;
}

MultipartPart part_from_row(const PgResult& r, int i) {
  MultipartPart p;
  p.number = static_cast<int>(r.get_int(i, 0));
  p.size = r.get_int(i, 1);
  p.etag = std::string(r.get(i, 2));
  p.checksum_value = r.get_opt(i, 3);
  p.client_checksum_algorithm = r.get_opt(i, 4);
  p.client_checksum_value = r.get_opt(i, 5);
  p.part_handle = std::string(r.get(i, 6));
  p.part_blob = r.get_bool(i, 7);
  p.uploaded_at = util::from_unix_ms(r.get_int(i, 8));
  return p;
}

// The separate part blobs of one upload become garbage as its part rows go.
constexpr std::string_view kDropPartsToGarbage =
    "WITH gone AS (DELETE FROM multipart_parts WHERE upload_id = $1 "
    "RETURNING part_handle, part_blob) "
    "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
    "SELECT $2, $3, part_handle, $4 FROM gone WHERE part_blob "
    "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id";

void append(std::vector<GarbageBlob>& to, std::vector<GarbageBlob> more) {
  for (auto& g : more) to.push_back(std::move(g));
}

}  // namespace

awaitable<bool> MultipartRepository::create(const MultipartUpload& u, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  auto bucket = co_await c.query("SELECT 1 FROM buckets WHERE id = $1 FOR KEY SHARE", u.bucket_id);
  if (bucket.empty()) co_return false;
  std::optional<std::int64_t> retain_until;
  if (u.retain_until) retain_until = util::to_unix_ms(*u.retain_until);
  std::optional<std::string> tags;
  if (!u.tags.empty()) tags = user_metadata_json(u.tags);
  co_await c.query(
      "INSERT INTO multipart_uploads (upload_id, bucket_id, key, owner_user_id, content_type, "
      "cache_control, content_disposition, content_encoding, content_language, expires, "
      "user_metadata, checksum_algorithm, checksum_type, zone_id, backend_bucket, blob_key, "
      "backend_upload_id, initiated, retention_mode, retain_until, legal_hold, tags) VALUES ($1, "
      "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15, $16, $17, "
      "to_timestamp($18::bigint / 1000.0), $19, to_timestamp($20::bigint / 1000.0), $21, "
      "$22::jsonb)",
      u.upload_id, u.bucket_id, u.key, u.owner_user_id, u.content_type, u.cache_control,
      u.content_disposition, u.content_encoding, u.content_language, u.expires,
      user_metadata_json(u.user_metadata), u.checksum_algorithm, u.checksum_type, u.blob.zone_id,
      u.blob.backend_bucket, u.blob.blob_key, u.backend_upload_id, util::to_unix_ms(u.initiated),
      u.retention_mode, retain_until, u.legal_hold, tags);
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return true;
}

awaitable<std::optional<MultipartUpload>> MultipartRepository::find(std::int64_t bucket_id,
                                                                    std::string_view key,
                                                                    std::string_view upload_id) {
  static const std::string sql =
      upload_sql("WHERE u.upload_id = $1 AND u.bucket_id = $2 AND u.key = $3");
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, upload_id, bucket_id, key);
  if (res.empty()) co_return std::nullopt;
  co_return upload_from_row(res, 0);
}

awaitable<std::optional<std::vector<GarbageBlob>>> MultipartRepository::put_part(
    const MultipartUpload& u, const MultipartPart& p, const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  // Key share: a completion or abort (FOR UPDATE) waits for us, and we for it.
  auto up = co_await c.query("SELECT 1 FROM multipart_uploads WHERE upload_id = $1 FOR KEY SHARE",
                             u.upload_id);
  if (up.empty()) co_return std::nullopt;
  // Two uploads of the same part number take turns; the later one wins.
  co_await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2::text, 0))",
                   u.upload_id, p.number);
  auto garbage = garbage_from(co_await c.query(
      "WITH gone AS (DELETE FROM multipart_parts WHERE upload_id = $1 AND part_number = $2 "
      "RETURNING part_handle, part_blob) "
      "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
      "SELECT $3, $4, part_handle, 'part replaced' FROM gone WHERE part_blob "
      "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id",
      u.upload_id, p.number, u.blob.zone_id, u.blob.backend_bucket));
  co_await c.query(
      "INSERT INTO multipart_parts (upload_id, part_number, size, etag, checksum_value, "
      "client_checksum_algorithm, client_checksum_value, part_handle, part_blob) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      u.upload_id, p.number, p.size, p.etag, p.checksum_value, p.client_checksum_algorithm,
      p.client_checksum_value, p.part_handle, p.part_blob);
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return garbage;
}

awaitable<PartPage> MultipartRepository::list_parts(std::string_view upload_id, int after,
                                                    int limit) {
  static const std::string sql = "SELECT " + std::string(kPartColumns) +
                                 " FROM multipart_parts p WHERE p.upload_id = $1 AND "
                                 "p.part_number > $2 ORDER BY p.part_number LIMIT $3";
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, upload_id, after, limit + 1);
  PartPage page;
  const int n = std::min(res.rows(), limit);
  for (int i = 0; i < n; ++i) page.parts.push_back(part_from_row(res, i));
  page.more = res.rows() > limit;
  co_return page;
}

awaitable<UploadPage> MultipartRepository::list_uploads(std::int64_t bucket_id,
                                                        std::string_view start_key,
                                                        std::string_view start_upload_id,
                                                        bool key_inclusive,
                                                        std::optional<std::string> end, int limit) {
  static const std::string sql = upload_sql(
      "WHERE u.bucket_id = $1 AND (u.key > $2 OR ($3 AND u.key = $2 AND u.upload_id > $4)) "
      "AND ($5::text IS NULL OR u.key < $5) ORDER BY u.key, u.upload_id LIMIT $6");
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(sql, bucket_id, start_key, key_inclusive, start_upload_id, end,
                                   limit + 1);
  UploadPage page;
  const int n = std::min(res.rows(), limit);
  for (int i = 0; i < n; ++i) page.uploads.push_back(upload_from_row(res, i));
  page.more = res.rows() > limit;
  co_return page;
}

awaitable<std::unique_ptr<MultipartCompletion>> MultipartRepository::begin_completion(
    std::int64_t bucket_id, std::string_view key, std::string_view upload_id) {
  static const std::string upload_for_update =
      upload_sql("WHERE u.upload_id = $1 AND u.bucket_id = $2 AND u.key = $3 FOR UPDATE");
  static const std::string parts_sql = "SELECT " + std::string(kPartColumns) +
                                       " FROM multipart_parts p WHERE p.upload_id = $1 "
                                       "ORDER BY p.part_number";
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  // The bucket first (the lock order DeleteBucket follows too), then the upload.
  auto bucket = co_await c.query("SELECT 1 FROM buckets WHERE id = $1 FOR KEY SHARE", bucket_id);
  if (bucket.empty()) co_return nullptr;
  auto up = co_await c.query(upload_for_update, upload_id, bucket_id, key);
  if (up.empty()) co_return nullptr;
  MultipartUpload upload = upload_from_row(up, 0);
  auto rows = co_await c.query(parts_sql, upload_id);
  std::vector<MultipartPart> parts;
  parts.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) parts.push_back(part_from_row(rows, i));
  co_return std::make_unique<MultipartCompletion>(std::move(lease), tx, std::move(upload),
                                                  std::move(parts));
}

awaitable<std::optional<std::vector<GarbageBlob>>> MultipartRepository::abort(
    std::int64_t bucket_id, std::string_view key, std::string_view upload_id,
    const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  auto up = co_await c.query(
      "SELECT zone_id, backend_bucket, blob_key, backend_upload_id FROM multipart_uploads "
      "WHERE upload_id = $1 AND bucket_id = $2 AND key = $3 FOR UPDATE",
      upload_id, bucket_id, key);
  if (up.empty()) co_return std::nullopt;
  const std::string zone(up.get(0, 0));
  const std::string backend_bucket(up.get(0, 1));
  const std::string blob_key(up.get(0, 2));
  const std::string backend_upload(up.get(0, 3));
  auto garbage = garbage_from(
      co_await c.query(kDropPartsToGarbage, upload_id, zone, backend_bucket, "multipart aborted"));
  co_await c.query("DELETE FROM multipart_uploads WHERE upload_id = $1", upload_id);
  // The upload's own key: the backend's upload to abort (S3 zones), and a blob that a
  // completion assembled but did not commit, if any.
  append(garbage, garbage_from(co_await c.query(
                      "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason, "
                      "backend_upload_id) VALUES ($1, $2, $3, 'multipart aborted', "
                      "NULLIF($4, '')) "
                      "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id",
                      zone, backend_bucket, blob_key, backend_upload)));
  co_await OperationLog::record(c, log);
  co_await tx.commit();
  co_return garbage;
}

awaitable<std::vector<GarbageBlob>> MultipartRepository::drop_bucket_uploads(
    PgConnection& c, std::int64_t bucket_id) {
  // Locked first: a part being recorded meanwhile waits, then finds its upload gone (a part
  // row cascading away with its upload would leave its blob unrecorded).
  co_await c.query("SELECT 1 FROM multipart_uploads WHERE bucket_id = $1 FOR UPDATE", bucket_id);
  auto garbage = garbage_from(co_await c.query(
      "WITH gone AS (DELETE FROM multipart_parts p USING multipart_uploads u "
      "WHERE p.upload_id = u.upload_id AND u.bucket_id = $1 "
      "RETURNING u.zone_id, u.backend_bucket, p.part_handle, p.part_blob) "
      "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason) "
      "SELECT zone_id, backend_bucket, part_handle, 'bucket deleted' FROM gone WHERE part_blob "
      "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id",
      bucket_id));
  append(garbage,
         garbage_from(co_await c.query(
             "WITH gone AS (DELETE FROM multipart_uploads WHERE bucket_id = $1 "
             "RETURNING zone_id, backend_bucket, blob_key, backend_upload_id) "
             "INSERT INTO garbage_blobs (zone_id, backend_bucket, blob_key, reason, "
             "backend_upload_id) SELECT zone_id, backend_bucket, blob_key, 'bucket deleted', "
             "NULLIF(backend_upload_id, '') FROM gone "
             "RETURNING id, zone_id, backend_bucket, blob_key, backend_upload_id",
             bucket_id)));
  co_return garbage;
}

}  // namespace s3gw::meta
