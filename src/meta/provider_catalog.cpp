#include "meta/provider_catalog.h"

namespace s3gw::meta {

awaitable<void> ProviderCatalog::publish(const Catalog& catalog) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto& c = tx.conn();
  // Publishers of one deployment take turns, so removals never race an upsert.
  co_await c.query("SELECT pg_advisory_xact_lock(hashtext('s3gw-provider-catalog'))");
  for (const auto& r : catalog.regions) {
    // The name stays what an operator set (the seed's rows); a new region is named by its city.
    co_await c.query(
        "INSERT INTO regions (id, name, country, city, strict) VALUES ($1, $3, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET country = EXCLUDED.country, city = EXCLUDED.city, "
        "strict = EXCLUDED.strict, updated_at = now()",
        r.id, r.country, r.city, r.strict);
  }
  std::vector<std::string> provider_ids;
  std::vector<std::string> zone_ids;
  for (const auto& p : catalog.providers) {
    provider_ids.push_back(p.id);
    co_await c.query(
        "INSERT INTO providers (id, code, name, type, endpoint, provider_region, country, city, "
        "region_id, addressing_style, capabilities, priority, configured_status, source, status) "
        "VALUES ($1, $2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), $7, $8, $9, $10, $11::text[], "
        "$12, $13, $14, $13) "
        "ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, "
        "type = EXCLUDED.type, endpoint = EXCLUDED.endpoint, "
        "provider_region = EXCLUDED.provider_region, country = EXCLUDED.country, "
        "city = EXCLUDED.city, region_id = EXCLUDED.region_id, "
        "addressing_style = EXCLUDED.addressing_style, capabilities = EXCLUDED.capabilities, "
        "priority = EXCLUDED.priority, configured_status = EXCLUDED.configured_status, "
        "source = EXCLUDED.source, updated_at = now()",
        p.id, p.code, p.name, p.type, p.endpoint, p.provider_region, p.country, p.city, p.region_id,
        p.addressing_style, p.capabilities, p.priority, p.configured_status, p.source);
    for (const auto& z : p.zones) {
      zone_ids.push_back(z.id);
      co_await c.query(
          "INSERT INTO zones (id, provider_id, country, region_id, priority) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET "
          "provider_id = EXCLUDED.provider_id, country = EXCLUDED.country, "
          "region_id = EXCLUDED.region_id, priority = EXCLUDED.priority, updated_at = now()",
          z.id, p.id, z.country, z.region_id, z.priority);
    }
  }
  co_await c.query("DELETE FROM zones WHERE NOT (id = ANY($1::text[]))", zone_ids);
  co_await c.query("DELETE FROM providers WHERE NOT (id = ANY($1::text[]))", provider_ids);
  co_await tx.commit();
}

awaitable<void> ProviderCatalog::set_status(std::string_view provider_id, std::string_view status,
                                            std::string_view region) {
  auto lease = co_await pool_.acquire();
  co_await lease->query(
      "UPDATE providers SET status = $2, status_at = now(), status_by = $3 WHERE id = $1",
      provider_id, status, region);
}

}  // namespace s3gw::meta
