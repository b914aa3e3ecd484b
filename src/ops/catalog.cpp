#include "ops/catalog.h"

namespace s3gw::ops {

meta::Catalog to_catalog(const placement::Registry& registry) {
  meta::Catalog c;
  for (const auto& r : registry.regions()) {
    c.regions.push_back(meta::CatalogRegion{r.id, r.country, r.city, r.strict});
  }
  for (const auto& p : registry.providers()) {
    meta::CatalogProvider out;
    out.id = p.key();
    out.code = p.id;
    out.name = p.name;
    out.type = std::string(placement::to_string(p.type));
    out.endpoint = p.endpoint;
    out.provider_region = p.region;
    out.country = p.country;
    out.city = p.city;
    out.region_id = p.region_id();
    out.addressing_style = std::string(placement::to_string(p.addressing_style));
    out.capabilities = p.capabilities;
    out.priority = p.priority;
    out.configured_status = std::string(placement::to_string(p.status));
    out.source = p.source;
    for (const auto& id : p.zones) {
      out.zones.push_back(meta::CatalogZone{id, p.country, p.region_id(), p.priority});
    }
    c.providers.push_back(std::move(out));
  }
  return c;
}

}  // namespace s3gw::ops
