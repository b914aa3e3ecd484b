#pragma once
// Incremental, push-based decoder for S3 `aws-chunked` request bodies (SigV4 streaming uploads).
//
// Wire format (x-amz-content-sha256 selects the variant):
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]:
//     <hex-size>;chunk-signature=<64 lowercase hex>\r\n<size bytes>\r\n ...
//     0;chunk-signature=<sig>\r\n [<name>:<value>\r\n ... x-amz-trailer-signature:<sig>\r\n] \r\n
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER:
//     <hex-size>\r\n<size bytes>\r\n ... 0\r\n [<name>:<value>\r\n ...] \r\n
// The zero-size chunk has no data and no data CRLF: like HTTP/1.1 chunked, the trailer section and
// an empty line follow its header line directly.
//
// Tolerated deviations (seen from clients or in example bodies, or allowed by RFC 9112):
//   - the body ends right after the last chunk line or after the last trailer line, without the
//     closing empty line (aws-sdk-js v3 sends `0\r\n` and stops when it adds no checksum);
//   - one empty line between the last chunk line and the trailers, when trailers are expected
//     (copies of the AWS sigv4-streaming-trailers example in several S3 servers' tests have it);
//   - LF without CR ending a header or trailer line (never after chunk data);
//   - trailer names in any case, whitespace on either side of the colon (S3 accepts it).
//
// Memory is bounded by the options' caps whatever the body size: the payload is never copied, only
// header and trailer lines are buffered.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace s3gw::http {

// What went wrong; the comment on each names the S3 error the gateway should answer with (see
// recommended_s3_error). AWS answers IncompleteBody (400) for any broken framing.
enum class AwsChunkedErrc {
  kOk,
  kBadChunkHeader,     // size not hex, junk after it, bad chunk extension -> IncompleteBody
  kBadChunkSignature,  // signed body: chunk-signature missing or not 64 lowercase hex
                       //   -> IncompleteBody (SignatureDoesNotMatch is for well-formed ones)
  kChunkTooLarge,      // declared size above max_chunk_size -> EntityTooLarge
  kLineTooLong,        // chunk header line above max_line_length -> IncompleteBody
  kMissingDataCrlf,    // chunk data not followed by CRLF (chunk longer than declared)
                       //   -> IncompleteBody
  kChunkTooSmall,      // a chunk other than the last data chunk below min_chunk_size
                       //   -> InvalidChunkSizeError (with Chunk and BadChunkSize)
  kLengthMismatch,     // payload length differs from x-amz-decoded-content-length
                       //   -> IncompleteBody
  kBadTrailer,         // malformed or duplicate trailer, bad or missing trailer signature
                       //   -> MalformedTrailerError
  kTrailerTooLarge,    // trailer section above max_trailer_bytes / max_trailers
                       //   -> MalformedTrailerError
  kUnexpectedTrailer,  // trailer sent although the request declared none
                       //   -> MalformedTrailerError
  kDataAfterEnd,       // bytes after the terminating empty line -> IncompleteBody
  kTruncated,          // finish() before the body was complete -> IncompleteBody
  kAborted,            // an observer callback returned false; the observer knows why (e.g.
                       //   SignatureDoesNotMatch for a chunk signature that does not verify)
};

// "IncompleteBody", "MalformedTrailerError", ...; empty for kOk and kAborted.
std::string_view recommended_s3_error(AwsChunkedErrc code);

struct AwsChunkedStatus {
  AwsChunkedErrc code = AwsChunkedErrc::kOk;
  std::string message;
  // 1-based ordinal of the chunk the error is about and its declared size, when there is one
  // (InvalidChunkSizeError reports both).
  std::uint64_t chunk_index = 0;
  std::uint64_t chunk_size = 0;

  bool ok() const { return code == AwsChunkedErrc::kOk; }
};

struct AwsChunkedTrailer {
  std::string name;   // lower case
  std::string value;  // surrounding whitespace removed
};

