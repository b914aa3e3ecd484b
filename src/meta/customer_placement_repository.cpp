#include "meta/customer_placement_repository.h"

#include "meta/operation_log.h"

namespace s3gw::meta {

awaitable<std::vector<std::string>> CustomerPlacementRepository::extra_countries(
    std::string_view customer) {
  auto lease = co_await pool_.acquire();
  auto res = co_await lease->query(
      "SELECT unnest(extra_countries) FROM customer_placement WHERE customer_id = $1", customer);
  std::vector<std::string> out;
  for (int i = 0; i < res.rows(); ++i) out.emplace_back(res.get(i, 0));
  co_return out;
}

awaitable<void> CustomerPlacementRepository::set_extra_countries(
    std::string_view customer, const std::vector<std::string>& countries,
    const OperationRecord& log) {
  auto lease = co_await pool_.acquire();
  auto tx = co_await PgTransaction::begin(lease);
  co_await tx.conn().query(
      "INSERT INTO customer_placement (customer_id, extra_countries) VALUES ($1, $2::text[]) "
      "ON CONFLICT (customer_id) DO UPDATE SET extra_countries = EXCLUDED.extra_countries, "
      "updated_at = now()",
      customer, countries);
  co_await OperationLog::record(tx.conn(), log);
  co_await tx.commit();
}

}  // namespace s3gw::meta
