#include "auth/sigv2.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <vector>

#include "auth/amz_date.h"
#include "auth/query_string.h"
#include "auth/sigv4_request.h"
#include "s3/uri_encode.h"
#include "util/crypto.h"
#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::auth {
namespace {

// The sub-resources a SigV2 signature covers: botocore's list (what clients sign) plus every
// other query parameter that selects an operation in ops/endpoint (retention, legal-hold, ...),
// so that no such parameter can be added to a signed request. A client that does not sign one
// of those gets SignatureDoesNotMatch, never another operation. `list-type` stays out: it picks
// between two listings of the same permission, and botocore does not sign it. Sorted, for
// binary search.
constexpr std::array<std::string_view, 48> kSubResources = {
    "abac",
    "accelerate",
    "acl",
    "analytics",
    "attributes",
    "cors",
    "defaultObjectAcl",
    "delete",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "inventoryConfiguration",
    "legal-hold",
    "lifecycle",
    "location",
    "logging",
    "metadataTable",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "partNumber",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "renameObject",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "retention",
    "select",
    "select-type",
    "session",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
};
static_assert(std::is_sorted(kSubResources.begin(), kSubResources.end()));

constexpr std::string_view kNoDate =
    "AWS authentication requires a valid Date or x-amz-date header";

// The first query parameter whose lower-cased decoded key is `lower_key`.
std::optional<std::string> query_value_ci(const std::vector<QueryParam>& params,
                                          std::string_view lower_key) {
  for (const auto& p : params) {
    auto k = decode_query_component(p.raw_key);
    if (!k || util::ascii_lower(*k) != lower_key) {
      continue;
    }
    auto v = decode_query_component(p.raw_value);
    return v ? std::move(*v) : std::string(p.raw_value);
  }
  return std::nullopt;
}

std::string standard_header(const RequestView& view, const std::vector<QueryParam>* query,
                            std::string_view name) {
  if (auto v = view.headers.first(name)) {
    return std::string(util::trim_ows(*v));
  }
  if (query) {
    if (auto q = query_value_ci(*query, name)) {
      return std::string(util::trim_ows(*q));
    }
  }
  return {};
}

std::string canonical_amz_headers(const RequestView& view, const std::vector<QueryParam>* query) {
  std::map<std::string, std::vector<std::string>> amz;  // sorted by name
  view.headers.for_each([&](std::string_view name, std::string_view value) {
    std::string n = util::ascii_lower(name);
    if (n.starts_with("x-amz-")) {
      amz[std::move(n)].emplace_back(util::trim_ows(value));
    }
  });
  if (query) {
    std::map<std::string, std::vector<std::string>> from_query;
    for (const auto& p : *query) {
      auto k = decode_query_component(p.raw_key);
      if (!k) {
        continue;
      }
      std::string n = util::ascii_lower(*k);
      if (!n.starts_with("x-amz-") || amz.contains(n)) {
        continue;
      }
      auto v = decode_query_component(p.raw_value);
      from_query[std::move(n)].emplace_back(util::trim_ows(v ? *v : std::string(p.raw_value)));
    }
    amz.merge(from_query);
  }
  std::string out;
  for (const auto& [name, values] : amz) {
    out += name;
    out += ':';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      out += values[i];
    }
    out += '\n';
  }
  return out;
}

// The Signature parameter is base64: a raw '+' in it is a '+', not a space.
std::optional<std::string> raw_signature_param(const std::vector<QueryParam>& params) {
  for (const auto& p : params) {
    if (p.raw_key != "Signature") {
      continue;
    }
    auto v = s3::uri_decode(p.raw_value, /*plus_as_space=*/false);
    return v ? std::move(*v) : std::string(p.raw_value);
  }
  return std::nullopt;
}

struct SigV2Claim {
  std::string access_key_id;
  std::string signature;
  std::string date_slot;  // what goes into the string to sign
  util::TimePoint request_time{};
  util::TimePoint expires{};  // query auth
  std::string session_token;
};

