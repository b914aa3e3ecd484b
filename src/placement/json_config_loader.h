#pragma once
// Reads the JSON provider configuration (config/s3_backends.json):
//
//   {"comment": "...",
//    "regions": [{"id": "de-fra", "strict": true}],
//    "providers": [{"id": "st", "name": "storj", "type": "s3", "country": "fi", "city": "hel",
//                   "zones": ["fi-hel-st-1"], "endpoint": "https://...", "region": "eu-north-1",
//                   "addressing_style": "path",
//                   "credentials": {"access_key_env": "S3GW_FI_HEL_ST_ACCESS_KEY",
//                                   "secret_key_env": "S3GW_FI_HEL_ST_SECRET_KEY"},
//                   "capabilities": ["multipart"], "priority": 10, "status": "available"}]}
//
// Instead of the two variables, "credentials": {"file": "creds.ini", "profile": "storj"} names
// an AWS shared-credentials file; "tls": {"ca_file": "ca.pem"} trusts that CA instead of the
// system store and "tls": {"insecure_skip_verify": true} checks nothing (tests only).
//
// Unknown fields are refused (a typo must not silently become a default, and a secret has no
// field to go in). Errors name the file, the entry ("providers[2] (id 'hz')") and the rule.
#include <string_view>

#include "placement/placement_result.h"
#include "placement/registry_config.h"

namespace s3gw::placement {

class JsonConfigLoader {
 public:
  // `file_name` only labels messages and Provider::source.
  static PlacementResult<RegistryConfig> parse(std::string_view text, std::string_view file_name);
};

}  // namespace s3gw::placement
