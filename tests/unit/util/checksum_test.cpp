#include "util/checksum.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "util/encoding.h"

namespace s3gw::util {
namespace {

constexpr std::array<ChecksumAlgorithm, 5> kAll = {
    ChecksumAlgorithm::kCRC32, ChecksumAlgorithm::kCRC32C, ChecksumAlgorithm::kCRC64NVME,
    ChecksumAlgorithm::kSHA1, ChecksumAlgorithm::kSHA256};

std::string b64(ChecksumAlgorithm algorithm, std::string_view data) {
  auto hasher = make_hasher(algorithm);
  hasher->update(data);
  return base64_encode(hasher->digest());
}

std::string md5_hex(std::string_view data) {
  Md5 md5;
  md5.update(data);
  return hex_encode(md5.digest());
}

// Byte i is (31 i + 7) mod 256: easy to rebuild in any language for the reference values.
std::string pattern(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + 7) & 0xFF);
  return out;
}

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

// Bit-at-a-time reflected CRC, independent of the table and ISA-L code under test.
template <typename T>
T reference_crc(T reflected_poly, std::string_view data) {
  T crc = static_cast<T>(~T{0});
  for (char c : data) {
    crc = static_cast<T>(crc ^ static_cast<unsigned char>(c));
    for (int bit = 0; bit < 8; ++bit) {
      crc = static_cast<T>((crc & 1) ? (crc >> 1) ^ reflected_poly : crc >> 1);
    }
  }
  return static_cast<T>(~crc);
}

template <typename T>
std::string be_hex(T value) {
  std::string raw(sizeof(T), '\0');
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    raw[sizeof(T) - 1 - i] = static_cast<char>(value & 0xFF);
    value = static_cast<T>(value >> 8);
  }
  return hex_encode(raw);
}

std::string hex_digest(ChecksumAlgorithm algorithm, std::string_view data) {
  auto hasher = make_hasher(algorithm);
  hasher->update(data);
  return hex_encode(hasher->digest());
}

TEST(Checksum, StandardCheckValuesAreBigEndian) {
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC32, "123456789"), "cbf43926");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC32C, "123456789"), "e3069283");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC64NVME, "123456789"), "ae8b14860a799888");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::kSHA1, "abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::kSHA256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

struct Known {
  std::string data;
  std::array<std::string_view, 5> b64;  // in kAll order
  std::string_view md5;
};

// CRC32, SHA1, SHA256 from botocore's Crc32Checksum/Sha1Checksum/Sha256Checksum; CRC32C and
// CRC64NVME from the AWS JS SDK's @aws-crypto/crc32c and @aws-sdk/crc64-nvme (awscrt was not at
// hand). "a" x 66560 is the sigv4-streaming-trailers example body, whose crc32c trailer the AWS
// docs give as sOO8/Q==.
std::vector<Known> known_values() {
  return {
      {"",
       {"AAAAAA==", "AAAAAA==", "AAAAAAAAAAA=", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
       "d41d8cd98f00b204e9800998ecf8427e"},
      {"123456789",
       {"y/Q5Jg==", "4waSgw==", "rosUhgp5mIg=", "98O8HYCOBHMq32eZZczDTKeuNEE=",
        "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="},
       "25f9e794323b453885f5181f1b624d0b"},
      {"Hello world",
       {"i9aeUg==", "crUfeA==", "OOJZ0D8xKts=", "e1AsOh9IyGCa4hLN+2Od7jlnP14=",
        "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="},
       "3e25960a79dbc69b674cd4ec67a72c62"},
      {std::string(66560, 'a'),
       {"sK4Y7A==", "sOO8/Q==", "pRf+emrnL+A=", "qOlv5ixdz2jRNhlSLmgH6iaTKRI=",
        "zWnTiHxq+SZLEA17dgIzEzXZqn4718MM3G1vS/uzyIg="},
       "da0d2e17cd5a8f14633c6b4aebad7e02"},
      {pattern(1 << 20),
       {"1CS9wQ==", "/1vj/A==", "nWrsVNogmeU=", "lUIWELjd2GyG4yab/STSp5GZJF8=",
        "Bre7+3gkqgM4IFFpFjDrJt6FEC0bCKgekH7AdEzYooY="},
       "3f2c8bd9cfde6550fdff4b36617c3261"},
  };
}

TEST(Checksum, MatchesAwsSdkValues) {
  for (const auto& known : known_values()) {
    for (std::size_t i = 0; i < kAll.size(); ++i) {
      EXPECT_EQ(b64(kAll[i], known.data), known.b64[i])
          << checksum_name(kAll[i]) << " of " << known.data.size() << " bytes";
    }
    EXPECT_EQ(md5_hex(known.data), known.md5);
  }
}

TEST(Checksum, CrcsMatchBitwiseReference) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 60; ++round) {
    const std::string data = random_bytes(rng, rng() % (round < 30 ? 600 : 5000));
    EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC32, data),
              be_hex(reference_crc<std::uint32_t>(0xEDB88320u, data)));
    EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC32C, data),
              be_hex(reference_crc<std::uint32_t>(0x82F63B78u, data)));
    EXPECT_EQ(hex_digest(ChecksumAlgorithm::kCRC64NVME, data),
              be_hex(reference_crc<std::uint64_t>(0x9A6C9329AC4BC9B5ULL, data)));
  }
}

