// SigV2 against the worked examples of the S3 "Signing and authenticating REST requests"
// documentation (secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY), plus the failure cases.
#include "auth/sigv2.h"

#include <gtest/gtest.h>

#include "auth/amz_date.h"
#include "auth/header_list.h"
#include "auth/request_verifier.h"
#include "s3/uri_encode.h"

namespace s3gw::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kAkid = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

SecretLookup secrets() {
  return [](std::string_view id) -> std::optional<std::string> {
    if (id == kAkid) return std::string(kSecret);
    return std::nullopt;
  };
}

util::TimePoint at(std::string_view http_date) {
  const auto t = parse_date_header(http_date);
  EXPECT_TRUE(t) << http_date;
  return t.value_or(util::TimePoint{});
}

AuthResult<Identity> verify_at(const RequestView& view, std::string_view http_date) {
  return verify_request(view, secrets(), at(http_date), {});
}

TEST(SigV2Examples, GetObjectVirtualHosted) {
  HeaderList h{{"Host", "johnsmith.s3.amazonaws.com"},
               {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
               {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="}};
  const RequestView view{"GET", "/photos/puppy.jpg", "", h, "johnsmith"};
  EXPECT_EQ(sigv2_string_to_sign(view, false, "Tue, 27 Mar 2007 19:36:42 +0000"),
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg");
  auto id = verify_at(view, "Tue, 27 Mar 2007 19:36:42 +0000");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV2Header);
  EXPECT_EQ(id->access_key_id, kAkid);
  EXPECT_EQ(id->payload_mode, PayloadMode::kUnsigned);
  // Path-style: the bucket is in the path already, and nothing else changes.
  EXPECT_TRUE(
      verify_at({"GET", "/johnsmith/photos/puppy.jpg", "", h}, "Tue, 27 Mar 2007 19:36:42 +0000"));
  // Without the bucket the resource differs.
  auto wrong = verify_at({"GET", "/photos/puppy.jpg", "", h}, "Tue, 27 Mar 2007 19:36:42 +0000");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, AuthErrc::kSignatureDoesNotMatch);
  EXPECT_EQ(wrong.error().string_to_sign,
            "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/photos/puppy.jpg");
}

TEST(SigV2Examples, PutObject) {
  HeaderList h{{"Content-Type", "image/jpeg"},
               {"Content-Length", "94328"},
               {"Host", "johnsmith.s3.amazonaws.com"},
               {"Date", "Tue, 27 Mar 2007 21:15:45 +0000"},
               {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:MyyxeRY7whkBe+bq8fHCL/2kKUg="}};
  EXPECT_TRUE(verify_at({"PUT", "/photos/puppy.jpg", "", h, "johnsmith"},
                        "Tue, 27 Mar 2007 21:15:45 +0000"));
}

TEST(SigV2Examples, ListAndAclSubResource) {
  HeaderList list{{"User-Agent", "Mozilla/5.0"},
                  {"Host", "johnsmith.s3.amazonaws.com"},
                  {"Date", "Tue, 27 Mar 2007 19:42:41 +0000"},
                  {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:htDYFYduRNen8P9ZfE/s9SuKy0U="}};
  EXPECT_TRUE(verify_at({"GET", "/", "prefix=photos&max-keys=50&marker=puppy", list, "johnsmith"},
                        "Tue, 27 Mar 2007 19:42:41 +0000"));
  HeaderList acl{{"Host", "johnsmith.s3.amazonaws.com"},
                 {"Date", "Tue, 27 Mar 2007 19:44:46 +0000"},
                 {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM="}};
  EXPECT_TRUE(verify_at({"GET", "/", "acl", acl, "johnsmith"}, "Tue, 27 Mar 2007 19:44:46 +0000"));
  // The sub-resource is signed: dropping it breaks the signature.
  EXPECT_FALSE(verify_at({"GET", "/", "", acl, "johnsmith"}, "Tue, 27 Mar 2007 19:44:46 +0000"));
}

TEST(SigV2Examples, XAmzDateEmptiesTheDateSlot) {
  HeaderList h{{"User-Agent", "dotnet"},
               {"Host", "s3.amazonaws.com"},
               {"Date", "Tue, 27 Mar 2007 21:20:27 +0000"},
               {"x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000"},
               {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:R4dJ53KECjStyBO5iTBJZ4XVOaI="}};
  const RequestView view{"DELETE", "/johnsmith/photos/puppy.jpg", "", h};
  auto id = verify_at(view, "Tue, 27 Mar 2007 21:20:26 +0000");
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->request_time, at("Tue, 27 Mar 2007 21:20:26 +0000"));
}

TEST(SigV2Examples, UploadWithAmzHeadersAndCname) {
  HeaderList h{{"User-Agent", "curl/7.15.5"},
               {"Host", "static.johnsmith.net:8080"},
               {"Date", "Tue, 27 Mar 2007 21:06:08 +0000"},
               {"x-amz-acl", "public-read"},
               {"content-type", "application/x-download"},
               {"Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="},
               {"X-Amz-Meta-ReviewedBy", "joe@johnsmith.net"},
               {"X-Amz-Meta-ReviewedBy", "jane@johnsmith.net"},
               {"X-Amz-Meta-FileChecksum", "0x02661779"},
               {"X-Amz-Meta-ChecksumAlgorithm", "crc32"},
               {"Content-Disposition", "attachment; filename=database.dat"},
               {"Content-Encoding", "gzip"},
               {"Content-Length", "5913339"},
               {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:ilyl83RwaSoYIEdixDQcA4OnAnc="}};
  const RequestView view{"PUT", "/db-backup.dat.gz", "", h, "static.johnsmith.net"};
  EXPECT_EQ(sigv2_string_to_sign(view, false, "Tue, 27 Mar 2007 21:06:08 +0000"),
            "PUT\n4gJE4saaMU4BqNR0kLY+lw==\napplication/x-download\n"
            "Tue, 27 Mar 2007 21:06:08 +0000\nx-amz-acl:public-read\n"
            "x-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n"
            "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n"
            "/static.johnsmith.net/db-backup.dat.gz");
  EXPECT_TRUE(verify_at(view, "Tue, 27 Mar 2007 21:06:08 +0000"));
}

TEST(SigV2Examples, QueryStringAuth) {
  HeaderList h{{"Host", "johnsmith.s3.amazonaws.com"}};
  const std::string query =
      "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&"
      "Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
  const RequestView view{"GET", "/photos/puppy.jpg", query, h, "johnsmith"};
  const util::TimePoint expires = util::TimePoint(seconds(1175139620));
  auto id = verify_request(view, secrets(), expires - minutes(30), {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV2Presigned);
  EXPECT_TRUE(verify_request(view, secrets(), expires, {}));
  auto late = verify_request(view, secrets(), expires + seconds(1), {});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, AuthErrc::kAccessDenied);
  EXPECT_EQ(late.error().message, "Request has expired");

  // Some clients leave base64's '+' and '=' raw in the URL.
  const std::string raw =
      "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&"
      "Signature=NpgCjnDzrM+WFzoENXmpNDUsSn8=";
  EXPECT_TRUE(verify_request({"GET", "/photos/puppy.jpg", raw, h, "johnsmith"}, secrets(),
                             expires - minutes(1), {}));

  std::string altered = query;
  altered.replace(altered.find("1175139620"), 10, "1175139621");
  auto bad = verify_request({"GET", "/photos/puppy.jpg", altered, h, "johnsmith"}, secrets(),
                            expires - minutes(1), {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, AuthErrc::kSignatureDoesNotMatch);
}

TEST(SigV2Presigned, HeadersMovedIntoTheQueryAreSigned) {
  // botocore's HmacV1QueryAuth puts Content-Type and x-amz-* into the URL; the client using the
  // URL may or may not repeat them as headers.
  const std::string sts = "PUT\n\ntext/plain\n1175139620\nx-amz-security-token:tok+en\n/bucket/key";
  const std::string encoded = s3::uri_encode(sigv2_signature(kSecret, sts), true);
  const std::string query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=" + encoded +
                            "&Expires=1175139620&content-type=text%2Fplain"
                            "&x-amz-security-token=tok%2Ben";
  const util::TimePoint now = util::TimePoint(seconds(1175139000));
  HeaderList bare{{"Host", "h"}};
  EXPECT_EQ(sigv2_string_to_sign({"PUT", "/bucket/key", query, bare}, true, "1175139620"), sts);
  auto id = verify_request({"PUT", "/bucket/key", query, bare}, secrets(), now, {});
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->session_token, "tok+en");
  HeaderList same{{"Host", "h"}, {"Content-Type", "text/plain"}};
  EXPECT_TRUE(verify_request({"PUT", "/bucket/key", query, same}, secrets(), now, {}));
  HeaderList other{{"Host", "h"}, {"Content-Type", "image/png"}};
  EXPECT_FALSE(verify_request({"PUT", "/bucket/key", query, other}, secrets(), now, {}));
}

TEST(SigV2, CanonicalResourceSubResources) {
  HeaderList h;
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "versionId=3&acl", h}),
            "/b/k?acl&versionId=3");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "uploads=", h}), "/b/k?uploads=");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "prefix=a&max-keys=1&delimiter=/", h}),
            "/b/k");
  EXPECT_EQ(sigv2_canonical_resource(
                {"GET", "/b/k", "response-content-disposition=attachment%3B%20filename%3Da+b", h}),
            "/b/k?response-content-disposition=attachment; filename=a+b");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "uploadId=x&partNumber=2", h}),
            "/b/k?partNumber=2&uploadId=x");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/", "", h, "bucket"}), "/bucket/");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/a%20b", "", h}), "/a%20b");  // as sent
  EXPECT_TRUE(is_sigv2_subresource("tagging"));
  EXPECT_TRUE(is_sigv2_subresource("response-expires"));
  EXPECT_FALSE(is_sigv2_subresource("Acl"));
  EXPECT_FALSE(is_sigv2_subresource("list-type"));
  EXPECT_TRUE(is_sigv2_subresource("retention"));
  EXPECT_TRUE(is_sigv2_subresource("legal-hold"));
}

