#pragma once
// The connection settings of a zone on an S3 provider, from its provider entry: endpoint,
// signing region, addressing style, TLS trust (tls.ca_file, tls.insecure_skip_verify) and the
// keys. Keys come from the two environment variables the entry names, or from the AWS
// shared-credentials file it names (credentials.file, section credentials.profile or
// "default"), read here and only here: at provider construction, never per request. The
// configuration files never hold a secret, and no secret reaches a message or the log.
#include <string>

#include "placement/provider.h"
#include "storage/s3_provider_config.h"

namespace s3gw::ops {

// Throws std::runtime_error naming the zone when a variable is unset or empty, or the
// credentials file is missing, too open (util::load_aws_credentials_file) or lacks the profile.
storage::S3ProviderConfig s3_provider_config(const placement::Provider& provider,
                                             const std::string& zone);

}  // namespace s3gw::ops
