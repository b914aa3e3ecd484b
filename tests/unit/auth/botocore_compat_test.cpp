// Cross-checks against botocore, the signer most S3 clients here use (boto3, the aws CLI):
// random requests signed by botocore (S3SigV4Auth, S3SigV4QueryAuth, HmacV1Auth,
// HmacV1QueryAuth) must verify, our signer must produce botocore's Authorization header and
// presigned signature byte for byte, and boto3's generate_presigned_url (SigV2 and SigV4) URLs
// must verify. Skipped when python3 with botocore/boto3 is not installed (failed then with CI
// set).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../require_tool.h"
#include "auth/amz_date.h"
#include "auth/header_list.h"
#include "auth/payload_mode.h"
#include "auth/query_string.h"
#include "auth/request_verifier.h"
#include "auth/sigv4_signer.h"
#include "s3/uri_encode.h"
#include "util/crypto.h"
#include "util/encoding.h"

namespace s3gw::auth {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// 2024-03-01T12:00:00Z: every signature below is made "now".
constexpr long long kNow = 1709294400;
constexpr std::string_view kHost = "localhost:8001";
constexpr int kExpires = 900;

const char* const kSignScript = R"py(
import sys, datetime, email.utils, binascii
import botocore.auth as A, botocore.awsrequest as R, botocore.credentials as C

now = int(sys.argv[2])
A.get_current_datetime = lambda: datetime.datetime.fromtimestamp(
    now, datetime.timezone.utc).replace(tzinfo=None)
A.time.time = lambda: float(now)   # HmacV1QueryAuth: Expires = time.time() + expires
httpdate = email.utils.formatdate(now, usegmt=True)

class V1(A.HmacV1Auth):
    def _get_date(self):
        return httpdate

def out(*fields):
    print('\t'.join(fields))

block = None
for line in open(sys.argv[1], encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'begin':
        block = {'headers': [], 'body': b'', 'token': None}
    elif f[0] in ('method', 'path', 'query', 'akid', 'secret', 'region', 'expires'):
        block[f[0]] = f[1] if len(f) > 1 else ''
    elif f[0] == 'token':
        block['token'] = f[1]
    elif f[0] == 'header':
        block['headers'].append((f[1], f[2]))
    elif f[0] == 'body':
        block['body'] = binascii.unhexlify(f[1])
    elif f[0] == 'end':
        b = block
        creds = C.Credentials(b['akid'], b['secret'], b['token'])
        url = 'http://localhost:8001' + b['path'] + ('?' + b['query'] if b['query'] else '')
        exp = int(b['expires'])
        r = R.AWSRequest(method=b['method'], url=url, headers=dict(b['headers']), data=b['body'])
        A.S3SigV4Auth(creds, 's3', b['region']).add_auth(r)
        for k, v in r.headers.items():
            out('v4h', k, v)
        r = R.AWSRequest(method=b['method'], url=url, headers=dict(b['headers']))
        A.S3SigV4QueryAuth(creds, 's3', b['region'], expires=exp).add_auth(r)
        out('v4url', r.url)
        r = R.AWSRequest(method=b['method'], url=url, headers=dict(b['headers']), data=b['body'])
        V1(creds).add_auth(r)
        for k, v in r.headers.items():
            out('v2h', k, v)
        r = R.AWSRequest(method=b['method'], url=url, headers=dict(b['headers']))
        A.HmacV1QueryAuth(creds, expires=exp).add_auth(r)
        out('v2url', r.url)
        out('end')
)py";

const char* const kBoto3Script = R"py(
import sys, datetime
import boto3, botocore.auth as A
from botocore.config import Config

now = int(sys.argv[1])
A.get_current_datetime = lambda: datetime.datetime.fromtimestamp(
    now, datetime.timezone.utc).replace(tzinfo=None)
A.time.time = lambda: float(now)

for sv in ('s3', 's3v4', None):
    for token in (None, 'FwoGZXIvYXdzE+/token=='):
        cfg = Config(s3={'addressing_style': 'path'}) if sv is None else Config(
            signature_version=sv, s3={'addressing_style': 'path'})
        c = boto3.client('s3', endpoint_url='http://localhost:8001', region_name='us-east-1',
                         aws_access_key_id='AKIAIOSFODNN7EXAMPLE',
                         aws_secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
                         aws_session_token=token, config=cfg)
        print('GET', c.generate_presigned_url(
            'get_object', Params={'Bucket': 'my-bucket', 'Key': 'dir/a key+\u00e9 (1).txt'},
            ExpiresIn=3600), sep='\t')
        print('GET', c.generate_presigned_url(
            'get_object', Params={'Bucket': 'my-bucket', 'Key': 'k',
                                  'ResponseContentDisposition': 'attachment; filename="x y"',
                                  'VersionId': 'v1'}, ExpiresIn=60), sep='\t')
        print('PUT', c.generate_presigned_url(
            'put_object', Params={'Bucket': 'my-bucket', 'Key': 'up/load.bin',
                                  'ContentType': 'text/plain'}, ExpiresIn=600), sep='\t')
)py";

