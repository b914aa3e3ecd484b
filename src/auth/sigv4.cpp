#include "auth/sigv4.h"

#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::auth {

std::string CredentialScope::to_string() const {
  std::string out;
  out.reserve(date.size() + region.size() + service.size() + 16);
  out += date;
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += '/';
  out += kScopeTerminator;
  return out;
}

std::string join_lines(std::initializer_list<std::string_view> lines) {
  std::string out;
  std::size_t size = lines.size();
  for (auto l : lines) size += l.size();
  out.reserve(size);
  for (auto l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  return join_lines(
      {kSigV4Algorithm, amz_date, scope, util::hex_encode(util::sha256(canonical_request))});
}

std::string derive_signing_key(std::string_view secret, const CredentialScope& scope) {
  std::string k_secret = "AWS4";
  k_secret += secret;
  const std::string k_date = util::hmac_sha256(k_secret, scope.date);
  const std::string k_region = util::hmac_sha256(k_date, scope.region);
  const std::string k_service = util::hmac_sha256(k_region, scope.service);
  return util::hmac_sha256(k_service, kScopeTerminator);
}

std::string compute_signature(std::string_view signing_key, std::string_view string_to_sign) {
  return util::hex_encode(util::hmac_sha256(signing_key, string_to_sign));
}

}  // namespace s3gw::auth
