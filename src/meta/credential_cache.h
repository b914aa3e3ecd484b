#pragma once
// Per-process cache of CredentialRepository::secret() for request authentication, invalidated
// by PostgreSQL: the credential writers NOTIFY kCredentialsChannel in their transaction and a
// dedicated listening connection drops the named key, so a deactivated key or changed
// permissions take effect on every gateway of the region within a second, not at expiry.
// Nothing is served from memory unless the listener has proven within the last second that it
// is listening and has received everything committed before (a query answered on its
// connection), so even a hung connection cannot stretch the bound.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "meta/credential_repository.h"
#include "meta/pg_pool.h"

namespace s3gw::meta {

struct CredentialCacheOptions {
  std::size_t max_entries = 10000;   // beyond this the oldest inserted entry goes
  std::chrono::seconds ttl{300};     // a safety net only: NOTIFY is what invalidates
  std::size_t max_touched = 100000;  // keys waiting for their last_used_at update
};

class CredentialCache {
 public:
  // `conninfo` opens the listener's own connection; `pool` serves the last_used_at updates.
  CredentialCache(boost::asio::any_io_executor ex, std::string conninfo, CredentialRepository& repo,
                  PgPool& pool, CredentialCacheOptions options = {});
  CredentialCache(const CredentialCache&) = delete;
  CredentialCache& operator=(const CredentialCache&) = delete;

  // The result of CredentialRepository::secret(), from memory when possible. Negative
  // outcomes (not found, inactive, unreadable) are cached too. Throws PgError like secret().
  awaitable<SecretLookup> lookup(std::string_view access_key_id);
  // The answer lookup() would give from memory, without waiting; nullopt when it would have
  // to ask the database (a miss, an expired entry, the listener down).
  std::optional<SecretLookup> peek(std::string_view access_key_id) const;

  // Spawn once. Keeps a LISTEN connection up (reconnecting with backoff) and erases the keys
  // it is notified of; an empty payload clears everything (`NOTIFY s3gw_credentials` by hand
  // after editing s3_credentials in SQL). Returns after stop().
  awaitable<void> listen_loop();

  // Records that a key was used; its last_used_at is written by the next flush.
  void touch(std::string_view access_key_id);
  // Writes every touched key's last_used_at in one statement (no cache invalidation). A
  // failure is logged and the keys are kept for the next round. Flushes run one at a time, so
  // the shutdown flush (after stop()) also waits for a periodic one in progress.
  awaitable<void> flush_last_used();
  // Spawn once: flush_last_used() every `period` until stop().
  awaitable<void> flush_loop(std::chrono::milliseconds period);

  // Thread-safe; listen_loop() and flush_loop() return promptly. At shutdown: stop(), then
  // co_await flush_last_used() before the io_context stops, as for OperationLog.
  void stop();

  std::size_t size() const;
  bool listening() const;

 private:
  struct Entry {
    Entry() = default;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    ~Entry();  // wipes the secret
    SecretLookup value;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator order;  // position in order_
  };
  using Entries = std::unordered_map<std::string, Entry>;

  void store(const std::string& key, const SecretLookup& value, std::uint64_t generation);
  void invalidate(std::string_view access_key_id);
  void set_listening(bool on);
  void erase_locked(Entries::iterator it);
  // Listening, and proven so recently enough that no committed change can be missing.
  bool fresh_locked() const;
  void confirm(std::chrono::steady_clock::time_point sent);

  awaitable<void> listen_on_strand();
  awaitable<void> listen_session(std::chrono::milliseconds& backoff);
  awaitable<void> heartbeat(PgConnection& conn);
  awaitable<void> flush_loop_on_strand(std::chrono::milliseconds period);
  awaitable<void> write_last_used();
  awaitable<void> stop_requested();

  using Signal = boost::asio::experimental::concurrent_channel<void(boost::system::error_code)>;

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::string conninfo_;
  CredentialRepository& repo_;
  PgPool& pool_;
  CredentialCacheOptions options_;

  mutable std::mutex mutex_;  // guards everything below up to touched_; never held across co_await
  Entries entries_;
  std::list<std::string> order_;  // keys, oldest inserted first
  // Bumped by every invalidation: a lookup caches its database read only if none happened
  // since it started, since the row it read may be the one just invalidated.
  std::uint64_t generation_ = 0;
  bool listening_ = false;
  std::chrono::steady_clock::time_point confirmed_at_{};  // send time of the last answered query
  std::set<std::string, std::less<>> touched_;
  std::size_t dropped_touches_ = 0;

  std::atomic<bool> stopping_{false};
  Signal stop_signal_;  // closed by stop(): wakes every wait on it, now and later
  Signal flush_turn_;   // holds one token: whoever has it flushes
};

}  // namespace s3gw::meta
