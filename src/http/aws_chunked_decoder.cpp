#include "http/aws_chunked_decoder.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "util/strings.h"

namespace s3gw::http {
namespace {

constexpr std::string_view kSignatureExtension = ";chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";
constexpr std::size_t kSignatureLength = 64;

AwsChunkedStatus error(AwsChunkedErrc code, std::string message) {
  return AwsChunkedStatus{code, std::move(message), 0, 0};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// SigV4 signatures are lowercase hex; accepting upper case would let two spellings of one
// signature through and the later comparison would have to normalise.
bool is_signature(std::string_view s) {
  return s.size() == kSignatureLength && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// RFC 9110 token characters: what a field name may contain.
bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Visible ASCII, obs-text and HTAB/SP: anything but control characters.
bool is_field_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

}  // namespace

std::string_view recommended_s3_error(AwsChunkedErrc code) {
  switch (code) {
    case AwsChunkedErrc::kOk:
    case AwsChunkedErrc::kAborted:
      return {};
    case AwsChunkedErrc::kChunkTooLarge:
      return "EntityTooLarge";
    case AwsChunkedErrc::kChunkTooSmall:
      return "InvalidChunkSizeError";
    case AwsChunkedErrc::kBadTrailer:
    case AwsChunkedErrc::kTrailerTooLarge:
    case AwsChunkedErrc::kUnexpectedTrailer:
      return "MalformedTrailerError";
    case AwsChunkedErrc::kBadChunkHeader:
    case AwsChunkedErrc::kBadChunkSignature:
    case AwsChunkedErrc::kLineTooLong:
    case AwsChunkedErrc::kMissingDataCrlf:
    case AwsChunkedErrc::kLengthMismatch:
    case AwsChunkedErrc::kDataAfterEnd:
    case AwsChunkedErrc::kTruncated:
      return "IncompleteBody";
  }
  return "IncompleteBody";
}

std::optional<AwsChunkedOptions> aws_chunked_options_for(std::string_view x_amz_content_sha256) {
  AwsChunkedOptions options;
  if (x_amz_content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") {
    options.signed_chunks = true;
    options.expect_trailers = false;
  } else if (x_amz_content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    options.signed_chunks = true;
    options.expect_trailers = true;
  } else if (x_amz_content_sha256 == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") {
    options.signed_chunks = false;
    options.expect_trailers = true;
  } else {
    return std::nullopt;
  }
  return options;
}

bool AwsChunkedObserver::on_chunk_begin(std::uint64_t /*size*/, std::string_view /*signature*/) {
  return true;
}
bool AwsChunkedObserver::on_chunk_end() {
  return true;
}
bool AwsChunkedObserver::on_body_end(std::span<const AwsChunkedTrailer> /*trailers*/) {
  return true;
}

AwsChunkedDecoder::AwsChunkedDecoder(AwsChunkedOptions options, AwsChunkedObserver& observer)
    : options_(options), observer_(observer) {}

const AwsChunkedTrailer* AwsChunkedDecoder::find_trailer(std::string_view name) const {
  for (const auto& trailer : trailers_) {
    if (trailer.name == name) return &trailer;
  }
  return nullptr;
}

AwsChunkedStatus AwsChunkedDecoder::fail(AwsChunkedStatus status) {
  state_ = State::kFailed;
  error_ = std::move(status);
  line_.clear();
  line_.shrink_to_fit();
  return error_;
}

AwsChunkedStatus AwsChunkedDecoder::feed(std::span<const char> in) {
  const char* p = in.data();
  const char* const end = p + in.size();
  while (p < end) {
    switch (state_) {
      case State::kChunkHeader:
      case State::kTrailer: {
        const bool trailer = state_ == State::kTrailer;
        const auto* lf =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        const char* const stop = lf != nullptr ? lf + 1 : end;
        const auto take = static_cast<std::size_t>(stop - p);
        if (trailer) {
          if (trailer_bytes_ + take > options_.max_trailer_bytes) {
            return fail(error(AwsChunkedErrc::kTrailerTooLarge, "trailer section too large"));
          }
          trailer_bytes_ += take;
        } else if (line_.size() + take > options_.max_line_length) {
          return fail(error(AwsChunkedErrc::kLineTooLong, "chunk header line too long"));
        }
        line_.append(p, take);
        p = stop;
        if (lf == nullptr) break;
        std::string_view line(line_);
        line.remove_suffix(1);  // LF
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        AwsChunkedStatus status = trailer ? on_trailer_line(line) : on_header_line(line);
        line_.clear();
        if (!status.ok()) return fail(std::move(status));
        break;
      }
      case State::kChunkData: {
        const auto n = static_cast<std::size_t>(
            std::min<std::uint64_t>(chunk_remaining_, static_cast<std::uint64_t>(end - p)));
        if (!observer_.on_chunk_data(std::span(p, n))) {
          return fail(error(AwsChunkedErrc::kAborted, "chunk data rejected"));
        }
        p += n;
        chunk_remaining_ -= n;
        decoded_bytes_ += n;
        if (chunk_remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
      case State::kDataLf: {
        const bool cr = state_ == State::kDataCr;
        if (*p != (cr ? '\r' : '\n')) {
          AwsChunkedStatus status =
              error(AwsChunkedErrc::kMissingDataCrlf,
                    "chunk data not followed by CRLF (longer than declared?)");
          status.chunk_index = chunk_count_;
          return fail(std::move(status));
        }
        ++p;
        if (cr) {
          state_ = State::kDataLf;
        } else {
          if (!observer_.on_chunk_end()) {
            return fail(error(AwsChunkedErrc::kAborted, "chunk rejected"));
          }
          state_ = State::kChunkHeader;
        }
        break;
      }
      case State::kDone:
        return fail(
            error(AwsChunkedErrc::kDataAfterEnd, "data after the end of the aws-chunked body"));
      case State::kFailed:
        return error_;
    }
  }
  return state_ == State::kFailed ? error_ : AwsChunkedStatus{};
}

AwsChunkedStatus AwsChunkedDecoder::on_header_line(std::string_view line) {
  // Chunk size: hex digits, leading zeros allowed; bounded before it can overflow.
  std::uint64_t size = 0;
  std::size_t i = 0;
  const std::uint64_t limit =
      std::min(options_.max_chunk_size, std::numeric_limits<std::uint64_t>::max() >> 4);
  for (; i < line.size(); ++i) {
    const int digit = hex_digit(line[i]);
    if (digit < 0) break;
    size = size * 16 + static_cast<std::uint64_t>(digit);
    if (size > limit) {
      AwsChunkedStatus status = error(AwsChunkedErrc::kChunkTooLarge, "chunk size too large");
      status.chunk_index = chunk_count_ + 1;
      return status;
    }
  }
  const std::string_view rest = line.substr(i);
  if (i == 0 || (!rest.empty() && rest.front() != ';')) {
    return error(AwsChunkedErrc::kBadChunkHeader, "chunk size is not hexadecimal");
  }

  std::string_view signature;
  if (options_.signed_chunks) {
    if (!rest.starts_with(kSignatureExtension)) {
      return error(AwsChunkedErrc::kBadChunkSignature, "chunk-signature missing");
    }
    signature = rest.substr(kSignatureExtension.size());
    if (!is_signature(signature)) {
      return error(AwsChunkedErrc::kBadChunkSignature,
                   "chunk-signature is not 64 lowercase hex digits");
    }
  } else if (!rest.empty()) {
    // Unsigned bodies carry no extensions, but RFC 9112 allows them: skip well-formed ones.
    if (!std::all_of(rest.begin(), rest.end(), is_field_char)) {
      return error(AwsChunkedErrc::kBadChunkHeader, "malformed chunk header");
    }
  }

  // Only now is it known that the previous data chunk was not the last one.
  if (size > 0 && last_data_chunk_size_ && *last_data_chunk_size_ < options_.min_chunk_size) {
    AwsChunkedStatus status = error(AwsChunkedErrc::kChunkTooSmall,
                                    "Only the last chunk is allowed to have a size less than " +
                                        std::to_string(options_.min_chunk_size) + " bytes");
    status.chunk_index = chunk_count_;
    status.chunk_size = *last_data_chunk_size_;
    return status;
  }
  if (options_.decoded_length) {
    const std::uint64_t expected = *options_.decoded_length;
    if (size > expected - decoded_bytes_) {
      AwsChunkedStatus status =
          error(AwsChunkedErrc::kLengthMismatch, "body longer than x-amz-decoded-content-length");
      status.chunk_index = chunk_count_ + 1;
      status.chunk_size = size;
      return status;
    }
    if (size == 0 && decoded_bytes_ != expected) {
      return error(AwsChunkedErrc::kLengthMismatch,
                   "body shorter than x-amz-decoded-content-length");
    }
  }

  ++chunk_count_;
  if (!observer_.on_chunk_begin(size, signature)) {
    return error(AwsChunkedErrc::kAborted, "chunk rejected");
  }
  if (size == 0) {
    if (!observer_.on_chunk_end()) return error(AwsChunkedErrc::kAborted, "chunk rejected");
    state_ = State::kTrailer;
  } else {
    last_data_chunk_size_ = size;
    chunk_remaining_ = size;
    state_ = State::kChunkData;
  }
  return {};
}

AwsChunkedStatus AwsChunkedDecoder::on_trailer_line(std::string_view line) {
  if (line.empty()) {
    if (trailers_.empty() && options_.expect_trailers && !blank_before_trailers_) {
      // Either the end of a body without trailers or the stray blank line before them; more bytes
      // or finish() tell which.
      blank_before_trailers_ = true;
      return {};
    }
    return complete();
  }
  if (!options_.expect_trailers) {
    return error(AwsChunkedErrc::kUnexpectedTrailer, "trailer sent but none declared");
  }
  if (trailers_.size() >= options_.max_trailers) {
    return error(AwsChunkedErrc::kTrailerTooLarge, "too many trailers");
  }
  const std::size_t colon = line.find(':');
  // S3 accepts whitespace on either side of the colon, which RFC 9112 would not.
  const std::string_view raw_name =
      colon == std::string_view::npos ? std::string_view() : util::trim_ows(line.substr(0, colon));
  if (raw_name.empty() || !std::all_of(raw_name.begin(), raw_name.end(), is_tchar)) {
    return error(AwsChunkedErrc::kBadTrailer, "malformed trailer line");
  }
  const std::string_view value = util::trim_ows(line.substr(colon + 1));
  if (!std::all_of(value.begin(), value.end(), is_field_char)) {
    return error(AwsChunkedErrc::kBadTrailer, "control character in trailer value");
  }
  std::string name = util::ascii_lower(raw_name);
  if (find_trailer(name) != nullptr) {
    return error(AwsChunkedErrc::kBadTrailer, "duplicate trailer " + name);
  }
  if (name == kTrailerSignature && options_.signed_chunks && !is_signature(value)) {
    return error(AwsChunkedErrc::kBadTrailer,
                 "x-amz-trailer-signature is not 64 lowercase hex digits");
  }
  trailers_.push_back(AwsChunkedTrailer{std::move(name), std::string(value)});
  return {};
}

AwsChunkedStatus AwsChunkedDecoder::complete() {
  // A signed body's trailers are only trustworthy with their signature; with no trailers at all
  // the caller's check of the declared x-amz-trailer names reports what is missing.
  if (options_.signed_chunks && !trailers_.empty() && find_trailer(kTrailerSignature) == nullptr) {
    return error(AwsChunkedErrc::kBadTrailer, "x-amz-trailer-signature missing");
  }
  line_.clear();
  line_.shrink_to_fit();
  state_ = State::kDone;
  if (!observer_.on_body_end(trailers_)) {
    return error(AwsChunkedErrc::kAborted, "body rejected");
  }
  return {};
}

AwsChunkedStatus AwsChunkedDecoder::finish() {
  switch (state_) {
    case State::kDone:
    case State::kFailed:
      return error_;
    case State::kTrailer:
      // At a line boundary only the optional closing empty line is missing.
      if (line_.empty()) {
        AwsChunkedStatus status = complete();
        return status.ok() ? status : fail(std::move(status));
      }
      return fail(error(AwsChunkedErrc::kTruncated, "body ended inside a trailer line"));
    case State::kChunkHeader:
      return fail(error(AwsChunkedErrc::kTruncated, line_.empty()
                                                        ? "body ended before the final chunk"
                                                        : "body ended inside a chunk header"));
    case State::kChunkData: {
      AwsChunkedStatus status =
          error(AwsChunkedErrc::kTruncated, "body ended " + std::to_string(chunk_remaining_) +
                                                " bytes short of the chunk's end");
      status.chunk_index = chunk_count_;
      return fail(std::move(status));
    }
    case State::kDataCr:
    case State::kDataLf:
      return fail(error(AwsChunkedErrc::kTruncated, "body ended before the CRLF after chunk data"));
  }
  return error_;
}

}  // namespace s3gw::http
