// PutObject: stream the body to a new blob while hashing it, verify every integrity check the
// client asked for, then commit the metadata. Blob first, metadata second (DESIGN.md §2): a
// failure at any point before the commit leaves nothing visible.
#include <boost/beast/http/field.hpp>

#include "ops/garbage.h"
#include "ops/handlers.h"
#include "ops/new_version_lock.h"
#include "ops/object_headers.h"
#include "ops/object_tags.h"
#include "ops/reply.h"
#include "ops/upload_body.h"
#include "ops/zone_choice.h"
#include "util/checksum.h"
#include "util/encoding.h"
#include "util/log.h"
#include "util/random.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;
namespace bhttp = boost::beast::http;

awaitable<Reply> put_object(OpContext& ctx, S3Request& req) {
  auto fail = [&](S3Error e) {
    auto r = error_reply(req, e);
    r.close = !req.http.body().complete();
    return r;
  };

  auto bucket = co_await ctx.buckets.find(req.customer_id, req.bucket);
  if (!bucket) co_return fail(no_such_bucket(req));

  meta::ObjectVersion v;
  v.bucket_id = bucket->id;
  v.key = req.key;
  if (auto err = read_object_headers(req.http, v)) co_return fail(*err);
  if (auto err = co_await lock_new_version(ctx, req, *bucket, v)) co_return fail(*err);

  auto planned = plan_upload_body(req, ctx.config.max_put_size);
  if (auto* e = std::get_if<S3Error>(&planned)) co_return fail(*e);
  const UploadBody& body = std::get<UploadBody>(planned);
  const ChecksumPlan& plan = body.checksum;

  // Where: the bucket's placement decides the zone (its primary).
  auto extra = co_await extra_countries(ctx, req.customer_id);
  if (auto err = apply_tagging_header(ctx, req, *bucket, extra, v)) co_return fail(*err);
  auto chosen = primary_zone(ctx, *bucket, std::move(extra));
  if (auto* err = std::get_if<S3Error>(&chosen)) co_return fail(*err);
  auto& choice = std::get<ZoneChoice>(chosen);
  storage::Provider& zone = choice.zone.provider;

  // Stream into a new blob under a key that is never reused.
  v.version_id = "null";
  v.blob.zone_id = zone.zone_id();
  v.blob.backend_bucket = co_await ctx.backend_buckets.resolve(choice.zone, *bucket);
  v.blob.blob_key = util::random_hex(16);
  auto writer = co_await zone.create_blob(v.blob.backend_bucket, v.blob.blob_key);
  auto received = co_await receive_body(ctx, req, body, *writer, ctx.config.max_put_size);
  if (received.error) {
    auto r = fail(*received.error);
    r.close = r.close || received.close;
    co_return r;
  }
  const std::string& md5 = received.md5;
  const std::string& checksum = received.checksum;

  co_await writer->commit();
  v.size = static_cast<std::int64_t>(received.bytes);
  v.etag = "\"" + util::hex_encode(md5) + "\"";
  v.checksum_algorithm = std::string(util::checksum_name(plan.algorithm));
  v.checksum_value = checksum;
  v.checksum_type = "FULL_OBJECT";
  // Millisecond precision, like the XML listings show it.
  v.last_modified = util::from_unix_ms(util::to_unix_ms(util::Clock::now()));

  auto log = req.log_record(200);
  log.bytes = v.size;
  std::optional<meta::PutOutcome> replaced;
  std::exception_ptr commit_failure;
  try {
    replaced = co_await ctx.objects.commit_put(v, log);
  } catch (...) {
    commit_failure = std::current_exception();
  }
  if (commit_failure) {
    // The connection may have failed after the server committed (the COMMIT reply lost): ask
    // again on a fresh connection before touching the blob. Committed: the write succeeded.
    // Not committed: the blob is unreachable, remove it. Unknown: keep it (an orphan for the
    // scrub is harmless; a committed version without its blob is a loss).
    std::optional<bool> committed;
    std::optional<std::string> committed_version;
    try {
      committed_version = co_await ctx.objects.version_of_blob(v.bucket_id, v.key, v.blob.blob_key);
      committed = committed_version.has_value();
    } catch (const std::exception& e) {
      util::log_warn("put", std::string("commit outcome unknown, blob kept: ") + e.what());
    }
    if (committed == false) {
      try {
        co_await zone.delete_blob(v.blob.backend_bucket, v.blob.blob_key);
      } catch (const std::exception& e) {
        util::log_warn("put", std::string("orphan blob left: ") + e.what());
      }
    }
    if (committed != true) std::rethrow_exception(commit_failure);
    util::log_warn("put", "commit reply lost but the version is committed: " + req.request_id);
    replaced.emplace();  // its garbage records stay for the sweep
    replaced->version_id = *committed_version;
  }
  if (!replaced || replaced->locked) {  // the bucket was deleted while we uploaded, or locked
    co_await zone.delete_blob(v.blob.backend_bucket, v.blob.blob_key);
    co_return fail(replaced ? object_locked(ctx, req) : no_such_bucket(req));
  }
  co_await remove_garbage(ctx, std::move(replaced->garbage));
  record_placement(ctx, req, choice.decision);

  Reply r;
  r.headers.set(bhttp::field::etag, v.etag);
  if (replaced->version_id != "null") r.headers.set("x-amz-version-id", replaced->version_id);
  if (plan.client_requested) {
    r.headers.set(util::checksum_header(plan.algorithm), checksum);
    r.headers.set("x-amz-checksum-type", "FULL_OBJECT");
  }
  co_return r;
}

}  // namespace s3gw::ops
