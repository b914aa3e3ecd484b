#include "ops/s3_dispatcher.h"

#include "meta/pg.h"
#include "ops/authenticator.h"
#include "ops/authorizer.h"
#include "ops/endpoint.h"
#include "ops/handlers.h"
#include "ops/operation.h"
#include "ops/reply.h"
#include "s3/uri_encode.h"
#include "s3/validation.h"
#include "storage/provider.h"
#include "util/log.h"
#include "util/random.h"

namespace s3gw::ops {

using s3::ErrorCode;
using s3::S3Error;

namespace {

struct ParsedPath {
  std::string bucket;
  std::string key;
  bool has_key = false;
};

// "/s3/b/k" and "/b/k" both name bucket b, key k. A bucket literally named "s3" is reached as
// "/s3/s3/...".
std::optional<ParsedPath> parse_path(std::string_view raw) {
  if (raw == "/s3") return ParsedPath{};  // the service itself, as "/s3/" and "/" are
  if (raw.starts_with("/s3/")) raw.remove_prefix(3);
  if (raw.empty() || raw.front() != '/') return std::nullopt;
  raw.remove_prefix(1);
  ParsedPath p;
  const auto slash = raw.find('/');
  auto bucket = s3::uri_decode(raw.substr(0, slash), false);
  if (!bucket) return std::nullopt;
  p.bucket = std::move(*bucket);
  if (slash != std::string_view::npos && slash + 1 < raw.size()) {
    auto key = s3::uri_decode(raw.substr(slash + 1), false);
    if (!key) return std::nullopt;
    p.key = std::move(*key);
    p.has_key = true;
  }
  return p;
}


}  // namespace

// Who asks (authentication), what for (endpoint, names), and whether they may (authorization).
// nullopt admits the request to its handler.
awaitable<std::optional<S3Error>> S3Dispatcher::admit(S3Request& req, Endpoint& endpoint) {
  http::Request& request = req.http;
  // Resolved first so that an audit record names the operation; its errors still come after
  // authentication's, as S3 orders them.
  endpoint = resolve_endpoint(request.method(), !req.bucket.empty(), req.has_key, req.query,
                              request.header("x-amz-copy-source").has_value());
  req.operation = endpoint_name(endpoint);
  if (ctx_.authenticator != nullptr) {
    auto outcome = co_await ctx_.authenticator->authenticate(request);
    if (auto* f = std::get_if<AuthFailure>(&outcome)) {
      req.customer_id = f->customer_id.value_or("");
      req.user_id = f->user_id;
      audit(req, endpoint, "auth_failure", f->access_key_id, f->error, f->reason);
      co_return f->error;
    }
    auto& who = std::get<Authenticated>(outcome);
    req.customer_id = std::move(who.customer_id);
    req.user_id = std::move(who.user_id);
    req.identity = std::move(who.identity);
    req.permissions = std::move(who.permissions);
  } else if (auto cid = request.header("x-customer-id")) {
    if (auto v = s3::validate_customer_id(*cid); !v) co_return v.error();
    req.customer_id = std::string(*cid);
  }

  if (endpoint == Endpoint::kNotImplemented) co_return S3Error(ErrorCode::kNotImplemented);
  if (endpoint == Endpoint::kMethodNotAllowed) co_return S3Error(ErrorCode::kMethodNotAllowed);
  if (!req.bucket.empty()) {
    if (auto v = s3::validate_bucket_name(req.bucket); !v) co_return v.error();
    if (req.has_key) {
      if (auto k = s3::validate_object_key(req.key); !k) co_return k.error();
    }
  }
  if (auto denied = co_await authorize(ctx_, req, endpoint)) {
    S3Error err(ErrorCode::kAccessDenied);
    audit(req, endpoint, "access_denied", req.identity->access_key_id, err, *denied);
    co_return err;
  }
  co_return std::nullopt;
}

void S3Dispatcher::audit(const S3Request& req, Endpoint endpoint, std::string type,
                         const std::optional<std::string>& access_key_id, const S3Error& err,
                         std::string reason) {
  meta::ComplianceEvent e;
  e.type = std::move(type);
  e.request_id = req.request_id;
  if (!req.customer_id.empty()) e.customer_id = req.customer_id;
  e.user_id = req.user_id;
  e.access_key_id = access_key_id;
  e.source_ip = req.http.remote();
  e.operation = std::string(endpoint_name(endpoint));
  if (!req.bucket.empty()) e.bucket = req.bucket;
  if (req.has_key) e.key = req.key;
  e.code = std::string(s3::error_info(err.code).code);
  e.reason = std::move(reason);
  util::log_debug("auth", e.type + " " + e.request_id + ": " + e.reason);
  ctx_.oplog.enqueue(std::move(e));
}

awaitable<http::Response> S3Dispatcher::handle(http::Request& request) {
  const std::string request_id = util::random_hex(8);
  auto path = parse_path(request.path());
  auto query = QueryParams::parse(request.query());
  S3Request req{.http = request,
                .request_id = request_id,
                .customer_id = ctx_.config.default_customer,
                .user_id = std::nullopt,
                .bucket = {},
                .key = {},
                .has_key = false,
                .query = query ? std::move(*query) : QueryParams{},
                .resource = std::string(request.path()),
                .operation = {},
                .identity = std::nullopt,
                .permissions = nullptr};
  if (path) {
    req.bucket = path->bucket;
    req.key = path->key;
    req.has_key = path->has_key;
    req.resource = "/" + req.bucket + (req.has_key ? "/" + req.key : std::string());
    // Invalid UTF-8 or a NUL cannot appear in an XML document: name such a resource as sent.
    if (!s3::is_valid_utf8(req.resource) || req.resource.find('\0') != std::string::npos) {
      req.resource = std::string(request.path());
    }
  }

  Endpoint endpoint = Endpoint::kMethodNotAllowed;
  std::optional<S3Error> early;
  http::Response reply;
  std::exception_ptr failure;
  try {
    if (!path || !query) {
      early = S3Error(ErrorCode::kInvalidArgument,
                      "The request path or query is not valid percent-encoding.");
    } else {
      early = co_await admit(req, endpoint);
    }
    if (early) {
      reply = error_reply(req, *early);
      reply.close = !request.body().complete();
    } else {
      reply = co_await operation_of(endpoint).handler(ctx_, req);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    S3Error err(ErrorCode::kInternalError);
    try {
      std::rethrow_exception(failure);
    } catch (const meta::PgError& e) {
      util::log_error("s3", std::string(endpoint_name(endpoint)) + " " + request_id +
                                ": database: " + e.what());
      if (e.sqlstate().starts_with("08") || e.sqlstate().empty())
        err = S3Error(ErrorCode::kServiceUnavailable);
    } catch (const storage::StorageError& e) {
      util::log_error(
          "s3", std::string(endpoint_name(endpoint)) + " " + request_id + ": storage: " + e.what());
      err = S3Error(ErrorCode::kServiceUnavailable);
    } catch (const std::exception& e) {
      util::log_error("s3",
                      std::string(endpoint_name(endpoint)) + " " + request_id + ": " + e.what());
    }
    reply = error_reply(req, err);
    reply.close = true;
  }
  stamp_common_headers(reply, request_id);
  // Successful mutations logged themselves inside their transaction.
  if (!(operation_of(endpoint).mutates && reply.status < 300)) {
    req.operation = endpoint_name(endpoint);
    ctx_.oplog.enqueue(req.log_record(static_cast<int>(reply.status)));
  }
  co_return reply;
}

}  // namespace s3gw::ops
