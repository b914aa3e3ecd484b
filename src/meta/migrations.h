#pragma once
#include <string_view>
#include <vector>

#include "meta/pg.h"

namespace s3gw::meta {

struct Migration {
  std::string_view database;  // "regional" or "global"
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& embedded_migrations();

// Applies the not yet applied migrations of `database` in version order, each in its own
// transaction, under an advisory lock so concurrent gateway processes apply them once.
awaitable<int> apply_migrations(PgConnection& conn, std::string_view database);

}  // namespace s3gw::meta
