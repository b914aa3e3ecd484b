#pragma once
// The provider catalog of the global database (tables regions, providers, zones): what the
// configuration files describe, published by every gateway that loads them, and the health its
// checks last saw. Plain records here; the placement registry is turned into them by the caller
// (meta sits below placement).
#include <string>
#include <string_view>
#include <vector>

#include "meta/pg_pool.h"

namespace s3gw::meta {

struct CatalogRegion {
  std::string id;  // "fi-hel"
  std::string country;
  std::string city;
  bool strict = false;
};

struct CatalogZone {
  std::string id;  // "fi-hel-st-1"
  std::string country;
  std::string region_id;
  int priority = 100;
};

struct CatalogProvider {
  std::string id;    // the entry, "fi-hel-st"
  std::string code;  // "st"
  std::string name;  // "storj"
  std::string type;  // "s3", "filesystem"
  std::string endpoint;
  std::string provider_region;
  std::string country;
  std::string city;
  std::string region_id;
  std::string addressing_style;
  std::vector<std::string> capabilities;
  int priority = 100;
  std::string configured_status;
  std::string source;
  std::vector<CatalogZone> zones;
};

struct Catalog {
  std::vector<CatalogRegion> regions;
  std::vector<CatalogProvider> providers;
};

class ProviderCatalog {
 public:
  explicit ProviderCatalog(PgPool& pool) : pool_(pool) {}

  // Makes the tables describe `catalog`, in one transaction: regions upserted (never removed:
  // customers' routing refers to them), providers and zones upserted, the ones no longer
  // configured removed. Every gateway of a deployment loads the same files, so whichever
  // publishes last writes the same rows.
  awaitable<void> publish(const Catalog& catalog);
  // A health transition seen by the gateway of `region`.
  awaitable<void> set_status(std::string_view provider_id, std::string_view status,
                             std::string_view region);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
