#pragma once
// A credential's permission document and the question every request asks of it: may this
// action touch this bucket (and key)? Pure code, parsed once, asked many times.
//
// The document is a JSON object mapping actions to resource patterns:
//   {"s3:GetObject": ["my-bucket", "bucket2/*", "shared-*"], "s3:*": ["scratch"]}
//
// Actions: "s3:" followed by letters, where `*` matches any run of characters ("s3:*",
// "s3:Get*"). Compared case-insensitively, as AWS does.
//
// Resource patterns (case-sensitive; `*` matches any run of characters, including `/`; a run
// of `*` counts as one):
//   - Without `/`: a bucket pattern ("my-bucket" exact, "shared-*" prefix, "*" every bucket).
//     It matches the buckets it names AND every object in them.
//   - With `/`: "bucketpattern/keypattern", split at the first `/` (bucket names have none).
//     It matches objects whose bucket matches bucketpattern and whose key matches keypattern.
//     It matches a bucket-level request (no key) only when keypattern is exactly `*`, so
//     "bucket2/*" grants s3:ListBucket on bucket2 but "bucket2/uploads/*" does not.
//   - allows_prefix (listing with a prefix) is true when some pattern covers EVERY key that
//     starts with the prefix: a bucket pattern matching the bucket, or "bucketpattern/L*"
//     with L literal (no other `*`) and the prefix starting with L. So "b/photos/*" allows
//     listing b with prefix "photos/2024/", but not with "" or "ph".
// There are no deny statements; what no pattern grants is refused, and an empty document
// allows nothing. Matching is the greedy two-pointer glob: O(pattern * text) at worst, no
// exponential backtracking.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace s3gw::auth {

class Permissions {
 public:
  // The parsed document, or why `json_text` is not a valid one (the message the admin API
  // answers with). Rules: a JSON object of at most 100 actions; keys "s3:" + [A-Za-z*]+ of at
  // most 64 characters; values arrays of at most 1000 non-empty strings of at most 1088 bytes (a
  // bucket, `/`, a whole key) without control characters.
  static std::variant<Permissions, std::string> parse(std::string_view json_text);

  Permissions() = default;  // allows nothing

  // A bucket-level request (ListBucket, GetBucketLocation, ...).
  bool allows(std::string_view action, std::string_view bucket) const;
  // An object request.
  bool allows(std::string_view action, std::string_view bucket, std::string_view key) const;
  // Listing `bucket` restricted to keys starting with `prefix`.
  bool allows_prefix(std::string_view action, std::string_view bucket,
                     std::string_view prefix) const;

  // Some object of `bucket` (at least one key some pattern matches): whether a request naming
  // its keys in the body (DeleteObjects) may learn anything about the bucket at all.
  bool allows_some(std::string_view action, std::string_view bucket) const;

  // True when the document grants nothing at all (no action has a pattern).
  bool empty() const { return grants_.empty(); }

 private:
  // A resource pattern, split once at parse time so that allows() only matches.
  struct Resource {
    std::string bucket;  // bucket glob
    std::string key;     // key glob; meaningful only when has_key
    bool has_key = false;
    bool key_is_prefix = false;  // key is "L*" with L literal: covers every key starting with L
  };
  struct Grant {
    std::string action;  // lowercased glob
    std::vector<Resource> resources;
  };

  template <typename Pred>
  bool any_resource(std::string_view action, Pred pred) const;

  std::vector<Grant> grants_;
};

}  // namespace s3gw::auth
