#pragma once
// Derived SigV4 signing keys, kept so a busy access key costs a hash and one HMAC per request
// instead of five HMACs. Thread-safe, bounded (least recently used entries go first). Entries are
// keyed by the SHA-256 of the secret, never the secret itself, plus the scope; a rotated secret
// simply misses.
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "auth/sigv4.h"

namespace s3gw::auth {

class SigningKeyCache {
 public:
  explicit SigningKeyCache(std::size_t capacity = 4096);

  // The signing key of `secret` for `scope`: from the cache, or derived and remembered.
  std::string get(std::string_view secret, const CredentialScope& scope);

  std::size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  using Entry = std::pair<std::string, std::string>;  // cache key, signing key

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views into lru_
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace s3gw::auth
