// s3gw: `s3gw regional` serves the S3 API of one region; `s3gw global` routes between regions.
// Settings come from the environment (see README) and may be overridden by flags.
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "admin/admin_api.h"
#include "global/global_gateway.h"
#include "http/server.h"
#include "meta/bucket_mapping_repository.h"
#include "meta/bucket_repository.h"
#include "meta/credential_cache.h"
#include "meta/credential_repository.h"
#include "meta/customer_placement_repository.h"
#include "meta/migrations.h"
#include "meta/multipart_repository.h"
#include "meta/object_lock_repository.h"
#include "meta/object_repository.h"
#include "meta/operation_log.h"
#include "meta/pg_pool.h"
#include "meta/provider_catalog.h"
#include "meta/tag_repository.h"
#include "ops/authenticator.h"
#include "ops/catalog.h"
#include "ops/garbage.h"
#include "ops/provider_health.h"
#include "ops/reply.h"
#include "ops/s3_dispatcher.h"
#include "ops/s3_zone_config.h"
#include "ops/topology.h"
#include "placement/registry_loader.h"
#include "s3/error.h"
#include "storage/filesystem_provider.h"
#include "storage/s3_provider.h"
#include "storage/zone_set.h"
#include "util/blocking_pool.h"
#include "util/config.h"
#include "util/log.h"
#include "util/master_key.h"
#include "util/random.h"

namespace asio = boost::asio;
using namespace s3gw;

namespace {

struct Settings {
  std::string role;
  std::string region = util::env_or("S3GW_REGION", "fi-hel");
  std::string bind = util::env_or("S3GW_BIND", "127.0.0.1");
  std::int64_t port = util::env_int("S3GW_PORT", 0);
  std::string database_url = util::env_or("S3GW_DATABASE_URL", "");
  std::string data_dir = util::env_or("S3GW_DATA_DIR", "var/zones");
  // Providers and zones: s3_backends.json and/or providers.csv in this directory.
  std::string config_dir = util::env_or("S3GW_CONFIG_DIR", "config");
  std::string port_file = util::env_or("S3GW_PORT_FILE", "");
  std::int64_t threads = util::env_int("S3GW_THREADS", 0);
  std::int64_t db_pool = util::env_int("S3GW_DB_POOL", 8);
  std::int64_t blocking_threads = util::env_int("S3GW_BLOCKING_THREADS", 8);
  std::int64_t header_timeout = util::env_int("S3GW_HEADER_TIMEOUT", 20);
  std::int64_t idle_timeout = util::env_int("S3GW_IDLE_TIMEOUT", 60);
  std::int64_t body_timeout = util::env_int("S3GW_BODY_TIMEOUT", 60);
  std::int64_t shutdown_grace = util::env_int("S3GW_SHUTDOWN_GRACE", 30);
  std::int64_t health_interval = util::env_int("S3GW_HEALTH_INTERVAL", 5);  // 0: no checks
  bool auth = util::env_bool("ENABLE_S3_AUTHENTICATION", false);
  // Credential-scope regions accepted besides the gateway's own (SDKs default to us-east-1).
  std::vector<std::string> accepted_regions = util::env_list("S3GW_ACCEPTED_REGIONS", "us-east-1");
  std::vector<std::string> auth_bypass = util::env_list("S3_AUTH_BYPASS_ENDPOINTS", "/health");
  std::optional<std::string> admin_token = util::env("S3GW_ADMIN_TOKEN");
  std::string salt = util::env_or("S3GW_DEPLOYMENT_SALT", "s3gw-dev-salt");
  // The global database (provider catalog, bucket mappings). A regional gateway without one
  // keeps those tables in its own database (a single-region deployment, tests).
  std::string global_database_url = util::env_or("S3GW_GLOBAL_DATABASE_URL", "");
  std::string log_level = util::env_or("S3GW_LOG_LEVEL", "info");
};

void usage() {
  std::cout
      << "usage: s3gw regional|global [--region R] [--port N] [--bind ADDR]\n"
         "            [--database-url CONNINFO] [--global-database-url CONNINFO]\n"
         "            [--data-dir DIR] [--config-dir DIR]\n"
         "            [--port-file FILE] [--threads N]\n"
         "Every flag has an environment variable (S3GW_REGION, S3GW_PORT, ...); see README.\n";
}

Settings parse(int argc, char** argv) {
  Settings s;
  if (argc < 2) throw std::invalid_argument("missing command");
  s.role = argv[1];
  if (s.role != "regional" && s.role != "global")
    throw std::invalid_argument("unknown command " + s.role);
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--region")
      s.region = value;
    else if (flag == "--port")
      s.port = std::stoll(value);
    else if (flag == "--bind")
      s.bind = value;
    else if (flag == "--database-url")
      s.database_url = value;
    else if (flag == "--global-database-url")
      s.global_database_url = value;
    else if (flag == "--data-dir")
      s.data_dir = value;
    else if (flag == "--config-dir")
      s.config_dir = value;
    else if (flag == "--port-file")
      s.port_file = value;
    else if (flag == "--threads")
      s.threads = std::stoll(value);
    else
      throw std::invalid_argument("unknown flag " + flag);
  }
  if (s.port < 0 || s.port > 65535) throw std::invalid_argument("port out of range");
  if (s.database_url.empty())
    throw std::invalid_argument("S3GW_DATABASE_URL (or --database-url) is required");
  if (s.threads <= 0) s.threads = std::max(1u, std::thread::hardware_concurrency());
  return s;
}

