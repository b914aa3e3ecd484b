#include "ops/provider_health.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

#include "util/log.h"

namespace s3gw::ops {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using placement::ProviderStatus;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::milliseconds kStopGrace{250};

std::string ms_text(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + " ms";
}

}  // namespace

// Owned jointly by the checker and its probes: a probe that outlives its round (or the
// checker) still has somewhere to report.
struct ProviderHealth::Shared {
  struct Slot {
    storage::Provider* provider = nullptr;
    std::string zone_id;
    bool in_flight = false;
    std::uint64_t round = 0;  // the round the last probe was started in
    bool done = false;
    bool ok = false;
    std::chrono::milliseconds elapsed{0};
    std::string error;
  };

  Shared(asio::any_io_executor ex, std::size_t zones) : probe_done(std::move(ex), zones) {}

  std::mutex mutex;
  std::vector<Slot> slots;  // sized once; guarded by mutex after the first round
  std::size_t in_flight = 0;
  Signal probe_done;  // one token per finished probe (dropped when full: a wake-up is pending)
};

ProviderHealth::ProviderHealth(asio::any_io_executor ex, placement::Registry& registry,
                               const storage::ZoneSet& zones, Options options)
    : ex_(ex),
      strand_(asio::make_strand(ex)),
      registry_(registry),
      options_(options),
      stop_signal_(ex, 0),
      finished_(ex, 0) {
  const auto handles = zones.all();
  shared_ = std::make_shared<Shared>(ex, std::max<std::size_t>(1, handles.size()));
  for (const auto& h : handles) {
    const placement::Zone* zone = registry.find_zone(h.provider.zone_id());
    if (zone == nullptr) continue;  // not the registry's: nothing to report it under
    Shared::Slot slot;
    slot.provider = &h.provider;
    slot.zone_id = zone->id;
    shared_->slots.push_back(std::move(slot));
    zone_provider_.push_back(zone->provider_key);
    trackers_.try_emplace(zone->provider_key, registry.status(zone->provider_key),
                          options_.tracker);
  }
}

ProviderHealth::~ProviderHealth() = default;

awaitable<void> ProviderHealth::run() {
  // On a strand: the sides of each `||` below never run at once on two threads.
  co_await asio::co_spawn(strand_, run_on_strand(), asio::use_awaitable);
}

awaitable<void> ProviderHealth::stop() {
  co_await asio::co_spawn(strand_, stop_on_strand(), asio::use_awaitable);
}

awaitable<void> ProviderHealth::stop_requested() {
  // Completes when stop() closes the channel, or when cancelled as the loser of a race.
  co_await stop_signal_.async_receive(asio::as_tuple(asio::use_awaitable));
}

awaitable<void> ProviderHealth::run_on_strand() {
  started_ = true;
  asio::steady_timer timer(strand_);
  while (!stopping_) {
    const auto next = Clock::now() + options_.interval;
    try {
      co_await round();
    } catch (const std::exception& e) {  // no co_await in here: a message is all it keeps
      util::log_error("health", std::string("health check round failed: ") + e.what());
    }
    if (stopping_) break;
    timer.expires_at(next);
    co_await (timer.async_wait(asio::as_tuple(asio::use_awaitable)) || stop_requested());
  }
  finished_.close();
}