AuthResult<SigV2Claim> parse_header_auth(const RequestView& view, util::TimePoint now,
                                         const VerifyOptions& options) {
  const auto values = view.headers.all("authorization");
  if (values.size() != 1) {
    return AuthError(AuthErrc::kInvalidArgument, "Only one Authorization header is allowed");
  }
  const AuthError invalid(
      AuthErrc::kInvalidArgument,
      "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature");
  std::string_view v = util::trim_ows(values.front());
  if (!v.starts_with("AWS ")) {
    return invalid;
  }
  v.remove_prefix(4);
  while (!v.empty() && v.front() == ' ') {
    v.remove_prefix(1);
  }
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == v.size()) {
    return invalid;
  }
  SigV2Claim claim;
  claim.access_key_id = v.substr(0, colon);
  claim.signature = v.substr(colon + 1);
  if (claim.signature.find_first_of(" \t:") != std::string::npos ||
      claim.access_key_id.find_first_of(" \t") != std::string::npos) {
    return invalid;
  }

  // x-amz-date wins over Date, and then the Date slot of the string to sign stays empty.
  const auto amz = view.headers.all("x-amz-date");
  std::optional<util::TimePoint> t;
  if (!amz.empty()) {
    if (amz.size() == 1) {
      const std::string_view text = util::trim_ows(amz.front());
      t = parse_date_header(text);
    }
  } else {
    const auto date = view.headers.all("date");
    if (date.size() == 1) {
      claim.date_slot = util::trim_ows(date.front());
      t = parse_date_header(claim.date_slot);
    }
  }
  if (!t) {
    return AuthError(AuthErrc::kAccessDenied, std::string(kNoDate));
  }
  claim.request_time = *t;
  if (*t > now + options.max_skew || *t < now - options.max_skew) {
    return AuthError(AuthErrc::kRequestTimeTooSkewed,
                     "The difference between the request time and the current time is too large.");
  }
  if (auto token = view.headers.first("x-amz-security-token")) {
    claim.session_token = util::trim_ows(*token);
  }
  return claim;
}

AuthResult<SigV2Claim> parse_query_auth(const RequestView& view,
                                        const std::vector<QueryParam>& params, util::TimePoint now,
                                        const VerifyOptions& options) {
  const auto key = find_query_values(params, "AWSAccessKeyId");
  const auto expires = find_query_values(params, "Expires");
  const auto signature = raw_signature_param(params);
  if (key.size() != 1 || expires.size() != 1 || !signature || key.front().empty() ||
      signature->empty()) {
    return AuthError(AuthErrc::kAccessDenied,
                     "Query-string authentication requires the Signature, Expires and "
                     "AWSAccessKeyId parameters");
  }
  const std::string& e = expires.front();
  if (e.empty() || e.size() > 12 ||
      !std::all_of(e.begin(), e.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return AuthError(AuthErrc::kAccessDenied, "Invalid date (should be seconds since epoch): " + e);
  }
  SigV2Claim claim;
  claim.access_key_id = key.front();
  claim.signature = *signature;
  claim.date_slot = e;
  // Beyond what the clock type holds (year 2262 with nanoseconds) counts as "never".
  const long long seconds = std::stoll(e);
  claim.expires = seconds > 9'000'000'000LL ? util::TimePoint::max()
                                            : util::TimePoint(std::chrono::seconds(seconds));
  claim.request_time = now;
  if (now > claim.expires) {
    return AuthError(AuthErrc::kAccessDenied, "Request has expired");
  }
  // SigV2 signs an absolute expiry and no signing time, so "a week from when it was made"
  // cannot be checked; a week from now (plus the clock skew SigV4 tolerates) can. Without it a
  // URL for year 2100 would never expire.
  if (claim.expires > now + kMaxPresignedExpiry + options.max_skew) {
    return AuthError(AuthErrc::kAccessDenied,
                     "Expires must be at most 604800 seconds (7 days) from now: " + e);
  }
  if (auto token = view.headers.first("x-amz-security-token")) {
    claim.session_token = util::trim_ows(*token);
  } else if (auto q = query_value_ci(params, "x-amz-security-token")) {
    claim.session_token = *q;
  }
  return claim;
}

}  // namespace

