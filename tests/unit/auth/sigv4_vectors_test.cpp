// Runs the AWS SigV4 test suite (tests/data/sigv4/v4, from aws-c-auth) through the canonical
// request builder, the string to sign, the signature, the verifier and the signer.
//
// The suite is written for a generic service. Where its rules differ from S3's, the case (or one
// of its two halves) is skipped below with the reason; everything else must match byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/amz_date.h"
#include "auth/canonical_request.h"
#include "auth/header_list.h"
#include "auth/query_string.h"
#include "auth/request_verifier.h"
#include "auth/sigv4.h"
#include "auth/sigv4_request.h"
#include "auth/sigv4_signer.h"
#include "auth/sigv4_verifier.h"
#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::auth {
namespace {

namespace fs = std::filesystem;

const fs::path& vector_dir() {
  static const fs::path dir = fs::path(S3GW_TEST_DATA_DIR) / "sigv4" / "v4";
  return dir;
}

// S3 signs the path as sent; these cases expect generic-service normalization of "." and ".."
// segments and duplicate slashes. Their "-unnormalized" twins are S3's rule and do run.
const std::map<std::string, std::string>& skipped_cases() {
  static const std::map<std::string, std::string> kSkipped = {
      {"get-relative-normalized", "path normalization (/example/.. -> /); S3 signs it as sent"},
      {"get-relative-relative-normalized",
       "path normalization (/example1/example2/../.. -> /); S3 signs it as sent"},
      {"get-slash-dot-slash-normalized", "path normalization (/./ -> /); S3 signs it as sent"},
      {"get-slash-normalized", "path normalization (// -> /); S3 signs it as sent"},
      {"get-slash-pointless-dot-normalized",
       "path normalization (/./example -> /example); S3 signs it as sent"},
      {"get-slashes-normalized",
       "path normalization (//example// -> /example/); S3 signs it as sent"},
  };
  return kSkipped;
}

// Presigned halves that do not apply to S3.
const std::map<std::string, std::string>& skipped_query_cases() {
  static const std::map<std::string, std::string> kSkipped = {
      {"post-sts-header-after",
       "X-Amz-Security-Token is appended to the URL after signing, outside the canonical query "
       "string; S3 signs every query parameter except X-Amz-Signature"},
  };
  return kSkipped;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// A request as the suite writes it: request line, fields (a line starting with whitespace
// continues the previous field, obs-fold), blank line, body.
struct HttpText {
  std::string method;
  std::string path;
  std::string query;
  HeaderList headers;
  std::string body;
};

HttpText parse_http(const std::string& text) {
  HttpText r;
  std::size_t pos = text.find('\n');
  std::string line = text.substr(0, pos);
  // The target may hold raw spaces ("/example space/"): split at the first and the last space.
  const std::size_t first = line.find(' ');
  const std::size_t last = line.rfind(" HTTP/");
  r.method = line.substr(0, first);
  const std::string target = line.substr(first + 1, last - first - 1);
  const std::size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  std::vector<std::pair<std::string, std::string>> fields;
  while (pos != std::string::npos) {
    const std::size_t start = pos + 1;
    pos = text.find('\n', start);
    line = text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    if (line.empty()) {
      if (pos != std::string::npos) r.body = text.substr(pos + 1);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().second += "\n" + line;
      continue;
    }
    const std::size_t colon = line.find(':');
    fields.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  for (auto& [n, v] : fields) r.headers.add(n, v);
  return r;
}

// Just enough JSON for context.json: the string, bool or number after "key":.
std::string json_value(const std::string& json, const std::string& key) {
  const std::size_t k = json.find("\"" + key + "\"");
  if (k == std::string::npos) return {};
  std::size_t p = json.find(':', k) + 1;
  while (json[p] == ' ') ++p;
  if (json[p] == '"') {
    const std::size_t end = json.find('"', p + 1);
    return json.substr(p + 1, end - p - 1);
  }
  const std::size_t end = json.find_first_of(",\n}", p);
  return json.substr(p, end - p);
}

struct Context {
  std::string access_key_id;
  std::string secret;
  std::string token;
  std::string region;
  std::string service;
  util::TimePoint time{};
  std::chrono::seconds expires{0};
  bool normalize = false;
  bool sign_body = false;
  bool omit_session_token = false;
};

Context read_context(const fs::path& dir) {
  const std::string json = read_file(dir / "context.json");
  Context c;
  c.access_key_id = json_value(json, "access_key_id");
  c.secret = json_value(json, "secret_access_key");
  c.token = json_value(json, "token");
  c.region = json_value(json, "region");
  c.service = json_value(json, "service");
  std::string ts = json_value(json, "timestamp");  // 2015-08-30T12:36:00Z
  std::erase(ts, '-');
  std::erase(ts, ':');
  c.time = *parse_amz_date(ts);
  c.expires = std::chrono::seconds(std::stoll(json_value(json, "expiration_in_seconds")));
  c.normalize = json_value(json, "normalize") == "true";
  c.sign_body = json_value(json, "sign_body") == "true";
  c.omit_session_token = json_value(json, "omit_session_token") == "true";
  return c;
}

std::vector<std::string> case_names() {
  // Runs during static initialization (and test discovery): a missing directory must not
  // throw; IsPresentAndComplete reports it instead.
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(vector_dir(), ec)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string last_line(const std::string& s) {
  return s.substr(s.rfind('\n') + 1);
}

std::map<std::string, std::string> decoded_query(std::string_view raw) {
  std::map<std::string, std::string> out;
  for (const auto& p : split_query(raw)) {
    out[*decode_query_component(p.raw_key)] = *decode_query_component(p.raw_value);
  }
  return out;
}

class SigV4VectorTest : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path dir() const { return vector_dir() / GetParam(); }
  // Why this case (or its presigned half) does not apply to S3; empty when it does.
  std::string skip_reason(bool presigned) const {
    if (auto it = skipped_cases().find(GetParam()); it != skipped_cases().end()) {
      return it->second;
    }
    if (!presigned) return {};
    auto it = skipped_query_cases().find(GetParam());
    return it == skipped_query_cases().end() ? std::string() : it->second;
  }
};

#define SKIP_UNLESS_S3(presigned)                                     \
  if (const std::string why = skip_reason(presigned); !why.empty()) { \
    GTEST_SKIP() << why;                                              \
  }

TEST(SigV4VectorSuite, IsPresentAndComplete) {
  const auto names = case_names();
  EXPECT_EQ(names.size(), 38u);
  EXPECT_TRUE(fs::exists(vector_dir().parent_path() / "LICENSE"));
  // Every skip names a case that exists, so a renamed case cannot hide behind a stale entry.
  for (const auto& [name, why] : skipped_cases()) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), name) != names.end()) << name;
  }
  for (const auto& [name, why] : skipped_query_cases()) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), name) != names.end()) << name;
  }
}

