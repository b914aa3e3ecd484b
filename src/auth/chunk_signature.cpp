#include "auth/chunk_signature.h"

#include "auth/sigv4.h"
#include "util/crypto.h"
#include "util/encoding.h"
#include "util/strings.h"

namespace s3gw::auth {
std::string chunk_string_to_sign(std::string_view amz_date, std::string_view scope,
                                 std::string_view previous_signature,
                                 std::string_view chunk_sha256_hex) {
  // kEmptySha256: the hash of the (absent) chunk headers.
  return join_lines(
      {kChunkAlgorithm, amz_date, scope, previous_signature, kEmptySha256, chunk_sha256_hex});
}

std::string trailer_string_to_sign(std::string_view amz_date, std::string_view scope,
                                   std::string_view previous_signature,
                                   std::string_view canonical_trailer_fields) {
  return join_lines({kTrailerAlgorithm, amz_date, scope, previous_signature,
                     util::hex_encode(util::sha256(canonical_trailer_fields))});
}

std::string canonical_trailers(std::span<const std::pair<std::string, std::string>> fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    out += util::ascii_lower(name);
    out += ':';
    out += util::trim_ows(value);
    out += '\n';
  }
  return out;
}

ChunkSignatureChain::ChunkSignatureChain(StreamingSigningContext context)
    : context_(std::move(context)), previous_(context_.seed_signature) {}

std::string ChunkSignatureChain::next(std::string_view chunk_sha256_hex) {
  previous_ = compute_signature(
      context_.signing_key,
      chunk_string_to_sign(context_.amz_date, context_.scope, previous_, chunk_sha256_hex));
  return previous_;
}

bool ChunkSignatureChain::verify_next(std::string_view chunk_sha256_hex,
                                      std::string_view claimed_signature) {
  std::string expected = compute_signature(
      context_.signing_key,
      chunk_string_to_sign(context_.amz_date, context_.scope, previous_, chunk_sha256_hex));
  if (!util::constant_time_equal(expected, claimed_signature)) {
    return false;
  }
  previous_ = std::move(expected);
  return true;
}

std::string ChunkSignatureChain::trailer(std::string_view canonical_trailer_fields) const {
  return compute_signature(context_.signing_key,
                           trailer_string_to_sign(context_.amz_date, context_.scope, previous_,
                                                  canonical_trailer_fields));
}

bool ChunkSignatureChain::verify_trailer(std::string_view canonical_trailer_fields,
                                         std::string_view claimed_signature) const {
  return util::constant_time_equal(trailer(canonical_trailer_fields), claimed_signature);
}

}  // namespace s3gw::auth
