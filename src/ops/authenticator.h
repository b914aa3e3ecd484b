#pragma once
// Who sent an S3 request: verifies its SigV4/SigV2 signature against the credential store and
// returns the caller's customer, user and permissions, or the S3 error to answer with and the
// reason to audit. The body is not read here: a streaming body's chunk signatures and a signed
// payload hash are checked by the handler that reads it (see S3Request::identity).
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "auth/identity.h"
#include "auth/permissions.h"
#include "auth/signing_key_cache.h"
#include "auth/verify_options.h"
#include "http/request.h"
#include "meta/credential_cache.h"
#include "s3/error.h"

namespace s3gw::ops {

struct Authenticated {
  auth::Identity identity;
  std::string customer_id;
  std::string user_id;
  std::shared_ptr<const auth::Permissions> permissions;
};

struct AuthFailure {
  s3::S3Error error;
  std::string reason;  // for the audit trail: never a secret or a signature
  std::optional<std::string> access_key_id;
  std::optional<std::string> customer_id;  // known when the key exists
  std::optional<std::string> user_id;
};

class Authenticator {
 public:
  // `options.key_cache` is set to this authenticator's own signing-key cache.
  Authenticator(meta::CredentialCache& credentials, auth::VerifyOptions options);

  boost::asio::awaitable<std::variant<Authenticated, AuthFailure>> authenticate(
      const http::Request& request);

 private:
  // Parsed permission documents, shared by every request of a credential: parsing JSON per
  // request would cost more than verifying the signature.
  std::shared_ptr<const auth::Permissions> permissions_of(const std::string& document);

  meta::CredentialCache& credentials_;
  auth::SigningKeyCache key_cache_;
  auth::VerifyOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const auth::Permissions>> parsed_;
};

}  // namespace s3gw::ops
