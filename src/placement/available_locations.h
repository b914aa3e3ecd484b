#pragma once
// What a customer may put in a LocationConstraint, with health: the answer of
// GET /api/location-constraints/available-locations. A country or region is available when
// one of its zones is, degraded when none is but one is degraded, down otherwise.
#include <cstddef>
#include <string>
#include <vector>

#include "placement/provider.h"
#include "placement/provider_status.h"
#include "placement/registry.h"

namespace s3gw::placement {

struct ZoneLocation {
  std::string id;  // "fi-hel-st-1"
  std::string region;
  std::string country;
  std::string provider;       // code, "st"
  std::string provider_name;  // "storj"
  ProviderType type = ProviderType::kFilesystem;
  int priority = 0;
  ProviderStatus status = ProviderStatus::kAvailable;
};

struct RegionLocation {
  std::string id;  // "fi-hel"
  std::string country;
  bool strict = false;
  ProviderStatus status = ProviderStatus::kDown;
  std::size_t zones = 0;
  std::size_t zones_up = 0;  // available or degraded
};

struct CountryLocation {
  std::string code;  // "fi"
  ProviderStatus status = ProviderStatus::kDown;
  std::size_t zones = 0;
  std::size_t zones_up = 0;
  std::vector<std::string> regions;
};

struct AvailableLocations {
  std::vector<CountryLocation> countries;  // by code
  std::vector<RegionLocation> regions;     // by id; declared regions without zones too
  std::vector<ZoneLocation> zones;         // by priority, then id

  // {"countries": [{"code", "status", "zones", "zones_up", "regions"}], "regions": [...],
  //  "zones": [...]}: statuses as "available" / "degraded" / "down".
  std::string to_json() const;
};

AvailableLocations available_locations(const Registry& registry);

}  // namespace s3gw::placement
