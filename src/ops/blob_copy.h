#pragma once
// Streams bytes from one blob (a BodySource from Provider::open_blob, in any zone) into a blob
// or part writer (in any zone), hashing them on the way: what CopyObject and UploadPartCopy do
// with the data. Memory stays bounded (two buffers of io_buffer bytes, whatever the size), and
// reading the next buffer overlaps writing the last.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "http/body.h"
#include "ops/context.h"
#include "storage/provider.h"
#include "util/checksum.h"

namespace s3gw::ops {

struct CopiedBytes {
  std::uint64_t bytes = 0;
  std::string md5;                     // raw
  std::vector<std::string> checksums;  // raw digests, one per algorithm asked for, in order
};

// Copies exactly `length` bytes. Throws StorageError(kIo) when the source ends early or fails
// (and whatever the writer throws); the writer is then aborted. On success it is left
// uncommitted.
boost::asio::awaitable<CopiedBytes> copy_blob_bytes(
    const OpContext& ctx, http::BodySource& source, std::uint64_t length,
    storage::BlobWriter& writer, const std::vector<util::ChecksumAlgorithm>& algorithms);

}  // namespace s3gw::ops
