#pragma once
// The CRC of a concatenation from the CRCs of its pieces (zlib's crc32_combine, for every
// reflected CRC S3 uses): a multipart object's FULL_OBJECT checksum comes from its parts'
// checksums without reading the data again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/checksum.h"

namespace s3gw::util {

// True for the algorithms crc_combine knows: CRC32, CRC32C, CRC64NVME.
bool is_combinable(ChecksumAlgorithm algorithm);

// The raw (big-endian) CRC of A || B from the raw CRCs of A and of B and the length of B;
// nullopt for an algorithm that cannot be combined or digests of the wrong size.
std::optional<std::string> crc_combine(ChecksumAlgorithm algorithm, std::string_view crc_a,
                                       std::string_view crc_b, std::uint64_t length_b);

}  // namespace s3gw::util
