#include "auth/sigv4_signer.h"

#include <algorithm>
#include <array>
#include <vector>

#include "auth/amz_date.h"
#include "auth/canonical_request.h"
#include "auth/signing_key_cache.h"
#include "auth/sigv4.h"
#include "s3/uri_encode.h"

namespace s3gw::auth {
namespace {

// botocore's SIGNED_HEADERS_BLACKLIST: fields a proxy may change or drop on the way.
constexpr std::array<std::string_view, 11> kUnsignedHeaders = {
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
};

std::vector<std::string> headers_to_sign(const HeaderList& headers) {
  std::vector<std::string> names;
  for (const auto& [name, value] : headers.fields()) {
    std::string n = name;
    for (char& c : n) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), n) == kUnsignedHeaders.end()) {
      names.push_back(std::move(n));
    }
  }
  return normalize_signed_headers(names);
}

std::string join(const std::vector<std::string>& names, char sep) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) {
      out += sep;
    }
    out += n;
  }
  return out;
}

}  // namespace

SigV4Signer::SigV4Signer(Credentials credentials, SigV4SignerOptions options)
    : credentials_(std::move(credentials)), options_(std::move(options)) {}

std::string SigV4Signer::signing_key(const CredentialScope& scope) const {
  return options_.key_cache ? options_.key_cache->get(credentials_.secret_access_key, scope)
                            : derive_signing_key(credentials_.secret_access_key, scope);
}

SigningResult SigV4Signer::sign(SignableRequest& request, util::TimePoint now) const {
  const std::string amz_date = format_amz_date(now);
  const CredentialScope scope{amz_date.substr(0, 8), options_.region, options_.service};
  const std::string scope_text = scope.to_string();

  // A retry re-signs the same request: drop what an earlier attempt added.
  request.headers.remove("Authorization");
  request.headers.set("X-Amz-Date", amz_date);
  if (!credentials_.session_token.empty()) {
    request.headers.set("X-Amz-Security-Token", credentials_.session_token);
  }
  if (options_.content_sha256_header) {
    request.headers.set("X-Amz-Content-SHA256", request.payload_hash);
  }
  const std::vector<std::string> names = headers_to_sign(request.headers);

  SigningResult r = sign_prepared(request, names, false, amz_date, scope, scope_text);
  request.headers.set("Authorization", std::string(kSigV4Algorithm) +
                                           " Credential=" + credentials_.access_key_id + "/" +
                                           scope_text + ", SignedHeaders=" + join(names, ';') +
                                           ", Signature=" + r.signature);
  return r;
}

SigningResult SigV4Signer::presign(SignableRequest& request, std::chrono::seconds expires,
                                   util::TimePoint now) const {
  const std::string amz_date = format_amz_date(now);
  const CredentialScope scope{amz_date.substr(0, 8), options_.region, options_.service};
  const std::string scope_text = scope.to_string();
  const std::vector<std::string> names = headers_to_sign(request.headers);

  // botocore's order: operation parameters, then Algorithm, Credential, Date, Expires,
  // SignedHeaders, Security-Token, and the signature last.
  std::string& q = request.query;
  if (!q.empty()) {
    q += '&';
  }
  q += "X-Amz-Algorithm=";
  q += kSigV4Algorithm;
  q += "&X-Amz-Credential=";
  q += s3::uri_encode(credentials_.access_key_id + "/" + scope_text, true);
  q += "&X-Amz-Date=";
  q += amz_date;
  q += "&X-Amz-Expires=";
  q += std::to_string(expires.count());
  q += "&X-Amz-SignedHeaders=";
  q += s3::uri_encode(join(names, ';'), true);
  if (!credentials_.session_token.empty()) {
    q += "&X-Amz-Security-Token=";
    q += s3::uri_encode(credentials_.session_token, true);
  }

  SigningResult r = sign_prepared(request, names, true, amz_date, scope, scope_text);
  q += "&X-Amz-Signature=";
  q += r.signature;
  return r;
}

SigningResult SigV4Signer::sign_prepared(const SignableRequest& request,
                                         const std::vector<std::string>& signed_headers,
                                         bool presigned, const std::string& amz_date,
                                         const CredentialScope& scope,
                                         const std::string& scope_text) const {
  SigningResult r;
  r.canonical_request = build_canonical_request({
      .method = request.method,
      .raw_path = request.path,
      .raw_query = request.query,
      .headers = request.headers,
      .signed_headers = signed_headers,
      .payload_hash = request.payload_hash,
      .presigned = presigned,
  });
  r.string_to_sign = string_to_sign(amz_date, scope_text, r.canonical_request);
  std::string key = signing_key(scope);
  r.signature = compute_signature(key, r.string_to_sign);
  r.streaming = {std::move(key), amz_date, scope_text, r.signature};
  return r;
}

}  // namespace s3gw::auth
