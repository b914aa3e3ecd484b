// Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
// AbortMultipartUpload. The upload picks its zone once, as PutObject does; every part streams
// to that zone's provider (storage::Provider::create_part: part files on filesystem zones,
// backend parts on S3 zones) and is recorded when stored; the completion assembles the chosen
// parts into the upload's blob and makes the object visible in one transaction.
#include <boost/beast/http/field.hpp>

#include "meta/multipart_completion.h"
#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/lock_rules.h"
#include "ops/multipart_rules.h"
#include "ops/new_version_lock.h"
#include "ops/object_headers.h"
#include "ops/object_tags.h"
#include "ops/reply.h"
#include "ops/request_body.h"
#include "ops/upload_body.h"
#include "ops/zone_choice.h"
#include "s3/uri_encode.h"
#include "s3/xml_reader.h"
#include "s3/xml_writer.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/random.h"
#include "util/strings.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;
namespace bhttp = boost::beast::http;

namespace {

// 10,000 parts with their checksums fit with room to spare.
constexpr std::size_t kMaxCompleteBody = 4 * 1024 * 1024;
constexpr std::size_t kUploadIdLength = 44;

// Upload ids: the initiation time (milliseconds, 12 hex digits, so ids sort like initiation
// times) and 128 random bits (unguessable). The upload's blob key is derived from it, so a
// repeated completion can recognise the object it made.
std::string make_upload_id() {
  char time_hex[13];
  std::snprintf(time_hex, sizeof(time_hex), "%012llx",
                static_cast<unsigned long long>(util::to_unix_ms(util::Clock::now())));
  return std::string(time_hex) + util::random_hex(16);
}

bool valid_upload_id(std::string_view id) {
  if (id.size() != kUploadIdLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The random bits first: filesystem zones shard blobs by the key's first two characters.
std::string blob_key_of(std::string_view upload_id) {
  return std::string(upload_id.substr(12)) + std::string(upload_id.substr(0, 12)) +
         std::string(storage::kMultipartBlobSuffix);
}

S3Error no_such_upload(const S3Request& req) {
  S3Error e(ErrorCode::kNoSuchUpload);
  e.extra_xml =
      "<UploadId>" + s3::xml_escape(req.query.get("uploadId").value_or("")) + "</UploadId>";
  return e;
}

// The request's upload id when it can name an upload at all.
std::optional<std::string> upload_id_of(const S3Request& req) {
  auto id = req.query.get("uploadId");
  if (!id || !valid_upload_id(*id)) return std::nullopt;
  return std::string(*id);
}

UploadChecksum upload_checksum_of(const meta::MultipartUpload& u) {
  UploadChecksum c;
  if (u.checksum_algorithm) c.algorithm = util::parse_checksum_algorithm(*u.checksum_algorithm);
  c.composite = u.checksum_type == "COMPOSITE";
  return c;
}

// A storage failure that means "this part is not what the completion names" (a part file
// gone, the backend refusing a part).
bool is_invalid_part(const storage::StorageError& e) {
  return e.kind() == storage::StorageError::Kind::kNotFound ||
         std::string_view(e.what()).find(" InvalidPart") != std::string_view::npos;
}

}  // namespace

awaitable<Reply> create_multipart_upload(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));

  meta::ObjectVersion headers;
  if (auto err = read_object_headers(req.http, headers)) co_return failure(req, *err);
  // Object lock asked for now; the bucket's default retention is applied at completion.
  headers.key = req.key;
  if (auto err = co_await lock_new_version(ctx, req, *bucket, headers, false)) {
    co_return failure(req, *err);
  }
  auto planned = plan_upload_checksum(req.header("x-amz-checksum-algorithm"),
                                      req.header("x-amz-checksum-type"));
  if (auto* e = std::get_if<S3Error>(&planned)) co_return failure(req, *e);
  const UploadChecksum checksum = std::get<UploadChecksum>(planned);

