#include "auth/signing_key_cache.h"

#include "util/crypto.h"

namespace s3gw::auth {
namespace {

// Length-prefixed fields, so no choice of region or service text can collide with another.
void append_field(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string cache_key(std::string_view secret, const CredentialScope& scope) {
  std::string key = util::sha256(secret);
  append_field(key, scope.date);
  append_field(key, scope.region);
  append_field(key, scope.service);
  return key;
}

}  // namespace

SigningKeyCache::SigningKeyCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::string SigningKeyCache::get(std::string_view secret, const CredentialScope& scope) {
  std::string key = cache_key(secret, scope);
  {
    std::lock_guard lock(mu_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++hits_;
      return it->second->second;
    }
    ++misses_;
  }
  // Derived outside the lock: a duplicate derivation under a race is harmless, a lock held
  // across five HMACs is contention for every other request.
  std::string signing_key = derive_signing_key(secret, scope);
  std::lock_guard lock(mu_);
  if (index_.find(key) == index_.end()) {
    lru_.emplace_front(std::move(key), signing_key);
    index_.emplace(lru_.front().first, lru_.begin());
    while (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  return signing_key;
}

std::size_t SigningKeyCache::size() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

std::uint64_t SigningKeyCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

std::uint64_t SigningKeyCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

}  // namespace s3gw::auth