TEST_P(SigV4VectorTest, HeaderAuth) {
  SKIP_UNLESS_S3(false);
  const Context ctx = read_context(dir());
  const HttpText req = parse_http(read_file(dir() / "header-signed-request.txt"));
  const auto authorization = req.headers.first("Authorization");
  ASSERT_TRUE(authorization);
  auto auth = parse_authorization_v4(*authorization);
  ASSERT_TRUE(auth) << auth.error().message;
  EXPECT_EQ(auth->credential.access_key_id, ctx.access_key_id);

  // What the verifier does: x-amz-content-sha256 if sent, else the empty body's hash.
  const auto sha = req.headers.first("x-amz-content-sha256");
  const std::string payload_hash = sha ? std::string(*sha) : std::string(kEmptySha256);
  const std::string creq = build_canonical_request({
      .method = req.method,
      .raw_path = req.path,
      .raw_query = req.query,
      .headers = req.headers,
      .signed_headers = auth->signed_headers,
      .payload_hash = payload_hash,
      .presigned = false,
  });
  EXPECT_EQ(creq, read_file(dir() / "header-canonical-request.txt"));
  const std::string amz_date = format_amz_date(ctx.time);
  const std::string sts = string_to_sign(amz_date, auth->credential.scope.to_string(), creq);
  EXPECT_EQ(sts, read_file(dir() / "header-string-to-sign.txt"));
  const std::string sig =
      compute_signature(derive_signing_key(ctx.secret, auth->credential.scope), sts);
  EXPECT_EQ(sig, chomp(read_file(dir() / "header-signature.txt")));
  EXPECT_EQ(sig, auth->signature);

  // The whole verifier, at the vector's time.
  const VerifyOptions options{.service = ctx.service, .accepted_regions = {ctx.region}};
  const SecretLookup secrets = [&](std::string_view id) -> std::optional<std::string> {
    if (id == ctx.access_key_id) return ctx.secret;
    return std::nullopt;
  };
  const RequestView view{req.method, req.path, req.query, req.headers};
  auto id = verify_request(view, secrets, ctx.time, options);
  if (GetParam() == "post-sts-header-after") {
    // Signed correctly (checked above), but X-Amz-Security-Token is added after signing, and S3
    // refuses any x-amz-* field outside SignedHeaders.
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, AuthErrc::kAccessDenied);
    EXPECT_EQ(id.error().headers_not_signed, "x-amz-security-token");
    return;
  }
  ASSERT_TRUE(id) << auth_errc_name(id.error().code) << ": " << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV4Header);
  EXPECT_EQ(id->access_key_id, ctx.access_key_id);
  EXPECT_EQ(id->scope.region, ctx.region);
  EXPECT_EQ(id->streaming.seed_signature, sig);
  if (!ctx.token.empty() && !ctx.omit_session_token) {
    EXPECT_EQ(id->session_token, ctx.token);
  }

  // One flipped signature character: SignatureDoesNotMatch with the vector's string to sign.
  HttpText tampered = req;
  std::string bad(*authorization);
  bad.back() = bad.back() == '0' ? '1' : '0';
  tampered.headers.set("Authorization", bad);
  const RequestView tampered_view{req.method, req.path, req.query, tampered.headers};
  auto denied = verify_request(tampered_view, secrets, ctx.time, options);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, AuthErrc::kSignatureDoesNotMatch);
  EXPECT_EQ(denied.error().string_to_sign, sts);
}

