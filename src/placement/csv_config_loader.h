#pragma once
// Reads the CSV provider configuration (config/providers.csv): a header line naming the columns
// (any order; id, type, country, city and zones required), then one provider entry per row.
// Columns: id, name, type, endpoint, path, region, country, city, zones, addressing_style,
// access_key_env, secret_key_env, credentials_file, credentials_profile, tls_ca_file,
// tls_insecure_skip_verify (true or false), capabilities, priority, status, comment.
// Lists (zones, capabilities) separate their items with ';'. An empty field is the default.
// Lines starting with '#' are comments. Regions cannot be declared here (JSON only).
#include <string_view>

#include "placement/placement_result.h"
#include "placement/registry_config.h"

namespace s3gw::placement {

class CsvConfigLoader {
 public:
  // `file_name` only labels messages and Provider::source ("<file> line 4").
  static PlacementResult<RegistryConfig> parse(std::string_view text, std::string_view file_name);
};

}  // namespace s3gw::placement
