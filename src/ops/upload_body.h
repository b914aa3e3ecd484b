#pragma once
// The body of an upload (PutObject, UploadPart): its framing (plain, or aws-chunked with chunk
// signatures and trailers), the integrity checks the client asked for (Content-MD5, a hex
// x-amz-content-sha256, one x-amz-checksum-* in a header or a trailer), and the streaming of
// the decoded bytes into a blob writer while hashing them. Memory stays bounded: two read
// buffers of io_buffer bytes, whatever the size.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "http/aws_chunked_decoder.h"
#include "ops/context.h"
#include "ops/s3_request.h"
#include "s3/error.h"
#include "storage/provider.h"
#include "util/checksum.h"

namespace s3gw::ops {

// The checksum a body is checked against: the algorithm, and the value the client sent in a
// header (or will send in a trailer). Without one, S3 computes CRC64NVME for every new object.
struct ChecksumPlan {
  util::ChecksumAlgorithm algorithm = util::ChecksumAlgorithm::kCRC64NVME;
  std::optional<std::string> expected;  // base64, from the header
  bool from_trailer = false;
  bool client_requested = false;  // echo it in the response
};

// What the request says about its body, checked before a byte of it is read.
struct UploadBody {
  std::optional<http::AwsChunkedOptions> chunked;  // aws-chunked framing
  bool verify_chunks = false;                      // chunk signatures chained from the request's
  std::optional<std::uint64_t> length;             // Content-Length, or the decoded length
  std::optional<std::string> expected_md5;         // raw, from Content-MD5
  std::optional<std::string> expected_sha256;      // lowercase hex, signed or sent
  ChecksumPlan checksum;
};

// The plan, or the S3 error for a request whose framing or integrity headers are unusable
// (MissingContentLength, EntityTooLarge past `max_size`, InvalidDigest, InvalidRequest, ...).
std::variant<UploadBody, s3::S3Error> plan_upload_body(const S3Request& req,
                                                       std::uint64_t max_size);

// The outcome of receive_body: the error (the writer then aborted) or what was received.
struct ReceivedBody {
  std::optional<s3::S3Error> error;
  bool close = false;  // the connection cannot be reused (the body was not read to its end)
  std::uint64_t bytes = 0;
  std::string md5;                            // raw
  std::string checksum;                       // base64, of plan.checksum.algorithm
  std::optional<std::string> extra_checksum;  // base64, of `extra` when asked for
};

// Streams the decoded body into `writer`, verifying chunk signatures, the length, Content-MD5,
// the payload hash and the checksum. The writer is left uncommitted on success and aborted on
// failure. `extra` computes one more checksum on the way (a multipart part's default CRC64NVME
// beside the one the client sent).
boost::asio::awaitable<ReceivedBody> receive_body(
    OpContext& ctx, S3Request& req, const UploadBody& plan, storage::BlobWriter& writer,
    std::uint64_t max_size, std::optional<util::ChecksumAlgorithm> extra = std::nullopt);

}  // namespace s3gw::ops