struct AwsChunkedOptions {
  // Every chunk header carries ;chunk-signature=<64 hex> (the STREAMING-AWS4-HMAC-SHA256-* forms).
  bool signed_chunks = true;
  // The *-TRAILER forms: trailer lines may follow the last chunk. Without it a trailer is an error.
  bool expect_trailers = false;
  // x-amz-decoded-content-length; checked as each chunk is announced, so a body that would exceed
  // it fails before its data arrives.
  std::optional<std::uint64_t> decoded_length;
  // S3's single-PUT limit: a larger chunk cannot become an object anyway.
  std::uint64_t max_chunk_size = std::uint64_t{5} << 30;
  // S3 rejects data chunks under 8192 bytes except the last; 0 accepts any size, which is kinder
  // to clients that chunk whatever their stream yields.
  std::uint64_t min_chunk_size = 0;
  std::size_t max_line_length = 4096;     // one chunk header line, CRLF included
  std::size_t max_trailer_bytes = 16384;  // the whole trailer section, CRLFs included
  std::size_t max_trailers = 32;
};

// Options for an x-amz-content-sha256 value; nullopt when it does not announce an aws-chunked
// body this decoder handles (plain hashes, UNSIGNED-PAYLOAD, the SigV4a ECDSA forms).
std::optional<AwsChunkedOptions> aws_chunked_options_for(std::string_view x_amz_content_sha256);

// Receives the decoded body. Chunk boundaries are visible so the authenticator can hash each whole
// chunk and verify its signature at on_chunk_end, chaining from the seed signature. Data reaches
// on_chunk_data before that chunk's signature is verified: consumers must treat it as tentative
// until on_body_end (the gateway writes blobs first and commits metadata only after that).
// Returning false from any callback stops decoding with kAborted.
class AwsChunkedObserver {
 public:
  virtual ~AwsChunkedObserver() = default;
  // `signature` is empty for unsigned bodies. Called for the final zero-size chunk too.
  virtual bool on_chunk_begin(std::uint64_t size, std::string_view signature);
  // A piece of the current chunk's payload: a view into the buffer passed to feed(), valid only
  // during the call.
  virtual bool on_chunk_data(std::span<const char> data) = 0;
  // After the chunk's data and its CRLF; right after on_chunk_begin for the final chunk.
  virtual bool on_chunk_end();
  // Once, when the body is complete (the trailers may be empty). x-amz-trailer-signature, if
  // sent, is among them.
  virtual bool on_body_end(std::span<const AwsChunkedTrailer> trailers);
};

class AwsChunkedDecoder {
 public:
  // The observer must outlive the decoder.
  AwsChunkedDecoder(AwsChunkedOptions options, AwsChunkedObserver& observer);

  // Decodes the next bytes of the encoded body, as they arrive; any split is fine. Pass only this
  // request's body. Errors are sticky: once one is returned, every later call returns it.
  AwsChunkedStatus feed(std::span<const char> in);
  AwsChunkedStatus feed(std::string_view in) { return feed(std::span(in.data(), in.size())); }
  AwsChunkedStatus feed(const std::string& in) { return feed(std::string_view(in)); }

  // The encoded body has ended. kTruncated if it ended early; otherwise completes the body when
  // only the optional closing empty line was missing.
  AwsChunkedStatus finish();

  // The body is complete and on_body_end has returned true.
  bool done() const { return state_ == State::kDone; }
  bool failed() const { return state_ == State::kFailed; }
  const std::vector<AwsChunkedTrailer>& trailers() const { return trailers_; }
  // nullptr when absent; `name` in lower case.
  const AwsChunkedTrailer* find_trailer(std::string_view name) const;
  std::uint64_t decoded_bytes() const { return decoded_bytes_; }
  // Chunks announced so far, the final zero-size one included.
  std::uint64_t chunk_count() const { return chunk_count_; }

 private:
  enum class State { kChunkHeader, kChunkData, kDataCr, kDataLf, kTrailer, kDone, kFailed };

  AwsChunkedStatus on_header_line(std::string_view line);
  AwsChunkedStatus on_trailer_line(std::string_view line);
  AwsChunkedStatus complete();
  AwsChunkedStatus fail(AwsChunkedStatus status);

  AwsChunkedOptions options_;
  AwsChunkedObserver& observer_;
  State state_ = State::kChunkHeader;
  AwsChunkedStatus error_;
  std::string line_;  // the header or trailer line being collected
  std::uint64_t chunk_remaining_ = 0;
  std::uint64_t decoded_bytes_ = 0;
  std::uint64_t chunk_count_ = 0;
  std::optional<std::uint64_t> last_data_chunk_size_;
  std::size_t trailer_bytes_ = 0;
  bool blank_before_trailers_ = false;
  std::vector<AwsChunkedTrailer> trailers_;
};

}  // namespace s3gw::http
