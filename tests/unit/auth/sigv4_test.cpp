// SigV4 verification against the worked examples of the S3 API reference
// (sig-v4-header-based-auth, sigv4-query-string-auth, sigv4-streaming, sigv4-streaming-trailers),
// plus the malformed, expired, skewed and foreign-region cases.
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "auth/amz_date.h"
#include "auth/canonical_request.h"
#include "auth/chunk_signature.h"
#include "auth/header_list.h"
#include "auth/payload_mode.h"
#include "auth/request_verifier.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4_request.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_verifier.h"
#include "util/crypto.h"
#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kAkid = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

util::TimePoint example_time() {
  return *parse_amz_date("20130524T000000Z");
}

// Counts lookups, so tests can tell whether the secret was needed.
struct Secrets {
  int calls = 0;
  SecretLookup lookup() {
    return [this](std::string_view id) -> std::optional<std::string> {
      ++calls;
      if (id == kAkid) return std::string(kSecret);
      return std::nullopt;
    };
  }
};

std::string sha256_hex(std::string_view data) {
  return util::hex_encode(util::sha256(data));
}

// The S3 documentation's GET Object example (header auth, no spaces after the commas).
struct GetObjectExample {
  HeaderList headers{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", std::string(kEmptySha256)},
      {"x-amz-date", "20130524T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
       "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
  };
  RequestView view() const { return {"GET", "/test.txt", "", headers}; }
};

TEST(SigV4Examples, GetObject) {
  GetObjectExample ex;
  Secrets secrets;
  auto id = verify_request(ex.view(), secrets.lookup(), example_time(), {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV4Header);
  EXPECT_EQ(id->access_key_id, kAkid);
  EXPECT_EQ(id->scope, (CredentialScope{"20130524", "us-east-1", "s3"}));
  EXPECT_EQ(id->payload_mode, PayloadMode::kSha256);
  EXPECT_EQ(id->payload_hash, kEmptySha256);
  EXPECT_EQ(id->request_time, example_time());
}

TEST(SigV4Examples, PutObjectWithDateAndDollarInPath) {
  // The path is sent with a raw '$'; the client signed it encoded (/test%24file.text).
  HeaderList headers{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", sha256_hex("Welcome to Amazon S3.")},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
       "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
  };
  Secrets secrets;
  auto id =
      verify_request({"PUT", "/test$file.text", "", headers}, secrets.lookup(), example_time(), {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  // Encoded on the wire, it is taken as is.
  auto again = verify_request({"PUT", "/test%24file.text", "", headers}, secrets.lookup(),
                              example_time(), {});
  EXPECT_TRUE(again);
}

TEST(SigV4Examples, GetBucketLifecycleAndListObjects) {
  HeaderList headers{
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"x-amz-content-sha256", std::string(kEmptySha256)},
      {"x-amz-date", "20130524T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
       "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
       "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
  };
  Secrets secrets;
  EXPECT_TRUE(
      verify_request({"GET", "/", "lifecycle", headers}, secrets.lookup(), example_time(), {}));
  headers.set(
      "Authorization",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
      "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  EXPECT_TRUE(verify_request({"GET", "/", "max-keys=2&prefix=J", headers}, secrets.lookup(),
                             example_time(), {}));
  // Parameter order on the wire does not matter.
  EXPECT_TRUE(verify_request({"GET", "/", "prefix=J&max-keys=2", headers}, secrets.lookup(),
                             example_time(), {}));
  auto bad = verify_request({"GET", "/", "prefix=K&max-keys=2", headers}, secrets.lookup(),
                            example_time(), {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, AuthErrc::kSignatureDoesNotMatch);
  EXPECT_NE(bad.error().canonical_request.find("max-keys=2&prefix=K\n"), std::string::npos);
}

constexpr std::string_view kPresignedQuery =
    "X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

TEST(SigV4Examples, PresignedGetObject) {
  HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"}};
  const RequestView view{"GET", "/test.txt", kPresignedQuery, headers};
  Secrets secrets;
  auto id = verify_request(view, secrets.lookup(), example_time() + minutes(5), {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV4Presigned);
  EXPECT_EQ(id->payload_mode, PayloadMode::kUnsigned);

  // Valid up to X-Amz-Date + X-Amz-Expires, then "Request has expired", without a lookup.
  EXPECT_TRUE(verify_request(view, secrets.lookup(), example_time() + seconds(86400), {}));
  Secrets late;
  auto expired = verify_request(view, late.lookup(), example_time() + seconds(86401), {});
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, AuthErrc::kAccessDenied);
  EXPECT_EQ(expired.error().message, "Request has expired");
  EXPECT_EQ(late.calls, 0);

  // Signed for later than the clock allows.
  auto early = verify_request(view, secrets.lookup(), example_time() - minutes(16), {});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, AuthErrc::kAccessDenied);
  EXPECT_EQ(early.error().message, "Request is not valid yet");
  EXPECT_TRUE(verify_request(view, secrets.lookup(), example_time() - minutes(14), {}));

  // Any parameter altered: the signature no longer matches.
  std::string altered(kPresignedQuery);
  altered.replace(altered.find("86400"), 5, "86401");
  auto bad =
      verify_request({"GET", "/test.txt", altered, headers}, secrets.lookup(), example_time(), {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, AuthErrc::kSignatureDoesNotMatch);
  // ...and so does another path.
  auto other = verify_request({"GET", "/test2.txt", kPresignedQuery, headers}, secrets.lookup(),
                              example_time(), {});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, AuthErrc::kSignatureDoesNotMatch);
}

// The chunked upload example: seed, three chunk signatures, and the trailer variant's
// trailer signature chained from the final chunk.
class StreamingExample : public ::testing::Test {
 protected:
  HeaderList headers{
      {"Host", "s3.amazonaws.com"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"Content-Encoding", "aws-chunked"},
      {"x-amz-decoded-content-length", "66560"},
      {"Content-Length", "66824"},
      {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
       "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
       "x-amz-decoded-content-length;x-amz-storage-class, "
       "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
  };
  const std::string chunk1 = std::string(65536, 'a');
  const std::string chunk2 = std::string(1024, 'a');

  Identity verified() {
    Secrets secrets;
    auto id = verify_request({"PUT", "/examplebucket/chunkObject.txt", "", headers},
                             secrets.lookup(), example_time(), {});
    EXPECT_TRUE(id) << id.error().message;
    return id.value();
  }
};

TEST_F(StreamingExample, SeedAndChunkSignatures) {
  const Identity id = verified();
  EXPECT_EQ(id.payload_mode, PayloadMode::kStreamingSigned);
  EXPECT_EQ(id.streaming.seed_signature,
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  EXPECT_EQ(id.streaming.scope, "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(chunk_string_to_sign(id.streaming.amz_date, id.streaming.scope,
                                 id.streaming.seed_signature, sha256_hex(chunk1)),
            "AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a");

  ChunkSignatureChain chain(id.streaming);
  EXPECT_TRUE(chain.verify_next(
      sha256_hex(chunk1), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"));
  EXPECT_TRUE(chain.verify_next(
      sha256_hex(chunk2), "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"));
  EXPECT_TRUE(chain.verify_next(
      kEmptySha256, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"));

  const std::vector<std::pair<std::string, std::string>> trailers = {
      {"first", "1st"}, {"second", "2nd"}, {"third", "3rd"}};
  EXPECT_EQ(canonical_trailers(trailers), "first:1st\nsecond:2nd\nthird:3rd\n");
  EXPECT_EQ(chain.trailer(canonical_trailers(trailers)),
            "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c");
  EXPECT_TRUE(
      chain.verify_trailer(canonical_trailers(trailers),
                           "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c"));
  const std::vector<std::pair<std::string, std::string>> altered = {
      {"first", "1st"}, {"second", "2nd"}, {"third", "4th"}};
  EXPECT_FALSE(
      chain.verify_trailer(canonical_trailers(altered),
                           "df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c"));
}

TEST_F(StreamingExample, TamperedChunkFailsAndDoesNotAdvance) {
  ChunkSignatureChain chain(verified().streaming);
  std::string tampered = chunk1;
  tampered[100] = 'b';
  EXPECT_FALSE(chain.verify_next(
      sha256_hex(tampered), "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"));
  EXPECT_EQ(chain.previous_signature(),
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  // Chunks out of order fail too.
  EXPECT_FALSE(chain.verify_next(
      sha256_hex(chunk2), "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"));
}

TEST_F(StreamingExample, SignerProducesTheSameChain) {
  SignableRequest req{"PUT", "/examplebucket/chunkObject.txt", "", {}, ""};
  for (const auto& [n, v] : headers.fields()) {
    if (!iequals(n, "Authorization") && !iequals(n, "x-amz-date")) req.headers.add(n, v);
  }
  req.payload_hash = kStreamingSignedPayload;
  const SigV4Signer signer(Credentials{std::string(kAkid), std::string(kSecret), ""},
                           SigV4SignerOptions{.region = "us-east-1"});
  const SigningResult r = signer.sign(req, example_time());
  EXPECT_EQ(r.signature, "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  ChunkSignatureChain chain(r.streaming);
  EXPECT_EQ(chain.next(sha256_hex(chunk1)),
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
}

// --- Authorization header parsing -----------------------------------------------------------

TEST(AuthorizationHeader, ParsesAndToleratesSpacesAfterCommas) {
  for (std::string_view text : {
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host;x-amz-date, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request,"
           "SignedHeaders=host;x-amz-date,Signature=abc",
           "AWS4-HMAC-SHA256   Credential=AKID/20150830/us-east-1/s3/aws4_request,   "
           "SignedHeaders=host;x-amz-date,  Signature=abc  ",
           "AWS4-HMAC-SHA256 Signature=abc, SignedHeaders=Host;X-Amz-Date, "
           "Credential=AKID/20150830/us-east-1/s3/aws4_request",
       }) {
    auto a = parse_authorization_v4(text);
    ASSERT_TRUE(a) << text << ": " << a.error().message;
    EXPECT_EQ(a->credential.access_key_id, "AKID");
    EXPECT_EQ(a->credential.scope, (CredentialScope{"20150830", "us-east-1", "s3"}));
    EXPECT_EQ(a->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
    EXPECT_EQ(a->signature, "abc");
  }
}

TEST(AuthorizationHeader, MalformedIsAnErrorNeverACrash) {
  const std::string good =
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc";
  for (std::string_view text : {
           "",
           "AWS4-HMAC-SHA256",
           "AWS4-HMAC-SHA256 ",
           "AWS4-HMAC-SHA256Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc, Extra=1",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request , "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc,",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request,, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20151330/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/s3/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830//s3/aws4_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws5_request, "
           "SignedHeaders=host, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host;;x-amz-date, Signature=abc",
           "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/s3/aws4_request, "
           "SignedHeaders=host;x(amz), Signature=abc",
           "AWS4-HMAC-SHA256 Credential, SignedHeaders, Signature",
           "AWS4-HMAC-SHA256 ===",
       }) {
    auto a = parse_authorization_v4(text);
    ASSERT_FALSE(a) << text;
    EXPECT_EQ(a.error().code, AuthErrc::kAuthorizationHeaderMalformed) << text;
    EXPECT_TRUE(a.error().message.starts_with("The authorization header is malformed; "));
  }
  // Every prefix of a good header, and random bytes spliced in: no crash, no false success.
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto a = parse_authorization_v4(good.substr(0, n));
    (void)a;
  }
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string s = good;
    const std::size_t pos = rng() % s.size();
    s[pos] = static_cast<char>(rng() % 256);
    if (rng() % 2) s.erase(rng() % s.size(), rng() % 8);
    auto a = parse_authorization_v4(s);
    HeaderList h{{"Host", "x"}, {"x-amz-date", "20150830T000000Z"}, {"Authorization", s}};
    Secrets secrets;
    auto v = verify_request({"GET", "/", "", h}, secrets.lookup(),
                            *parse_amz_date("20150830T000000Z"), {});
    EXPECT_FALSE(v);
  }
}

TEST(AuthorizationHeader, CredentialWithSlashInKeyIdKeepsTheScope) {
  auto c = parse_credential("AK/ID/20150830/eu-west-1/s3/aws4_request");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->access_key_id, "AK/ID");
  EXPECT_EQ(c->scope.region, "eu-west-1");
}

// --- Verifier policy --------------------------------------------------------------------------

TEST(SigV4Verifier, ClockSkewIsFifteenMinutesEitherWay) {
  GetObjectExample ex;
  Secrets secrets;
  for (auto offset : {minutes(-15), minutes(15), minutes(0), minutes(-14), minutes(14)}) {
    EXPECT_TRUE(verify_request(ex.view(), secrets.lookup(), example_time() + offset, {}));
  }
  for (auto offset : {minutes(-16), minutes(16), minutes(-20), minutes(20), minutes(24 * 60)}) {
    auto r = verify_request(ex.view(), secrets.lookup(), example_time() + offset, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, AuthErrc::kRequestTimeTooSkewed);
  }
  auto just_over =
      verify_request(ex.view(), secrets.lookup(), example_time() + minutes(15) + seconds(1), {});
  EXPECT_FALSE(just_over);
}

TEST(SigV4Verifier, UnknownKeyAndWrongSecret) {
  GetObjectExample ex;
  const SecretLookup none = [](std::string_view) -> std::optional<std::string> {
    return std::nullopt;
  };
  auto unknown = verify_request(ex.view(), none, example_time(), {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, AuthErrc::kInvalidAccessKeyId);
  EXPECT_EQ(unknown.error().access_key_id, kAkid);

  const SecretLookup wrong = [](std::string_view) -> std::optional<std::string> {
    return std::string("not-the-secret");
  };
  auto mismatch = verify_request(ex.view(), wrong, example_time(), {});
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, AuthErrc::kSignatureDoesNotMatch);
  EXPECT_EQ(mismatch.error().string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
}

TEST(SigV4Verifier, RegionServiceAndDateMustFit) {
  GetObjectExample ex;
  Secrets secrets;
  VerifyOptions fi{.accepted_regions = {"fi-hel", "us-east-1"}};
  EXPECT_TRUE(verify_request(ex.view(), secrets.lookup(), example_time(), fi));

  VerifyOptions only_fi{.accepted_regions = {"fi-hel"}};
  auto header = verify_request(ex.view(), secrets.lookup(), example_time(), only_fi);
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().code, AuthErrc::kAuthorizationHeaderMalformed);
  EXPECT_EQ(header.error().region, "fi-hel");
  EXPECT_NE(header.error().message.find("the region 'us-east-1' is wrong; expecting 'fi-hel'"),
            std::string::npos);

  HeaderList host{{"Host", "examplebucket.s3.amazonaws.com"}};
  auto query = verify_request({"GET", "/test.txt", kPresignedQuery, host}, secrets.lookup(),
                              example_time(), only_fi);
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error().code, AuthErrc::kAuthorizationQueryParametersError);
  EXPECT_EQ(query.error().region, "fi-hel");

  VerifyOptions other_service{.service = "iam"};
  auto service = verify_request(ex.view(), secrets.lookup(), example_time(), other_service);
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().code, AuthErrc::kAuthorizationHeaderMalformed);

  ex.headers.set("x-amz-date", "20130525T000000Z");
  auto date =
      verify_request(ex.view(), secrets.lookup(), example_time() + std::chrono::hours(24), {});
  ASSERT_FALSE(date);
  EXPECT_EQ(date.error().code, AuthErrc::kAuthorizationHeaderMalformed);
  EXPECT_NE(date.error().message.find("Invalid credential date"), std::string::npos);
}

TEST(SigV4Verifier, DateHeaderMustBeUsable) {
  GetObjectExample ex;
  Secrets secrets;
  ex.headers.remove("x-amz-date");
  auto none = verify_request(ex.view(), secrets.lookup(), example_time(), {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, AuthErrc::kAccessDenied);
  ex.headers.set("x-amz-date", "2013-05-24T00:00:00Z");
  auto iso = verify_request(ex.view(), secrets.lookup(), example_time(), {});
  ASSERT_FALSE(iso);
  EXPECT_EQ(iso.error().code, AuthErrc::kAccessDenied);
}

TEST(SigV4Verifier, DateHeaderInsteadOfXAmzDate) {
  // Signed with only Date: the string to sign carries it in ISO 8601 basic form.
  HeaderList headers{{"Host", "h"}, {"Date", "Fri, 24 May 2013 00:00:00 GMT"}};
  const std::vector<std::string> names = {"date", "host"};
  const std::string creq =
      build_canonical_request({"GET", "/k", "", headers, names, kEmptySha256, false});
  const CredentialScope scope{"20130524", "us-east-1", "s3"};
  const std::string sig =
      compute_signature(derive_signing_key(kSecret, scope),
                        string_to_sign("20130524T000000Z", scope.to_string(), creq));
  headers.add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" +
                                   scope.to_string() +
                                   ", SignedHeaders=date;host, Signature=" + sig);
  Secrets secrets;
  auto id = verify_request({"GET", "/k", "", headers}, secrets.lookup(), example_time(), {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->payload_hash, kEmptySha256);  // no x-amz-content-sha256: an empty body
}

TEST(SigV4Verifier, HostMustBeSigned) {
  HeaderList headers{{"Host", "h"},
                     {"x-amz-date", "20130524T000000Z"},
                     {"Authorization",
                      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                      "aws4_request, SignedHeaders=x-amz-date, Signature=abc"}};
  Secrets secrets;
  auto r = verify_request({"GET", "/", "", headers}, secrets.lookup(), example_time(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthErrc::kAccessDenied);
}

TEST(SigV4Verifier, PayloadModes) {
  EXPECT_EQ(parse_payload_mode(kEmptySha256).value(), PayloadMode::kSha256);
  EXPECT_EQ(parse_payload_mode("UNSIGNED-PAYLOAD").value(), PayloadMode::kUnsigned);
  EXPECT_EQ(parse_payload_mode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD").value(),
            PayloadMode::kStreamingSigned);
  EXPECT_EQ(parse_payload_mode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER").value(),
            PayloadMode::kStreamingSignedTrailer);
  EXPECT_EQ(parse_payload_mode("STREAMING-UNSIGNED-PAYLOAD-TRAILER").value(),
            PayloadMode::kStreamingUnsignedTrailer);
  EXPECT_EQ(parse_payload_mode("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD").error().code,
            AuthErrc::kNotImplemented);
  EXPECT_EQ(parse_payload_mode("abc").error().code, AuthErrc::kInvalidArgument);
  EXPECT_EQ(parse_payload_mode(std::string(63, 'a')).error().code, AuthErrc::kInvalidArgument);

  GetObjectExample ex;
  ex.headers.set("x-amz-content-sha256", "nonsense");
  Secrets secrets;
  auto r = verify_request(ex.view(), secrets.lookup(), example_time(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthErrc::kInvalidArgument);
}

// --- Presigned parameters ----------------------------------------------------------------------

std::string presigned_query(std::string_view expires) {
  return "X-Amz-Algorithm=AWS4-HMAC-SHA256"
         "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
         "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=" +
         std::string(expires) + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
}

AuthError presigned_error(const std::string& query) {
  HeaderList host{{"Host", "h"}};
  auto r = parse_sigv4_request({"GET", "/", query, host}, true, {});
  EXPECT_FALSE(r) << query;
  return r ? AuthError{} : r.error();
}

TEST(PresignedParameters, ExpiresRange) {
  HeaderList host{{"Host", "h"}};
  for (std::string_view ok : {"1", "3600", "604800", "0000604800"}) {
    auto r = parse_sigv4_request({"GET", "/", presigned_query(ok), host}, true, {});
    EXPECT_TRUE(r) << ok;
  }
  for (std::string_view bad :
       {"0", "604801", "99999999999999999999999", "-1", "abc", "", "1.5", "+5", " 5"}) {
    const AuthError e = presigned_error(presigned_query(bad));
    EXPECT_EQ(e.code, AuthErrc::kAuthorizationQueryParametersError) << bad;
  }
  EXPECT_EQ(presigned_error(presigned_query("604801")).message,
            "X-Amz-Expires must be less than a week (in seconds) that is 604800");
}

TEST(PresignedParameters, MissingDuplicateOrWrong) {
  const std::string q = presigned_query("60");
  // Each required parameter removed in turn.
  for (std::string_view name : {"X-Amz-Algorithm=", "X-Amz-Credential=", "X-Amz-Date=",
                                "X-Amz-Expires=", "X-Amz-SignedHeaders=", "X-Amz-Signature="}) {
    std::string s = q;
    const std::size_t at = s.find(name);
    s.replace(at, name.size() - 1, "X-Ignored");
    EXPECT_EQ(presigned_error(s).code, AuthErrc::kAuthorizationQueryParametersError) << name;
  }
  EXPECT_EQ(presigned_error(q + "&X-Amz-Signature=11").code,
            AuthErrc::kAuthorizationQueryParametersError);
  std::string alg = q;
  alg.replace(alg.find("AWS4-HMAC-SHA256"), 16, "AWS4-HMAC-SHA1");
  EXPECT_EQ(presigned_error(alg).code, AuthErrc::kAuthorizationQueryParametersError);
  std::string ecdsa = q;
  ecdsa.replace(ecdsa.find("AWS4-HMAC-SHA256"), 16, "AWS4-ECDSA-P256-SHA256");
  EXPECT_EQ(presigned_error(ecdsa).code, AuthErrc::kNotImplemented);
  std::string date = q;
  date.replace(date.find("20130524T000000Z"), 16, "20130524T000000");
  EXPECT_EQ(presigned_error(date).code, AuthErrc::kAuthorizationQueryParametersError);
  std::string cred = q;
  cred.replace(cred.find("%2Fs3%2F"), 8, "%2F");
  const AuthError c = presigned_error(cred);
  EXPECT_EQ(c.code, AuthErrc::kAuthorizationQueryParametersError);
  EXPECT_TRUE(c.message.starts_with("Error parsing the X-Amz-Credential parameter; "));
}

TEST(PresignedParameters, SecurityTokenAndContentSha) {
  HeaderList host{{"Host", "h"}};
  auto r = parse_sigv4_request(
      {"GET", "/",
       presigned_query("60") +
           "&X-Amz-Security-Token=a%2Bb%2F&X-Amz-Content-Sha256=" + std::string(kEmptySha256),
       host},
      true, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->session_token, "a+b/");
  EXPECT_EQ(r->payload_hash, kEmptySha256);
  EXPECT_EQ(r->payload_mode, PayloadMode::kSha256);
}

// --- Attacks: x-amz-* fields the signature does not cover -------------------------------------

TEST(SigV4Attack, UnsignedAmzHeadersOnAPresignedUrlAreRefused) {
  // The documentation's presigned GET signs Host only. Whoever holds the URL must not widen it
  // with a copy source, a lock, a bypass, tags or metadata.
  Secrets secrets;
  const auto now = example_time() + minutes(5);
  for (std::string_view name :
       {"x-amz-copy-source", "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date",
        "x-amz-object-lock-legal-hold", "x-amz-bypass-governance-retention", "x-amz-tagging",
        "x-amz-meta-owner", "X-Amz-Metadata-Directive", "x-amz-security-token"}) {
    HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"}, {std::string(name), "v"}};
    auto r =
        verify_request({"GET", "/test.txt", kPresignedQuery, headers}, secrets.lookup(), now, {});
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().code, AuthErrc::kAccessDenied) << name;
    EXPECT_EQ(r.error().message, "There were headers present in the request which were not signed");
    EXPECT_EQ(r.error().headers_not_signed, util::ascii_lower(name));
    const auto s3 = to_s3_error(r.error());
    EXPECT_NE(
        s3.extra_xml.find("<HeadersNotSigned>" + util::ascii_lower(name) + "</HeadersNotSigned>"),
        std::string::npos);
  }
  EXPECT_EQ(secrets.calls, 0);  // refused before the credential store is asked

  // Several are named, once each, sorted.
  HeaderList two{{"Host", "examplebucket.s3.amazonaws.com"},
                 {"x-amz-tagging", "a=b"},
                 {"x-amz-copy-source", "/src/secret"},
                 {"X-Amz-Tagging", "c=d"}};
  auto r = verify_request({"GET", "/test.txt", kPresignedQuery, two}, secrets.lookup(), now, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().headers_not_signed, "x-amz-copy-source, x-amz-tagging");

  // x-amz-content-sha256 is exempt (the payload hash is signed anyway), so is CloudFront's
  // x-amz-cf-id, and other fields are not S3's to refuse.
  HeaderList fine{{"Host", "examplebucket.s3.amazonaws.com"},
                  {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                  {"X-Amz-Cf-Id", "cloudfront-request-id"},
                  {"User-Agent", "curl"},
                  {"Range", "bytes=0-1"}};
  auto ok = verify_request({"GET", "/test.txt", kPresignedQuery, fine}, secrets.lookup(), now, {});
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST(SigV4Attack, UnsignedAmzHeadersWithHeaderAuthAreRefused) {
  GetObjectExample ex;
  Secrets secrets;
  ASSERT_TRUE(verify_request(ex.view(), secrets.lookup(), example_time(), {}));
  ex.headers.add("x-amz-copy-source", "/src/secret.txt");
  auto r = verify_request(ex.view(), secrets.lookup(), example_time(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthErrc::kAccessDenied);
  EXPECT_EQ(r.error().headers_not_signed, "x-amz-copy-source");
}

TEST(SigV4Attack, PresignedPayloadModeMustMatchTheBodyFraming) {
  HeaderList bare{{"Host", "h"}};
  const std::string streaming =
      presigned_query("60") + "&X-Amz-Content-Sha256=STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  // Signed for aws-chunked (chunk signatures), sent as a plain body nobody would check.
  auto plain = parse_sigv4_request({"PUT", "/b/k", streaming, bare}, true, {});
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, AuthErrc::kAuthorizationQueryParametersError);
  for (std::string_view mode :
       {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}) {
    auto r = parse_sigv4_request(
        {"PUT", "/b/k", presigned_query("60") + "&X-Amz-Content-Sha256=" + std::string(mode), bare},
        true, {});
    ASSERT_FALSE(r) << mode;
    EXPECT_EQ(r.error().code, AuthErrc::kAuthorizationQueryParametersError) << mode;
  }
  // With the header that frames the body as aws-chunked, the two agree.
  HeaderList chunked{{"Host", "h"},
                     {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
                     {"x-amz-decoded-content-length", "5"}};
  auto agreed = parse_sigv4_request({"PUT", "/b/k", streaming, chunked}, true, {});
  ASSERT_FALSE(agreed);  // x-amz-decoded-content-length is not signed by this URL
  EXPECT_EQ(agreed.error().headers_not_signed, "x-amz-decoded-content-length");
  HeaderList framed{{"Host", "h"}, {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}};
  EXPECT_TRUE(parse_sigv4_request({"PUT", "/b/k", streaming, framed}, true, {}));
  // A header that says otherwise than the signed parameter.
  const std::string hashed =
      presigned_query("60") + "&X-Amz-Content-Sha256=" + std::string(kEmptySha256);
  HeaderList other{{"Host", "h"}, {"x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}};
  auto differ = parse_sigv4_request({"PUT", "/b/k", hashed, other}, true, {});
  ASSERT_FALSE(differ);
  EXPECT_EQ(differ.error().code, AuthErrc::kAuthorizationQueryParametersError);
  // Hash or UNSIGNED-PAYLOAD with a plain body stays fine.
  EXPECT_TRUE(parse_sigv4_request({"PUT", "/b/k", hashed, bare}, true, {}));
  EXPECT_TRUE(parse_sigv4_request({"PUT", "/b/k", presigned_query("60"), bare}, true, {}));
}

// --- Detection ---------------------------------------------------------------------------------

TEST(DetectAuthMethod, OneMechanismAtATime) {
  HeaderList none;
  EXPECT_EQ(detect_auth_method({"GET", "/", "", none}).value(), AuthMethod::kNone);
  EXPECT_EQ(detect_auth_method({"GET", "/", "acl&versionId=1", none}).value(), AuthMethod::kNone);
  EXPECT_EQ(detect_auth_method({"GET", "/", kPresignedQuery, none}).value(),
            AuthMethod::kSigV4Presigned);
  EXPECT_EQ(
      detect_auth_method({"GET", "/", "AWSAccessKeyId=a&Signature=b&Expires=1", none}).value(),
      AuthMethod::kSigV2Presigned);
  HeaderList v4{{"Authorization", "AWS4-HMAC-SHA256 Credential=x"}};
  EXPECT_EQ(detect_auth_method({"GET", "/", "", v4}).value(), AuthMethod::kSigV4Header);
  HeaderList v2{{"Authorization", "AWS AKID:sig"}};
  EXPECT_EQ(detect_auth_method({"GET", "/", "", v2}).value(), AuthMethod::kSigV2Header);

  auto both = detect_auth_method({"GET", "/", kPresignedQuery, v4});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, AuthErrc::kInvalidArgument);
  HeaderList bearer{{"Authorization", "Bearer token"}};
  EXPECT_EQ(detect_auth_method({"GET", "/", "", bearer}).error().code, AuthErrc::kInvalidArgument);
  HeaderList ecdsa{{"Authorization", "AWS4-ECDSA-P256-SHA256 Credential=x"}};
  EXPECT_EQ(detect_auth_method({"GET", "/", "", ecdsa}).error().code, AuthErrc::kNotImplemented);

  Secrets secrets;
  auto anon = verify_request({"GET", "/", "", none}, secrets.lookup(), example_time(), {});
  ASSERT_FALSE(anon);
  EXPECT_EQ(anon.error().code, AuthErrc::kAccessDenied);

  HeaderList two = GetObjectExample().headers;
  two.add("Authorization", "AWS4-HMAC-SHA256 Credential=y");
  auto dup = verify_request({"GET", "/test.txt", "", two}, secrets.lookup(), example_time(), {});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, AuthErrc::kInvalidArgument);
}

// --- Canonical request pieces ------------------------------------------------------------------

TEST(CanonicalRequest, UriIsThePathAsSentReencodedOnlyWhereNeeded) {
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/"), "/");
  EXPECT_EQ(canonical_uri("/test$file.text"), "/test%24file.text");
  EXPECT_EQ(canonical_uri("/test%24file.text"), "/test%24file.text");
  EXPECT_EQ(canonical_uri("/a b/c"), "/a%20b/c");
  EXPECT_EQ(canonical_uri("/a%20b/c"), "/a%20b/c");
  EXPECT_EQ(canonical_uri("/a%2Fb"), "/a%2Fb");  // an encoded slash stays one
  EXPECT_EQ(canonical_uri("/a%2fb"), "/a%2Fb");  // lowercase hex is normalized
  EXPECT_EQ(canonical_uri("/%41"), "/%41");      // canonical already: verbatim, no decoding
  EXPECT_EQ(canonical_uri("/a+b"), "/a%2Bb");    // '+' is data in a path
  EXPECT_EQ(canonical_uri("/caf\xc3\xa9"), "/caf%C3%A9");
  EXPECT_EQ(canonical_uri("/100%"), "/100%25");
  EXPECT_EQ(canonical_uri("/100%zz"), "/100%25zz");
  EXPECT_EQ(canonical_uri("//a/./b/../c//"), "//a/./b/../c//");  // no normalization
  EXPECT_EQ(canonical_uri("/%2525"), "/%2525");                  // no double decoding
}

TEST(CanonicalRequest, QueryStringIsDecodedReencodedAndSorted) {
  EXPECT_EQ(canonical_query_string("", false), "");
  EXPECT_EQ(canonical_query_string("b=2&a=1", false), "a=1&b=2");
  EXPECT_EQ(canonical_query_string("acl", false), "acl=");
  EXPECT_EQ(canonical_query_string("acl=", false), "acl=");
  EXPECT_EQ(canonical_query_string("a=2&a=1&a=10", false), "a=1&a=10&a=2");
  EXPECT_EQ(canonical_query_string("x=a+b&y=a%20b&z=a%2Bb", false), "x=a%20b&y=a%20b&z=a%2Bb");
  EXPECT_EQ(canonical_query_string("k=a/b&l=%2f", false), "k=a%2Fb&l=%2F");
  EXPECT_EQ(canonical_query_string("k=%7E~", false), "k=~~");
  EXPECT_EQ(canonical_query_string("%E1%88%B4=1&Z=2&a=3", false), "%E1%88%B4=1&Z=2&a=3");
  EXPECT_EQ(canonical_query_string("a=1&&b=2", false), "a=1&b=2");
  EXPECT_EQ(canonical_query_string("bad=%zz", false), "bad=%25zz");
  EXPECT_EQ(canonical_query_string("X-Amz-Signature=abc&a=1", true), "a=1");
  EXPECT_EQ(canonical_query_string("X-Amz-Signature=abc&a=1", false), "X-Amz-Signature=abc&a=1");
  EXPECT_EQ(canonical_query_string("x-amz-signature=abc", true), "x-amz-signature=abc");
}

TEST(CanonicalRequest, HeaderValuesAreTrimmedCollapsedAndJoined) {
  EXPECT_EQ(canonical_header_value({"  a   b  "}), "a b");
  EXPECT_EQ(canonical_header_value({"\"a   b   c\""}), "\"a b c\"");
  EXPECT_EQ(canonical_header_value({"v2", " v1 "}), "v2,v1");
  EXPECT_EQ(canonical_header_value({"value1\n  value2\n     value3"}), "value1 value2 value3");
  EXPECT_EQ(canonical_header_value({"a\t\tb"}), "a b");
  EXPECT_EQ(canonical_header_value({""}), "");
  EXPECT_EQ(canonical_header_value({}), "");
  const std::vector<std::string> names = {"X-Amz-Date", "host", "host"};
  EXPECT_EQ(normalize_signed_headers(names), (std::vector<std::string>{"host", "x-amz-date"}));
}

TEST(AmzDate, ParsesOnlyTheBasicFormat) {
  const auto t = parse_amz_date("20130524T000000Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_amz_date(*t), "20130524T000000Z");
  EXPECT_EQ(format_amz_date(*parse_amz_date("20240229T235959Z")), "20240229T235959Z");
  EXPECT_EQ(format_amz_date(*t + std::chrono::milliseconds(999)), "20130524T000000Z");
  for (std::string_view bad :
       {"", "20130524", "20130524T000000", "20130524T000000z", "2013-05-24T00:00:00Z",
        "20130230T000000Z", "20130524T240000Z", "20130524T006000Z", "20130524T000060Z",
        "2013052aT000000Z", "20230229T000000Z", "20131324T000000Z"}) {
    EXPECT_FALSE(parse_amz_date(bad)) << bad;
  }
}

TEST(AmzDate, DateHeadersInTheFormsClientsSend) {
  const auto t = *parse_amz_date("20070327T193642Z");
  EXPECT_EQ(parse_date_header("Tue, 27 Mar 2007 19:36:42 GMT"), t);
  EXPECT_EQ(parse_date_header("Tue, 27 Mar 2007 19:36:42 +0000"), t);
  EXPECT_EQ(parse_date_header("Tue, 27 Mar 2007 19:36:42 -0000"), t);
  EXPECT_EQ(parse_date_header("Tue, 27 Mar 2007 21:36:42 +0200"), t);
  EXPECT_EQ(parse_date_header("Tue, 27 Mar 2007 14:06:42 -0530"), t);
  EXPECT_EQ(parse_date_header("20070327T193642Z"), t);
  EXPECT_FALSE(parse_date_header("Tue, 27 Mar 2007 19:36:42 +2500"));
  EXPECT_FALSE(parse_date_header("Tue, 27 Mar 2007 19:36:42 +00"));
  EXPECT_FALSE(parse_date_header("yesterday"));
  EXPECT_FALSE(parse_date_header(""));
}

// --- Signing-key cache -------------------------------------------------------------------------

TEST(SigningKeyCache, ServesDerivedKeysAndStaysBounded) {
  SigningKeyCache cache(3);
  const CredentialScope a{"20130524", "us-east-1", "s3"};
  const CredentialScope b{"20130525", "us-east-1", "s3"};
  EXPECT_EQ(cache.get(kSecret, a), derive_signing_key(kSecret, a));
  EXPECT_EQ(cache.get(kSecret, a), derive_signing_key(kSecret, a));
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.get(kSecret, b), derive_signing_key(kSecret, b));
  EXPECT_EQ(cache.get("other-secret", a), derive_signing_key("other-secret", a));
  EXPECT_EQ(cache.misses(), 3u);
  EXPECT_EQ(cache.size(), 3u);
  cache.get(kSecret, a);  // a is now the most recent; b is the oldest
  const CredentialScope c{"20130524", "eu-west-1", "s3"};
  cache.get(kSecret, c);
  EXPECT_EQ(cache.size(), 3u);
  const auto misses = cache.misses();
  cache.get(kSecret, a);
  EXPECT_EQ(cache.misses(), misses);  // still cached
  cache.get(kSecret, b);
  EXPECT_EQ(cache.misses(), misses + 1);  // was evicted
  // Fields cannot run into each other: region "a/s" + service "3" is not region "a" + "s/3".
  const CredentialScope x{"20130524", "ab", "c"};
  const CredentialScope y{"20130524", "a", "bc"};
  EXPECT_NE(cache.get(kSecret, x), cache.get(kSecret, y));
}

TEST(SigningKeyCache, IsThreadSafe) {
  SigningKeyCache cache(8);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const CredentialScope s{"20130524", "r" + std::to_string((i + t) % 12), "s3"};
        if (cache.get(kSecret, s) != derive_signing_key(kSecret, s)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 8u);
}

TEST(SigningKeyCache, VerifierUsesIt) {
  SigningKeyCache cache;
  GetObjectExample ex;
  Secrets secrets;
  VerifyOptions options{.key_cache = &cache};
  EXPECT_TRUE(verify_request(ex.view(), secrets.lookup(), example_time(), options));
  EXPECT_TRUE(verify_request(ex.view(), secrets.lookup(), example_time(), options));
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
}

}  // namespace
}  // namespace s3gw::auth

namespace s3gw::auth {
namespace {

TEST(AuthErrorMapping, CarriesS3CodeAndDetail) {
  AuthError e(AuthErrc::kAuthorizationHeaderMalformed, "wrong region");
  e.region = "fi-hel";
  const auto s3err = to_s3_error(e);
  EXPECT_EQ(s3err.aws_code(), "AuthorizationHeaderMalformed");
  EXPECT_EQ(s3err.http_status(), 400);
  EXPECT_EQ(s3err.effective_message(), "wrong region");
  EXPECT_EQ(s3err.extra_xml, "<Region>fi-hel</Region>");
  EXPECT_EQ(to_s3_error(AuthError(AuthErrc::kSignatureDoesNotMatch, "")).http_status(), 403);
  EXPECT_EQ(to_s3_error(AuthError(AuthErrc::kNotImplemented, "")).http_status(), 501);
}

}  // namespace
}  // namespace s3gw::auth
