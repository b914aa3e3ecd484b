#pragma once
// Per-customer placement allowances (table customer_placement): the countries a customer of a
// strict region may place data in besides the region's own.
#include <string>
#include <string_view>
#include <vector>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

class CustomerPlacementRepository {
 public:
  explicit CustomerPlacementRepository(PgPool& pool) : pool_(pool) {}

  // Empty when none were granted.
  awaitable<std::vector<std::string>> extra_countries(std::string_view customer);
  // Replaces the list (an empty list revokes every allowance), logged in the same transaction.
  awaitable<void> set_extra_countries(std::string_view customer,
                                      const std::vector<std::string>& countries,
                                      const OperationRecord& log);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
