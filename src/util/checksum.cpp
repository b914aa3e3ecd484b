#include "util/checksum.h"

#include <isa-l.h>
#include <openssl/evp.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::util {
namespace {

struct AlgorithmInfo {
  ChecksumAlgorithm algorithm;
  std::string_view name;
  std::string_view header;
  std::size_t digest_size;
};

constexpr std::array<AlgorithmInfo, 5> kAlgorithms{{
    {ChecksumAlgorithm::kCRC32, "CRC32", "x-amz-checksum-crc32", 4},
    {ChecksumAlgorithm::kCRC32C, "CRC32C", "x-amz-checksum-crc32c", 4},
    {ChecksumAlgorithm::kCRC64NVME, "CRC64NVME", "x-amz-checksum-crc64nvme", 8},
    {ChecksumAlgorithm::kSHA1, "SHA1", "x-amz-checksum-sha1", 20},
    {ChecksumAlgorithm::kSHA256, "SHA256", "x-amz-checksum-sha256", 32},
}};

const AlgorithmInfo& info(ChecksumAlgorithm algorithm) {
  for (const auto& entry : kAlgorithms) {
    if (entry.algorithm == algorithm) return entry;
  }
  throw std::invalid_argument("unknown checksum algorithm");
}

const unsigned char* bytes_of(const void* data) {
  return static_cast<const unsigned char*>(data);
}

template <typename T>
std::string big_endian(T value) {
  std::string out(sizeof(T), '\0');
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out[sizeof(T) - 1 - i] = static_cast<char>(value & 0xFF);
    value = static_cast<T>(value >> 8);
  }
  return out;
}

// CRC-32 (ISO-HDLC, zlib's). ISA-L's PCLMUL kernel is about 3x zlib's on the same machine; the
// function inverts on entry and exit, so its result chains directly as the next call's init.
class Crc32Hasher final : public Hasher {
 public:
  void update(const void* data, std::size_t size) override {
    state_ = crc32_gzip_refl(state_, bytes_of(data), size);
  }
  std::string digest() override {
    const std::uint32_t value = state_;
    state_ = 0;
    return big_endian(value);
  }
  void reset() override { state_ = 0; }

 private:
  std::uint32_t state_ = 0;
};

// CRC-32C (Castagnoli). ISA-L's crc32_iscsi neither inverts the initial value nor the result,
// and takes an int length, so the standard init/xor-out of all ones is applied here.
class Crc32cHasher final : public Hasher {
 public:
  void update(const void* data, std::size_t size) override {
    // The API wants a mutable pointer but only reads through it.
    auto* p = const_cast<unsigned char*>(bytes_of(data));
    while (size > 0) {
      const std::size_t n = std::min<std::size_t>(size, std::size_t{1} << 30);
      state_ = crc32_iscsi(p, static_cast<int>(n), state_);
      p += n;
      size -= n;
    }
  }
  std::string digest() override {
    const std::uint32_t value = ~state_;
    reset();
    return big_endian(value);
  }
  void reset() override { state_ = 0xFFFFFFFFu; }

 private:
  std::uint32_t state_ = 0xFFFFFFFFu;
};

// CRC-64/NVME: polynomial 0xAD93D23594C93659 reflected, init and xor-out all ones. ISA-L has it
// (crc64_rocksoft_refl) only from 2.31 and bookworm ships 2.30, so it is done here: PCLMULQDQ
// folding for large buffers (~12 GB/s, like ISA-L's other CRC-64s), slicing-by-8 for the rest.
constexpr std::uint64_t kCrc64NvmeReflected = 0x9A6C9329AC4BC9B5ULL;

using Crc64Tables = std::array<std::array<std::uint64_t, 256>, 8>;

// Slicing-by-8: table k maps a byte to its CRC contribution when followed by k zero bytes.
constexpr Crc64Tables make_crc64_tables() {
  Crc64Tables t{};
  for (std::uint64_t b = 0; b < 256; ++b) {
    std::uint64_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ kCrc64NvmeReflected : crc >> 1;
    t[0][b] = crc;
  }
  for (std::size_t k = 1; k < t.size(); ++k) {
    for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
  return t;
}

constexpr Crc64Tables kCrc64Tables = make_crc64_tables();

// `crc` is the running register (not inverted).
std::uint64_t crc64_nvme_table(std::uint64_t crc, const unsigned char* p, std::size_t n) {
  const auto& t = kCrc64Tables;
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, p, 8);
    } else {
      for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    }
    v ^= crc;
    crc = t[7][v & 0xFF] ^ t[6][(v >> 8) & 0xFF] ^ t[5][(v >> 16) & 0xFF] ^ t[4][(v >> 24) & 0xFF] ^
          t[3][(v >> 32) & 0xFF] ^ t[2][(v >> 40) & 0xFF] ^ t[1][(v >> 48) & 0xFF] ^ t[0][v >> 56];
  }
  for (; n > 0; --n, ++p) crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
