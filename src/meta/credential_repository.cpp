#include "meta/credential_repository.h"

#include <openssl/crypto.h>

#include "meta/operation_log.h"
#include "util/access_key.h"
#include "util/aead.h"
#include "util/encoding.h"
#include "util/random.h"

namespace s3gw::meta {

namespace {

// Column order read by info_from_row(); secret_sealed comes last.
#define S3GW_CREDENTIAL_COLUMNS                                                        \
  "access_key_id, user_id, user_name, email, customer_id, permissions::text, active, " \
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "      \
  "to_char(last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), secret_sealed"
constexpr int kSealedColumn = 9;

// Associated data of a sealed secret: binds it to its row, so a ciphertext moved to another
// access key id fails to open.
std::string aad_for(std::string_view access_key_id) {
  return "s3gw-credential-v1:" + std::string(access_key_id);
}

}  // namespace

CredentialRepository::~CredentialRepository() {
  OPENSSL_cleanse(master_key_.data(), master_key_.size());
}

std::optional<std::string> CredentialRepository::open_secret(std::string_view access_key_id,
                                                             std::string_view sealed_base64) const {
  auto sealed = util::base64_decode(sealed_base64);
  if (!sealed) return std::nullopt;
  return util::aead_open(master_key_, *sealed, aad_for(access_key_id));
}

CredentialInfo CredentialRepository::info_from_row(const PgResult& r, int i) const {
  CredentialInfo c;
  c.access_key_id = std::string(r.get(i, 0));
  c.user_id = std::string(r.get(i, 1));
  c.user_name = r.get_opt(i, 2);
  c.email = r.get_opt(i, 3);
  c.customer_id = std::string(r.get(i, 4));
  c.permissions = std::string(r.get(i, 5));
  c.active = r.get_bool(i, 6);
  c.created_at = std::string(r.get(i, 7));
  c.last_used_at = r.get_opt(i, 8);
  auto secret = open_secret(c.access_key_id, r.get(i, kSealedColumn));
  c.secret_status = secret ? SecretStatus::kOk : SecretStatus::kUnreadable;
  if (secret) OPENSSL_cleanse(secret->data(), secret->size());
  return c;
}

awaitable<NewCredential> CredentialRepository::create(NewCredentialRequest request,
                                                      OperationRecord log) {
  NewCredential out;
  out.secret_access_key = util::mint_secret_access_key();
  const std::string customer = request.customer_id.value_or("cust-" + util::random_hex(8));
  const std::string user = request.user_id.value_or("user-" + util::random_hex(8));
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  // 75 random bits make a collision practically impossible; the retry makes it harmless.
  for (int attempt = 0;; ++attempt) {
    const std::string id = util::mint_access_key_id(region_);
    const std::string sealed =
        util::base64_encode(util::aead_seal(master_key_, out.secret_access_key, aad_for(id)));
    static const std::string sql =
        "INSERT INTO s3_credentials (access_key_id, secret_sealed, user_id, user_name, email, "
        "customer_id, permissions) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) "
        "ON CONFLICT (access_key_id) DO NOTHING RETURNING " S3GW_CREDENTIAL_COLUMNS;
    auto res = co_await tx.conn().query(sql, id, sealed, user, request.user_name, request.email,
                                        customer, request.permissions);
    if (!res.empty()) {
      out.info = info_from_row(res, 0);
      break;
    }
    if (attempt >= 4) throw std::runtime_error("could not mint a unique access key id");
  }
  log.customer_id = customer;
  log.user_id = user;
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return out;
}

awaitable<std::optional<CredentialInfo>> CredentialRepository::find(
    std::string_view access_key_id) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query("SELECT " S3GW_CREDENTIAL_COLUMNS
                                   " FROM s3_credentials WHERE access_key_id = $1",
                                   access_key_id);
  if (res.empty()) co_return std::nullopt;
  co_return info_from_row(res, 0);
}

awaitable<std::vector<CredentialInfo>> CredentialRepository::list() {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query("SELECT " S3GW_CREDENTIAL_COLUMNS
                                   " FROM s3_credentials ORDER BY created_at, access_key_id");
  std::vector<CredentialInfo> out;
  out.reserve(static_cast<std::size_t>(res.rows()));
  for (int i = 0; i < res.rows(); ++i) out.push_back(info_from_row(res, i));
  co_return out;
}

awaitable<SecretLookup> CredentialRepository::secret(std::string_view access_key_id) {
  SecretLookup out;
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query("SELECT " S3GW_CREDENTIAL_COLUMNS
                                   " FROM s3_credentials WHERE access_key_id = $1",
                                   access_key_id);
  if (res.empty()) co_return out;
  out.info = info_from_row(res, 0);
  if (!out.info->active) {
    out.outcome = SecretOutcome::kInactive;
    co_return out;
  }
  auto secret = open_secret(access_key_id, res.get(0, kSealedColumn));
  if (!secret) {
    out.outcome = SecretOutcome::kUnreadable;
    co_return out;
  }
  out.outcome = SecretOutcome::kOk;
  out.secret = std::move(*secret);
  co_return out;
}

awaitable<bool> CredentialRepository::update_permissions(std::string_view access_key_id,
                                                         std::string permissions,
                                                         OperationRecord log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto res = co_await tx.conn().query(
      "UPDATE s3_credentials SET permissions = $2::jsonb WHERE access_key_id = $1 "
      "RETURNING customer_id, user_id",
      access_key_id, permissions);
  if (res.empty()) co_return false;  // the lease rolls back
  log.customer_id = std::string(res.get(0, 0));
  log.user_id = std::string(res.get(0, 1));
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return true;
}

awaitable<bool> CredentialRepository::deactivate(std::string_view access_key_id,
                                                 OperationRecord log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  auto res = co_await tx.conn().query(
      "UPDATE s3_credentials SET active = false WHERE access_key_id = $1 "
      "RETURNING customer_id, user_id",
      access_key_id);
  if (res.empty()) co_return false;
  log.customer_id = std::string(res.get(0, 0));
  log.user_id = std::string(res.get(0, 1));
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
  co_return true;
}

awaitable<bool> CredentialRepository::user_exists(std::string_view user_id) {
  auto lease = co_await pool_.acquire();
  auto res =
      co_await lease->query("SELECT 1 FROM s3_credentials WHERE user_id = $1 LIMIT 1", user_id);
  co_return !res.empty();
}

awaitable<std::vector<Bucket>> CredentialRepository::buckets_of_user(std::string_view user_id) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT id, customer_id, name, owner_user_id, location_constraint, versioning, "
      "(extract(epoch from created_at) * 1000)::bigint FROM buckets WHERE owner_user_id = $1 "
      "ORDER BY customer_id, name",
      user_id);
  std::vector<Bucket> out;
  for (int i = 0; i < res.rows(); ++i) {
    Bucket b;
    b.id = res.get_int(i, 0);
    b.customer_id = std::string(res.get(i, 1));
    b.name = std::string(res.get(i, 2));
    b.owner_user_id = res.get_opt(i, 3);
    b.location_constraint = std::string(res.get(i, 4));
    b.versioning = std::string(res.get(i, 5));
    b.created_at = util::from_unix_ms(res.get_int(i, 6));
    out.push_back(std::move(b));
  }
  co_return out;
}

}  // namespace s3gw::meta
