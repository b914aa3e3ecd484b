// CopyObject and UploadPartCopy. The source (any bucket of the caller's customer, any version,
// in any zone) is streamed from its blob into a new blob in the destination's primary zone, or
// into a part of the destination's multipart upload: never buffered, whatever the size, and
// blob first, metadata second as for every write. The caller needs s3:GetObject (or
// s3:GetObjectVersion) on the source besides s3:PutObject on the destination, which the
// dispatcher checked.
//
// A copy is a new single-part object: its ETag is the MD5 of its bytes (also when the source
// was a multipart upload with an "md5-of-md5s-N" ETag: S3 keeps that ETag only for copies it
// does not re-chunk, and ours is one blob), and its checksum is computed while streaming, in
// the source's algorithm (FULL_OBJECT; a COMPOSITE source checksum cannot describe one part)
// or the one x-amz-checksum-algorithm asks for. Where the source's stored MD5 ETag or
// FULL_OBJECT checksum can be compared with what was read, it is: a mismatch fails the copy
// rather than spread a corrupted blob.
#include <boost/beast/http/field.hpp>

#include "ops/authorizer.h"
#include "ops/blob_copy.h"
#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/multipart_rules.h"
#include "ops/new_version_lock.h"
#include "ops/object_headers.h"
#include "ops/object_tags.h"
#include "ops/reply.h"
#include "ops/zone_choice.h"
#include "s3/conditional.h"
#include "s3/copy_source.h"
#include "s3/http_date.h"
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

enum class Directive { kCopy, kReplace };

// x-amz-metadata-directive / x-amz-tagging-directive: COPY (the default) or REPLACE.
std::optional<Directive> directive_of(const S3Request& req, std::string_view header) {
  auto h = req.header(header);
  if (!h || *h == "COPY") return Directive::kCopy;
  if (*h == "REPLACE") return Directive::kReplace;
  return std::nullopt;
}

// A copy source that passed the checks: its bucket's versioning state and the version.
struct Source {
  s3::CopySource names;
  std::string versioning;
  meta::ObjectVersion version;
};

// The source, or the error to answer (a struct, not a variant: g++ 12 miscompiles some
// co_returned variants).
struct FoundSource {
  std::optional<Source> source;
  std::optional<S3Error> error;
};

FoundSource source_error(S3Error e) {
  FoundSource out;
  out.error = std::move(e);
  return out;
}

// The source a copy names, after the caller's permission on it, its existence and the
// x-amz-copy-source-if-* conditions.
awaitable<FoundSource> find_source(OpContext& ctx, const S3Request& req) {
  auto parsed = s3::parse_copy_source(req.header("x-amz-copy-source").value_or(""));
  if (auto* e = std::get_if<S3Error>(&parsed)) co_return source_error(*e);
  auto names = std::get<s3::CopySource>(std::move(parsed));

  // The dispatcher authorized the destination only; reading the source is a permission of its
  // own (a security requirement: no copying what one may not read).
  const std::string_view action = names.version_id ? "s3:GetObjectVersion" : "s3:GetObject";
  if (!co_await may_act_on(ctx, req, action, names.bucket, names.key)) {
    meta::ComplianceEvent e;
    e.type = "access_denied";
    e.request_id = req.request_id;
    if (!req.customer_id.empty()) e.customer_id = req.customer_id;
    e.user_id = req.user_id;
    if (req.identity) e.access_key_id = req.identity->access_key_id;
    e.source_ip = req.http.remote();
    e.operation = std::string(req.operation);
    e.bucket = names.bucket;
    e.key = names.key;
    e.code = "AccessDenied";
    e.reason = std::string(action) + " on " + names.bucket + "/" + names.key +
               " (copy source) is not permitted for " + req.user_id.value_or("?");
    util::log_debug("auth", "access_denied " + req.request_id + ": " + e.reason);
    ctx.oplog.enqueue(std::move(e));
    co_return source_error(S3Error(ErrorCode::kAccessDenied));
  }

  auto found =
      co_await ctx.objects.find_latest(req.customer_id, names.bucket, names.key, names.version_id);
  if (!found.bucket_id) {
    S3Error e(ErrorCode::kNoSuchBucket);
    e.extra_xml = "<BucketName>" + s3::xml_escape(names.bucket) + "</BucketName>";
    co_return source_error(std::move(e));
  }
  if (!found.latest && names.version_id) {
    S3Error e(ErrorCode::kNoSuchVersion);
    e.extra_xml = "<Key>" + s3::xml_escape(names.key) + "</Key><VersionId>" +
                  s3::xml_escape(*names.version_id) + "</VersionId>";
    co_return source_error(std::move(e));
  }
  if (found.latest && found.latest->is_delete_marker && names.version_id) {
    co_return source_error(S3Error(ErrorCode::kInvalidRequest,
                                   "The source of a copy request may not specifically refer to "
                                   "a delete marker by version id."));
  }
  if (!found.latest || found.latest->is_delete_marker) {
    S3Error e(ErrorCode::kNoSuchKey);
    e.extra_xml = "<Key>" + s3::xml_escape(names.key) + "</Key>";
    co_return source_error(std::move(e));
  }
  const auto& v = *found.latest;
  // For a copy, a condition that a GET would answer with 304 fails it too.
  s3::ConditionalHeaders cond{req.header("x-amz-copy-source-if-match"),
                              req.header("x-amz-copy-source-if-none-match"),
                              req.header("x-amz-copy-source-if-modified-since"),
                              req.header("x-amz-copy-source-if-unmodified-since")};
  if (s3::evaluate_preconditions(cond, v.etag, v.last_modified) != s3::Precondition::kProceed) {
    co_return source_error(S3Error(ErrorCode::kPreconditionFailed));
  }
  FoundSource out;
  out.source = Source{std::move(names), std::move(found.versioning), std::move(*found.latest)};
  co_return out;
}

