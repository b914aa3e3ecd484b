#pragma once
// The background health check (issue 5): every `interval` each zone is probed
// (storage::Provider::probe), all at once and each bounded by `probe_timeout`, and each provider
// entry's status in the registry follows what its zones answered (HealthTracker has the rules).
// Placement reads those statuses: down zones are never chosen, degraded ones only after the
// available ones. Only transitions are logged.
//
// A probe that outlives its timeout counts as a failure and keeps running detached; its zone
// is not probed again until it returns, so a stuck provider neither delays the others nor
// piles up probes.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ops/health_tracker.h"
#include "placement/registry.h"
#include "storage/zone_set.h"

namespace s3gw::ops {

using boost::asio::awaitable;

class ProviderHealth {
 public:
  struct Options {
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds probe_timeout{5000};
    HealthTracker::Options tracker;
    // Called on the checker's strand after each transition (the global catalog records it).
    std::function<void(const std::string& provider_key, placement::ProviderStatus)> on_change;
  };

  // Starts from the statuses the registry has (the configured ones).
  ProviderHealth(boost::asio::any_io_executor ex, placement::Registry& registry,
                 const storage::ZoneSet& zones, Options options);
  ~ProviderHealth();
  ProviderHealth(const ProviderHealth&) = delete;
  ProviderHealth& operator=(const ProviderHealth&) = delete;

  // Spawn once: a round at once, then one every interval, until stop().
  awaitable<void> run();
  // Thread-safe. Ends run() and gives probes still in flight a moment (250 ms) to finish.
  awaitable<void> stop();

 private:
  using Signal = boost::asio::experimental::concurrent_channel<void(boost::system::error_code)>;
  struct Shared;  // what the detached probes share with the checker

  awaitable<void> run_on_strand();
  awaitable<void> stop_on_strand();
  awaitable<void> round();
  awaitable<void> stop_requested();
  static awaitable<void> probe_zone(std::shared_ptr<Shared> shared, std::size_t slot,
                                    std::uint64_t round);
  void apply(const std::string& provider_key, const ProbeRound& seen, const std::string& why);

  boost::asio::any_io_executor ex_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  placement::Registry& registry_;
  Options options_;
  std::shared_ptr<Shared> shared_;
  std::vector<std::string> zone_provider_;         // provider entry of each probed zone
  std::map<std::string, HealthTracker> trackers_;  // by provider entry key
  std::uint64_t round_ = 0;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  Signal stop_signal_;  // closed by stop()
  Signal finished_;     // closed when run() returns
};

}  // namespace s3gw::ops