  // Where: decided once for the whole upload, as PutObject decides.
  auto extra = co_await extra_countries(ctx, req.customer_id);
  // x-amz-tagging: checked now, applied at completion.
  if (auto err = apply_tagging_header(ctx, req, *bucket, extra, headers)) {
    co_return failure(req, *err);
  }
  auto chosen = primary_zone(ctx, *bucket, std::move(extra));
  if (auto* err = std::get_if<S3Error>(&chosen)) co_return failure(req, *err);
  auto& choice = std::get<ZoneChoice>(chosen);
  storage::Provider& zone = choice.zone.provider;

  meta::MultipartUpload u;
  u.upload_id = make_upload_id();
  u.bucket_id = bucket->id;
  u.key = req.key;
  u.initiated = util::from_unix_ms(util::to_unix_ms(util::Clock::now()));
  u.owner_user_id = req.user_id;
  u.content_type = headers.content_type;
  u.cache_control = headers.cache_control;
  u.content_disposition = headers.content_disposition;
  u.content_encoding = headers.content_encoding;
  u.content_language = headers.content_language;
  u.expires = headers.expires;
  u.user_metadata = std::move(headers.user_metadata);
  u.tags = std::move(headers.tags);
  if (checksum.algorithm) {
    u.checksum_algorithm = std::string(util::checksum_name(*checksum.algorithm));
    u.checksum_type = checksum.composite ? "COMPOSITE" : "FULL_OBJECT";
  }
  u.blob.zone_id = zone.zone_id();
  u.blob.backend_bucket = co_await ctx.backend_buckets.resolve(choice.zone, *bucket);
  u.blob.blob_key = blob_key_of(u.upload_id);
  u.backend_upload_id = co_await zone.begin_multipart(u.blob.backend_bucket, u.blob.blob_key);
  u.retention_mode = headers.retention_mode;
  u.retain_until = headers.retain_until;
  u.legal_hold = headers.legal_hold;

  bool created = false;
  std::exception_ptr failed;
  try {
    created = co_await ctx.multipart->create(u, req.log_record(200));
  } catch (...) {
    failed = std::current_exception();
  }
  if (!created) {
    // Nothing refers to the backend's upload: drop it (best effort; a failure leaves it to the
    // stale-upload cleanup).
    try {
      co_await zone.abort_multipart(u.blob.backend_bucket, u.blob.blob_key, u.backend_upload_id);
    } catch (const std::exception& e) {
      util::log_warn("multipart", std::string("backend upload left: ") + e.what());
    }
    if (failed) std::rethrow_exception(failed);
    co_return failure(req, no_such_bucket(req));
  }
  record_placement(ctx, req, choice.decision);

  s3::XmlWriter w;
  w.open("InitiateMultipartUploadResult", s3::kS3Namespace);
  w.element("Bucket", req.bucket);
  w.element("Key", req.key);
  w.element("UploadId", u.upload_id);
  w.close("InitiateMultipartUploadResult");
  Reply r = xml_reply(200, w.take());
  if (u.checksum_algorithm) {
    r.headers.set("x-amz-checksum-algorithm", *u.checksum_algorithm);
    r.headers.set("x-amz-checksum-type", *u.checksum_type);
  }
  co_return r;
}

