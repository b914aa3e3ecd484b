#include "util/aead.h"

#include <gtest/gtest.h>

#include <string>

#include "util/encoding.h"

namespace s3gw::util {
namespace {

std::string unhex(std::string_view h) {
  auto b = hex_decode(h);
  EXPECT_TRUE(b.has_value()) << h;
  return b.value_or("");
}

const std::string kKey = std::string(32, '\x42');

// AES-256 test case 16 of McGrew & Viega, "The Galois/Counter Mode of Operation" (the GCM
// specification submitted to NIST), appendix B: 96-bit IV, associated data.
TEST(Aead, KnownAnswerGcmSpecTestCase16) {
  const std::string key = unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string iv = unhex("cafebabefacedbaddecaf888");
  const std::string plaintext = unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
      "49a6b525b16aedf5aa0de657ba637b39");
  const std::string aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const std::string expected = iv +
                               unhex(
                                   "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd"
                                   "2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
                                   "bcc9f662") +
                               unhex("76fc6ece0f4e1768cddf8853bb2d551b");
  EXPECT_EQ(hex_encode(aead_seal_with_nonce(key, iv, plaintext, aad)), hex_encode(expected));
  EXPECT_EQ(aead_open(key, expected, aad), plaintext);
}

// Test case 13: empty plaintext and AAD, zero key and IV; the output is nonce || tag.
TEST(Aead, KnownAnswerGcmSpecTestCase13) {
  const std::string key(32, '\0');
  const std::string iv(12, '\0');
  EXPECT_EQ(hex_encode(aead_seal_with_nonce(key, iv, "")),
            "000000000000000000000000530f8afbc74536b9a963b4f1c4cb738b");
}

TEST(Aead, RoundTrip) {
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 40u, 1000u}) {
    const std::string plaintext(n, 'x');
    const std::string sealed = aead_seal(kKey, plaintext, "aad");
    EXPECT_EQ(sealed.size(), kAeadNonceSize + n + kAeadTagSize);
    EXPECT_EQ(aead_open(kKey, sealed, "aad"), plaintext);
  }
  EXPECT_EQ(aead_open(kKey, aead_seal(kKey, "secret")), "secret");
}

TEST(Aead, FreshNonceEverySeal) {
  const std::string a = aead_seal(kKey, "same secret", "id");
  const std::string b = aead_seal(kKey, "same secret", "id");
  EXPECT_NE(a.substr(0, kAeadNonceSize), b.substr(0, kAeadNonceSize));
  EXPECT_NE(a, b);
}

TEST(Aead, AnyFlippedBitFails) {
  const std::string sealed = aead_seal(kKey, "the secret access key", "AKID");
  // Every byte of nonce, ciphertext and tag is covered.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string t = sealed;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    EXPECT_FALSE(aead_open(kKey, t, "AKID").has_value()) << "byte " << i;
  }
}

TEST(Aead, TruncatedOrExtendedFails) {
  const std::string sealed = aead_seal(kKey, "secret", "AKID");
  EXPECT_FALSE(aead_open(kKey, sealed.substr(0, sealed.size() - 1), "AKID").has_value());
  EXPECT_FALSE(aead_open(kKey, sealed + "x", "AKID").has_value());
  EXPECT_FALSE(aead_open(kKey, "", "AKID").has_value());
  EXPECT_FALSE(aead_open(kKey, std::string(27, 'a'), "AKID").has_value());
}

TEST(Aead, WrongKeyFails) {
  const std::string sealed = aead_seal(kKey, "secret", "AKID");
  std::string other = kKey;
  other[31] = 'x';
  EXPECT_FALSE(aead_open(other, sealed, "AKID").has_value());
}

TEST(Aead, WrongAssociatedDataFails) {
  const std::string sealed = aead_seal(kKey, "secret", "AKIDONE");
  EXPECT_FALSE(aead_open(kKey, sealed, "AKIDTWO").has_value());
  EXPECT_FALSE(aead_open(kKey, sealed, "").has_value());
  EXPECT_FALSE(aead_open(kKey, aead_seal(kKey, "secret"), "AKIDONE").has_value());
}

TEST(Aead, RejectsBadKeyAndNonceSizes) {
  EXPECT_THROW(aead_seal(std::string(31, 'k'), "x"), std::invalid_argument);
  EXPECT_THROW(aead_open(std::string(33, 'k'), std::string(40, 'a')), std::invalid_argument);
  EXPECT_THROW(aead_seal_with_nonce(kKey, std::string(8, 'n'), "x"), std::invalid_argument);
}

}  // namespace
}  // namespace s3gw::util
