#include "placement/bucket_hash.h"

#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::placement {

namespace {

// Length-prefixed fields: ("ab","c") and ("a","bc") must not collide.
std::string fields(std::string_view customer_id, std::string_view bucket) {
  std::string msg;
  for (std::string_view part : {customer_id, bucket}) {
    msg += std::to_string(part.size());
    msg += ':';
    msg += part;
  }
  return msg;
}

}  // namespace

std::string bucket_mapping_key(std::string_view deployment_salt, std::string_view customer_id,
                               std::string_view bucket) {
  // A domain prefix keeps these apart from the name digests.
  return util::hex_encode(
      util::hmac_sha256(deployment_salt, "mapping-key\n" + fields(customer_id, bucket)));
}

std::string backend_bucket_name(std::string_view deployment_salt, std::string_view customer_id,
                                std::string_view bucket, std::string_view provider_name,
                                unsigned attempt) {
  std::string msg = fields(customer_id, bucket);
  msg += '#';
  msg += std::to_string(attempt);
  const std::string digest = util::hmac_sha256(deployment_salt, msg);
  std::string name = "s3gw-" + util::hex_encode(std::string_view(digest).substr(0, 4)) + "-";
  // Provider names become lower-case [a-z0-9]; anything else is dropped. 8 characters at most.
  std::string suffix;
  for (char c : provider_name) {
    if (suffix.size() == 8) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) suffix += c;
  }
  if (suffix.empty()) suffix = "p";
  return name + suffix;
}

}  // namespace s3gw::placement
