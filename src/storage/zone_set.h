#pragma once
// Every zone this gateway process can read and write, by zone id, with the name of the provider
// behind it (which names its backend buckets). Built from the provider registry; read-only once
// built, so any thread may use it. A reload builds a new set and may share unchanged providers
// with the old one (shared()).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/provider.h"

namespace s3gw::storage {

struct ZoneHandle {
  Provider& provider;
  const std::string& provider_name;  // "storj": backend buckets are s3gw-<hash>-<name>
};

class ZoneSet {
 public:
  void add(std::string provider_name, std::shared_ptr<Provider> provider);

  // nullopt when this process has no such zone.
  std::optional<ZoneHandle> find(std::string_view zone_id) const;
  // Throws StorageError(kUnavailable): a version recorded in a zone this process cannot reach
  // is a 503, not a 404.
  ZoneHandle at(std::string_view zone_id) const;
  std::vector<ZoneHandle> all() const;
  bool empty() const { return zones_.empty(); }
  // The provider of a zone, to carry it over into a reloaded set; null when absent.
  std::shared_ptr<Provider> shared(std::string_view zone_id) const;

 private:
  struct Entry {
    std::string provider_name;
    std::shared_ptr<Provider> provider;
  };
  std::map<std::string, Entry, std::less<>> zones_;
};

inline void ZoneSet::add(std::string provider_name, std::shared_ptr<Provider> provider) {
  std::string id = provider->zone_id();
  zones_.insert_or_assign(std::move(id), Entry{std::move(provider_name), std::move(provider)});
}

inline std::optional<ZoneHandle> ZoneSet::find(std::string_view zone_id) const {
  auto it = zones_.find(zone_id);
  if (it == zones_.end()) return std::nullopt;
  return ZoneHandle{*it->second.provider, it->second.provider_name};
}

inline std::shared_ptr<Provider> ZoneSet::shared(std::string_view zone_id) const {
  auto it = zones_.find(zone_id);
  return it == zones_.end() ? nullptr : it->second.provider;
}

inline ZoneHandle ZoneSet::at(std::string_view zone_id) const {
  if (auto z = find(zone_id)) return *z;
  throw StorageError(StorageError::Kind::kUnavailable,
                     "zone " + std::string(zone_id) + " is not served by this gateway");
}

inline std::vector<ZoneHandle> ZoneSet::all() const {
  std::vector<ZoneHandle> out;
  out.reserve(zones_.size());
  for (const auto& [id, e] : zones_) out.push_back(ZoneHandle{*e.provider, e.provider_name});
  return out;
}

}  // namespace s3gw::storage
