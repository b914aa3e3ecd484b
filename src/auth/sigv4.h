#pragma once
#include <initializer_list>
// The SigV4 primitives: credential scope, string to sign, signing key, signature.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
#include <string>
#include <string_view>

namespace s3gw::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kSigV4EcdsaAlgorithm = "AWS4-ECDSA-P256-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
// Hex SHA-256 of the empty string: the payload hash of a bodiless request.
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The <date>/<region>/<service>/aws4_request part of a credential.
struct CredentialScope {
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;

  // "20130524/us-east-1/s3/aws4_request"
  std::string to_string() const;
  bool operator==(const CredentialScope&) const = default;
};

// Every SigV4 string to sign is lines joined with '\n' (no trailing newline).
std::string join_lines(std::initializer_list<std::string_view> lines);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>"
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);

// HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request"; raw 32 bytes.
std::string derive_signing_key(std::string_view secret, const CredentialScope& scope);

// Lowercase hex HMAC-SHA256 of `string_to_sign` under the raw signing key.
std::string compute_signature(std::string_view signing_key, std::string_view string_to_sign);

}  // namespace s3gw::auth
