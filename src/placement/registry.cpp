#include "placement/registry.h"

#include <algorithm>
#include <set>

namespace s3gw::placement {

PlacementResult<Registry> Registry::create(std::vector<RegistryConfig> sources) {
  const auto fail = [](std::string msg) {
    return PlacementError(PlacementErrc::kInvalidConfig, std::move(msg));
  };
  Registry r;
  std::map<std::string, const Provider*> zone_owner;
  std::map<std::string, const Provider*> code_owner;  // provider code -> first entry with it
  std::vector<Region> declared;
  for (RegistryConfig& source : sources) {
    for (Provider& p : source.providers) {
      const std::string key = p.key();
      if (auto it = r.provider_index_.find(key); it != r.provider_index_.end()) {
        return fail(p.source + ": provider '" + p.id + "' in " + p.region_id() +
                    " is already defined in " + r.providers_[it->second].source);
      }
      r.provider_index_.emplace(key, r.providers_.size());
      r.providers_.push_back(std::move(p));
    }
    for (Region& region : source.regions) declared.push_back(std::move(region));
  }
  // Second pass: pointers into providers_ are stable now.
  for (const Provider& p : r.providers_) {
    if (auto [it, fresh] = code_owner.emplace(p.id, &p); !fresh && it->second->name != p.name) {
      return fail(p.source + ": provider '" + p.id + "' is named '" + p.name + "' but '" +
                  it->second->name + "' in " + it->second->source +
                  " (backend bucket names use the name)");
    }
    for (const std::string& zone : p.zones) {
      if (auto [it, fresh] = zone_owner.emplace(zone, &p); !fresh) {
        return fail(p.source + ": zone '" + zone + "' is already defined in " + it->second->source);
      }
    }
  }

  for (std::size_t i = 0; i < r.providers_.size(); ++i) {
    const Provider& p = r.providers_[i];
    for (const std::string& id : p.zones) {
      r.zones_.push_back(Zone{id, p.country, p.region_id(), p.id, p.key(), p.priority, i});
    }
  }
  std::sort(r.zones_.begin(), r.zones_.end(), [](const Zone& a, const Zone& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.id < b.id;
  });
  for (std::size_t i = 0; i < r.zones_.size(); ++i) r.zone_index_.emplace(r.zones_[i].id, i);

  std::map<std::string, Region> regions;
  for (Region& region : declared) {
    if (auto it = regions.find(region.id); it != regions.end()) {
      return fail(region.source + ": region '" + region.id + "' is already declared in " +
                  it->second.source);
    }
    std::string id = region.id;
    regions.emplace(std::move(id), std::move(region));
  }
  for (const Provider& p : r.providers_) {
    if (!regions.contains(p.region_id())) {
      regions.emplace(p.region_id(), Region{p.region_id(), p.country, p.city, false, {}});
    }
  }
  for (auto& [id, region] : regions) {
    r.region_index_.emplace(id, r.regions_.size());
    r.regions_.push_back(std::move(region));
  }

  r.statuses_ = std::vector<std::atomic<ProviderStatus>>(r.providers_.size());
  for (std::size_t i = 0; i < r.providers_.size(); ++i) {
    r.statuses_[i].store(r.providers_[i].status, std::memory_order_relaxed);
  }
  return r;
}

std::vector<std::string> Registry::countries() const {
  std::set<std::string> set;
  for (const Zone& z : zones_) set.insert(z.country);
  return {set.begin(), set.end()};
}

const Provider* Registry::find_provider(std::string_view key) const {
  const auto it = provider_index_.find(key);
  return it == provider_index_.end() ? nullptr : &providers_[it->second];
}

const Zone* Registry::find_zone(std::string_view id) const {
  const auto it = zone_index_.find(id);
  return it == zone_index_.end() ? nullptr : &zones_[it->second];
}

const Region* Registry::find_region(std::string_view id) const {
  const auto it = region_index_.find(id);
  return it == region_index_.end() ? nullptr : &regions_[it->second];
}

bool Registry::has_country(std::string_view country) const {
  return std::any_of(zones_.begin(), zones_.end(),
                     [&](const Zone& z) { return z.country == country; });
}

std::vector<const Zone*> Registry::zones_in_country(std::string_view country) const {
  std::vector<const Zone*> out;
  for (const Zone& z : zones_) {
    if (z.country == country) out.push_back(&z);
  }
  return out;
}

std::vector<const Zone*> Registry::zones_in_region(std::string_view region) const {
  std::vector<const Zone*> out;
  for (const Zone& z : zones_) {
    if (z.region == region) out.push_back(&z);
  }
  return out;
}

ProviderStatus Registry::status(std::string_view provider_key) const {
  const auto it = provider_index_.find(provider_key);
  if (it == provider_index_.end()) return ProviderStatus::kDown;
  return statuses_[it->second].load(std::memory_order_acquire);
}

ProviderStatus Registry::zone_status(const Zone& zone) const {
  return statuses_[zone.provider_index].load(std::memory_order_acquire);
}

bool Registry::set_status(std::string_view provider_key, ProviderStatus status) {
  const auto it = provider_index_.find(provider_key);
  if (it == provider_index_.end()) return false;
  statuses_[it->second].store(status, std::memory_order_release);
  return true;
}

std::vector<ProviderStatus> Registry::status_snapshot() const {
  std::vector<ProviderStatus> out;
  out.reserve(statuses_.size());
  for (const auto& s : statuses_) out.push_back(s.load(std::memory_order_acquire));
  return out;
}

void Registry::copy_statuses_from(const Registry& previous) {
  for (const auto& [key, index] : provider_index_) {
    const auto it = previous.provider_index_.find(key);
    if (it == previous.provider_index_.end()) continue;
    statuses_[index].store(previous.statuses_[it->second].load(std::memory_order_acquire),
                           std::memory_order_release);
  }
}

}  // namespace s3gw::placement