// Reflected representation of x^n mod P (bit j is the coefficient of x^(63-j)): multiplying by x
// is a right shift, and the x^64 that falls out is replaced by the polynomial.
constexpr std::uint64_t x_pow_mod(unsigned n) {
  std::uint64_t r = std::uint64_t{1} << 63;
  for (unsigned i = 0; i < n; ++i) r = (r >> 1) ^ ((r & 1) ? kCrc64NvmeReflected : 0);
  return r;
}

// Folding constants for moving a 128-bit lane `bits` further down the message. A carry-less
// product of reflected operands carries an extra factor x, hence the -1: the low qword holds the
// high-degree half (x^(bits+64) after the move), the high qword the low half (x^bits).
struct FoldConstants {
  std::uint64_t low;
  std::uint64_t high;
};
constexpr FoldConstants fold_constants(unsigned bits) {
  return {x_pow_mod(bits + 63), x_pow_mod(bits - 1)};
}

constexpr std::array<FoldConstants, 8> kFoldBy = {
    fold_constants(1024), fold_constants(128), fold_constants(256), fold_constants(384),
    fold_constants(512),  fold_constants(640), fold_constants(768), fold_constants(896)};

[[gnu::target("pclmul")]] inline __m128i fold(__m128i x, FoldConstants k, __m128i next) {
  const __m128i kv = _mm_set_epi64x(static_cast<long long>(k.high), static_cast<long long>(k.low));
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(x, kv, 0x00), _mm_clmulepi64_si128(x, kv, 0x11)), next);
}

[[gnu::target("pclmul")]] inline __m128i load(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Eight independent 128-bit lanes hide the multiplier latency; they are folded into one, that
// one over the remaining 16-byte blocks, and the table finishes the last 16 bytes and the tail.
[[gnu::target("pclmul")]] std::uint64_t crc64_nvme_clmul(std::uint64_t crc, const unsigned char* p,
                                                         std::size_t n) {
  __m128i lanes[8];
  for (std::size_t i = 0; i < 8; ++i) lanes[i] = load(p + 16 * i);
  lanes[0] = _mm_xor_si128(lanes[0], _mm_set_epi64x(0, static_cast<long long>(crc)));
  p += 128;
  n -= 128;
  for (; n >= 128; p += 128, n -= 128) {
    for (std::size_t i = 0; i < 8; ++i) lanes[i] = fold(lanes[i], kFoldBy[0], load(p + 16 * i));
  }
  __m128i x = lanes[7];
  for (std::size_t i = 0; i < 7; ++i) x = fold(lanes[i], kFoldBy[7 - i], x);
  for (; n >= 16; p += 16, n -= 16) x = fold(x, kFoldBy[1], load(p));
  alignas(16) unsigned char folded[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(folded), x);
  return crc64_nvme_table(crc64_nvme_table(0, folded, 16), p, n);
}

bool have_clmul() {
  static const bool supported = __builtin_cpu_supports("pclmul");
  return supported;
}
#endif

std::uint64_t crc64_nvme_update(std::uint64_t crc, const unsigned char* p, std::size_t n) {
#if defined(__x86_64__)
  if (n >= 256 && have_clmul()) return crc64_nvme_clmul(crc, p, n);
#endif
  return crc64_nvme_table(crc, p, n);
}

class Crc64NvmeHasher final : public Hasher {
 public:
  void update(const void* data, std::size_t size) override {
    state_ = crc64_nvme_update(state_, bytes_of(data), size);
  }
  std::string digest() override {
    const std::uint64_t value = ~state_;
    reset();
    return big_endian(value);
  }
  void reset() override { state_ = ~std::uint64_t{0}; }

 private:
  std::uint64_t state_ = ~std::uint64_t{0};
};

// Fetched once per process: with the legacy EVP_sha256()-style handles every EVP_DigestInit_ex
// fetches again, which shows up for small objects.
const EVP_MD* fetch_md(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) throw std::runtime_error(std::string("OpenSSL digest unavailable: ") + name);
  return md;
}

