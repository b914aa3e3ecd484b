#include "placement/provider_rules.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "placement/location_names.h"

namespace s3gw::placement {
namespace {

constexpr std::array<std::string_view, 5> kCapabilities = {"multipart", "versioning", "object_lock",
                                                           "tagging", "range_get"};

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

// POSIX-portable environment variable names in upper case: [A-Z_][A-Z0-9_]*.
bool is_env_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c != 0x7f; });
}

std::optional<std::string> check_endpoint(std::string_view endpoint) {
  std::string_view rest;
  if (endpoint.starts_with("http://")) {
    rest = endpoint.substr(7);
  } else if (endpoint.starts_with("https://")) {
    rest = endpoint.substr(8);
  } else {
    return "endpoint " + quoted(endpoint) + " must start with http:// or https://";
  }
  const std::string_view authority = rest.substr(0, rest.find('/'));
  if (authority.empty()) return "endpoint " + quoted(endpoint) + " has no host";
  // user:password@host would put a secret into the file.
  if (authority.find('@') != std::string_view::npos) {
    return "endpoint must not carry user info (credentials belong in environment variables)";
  }
  for (unsigned char c : endpoint) {
    if (c <= 0x20 || c >= 0x7f) return "endpoint " + quoted(endpoint) + " has a blank or control";
  }
  return std::nullopt;
}

std::optional<std::string> check_credentials(const Provider& p) {
  const CredentialsRef& c = p.credentials;
  if (p.type == ProviderType::kFilesystem) {
    if (!c.empty()) return std::string("a filesystem provider takes no credentials");
    return std::nullopt;
  }
  const bool env_pair = !c.access_key_env.empty() || !c.secret_key_env.empty();
  if (env_pair && (c.access_key_env.empty() || c.secret_key_env.empty())) {
    return std::string(
        "credentials need both access_key_env and secret_key_env (or a credentials file)");
  }
  if (env_pair && !c.file.empty()) {
    return std::string("credentials name environment variables or a file, not both");
  }
  if (!env_pair && c.file.empty()) {
    return std::string(
        "an s3 provider needs credentials: access_key_env and secret_key_env, or a file");
  }
  for (const std::string& env : {c.access_key_env, c.secret_key_env}) {
    if (!env.empty() && !is_env_name(env)) {
      return "credentials environment variable " + quoted(env) + " is not a name like " +
             "S3GW_ST_ACCESS_KEY ([A-Z_][A-Z0-9_]*)";
    }
  }
  if (!c.file.empty() && !printable(c.file)) {
    return std::string("credentials file name has control characters");
  }
  if (!c.profile.empty()) {
    if (c.file.empty()) return std::string("a credentials profile needs a credentials file");
    const bool ok = c.profile.size() <= 64 && printable(c.profile) &&
                    c.profile.find_first_of("[]") == std::string::npos &&
                    c.profile.front() != ' ' && c.profile.back() != ' ';
    if (!ok) {
      return "credentials profile " + quoted(c.profile) +
             " must be 1-64 printable characters without brackets or surrounding blanks";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_tls(const Provider& p) {
  const TlsSettings& t = p.tls;
  if (t.empty()) return std::nullopt;
  if (p.type != ProviderType::kS3) return std::string("tls settings are for s3 providers only");
  if (!p.endpoint.starts_with("https://")) {
    return std::string("tls settings need an https:// endpoint (plain http has no certificate)");
  }
  if (!t.ca_file.empty() && t.insecure_skip_verify) {
    return std::string(
        "tls.ca_file and tls.insecure_skip_verify contradict each other: a CA file is for "
        "verifying");
  }
  if (!t.ca_file.empty() && !printable(t.ca_file)) {
    return std::string("tls.ca_file has control characters");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_provider(Provider& p) {
  if (!is_name_token(p.id)) {
    return "provider id " + quoted(p.id) + " must be 1-16 characters of [a-z0-9]";
  }
  if (p.name.empty()) p.name = p.id;
  if (p.name.size() > 64 || !printable(p.name)) {
    return "provider name " + quoted(p.name) + " must be 1-64 printable characters";
  }
  if (!is_country_code(p.country)) {
    return "country " + quoted(p.country) +
           " is not an ISO 3166-1 alpha-2 code in lower case (e.g. 'fi')";
  }
  if (!is_name_token(p.city)) {
    return "city " + quoted(p.city) + " must be 1-16 characters of [a-z0-9] (e.g. 'hel')";
  }
  if (p.zones.empty()) return std::string("a provider needs at least one zone");
  std::set<std::string_view> seen;
  for (const std::string& zone : p.zones) {
    const auto name = parse_zone_id(zone);
    if (!name) {
      return "zone " + quoted(zone) +
             " is not named {country}-{city}-{provider}-{n} (e.g. 'fi-hel-st-1')";
    }
    if (name->country != p.country || name->city != p.city || name->provider != p.id) {
      return "zone " + quoted(zone) + " does not belong to provider " + quoted(p.id) + " in " +
             p.region_id() + " (expected " + p.key() + "-<n>)";
    }
    if (!seen.insert(zone).second) return "zone " + quoted(zone) + " is listed twice";
  }
  if (p.type == ProviderType::kS3) {
    if (p.endpoint.empty()) return std::string("an s3 provider needs an endpoint");
    if (auto bad = check_endpoint(p.endpoint)) return bad;
    if (!p.path.empty()) return std::string("path is for filesystem providers only");
  } else if (!p.endpoint.empty()) {
    return std::string("a filesystem provider has no endpoint (use path for its directory)");
  }
  if (!p.path.empty() && !printable(p.path)) {
    return std::string("path has control characters");
  }
  if (!p.region.empty()) {
    const bool ok =
        p.region.size() <= 64 && std::all_of(p.region.begin(), p.region.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    if (!ok) return "region " + quoted(p.region) + " must be [a-z0-9-], at most 64 characters";
  }
  if (auto bad = check_credentials(p)) return bad;
  if (auto bad = check_tls(p)) return bad;
  std::set<std::string_view> caps;
  for (const std::string& cap : p.capabilities) {
    if (std::find(kCapabilities.begin(), kCapabilities.end(), cap) == kCapabilities.end()) {
      return "unknown capability " + quoted(cap) +
             " (known: multipart, versioning, object_lock, tagging, range_get)";
    }
    if (!caps.insert(cap).second) return "capability " + quoted(cap) + " is listed twice";
  }
  if (p.priority < 0 || p.priority > kMaxPriority) {
    return "priority " + std::to_string(p.priority) + " must be between 0 and 1000000";
  }
  return std::nullopt;
}

std::optional<std::string> check_region(Region& region) {
  const auto name = parse_region_id(region.id);
  if (!name) {
    return "region " + quoted(region.id) +
           " is not named {country}-{city} with an ISO 3166 country code (e.g. 'fi-hel')";
  }
  region.country = name->country;
  region.city = name->city;
  return std::nullopt;
}

}  // namespace s3gw::placement
