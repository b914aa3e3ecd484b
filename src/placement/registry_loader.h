#pragma once
// Reads configuration files into a Registry: "*.json" through JsonConfigLoader, "*.csv"
// through CsvConfigLoader. The usual set is config/s3_backends.json and config/providers.csv;
// a missing file is an error (the caller leaves out what it does not have).
#include <string>
#include <vector>

#include "placement/placement_result.h"
#include "placement/registry.h"
#include "placement/registry_config.h"

namespace s3gw::placement {

PlacementResult<RegistryConfig> load_config_file(const std::string& path);

// At least one file; the files are checked against each other (Registry::create).
PlacementResult<Registry> load_registry(const std::vector<std::string>& paths);

}  // namespace s3gw::placement
