#include "storage/s3_client.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "http/client_tls_connection.h"
#include "s3/uri_encode.h"
#include "storage/s3_xml.h"
#include "util/crypto.h"
#include "util/encoding.h"
#include "util/log.h"

namespace s3gw::storage {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::size_t kErrorBodyLimit = 64 * 1024;

http::ClientEndpoint parse_endpoint(std::string_view text) {
  http::ClientEndpoint ep;
  if (text.starts_with("https://")) {
    text.remove_prefix(8);
    ep.tls = true;
    ep.port = 443;
  } else if (text.starts_with("http://")) {
    text.remove_prefix(7);
  }
  while (text.ends_with('/')) text.remove_suffix(1);
  if (text.empty() || text.find('/') != std::string_view::npos) {
    throw std::invalid_argument("S3 endpoint: expected host[:port]: " + std::string(text));
  }
  std::string_view port;
  if (text.front() == '[') {  // [v6]:port
    const auto close = text.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("S3 endpoint: bad IPv6");
    ep.host = std::string(text.substr(1, close - 1));
    if (close + 1 < text.size() && text[close + 1] == ':') port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    ep.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
  }
  if (!port.empty()) {
    unsigned long p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || p > 65535) throw std::invalid_argument("S3 endpoint: bad port");
      p = p * 10 + static_cast<unsigned long>(c - '0');
    }
    if (p == 0 || p > 65535) throw std::invalid_argument("S3 endpoint: bad port");
    ep.port = static_cast<std::uint16_t>(p);
  }
  return ep;
}

http::ClientOptions client_options(const S3ProviderConfig& c) {
  http::ClientOptions o;
  o.connect_timeout = c.connect_timeout;
  o.io_timeout = c.io_timeout;
  o.idle_timeout = c.idle_timeout;
  o.max_connections_per_endpoint = c.max_connections;
  o.tls = c.tls;
  return o;
}

bool retryable_status(unsigned status) {
  return status == 500 || status == 502 || status == 503 || status == 504 || status == 429;
}

}  // namespace

S3Client::S3Client(const S3ProviderConfig& config)
    : config_(config),
      endpoint_(parse_endpoint(config.endpoint)),
      signer_({config.access_key_id, config.secret_access_key, config.session_token},
              {.region = config.region}),
      http_(client_options(config)) {}

S3Target S3Client::target(std::string_view bucket, std::string_view key) const {
  S3Target t;
  t.connect = endpoint_;
  // Each key segment is encoded, '/' kept: the path is signed exactly as sent.
  const std::string encoded_key = s3::uri_encode(key, false);
  if (config_.addressing == S3AddressingStyle::kVirtualHost && !bucket.empty()) {
    t.connect.host = std::string(bucket) + "." + endpoint_.host;
    t.path = "/" + encoded_key;
  } else {
    t.path = "/";
    if (!bucket.empty()) {
      t.path += s3::uri_encode(bucket, true);
      if (!key.empty()) t.path += "/" + encoded_key;
    }
  }
  t.host = t.connect.host_header();
  return t;
}

awaitable<std::unique_ptr<http::ClientResponse>> S3Client::call(const S3Call& c) {
  const S3Target t = target(c.bucket, c.key);
  const std::string payload_hash =
      c.body.empty() ? std::string(kEmptySha256)
      : c.sign_body ? util::hex_encode(util::sha256(std::string_view(c.body.data(), c.body.size())))
                    : std::string("UNSIGNED-PAYLOAD");
  const std::string what = std::string(boost::beast::http::to_string(c.method)) + " " + t.path +
                           (c.query.empty() ? "" : "?" + c.query);
  const int attempts = c.idempotent ? std::max(1, config_.retry.attempts) : 1;
  std::string last_failure;
  int tried = 0;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      asio::steady_timer timer(co_await asio::this_coro::executor,
                               config_.retry.delay(attempt - 1));
      error_code ignored;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    // Signed afresh each attempt: X-Amz-Date moves on.
    auth::SignableRequest sreq;
    sreq.method = std::string(boost::beast::http::to_string(c.method));
    sreq.path = t.path;
    sreq.query = c.query;
    sreq.headers.add("Host", t.host);
    for (const auto& [name, value] : c.headers) sreq.headers.add(name, value);
    sreq.payload_hash = payload_hash;
    signer_.sign(sreq, util::Clock::now());

    http::ClientRequest req;
    req.method = c.method;
    req.target = c.query.empty() ? t.path : t.path + "?" + c.query;
    req.headers = sreq.headers.fields();
    req.body = c.body;
    req.idempotent = c.idempotent;

    error_code ec;
    ++tried;
    auto response = co_await http_.send(t.connect, req, ec);
    if (!response) {
      last_failure = ec.message();
      // A refused certificate stays refused: no retry, and never a fall-back to plain http.
      if (http::is_tls_certificate_error(ec)) {
        last_failure += " (" + t.connect.host_header() + ")";
        break;
      }
      continue;
    }
    if (!retryable_status(response->status())) co_return response;
    const unsigned status = response->status();
    const std::string body = co_await response->read_all(kErrorBodyLimit, ec);
    const auto err = parse_s3_error(body);
    last_failure = "HTTP " + std::to_string(status) + (err.code.empty() ? "" : " " + err.code);
  }
  util::log_warn("storage", "s3 " + config_.zone_id + ": " + what + " failed after " +
                                std::to_string(tried) + " attempt(s): " + last_failure);
  throw StorageError(StorageError::Kind::kUnavailable,
                     "storage provider unavailable (" + what + "): " + last_failure);
}

void throw_s3_error(unsigned status, std::string_view body, std::string_view what) {
  const auto err = parse_s3_error(body);
  const std::string text = std::string(what) + ": HTTP " + std::to_string(status) +
                           (err.code.empty() ? "" : " " + err.code) +
                           (err.message.empty() ? "" : " (" + err.message + ")");
  if (status == 404) throw StorageError(StorageError::Kind::kNotFound, text);
  if (status >= 500) throw StorageError(StorageError::Kind::kUnavailable, text);
  throw StorageError(StorageError::Kind::kIo, text);
}

}  // namespace s3gw::storage
