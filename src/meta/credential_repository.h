#pragma once
// S3 credentials of this region (table s3_credentials). Secrets are sealed with AES-256-GCM
// under the master key, bound to their access key id, and leave this class in clear only
// through create() (shown once to the admin) and secret() (for request authentication).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

// Whether the stored sealed secret opens under the current master key and access key id. A
// row altered at rest, or sealed under another master key, is "unreadable": the credential is
// unusable, and that is reported instead of garbage.
enum class SecretStatus { kOk, kUnreadable };

struct CredentialInfo {
  std::string access_key_id;
  std::string user_id;
  std::optional<std::string> user_name;
  std::optional<std::string> email;
  std::string customer_id;
  std::string permissions;  // JSON object text, as stored
  bool active = true;
  std::string created_at;                   // ISO 8601, UTC
  std::optional<std::string> last_used_at;  // ISO 8601, UTC
  SecretStatus secret_status = SecretStatus::kOk;
};

struct NewCredentialRequest {
  std::optional<std::string> user_name;
  std::optional<std::string> email;
  std::optional<std::string> customer_id;  // a new customer when absent
  std::optional<std::string> user_id;      // a new user when absent
  std::string permissions = "{}";          // JSON object text, already validated
};

struct NewCredential {
  CredentialInfo info;
  std::string secret_access_key;
};

// NOTIFY channel of credential changes; the payload is the access key id (CredentialCache).
// A trigger on s3_credentials sends it (migrations/regional/003), so changes made in SQL by
// hand reach every gateway too; last_used_at updates do not fire it.
inline constexpr std::string_view kCredentialsChannel = "s3gw_credentials";

enum class SecretOutcome { kOk, kNotFound, kInactive, kUnreadable };

struct SecretLookup {
  SecretOutcome outcome = SecretOutcome::kNotFound;
  std::optional<CredentialInfo> info;
  std::string secret;  // set only when outcome is kOk
};

class CredentialRepository {
 public:
  // `master_key` is 32 bytes; `region` picks the region code minted into access key ids.
  CredentialRepository(PgPool& pool, std::string region, std::string master_key)
      : pool_(pool), region_(std::move(region)), master_key_(std::move(master_key)) {}
  ~CredentialRepository();
  CredentialRepository(const CredentialRepository&) = delete;
  CredentialRepository& operator=(const CredentialRepository&) = delete;

  // Mints a key id and secret, stores them sealed and writes `log` (customer and user filled
  // in here) in the same transaction.
  awaitable<NewCredential> create(NewCredentialRequest request, OperationRecord log);
  awaitable<std::optional<CredentialInfo>> find(std::string_view access_key_id);
  awaitable<std::vector<CredentialInfo>> list();
  // For request authentication only: the secret in clear of an active credential.
  awaitable<SecretLookup> secret(std::string_view access_key_id);
  // False when no such credential exists; nothing changes then.
  awaitable<bool> update_permissions(std::string_view access_key_id, std::string permissions,
                                     OperationRecord log);
  awaitable<bool> deactivate(std::string_view access_key_id, OperationRecord log);
  // Whether any credential (active or not) belongs to `user_id`.
  awaitable<bool> user_exists(std::string_view user_id);
  awaitable<std::vector<Bucket>> buckets_of_user(std::string_view user_id);

 private:
  CredentialInfo info_from_row(const PgResult& r, int i) const;
  std::optional<std::string> open_secret(std::string_view access_key_id,
                                         std::string_view sealed_base64) const;

  PgPool& pool_;
  std::string region_;
  std::string master_key_;
};

}  // namespace s3gw::meta