bool is_sigv2_subresource(std::string_view key) {
  return std::binary_search(kSubResources.begin(), kSubResources.end(), key);
}

std::string sigv2_canonical_resource(const RequestView& view) {
  std::string out;
  if (!view.virtual_host_bucket.empty()) {
    out += '/';
    out += view.virtual_host_bucket;
  }
  out += view.raw_path.empty() ? std::string_view("/") : view.raw_path;
  std::vector<std::pair<std::string, std::string>> subs;
  for (const auto& p : split_query(view.raw_query)) {
    // Matched decoded, as the operation is chosen: "%72etention" is "retention" there, so it
    // must be signed as such here (clients never encode these names, so they sign the same).
    auto key = s3::uri_decode(p.raw_key, /*plus_as_space=*/false);
    if (!key || !is_sigv2_subresource(*key)) {
      continue;
    }
    std::string entry(*key);
    if (p.has_equals) {
      entry += '=';
      auto v = s3::uri_decode(p.raw_value, /*plus_as_space=*/false);
      entry += v ? *v : std::string(p.raw_value);
    }
    subs.emplace_back(std::move(*key), std::move(entry));
  }
  // By key only, stable: botocore sorts with key=itemgetter(0).
  std::stable_sort(subs.begin(), subs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < subs.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += subs[i].second;
  }
  return out;
}

std::string sigv2_string_to_sign(const RequestView& view, bool presigned,
                                 std::string_view date_or_expires) {
  std::vector<QueryParam> params;
  if (presigned) {
    params = split_query(view.raw_query);
  }
  const std::vector<QueryParam>* query = presigned ? &params : nullptr;
  std::string out;
  out += view.method;
  out += '\n';
  out += standard_header(view, query, "content-md5");
  out += '\n';
  out += standard_header(view, query, "content-type");
  out += '\n';
  out += date_or_expires;
  out += '\n';
  out += canonical_amz_headers(view, query);
  out += sigv2_canonical_resource(view);
  return out;
}

std::string sigv2_signature(std::string_view secret, std::string_view string_to_sign) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), digest,
       &len);
  return util::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

AuthResult<Identity> verify_sigv2(const RequestView& view, bool presigned,
                                  const SecretLookup& secrets, util::TimePoint now,
                                  const VerifyOptions& options) {
  std::vector<QueryParam> params;
  if (presigned) {
    params = split_query(view.raw_query);
  }
  auto claim = presigned ? parse_query_auth(view, params, now, options)
                         : parse_header_auth(view, now, options);
  if (!claim) {
    return claim.error();
  }
  const auto secret = secrets(claim->access_key_id);
  if (!secret) {
    AuthError err(AuthErrc::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
    err.access_key_id = claim->access_key_id;
    return err;
  }
  std::string sts = sigv2_string_to_sign(view, presigned, claim->date_slot);
  if (!util::constant_time_equal(sigv2_signature(*secret, sts), claim->signature)) {
    AuthError err(AuthErrc::kSignatureDoesNotMatch,
                  "The request signature we calculated does not match the signature you "
                  "provided. Check your key and signing method.");
    err.access_key_id = claim->access_key_id;
    err.string_to_sign = std::move(sts);
    return err;
  }
  Identity id;
  id.method = presigned ? AuthMethod::kSigV2Presigned : AuthMethod::kSigV2Header;
  id.access_key_id = std::move(claim->access_key_id);
  id.session_token = std::move(claim->session_token);
  id.request_time = claim->request_time;
  id.payload_mode = PayloadMode::kUnsigned;
  return id;
}

}  // namespace s3gw::auth