awaitable<Reply> upload_part(OpContext& ctx, S3Request& req) {
  const auto number = parse_part_number(req.query.get("partNumber").value_or(""));
  if (!number) {
    co_return failure(req, S3Error(ErrorCode::kInvalidArgument,
                                   "Part number must be an integer between 1 and 10000, "
                                   "inclusive"));
  }
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  const auto upload_id = upload_id_of(req);
  if (!upload_id) co_return failure(req, no_such_upload(req));
  auto upload = co_await ctx.multipart->find(bucket->id, req.key, *upload_id);
  if (!upload) co_return failure(req, no_such_upload(req));

  auto planned = plan_upload_body(req, kMaxPartSize);
  if (auto* e = std::get_if<S3Error>(&planned)) co_return failure(req, *e);
  UploadBody body = std::get<UploadBody>(planned);
  if (!body.length) co_return failure(req, S3Error(ErrorCode::kMissingContentLength));
  // The part's checksum: the upload's algorithm when it has one (computed even if the client
  // sent none, and echoed for the completion); otherwise whatever the client sent, with the
  // default CRC64NVME kept beside it for the object's checksum.
  const UploadChecksum checksum = upload_checksum_of(*upload);
  std::optional<util::ChecksumAlgorithm> extra;
  if (checksum.algorithm) {
    if (body.checksum.client_requested && body.checksum.algorithm != *checksum.algorithm) {
      co_return failure(
          req, S3Error(ErrorCode::kInvalidRequest,
                       "Checksum Type mismatch occurred, expected checksum Type: " +
                           util::ascii_lower(util::checksum_name(*checksum.algorithm)) +
                           ", actual checksum Type: " +
                           util::ascii_lower(util::checksum_name(body.checksum.algorithm))));
    }
    body.checksum.algorithm = *checksum.algorithm;
    body.checksum.client_requested = true;
  } else if (body.checksum.algorithm != util::ChecksumAlgorithm::kCRC64NVME) {
    extra = util::ChecksumAlgorithm::kCRC64NVME;
  }

  auto zone = ctx.zones().find(upload->blob.zone_id);
  if (!zone) {
    util::log_error("multipart",
                    "upload lives in zone " + upload->blob.zone_id + ", not served here");
    co_return failure(req, S3Error(ErrorCode::kServiceUnavailable));
  }
  auto writer =
      co_await zone->provider.create_part(upload->blob.backend_bucket, upload->blob.blob_key,
                                          upload->backend_upload_id, *number, *body.length);
  auto received = co_await receive_body(ctx, req, body, *writer, kMaxPartSize, extra);
  if (received.error) {
    auto r = failure(req, *received.error);
    r.close = r.close || received.close;
    co_return r;
  }
  bool gone = false;
  try {
    co_await writer->commit();
  } catch (const storage::StorageError& e) {
    // The backend's upload is gone: aborted (or completed) meanwhile.
    if (e.kind() != storage::StorageError::Kind::kNotFound) throw;
    gone = true;
  }
  if (gone) co_return failure(req, no_such_upload(req));

  meta::MultipartPart part;
  part.number = *number;
  part.size = static_cast<std::int64_t>(received.bytes);
  part.etag = "\"" + util::hex_encode(received.md5) + "\"";
  if (extra) {
    part.checksum_value = received.extra_checksum;
    if (body.checksum.client_requested) {
      part.client_checksum_algorithm = std::string(util::checksum_name(body.checksum.algorithm));
      part.client_checksum_value = received.checksum;
    }
  } else {
    part.checksum_value = received.checksum;
  }
  const storage::StoredPart& stored = writer->stored();
  part.part_handle = stored.handle;
  part.part_blob = stored.separate_blob;

  auto log = req.log_record(200);
  log.bytes = part.size;
  auto replaced = co_await ctx.multipart->put_part(*upload, part, log);
  if (!replaced) {
    // Aborted or completed while the part was on its way: it belongs to nothing.
    if (stored.separate_blob) {
      co_await zone->provider.delete_blob(upload->blob.backend_bucket, stored.handle);
    }
    co_return failure(req, no_such_upload(req));
  }
  co_await remove_garbage(ctx, std::move(*replaced));

  Reply r;
  r.headers.set(bhttp::field::etag, part.etag);
  if (body.checksum.client_requested) {
    r.headers.set(util::checksum_header(body.checksum.algorithm), received.checksum);
  }
  co_return r;
}