const EVP_MD* md5_md() {
  static const EVP_MD* md = fetch_md("MD5");
  return md;
}
const EVP_MD* sha1_md() {
  static const EVP_MD* md = fetch_md("SHA1");
  return md;
}
const EVP_MD* sha256_md() {
  static const EVP_MD* md = fetch_md("SHA256");
  return md;
}

EVP_MD_CTX* new_ctx(const EVP_MD* md) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, md, nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
  return ctx;
}

void ctx_update(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  if (size > 0 && EVP_DigestUpdate(ctx, data, size) != 1) {
    throw std::runtime_error("EVP_DigestUpdate failed");
  }
}

std::string ctx_digest(EVP_MD_CTX* ctx) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // Init with a null type reuses the context's digest for the next round.
  if (EVP_DigestFinal_ex(ctx, out, &length) != 1 || EVP_DigestInit_ex(ctx, nullptr, nullptr) != 1) {
    throw std::runtime_error("EVP_DigestFinal_ex failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

void ctx_reset(EVP_MD_CTX* ctx) {
  if (EVP_DigestInit_ex(ctx, nullptr, nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
}

class EvpHasher final : public Hasher {
 public:
  explicit EvpHasher(const EVP_MD* md) : ctx_(new_ctx(md)) {}
  ~EvpHasher() override { EVP_MD_CTX_free(ctx_); }
  EvpHasher(const EvpHasher&) = delete;
  EvpHasher& operator=(const EvpHasher&) = delete;

  void update(const void* data, std::size_t size) override { ctx_update(ctx_, data, size); }
  std::string digest() override { return ctx_digest(ctx_); }
  void reset() override { ctx_reset(ctx_); }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

std::string_view checksum_name(ChecksumAlgorithm algorithm) {
  return info(algorithm).name;
}

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
  for (const auto& entry : kAlgorithms) {
    if (util::iequals_ascii(entry.name, name)) return entry.algorithm;
  }
  return std::nullopt;
}

std::string_view checksum_header(ChecksumAlgorithm algorithm) {
  return info(algorithm).header;
}

std::optional<ChecksumAlgorithm> checksum_from_header(std::string_view header_name) {
  for (const auto& entry : kAlgorithms) {
    if (util::iequals_ascii(entry.header, header_name)) return entry.algorithm;
  }
  return std::nullopt;
}

std::size_t checksum_digest_size(ChecksumAlgorithm algorithm) {
  return info(algorithm).digest_size;
}

std::size_t checksum_base64_size(ChecksumAlgorithm algorithm) {
  return 4 * ((checksum_digest_size(algorithm) + 2) / 3);
}

bool is_valid_checksum_value(ChecksumAlgorithm algorithm, std::string_view value) {
  if (value.size() != checksum_base64_size(algorithm)) return false;
  const auto decoded = base64_decode(value);
  // Re-encoding rejects non-zero bits in the padding, which would make two spellings of one digest.
  return decoded && decoded->size() == checksum_digest_size(algorithm) &&
         base64_encode(*decoded) == value;
}

std::unique_ptr<Hasher> make_hasher(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCRC32:
      return std::make_unique<Crc32Hasher>();
    case ChecksumAlgorithm::kCRC32C:
      return std::make_unique<Crc32cHasher>();
    case ChecksumAlgorithm::kCRC64NVME:
      return std::make_unique<Crc64NvmeHasher>();
    case ChecksumAlgorithm::kSHA1:
      return std::make_unique<EvpHasher>(sha1_md());
    case ChecksumAlgorithm::kSHA256:
      return std::make_unique<EvpHasher>(sha256_md());
  }
  throw std::invalid_argument("unknown checksum algorithm");
}

Md5::Md5() : ctx_(new_ctx(md5_md())) {}
Md5::~Md5() {
  EVP_MD_CTX_free(ctx_);
}
void Md5::update(const void* data, std::size_t size) {
  ctx_update(ctx_, data, size);
}
std::string Md5::digest() {
  return ctx_digest(ctx_);
}
void Md5::reset() {
  ctx_reset(ctx_);
}

}  // namespace s3gw::util