TEST(SigV2, MalformedHeaderIsInvalidArgument) {
  for (std::string_view value : {"AWS ", "AWS AKID", "AWS :sig", "AWS AKID:", "AWS AKID:sig extra",
                                 "AWS AKID:a:b", "AWS AK ID:sig"}) {
    HeaderList h{{"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
                 {"Authorization", std::string(value)}};
    auto r = verify_at({"GET", "/", "", h}, "Tue, 27 Mar 2007 19:36:42 +0000");
    ASSERT_FALSE(r) << value;
    EXPECT_EQ(r.error().code, AuthErrc::kInvalidArgument) << value;
  }
}

TEST(SigV2, DateSkewAndKeys) {
  HeaderList h{{"Host", "johnsmith.s3.amazonaws.com"},
               {"Date", "Tue, 27 Mar 2007 19:36:42 +0000"},
               {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="}};
  const RequestView view{"GET", "/photos/puppy.jpg", "", h, "johnsmith"};
  const util::TimePoint t = at("Tue, 27 Mar 2007 19:36:42 +0000");
  EXPECT_TRUE(verify_request(view, secrets(), t + minutes(15), {}));
  for (auto off : {minutes(16), minutes(-16)}) {
    auto r = verify_request(view, secrets(), t + off, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, AuthErrc::kRequestTimeTooSkewed);
  }
  HeaderList undated{{"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:x"}};
  auto nodate = verify_request({"GET", "/", "", undated}, secrets(), t, {});
  ASSERT_FALSE(nodate);
  EXPECT_EQ(nodate.error().code, AuthErrc::kAccessDenied);

  HeaderList unknown = h;
  unknown.set("Authorization", "AWS NOSUCHKEY:bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
  auto r = verify_request({"GET", "/photos/puppy.jpg", "", unknown, "johnsmith"}, secrets(), t, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthErrc::kInvalidAccessKeyId);
}

TEST(SigV2, QueryParametersRequired) {
  HeaderList h;
  const util::TimePoint now = util::TimePoint(seconds(1175139000));
  for (std::string_view q :
       {"AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x",
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620", "Signature=x&Expires=1175139620",
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=soon",
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=-1",
        "AWSAccessKeyId=&Signature=x&Expires=1175139620"}) {
    auto r = verify_request({"GET", "/", q, h}, secrets(), now, {});
    ASSERT_FALSE(r) << q;
    EXPECT_EQ(r.error().code, AuthErrc::kAccessDenied) << q;
  }
  // Far-future Expires does not overflow the clock, and is refused before any signature check.
  auto far = verify_request(
      {"GET", "/", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=999999999999", h},
      secrets(), now, {});
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, AuthErrc::kAccessDenied);
}

// --- Attacks on presigned SigV2 URLs -----------------------------------------------------------

// A presigned SigV2 URL for `method path`, signed as botocore's HmacV1QueryAuth signs it.
// `sub` (a sub-resource such as "retention") goes first in the query.
std::string presign_v2(std::string_view method, std::string_view path, long long expires,
                       std::string_view sub = "") {
  const std::string e = std::to_string(expires);
  HeaderList none;
  std::string unsigned_query = "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=" + e;
  if (!sub.empty()) unsigned_query = std::string(sub) + "&" + unsigned_query;
  const std::string sts = sigv2_string_to_sign({method, path, unsigned_query, none}, true, e);
  return unsigned_query + "&Signature=" + s3::uri_encode(sigv2_signature(kSecret, sts), true);
}

TEST(SigV2Attack, OperationSelectorsAddedToASignedUrlAreRefused) {
  // A PUT URL for an object must not become PutObjectRetention (COMPLIANCE until 2099), a
  // legal hold, a tagging write or a version's removal by appending a sub-resource.
  const util::TimePoint now = util::TimePoint(seconds(1'800'000'000));
  const std::string url = presign_v2("PUT", "/b/k", 1'800'003'600);
  HeaderList h{{"Host", "h"}};
  ASSERT_TRUE(verify_request({"PUT", "/b/k", url, h}, secrets(), now, {}));
  for (std::string_view extra : {"&retention", "&legal-hold", "&tagging", "&acl", "&%72etention",
                                 "&%6Cegal-hold", "&retention=", "&%76ersionId=3", "&versionId=3",
                                 "&uploadId=x&partNumber=1", "&attributes", "&publicAccessBlock"}) {
    auto r = verify_request({"PUT", "/b/k", url + std::string(extra), h}, secrets(), now, {});
    ASSERT_FALSE(r) << extra;
    EXPECT_EQ(r.error().code, AuthErrc::kSignatureDoesNotMatch) << extra;
  }
  // Plain parameters are not SigV2 sub-resources (as at AWS): they select nothing.
  EXPECT_TRUE(verify_request({"PUT", "/b/k", url + "&x-id=PutObject", h}, secrets(), now, {}));
}

TEST(SigV2Attack, EncodedSubResourceNamesAreSignedDecoded) {
  HeaderList h;
  EXPECT_EQ(sigv2_canonical_resource({"PUT", "/b/k", "%72etention", h}), "/b/k?retention");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "%76ersionId=3", h}), "/b/k?versionId=3");
  EXPECT_EQ(sigv2_canonical_resource({"GET", "/b/k", "legal-hold&tagging", h}),
            "/b/k?legal-hold&tagging");
  // A URL signed for ?retention also holds with the name encoded: what is signed is what the
  // operation is chosen from.
  const util::TimePoint now = util::TimePoint(seconds(1'800'000'000));
  HeaderList host{{"Host", "h"}};
  const std::string url = presign_v2("PUT", "/b/k", 1'800'003'600, "retention");
  ASSERT_TRUE(verify_request({"PUT", "/b/k", url, host}, secrets(), now, {}));
  std::string encoded = url;
  encoded.replace(0, 9, "%72etention");
  EXPECT_TRUE(verify_request({"PUT", "/b/k", encoded, host}, secrets(), now, {}));
  // Without it, the same signature is no longer valid.
  EXPECT_FALSE(verify_request({"PUT", "/b/k", url.substr(10), host}, secrets(), now, {}));
}

TEST(SigV2Attack, ExpiresAtMostAWeekAhead) {
  const util::TimePoint now = util::TimePoint(seconds(1'800'000'000));
  HeaderList h{{"Host", "h"}};
  const long long week = 604800;
  EXPECT_TRUE(verify_request({"GET", "/b/k", presign_v2("GET", "/b/k", 1'800'000'000 + week), h},
                             secrets(), now, {}));
  auto far =
      verify_request({"GET", "/b/k", presign_v2("GET", "/b/k", 1'800'000'000 + week + 3600), h},
                     secrets(), now, {});
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, AuthErrc::kAccessDenied);
  auto year_2100 = verify_request({"GET", "/b/k", presign_v2("GET", "/b/k", 4'102'444'800), h},
                                  secrets(), now, {});
  ASSERT_FALSE(year_2100);
  EXPECT_EQ(year_2100.error().code, AuthErrc::kAccessDenied);
}

}  // namespace
}  // namespace s3gw::auth
