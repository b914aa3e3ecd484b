#include "meta/credential_cache.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <vector>

#include "util/log.h"

namespace s3gw::meta {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

// Access key ids are 20 characters; anything much longer is not one and is not kept.
constexpr std::size_t kMaxKeyLength = 128;
constexpr std::chrono::milliseconds kMinBackoff{200};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
// A listener connection cut without a FIN, or a stalled server, looks like a quiet channel.
// So the listener proves itself: a query answered on the listening connection means every
// notification committed before it was sent has arrived (PostgreSQL delivers them ahead of
// the reply). Cached answers are served only while such a proof is younger than kFreshness,
// which bounds how stale a served credential can be even when the connection hangs.
constexpr std::chrono::milliseconds kHeartbeatInterval{250};
constexpr std::chrono::milliseconds kHeartbeatTimeout{3000};
constexpr std::chrono::milliseconds kFreshness{1000};

// Access key ids are printable ASCII; anything else could make the whole last_used_at batch
// fail (invalid UTF-8, a NUL cutting the parameter short) on every retry.
bool plausible_key(std::string_view k) {
  return !k.empty() && k.size() <= kMaxKeyLength &&
         std::all_of(k.begin(), k.end(), [](char c) { return c > ' ' && c <= '~'; });
}

// `op`'s failure as a value. `a || b` waits for the first branch that *succeeds*, so a branch
// whose failure must end the race cannot be allowed to throw.
awaitable<std::exception_ptr> caught(awaitable<void> op) {
  std::exception_ptr failure;
  try {
    co_await std::move(op);
  } catch (...) {
    failure = std::current_exception();
  }
  co_return failure;
}

awaitable<void> ping(PgConnection& conn) {
  co_await conn.query("SELECT 1");
}

// One log line: libpq's messages span several.
std::string describe(const std::exception_ptr& e) {
  std::string what = "connection ended";
  try {
    if (e) std::rethrow_exception(e);
  } catch (const std::exception& x) {
    what = x.what();
  } catch (...) {
  }
  std::replace_if(
      what.begin(), what.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
  while (!what.empty() && what.back() == ' ') what.pop_back();
  return what;
}

}  // namespace

CredentialCache::Entry::~Entry() {
  OPENSSL_cleanse(value.secret.data(), value.secret.size());
}

CredentialCache::CredentialCache(asio::any_io_executor ex, std::string conninfo,
                                 CredentialRepository& repo, PgPool& pool,
                                 CredentialCacheOptions options)
    : strand_(asio::make_strand(ex)),
      conninfo_(std::move(conninfo)),
      repo_(repo),
      pool_(pool),
      options_(options),
      stop_signal_(ex, 0),
      flush_turn_(ex, 1) {
  flush_turn_.try_send(boost::system::error_code{});
}

awaitable<SecretLookup> CredentialCache::lookup(std::string_view access_key_id) {
  std::string key(access_key_id);
  std::optional<SecretLookup> hit;
  std::optional<std::uint64_t> generation;  // set when the answer may be cached
  {
    std::lock_guard lock(mutex_);
    if (fresh_locked() && key.size() <= kMaxKeyLength) {
      if (auto it = entries_.find(key); it != entries_.end()) {
        if (Clock::now() < it->second.expires) {
          hit = it->second.value;
        } else {
          erase_locked(it);
        }
      }
      generation = generation_;
    }
  }
  if (hit) co_return std::move(*hit);
  SecretLookup result = co_await repo_.secret(key);
  if (generation) store(key, result, *generation);
  co_return result;
}

std::optional<SecretLookup> CredentialCache::peek(std::string_view access_key_id) const {
  std::lock_guard lock(mutex_);
  if (!fresh_locked()) return std::nullopt;
  auto it = entries_.find(std::string(access_key_id));
  if (it == entries_.end() || Clock::now() >= it->second.expires) return std::nullopt;
  return it->second.value;
}

void CredentialCache::store(const std::string& key, const SecretLookup& value,
                            std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  // The listener went down, or something was invalidated while the row was read: that row may
  // be the stale one, so it is not kept.
  if (!listening_ || generation != generation_ || options_.max_entries == 0) return;
  if (auto it = entries_.find(key); it != entries_.end()) erase_locked(it);
  while (entries_.size() >= options_.max_entries) erase_locked(entries_.find(order_.front()));
  order_.push_back(key);
  auto& e = entries_.try_emplace(key).first->second;
  e.value = value;
  e.expires = Clock::now() + options_.ttl;
  e.order = std::prev(order_.end());
}

bool CredentialCache::fresh_locked() const {
  return listening_ && Clock::now() - confirmed_at_ < kFreshness;
}

void CredentialCache::confirm(Clock::time_point sent) {
  std::lock_guard lock(mutex_);
  confirmed_at_ = std::max(confirmed_at_, sent);
}

void CredentialCache::erase_locked(Entries::iterator it) {
  order_.erase(it->second.order);
  entries_.erase(it);
}

void CredentialCache::invalidate(std::string_view access_key_id) {
  std::lock_guard lock(mutex_);
  ++generation_;
  if (access_key_id.empty()) {
    entries_.clear();
    order_.clear();
  } else if (auto it = entries_.find(std::string(access_key_id)); it != entries_.end()) {
    erase_locked(it);
  }
}

void CredentialCache::set_listening(bool on) {
  // Either way the cache restarts empty: going down, nothing may be served; coming up,
  // notifications may have been missed meanwhile.
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
  order_.clear();
  listening_ = on;
}

std::size_t CredentialCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

bool CredentialCache::listening() const {
  std::lock_guard lock(mutex_);
  return listening_;
}

void CredentialCache::stop() {
  stopping_ = true;
  stop_signal_.close();
}

awaitable<void> CredentialCache::stop_requested() {
  // Completes when stop() closes the channel, or when cancelled as the loser of a race.
  co_await stop_signal_.async_receive(asio::as_tuple(asio::use_awaitable));
}

awaitable<void> CredentialCache::listen_loop() {
  // On a strand, the two sides of each `||` below never run at the same time on two threads
  // (the winner cancels the loser).
  co_await asio::co_spawn(strand_, listen_on_strand(), asio::use_awaitable);
}

awaitable<void> CredentialCache::listen_on_strand() {
  std::chrono::milliseconds backoff = kMinBackoff;
  asio::steady_timer timer(strand_);
  while (!stopping_) {
    // The session's connection and waits are frame locals: after a stop() that the io_context
    // does not get to run, nothing left behind points into this object.
    auto ended = co_await (caught(listen_session(backoff)) || stop_requested());
    set_listening(false);
    if (stopping_) break;
    util::log_warn("credentials", "credential listener down (" +
                                      describe(ended.index() == 0 ? std::get<0>(ended) : nullptr) +
                                      "), cache bypassed; retrying in " +
                                      std::to_string(backoff.count()) + " ms");
    timer.expires_after(backoff);
    co_await (timer.async_wait(asio::as_tuple(asio::use_awaitable)) || stop_requested());
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

awaitable<void> CredentialCache::listen_session(std::chrono::milliseconds& backoff) {
  // Not a pool connection: it stays in LISTEN for the life of the process.
  PgConnection conn(strand_, conninfo_);
  co_await conn.connect();
  // Named for operators (and tests) looking at pg_stat_activity.
  co_await conn.query("SET application_name = 's3gw-credential-listener'");
  static const std::string listen = "LISTEN " + std::string(kCredentialsChannel);
  auto sent = Clock::now();
  co_await conn.query(listen);
  set_listening(true);
  confirm(sent);
  backoff = kMinBackoff;
  util::log_info("credentials", "credential cache listening for changes");
  for (;;) {
    const auto payloads = co_await conn.wait_for_notifications(kHeartbeatInterval);
    for (const auto& p : payloads) invalidate(p);
    if (Clock::now() - sent >= kHeartbeatInterval) {
      sent = Clock::now();
      co_await heartbeat(conn);
      confirm(sent);
    }
  }
}

awaitable<void> CredentialCache::heartbeat(PgConnection& conn) {
  // PgConnection::query() reconnects a broken connection, and a new one is not listening.
  if (!conn.healthy()) throw PgError("credential listener: connection lost", "08006");
  asio::steady_timer timer(strand_);
  timer.expires_after(kHeartbeatTimeout);
  auto which =
      co_await (caught(ping(conn)) || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (which.index() == 1) throw PgError("credential listener: no answer to a heartbeat", "08006");
  if (auto failure = std::get<0>(which)) std::rethrow_exception(failure);
}

void CredentialCache::touch(std::string_view access_key_id) {
  if (!plausible_key(access_key_id)) return;
  std::lock_guard lock(mutex_);
  if (touched_.contains(access_key_id)) return;
  if (touched_.size() >= options_.max_touched) {
    ++dropped_touches_;
    return;
  }
  touched_.emplace(access_key_id);
}

awaitable<void> CredentialCache::flush_last_used() {
  co_await flush_turn_.async_receive(asio::use_awaitable);
  std::exception_ptr failure;
  try {
    co_await write_last_used();
  } catch (...) {
    failure = std::current_exception();
  }
  flush_turn_.try_send(boost::system::error_code{});
  if (failure) std::rethrow_exception(failure);
}

awaitable<void> CredentialCache::write_last_used() {
  std::set<std::string, std::less<>> batch;
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    batch.swap(touched_);
    std::swap(dropped, dropped_touches_);
  }
  if (dropped > 0) {
    util::log_warn("credentials", std::to_string(dropped) +
                                      " last_used_at updates dropped: too many keys pending");
  }
  if (batch.empty()) co_return;
  std::vector<std::string> keys(batch.begin(), batch.end());
  std::exception_ptr failure;
  try {
    auto lease = co_await pool_.acquire();
    co_await lease->query(
        "UPDATE s3_credentials SET last_used_at = now() WHERE access_key_id = ANY($1::text[])",
        keys);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) co_return;
  util::log_warn("credentials", "writing last_used_at failed, will retry: " + describe(failure));
  std::lock_guard lock(mutex_);
  touched_.merge(batch);
  while (touched_.size() > options_.max_touched) touched_.erase(std::prev(touched_.end()));
}

awaitable<void> CredentialCache::flush_loop(std::chrono::milliseconds period) {
  co_await asio::co_spawn(strand_, flush_loop_on_strand(period), asio::use_awaitable);
}

awaitable<void> CredentialCache::flush_loop_on_strand(std::chrono::milliseconds period) {
  asio::steady_timer timer(strand_);
  while (!stopping_) {
    timer.expires_after(period);
    co_await (timer.async_wait(asio::as_tuple(asio::use_awaitable)) || stop_requested());
    if (stopping_) break;
    co_await flush_last_used();
  }
}

}  // namespace s3gw::meta
