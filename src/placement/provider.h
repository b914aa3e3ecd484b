#pragma once
// One provider at one location, as a configuration file describes it: Storj in Helsinki and
// Storj in Frankfurt are two entries with the same provider code `id` ("st") and different
// country/city, because each is its own endpoint with its own health. An entry is identified
// by key() = "{country}-{city}-{id}" ("fi-hel-st"); its zones are "{key}-{n}".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placement/provider_status.h"

namespace s3gw::placement {

enum class ProviderType { kS3, kFilesystem };
enum class AddressingStyle { kPath, kVirtual };

std::string_view to_string(ProviderType type);
std::optional<ProviderType> parse_provider_type(std::string_view text);  // "s3", "filesystem"
std::string_view to_string(AddressingStyle style);
std::optional<AddressingStyle> parse_addressing_style(std::string_view text);  // "path", "virtual"

// Where the secret is, never the secret: environment variable names or a credentials file.
struct CredentialsRef {
  std::string access_key_env;  // e.g. "S3GW_FI_HEL_ST_ACCESS_KEY"
  std::string secret_key_env;
  // An AWS shared-credentials file (INI: [profile] with aws_access_key_id and
  // aws_secret_access_key); relative to the configuration file's directory once loaded.
  std::string file;
  std::string profile;  // the file's section; empty: "default"

  bool empty() const {
    return access_key_env.empty() && secret_key_env.empty() && file.empty() && profile.empty();
  }
};

// How an https endpoint is trusted: its certificate and host name are always verified, against
// the system trust store or against ca_file only; insecure_skip_verify turns every check off.
struct TlsSettings {
  std::string ca_file;  // PEM; relative to the configuration file's directory once loaded
  bool insecure_skip_verify = false;

  bool empty() const { return ca_file.empty() && !insecure_skip_verify; }
};

struct Provider {
  std::string id;    // provider code, [a-z0-9]{1,16}: "st"
  std::string name;  // "storj"; names the backend buckets (bucket_hash.h). Default: id
  ProviderType type = ProviderType::kFilesystem;
  std::string endpoint;  // s3: "https://gateway.storjshare.io"; filesystem: empty
  std::string path;      // filesystem: root directory; empty: <data dir>/<zone id>
  std::string region;    // s3: the provider's own region, what SigV4 signs with ("eu-north-1")
  std::string country;   // "fi"
  std::string city;      // "hel"
  std::vector<std::string> zones;  // "fi-hel-st-1", ...
  AddressingStyle addressing_style = AddressingStyle::kPath;
  CredentialsRef credentials;
  TlsSettings tls;                                     // s3 entries with an https endpoint only
  std::vector<std::string> capabilities;               // "multipart", "versioning", ...
  int priority = 100;                                  // lower is preferred
  ProviderStatus status = ProviderStatus::kAvailable;  // initial status, until a health check
  std::string source;  // where it was defined, for messages: "config/x.json providers[2]"

  std::string key() const { return country + "-" + city + "-" + id; }
  std::string region_id() const { return country + "-" + city; }  // the gateway region
};

}  // namespace s3gw::placement
