#pragma once
// Splitting a raw query string into its parameters, for the signature code. Values stay raw
// (percent-encoded) until a caller decodes them, because SigV4 and SigV2 decode differently.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace s3gw::auth {

struct QueryParam {
  std::string_view raw_key;
  std::string_view raw_value;
  bool has_equals = false;  // "uploads" and "uploads=" differ in a SigV2 canonical resource
};

// Splits on '&' and at the first '='; empty segments ("a=1&&b=2") are dropped.
std::vector<QueryParam> split_query(std::string_view raw_query);

// Percent-decoding with '+' as a space, as S3 reads query strings; nullopt on a bad escape.
std::optional<std::string> decode_query_component(std::string_view raw);

// The decoded values of every parameter whose decoded key equals `key` (case-sensitive).
std::vector<std::string> find_query_values(const std::vector<QueryParam>& params,
                                           std::string_view key);

}  // namespace s3gw::auth
