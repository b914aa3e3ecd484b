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

  // The verifier asks for the secret synchronously, the credential store answers
  // asynchronously: a first pass learns which key is asked for (and fails fast on anything
  // wrong before the lookup), the second verifies with the credential in hand.
  std::optional<std::string> wanted;
  auto first = auth::verify_request(
      view,
      [&](std::string_view akid) -> std::optional<std::string> {
        wanted = std::string(akid);
        return std::nullopt;
      },
      now, options_);
  if (first.ok()) throw std::logic_error("verified without a secret");
  if (!wanted || first.error().code != auth::AuthErrc::kInvalidAccessKeyId) {
    auto f = failure(first.error());
    if (!wanted && first.error().code == auth::AuthErrc::kAccessDenied &&
        !request.header("authorization") &&
        request.query().find("Signature") == std::string::npos) {
      f.reason = "anonymous request: no signature";
    }
    co_return f;
  }

  const meta::SecretLookup cred = co_await credentials_.lookup(*wanted);
  if (cred.outcome != meta::SecretOutcome::kOk) {
    auto f = failure(first.error());  // InvalidAccessKeyId, whatever the cause
    f.access_key_id = *wanted;
    if (cred.outcome == meta::SecretOutcome::kInactive) f.reason += " (key deactivated)";
    if (cred.outcome == meta::SecretOutcome::kUnreadable) {
      f.reason += " (stored secret does not open under the master key)";
    }
    if (cred.info) {
      f.customer_id = cred.info->customer_id;
      f.user_id = cred.info->user_id;
    }
    co_return f;
  }
  auto verified = auth::verify_request(
      view,
      [&](std::string_view akid) -> std::optional<std::string> {
        if (akid != *wanted) return std::nullopt;
        return cred.secret;
      },
      now, options_);
  if (!verified.ok()) {
    auto f = failure(verified.error());
    f.access_key_id = *wanted;
    f.customer_id = cred.info->customer_id;
    f.user_id = cred.info->user_id;
    co_return f;
  }
  credentials_.touch(*wanted);
  co_return Authenticated{std::move(verified.value()), cred.info->customer_id, cred.info->user_id,
                          permissions_of(cred.info->permissions)};
}

}  // namespace s3gw::ops
