#include "util/crc_combine.h"

#include <array>

namespace s3gw::util {

namespace {

struct CrcSpec {
  int width;
  std::uint64_t reflected_poly;
};

std::optional<CrcSpec> spec_of(ChecksumAlgorithm a) {
  switch (a) {
    case ChecksumAlgorithm::kCRC32:
      return CrcSpec{32, 0xEDB88320u};
    case ChecksumAlgorithm::kCRC32C:
      return CrcSpec{32, 0x82F63B78u};
    case ChecksumAlgorithm::kCRC64NVME:
      return CrcSpec{64, 0x9A6C9329AC4BC9B5ull};
    default:
      return std::nullopt;
  }
}

using Matrix = std::array<std::uint64_t, 64>;

std::uint64_t times(const Matrix& mat, std::uint64_t vec) {
  std::uint64_t sum = 0;
  for (int i = 0; vec != 0; ++i, vec >>= 1) {
    if (vec & 1) sum ^= mat[static_cast<std::size_t>(i)];
  }
  return sum;
}

void square(Matrix& out, const Matrix& mat, int width) {
  for (int n = 0; n < width; ++n)
    out[static_cast<std::size_t>(n)] = times(mat, mat[static_cast<std::size_t>(n)]);
}

// Both CRCs are final values (pre- and post-inverted); with init == xorout, as for all three,
// crc(A || B) = crc(A) advanced over len(B) zero bytes, XOR crc(B).
std::uint64_t combine(const CrcSpec& s, std::uint64_t crc1, std::uint64_t crc2,
                      std::uint64_t len2) {
  if (len2 == 0) return crc1;
  Matrix even{};
  Matrix odd{};
  odd[0] = s.reflected_poly;  // the operator for one zero bit
  std::uint64_t row = 1;
  for (int n = 1; n < s.width; ++n) {
    odd[static_cast<std::size_t>(n)] = row;
    row <<= 1;
  }
  square(even, odd, s.width);  // two zero bits
  square(odd, even, s.width);  // four
  do {
    square(even, odd, s.width);  // one zero byte, then 4, 16, ...
    if (len2 & 1) crc1 = times(even, crc1);
    len2 >>= 1;
    if (len2 == 0) break;
    square(odd, even, s.width);
    if (len2 & 1) crc1 = times(odd, crc1);
    len2 >>= 1;
  } while (len2 != 0);
  return crc1 ^ crc2;
}

std::uint64_t from_big_endian(std::string_view raw) {
  std::uint64_t v = 0;
  for (char c : raw) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

std::string to_big_endian(std::uint64_t v, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i, v >>= 8)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xFF);
  return out;
}

}  // namespace

bool is_combinable(ChecksumAlgorithm algorithm) {
  return spec_of(algorithm).has_value();
}

std::optional<std::string> crc_combine(ChecksumAlgorithm algorithm, std::string_view crc_a,
                                       std::string_view crc_b, std::uint64_t length_b) {
  const auto spec = spec_of(algorithm);
  if (!spec) return std::nullopt;
  const auto bytes = static_cast<std::size_t>(spec->width / 8);
  if (crc_a.size() != bytes || crc_b.size() != bytes) return std::nullopt;
  const std::uint64_t v = combine(*spec, from_big_endian(crc_a), from_big_endian(crc_b), length_b);
  return to_big_endian(v, spec->width / 8);
}

}  // namespace s3gw::util
