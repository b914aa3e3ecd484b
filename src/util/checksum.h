#pragma once
// Streaming hashers for S3 integrity checks: the x-amz-checksum-* algorithms and MD5 (ETags,
// Content-MD5). Digests are raw bytes; S3 puts them on the wire base64-encoded, CRCs big-endian.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header.

namespace s3gw::util {

enum class ChecksumAlgorithm { kCRC32, kCRC32C, kCRC64NVME, kSHA1, kSHA256 };

// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256": the x-amz-checksum-algorithm spelling.
std::string_view checksum_name(ChecksumAlgorithm algorithm);
// Case-insensitive inverse of checksum_name.
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);
// "x-amz-checksum-crc32" etc., lower case.
std::string_view checksum_header(ChecksumAlgorithm algorithm);
// Case-insensitive inverse of checksum_header, for x-amz-trailer values and trailer names.
std::optional<ChecksumAlgorithm> checksum_from_header(std::string_view header_name);
// Raw digest length: 4, 4, 8, 20, 32.
std::size_t checksum_digest_size(ChecksumAlgorithm algorithm);
// Length of the padded base64 form a header value must have: 8, 8, 12, 28, 44.
std::size_t checksum_base64_size(ChecksumAlgorithm algorithm);
// True when `value` is canonical base64 of exactly checksum_digest_size bytes.
bool is_valid_checksum_value(ChecksumAlgorithm algorithm, std::string_view value);

// One running digest. update() takes whole buffers so the per-call virtual dispatch is paid once
// per network read, not per byte.
class Hasher {
 public:
  virtual ~Hasher() = default;
  virtual void update(const void* data, std::size_t size) = 0;
  // Digest of everything since construction or the last digest()/reset(); the hasher then starts
  // over, so one instance can hash consecutive parts.
  virtual std::string digest() = 0;
  virtual void reset() = 0;

  void update(std::string_view data) { update(data.data(), data.size()); }
  void update(const std::string& data) { update(data.data(), data.size()); }
  void update(std::span<const char> data) { update(data.data(), data.size()); }
  void update(std::span<const std::uint8_t> data) { update(data.data(), data.size()); }
};

std::unique_ptr<Hasher> make_hasher(ChecksumAlgorithm algorithm);

// MD5 for ETags and Content-MD5; a concrete type so a request can keep it without allocating.
class Md5 final : public Hasher {
 public:
  Md5();
  ~Md5() override;
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  using Hasher::update;
  void update(const void* data, std::size_t size) override;
  std::string digest() override;
  void reset() override;

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace s3gw::util