// x-amz-copy-source-version-id: the source's version, when its bucket has versions.
void set_source_version(Reply& r, const Source& src) {
  if (src.versioning != "Unversioned" || src.version.version_id != "null") {
    r.headers.set("x-amz-copy-source-version-id", src.version.version_id);
  }
}

// A checksum algorithm other than CRC64NVME's default, asked for by x-amz-checksum-algorithm.
std::variant<std::optional<util::ChecksumAlgorithm>, S3Error> asked_algorithm(
    const S3Request& req) {
  auto h = req.header("x-amz-checksum-algorithm");
  if (!h) return std::optional<util::ChecksumAlgorithm>();
  auto alg = util::parse_checksum_algorithm(*h);
  if (!alg) {
    return S3Error(ErrorCode::kInvalidRequest,
                   "Value for x-amz-checksum-algorithm header is invalid.");
  }
  return std::optional<util::ChecksumAlgorithm>(*alg);
}

// The source's stored MD5 ETag and FULL_OBJECT checksum against what was read: a mismatch is a
// corrupted or replaced blob. The message for the log; nullopt when everything that can be
// compared matches.
std::optional<std::string> source_mismatch(const meta::ObjectVersion& src, const CopiedBytes& got,
                                           std::optional<util::ChecksumAlgorithm> algorithm) {
  const std::string md5 = "\"" + util::hex_encode(got.md5) + "\"";
  if (src.etag.find('-') == std::string::npos && src.etag != md5) {
    return "ETag " + src.etag + ", read " + md5;
  }
  if (algorithm && src.checksum_algorithm && src.checksum_value &&
      src.checksum_type.value_or("FULL_OBJECT") == "FULL_OBJECT" &&
      *src.checksum_algorithm == util::checksum_name(*algorithm) && !got.checksums.empty()) {
    const std::string read = util::base64_encode(got.checksums.front());
    if (read != *src.checksum_value) {
      return *src.checksum_algorithm + " " + *src.checksum_value + ", read " + read;
    }
  }
  return std::nullopt;
}

// The source's blob was gone when opened: the version was replaced or deleted after its
// metadata was read (the copy starts over, reading the metadata again).
class SourceVanished : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Streams the source's bytes [first, first + length) into `writer`, hashing them with
// `algorithms`. Throws SourceVanished when the source's blob is gone; the writer is aborted on
// every failure.
awaitable<CopiedBytes> stream_source(OpContext& ctx, const Source& src, std::uint64_t first,
                                     std::uint64_t length, storage::BlobWriter& writer,
                                     const std::vector<util::ChecksumAlgorithm>& algorithms) {
  const auto& blob = src.version.blob;
  auto zone = ctx.zones().find(blob.zone_id);
  if (!zone) {
    util::log_error("copy", "source version lives in zone " + blob.zone_id + ", not served here");
    throw storage::StorageError(storage::StorageError::Kind::kUnavailable,
                                "the copy source's zone " + blob.zone_id + " is not served here");
  }
  std::unique_ptr<http::BodySource> reader;
  std::exception_ptr failed;
  bool vanished = false;
  try {
    reader = co_await zone->provider.open_blob(blob.backend_bucket, blob.blob_key, first, length);
  } catch (const storage::StorageError& e) {
    vanished = e.kind() == storage::StorageError::Kind::kNotFound;
    failed = std::current_exception();
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    co_await writer.abort();
    if (vanished) throw SourceVanished("the copy source's blob is gone: " + blob.blob_key);
    std::rethrow_exception(failed);
  }
  co_return co_await copy_blob_bytes(ctx, *reader, length, writer, algorithms);
}

