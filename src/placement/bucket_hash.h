#pragma once
// The bucket hash mapping: the backend bucket that holds a customer bucket's blobs on one
// provider, "s3gw-<8 hex>-<provider>". Deterministic (HMAC of customer and bucket under the
// deployment salt, so names reveal nothing and differ between deployments) and always a valid
// S3 bucket name. `attempt` > 0 yields the next candidate when a name is taken (on the provider
// by someone else, or by another mapping: names are unique per provider name).
#include <string>
#include <string_view>

namespace s3gw::placement {

std::string backend_bucket_name(std::string_view deployment_salt, std::string_view customer_id,
                                std::string_view bucket, std::string_view provider_name,
                                unsigned attempt = 0);

// The key of a bucket's rows in the global database's bucket_mappings: HMAC-SHA256 of
// (customer, bucket) under the deployment salt, hex. Names never appear in clear there.
std::string bucket_mapping_key(std::string_view deployment_salt, std::string_view customer_id,
                               std::string_view bucket);

}  // namespace s3gw::placement
