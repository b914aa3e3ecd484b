#include "ops/authenticator.h"

#include "auth/request_verifier.h"
#include "ops/beast_header_lookup.h"
#include "util/log.h"

namespace s3gw::ops {

namespace {

std::string reason_of(const auth::AuthError& e) {
  return std::string(auth::auth_errc_name(e.code)) + ": " + e.message;
}

AuthFailure failure(const auth::AuthError& e) {
  AuthFailure f{auth::to_s3_error(e), reason_of(e), std::nullopt, std::nullopt, std::nullopt};
  if (!e.access_key_id.empty()) f.access_key_id = e.access_key_id;
  return f;
}

}  // namespace

Authenticator::Authenticator(meta::CredentialCache& credentials, auth::VerifyOptions options)
    : credentials_(credentials), options_(std::move(options)) {
  options_.key_cache = &key_cache_;
}

std::shared_ptr<const auth::Permissions> Authenticator::permissions_of(
    const std::string& document) {
  std::lock_guard lock(mutex_);
  if (auto it = parsed_.find(document); it != parsed_.end()) return it->second;
  auto parsed = auth::Permissions::parse(document);
  std::shared_ptr<const auth::Permissions> p;
  if (auto* ok = std::get_if<auth::Permissions>(&parsed)) {
    p = std::make_shared<const auth::Permissions>(std::move(*ok));
  } else {
    // Stored documents were validated on the way in; one that no longer parses grants nothing.
    util::log_warn("auth",
                   "a stored permission document does not parse: " + std::get<std::string>(parsed));
    p = std::make_shared<const auth::Permissions>();
  }
  // Bounded: distinct documents are few (one per role, in practice).
  if (parsed_.size() >= 4096) parsed_.clear();
  parsed_.emplace(document, p);
  return p;
}

boost::asio::awaitable<std::variant<Authenticated, AuthFailure>> Authenticator::authenticate(
    const http::Request& request) {
  const BeastHeaderLookup headers(request.headers());
  const auth::RequestView view{request.method_string(), request.path(), request.query(), headers};
  const auto now = util::Clock::now();

  // The verifier asks for the secret synchronously, the credential store may need the
  // database: the first pass is served from the cache, and on a miss it learns which key is
  // asked for (failing fast on anything wrong before the lookup); the second pass verifies
  // with the credential fetched.
  std::optional<std::string> wanted;
  std::optional<meta::SecretLookup> cred;
  const auto from_cache = [&](std::string_view akid) -> std::optional<std::string> {
    wanted = std::string(akid);
    cred = credentials_.peek(akid);
    if (!cred || cred->outcome != meta::SecretOutcome::kOk) return std::nullopt;
    return cred->secret;
  };
  auto verified = auth::verify_request(view, from_cache, now, options_);
  if (!verified.ok() && wanted && !cred &&
      verified.error().code == auth::AuthErrc::kInvalidAccessKeyId) {
    cred = co_await credentials_.lookup(*wanted);
    if (cred->outcome == meta::SecretOutcome::kOk) {
      const auto fetched = [&](std::string_view akid) -> std::optional<std::string> {
        if (akid != *wanted) return std::nullopt;
        return cred->secret;
      };
      verified = auth::verify_request(view, fetched, now, options_);
    }
  }
  if (!verified.ok()) {
    auto f = failure(verified.error());
    if (!wanted && verified.error().code == auth::AuthErrc::kAccessDenied &&
        !request.header("authorization") &&
        request.query().find("Signature") == std::string::npos) {
      f.reason = "anonymous request: no signature";
    }
    if (wanted) f.access_key_id = *wanted;
    if (cred && cred->info) {
      f.customer_id = cred->info->customer_id;
      f.user_id = cred->info->user_id;
    }
    if (cred && cred->outcome == meta::SecretOutcome::kInactive) f.reason += " (key deactivated)";
    if (cred && cred->outcome == meta::SecretOutcome::kUnreadable) {
      f.reason += " (stored secret does not open under the master key)";
    }
    co_return f;
  }
  credentials_.touch(*wanted);
  co_return Authenticated{std::move(verified.value()), cred->info->customer_id, cred->info->user_id,
                          permissions_of(cred->info->permissions)};
}

}  // namespace s3gw::ops
