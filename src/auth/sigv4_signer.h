#pragma once
// SigV4 signing as botocore's S3SigV4Auth / S3SigV4QueryAuth do it (tests compare the two):
// every header is signed except the hop-by-hop ones botocore leaves out, the path is not
// normalized, presigned parameters come in botocore's order.
#include <string>

#include "auth/signer.h"
#include "auth/sigv4.h"

namespace s3gw::auth {

class SigningKeyCache;

struct SigV4SignerOptions {
  std::string region = {};
  std::string service = "s3";
  // S3 wants x-amz-content-sha256 on every header-signed request; the generic SigV4 test
  // vectors (other services) do not have it.
  bool content_sha256_header = true;
  SigningKeyCache* key_cache = nullptr;  // optional
};

class SigV4Signer final : public Signer {
 public:
  SigV4Signer(Credentials credentials, SigV4SignerOptions options);

  SigningResult sign(SignableRequest& request, util::TimePoint now) const override;
  SigningResult presign(SignableRequest& request, std::chrono::seconds expires,
                        util::TimePoint now) const override;

 private:
  std::string signing_key(const CredentialScope& scope) const;
  // Canonical request, string to sign and signature of `request` as it now stands.
  SigningResult sign_prepared(const SignableRequest& request,
                              const std::vector<std::string>& signed_headers, bool presigned,
                              const std::string& amz_date, const CredentialScope& scope,
                              const std::string& scope_text) const;

  Credentials credentials_;
  SigV4SignerOptions options_;
};

}  // namespace s3gw::auth
