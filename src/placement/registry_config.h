#pragma once
// What one configuration file holds, before the registry checks the files against each other.
#include <vector>

#include "placement/provider.h"
#include "placement/region.h"

namespace s3gw::placement {

struct RegistryConfig {
  std::vector<Provider> providers;
  std::vector<Region> regions;  // declared regions only (JSON); CSV files declare none
};

}  // namespace s3gw::placement