TEST_P(SigV4VectorTest, HeaderSigner) {
  SKIP_UNLESS_S3(false);
  const Context ctx = read_context(dir());
  const HttpText in = parse_http(read_file(dir() / "request.txt"));
  const HttpText expected = parse_http(read_file(dir() / "header-signed-request.txt"));
  SignableRequest req{
      in.method, in.path, in.query, in.headers,
      ctx.sign_body ? util::hex_encode(util::sha256(in.body)) : std::string(kEmptySha256)};
  // omit_session_token: the suite adds the token after signing, i.e. it signs without one.
  const SigV4Signer signer(
      Credentials{ctx.access_key_id, ctx.secret, ctx.omit_session_token ? "" : ctx.token},
      SigV4SignerOptions{
          .region = ctx.region, .service = ctx.service, .content_sha256_header = ctx.sign_body});
  const SigningResult r = signer.sign(req, ctx.time);
  EXPECT_EQ(r.canonical_request, read_file(dir() / "header-canonical-request.txt"));
  EXPECT_EQ(req.headers.first("Authorization"), expected.headers.first("Authorization"));
}

TEST_P(SigV4VectorTest, PresignedAuth) {
  SKIP_UNLESS_S3(true);
  const Context ctx = read_context(dir());
  const HttpText req = parse_http(read_file(dir() / "query-signed-request.txt"));
  const std::string expected_creq = read_file(dir() / "query-canonical-request.txt");
  const VerifyOptions options{.service = ctx.service, .accepted_regions = {ctx.region}};
  const RequestView view{req.method, req.path, req.query, req.headers};

  auto method = detect_auth_method(view);
  ASSERT_TRUE(method);
  EXPECT_EQ(method.value(), AuthMethod::kSigV4Presigned);
  auto parsed = parse_sigv4_request(view, true, options);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->expires, ctx.expires);
  // S3 presigned requests sign UNSIGNED-PAYLOAD; this generic suite signs the body's hash.
  EXPECT_EQ(parsed->payload_hash, kUnsignedPayload);
  SigV4Request generic = parsed.value();
  generic.payload_hash = last_line(expected_creq);

  const std::string creq = build_canonical_request({
      .method = req.method,
      .raw_path = req.path,
      .raw_query = req.query,
      .headers = req.headers,
      .signed_headers = generic.signed_headers,
      .payload_hash = generic.payload_hash,
      .presigned = true,
  });
  EXPECT_EQ(creq, expected_creq);
  const std::string sts =
      string_to_sign(generic.amz_date, generic.credential.scope.to_string(), creq);
  EXPECT_EQ(sts, read_file(dir() / "query-string-to-sign.txt"));
  EXPECT_EQ(compute_signature(derive_signing_key(ctx.secret, generic.credential.scope), sts),
            chomp(read_file(dir() / "query-signature.txt")));

  auto id = verify_sigv4_signature(view, generic, ctx.secret, options);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id->method, AuthMethod::kSigV4Presigned);
  if (!ctx.token.empty()) {
    EXPECT_EQ(id->session_token, ctx.token);
  }

  EXPECT_FALSE(check_sigv4_time(generic, ctx.time, options));
  EXPECT_FALSE(check_sigv4_time(generic, ctx.time + ctx.expires, options));
  auto expired =
      check_sigv4_time(generic, ctx.time + ctx.expires + std::chrono::seconds(1), options);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->code, AuthErrc::kAccessDenied);
  EXPECT_EQ(expired->message, "Request has expired");
}

TEST_P(SigV4VectorTest, PresignedSigner) {
  SKIP_UNLESS_S3(true);
  const Context ctx = read_context(dir());
  const HttpText in = parse_http(read_file(dir() / "request.txt"));
  const HttpText expected = parse_http(read_file(dir() / "query-signed-request.txt"));
  const std::string expected_creq = read_file(dir() / "query-canonical-request.txt");
  SignableRequest req{in.method, in.path, in.query, in.headers, last_line(expected_creq)};
  const SigV4Signer signer(Credentials{ctx.access_key_id, ctx.secret, ctx.token},
                           SigV4SignerOptions{.region = ctx.region, .service = ctx.service});
  const SigningResult r = signer.presign(req, ctx.expires, ctx.time);
  EXPECT_EQ(r.canonical_request, expected_creq);
  EXPECT_EQ(r.signature, chomp(read_file(dir() / "query-signature.txt")));
  // Same parameters; the suite orders them differently from botocore, which we follow.
  EXPECT_EQ(decoded_query(req.query), decoded_query(expected.query));
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4VectorTest, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace s3gw::auth
