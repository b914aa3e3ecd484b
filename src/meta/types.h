#pragma once
// Metadata records as the repositories return them.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/time.h"

namespace s3gw::meta {

// An object-lock bucket's default retention: mode and a period of days or years (one of them).
struct DefaultRetention {
  std::string mode;  // "GOVERNANCE" or "COMPLIANCE"
  int days = 0;
  int years = 0;
};

struct Bucket {
  std::int64_t id = 0;
  std::string customer_id;
  std::string name;
  std::optional<std::string> owner_user_id;
  std::string location_constraint;
  std::optional<int> replica_count;  // wanted copies; unset: 1 (the primary only)
  std::string versioning = "Unversioned";
  util::TimePoint created_at;
  // Object lock (buckets.object_lock; null: off). Once on, never off, and versioning stays
  // Enabled (PutBucketVersioning refuses Suspended).
  bool object_lock_enabled = false;
  std::optional<DefaultRetention> default_retention;
};

// Where a version's bytes live.
struct BlobLocation {
  std::string zone_id;
  std::string backend_bucket;
  std::string blob_key;
};

struct ObjectVersion {
  std::int64_t id = 0;
  std::int64_t bucket_id = 0;
  std::string key;
  std::string version_id = "null";
  bool is_latest = true;
  bool is_delete_marker = false;
  std::int64_t size = 0;
  std::string etag;  // quoted, as sent in the ETag header
  std::optional<std::string> content_type;
  std::optional<std::string> cache_control;
  std::optional<std::string> content_disposition;
  std::optional<std::string> content_encoding;
  std::optional<std::string> content_language;
  std::optional<std::string> expires;
  std::vector<std::pair<std::string, std::string>> user_metadata;  // names lower-case, no prefix
  std::optional<std::string> checksum_algorithm;                   // "CRC32", ...
  std::optional<std::string> checksum_value;                       // base64
  std::optional<std::string> checksum_type;                        // "FULL_OBJECT"
  BlobLocation blob;
  util::TimePoint last_modified;
  // Wanted copies, from the `replica-count` tag; unset: the bucket's.
  std::optional<int> replica_count;
  // Object lock: retention ("GOVERNANCE", "COMPLIANCE") until a time, and legal hold.
  std::optional<std::string> retention_mode;
  std::optional<util::TimePoint> retain_until;
  bool legal_hold = false;
  // Written with a new version (put_version); read by the find_* queries as tag_count only.
  std::vector<std::pair<std::string, std::string>> tags;
  int tag_count = 0;
};

// One row of operations_log.
struct OperationRecord {
  // When the request was handled; reads reach the table later, in batches.
  util::TimePoint at = util::Clock::now();
  std::string request_id;
  std::string customer_id;
  std::optional<std::string> user_id;
  std::string operation;  // e.g. "PutObject"
  std::optional<std::string> bucket;
  std::optional<std::string> key;
  std::optional<std::string> version_id;
  int status = 200;
  std::optional<std::int64_t> bytes;
  std::string source_ip;
  std::optional<std::string> access_key_id;  // the key the request was signed with
};

// One row of compliance_events: something an auditor must be able to find later (an
// authentication failure, a permission denial). Never holds a secret or a signature.
struct ComplianceEvent {
  util::TimePoint at = util::Clock::now();
  std::string type;  // "auth_failure", "access_denied"
  std::string request_id;
  std::optional<std::string> customer_id;
  std::optional<std::string> user_id;
  std::optional<std::string> access_key_id;
  std::string source_ip;
  std::string operation;
  std::optional<std::string> bucket;
  std::optional<std::string> key;
  std::string code;    // the S3 error code the client received
  std::string reason;  // for the operator
};

}  // namespace s3gw::meta
