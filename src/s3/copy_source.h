#pragma once
// The source of CopyObject and UploadPartCopy: x-amz-copy-source ("bucket/key" or
// "/bucket/key", URL-encoded, with an optional "?versionId=") and x-amz-copy-source-range
// ("bytes=first-last", both inclusive).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "s3/error.h"

namespace s3gw::s3 {

struct CopySource {
  std::string bucket;
  std::string key;
  std::optional<std::string> version_id;
};

// InvalidArgument for a header that names no bucket and key, bad percent-encoding, an empty
// versionId or another parameter; the bucket name and key rules' own errors.
std::variant<CopySource, S3Error> parse_copy_source(std::string_view header);

struct CopyRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

// InvalidArgument for a malformed value (anything but bytes=first-last with first <= last);
// InvalidRange when it does not lie within an object of `size` bytes.
std::variant<CopyRange, S3Error> parse_copy_source_range(std::string_view header,
                                                         std::uint64_t size);

}  // namespace s3gw::s3