TEST(Checksum, StreamingEqualsOneShotAtRandomSplits) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 40; ++round) {
    // Sizes straddle the vector kernels' block sizes and the 8-byte table stride.
    const std::string data = random_bytes(rng, rng() % (round < 20 ? 300 : 200000));
    for (ChecksumAlgorithm algorithm : kAll) {
      const std::string whole = b64(algorithm, data);
      auto hasher = make_hasher(algorithm);
      std::size_t pos = 0;
      while (pos < data.size()) {
        // Small pieces take the scalar paths, large ones the vector paths: each checks the other.
        const std::size_t n =
            std::min<std::size_t>(data.size() - pos, rng() % (round % 2 ? 97 : 5000));
        hasher->update(data.data() + pos, n);  // zero-length updates included
        pos += n;
      }
      EXPECT_EQ(base64_encode(hasher->digest()), whole) << checksum_name(algorithm);
    }
    Md5 md5;
    for (std::size_t pos = 0; pos < data.size();) {
      const std::size_t n = std::min<std::size_t>(data.size() - pos, 1 + rng() % 4000);
      md5.update(std::string_view(data).substr(pos, n));
      pos += n;
    }
    EXPECT_EQ(hex_encode(md5.digest()), md5_hex(data));
  }
}

TEST(Checksum, DigestStartsOverAndResetDiscards) {
  for (ChecksumAlgorithm algorithm : kAll) {
    auto hasher = make_hasher(algorithm);
    hasher->update(std::string_view("Hello world"));
    const std::string first = hasher->digest();
    hasher->update(std::string_view("Hello world"));
    EXPECT_EQ(hasher->digest(), first) << checksum_name(algorithm);
    hasher->update(std::string_view("junk"));
    hasher->reset();
    hasher->update(std::string_view("Hello world"));
    EXPECT_EQ(hasher->digest(), first) << checksum_name(algorithm);
    EXPECT_EQ(hasher->digest().size(), checksum_digest_size(algorithm));
  }
  Md5 md5;
  md5.update(std::string_view("junk"));
  md5.reset();
  md5.update(std::string_view("abc"));
  EXPECT_EQ(hex_encode(md5.digest()), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex_encode(md5.digest()), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Checksum, NamesHeadersAndSizes) {
  EXPECT_EQ(checksum_name(ChecksumAlgorithm::kCRC64NVME), "CRC64NVME");
  EXPECT_EQ(checksum_header(ChecksumAlgorithm::kCRC32C), "x-amz-checksum-crc32c");
  EXPECT_EQ(parse_checksum_algorithm("crc32"), ChecksumAlgorithm::kCRC32);
  EXPECT_EQ(parse_checksum_algorithm("CRC32C"), ChecksumAlgorithm::kCRC32C);
  EXPECT_EQ(parse_checksum_algorithm("crc64nvme"), ChecksumAlgorithm::kCRC64NVME);
  EXPECT_EQ(parse_checksum_algorithm("Sha1"), ChecksumAlgorithm::kSHA1);
  EXPECT_EQ(parse_checksum_algorithm("sha256"), ChecksumAlgorithm::kSHA256);
  EXPECT_FALSE(parse_checksum_algorithm("md5"));
  EXPECT_FALSE(parse_checksum_algorithm("crc32 "));
  EXPECT_FALSE(parse_checksum_algorithm(""));
  EXPECT_EQ(checksum_from_header("X-Amz-Checksum-CRC64NVME"), ChecksumAlgorithm::kCRC64NVME);
  EXPECT_FALSE(checksum_from_header("x-amz-checksum-md5"));
  const std::array<std::size_t, 5> b64_sizes = {8, 8, 12, 28, 44};
  for (std::size_t i = 0; i < kAll.size(); ++i) {
    EXPECT_EQ(parse_checksum_algorithm(checksum_name(kAll[i])), kAll[i]);
    EXPECT_EQ(checksum_from_header(checksum_header(kAll[i])), kAll[i]);
    EXPECT_EQ(checksum_base64_size(kAll[i]), b64_sizes[i]);
    EXPECT_EQ(b64(kAll[i], "x").size(), b64_sizes[i]);
  }
}

TEST(Checksum, ValidatesHeaderValues) {
  EXPECT_TRUE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32, "i9aeUg=="));
  EXPECT_TRUE(is_valid_checksum_value(ChecksumAlgorithm::kCRC64NVME, "OOJZ0D8xKts="));
  EXPECT_TRUE(is_valid_checksum_value(ChecksumAlgorithm::kSHA256,
                                      "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="));
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32, "i9aeUg="));        // short
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32, "i9aeUg=a"));       // padding
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32, "i9ae*g=="));       // alphabet
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32, "i9aeUh=="));       // stray bits
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kCRC32C, "OOJZ0D8xKts="));  // 8 bytes
  EXPECT_FALSE(is_valid_checksum_value(ChecksumAlgorithm::kSHA1, ""));
}

}  // namespace
}  // namespace s3gw::util
