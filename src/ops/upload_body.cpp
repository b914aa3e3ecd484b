#include "ops/upload_body.h"

#include <array>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <charconv>
#include <vector>

#include "auth/chunk_signature.h"
#include "ops/request_body.h"
#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::ops {

using boost::asio::awaitable;
using s3::ErrorCode;
using s3::S3Error;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

std::variant<ChecksumPlan, S3Error> plan_checksum(const S3Request& req) {
  ChecksumPlan plan;
  int headers = 0;
  for (auto alg : {util::ChecksumAlgorithm::kCRC32, util::ChecksumAlgorithm::kCRC32C,
                   util::ChecksumAlgorithm::kCRC64NVME, util::ChecksumAlgorithm::kSHA1,
                   util::ChecksumAlgorithm::kSHA256}) {
    auto v = req.header(util::checksum_header(alg));
    if (!v) continue;
    ++headers;
    if (!util::is_valid_checksum_value(alg, *v)) {
      return S3Error(
          ErrorCode::kInvalidRequest,
          "Value for " + std::string(util::checksum_header(alg)) + " header is invalid.");
    }
    plan.algorithm = alg;
    plan.expected = std::string(*v);
    plan.client_requested = true;
  }
  if (headers > 1) {
    return S3Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed.");
  }
  if (auto trailer = req.header("x-amz-trailer")) {
    auto alg = util::checksum_from_header(*trailer);
    if (!alg) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "The value specified in the x-amz-trailer header is not supported");
    }
    if (headers > 0) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                     "allowed.");
    }
    plan.algorithm = *alg;
    plan.from_trailer = true;
    plan.client_requested = true;
  }
  if (auto sdk = req.header("x-amz-sdk-checksum-algorithm")) {
    auto alg = util::parse_checksum_algorithm(*sdk);
    if (!alg) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
    if (plan.client_requested && *alg != plan.algorithm) {
      return S3Error(ErrorCode::kInvalidRequest,
                     "Value for x-amz-sdk-checksum-algorithm header is invalid.");
    }
    plan.algorithm = *alg;
    plan.client_requested = true;
  }
  return plan;
}

// Hashes and stores the decoded payload.
class PayloadSink {
 public:
  PayloadSink(storage::BlobWriter& writer, util::ChecksumAlgorithm checksum, bool want_sha256,
              std::optional<util::ChecksumAlgorithm> extra)
      : writer_(writer), checksum_(util::make_hasher(checksum)) {
    if (want_sha256) sha256_ = util::make_hasher(util::ChecksumAlgorithm::kSHA256);
    if (extra) extra_ = util::make_hasher(*extra);
  }

  awaitable<void> consume(std::span<const char> data) {
    md5_.update(data);
    checksum_->update(data);
    if (sha256_) sha256_->update(data);
    if (extra_) extra_->update(data);
    bytes_ += data.size();
    co_await writer_.write(data);
  }

  std::uint64_t bytes() const { return bytes_; }
  std::string md5() { return md5_.digest(); }
  std::string checksum() { return checksum_->digest(); }
  std::string sha256() { return sha256_ ? sha256_->digest() : std::string(); }
  std::optional<std::string> extra() {
    if (!extra_) return std::nullopt;
    return extra_->digest();
  }

 private:
  storage::BlobWriter& writer_;
  util::Md5 md5_;
  std::unique_ptr<util::Hasher> checksum_;
  std::unique_ptr<util::Hasher> sha256_;
  std::unique_ptr<util::Hasher> extra_;
  std::uint64_t bytes_ = 0;
};

// Collects the decoded pieces of one feed() so they can be written asynchronously afterwards;
// they point into the read buffer, which stays untouched until then. With a signing chain it
// also checks each chunk's signature as the chunk completes, and the trailer's: one bad
// signature stops the upload before the blob can be committed.
class CollectingObserver final : public http::AwsChunkedObserver {
 public:
  CollectingObserver() = default;
  CollectingObserver(auth::StreamingSigningContext signing, bool signed_trailer)
      : chain_(std::move(signing)),
        sha256_(util::make_hasher(util::ChecksumAlgorithm::kSHA256)),
        signed_trailer_(signed_trailer) {}

  bool on_chunk_begin(std::uint64_t /*size*/, std::string_view signature) override {
    claimed_.assign(signature);
    return true;
  }
  bool on_chunk_data(std::span<const char> data) override {
    pieces.push_back(data);
    if (chain_) sha256_->update(data);
    return true;
  }
  bool on_chunk_end() override {
    if (!chain_) return true;
    if (chain_->verify_next(util::hex_encode(sha256_->digest()), claimed_)) return true;
    bad_signature = true;
    return false;
  }
  bool on_body_end(std::span<const http::AwsChunkedTrailer> trailers) override {
    if (!chain_ || !signed_trailer_) return true;
    std::vector<std::pair<std::string, std::string>> fields;
    std::optional<std::string_view> claimed;
    for (const auto& t : trailers) {
      if (t.name == "x-amz-trailer-signature") {
        claimed = t.value;
      } else {
        fields.emplace_back(t.name, t.value);
      }
    }
    if (claimed && chain_->verify_trailer(auth::canonical_trailers(fields), *claimed)) {
      return true;
    }
    bad_signature = true;
    return false;
  }