namespace {

Reply completion_reply(const S3Request& req, const meta::ObjectVersion& v, bool with_checksum) {
  std::string location = "/" + req.bucket + "/" + s3::uri_encode(req.key, false);
  if (auto host = req.header("host")) location = "http://" + std::string(*host) + location;
  s3::XmlWriter w;
  w.open("CompleteMultipartUploadResult", s3::kS3Namespace);
  w.element("Location", location);
  w.element("Bucket", req.bucket);
  w.element("Key", req.key);
  w.element("ETag", v.etag);
  if (with_checksum && v.checksum_algorithm && v.checksum_value) {
    w.element("Checksum" + *v.checksum_algorithm, *v.checksum_value);
    w.element("ChecksumType", v.checksum_type.value_or("FULL_OBJECT"));
  }
  w.close("CompleteMultipartUploadResult");
  return xml_reply(200, w.take());
}

// The whole-object checksum the client may send with the completion (x-amz-checksum-*), checked
// against what the parts give.
std::optional<S3Error> check_object_checksum(const S3Request& req, const meta::ObjectVersion& v) {
  for (auto alg : {util::ChecksumAlgorithm::kCRC32, util::ChecksumAlgorithm::kCRC32C,
                   util::ChecksumAlgorithm::kCRC64NVME, util::ChecksumAlgorithm::kSHA1,
                   util::ChecksumAlgorithm::kSHA256}) {
    auto sent = req.header(util::checksum_header(alg));
    if (!sent) continue;
    if (!v.checksum_algorithm || *v.checksum_algorithm != util::checksum_name(alg)) {
      return S3Error(ErrorCode::kInvalidRequest, "The upload was not created with the " +
                                                     util::ascii_lower(util::checksum_name(alg)) +
                                                     " checksum algorithm.");
    }
    const std::string mine = v.checksum_value.value_or("");
    if (*sent != mine && mine.substr(0, mine.rfind('-')) != *sent) {
      return S3Error(ErrorCode::kBadDigest, "The " + std::string(util::checksum_name(alg)) +
                                                " you specified did not match the calculated "
                                                "checksum.");
    }
  }
  if (auto type = req.header("x-amz-checksum-type");
      type && !util::iequals_ascii(*type, v.checksum_type.value_or(""))) {
    return S3Error(ErrorCode::kInvalidRequest,
                   "The x-amz-checksum-type header does not match the upload's checksum type.");
  }
  if (auto size = req.header("x-amz-mp-object-size"); size && *size != std::to_string(v.size)) {
    return S3Error(ErrorCode::kInvalidRequest,
                   "The x-amz-mp-object-size header does not match the size of the parts.");
  }
  return std::nullopt;
}

}  // namespace

