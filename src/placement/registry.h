#pragma once
// The providers, zones and regions the gateway knows, from one or more configuration files.
// Everything but health is immutable after create(): a reload builds a new Registry (and may
// carry the health over with copy_statuses_from). Health is per provider entry and may be set
// from any thread while others read it (the health checker; placement reads a snapshot).
#include <atomic>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "placement/placement_result.h"
#include "placement/provider.h"
#include "placement/region.h"
#include "placement/registry_config.h"
#include "placement/zone.h"

namespace s3gw::placement {

class Registry {
 public:
  // Merges the files' contents. Refused (kInvalidConfig, naming both places): a provider entry
  // ({country}-{city}-{id}) or a zone defined twice, one provider code with two names, a region
  // declared twice. Regions not declared are implied (not strict) by the providers' locations.
  static PlacementResult<Registry> create(std::vector<RegistryConfig> sources);

  const std::vector<Provider>& providers() const { return providers_; }
  const std::vector<Zone>& zones() const { return zones_; }        // by priority, then id
  const std::vector<Region>& regions() const { return regions_; }  // by id
  std::vector<std::string> countries() const;                      // with zones, sorted

  const Provider* find_provider(std::string_view key) const;  // "fi-hel-st"
  const Zone* find_zone(std::string_view id) const;           // "fi-hel-st-1"
  const Region* find_region(std::string_view id) const;       // "fi-hel"
  bool has_country(std::string_view country) const;

  // By priority (lower first), then zone id. Health is not considered here: see placement.
  std::vector<const Zone*> zones_in_country(std::string_view country) const;
  std::vector<const Zone*> zones_in_region(std::string_view region) const;

  // Health. An unknown provider key reads as down; set_status answers false for it.
  ProviderStatus status(std::string_view provider_key) const;
  ProviderStatus zone_status(const Zone& zone) const;
  bool set_status(std::string_view provider_key, ProviderStatus status);
  // Indexed like providers(): one read of every status, so a decision sees one state.
  std::vector<ProviderStatus> status_snapshot() const;
  // After a reload: entries that exist in both keep the health `previous` saw.
  void copy_statuses_from(const Registry& previous);

 private:
  Registry() = default;

  std::vector<Provider> providers_;
  std::vector<Zone> zones_;
  std::vector<Region> regions_;
  std::map<std::string, std::size_t, std::less<>> provider_index_;
  std::map<std::string, std::size_t, std::less<>> zone_index_;
  std::map<std::string, std::size_t, std::less<>> region_index_;
  std::vector<std::atomic<ProviderStatus>> statuses_;
};

}  // namespace s3gw::placement
