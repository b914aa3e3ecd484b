#pragma once
// The pure rules of multipart uploads: part numbers, the checksum settings of an upload, which
// stored parts a CompleteMultipartUpload names (InvalidPart, InvalidPartOrder, EntityTooSmall,
// the part checksums), the object's ETag (md5 of the parts' binary MD5s, "-N") and checksum
// (COMPOSITE: the checksum of the parts' checksums, "-N"; FULL_OBJECT: the CRCs combined).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "meta/multipart_repository.h"
#include "s3/error.h"
#include "s3/xml_reader.h"
#include "util/checksum.h"

namespace s3gw::ops {

inline constexpr int kMaxPartNumber = 10000;
inline constexpr std::uint64_t kMinPartSize = std::uint64_t{5} << 20;  // all but the last part
inline constexpr std::uint64_t kMaxPartSize = std::uint64_t{5} << 30;

// partNumber as UploadPart takes it: 1..10000, else nullopt.
std::optional<int> parse_part_number(std::string_view text);

// The checksum an upload keeps, from CreateMultipartUpload's x-amz-checksum-algorithm and
// x-amz-checksum-type (either may be absent).
struct UploadChecksum {
  std::optional<util::ChecksumAlgorithm> algorithm;  // none asked for: CRC64NVME, FULL_OBJECT
  bool composite = false;
};
std::variant<UploadChecksum, s3::S3Error> plan_upload_checksum(
    std::optional<std::string_view> algorithm, std::optional<std::string_view> type);

// The algorithm of an upload's stored part checksums (checksum_value).
util::ChecksumAlgorithm part_algorithm(const UploadChecksum& c);

// The stored parts a completion names, in its order, each checked: ascending part numbers
// (InvalidPartOrder), uploaded with that ETag and any checksum given (InvalidPart), at least
// 5 MiB but the last (EntityTooSmall), the upload's checksum present for every part of a
// COMPOSITE upload with an algorithm (InvalidRequest). `stored` is ordered by part number.
std::variant<std::vector<const meta::MultipartPart*>, s3::S3Error> select_parts(
    const s3::CompleteMultipartUpload& request, const std::vector<meta::MultipartPart>& stored,
    const UploadChecksum& checksum);

// "\"<md5 of the parts' binary MD5s>-N\"" from the parts' quoted hex ETags; nullopt when one
// is not a hex MD5.
std::optional<std::string> multipart_etag(const std::vector<std::string>& part_etags);

// The object's checksum (base64; COMPOSITE values end in "-N") from the parts' checksums and
// sizes; nullopt when a part lacks one or the values do not decode.
struct PartChecksum {
  std::string value;  // base64
  std::uint64_t size = 0;
};
std::optional<std::string> composite_checksum(util::ChecksumAlgorithm algorithm,
                                              const std::vector<PartChecksum>& parts);
std::optional<std::string> full_object_checksum(util::ChecksumAlgorithm algorithm,
                                                const std::vector<PartChecksum>& parts);

// ETags compare without their quotes, case-insensitively.
bool same_etag(std::string_view a, std::string_view b);

}  // namespace s3gw::ops