// Runs `attempt` again (at most three times in all) when the source's blob vanished between
// the metadata read and its opening: a concurrent overwrite or delete, as GetObject retries.
template <class F>
awaitable<Reply> retry_vanished_source(F attempt) {
  for (int n = 0;; ++n) {
    try {
      co_return co_await attempt();
    } catch (const SourceVanished& e) {
      if (n == 2) throw storage::StorageError(storage::StorageError::Kind::kUnavailable, e.what());
    }
  }
}

awaitable<Reply> copy_object_once(OpContext& ctx, S3Request& req) {
  const auto metadata = directive_of(req, "x-amz-metadata-directive");
  if (!metadata) {
    co_return failure(req, S3Error(ErrorCode::kInvalidArgument, "Unknown metadata directive."));
  }
  const auto tagging = directive_of(req, "x-amz-tagging-directive");
  if (!tagging) {
    co_return failure(req, S3Error(ErrorCode::kInvalidArgument, "Unknown tagging directive."));
  }
  auto asked = asked_algorithm(req);
  if (auto* e = std::get_if<S3Error>(&asked)) co_return failure(req, *e);
  const auto asked_alg = std::get<std::optional<util::ChecksumAlgorithm>>(asked);

  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  auto found = co_await find_source(ctx, req);
  if (found.error) co_return failure(req, *found.error);
  const Source& src = *found.source;
  const meta::ObjectVersion& sv = src.version;

  // Copying an object onto itself must change something, as S3 requires (a versionId source
  // restores that version, which is a change).
  const bool same_object = src.names.bucket == req.bucket && src.names.key == req.key;
  if (same_object && !src.names.version_id && *metadata == Directive::kCopy &&
      *tagging == Directive::kCopy &&
      (!asked_alg || sv.checksum_algorithm == std::string(util::checksum_name(*asked_alg))) &&
      !req.header("x-amz-storage-class") && !req.header("x-amz-website-redirect-location")) {
    co_return failure(req,
                      S3Error(ErrorCode::kInvalidRequest,
                              "This copy request is illegal because it is trying to copy an "
                              "object to itself without changing the object's metadata, storage "
                              "class, website redirect location or encryption attributes."));
  }
  if (static_cast<std::uint64_t>(sv.size) > ctx.config.max_put_size) {
    co_return failure(req, S3Error(ErrorCode::kInvalidRequest,
                                   "The specified copy source is larger than the maximum "
                                   "allowable size for a copy source: " +
                                       std::to_string(ctx.config.max_put_size)));
  }

  meta::ObjectVersion v;
  v.bucket_id = bucket->id;
  v.key = req.key;
  if (*metadata == Directive::kReplace) {
    if (auto err = read_object_headers(req.http, v)) co_return failure(req, *err);
  } else {
    v.content_type = sv.content_type;
    v.cache_control = sv.cache_control;
    v.content_disposition = sv.content_disposition;
    v.content_encoding = sv.content_encoding;
    v.content_language = sv.content_language;
    v.expires = sv.expires;
    v.user_metadata = sv.user_metadata;
  }

  // Tags: the source's (checked against the destination bucket: its constraint decides what
  // replica-count may be) or x-amz-tagging's.
  const auto extra = co_await extra_countries(ctx, req.customer_id);
  std::variant<CheckedTags, S3Error> tags;
  if (*tagging == Directive::kReplace) {
    tags = tagging_header_of(ctx, req, *bucket, extra);
  } else {
    auto source_tags = co_await ctx.tags->object_tags(sv.id);
    tags = check_object_tags(ctx, *bucket, to_tag_set(source_tags), extra);
  }
  if (auto* e = std::get_if<S3Error>(&tags)) co_return failure(req, *e);
  v.tags = std::move(std::get<CheckedTags>(tags).tags);
  v.replica_count = std::get<CheckedTags>(tags).replica_count;
  // Object lock: the destination's own headers or its bucket's default, never the source's.
  if (auto err = co_await lock_new_version(ctx, req, *bucket, v)) co_return failure(req, *err);

  // The checksum: the one asked for, else the source's algorithm, else CRC64NVME.
  util::ChecksumAlgorithm algorithm = util::ChecksumAlgorithm::kCRC64NVME;
  if (asked_alg) {
    algorithm = *asked_alg;
  } else if (sv.checksum_algorithm) {
    if (auto a = util::parse_checksum_algorithm(*sv.checksum_algorithm)) algorithm = *a;
  }

  auto chosen = primary_zone(ctx, *bucket, extra);
  if (auto* err = std::get_if<S3Error>(&chosen)) co_return failure(req, *err);
  auto& choice = std::get<ZoneChoice>(chosen);
  storage::Provider& zone = choice.zone.provider;
  v.version_id = "null";
  v.blob.zone_id = zone.zone_id();
  v.blob.backend_bucket = co_await ctx.backend_buckets.resolve(choice.zone, *bucket);
  v.blob.blob_key = util::random_hex(16);

  auto writer = co_await zone.create_blob(v.blob.backend_bucket, v.blob.blob_key);
  const std::vector<util::ChecksumAlgorithm> algorithms{algorithm};
  const auto length = static_cast<std::uint64_t>(sv.size);
  auto copied = co_await stream_source(ctx, src, 0, length, *writer, algorithms);
  if (auto bad = source_mismatch(sv, copied, algorithm)) {
    co_await writer->abort();
    util::log_error("copy", "source " + src.names.bucket + "/" + src.names.key + " version " +
                                sv.version_id + " in " + sv.blob.zone_id +
                                " does not match: " + *bad);
    throw std::runtime_error("copy source does not match its metadata");
  }
  co_await writer->commit();
  v.size = sv.size;
  v.etag = "\"" + util::hex_encode(copied.md5) + "\"";
  v.checksum_algorithm = std::string(util::checksum_name(algorithm));
  v.checksum_value = util::base64_encode(copied.checksums.front());
  v.checksum_type = "FULL_OBJECT";
  v.last_modified = util::from_unix_ms(util::to_unix_ms(util::Clock::now()));

  auto log = req.log_record(200);
  log.bytes = v.size;
  std::optional<meta::PutOutcome> outcome;
  std::exception_ptr commit_failure;
  try {
    outcome = co_await ctx.objects.commit_put(v, log);
  } catch (...) {
    commit_failure = std::current_exception();
  }
  if (commit_failure) {
    // As PutObject: a lost COMMIT reply is resolved by asking again; the blob is removed only
    // when the version is known not to be committed.
    std::optional<std::string> committed;
    bool known = false;
    try {
      committed = co_await ctx.objects.version_of_blob(v.bucket_id, v.key, v.blob.blob_key);
      known = true;
    } catch (const std::exception& e) {
      util::log_warn("copy", std::string("commit outcome unknown, blob kept: ") + e.what());
    }
    if (known && !committed) {
      try {
        co_await zone.delete_blob(v.blob.backend_bucket, v.blob.blob_key);
      } catch (const std::exception& e) {
        util::log_warn("copy", std::string("orphan blob left: ") + e.what());
      }
    }
    if (!committed) std::rethrow_exception(commit_failure);
    outcome.emplace();
    outcome->version_id = *committed;
  }
  if (!outcome || outcome->locked) {
    co_await zone.delete_blob(v.blob.backend_bucket, v.blob.blob_key);
    co_return failure(req, outcome ? object_locked(ctx, req) : no_such_bucket(req));
  }
  co_await remove_garbage(ctx, std::move(outcome->garbage));
  record_placement(ctx, req, choice.decision);

  s3::XmlWriter w;
  w.open("CopyObjectResult", s3::kS3Namespace);
  w.element("ETag", v.etag);
  w.element("LastModified", s3::format_iso8601(v.last_modified));
  w.element("Checksum" + *v.checksum_algorithm, *v.checksum_value);
  w.element("ChecksumType", "FULL_OBJECT");
  w.close("CopyObjectResult");
  Reply r = xml_reply(200, w.take());
  if (outcome->version_id != "null") r.headers.set("x-amz-version-id", outcome->version_id);
  set_source_version(r, src);
  co_return r;
}

