#include "meta/migrations.h"

#include <algorithm>
#include <set>

#include "util/log.h"

namespace s3gw::meta {

awaitable<int> apply_migrations(PgConnection& conn, std::string_view database) {
  // Session-level lock: held across the per-migration transactions, released at the end.
  co_await conn.query("SELECT pg_advisory_lock(hashtext('s3gw-migrations'))");
  // On failure the process exits and the lock goes with its connection.
  int applied = 0;
  {
    // One table for both sets: a regional gateway without a global database of its own keeps
    // the global tables (bucket mappings, the provider catalog) in its regional database.
    co_await conn.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (database text NOT NULL, "
        "version integer NOT NULL, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (database, version))");
    auto shape = co_await conn.query(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'schema_migrations' AND column_name = 'database'");
    if (shape.rows() == 0) {  // a database from before the sets were told apart
      co_await conn.query("BEGIN");
      co_await conn.query("ALTER TABLE schema_migrations ADD COLUMN database text");
      co_await conn.query("UPDATE schema_migrations SET database = split_part(name, '/', 1)");
      co_await conn.query("ALTER TABLE schema_migrations ALTER COLUMN database SET NOT NULL");
      co_await conn.query("ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey");
      co_await conn.query("ALTER TABLE schema_migrations ADD PRIMARY KEY (database, version)");
      co_await conn.query("COMMIT");
    }
    auto done = co_await conn.query("SELECT version FROM schema_migrations WHERE database = $1",
                                    std::string(database));
    std::set<std::int64_t> have;
    for (int i = 0; i < done.rows(); ++i) have.insert(done.get_int(i, 0));

    std::vector<const Migration*> todo;
    for (const auto& m : embedded_migrations()) {
      if (m.database == database && !have.contains(m.version)) todo.push_back(&m);
    }
    std::sort(todo.begin(), todo.end(),
              [](const Migration* a, const Migration* b) { return a->version < b->version; });
    for (const Migration* m : todo) {
      co_await conn.query("BEGIN");
      co_await conn.exec_script(m->sql);
      co_await conn.query(
          "INSERT INTO schema_migrations (database, version, name) VALUES ($1, $2, $3)",
          std::string(database), m->version, m->name);
      co_await conn.query("COMMIT");
      util::log_info("meta", "applied migration " + std::string(m->name));
      ++applied;
    }
  }
  co_await conn.query("SELECT pg_advisory_unlock(hashtext('s3gw-migrations'))");
  co_return applied;
}

}  // namespace s3gw::meta
