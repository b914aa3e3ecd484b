#include "ops/garbage.h"

#include "util/log.h"

namespace s3gw::ops {

boost::asio::awaitable<void> remove_garbage(OpContext& ctx, std::vector<meta::GarbageBlob> blobs) {
  for (const auto& g : blobs) {
    auto zone = ctx.zones().find(g.location.zone_id);
    if (!zone) continue;  // a zone this process does not serve: another process removes it
    try {
      if (g.backend_upload_id) {  // an aborted multipart upload the backend still holds
        co_await zone->provider.abort_multipart(g.location.backend_bucket, g.location.blob_key,
                                                *g.backend_upload_id);
      }
      co_await zone->provider.delete_blob(g.location.backend_bucket, g.location.blob_key);
      co_await ctx.objects.forget_garbage(g.id);
    } catch (const std::exception& e) {
      util::log_warn("gc", std::string("blob removal deferred: ") + e.what());
    }
  }
}

boost::asio::awaitable<void> sweep_garbage(OpContext& ctx) {
  for (const auto& zone : ctx.zones().all()) {
    // Page by id so that rows whose removal fails (kept for the next sweep) are passed once.
    std::int64_t after = 0;
    for (;;) {
      auto batch = co_await ctx.objects.pending_garbage(zone.provider.zone_id(), after, 500);
      if (batch.empty()) break;
      after = batch.back().id;
      const bool last = batch.size() < 500;
      co_await remove_garbage(ctx, std::move(batch));
      if (last) break;
    }
  }
}

}  // namespace s3gw::ops