S3Error no_such_upload(const S3Request& req) {
  S3Error e(ErrorCode::kNoSuchUpload);
  e.extra_xml =
      "<UploadId>" + s3::xml_escape(req.query.get("uploadId").value_or("")) + "</UploadId>";
  return e;
}

awaitable<Reply> upload_part_copy_once(OpContext& ctx, S3Request& req) {
  const auto number = parse_part_number(req.query.get("partNumber").value_or(""));
  if (!number) {
    co_return failure(req, S3Error(ErrorCode::kInvalidArgument,
                                   "Part number must be an integer between 1 and 10000, "
                                   "inclusive"));
  }
  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return failure(req, no_such_bucket(req));
  const std::string upload_id(req.query.get("uploadId").value_or(""));
  auto upload = co_await ctx.multipart->find(bucket->id, req.key, upload_id);
  if (!upload) co_return failure(req, no_such_upload(req));
  auto found = co_await find_source(ctx, req);
  if (found.error) co_return failure(req, *found.error);
  const Source& src = *found.source;
  const auto size = static_cast<std::uint64_t>(src.version.size);

  s3::CopyRange range{0, size};
  if (auto h = req.header("x-amz-copy-source-range")) {
    auto parsed = s3::parse_copy_source_range(*h, size);
    if (auto* e = std::get_if<S3Error>(&parsed)) co_return failure(req, *e);
    range = std::get<s3::CopyRange>(parsed);
  }
  if (range.length > kMaxPartSize) {
    co_return failure(req, S3Error(ErrorCode::kInvalidRequest,
                                   "The specified copy range is larger than the maximum "
                                   "allowable size for a part: " +
                                       std::to_string(kMaxPartSize)));
  }

  // The part's checksum: the upload's algorithm, else CRC64NVME (what the completion combines).
  UploadChecksum checksum;
  if (upload->checksum_algorithm) {
    checksum.algorithm = util::parse_checksum_algorithm(*upload->checksum_algorithm);
  }
  checksum.composite = upload->checksum_type == "COMPOSITE";
  const std::vector<util::ChecksumAlgorithm> algorithms{part_algorithm(checksum)};

  auto zone = ctx.zones().find(upload->blob.zone_id);
  if (!zone) {
    util::log_error("multipart",
                    "upload lives in zone " + upload->blob.zone_id + ", not served here");
    co_return failure(req, S3Error(ErrorCode::kServiceUnavailable));
  }
  auto writer =
      co_await zone->provider.create_part(upload->blob.backend_bucket, upload->blob.blob_key,
                                          upload->backend_upload_id, *number, range.length);
  auto copied = co_await stream_source(ctx, src, range.first, range.length, *writer, algorithms);
  if (range.length == size) {
    if (auto bad = source_mismatch(src.version, copied, algorithms.front())) {
      co_await writer->abort();
      util::log_error(
          "copy", "source " + src.names.bucket + "/" + src.names.key + " does not match: " + *bad);
      throw std::runtime_error("copy source does not match its metadata");
    }
  }
  bool gone = false;
  try {
    co_await writer->commit();
  } catch (const storage::StorageError& e) {
    // The backend's upload is gone: aborted (or completed) meanwhile. (Not the source's
    // kNotFound: that one is past.)
    if (e.kind() != storage::StorageError::Kind::kNotFound) throw;
    gone = true;
  }
  if (gone) co_return failure(req, no_such_upload(req));

  meta::MultipartPart part;
  part.number = *number;
  part.size = static_cast<std::int64_t>(copied.bytes);
  part.etag = "\"" + util::hex_encode(copied.md5) + "\"";
  part.checksum_value = util::base64_encode(copied.checksums.front());
  const storage::StoredPart& stored = writer->stored();
  part.part_handle = stored.handle;
  part.part_blob = stored.separate_blob;
  part.uploaded_at = util::from_unix_ms(util::to_unix_ms(util::Clock::now()));

  auto log = req.log_record(200);
  log.bytes = part.size;
  auto replaced = co_await ctx.multipart->put_part(*upload, part, log);
  if (!replaced) {
    if (stored.separate_blob) {
      co_await zone->provider.delete_blob(upload->blob.backend_bucket, stored.handle);
    }
    co_return failure(req, no_such_upload(req));
  }
  co_await remove_garbage(ctx, std::move(*replaced));

  s3::XmlWriter w;
  w.open("CopyPartResult", s3::kS3Namespace);
  w.element("ETag", part.etag);
  w.element("LastModified", s3::format_iso8601(part.uploaded_at));
  if (checksum.algorithm) {
    w.element("Checksum" + std::string(util::checksum_name(*checksum.algorithm)),
              *part.checksum_value);
  }
  w.close("CopyPartResult");
  Reply r = xml_reply(200, w.take());
  set_source_version(r, src);
  co_return r;
}

}  // namespace

awaitable<Reply> copy_object(OpContext& ctx, S3Request& req) {
  co_return co_await retry_vanished_source(
      [&]() -> awaitable<Reply> { co_return co_await copy_object_once(ctx, req); });
}

awaitable<Reply> upload_part_copy(OpContext& ctx, S3Request& req) {
  co_return co_await retry_vanished_source(
      [&]() -> awaitable<Reply> { co_return co_await upload_part_copy_once(ctx, req); });
}

}  // namespace s3gw::ops