  std::vector<std::span<const char>> pieces;
  bool bad_signature = false;

 private:
  std::optional<auth::ChunkSignatureChain> chain_;
  std::unique_ptr<util::Hasher> sha256_;
  bool signed_trailer_ = false;
  std::string claimed_;
};

S3Error chunked_error(const http::AwsChunkedStatus& st) {
  using E = http::AwsChunkedErrc;
  switch (st.code) {
    case E::kChunkTooLarge:
      return S3Error(ErrorCode::kEntityTooLarge, st.message);
    case E::kBadTrailer:
    case E::kTrailerTooLarge:
    case E::kUnexpectedTrailer:
      return S3Error(ErrorCode::kMalformedTrailerError, st.message);
    case E::kChunkTooSmall:
      return S3Error(ErrorCode::kInvalidChunkSizeError, st.message);
    default:
      return S3Error(ErrorCode::kIncompleteBody, st.message);
  }
}

S3Error chunk_signature_error() {
  return S3Error(ErrorCode::kSignatureDoesNotMatch,
                 "The request signature we calculated does not match the signature you "
                 "provided. Check your key and signing method.");
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool transfer_chunked(const S3Request& req) {
  auto te = req.header("transfer-encoding");
  if (!te) return false;
  return util::ascii_lower(*te).find("chunked") != std::string::npos;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

std::variant<UploadBody, S3Error> plan_upload_body(const S3Request& req, std::uint64_t max_size) {
  auto fail = [](S3Error e) { return e; };
  UploadBody body;
  // Framing: plain body, or aws-chunked with its own decoded length.
  const std::string_view sha_header = req.header("x-amz-content-sha256").value_or("");
  std::optional<http::AwsChunkedOptions> chunked = http::aws_chunked_options_for(sha_header);
  if (!chunked && sha_header.starts_with("STREAMING-")) {
    return fail(S3Error(ErrorCode::kNotImplemented, "The x-amz-content-sha256 streaming mode " +
                                                        std::string(sha_header) +
                                                        " is not supported."));
  }
  if (!sha_header.empty() && !chunked && !is_hex64(sha_header) &&
      sha_header != "UNSIGNED-PAYLOAD") {
    return fail(S3Error(ErrorCode::kInvalidArgument,
                        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a "
                        "valid sha256 value."));
  }
  body.expected_sha256 = req.signed_payload_sha256();
  // With authentication on, a signed aws-chunked body is checked chunk by chunk against the
  // request's own signature; without a SigV4 signature to chain from it cannot be.
  const bool verify_chunks = chunked && chunked->signed_chunks && req.identity;
  if (verify_chunks && req.identity->payload_mode != auth::PayloadMode::kStreamingSigned &&
      req.identity->payload_mode != auth::PayloadMode::kStreamingSignedTrailer) {
    return fail(S3Error(ErrorCode::kInvalidRequest,
                        "Signed aws-chunked bodies need SigV4 header authentication with the "
                        "same x-amz-content-sha256."));
  }
  std::optional<std::uint64_t> length = req.http.body().declared_length();
  if (chunked) {
    auto dl = req.header("x-amz-decoded-content-length");
    if (!dl)
      return fail(S3Error(ErrorCode::kMissingContentLength,
                          "aws-chunked uploads need x-amz-decoded-content-length."));
    auto n = parse_u64(*dl);
    if (!n)
      return fail(
          S3Error(ErrorCode::kInvalidArgument, "x-amz-decoded-content-length is not a number."));
    chunked->decoded_length = *n;
    length = *n;
  }
  if (!length && !transfer_chunked(req)) {
    // Neither Content-Length nor chunked framing: the body's end is unknowable.
    return fail(S3Error(ErrorCode::kMissingContentLength));
  }
  if (length && *length > max_size) {
    return fail(S3Error(ErrorCode::kEntityTooLarge));
  }

  if (auto md5 = req.header("content-md5")) {
    auto raw = util::base64_decode(*md5);
    if (!raw || raw->size() != 16) return fail(S3Error(ErrorCode::kInvalidDigest));
    body.expected_md5 = std::move(*raw);
  }
  auto checksum_plan_or = plan_checksum(req);
  if (auto* e = std::get_if<S3Error>(&checksum_plan_or)) return fail(*e);
  body.checksum = std::get<ChecksumPlan>(checksum_plan_or);
  if (body.checksum.from_trailer && !(chunked && chunked->expect_trailers)) {
    return fail(
        S3Error(ErrorCode::kInvalidRequest, "x-amz-trailer needs a STREAMING-*-TRAILER payload."));
  }
  body.chunked = chunked;
  body.verify_chunks = verify_chunks;
  body.length = length;
  return body;
}

awaitable<ReceivedBody> receive_body(OpContext& ctx, S3Request& req, const UploadBody& body,
                                     storage::BlobWriter& writer, std::uint64_t max_size,
                                     std::optional<util::ChecksumAlgorithm> extra) {
  ReceivedBody out;
  auto failed = [&out](S3Error e) -> ReceivedBody& {
    out.error = std::move(e);
    return out;
  };
  const ChecksumPlan& plan = body.checksum;
  const auto& chunked = body.chunked;
  const auto& length = body.length;
  const bool sha_is_hash = body.expected_sha256.has_value();

  PayloadSink sink(writer, plan.algorithm, sha_is_hash, extra);

  CollectingObserver observer =
      body.verify_chunks ? CollectingObserver(req.identity->streaming, chunked->expect_trailers)
                         : CollectingObserver();
  std::optional<http::AwsChunkedDecoder> decoder;
  if (chunked) decoder.emplace(*chunked, observer);

  // Two buffers: while one buffer's payload is hashed and written, the next one is read from
  // the socket, so network, hashing and disk overlap. Memory stays bounded: 2 x io_buffer.
  std::array<std::vector<char>, 2> bufs{std::vector<char>(ctx.config.io_buffer),
                                        std::vector<char>(ctx.config.io_buffer)};
  std::vector<std::span<const char>> ready;  // payload read last round, in the other buffer
  std::uint64_t received = 0;
  auto consume_all = [&sink](std::vector<std::span<const char>> pieces) -> awaitable<void> {
    for (auto piece : pieces) co_await sink.consume(piece);
  };
  for (std::size_t cur = 0;; cur ^= 1) {
    boost::system::error_code ec;
    std::size_t n = 0;
    auto read = [&]() -> awaitable<void> {
      n = co_await req.http.body().read_some(boost::asio::buffer(bufs[cur]), ec);
    };
    co_await (read() && consume_all(std::move(ready)));
    ready.clear();
    if (ec) {
      co_await writer.abort();
      out.close = true;
      if (ec == http::trailer_fields_refused()) co_return failed(trailer_fields_error());
      co_return failed(S3Error(ec == boost::beast::error::timeout ? ErrorCode::kRequestTimeout
                                                                  : ErrorCode::kIncompleteBody));
    }
    if (n == 0) break;
    const std::span<const char> data(bufs[cur].data(), n);
    if (!decoder) {
      received += n;
      if (received > max_size) {
        co_await writer.abort();
        co_return failed(S3Error(ErrorCode::kEntityTooLarge));
      }
      ready.push_back(data);
      continue;
    }
    observer.pieces.clear();
    const auto st = decoder->feed(data);
    if (!st.ok()) {
      co_await writer.abort();
      co_return failed(observer.bad_signature ? chunk_signature_error() : chunked_error(st));
    }
    ready = observer.pieces;
  }
  co_await consume_all(std::move(ready));

  // Whole body received: check it is the body the client meant.
  std::optional<std::string> trailer_checksum;
  if (decoder) {
    const auto st = decoder->finish();
    if (!st.ok()) {
      co_await writer.abort();
      co_return failed(observer.bad_signature ? chunk_signature_error() : chunked_error(st));
    }
    if (plan.from_trailer) {
      const auto* t = decoder->find_trailer(util::checksum_header(plan.algorithm));
      if (t == nullptr || !util::is_valid_checksum_value(plan.algorithm, t->value)) {
        co_await writer.abort();
        co_return failed(S3Error(ErrorCode::kMalformedTrailerError,
                                 "The trailing checksum is missing or malformed."));
      }
      trailer_checksum = t->value;
    }
  } else if (length && sink.bytes() != *length) {
    co_await writer.abort();
    co_return failed(S3Error(ErrorCode::kIncompleteBody));
  }

  const std::string md5 = sink.md5();
  if (body.expected_md5 && *body.expected_md5 != md5) {
    co_await writer.abort();
    co_return failed(S3Error(ErrorCode::kBadDigest));
  }
  if (sha_is_hash && util::hex_encode(sink.sha256()) != *body.expected_sha256) {
    co_await writer.abort();
    co_return failed(S3Error(ErrorCode::kXAmzContentSHA256Mismatch));
  }
  const std::string checksum = util::base64_encode(sink.checksum());
  const auto& expected_checksum = plan.expected ? plan.expected : trailer_checksum;
  if (expected_checksum && *expected_checksum != checksum) {
    co_await writer.abort();
    co_return failed(S3Error(ErrorCode::kBadDigest,
                             "The " + std::string(util::checksum_name(plan.algorithm)) +
                                 " you specified did not match the calculated checksum."));
  }
  out.bytes = sink.bytes();
  out.md5 = md5;
  out.checksum = checksum;
  if (auto x = sink.extra()) out.extra_checksum = util::base64_encode(*x);
  co_return out;
}

}  // namespace s3gw::ops
