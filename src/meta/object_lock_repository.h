#pragma once
// Object lock writes on existing versions: PutObjectRetention and PutObjectLegalHold. Each is
// one transaction with its operations-log row, under the key's writer lock. The database has the
// last word (migration 006's objects_guard_lock trigger): a COMPLIANCE retention is never
// weakened, a GOVERNANCE one only in a transaction that set s3gw.bypass_governance.
#include <optional>
#include <string>

#include "meta/pg_pool.h"
#include "meta/types.h"

namespace s3gw::meta {

enum class LockWriteResult {
  kDone,
  kNoSuchBucket,
  kNoSuchKey,      // the key has no version
  kNoSuchVersion,  // the version asked for does not exist
  kDeleteMarker,   // the version asked for (or the latest) is a delete marker: nothing written
  kLocked,         // the trigger refused: the retention would be weakened
};

struct LockWrite {
  LockWriteResult result = LockWriteResult::kDone;
  std::string version_id;  // the version written (or the delete marker met)
};

class ObjectLockRepository {
 public:
  explicit ObjectLockRepository(PgPool& pool) : pool_(pool) {}

  // Sets the retention of the key's latest version, or of `version_id`; a null `mode` (and
  // `retain_until`) removes it. `bypass_governance` lets a GOVERNANCE retention be shortened
  // or removed.
  awaitable<LockWrite> set_retention(std::int64_t bucket_id, std::string_view key,
                                     std::optional<std::string> version_id,
                                     std::optional<std::string> mode,
                                     std::optional<util::TimePoint> retain_until,
                                     bool bypass_governance, const OperationRecord& log);

  // Turns the legal hold of the key's latest version (or `version_id`) on or off.
  awaitable<LockWrite> set_legal_hold(std::int64_t bucket_id, std::string_view key,
                                      std::optional<std::string> version_id, bool on,
                                      const OperationRecord& log);

 private:
  PgPool& pool_;
};

}  // namespace s3gw::meta