awaitable<Reply> complete_multipart_upload(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  auto body = co_await read_small_body(req, kMaxCompleteBody);
  if (auto* err = std::get_if<S3Error>(&body)) co_return failure(req, *err);
  const auto upload_id = upload_id_of(req);
  if (!upload_id) co_return error_reply(req, no_such_upload(req));
  auto parsed = s3::parse_complete_multipart_upload(std::get<std::string>(body));
  if (auto* err = std::get_if<S3Error>(&parsed)) co_return error_reply(req, *err);
  const auto& request = std::get<s3::CompleteMultipartUpload>(parsed);

  // The upload stays locked from here to the commit: a second completion, an abort and parts
  // still arriving wait, then find it gone.
  auto completion = co_await ctx.multipart->begin_completion(bucket->id, req.key, *upload_id);
  if (!completion) {
    // Completed already (a retry whose first reply was lost): the same answer, as S3 gives.
    auto found = co_await ctx.objects.find_latest(req.customer_id, req.bucket, req.key);
    if (found.latest && found.latest->blob.blob_key == blob_key_of(*upload_id)) {
      co_return completion_reply(req, *found.latest, true);
    }
    co_return error_reply(req, no_such_upload(req));
  }
  const meta::MultipartUpload& upload = completion->upload();
  const UploadChecksum checksum = upload_checksum_of(upload);
  auto selected = select_parts(request, completion->parts(), checksum);
  if (auto* err = std::get_if<S3Error>(&selected)) co_return error_reply(req, *err);
  const auto& parts = std::get<std::vector<const meta::MultipartPart*>>(selected);

  meta::ObjectVersion v;
  v.bucket_id = upload.bucket_id;
  v.key = upload.key;
  v.version_id = "null";
  v.content_type = upload.content_type;
  v.cache_control = upload.cache_control;
  v.content_disposition = upload.content_disposition;
  v.content_encoding = upload.content_encoding;
  v.content_language = upload.content_language;
  v.expires = upload.expires;
  v.user_metadata = upload.user_metadata;
  v.tags = upload.tags;
  v.replica_count = s3::replica_count_tag(to_tag_set(upload.tags)).count;
  v.blob = upload.blob;
  std::vector<std::string> etags;
  std::vector<PartChecksum> sums;
  std::vector<storage::PartRef> refs;
  bool all_summed = true;
  for (const auto* p : parts) {
    v.size += p->size;
    etags.push_back(p->etag);
    if (p->checksum_value) {
      sums.push_back({*p->checksum_value, static_cast<std::uint64_t>(p->size)});
    } else {
      all_summed = false;
    }
    refs.push_back(
        {p->number, {p->part_handle, p->part_blob}, static_cast<std::uint64_t>(p->size)});
  }
  auto etag = multipart_etag(etags);
  if (!etag) throw std::runtime_error("a stored part ETag is not an MD5");
  v.etag = *etag;
  const util::ChecksumAlgorithm alg = part_algorithm(checksum);
  if (all_summed) {
    v.checksum_value =
        checksum.composite ? composite_checksum(alg, sums) : full_object_checksum(alg, sums);
  }
  if (v.checksum_value) {
    v.checksum_algorithm = std::string(util::checksum_name(alg));
    v.checksum_type = checksum.composite ? "COMPOSITE" : "FULL_OBJECT";
  }
  if (auto err = check_object_checksum(req, v)) co_return error_reply(req, *err);

  // The backend assembles the object under the upload's blob key; nothing is visible yet.
  auto zone = ctx.zones().find(upload.blob.zone_id);
  if (!zone) {
    util::log_error("multipart",
                    "upload lives in zone " + upload.blob.zone_id + ", not served here");
    co_return error_reply(req, S3Error(ErrorCode::kServiceUnavailable));
  }
  std::optional<std::string> invalid;
  try {
    co_await zone->provider.complete_multipart(upload.blob.backend_bucket, upload.blob.blob_key,
                                               upload.backend_upload_id, refs);
  } catch (const storage::StorageError& e) {
    if (!is_invalid_part(e)) throw;
    invalid = e.what();
  }
  if (invalid) {
    util::log_warn("multipart", "completion of " + *upload_id + ": " + *invalid);
    co_return error_reply(req, S3Error(ErrorCode::kInvalidPart));
  }
  v.last_modified = util::from_unix_ms(util::to_unix_ms(util::Clock::now()));
  v.retention_mode = upload.retention_mode;
  v.retain_until = upload.retain_until;
  v.legal_hold = upload.legal_hold;
  apply_lock_defaults(*bucket, v, v.last_modified);

  auto log = req.log_record(200);
  log.bytes = v.size;
  // A commit that fails leaves the upload in place (rolled back); the assembled blob under its
  // key is found again by a retry (filesystem: assembled anew; S3: the completed upload).
  auto outcome = co_await completion->commit(v, log);
  completion.reset();
  if (!outcome) co_return failure(req, no_such_bucket(req));
  if (outcome->locked) co_return failure(req, object_locked(ctx, req));
  co_await remove_garbage(ctx, std::move(outcome->garbage));
  auto reply = completion_reply(req, v, checksum.algorithm.has_value());
  if (outcome->version_id != "null") reply.headers.set("x-amz-version-id", outcome->version_id);
  co_return reply;
}

awaitable<Reply> abort_multipart_upload(OpContext& ctx, S3Request& req) {
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  const auto upload_id = upload_id_of(req);
  if (!upload_id) co_return failure(req, no_such_upload(req));
  auto garbage = co_await ctx.multipart->abort(bucket->id, req.key, *upload_id,
                                               req.log_record(204));
  if (!garbage) co_return failure(req, no_such_upload(req));
  co_await remove_garbage(ctx, std::move(*garbage));
  Reply r;
  r.status = 204;
  co_return r;
}

}  // namespace s3gw::ops