// Waits for SIGTERM/SIGINT, drains the server up to the grace period, then stops.
asio::awaitable<void> shutdown_on_signal(asio::io_context& ioc, http::Server& server,
                                         std::chrono::seconds grace, meta::OperationLog* oplog,
                                         meta::CredentialCache* credential_cache,
                                         std::unique_ptr<ops::ProviderHealth>& health,
                                         const std::atomic<int>& catalog_writes) {
  asio::signal_set signals(ioc, SIGTERM, SIGINT);
  const int sig = co_await signals.async_wait(asio::use_awaitable);
  util::log_info("app", "signal " + std::to_string(sig) + ": draining connections");
  server.begin_shutdown();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  asio::steady_timer t(ioc);
  while (server.active_sessions() > 0 && std::chrono::steady_clock::now() < deadline) {
    t.expires_after(std::chrono::milliseconds(50));
    co_await t.async_wait(asio::use_awaitable);
  }
  if (server.active_sessions() > 0) {
    util::log_warn("app",
                   std::to_string(server.active_sessions()) + " connections cut at the deadline");
    // Let the cut sessions unwind (their uploads abort, their leases return) while the server
    // and the pool still exist, rather than having ioc's destructor destroy their frames.
    server.abort_all();
    const auto cut_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.active_sessions() > 0 && std::chrono::steady_clock::now() < cut_deadline) {
      t.expires_after(std::chrono::milliseconds(20));
      co_await t.async_wait(asio::use_awaitable);
    }
  }
  if (health) co_await health->stop();
  // Health transitions still being written hold database leases: let them finish while the
  // pools exist (their frames would otherwise be destroyed with the io_context, after them).
  const auto writes_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (catalog_writes.load() > 0 && std::chrono::steady_clock::now() < writes_deadline) {
    t.expires_after(std::chrono::milliseconds(20));
    co_await t.async_wait(asio::use_awaitable);
  }
  if (oplog != nullptr) {
    oplog->stop();
    co_await oplog->flush();
  }
  if (credential_cache != nullptr) {
    credential_cache->stop();
    co_await credential_cache->flush_last_used();
  }
  util::log_info("app", "stopped");
  ioc.stop();
}

// Temporaries of uploads whose process died (kill -9, power loss) are removed once they are
// clearly abandoned: no write for an hour, far beyond any body timeout.
asio::awaitable<void> sweep_uploads_loop(asio::io_context& ioc, ops::TopologyHolder& topology) {
  asio::steady_timer t(ioc);
  for (;;) {
    for (const auto& zone : topology.current().zones.all()) {
      try {
        const auto n = co_await zone.provider.sweep_abandoned_uploads(std::chrono::hours(1));
        if (n > 0) {
          util::log_info("gc", "removed " + std::to_string(n) + " abandoned upload files in " +
                                   zone.provider.zone_id());
        }
      } catch (const std::exception& e) {
        util::log_warn("gc", "upload sweep of " + zone.provider.zone_id() + " failed: " + e.what());
      }
    }
    t.expires_after(std::chrono::minutes(10));
    co_await t.async_wait(asio::use_awaitable);
  }
}