constexpr const char* kNoBotocore =
    "the python3 on PATH cannot import botocore and boto3: install Debian's python3-boto3, or "
    "put a python3 that has them first on PATH";

bool have_botocore() {
  static const bool ok = std::system("python3 -c 'import botocore, boto3' > /dev/null 2>&1") == 0;
  return ok;
}

fs::path temp_file(const std::string& name, const std::string& content) {
  const fs::path p = fs::path(::testing::TempDir()) / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::vector<std::vector<std::string>> split_lines(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

struct Url {
  std::string path;
  std::string query;
};

Url split_url(const std::string& url) {
  const std::size_t path_start = url.find('/', url.find("://") + 3);
  const std::size_t q = url.find('?', path_start);
  if (q == std::string::npos) return {url.substr(path_start), ""};
  return {url.substr(path_start, q - path_start), url.substr(q + 1)};
}

struct RandomRequest {
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string akid;
  std::string secret;
  std::string token;
  std::string region;
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  RandomRequest next() {
    RandomRequest r;
    static const char* kMethods[] = {"GET", "PUT", "HEAD", "DELETE", "POST"};
    r.method = kMethods[pick(5)];
    r.akid = "AKID" + text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16);
    r.secret = text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+", 40);
    if (pick(3) == 0) r.token = text("abcdefghijklmnopqrstuvwxyz0123456789/+=", 60);
    static const char* kRegions[] = {"us-east-1", "eu-west-1", "fi-hel", "de-fra"};
    r.region = kRegions[pick(4)];

    // A key with everything botocore's quote(safe='/~') encodes.
    static const std::vector<std::string> kKeyParts = {"a",
                                                       "Z",
                                                       "0",
                                                       "-",
                                                       "_",
                                                       ".",
                                                       "~",
                                                       "/",
                                                       " ",
                                                       "+",
                                                       "!",
                                                       "$",
                                                       "&",
                                                       "'",
                                                       "(",
                                                       ")",
                                                       "*",
                                                       ",",
                                                       ";",
                                                       "=",
                                                       ":",
                                                       "@",
                                                       "%",
                                                       "#",
                                                       "?",
                                                       "[",
                                                       "]",
                                                       "\xc3\xa9",
                                                       "\xe6\x97\xa5",
                                                       "\xf0\x9f\x98\x80"};
    std::string key;
    const int len = 1 + pick(24);
    for (int i = 0; i < len; ++i) key += kKeyParts[pick(kKeyParts.size())];
    r.path = "/bucket-" + std::to_string(pick(100)) + "/" + s3::uri_encode(key, false);

    static const std::vector<std::string> kParams = {"acl",
                                                     "uploads",
                                                     "tagging",
                                                     "versionId",
                                                     "partNumber",
                                                     "uploadId",
                                                     "prefix",
                                                     "max-keys",
                                                     "list-type",
                                                     "delimiter",
                                                     "response-content-type",
                                                     "x-id",
                                                     "continuation-token"};
    std::vector<std::string> used;
    const int nparams = pick(4);
    for (int i = 0; i < nparams; ++i) {
      const std::string& k = kParams[pick(kParams.size())];
      if (std::find(used.begin(), used.end(), k) != used.end()) continue;  // botocore: no repeats
      used.push_back(k);
      if (!r.query.empty()) r.query += '&';
      r.query += k;
      if (k == "acl" || k == "uploads" || k == "tagging") {
        if (pick(2) == 0) r.query += '=';  // "?uploads" and "?uploads=" both occur
      } else {
        r.query += '=';
        r.query += s3::uri_encode(text("ab c/+=&%~\xc3\xa9", 1 + pick(10)), true);
      }
    }

    static const std::vector<std::pair<std::string, std::string>> kHeaders = {
        {"Content-Type", "text/plain;  charset=utf-8"},
        {"x-amz-meta-note", "  several   inner   spaces  "},
        {"X-Amz-Meta-Upper", "Mixed Case Value"},
        {"x-amz-acl", "private"},
        {"Range", "bytes=0-99"},
        {"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="},
        {"User-Agent", "unit-test/1.0 (not signed by botocore)"},
        {"Cache-Control", "no-cache"},
        {"x-amz-storage-class", "STANDARD"},
    };
    for (const auto& h : kHeaders) {
      if (pick(3) == 0) r.headers.push_back(h);
    }
    if (r.method == "PUT" || r.method == "POST") {
      const int n = pick(200);
      for (int i = 0; i < n; ++i) r.body += static_cast<char>(pick(256));
    }
    return r;
  }

 private:
  int pick(std::size_t n) { return static_cast<int>(rng_() % n); }
  std::string text(std::string_view alphabet, int n) {
    std::string s;
    // Multi-byte characters are kept whole by picking their lead byte position only.
    for (int i = 0; i < n; ++i) {
      std::size_t at = static_cast<std::size_t>(pick(alphabet.size()));
      while (at > 0 && (static_cast<unsigned char>(alphabet[at]) & 0xC0) == 0x80) --at;
      std::size_t len = 1;
      while (at + len < alphabet.size() &&
             (static_cast<unsigned char>(alphabet[at + len]) & 0xC0) == 0x80) {
        ++len;
      }
      s += alphabet.substr(at, len);
    }
    return s;
  }
  std::mt19937 rng_;
};

SecretLookup one_secret(const std::string& akid, const std::string& secret) {
  return [akid, secret](std::string_view id) -> std::optional<std::string> {
    if (id == akid) return secret;
    return std::nullopt;
  };
}

util::TimePoint now() {
  return util::TimePoint(seconds(kNow));
}

TEST(BotocoreCompat, RandomRequestsVerifyAndSignIdentically) {
  S3GW_REQUIRE_TOOL(have_botocore(), kNoBotocore);
  Generator gen(20240301);
  std::vector<RandomRequest> requests;
  std::string input;
  for (int i = 0; i < 60; ++i) {
    RandomRequest r = gen.next();
    input += "begin\n";
    input += "method\t" + r.method + "\npath\t" + r.path + "\nquery\t" + r.query + "\n";
    input += "akid\t" + r.akid + "\nsecret\t" + r.secret + "\nregion\t" + r.region + "\n";
    input += "expires\t" + std::to_string(kExpires) + "\n";
    if (!r.token.empty()) input += "token\t" + r.token + "\n";
    for (const auto& [n, v] : r.headers) input += "header\t" + n + "\t" + v + "\n";
    input += "body\t" + util::hex_encode(r.body) + "\nend\n";
    requests.push_back(std::move(r));
  }
  const fs::path script = temp_file("s3gw_botocore_sign.py", kSignScript);
  const fs::path data = temp_file("s3gw_botocore_sign.txt", input);
  const auto rows = split_lines(run("python3 " + script.string() + " " + data.string() + " " +
                                    std::to_string(kNow) + " 2>&1"));

  std::size_t index = 0;
  HeaderList v4_headers;
  HeaderList v2_headers;
  std::string v4_url;
  std::string v2_url;
  for (const auto& row : rows) {
    ASSERT_FALSE(row.empty());
    if (row[0] == "v4h" && row.size() == 3) {
      v4_headers.add(row[1], row[2]);
    } else if (row[0] == "v2h" && row.size() == 3) {
      v2_headers.add(row[1], row[2]);
    } else if (row[0] == "v4url" && row.size() == 2) {
      v4_url = row[1];
    } else if (row[0] == "v2url" && row.size() == 2) {
      v2_url = row[1];
    } else if (row[0] == "end") {
      ASSERT_LT(index, requests.size());
      const RandomRequest& r = requests[index++];
      SCOPED_TRACE("request " + std::to_string(index) + ": " + r.method + " " + r.path + "?" +
                   r.query);
      const SecretLookup secrets = one_secret(r.akid, r.secret);
      const VerifyOptions options{.accepted_regions = {r.region}};

      // 1. botocore's header signature verifies (the client adds Host).
      v4_headers.add("Host", std::string(kHost));
      auto id = verify_request({r.method, r.path, r.query, v4_headers}, secrets, now(), options);
      EXPECT_TRUE(id) << auth_errc_name(id.error().code) << ": " << id.error().message << "\n"
                      << id.error().canonical_request;
      if (id) {
        EXPECT_EQ(id->payload_mode, PayloadMode::kSha256);
        EXPECT_EQ(id->payload_hash, util::hex_encode(util::sha256(r.body)));
        EXPECT_EQ(id->session_token, r.token);
      }

      // 2. Our signer writes botocore's Authorization header.
      SignableRequest mine{r.method, r.path, r.query, {}, util::hex_encode(util::sha256(r.body))};
      for (const auto& [n, v] : r.headers) mine.headers.add(n, v);
      mine.headers.add("Host", std::string(kHost));
      const SigV4Signer signer(Credentials{r.akid, r.secret, r.token},
                               SigV4SignerOptions{.region = r.region});
      signer.sign(mine, now());
      EXPECT_EQ(mine.headers.first("Authorization"), v4_headers.first("Authorization"));

      // 3. botocore's presigned URL verifies, with the headers it signed sent along.
      const Url u4 = split_url(v4_url);
      EXPECT_EQ(u4.path, r.path);
      HeaderList sent;
      for (const auto& [n, v] : r.headers) sent.add(n, v);
      sent.add("Host", std::string(kHost));
      auto pid = verify_request({r.method, u4.path, u4.query, sent}, secrets, now(), options);
      EXPECT_TRUE(pid) << auth_errc_name(pid.error().code) << ": " << pid.error().message << "\n"
                       << pid.error().canonical_request;
      auto late = verify_request({r.method, u4.path, u4.query, sent}, secrets,
                                 now() + seconds(kExpires + 1), options);
      ASSERT_FALSE(late);
      EXPECT_EQ(late.error().message, "Request has expired");

      // 4. Our presigned URL carries botocore's signature.
      SignableRequest pre{r.method, r.path, r.query, {}, std::string(kUnsignedPayload)};
      for (const auto& [n, v] : r.headers) pre.headers.add(n, v);
      pre.headers.add("Host", std::string(kHost));
      const SigningResult pr = signer.presign(pre, seconds(kExpires), now());
      const auto theirs = find_query_values(split_query(u4.query), "X-Amz-Signature");
      ASSERT_EQ(theirs.size(), 1u);
      EXPECT_EQ(pr.signature, theirs.front());

      // 5. SigV2 header auth (HmacV1Auth).
      v2_headers.add("Host", std::string(kHost));
      auto v2 = verify_request({r.method, r.path, r.query, v2_headers}, secrets, now(), options);
      EXPECT_TRUE(v2) << auth_errc_name(v2.error().code) << ": " << v2.error().message << "\n"
                      << v2.error().string_to_sign;

      // 6. SigV2 presigned (HmacV1QueryAuth): used later with no headers but Host.
      const Url u2 = split_url(v2_url);
      HeaderList bare{{"Host", std::string(kHost)}};
      auto q2 = verify_request({r.method, u2.path, u2.query, bare}, secrets, now(), options);
      EXPECT_TRUE(q2) << auth_errc_name(q2.error().code) << ": " << q2.error().message << "\n"
                      << q2.error().string_to_sign;

      v4_headers = {};
      v2_headers = {};
    } else {
      FAIL() << "unexpected output from python: " << row[0];
    }
  }
  EXPECT_EQ(index, requests.size());
}

TEST(BotocoreCompat, Boto3PresignedUrlsVerify) {
  S3GW_REQUIRE_TOOL(have_botocore(), kNoBotocore);
  const fs::path script = temp_file("s3gw_boto3_presign.py", kBoto3Script);
  const auto rows =
      split_lines(run("python3 " + script.string() + " " + std::to_string(kNow) + " 2>/dev/null"));
  ASSERT_EQ(rows.size(), 18u);
  const SecretLookup secrets =
      one_secret("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  int v2 = 0;
  int v4 = 0;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 2u);
    SCOPED_TRACE(row[1]);
    const Url u = split_url(row[1]);
    HeaderList headers{{"Host", std::string(kHost)}};
    const RequestView view{row[0], u.path, u.query, headers};
    auto method = detect_auth_method(view);
    ASSERT_TRUE(method);
    if (method.value() == AuthMethod::kSigV2Presigned) ++v2;
    if (method.value() == AuthMethod::kSigV4Presigned) ++v4;
    // A SigV4 PUT signed its Content-Type: the uploader must send it.
    if (method.value() == AuthMethod::kSigV4Presigned && row[0] == "PUT") {
      headers.add("Content-Type", "text/plain");
    }
    auto id = verify_request(view, secrets, now(), {});
    EXPECT_TRUE(id) << auth_errc_name(id.error().code) << ": " << id.error().message << "\n"
                    << id.error().string_to_sign << "\n"
                    << id.error().canonical_request;
    if (id && row[1].find("token") != std::string::npos) {
      EXPECT_EQ(id->session_token, "FwoGZXIvYXdzE+/token==");
    }
    auto late = verify_request(view, secrets, now() + std::chrono::hours(2), {});
    EXPECT_FALSE(late);
  }
  EXPECT_GE(v2, 6);  // signature_version='s3'
  EXPECT_GE(v4, 6);  // signature_version='s3v4'
}

}  // namespace
}  // namespace s3gw::auth
