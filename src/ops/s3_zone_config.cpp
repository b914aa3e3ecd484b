#include "ops/s3_zone_config.h"

#include <stdexcept>

#include "util/aws_credentials_file.h"
#include "util/config.h"
#include "util/log.h"

namespace s3gw::ops {

storage::S3ProviderConfig s3_provider_config(const placement::Provider& p,
                                             const std::string& zone) {
  storage::S3ProviderConfig c;
  c.zone_id = zone;
  c.endpoint = p.endpoint;
  if (!p.region.empty()) c.region = p.region;
  c.addressing = p.addressing_style == placement::AddressingStyle::kVirtual
                     ? storage::S3AddressingStyle::kVirtualHost
                     : storage::S3AddressingStyle::kPath;
  c.tls.ca_file = p.tls.ca_file;
  c.tls.insecure_skip_verify = p.tls.insecure_skip_verify;

  const auto& cred = p.credentials;
  if (!cred.file.empty()) {
    const std::string profile = cred.profile.empty() ? "default" : cred.profile;
    try {
      auto keys = util::load_aws_credentials_file(cred.file, profile);
      c.access_key_id = std::move(keys.access_key_id);
      c.secret_access_key = std::move(keys.secret_access_key);
      c.session_token = std::move(keys.session_token);
    } catch (const std::exception& e) {
      throw std::runtime_error("zone " + zone + ": " + e.what());
    }
    util::log_info(
        "config",
        "zone " + zone + ": keys from " + cred.file + " [" + profile + "]" +
            (c.session_token.empty() ? "" : " (temporary, with a session token: not refreshed)"));
    return c;
  }
  auto key = [&](const std::string& var, const char* what) {
    if (var.empty()) {
      throw std::runtime_error("zone " + zone + ": no " + what + " (credentials." + what +
                               "_env or credentials.file in the provider configuration)");
    }
    auto v = util::env(var.c_str());
    if (!v || v->empty()) throw std::runtime_error("zone " + zone + ": " + var + " is not set");
    return *v;
  };
  c.access_key_id = key(cred.access_key_env, "access_key");
  c.secret_access_key = key(cred.secret_key_env, "secret_key");
  return c;
}

}  // namespace s3gw::ops