awaitable<void> ProviderHealth::stop_on_strand() {
  stopping_ = true;
  stop_signal_.close();
  // Closed by run() as it returns (at once if it already has).
  if (started_) co_await finished_.async_receive(asio::as_tuple(asio::use_awaitable));
  // Probes in flight usually end within milliseconds; one stuck on a dead provider is left to
  // the io_context's teardown (probes hold nothing of the checker's or the provider's but
  // shared pointers), so shutdown is not held up by it.
  asio::steady_timer deadline(strand_, std::min(options_.probe_timeout, kStopGrace));
  for (;;) {
    std::size_t left = 0;
    {
      std::lock_guard lock(shared_->mutex);
      left = shared_->in_flight;
    }
    if (left == 0) co_return;
    auto woke = co_await (shared_->probe_done.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                          deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (woke.index() != 0) {
      util::log_info("health", std::to_string(left) + " probe(s) still running at shutdown");
      co_return;
    }
  }
}

awaitable<void> ProviderHealth::probe_zone(std::shared_ptr<Shared> shared, std::size_t i,
                                           std::uint64_t round) {
  storage::Provider* provider = nullptr;
  {
    std::lock_guard lock(shared->mutex);
    provider = shared->slots[i].provider;
  }
  const auto start = Clock::now();
  std::string error;
  try {
    co_await provider->probe();
  } catch (const std::exception& e) {
    error = *e.what() != '\0' ? e.what() : "probe failed";
  } catch (...) {
    error = "probe failed";
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  {
    std::lock_guard lock(shared->mutex);
    auto& s = shared->slots[i];
    s.in_flight = false;
    --shared->in_flight;
    if (s.round == round) {
      s.done = true;
      s.ok = error.empty();
      s.elapsed = elapsed;
      s.error = std::move(error);
    }
  }
  shared->probe_done.try_send(boost::system::error_code{});
}

awaitable<void> ProviderHealth::round() {
  const std::uint64_t r = ++round_;
  std::vector<std::size_t> launched;
  {
    std::lock_guard lock(shared_->mutex);
    for (std::size_t i = 0; i < shared_->slots.size(); ++i) {
      auto& s = shared_->slots[i];
      if (s.in_flight) continue;  // stuck since an earlier round: a failure again, see below
      s.in_flight = true;
      s.round = r;
      s.done = false;
      s.ok = false;
      s.error.clear();
      ++shared_->in_flight;
      launched.push_back(i);
    }
  }
  // Detached, on the I/O threads: a stuck probe holds up nothing but its own zone.
  for (const std::size_t i : launched) {
    asio::co_spawn(ex_, probe_zone(shared_, i, r), asio::detached);
  }
  asio::steady_timer deadline(strand_, options_.probe_timeout);
  for (;;) {
    {
      std::lock_guard lock(shared_->mutex);
      if (std::all_of(launched.begin(), launched.end(),
                      [&](std::size_t i) { return shared_->slots[i].done; })) {
        break;
      }
    }
    auto woke =
        co_await (shared_->probe_done.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                  deadline.async_wait(asio::as_tuple(asio::use_awaitable)) || stop_requested());
    if (woke.index() != 0) break;
  }
  if (stopping_) co_return;

  std::map<std::string, ProbeRound> seen;
  std::map<std::string, std::string> failed;  // the first failing zone of each entry
  std::map<std::string, std::string> slow;    // else its first slow zone
  {
    std::lock_guard lock(shared_->mutex);
    for (std::size_t i = 0; i < shared_->slots.size(); ++i) {
      const auto& s = shared_->slots[i];
      const std::string& key = zone_provider_[i];
      auto& pr = seen[key];
      ++pr.zones;
      if (s.round == r && s.done && s.ok) {
        ++pr.succeeded;
        pr.slowest = std::max(pr.slowest, s.elapsed);
        if (s.elapsed > options_.tracker.slow) {
          slow.try_emplace(key, s.zone_id + " answered in " + ms_text(s.elapsed));
        }
        continue;
      }
      failed.try_emplace(key, s.zone_id + ": " +
                                  (s.round != r ? "the previous probe has not returned"
                                   : !s.done ? "no answer within " + ms_text(options_.probe_timeout)
                                             : s.error));
    }
  }
  for (const auto& [key, pr] : seen) {
    const auto f = failed.find(key);
    apply(key, pr, f != failed.end() ? f->second : slow[key]);
  }
}

void ProviderHealth::apply(const std::string& key, const ProbeRound& seen, const std::string& why) {
  auto& tracker = trackers_.at(key);
  const ProviderStatus before = tracker.status();
  const ProviderStatus after = tracker.record(seen);
  if (after == before) return;
  registry_.set_status(key, after);
  std::string message = "provider " + key + ": " + std::string(placement::to_string(before)) +
                        " -> " + std::string(placement::to_string(after));
  if (after != ProviderStatus::kAvailable && !why.empty()) message += " (" + why + ")";
  if (after == ProviderStatus::kAvailable) {
    util::log_info("health", message);
  } else {
    util::log_warn("health", message);
  }
  if (options_.on_change) options_.on_change(key, after);
}

}  // namespace s3gw::ops
