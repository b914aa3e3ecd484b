#include "auth/sigv4_request.h"

#include <algorithm>
#include <optional>

#include "auth/amz_date.h"
#include "auth/query_string.h"
#include "util/strings.h"

namespace s3gw::auth {
namespace {

constexpr std::string_view kHeaderMalformed = "The authorization header is malformed; ";
constexpr std::string_view kCredentialParam = "Error parsing the X-Amz-Credential parameter; ";
constexpr std::string_view kCredentialShape =
    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
constexpr std::string_view kNoDate =
    "AWS authentication requires a valid Date or x-amz-date header";
constexpr std::string_view kQueryParamsRequired =
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

std::string cat(std::string_view a, std::string_view b) {
  std::string out(a);
  out += b;
  return out;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Fills `why` (without the context prefix) on failure.
std::optional<Credential> parse_credential_detail(std::string_view text, std::string& why) {
  // The scope is the last four '/'-separated fields; the key id is whatever precedes them.
  std::string_view fields[4];
  std::string_view rest = text;
  for (int i = 3; i >= 0; --i) {
    const std::size_t slash = rest.rfind('/');
    if (slash == std::string_view::npos) {
      why = kCredentialShape;
      return std::nullopt;
    }
    fields[i] = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (rest.empty() || fields[1].empty() || fields[2].empty()) {
    why = kCredentialShape;
    return std::nullopt;
  }
  if (fields[0].size() != 8 || !parse_amz_date(cat(fields[0], "T000000Z"))) {
    why = "Invalid credential date \"" + std::string(fields[0]) + "\".";
    return std::nullopt;
  }
  if (fields[3] != kScopeTerminator) {
    why = "incorrect terminal \"" + std::string(fields[3]) + "\". This endpoint uses \"" +
          std::string(kScopeTerminator) + "\".";
    return std::nullopt;
  }
  Credential c;
  c.access_key_id = rest;
  c.scope.date = fields[0];
  c.scope.region = fields[1];
  c.scope.service = fields[2];
  return c;
}

std::optional<std::vector<std::string>> parse_signed_headers(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t semi = text.find(';', start);
    if (semi == std::string_view::npos) {
      semi = text.size();
    }
    const std::string_view name = text.substr(start, semi - start);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) {
      return std::nullopt;
    }
    std::string lowered(name);
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    out.push_back(std::move(lowered));
    start = semi + 1;
  }
  return out;
}

struct Context {
  bool presigned;
  AuthErrc code() const {
    return presigned ? AuthErrc::kAuthorizationQueryParametersError
                     : AuthErrc::kAuthorizationHeaderMalformed;
  }
  AuthError error(std::string_view detail) const {
    return AuthError(code(), cat(presigned ? kCredentialParam : kHeaderMalformed, detail));
  }
};

// The request time of header auth: X-Amz-Date, else Date (RFC 9110 forms).
std::optional<AuthError> read_header_date(const RequestView& view, SigV4Request& req) {
  const auto amz = view.headers.all("x-amz-date");
  if (amz.size() > 1) {
    return AuthError(AuthErrc::kAccessDenied, std::string(kNoDate));
  }
  if (amz.size() == 1) {
    const std::string_view value = util::trim_ows(amz.front());
    const auto t = parse_amz_date(value);
    if (!t) {
      return AuthError(AuthErrc::kAccessDenied, std::string(kNoDate));
    }
    req.amz_date = value;
    req.request_time = *t;
    return std::nullopt;
  }
  const auto date = view.headers.all("date");
  if (date.size() != 1) {
    return AuthError(AuthErrc::kAccessDenied, std::string(kNoDate));
  }
  const auto t = parse_date_header(util::trim_ows(date.front()));
  if (!t) {
    return AuthError(AuthErrc::kAccessDenied, std::string(kNoDate));
  }
  req.request_time = util::floor_seconds(*t);
  req.amz_date = format_amz_date(req.request_time);
  return std::nullopt;
}

std::optional<AuthError> parse_header(const RequestView& view, SigV4Request& req) {
  const auto values = view.headers.all("authorization");
  if (values.size() != 1) {
    return AuthError(AuthErrc::kInvalidArgument, "Only one Authorization header is allowed");
  }
  auto auth = parse_authorization_v4(values.front());
  if (!auth) {
    return auth.error();
  }
  req.credential = std::move(auth->credential);
  req.signed_headers = std::move(auth->signed_headers);
  req.signature = std::move(auth->signature);
  if (auto err = read_header_date(view, req)) {
    return err;
  }
  if (auto token = view.headers.first("x-amz-security-token")) {
    req.session_token = util::trim_ows(*token);
  }
  const auto sha = view.headers.first("x-amz-content-sha256");
  req.payload_hash = sha ? std::string(util::trim_ows(*sha)) : std::string(kEmptySha256);
  return std::nullopt;
}

std::optional<AuthError> parse_query(const RequestView& view, SigV4Request& req) {
  const auto params = split_query(view.raw_query);
  std::optional<AuthError> dup;
  const auto one = [&](std::string_view name) -> std::optional<std::string> {
    auto values = find_query_values(params, name);
    if (values.empty()) {
      return std::nullopt;
    }
    if (values.size() > 1 && !dup) {
      dup = AuthError(AuthErrc::kAuthorizationQueryParametersError,
                      std::string(name) + " must appear only once");
    }
    return std::move(values.front());
  };
  const auto algorithm = one("X-Amz-Algorithm");
  const auto credential = one("X-Amz-Credential");
  const auto date = one("X-Amz-Date");
  const auto expires = one("X-Amz-Expires");
  const auto signed_headers = one("X-Amz-SignedHeaders");
  const auto signature = one("X-Amz-Signature");
  const auto token = one("X-Amz-Security-Token");
  const auto content_sha = one("X-Amz-Content-Sha256");
  if (dup) {
    return dup;
  }
  const auto query_error = [](std::string msg) {
    return AuthError(AuthErrc::kAuthorizationQueryParametersError, std::move(msg));
  };
  if (algorithm && *algorithm == kSigV4EcdsaAlgorithm) {
    return AuthError(AuthErrc::kNotImplemented, "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported");
  }
  if (!algorithm || !credential || !date || !expires || !signed_headers || !signature) {
    return query_error(std::string(kQueryParamsRequired));
  }
  if (*algorithm != kSigV4Algorithm) {
    return query_error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  std::string why;
  auto cred = parse_credential_detail(*credential, why);
  if (!cred) {
    return query_error(cat(kCredentialParam, why));
  }
  req.credential = std::move(*cred);

  const auto t = parse_amz_date(*date);
  if (!t) {
    return query_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  req.amz_date = *date;
  req.request_time = *t;

  const std::string_view e = *expires;
  if (e.size() > 1 && e.front() == '-' &&
      std::all_of(e.begin() + 1, e.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return query_error("X-Amz-Expires must be non-negative");
  }
  if (e.empty() || !std::all_of(e.begin(), e.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return query_error("X-Amz-Expires should be a number");
  }
  long long seconds = 0;
  for (char c : e) {
    seconds = seconds * 10 + (c - '0');
    if (seconds > kMaxPresignedExpiry.count()) {
      return query_error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
  }
  if (seconds < 1) {
    return query_error("X-Amz-Expires must be at least 1 second");
  }
  req.expires = std::chrono::seconds(seconds);

  auto names = parse_signed_headers(*signed_headers);
  if (!names) {
    return query_error("X-Amz-SignedHeaders is malformed");
  }
  req.signed_headers = std::move(*names);
  req.signature = *signature;
  if (token) {
    req.session_token = *token;
  }
  // As MinIO does: the parameter, else the header, else the presigned default.
  if (content_sha) {
    req.payload_hash = *content_sha;
  } else if (auto header = view.headers.first("x-amz-content-sha256")) {
    req.payload_hash = util::trim_ows(*header);
  } else {
    req.payload_hash = kUnsignedPayload;
  }
  return std::nullopt;
}

constexpr std::string_view kHeadersNotSigned =
    "There were headers present in the request which were not signed";

// AWS refuses x-amz-* fields the signature does not cover: they select or change what a request
// does (x-amz-copy-source, x-amz-object-lock-*, x-amz-tagging, x-amz-bypass-governance-...),
// so honouring an unsigned one would let whoever holds a presigned URL or replays a request
// widen it. x-amz-content-sha256 is exempt, as at AWS: its value is the canonical request's
// last line, so the signature binds it anyway. So is x-amz-cf-id, which CloudFront adds to
// every request it forwards to an origin and which nothing here reads.
std::optional<AuthError> check_amz_headers_signed(const RequestView& view,
                                                  const std::vector<std::string>& signed_headers) {
  std::vector<std::string> missing;
  view.headers.for_each([&](std::string_view name, std::string_view) {
    std::string n = util::ascii_lower(name);
    if (!n.starts_with("x-amz-") || n == "x-amz-content-sha256" || n == "x-amz-cf-id") {
      return;
    }
    if (std::find(signed_headers.begin(), signed_headers.end(), n) != signed_headers.end() ||
        std::find(missing.begin(), missing.end(), n) != missing.end()) {
      return;
    }
    missing.push_back(std::move(n));
  });
  if (missing.empty()) {
    return std::nullopt;
  }
  std::sort(missing.begin(), missing.end());
  AuthError err(AuthErrc::kAccessDenied, std::string(kHeadersNotSigned));
  for (const auto& n : missing) {
    if (!err.headers_not_signed.empty()) {
      err.headers_not_signed += ", ";
    }
    err.headers_not_signed += n;
  }
  return err;
}

// The body's framing follows the x-amz-content-sha256 header, the signature the payload hash
// (X-Amz-Content-Sha256 first): the two must agree, or a URL signed for an aws-chunked body
// (whose chunks carry signatures) would take a plain body nobody checks.
std::optional<AuthError> check_presigned_payload(const RequestView& view, const SigV4Request& req) {
  const auto header = view.headers.first("x-amz-content-sha256");
  if (header && util::trim_ows(*header) != req.payload_hash) {
    return AuthError(AuthErrc::kAuthorizationQueryParametersError,
                     "The x-amz-content-sha256 header does not match the X-Amz-Content-Sha256 "
                     "the request was signed with");
  }
  const bool streaming =
      req.payload_mode != PayloadMode::kSha256 && req.payload_mode != PayloadMode::kUnsigned;
  if (streaming && !header) {
    return AuthError(AuthErrc::kAuthorizationQueryParametersError,
                     "X-Amz-Content-Sha256 " + req.payload_hash +
                         " needs an aws-chunked body with the same x-amz-content-sha256 header");
  }
  return std::nullopt;
}

}  // namespace

AuthResult<Credential> parse_credential(std::string_view text) {
  std::string why;
  auto c = parse_credential_detail(text, why);
  if (!c) {
    return AuthError(AuthErrc::kAuthorizationHeaderMalformed, cat(kHeaderMalformed, why));
  }
  return std::move(*c);
}

AuthResult<AuthorizationV4> parse_authorization_v4(std::string_view header_value) {
  const auto malformed = [](std::string_view detail) {
    return AuthError(AuthErrc::kAuthorizationHeaderMalformed, cat(kHeaderMalformed, detail));
  };
  constexpr std::string_view kThree =
      "the authorization header requires three components: Credential, SignedHeaders, and "
      "Signature.";
  std::string_view rest = header_value;
  // Optional whitespace around a field value is not part of it (RFC 9110 §5.5).
  rest = util::trim_ows(rest);
  if (!rest.starts_with(kSigV4Algorithm)) {
    return malformed("the algorithm must be AWS4-HMAC-SHA256.");
  }
  rest.remove_prefix(kSigV4Algorithm.size());
  if (rest.empty() || rest.front() != ' ') {
    return malformed(kThree);
  }
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }

  std::optional<std::string_view> credential;
  std::optional<std::string_view> signed_headers;
  std::optional<std::string_view> signature;
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t comma = rest.find(',', start);
    if (comma == std::string_view::npos) {
      comma = rest.size();
    }
    std::string_view part = rest.substr(start, comma - start);
    start = comma + 1;
    while (!part.empty() && part.front() == ' ') {
      part.remove_prefix(1);  // ", " and ","
    }
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return malformed(kThree);
    }
    const std::string_view name = part.substr(0, eq);
    const std::string_view value = part.substr(eq + 1);
    if (value.empty() || value.find_first_of(" \t") != std::string_view::npos) {
      return malformed("the " + std::string(name) + " component is malformed.");
    }
    std::optional<std::string_view>* slot = nullptr;
    if (name == "Credential") {
      slot = &credential;
    } else if (name == "SignedHeaders") {
      slot = &signed_headers;
    } else if (name == "Signature") {
      slot = &signature;
    } else {
      return malformed(kThree);
    }
    if (slot->has_value()) {
      return malformed(kThree);
    }
    *slot = value;
  }
  if (!credential || !signed_headers || !signature) {
    return malformed(kThree);
  }

  std::string why;
  auto cred = parse_credential_detail(*credential, why);
  if (!cred) {
    return malformed(why);
  }
  auto names = parse_signed_headers(*signed_headers);
  if (!names) {
    return malformed("the SignedHeaders component is malformed.");
  }
  AuthorizationV4 out;
  out.credential = std::move(*cred);
  out.signed_headers = std::move(*names);
  out.signature = *signature;
  return out;
}

AuthResult<SigV4Request> parse_sigv4_request(const RequestView& view, bool presigned,
                                             const VerifyOptions& options) {
  SigV4Request req;
  req.presigned = presigned;
  if (auto err = presigned ? parse_query(view, req) : parse_header(view, req)) {
    return *err;
  }
  const Context ctx{presigned};
  const CredentialScope& scope = req.credential.scope;

  if (scope.date != std::string_view(req.amz_date).substr(0, 8)) {
    return ctx.error("Invalid credential date \"" + scope.date +
                     "\". This date is not the same as X-Amz-Date: \"" + req.amz_date.substr(0, 8) +
                     "\".");
  }
  if (scope.service != options.service) {
    return ctx.error("incorrect service \"" + scope.service + "\". This endpoint belongs to \"" +
                     options.service + "\".");
  }
  const auto& regions = options.accepted_regions;
  if (!regions.empty() &&
      std::find(regions.begin(), regions.end(), scope.region) == regions.end()) {
    AuthError err = ctx.error("the region '" + scope.region + "' is wrong; expecting '" +
                              regions.front() + "'");
    err.region = regions.front();
    return err;
  }
  // Every client signs Host; without it a signature could be replayed against another host.
  if (std::find(req.signed_headers.begin(), req.signed_headers.end(), "host") ==
      req.signed_headers.end()) {
    AuthError err(AuthErrc::kAccessDenied, std::string(kHeadersNotSigned));
    err.headers_not_signed = "host";
    return err;
  }
  if (auto err = check_amz_headers_signed(view, req.signed_headers)) {
    return *err;
  }
  auto mode = parse_payload_mode(req.payload_hash);
  if (!mode) {
    return mode.error();
  }
  req.payload_mode = mode.value();
  if (presigned) {
    if (auto err = check_presigned_payload(view, req)) {
      return *err;
    }
  }
  return req;
}

}  // namespace s3gw::auth
