// s3gw: `s3gw regional` serves the S3 API of one region; `s3gw global` routes between regions.
// Settings come from the environment (see README) and may be overridden by flags.
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
#include "meta/bucket_repository.h"
#include "meta/credential_cache.h"
#include "meta/credential_repository.h"
#include "meta/customer_placement_repository.h"
#include "meta/migrations.h"
#include "meta/object_repository.h"
#include "meta/operation_log.h"
#include "meta/pg_pool.h"
#include "ops/authenticator.h"
#include "ops/garbage.h"
#include "ops/provider_health.h"
#include "ops/reply.h"
#include "ops/s3_dispatcher.h"
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
  std::string log_level = util::env_or("S3GW_LOG_LEVEL", "info");
};

void usage() {
  std::cout
      << "usage: s3gw regional|global [--region R] [--port N] [--bind ADDR]\n"
         "            [--database-url CONNINFO] [--data-dir DIR] [--zone ZONE]\n"
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
                                         ops::ProviderHealth* health) {
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
  if (health != nullptr) co_await health->stop();
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
asio::awaitable<void> sweep_uploads_loop(asio::io_context& ioc, storage::Provider& zone) {
  asio::steady_timer t(ioc);
  for (;;) {
    try {
      const auto n = co_await zone.sweep_abandoned_uploads(std::chrono::hours(1));
      if (n > 0) util::log_info("gc", "removed " + std::to_string(n) + " abandoned upload files");
    } catch (const std::exception& e) {
      util::log_warn("gc", std::string("upload sweep failed: ") + e.what());
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

// The connection settings of an S3 zone; its keys come from the environment variables the
// configuration names (never from the file itself).
storage::S3ProviderConfig s3_provider_config(const placement::Provider& p,
                                             const std::string& zone) {
  storage::S3ProviderConfig c;
  c.zone_id = zone;
  c.endpoint = p.endpoint;
  if (!p.region.empty()) c.region = p.region;
  c.addressing = p.addressing_style == placement::AddressingStyle::kVirtual
                     ? storage::S3AddressingStyle::kVirtualHost
                     : storage::S3AddressingStyle::kPath;
  auto key = [&](const std::string& var, const char* what) {
    if (var.empty()) {
      throw std::runtime_error("zone " + zone + ": no " + what + " (credentials." + what +
                               "_env in the provider configuration)");
    }
    auto v = util::env(var.c_str());
    if (!v || v->empty()) throw std::runtime_error("zone " + zone + ": " + var + " is not set");
    return *v;
  };
  if (!p.credentials.file.empty()) {
    throw std::runtime_error("zone " + zone +
                             ": a credentials file is not supported yet; name "
                             "access_key_env and secret_key_env instead");
  }
  c.access_key_id = key(p.credentials.access_key_env, "access_key");
  c.secret_access_key = key(p.credentials.secret_key_env, "secret_key");
  return c;
}

// One storage provider per zone of the registry.
storage::ZoneSet build_zones(const placement::Registry& registry, const std::string& data_dir,
                             util::BlockingPool& blocking) {
  storage::ZoneSet zones;
  for (const auto& z : registry.zones()) {
    const auto& p = registry.providers()[z.provider_index];
    if (p.type == placement::ProviderType::kS3) {
      zones.add(p.name, std::make_unique<storage::S3Provider>(s3_provider_config(p, z.id)));
      continue;
    }
    const std::filesystem::path root =
        std::filesystem::path(p.path.empty() ? data_dir : p.path) / z.id;
    zones.add(p.name, std::make_unique<storage::FilesystemProvider>(z.id, root, blocking));
  }
  return zones;
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
    std::optional<placement::Registry> registry;
    storage::ZoneSet zones;
    ops::BackendBuckets backend_buckets;
    std::unique_ptr<ops::OpContext> ctx;
    std::unique_ptr<ops::S3Dispatcher> s3;
    std::unique_ptr<meta::CredentialRepository> credentials;
    std::unique_ptr<meta::CredentialCache> credential_cache;
    std::unique_ptr<ops::Authenticator> authenticator;
    std::unique_ptr<ops::ProviderHealth> health;
    if (master_key) {
      credentials = std::make_unique<meta::CredentialRepository>(pool, s.region, *master_key);
      std::fill(master_key->begin(), master_key->end(), '\0');
    }
    if (s.role == "regional") {
      registry.emplace(load_registry(s.config_dir));
      if (registry->find_region(s.region) == nullptr) {
        throw std::runtime_error("region " + s.region + " has no zones in " + s.config_dir);
      }
    }
    admin::AdminApi admin(
        admin::AdminConfig{s.role, s.role == "regional" ? s.region : "", s.admin_token}, pool,
        s.role == "regional" ? &oplog : nullptr, credentials.get(), registry ? &*registry : nullptr,
        s.role == "regional" ? &buckets : nullptr,
        s.role == "regional" ? &customer_placement : nullptr);
    global::GlobalGateway global_gw(admin);

    http::Handler handler;
    if (s.role == "regional") {
      zones = build_zones(*registry, s.data_dir, blocking);
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
      ctx = std::make_unique<ops::OpContext>(ops::OpContext{
          gc, buckets, objects, oplog, *registry, zones, backend_buckets, authenticator.get()});
      ctx->customer_placement = &customer_placement;
      s3 = std::make_unique<ops::S3Dispatcher>(*ctx);
      handler = [&](http::Request& r) -> asio::awaitable<http::Response> {
        if (admin::AdminApi::owns(r.path())) co_return co_await admin.handle(r);
        co_return co_await s3->handle(r);
      };
      run_sync(ioc, ops::sweep_garbage(*ctx));
      for (const auto& z : zones.all()) {
        asio::co_spawn(ioc, sweep_uploads_loop(ioc, z.provider), asio::detached);
      }
      asio::co_spawn(ioc, oplog.flush_loop(std::chrono::milliseconds(1000)), asio::detached);
      if (s.health_interval > 0) {  // the first round at once, from the configured statuses
        ops::ProviderHealth::Options ho;
        ho.interval = std::chrono::seconds(s.health_interval);
        health = std::make_unique<ops::ProviderHealth>(ioc.get_executor(), *registry, zones, ho);
        asio::co_spawn(ioc, health->run(), asio::detached);
      }
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
    util::log_info("app", "s3gw " + s.role + (s.role == "regional" ? " " + s.region : "") +
                              " listening on " + endpoint + " (" +
                              std::to_string(zones.all().size()) + " zones, " +
                              std::to_string(s.threads) + " threads, authentication " +
                              (s.auth ? "on" : "off") + ")");
    if (!s.port_file.empty()) {
      const std::string tmp = s.port_file + ".tmp";
      std::ofstream(tmp) << server.port() << "\n";
      std::filesystem::rename(tmp, s.port_file);
    }
    asio::co_spawn(ioc,
                   shutdown_on_signal(ioc, server, std::chrono::seconds(s.shutdown_grace),
                                      s.role == "regional" ? &oplog : nullptr,
                                      credential_cache.get(), health.get()),
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
