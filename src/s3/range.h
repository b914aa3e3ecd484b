#pragma once
// The Range header of GetObject (RFC 9110 §14), resolved against the object's size.
//
// As S3 does: a missing, malformed or multi-range header is ignored and the whole object is
// served (200); a single satisfiable range gives 206 with Content-Range; a range that starts at
// or past the end gives 416 InvalidRange with "Content-Range: bytes */size".
//
// Zero-size objects: "bytes=0-", "bytes=0-0" and every other first-byte range are
// unsatisfiable (416), as AWS answers (MinIO and the minio-java suite checked this against S3).
// A suffix range "bytes=-n" with n > 0 is satisfiable by RFC 9110 for any size, but there are
// no bytes to name in a Content-Range, so it serves the whole (empty) object with 200; readers
// that read a file's tail first (Trino) depend on that. "bytes=-0" is unsatisfiable.
#include <cstdint>
#include <string>
#include <string_view>

namespace s3gw::s3 {

struct RangeResult {
  enum class Kind {
    kNone,           // serve the whole object, 200
    kSatisfiable,    // serve [first, first + length), 206
    kUnsatisfiable,  // 416 InvalidRange
  };
  Kind kind = Kind::kNone;
  std::uint64_t first = 0;
  std::uint64_t length = 0;  // > 0 when kSatisfiable

  std::uint64_t last() const { return first + length - 1; }  // only when kSatisfiable
};

// `header` is the Range header's value; empty when the header is absent.
RangeResult parse_range(std::string_view header, std::uint64_t object_size);

// "bytes first-last/size", the Content-Range of a 206.
std::string content_range(std::uint64_t first, std::uint64_t last, std::uint64_t size);
// "bytes */size", the Content-Range of a 416.
std::string content_range_unsatisfied(std::uint64_t size);

}  // namespace s3gw::s3
