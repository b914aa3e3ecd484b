#pragma once
// What a regional gateway serves: the provider registry and a storage provider per zone, as
// loaded from the configuration files. POST /api/providers/reload installs a new one; requests
// read `current()` and may keep using an older one until they finish.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "placement/registry.h"
#include "storage/zone_set.h"

namespace s3gw::ops {

struct Topology {
  Topology(placement::Registry r, storage::ZoneSet z)
      : registry(std::move(r)), zones(std::move(z)) {}

  placement::Registry registry;  // health statuses change in place (the health checker)
  storage::ZoneSet zones;
  // Zone id -> its provider's configuration as text: a reload keeps a zone's provider (and its
  // connection pool) when this is unchanged.
  std::map<std::string, std::string, std::less<>> fingerprints;
};

class TopologyHolder {
 public:
  explicit TopologyHolder(std::unique_ptr<Topology> first) { install(std::move(first)); }

  Topology& current() const { return *current_.load(std::memory_order_acquire); }

  // Makes `next` current. The previous one stays allocated for the life of the process: a
  // request that started before may still read its registry or stream through its providers,
  // and nothing tells when the last one ends. A reload is an operator action; each costs a few
  // KiB (providers that did not change are shared).
  Topology& install(std::unique_ptr<Topology> next) {
    std::lock_guard lock(mutex_);
    all_.push_back(std::move(next));
    current_.store(all_.back().get(), std::memory_order_release);
    return *all_.back();
  }
  // One reload at a time: false when another is under way (it spans awaits, so no mutex).
  bool begin_reload() { return !reloading_.exchange(true); }
  void end_reload() { reloading_ = false; }

 private:
  std::mutex mutex_;
  std::atomic<bool> reloading_{false};
  std::vector<std::unique_ptr<Topology>> all_;
  std::atomic<Topology*> current_{nullptr};
};

}  // namespace s3gw::ops
