#include "placement/available_locations.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

namespace s3gw::placement {
namespace {

// The best status wins: one available zone makes the country available.
ProviderStatus better(ProviderStatus a, ProviderStatus b) {
  return static_cast<int>(a) < static_cast<int>(b) ? a : b;
}

}  // namespace

AvailableLocations available_locations(const Registry& registry) {
  AvailableLocations out;
  const std::vector<ProviderStatus> health = registry.status_snapshot();
  std::map<std::string, CountryLocation> countries;
  std::map<std::string, std::size_t> region_at;
  for (const Region& r : registry.regions()) {
    region_at.emplace(r.id, out.regions.size());
    out.regions.push_back(RegionLocation{r.id, r.country, r.strict, ProviderStatus::kDown, 0, 0});
  }
  for (const Zone& z : registry.zones()) {
    const Provider& p = registry.providers()[z.provider_index];
    const ProviderStatus s = health[z.provider_index];
    out.zones.push_back(
        ZoneLocation{z.id, z.region, z.country, z.provider, p.name, p.type, z.priority, s});
    const bool up = s != ProviderStatus::kDown;
    RegionLocation& region = out.regions[region_at.at(z.region)];
    region.status = better(region.status, s);
    ++region.zones;
    region.zones_up += up ? 1 : 0;
    CountryLocation& country = countries[z.country];
    country.code = z.country;
    country.status = better(country.status, s);
    ++country.zones;
    country.zones_up += up ? 1 : 0;
    if (std::find(country.regions.begin(), country.regions.end(), z.region) ==
        country.regions.end()) {
      country.regions.push_back(z.region);
    }
  }
  for (auto& [code, c] : countries) {
    std::sort(c.regions.begin(), c.regions.end());
    out.countries.push_back(std::move(c));
  }
  return out;
}

std::string AvailableLocations::to_json() const {
  namespace json = boost::json;
  json::array cs;
  for (const CountryLocation& c : countries) {
    json::array regions_of;
    for (const std::string& r : c.regions) regions_of.emplace_back(r);
    cs.push_back(json::object{{"code", c.code},
                              {"status", to_string(c.status)},
                              {"zones", c.zones},
                              {"zones_up", c.zones_up},
                              {"regions", std::move(regions_of)}});
  }
  json::array rs;
  for (const RegionLocation& r : regions) {
    rs.push_back(json::object{{"id", r.id},
                              {"country", r.country},
                              {"strict", r.strict},
                              {"status", to_string(r.status)},
                              {"zones", r.zones},
                              {"zones_up", r.zones_up}});
  }
  json::array zs;
  for (const ZoneLocation& z : zones) {
    zs.push_back(json::object{{"id", z.id},
                              {"region", z.region},
                              {"country", z.country},
                              {"provider", z.provider},
                              {"provider_name", z.provider_name},
                              {"type", to_string(z.type)},
                              {"priority", z.priority},
                              {"status", to_string(z.status)}});
  }
  return json::serialize(json::object{
      {"countries", std::move(cs)}, {"regions", std::move(rs)}, {"zones", std::move(zs)}});
}

}  // namespace s3gw::placement
