#pragma once
// Signatures of an aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]): each chunk
// is signed over the previous signature, starting from the request's own (the seed), and the
// trailer, if any, over the final (empty) chunk's.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace s3gw::auth {

inline constexpr std::string_view kChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kTrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";

// What a verified request hands on so its body's chunks can be checked (or, in the signer,
// signed). signing_key is secret-equivalent for one day and one region: keep it in memory only.
struct StreamingSigningContext {
  std::string signing_key;     // raw
  std::string amz_date;        // the request's X-Amz-Date
  std::string scope;           // "date/region/service/aws4_request"
  std::string seed_signature;  // the request's signature, hex
};

// "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous>\n<hex sha256("")>\n<chunk_sha256_hex>"
std::string chunk_string_to_sign(std::string_view amz_date, std::string_view scope,
                                 std::string_view previous_signature,
                                 std::string_view chunk_sha256_hex);

// "AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n<previous>\n<hex sha256(canonical_trailers)>"
std::string trailer_string_to_sign(std::string_view amz_date, std::string_view scope,
                                   std::string_view previous_signature,
                                   std::string_view canonical_trailers);

// "name:value\n" per trailing field, names lower-cased, values trimmed, in the order sent.
std::string canonical_trailers(std::span<const std::pair<std::string, std::string>> fields);

// Walks the signature chain of one body. Feed it each chunk's SHA-256 (hashed while streaming,
// so no chunk is ever held whole) in order, the final empty chunk included.
class ChunkSignatureChain {
 public:
  explicit ChunkSignatureChain(StreamingSigningContext context);

  // The signature the next chunk must carry; advances the chain.
  std::string next(std::string_view chunk_sha256_hex);
  // Compares in constant time; advances only on a match (a mismatch ends the request anyway).
  bool verify_next(std::string_view chunk_sha256_hex, std::string_view claimed_signature);

  // The trailer's signature, chained from the last chunk's; does not advance.
  std::string trailer(std::string_view canonical_trailer_fields) const;
  bool verify_trailer(std::string_view canonical_trailer_fields,
                      std::string_view claimed_signature) const;

  const std::string& previous_signature() const { return previous_; }

 private:
  StreamingSigningContext context_;
  std::string previous_;
};

}  // namespace s3gw::auth