// The provider registry from the configuration directory; a start-up error when it is
// missing or invalid (placement cannot decide without it).
placement::Registry load_registry(const std::string& dir) {
  std::vector<std::string> files;
  for (const char* name : {"s3_backends.json", "providers.csv"}) {
    const auto path = std::filesystem::path(dir) / name;
    if (std::filesystem::exists(path)) files.push_back(path.string());
  }
  if (files.empty()) {
    throw std::runtime_error("no provider configuration (s3_backends.json, providers.csv) in " +
                             dir + "; set S3GW_CONFIG_DIR");
  }
  auto registry = placement::load_registry(files);
  if (!registry) throw std::runtime_error(registry.error().message);
  return std::move(registry.value());
}

// What a zone's provider is built from, as text: a reload keeps the provider (and its
// connections) of a zone whose text is unchanged. Credentials by reference only.
std::string provider_fingerprint(const placement::Provider& p, const std::string& data_dir) {
  std::string f;
  for (const std::string* part :
       {&p.name, &p.endpoint, &p.path, &p.region, &p.credentials.access_key_env,
        &p.credentials.secret_key_env, &p.credentials.file, &p.credentials.profile, &p.tls.ca_file,
        &data_dir}) {
    f += std::to_string(part->size()) + ":" + *part + ";";
  }
  f += std::string(placement::to_string(p.type)) + ";" +
       std::string(placement::to_string(p.addressing_style)) + ";" +
       (p.tls.insecure_skip_verify ? "insecure" : "verify");
  // Rotated keys or a renewed CA: a changed file makes a new provider, which reads it again.
  for (const std::string* file : {&p.credentials.file, &p.tls.ca_file}) {
    std::error_code ec;
    if (file->empty()) continue;
    const auto t = std::filesystem::last_write_time(*file, ec);
    f += ";" + (ec ? std::string("?") : std::to_string(t.time_since_epoch().count()));
  }
  return f;
}

// The registry from the configuration files and one storage provider per zone, reusing the
// unchanged providers of `previous`. Throws on a configuration error: nothing is installed.
std::unique_ptr<ops::Topology> build_topology(const Settings& s, util::BlockingPool& blocking,
                                              const ops::Topology* previous) {
  placement::Registry registry = load_registry(s.config_dir);
  if (registry.find_region(s.region) == nullptr) {
    throw std::runtime_error("region " + s.region + " has no zones in " + s.config_dir);
  }
  storage::ZoneSet zones;
  std::map<std::string, std::string, std::less<>> fingerprints;
  for (const auto& z : registry.zones()) {
    const auto& p = registry.providers()[z.provider_index];
    std::string fp = provider_fingerprint(p, s.data_dir);
    if (previous != nullptr) {
      auto old = previous->fingerprints.find(z.id);
      if (old != previous->fingerprints.end() && old->second == fp) {
        zones.add(p.name, previous->zones.shared(z.id));
        fingerprints.emplace(z.id, std::move(fp));
        continue;
      }
    }
    if (p.type == placement::ProviderType::kS3) {
      zones.add(p.name, std::make_unique<storage::S3Provider>(ops::s3_provider_config(p, z.id)));
    } else {
      const std::filesystem::path root =
          std::filesystem::path(p.path.empty() ? s.data_dir : p.path) / z.id;
      zones.add(p.name, std::make_unique<storage::FilesystemProvider>(z.id, root, blocking));
    }
    fingerprints.emplace(z.id, std::move(fp));
  }
  auto t = std::make_unique<ops::Topology>(std::move(registry), std::move(zones));
  t->fingerprints = std::move(fingerprints);
  return t;
}

// A health transition into the global catalog; a failure is only logged (the next transition
// writes again, and GET /api/providers shows this process's view regardless).
// `in_flight` was counted up by the caller before spawning this; counted down here.
asio::awaitable<void> publish_status(meta::ProviderCatalog& catalog, std::string provider,
                                     std::string status, std::string region,
                                     std::atomic<int>& in_flight) {
  try {
    co_await catalog.set_status(provider, status, region);
  } catch (const std::exception& e) {
    util::log_warn("health", "could not record " + provider + " " + status + ": " + e.what());
  }
  --in_flight;
}

