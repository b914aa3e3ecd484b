#include "ops/s3_dispatcher.h"

#include "meta/pg.h"
#include "ops/endpoint.h"
#include "ops/handlers.h"
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
  if (raw == "/s3" || raw.starts_with("/s3/")) raw.remove_prefix(3);
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

bool is_mutation(Endpoint e) {
  return e == Endpoint::kCreateBucket || e == Endpoint::kDeleteBucket ||
         e == Endpoint::kPutObject || e == Endpoint::kDeleteObject;
}

awaitable<Reply> run(OpContext& ctx, Endpoint e, S3Request& req) {
  switch (e) {
    case Endpoint::kListBuckets:
      return list_buckets(ctx, req);
    case Endpoint::kCreateBucket:
      return create_bucket(ctx, req);
    case Endpoint::kHeadBucket:
      return head_bucket(ctx, req);
    case Endpoint::kDeleteBucket:
      return delete_bucket(ctx, req);
    case Endpoint::kGetBucketLocation:
      return get_bucket_location(ctx, req);
    case Endpoint::kListObjects:
      return list_objects(ctx, req, false);
    case Endpoint::kListObjectsV2:
      return list_objects(ctx, req, true);
    case Endpoint::kPutObject:
      return put_object(ctx, req);
    case Endpoint::kGetObject:
    case Endpoint::kHeadObject:
      return get_object(ctx, req);
    case Endpoint::kDeleteObject:
      return delete_object(ctx, req);
    case Endpoint::kNotImplemented:
    case Endpoint::kMethodNotAllowed:
      break;
  }
  throw std::logic_error("no handler for endpoint");
}

}  // namespace

awaitable<http::Response> S3Dispatcher::handle(http::Request& request) {
  const std::string request_id = util::random_hex(8);
  auto path = parse_path(request.path());
  auto query = QueryParams::parse(request.query());
  S3Request req{request,
                request_id,
                ctx_.config.default_customer,
                std::nullopt,
                {},
                {},
                false,
                query ? std::move(*query) : QueryParams{},
                std::string(request.path())};
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
  if (!path || !query) {
    early = S3Error(ErrorCode::kInvalidArgument,
                    "The request path or query is not valid percent-encoding.");
  } else if (ctx_.config.auth_enabled) {
    // Fail closed: SigV4 verification arrives with the authentication issue.
    early = S3Error(ErrorCode::kAccessDenied,
                    "SigV4 authentication is not available in this build; set "
                    "ENABLE_S3_AUTHENTICATION=false for development.");
  } else if (auto cid = request.header("x-customer-id")) {
    if (auto v = s3::validate_customer_id(*cid); !v) {
      early = v.error();
    } else {
      req.customer_id = std::string(*cid);
    }
  }
  if (!early) {
    endpoint = resolve_endpoint(request.method(), !req.bucket.empty(), req.has_key, req.query,
                                request.header("x-amz-copy-source").has_value());
    if (endpoint == Endpoint::kNotImplemented) {
      early = S3Error(ErrorCode::kNotImplemented);
    } else if (endpoint == Endpoint::kMethodNotAllowed) {
      early = S3Error(ErrorCode::kMethodNotAllowed);
    } else if (!req.bucket.empty()) {
      if (auto v = s3::validate_bucket_name(req.bucket); !v) {
        early = v.error();
      } else if (req.has_key) {
        if (auto k = s3::validate_object_key(req.key); !k) early = k.error();
      }
    }
  }

  http::Response reply;
  if (early) {
    reply = error_reply(req, *early);
    reply.close = !request.body().complete();
  } else {
    std::exception_ptr failure;
    try {
      reply = co_await run(ctx_, endpoint, req);
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
        util::log_error("s3", std::string(endpoint_name(endpoint)) + " " + request_id +
                                  ": storage: " + e.what());
        err = S3Error(ErrorCode::kServiceUnavailable);
      } catch (const std::exception& e) {
        util::log_error("s3",
                        std::string(endpoint_name(endpoint)) + " " + request_id + ": " + e.what());
      }
      reply = error_reply(req, err);
      reply.close = true;
    }
  }
  stamp_common_headers(reply, request_id);
  // Successful mutations logged themselves inside their transaction.
  if (!(is_mutation(endpoint) && reply.status < 300)) {
    ctx_.oplog.enqueue(req.log_record(endpoint_name(endpoint), static_cast<int>(reply.status)));
  }
  co_return reply;
}

}  // namespace s3gw::ops
