#include "placement/registry_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "placement/csv_config_loader.h"
#include "placement/json_config_loader.h"

namespace s3gw::placement {

namespace {
constexpr std::size_t kMaxConfigBytes = 4 << 20;  // a provider list, not a data set
}  // namespace

PlacementResult<RegistryConfig> load_config_file(const std::string& path) {
  const bool json = path.ends_with(".json");
  if (!json && !path.ends_with(".csv")) {
    return PlacementError(PlacementErrc::kInvalidConfig,
                          path + ": unknown configuration format (expected .json or .csv)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return PlacementError(PlacementErrc::kInvalidConfig, path + ": cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = std::move(buffer).str();
  if (text.size() > kMaxConfigBytes) {
    return PlacementError(PlacementErrc::kInvalidConfig, path + ": larger than 4 MiB");
  }
  auto config = json ? JsonConfigLoader::parse(text, path) : CsvConfigLoader::parse(text, path);
  if (!config) return config;
  // Files the entries name are relative to the configuration file's directory, not to
  // wherever the gateway was started.
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  for (Provider& p : config->providers) {
    for (std::string* file : {&p.credentials.file, &p.tls.ca_file}) {
      if (!file->empty() && std::filesystem::path(*file).is_relative()) {
        *file = (dir / *file).lexically_normal().string();
      }
    }
  }
  return config;
}

PlacementResult<Registry> load_registry(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return PlacementError(PlacementErrc::kInvalidConfig, "no provider configuration file given");
  }
  std::vector<RegistryConfig> sources;
  for (const std::string& path : paths) {
    auto config = load_config_file(path);
    if (!config) return config.error();
    sources.push_back(std::move(config.value()));
  }
  return Registry::create(std::move(sources));
}

}  // namespace s3gw::placement
