#include "meta/bucket_mapping_repository.h"

namespace s3gw::meta {

namespace {

constexpr std::string_view kColumns =
    "bucket_key, zone_id, provider_name, backend_bucket, attempt, home_region, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

BucketMapping row(const PgResult& r, int i) {
  BucketMapping m;
  m.bucket_key = r.get(i, 0);
  m.zone_id = r.get(i, 1);
  m.provider_name = r.get(i, 2);
  m.backend_bucket = r.get(i, 3);
  m.attempt = static_cast<int>(r.get_int(i, 4));
  m.home_region = r.get_opt(i, 5);
  m.created_at = r.get(i, 6);
  return m;
}

// PostgreSQL's unique_violation.
bool is_unique_violation(const PgError& e) {
  return e.sqlstate() == "23505";
}

}  // namespace

awaitable<std::optional<BucketMapping>> BucketMappingRepository::find(std::string_view bucket_key,
                                                                      std::string_view zone_id) {
  static const std::string sql = "SELECT " + std::string(kColumns) +
                                 " FROM bucket_mappings WHERE bucket_key = $1 AND zone_id = $2";
  auto lease = co_await pool_.acquire();
  auto r = co_await lease->query(sql, bucket_key, zone_id);
  if (r.empty()) co_return std::nullopt;
  co_return row(r, 0);
}

awaitable<std::vector<BucketMapping>> BucketMappingRepository::list(std::string_view bucket_key) {
  static const std::string sql = "SELECT " + std::string(kColumns) +
                                 " FROM bucket_mappings WHERE bucket_key = $1 ORDER BY zone_id";
  auto lease = co_await pool_.acquire();
  auto r = co_await lease->query(sql, bucket_key);
  std::vector<BucketMapping> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(row(r, i));
  co_return out;
}

awaitable<ClaimOutcome> BucketMappingRepository::claim(const BucketMapping& m) {
  auto lease = co_await pool_.acquire();
  // ON CONFLICT DO NOTHING covers both unique constraints; which one held us back is read
  // afterwards (the zone's row exists, or it does not and the name was the conflict).
  auto r = co_await lease->query(
      "INSERT INTO bucket_mappings (bucket_key, zone_id, provider_name, backend_bucket, attempt, "
      "home_region) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
      m.bucket_key, m.zone_id, m.provider_name, m.backend_bucket, m.attempt, m.home_region);
  if (!r.empty()) co_return ClaimOutcome::kClaimed;
  auto mine =
      co_await lease->query("SELECT 1 FROM bucket_mappings WHERE bucket_key = $1 AND zone_id = $2",
                            m.bucket_key, m.zone_id);
  co_return mine.empty() ? ClaimOutcome::kNameTaken : ClaimOutcome::kZoneTaken;
}

awaitable<ClaimOutcome> BucketMappingRepository::move(std::string_view bucket_key,
                                                      std::string_view zone_id,
                                                      std::string_view from, std::string_view to,
                                                      int attempt) {
  auto lease = co_await pool_.acquire();
  bool taken = false;
  PgResult r;
  try {
    r = co_await lease->query(
        "UPDATE bucket_mappings SET backend_bucket = $4, attempt = $5 "
        "WHERE bucket_key = $1 AND zone_id = $2 AND backend_bucket = $3 RETURNING id",
        bucket_key, zone_id, from, to, attempt);
  } catch (const PgError& e) {
    if (!is_unique_violation(e)) throw;
    taken = true;
  }
  if (taken) co_return ClaimOutcome::kNameTaken;
  co_return r.empty() ? ClaimOutcome::kZoneTaken : ClaimOutcome::kClaimed;
}

awaitable<void> BucketMappingRepository::remove(std::string_view bucket_key,
                                                std::string_view zone_id) {
  auto lease = co_await pool_.acquire();
  co_await lease->query("DELETE FROM bucket_mappings WHERE bucket_key = $1 AND zone_id = $2",
                        bucket_key, zone_id);
}

}  // namespace s3gw::meta
