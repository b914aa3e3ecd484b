#include "ops/zone_choice.h"

#include "placement/placement_error.h"

namespace s3gw::ops {

boost::asio::awaitable<std::vector<std::string>> extra_countries(const OpContext& ctx,
                                                                 std::string_view customer) {
  const auto* region = ctx.registry().find_region(ctx.config.region);
  if (region == nullptr || !region->strict || ctx.customer_placement == nullptr) {
    co_return std::vector<std::string>{};
  }
  co_return co_await ctx.customer_placement->extra_countries(customer);
}

std::variant<placement::PlacementDecision, s3::S3Error> decide(
    const OpContext& ctx, std::string_view constraint, std::vector<std::string> extra_countries) {
  auto decision = placement::place(ctx.registry(), constraint, 1, ctx.config.region,
                                   std::move(extra_countries));
  if (!decision) return placement::to_s3_error(decision.error());
  return std::move(decision.value());
}

std::variant<ZoneChoice, s3::S3Error> primary_zone(const OpContext& ctx, const meta::Bucket& bucket,
                                                   std::vector<std::string> extra_countries) {
  auto decided = decide(ctx, bucket.location_constraint, std::move(extra_countries));
  if (auto* err = std::get_if<s3::S3Error>(&decided)) return *err;
  auto& decision = std::get<placement::PlacementDecision>(decided);
  auto zone = ctx.zones().find(decision.primary());
  if (!zone) return s3::S3Error(s3::ErrorCode::kServiceUnavailable);
  return ZoneChoice{*zone, std::move(decision)};
}

void record_placement(OpContext& ctx, const S3Request& req,
                      const placement::PlacementDecision& decision) {
  meta::ComplianceEvent e;
  e.type = "placement";
  e.request_id = req.request_id;
  if (!req.customer_id.empty()) e.customer_id = req.customer_id;
  e.user_id = req.user_id;
  if (req.identity) e.access_key_id = req.identity->access_key_id;
  e.source_ip = req.http.remote();
  e.operation = std::string(req.operation);
  if (!req.bucket.empty()) e.bucket = req.bucket;
  if (req.has_key) e.key = req.key;
  std::string zones;
  for (const auto& z : decision.zones) zones += (zones.empty() ? "" : ",") + z;
  e.reason = "zones " + zones + " for constraint '" + decision.constraint + "': " + decision.rule;
  ctx.oplog.enqueue(std::move(e));
}

}  // namespace s3gw::ops