template <class T>
T run_sync(asio::io_context& ioc, asio::awaitable<T> aw) {
  auto fut = asio::co_spawn(ioc, std::move(aw), asio::use_future);
  ioc.run();
  ioc.restart();
  return fut.get();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "help")) {
    usage();
    return 0;
  }
  Settings s;
  try {
    s = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "s3gw: " << e.what() << "\n";
    usage();
    return 2;
  }
  if (s.log_level == "debug") util::set_log_level(util::LogLevel::kDebug);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    // Before anything else: a bad key setting must stop the start, never half-start it.
    std::optional<std::string> master_key;
    if (s.role == "regional") {
      master_key = util::load_master_key_from_env();
      if (!master_key && s.auth) {
        throw std::runtime_error(
            "ENABLE_S3_AUTHENTICATION=true needs a master key: set S3GW_MASTER_KEY or "
            "S3GW_MASTER_KEY_FILE");
      }
      if (!master_key) {
        util::log_warn("app",
                       "no master key (S3GW_MASTER_KEY, S3GW_MASTER_KEY_FILE): the "
                       "credentials API answers 503");
      }
    }
    // Without a token no admin route is served; with authentication on that leaves no way to
    // manage credentials, so it is a configuration error rather than a quiet default.
    if (!s.admin_token && s.auth) {
      throw std::runtime_error(
          "ENABLE_S3_AUTHENTICATION=true needs S3GW_ADMIN_TOKEN: the admin API (credentials, "
          "logs, providers) is never served without a token");
    }
    if (!s.admin_token) {
      util::log_warn("app", "no S3GW_ADMIN_TOKEN: every admin route answers 401");
    }
    // The seed's S3_AUTH_BYPASS_ENDPOINTS: the health and admin routes never use SigV4 (the admin
    // routes keep their bearer token), so they are the only paths it can name. An S3 path in it
    // would open a bucket to anonymous callers: refused, loudly.
    for (const auto& p : s.auth_bypass) {
      if (!(p == "/health" || p.starts_with("/health/") || p.starts_with("/api/") || p == "/api")) {
        util::log_warn("app", "S3_AUTH_BYPASS_ENDPOINTS: ignoring " + p +
                                  ": S3 paths always need a signature");
      }
    }
    asio::io_context ioc(static_cast<int>(s.threads));
    meta::PgPool pool(ioc, s.database_url, static_cast<std::size_t>(s.db_pool));
    run_sync(ioc, [&]() -> asio::awaitable<int> {
      auto lease = co_await pool.acquire();
      co_return co_await meta::apply_migrations(*lease, s.role == "global" ? "global" : "regional");
    }());
    // The global tables: the global gateway's own database; a regional gateway's global
    // database, or its own when it has none.
    std::unique_ptr<meta::PgPool> separate_global_pool;
    if (s.role == "regional" && !s.global_database_url.empty()) {
      separate_global_pool = std::make_unique<meta::PgPool>(ioc, s.global_database_url, 4);
    }
    meta::PgPool& global_pool = separate_global_pool ? *separate_global_pool : pool;
    if (s.role == "regional") {
      run_sync(ioc, [&]() -> asio::awaitable<int> {
        auto lease = co_await global_pool.acquire();
        co_return co_await meta::apply_migrations(*lease, "global");
      }());
    }
    meta::ProviderCatalog catalog(global_pool);
    meta::BucketMappingRepository bucket_mappings(global_pool);

    http::ServerOptions opts;
    opts.bind_address = s.bind;
    opts.port = static_cast<std::uint16_t>(s.port);
    opts.header_timeout = std::chrono::seconds(s.header_timeout);
    opts.idle_timeout = std::chrono::seconds(s.idle_timeout);
    opts.body_timeout = std::chrono::seconds(s.body_timeout);
    opts.error_response = [](unsigned status, std::string_view code, std::string_view message) {
      const std::string rid = util::random_hex(8);
      std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>";
      body += code;
      body += "</Code><Message>";
      body += message;
      body += "</Message><RequestId>" + rid + "</RequestId></Error>";
      auto r = http::Response::text(status, std::move(body), "application/xml");
      ops::stamp_common_headers(r, rid);
      r.close = true;
      return r;
    };

    util::BlockingPool blocking(static_cast<std::size_t>(s.blocking_threads));
    meta::OperationLog oplog(pool);
    meta::BucketRepository buckets(pool);
    meta::CustomerPlacementRepository customer_placement(pool);
    meta::ObjectRepository objects(pool);
    meta::MultipartRepository multipart(pool);
    meta::TagRepository tags(pool);
    meta::ObjectLockRepository locks(pool);
    std::unique_ptr<ops::TopologyHolder> topology;
    ops::BackendBuckets backend_buckets(bucket_mappings, s.salt, s.region);
    std::unique_ptr<ops::OpContext> ctx;
    std::unique_ptr<ops::S3Dispatcher> s3;
    std::unique_ptr<meta::CredentialRepository> credentials;
    std::unique_ptr<meta::CredentialCache> credential_cache;
    std::unique_ptr<ops::Authenticator> authenticator;
    std::unique_ptr<ops::ProviderHealth> health;
    std::vector<std::unique_ptr<ops::ProviderHealth>> retired_health;  // see reload below
    if (master_key) {
      credentials = std::make_unique<meta::CredentialRepository>(pool, s.region, *master_key);
      std::fill(master_key->begin(), master_key->end(), '\0');
    }
    ops::ProviderHealth::Options health_options;
    health_options.interval = std::chrono::seconds(s.health_interval);
    std::atomic<int> catalog_writes{0};
    health_options.on_change = [&](const std::string& provider, placement::ProviderStatus st) {
      ++catalog_writes;
      asio::co_spawn(ioc,
                     publish_status(catalog, provider, std::string(placement::to_string(st)),
                                    s.region, catalog_writes),
                     asio::detached);
    };
    auto start_health = [&](ops::Topology& t) {
      if (s.health_interval <= 0) return;  // the first round at once, from the configured statuses
      health = std::make_unique<ops::ProviderHealth>(ioc.get_executor(), t.registry, t.zones,
                                                     health_options);
      asio::co_spawn(ioc, health->run(), asio::detached);
    };
    if (s.role == "regional") {
      topology = std::make_unique<ops::TopologyHolder>(build_topology(s, blocking, nullptr));
      const meta::Catalog published = ops::to_catalog(topology->current().registry);
      run_sync(ioc, catalog.publish(published));
    } else if (std::filesystem::exists(std::filesystem::path(s.config_dir) / "s3_backends.json") ||
               std::filesystem::exists(std::filesystem::path(s.config_dir) / "providers.csv")) {
      // The global gateway publishes the catalog too, so it is there before any region starts.
      const meta::Catalog published = ops::to_catalog(load_registry(s.config_dir));
      run_sync(ioc, catalog.publish(published));
    }

    // POST /api/providers/reload: the files again; on success the new topology is published,
    // installed and health-checked. Providers whose configuration did not change are kept.
    admin::ProviderReloader reload = [&]() -> asio::awaitable<admin::ReloadOutcome> {
      admin::ReloadOutcome out;
      if (!topology->begin_reload()) {
        out.status = 409;
        out.body = {{"error", "a reload is already under way"}};
        co_return out;
      }
      std::unique_ptr<ops::Topology> next;
      std::string error;
      ops::Topology& before = topology->current();
      try {
        next = build_topology(s, blocking, &before);
        next->registry.copy_statuses_from(before.registry);
        const meta::Catalog published = ops::to_catalog(next->registry);
        co_await catalog.publish(published);
      } catch (const std::exception& e) {
        error = e.what();
        next.reset();
      }
      if (!next) {
        topology->end_reload();
        out.status = 400;
        out.body = {{"error", error}, {"installed", false}};
        co_return out;
      }
      boost::json::array added, removed, changed, kept;
      for (const auto& [zone, fp] : next->fingerprints) {
        auto old = before.fingerprints.find(zone);
        if (old == before.fingerprints.end()) {
          added.emplace_back(zone);
        } else {
          (old->second == fp ? kept : changed).emplace_back(zone);
        }
      }
      for (const auto& [zone, fp] : before.fingerprints) {
        if (!next->fingerprints.contains(zone)) removed.emplace_back(zone);
      }
      ops::Topology& installed = topology->install(std::move(next));
      // The old checker's probes may still be running: it is stopped, then kept, never freed.
      if (health) {
        co_await health->stop();
        retired_health.push_back(std::move(health));
      }
      start_health(installed);
      topology->end_reload();
      util::log_info("app", "providers reloaded: " + std::to_string(added.size()) +
                                " zones added, " + std::to_string(removed.size()) + " removed, " +
                                std::to_string(changed.size()) + " changed");
      if (!removed.empty()) {
        util::log_warn("app",
                       "zones removed by the reload: versions stored there answer 503 "
                       "until a replica elsewhere serves them");
      }
      out.body = {{"installed", true},
                  {"providers", installed.registry.providers().size()},
                  {"zones_added", std::move(added)},
                  {"zones_removed", std::move(removed)},
                  {"zones_changed", std::move(changed)},
                  {"zones_kept", std::move(kept)}};
      co_return out;
    };

    admin::AdminServices services;
    if (s.role == "regional") {
      services.oplog = &oplog;
      services.credentials = credentials.get();
      services.topology = topology.get();
      services.buckets = &buckets;
      services.customer_placement = &customer_placement;
      services.reload_providers = reload;
    }
    services.bucket_mappings = &bucket_mappings;
    services.deployment_salt = s.salt;
    admin::AdminApi admin(
        admin::AdminConfig{s.role, s.role == "regional" ? s.region : "", s.admin_token}, pool,
        std::move(services));
    global::GlobalGateway global_gw(admin);

    http::Handler handler;
    if (s.role == "regional") {
      ops::GatewayConfig gc;
      gc.region = s.region;
      gc.deployment_salt = s.salt;
      gc.auth_enabled = s.auth;
      if (s.auth) {
        credential_cache = std::make_unique<meta::CredentialCache>(
            ioc.get_executor(), s.database_url, *credentials, pool);
        auth::VerifyOptions vo;
        vo.accepted_regions.push_back(s.region);  // first: what error bodies name
        for (const auto& r : s.accepted_regions) {
          if (r != s.region) vo.accepted_regions.push_back(r);
        }
        authenticator = std::make_unique<ops::Authenticator>(*credential_cache, vo);
      }
      ctx = std::make_unique<ops::OpContext>(ops::OpContext{gc, buckets, objects, oplog, *topology,
                                                            backend_buckets, authenticator.get()});
      ctx->customer_placement = &customer_placement;
      ctx->multipart = &multipart;
      ctx->tags = &tags;
      ctx->locks = &locks;
      s3 = std::make_unique<ops::S3Dispatcher>(*ctx);
      handler = [&](http::Request& r) -> asio::awaitable<http::Response> {
        if (admin::AdminApi::owns(r.path())) co_return co_await admin.handle(r);
        co_return co_await s3->handle(r);
      };
      run_sync(ioc, ops::sweep_garbage(*ctx));
      asio::co_spawn(ioc, sweep_uploads_loop(ioc, *topology), asio::detached);
      asio::co_spawn(ioc, oplog.flush_loop(std::chrono::milliseconds(1000)), asio::detached);
      start_health(topology->current());
      if (credential_cache) {  // after run_sync: these loops never run out of work
        asio::co_spawn(ioc, credential_cache->listen_loop(), asio::detached);
        asio::co_spawn(ioc, credential_cache->flush_loop(std::chrono::seconds(2)), asio::detached);
      }
    } else {
      handler = [&](http::Request& r) { return global_gw.handle(r); };
    }

    http::Server server(ioc, opts, handler);
    server.start();
    const std::string endpoint = "http://" + s.bind + ":" + std::to_string(server.port());
    util::log_info(
        "app", "s3gw " + s.role + (s.role == "regional" ? " " + s.region : "") + " listening on " +
                   endpoint + " (" +
                   std::to_string(topology ? topology->current().zones.all().size() : 0) +
                   " zones, " + std::to_string(s.threads) + " threads, authentication " +
                   (s.auth ? "on" : "off") + ")");
    if (!s.port_file.empty()) {
      const std::string tmp = s.port_file + ".tmp";
      std::ofstream(tmp) << server.port() << "\n";
      std::filesystem::rename(tmp, s.port_file);
    }
    asio::co_spawn(ioc,
                   shutdown_on_signal(ioc, server, std::chrono::seconds(s.shutdown_grace),
                                      s.role == "regional" ? &oplog : nullptr,
                                      credential_cache.get(), health, catalog_writes),
                   asio::detached);

    std::vector<std::thread> threads;
    for (std::int64_t i = 1; i < s.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    blocking.stop();
  } catch (const std::exception& e) {
    util::log_error("app", std::string("fatal: ") + e.what());
    return 1;
  }
  return 0;
}
