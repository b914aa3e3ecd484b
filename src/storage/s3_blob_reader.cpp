#include "storage/s3_blob_reader.h"

#include <algorithm>

namespace s3gw::storage {

awaitable<std::size_t> S3BlobReader::read(boost::asio::mutable_buffer buf,
                                          boost::system::error_code& ec) {
  ec = {};
  if (left_ == 0 || buf.size() == 0) {
    // Past the range (a provider that ignored Range sends more): the connection is dropped,
    // not reused, when the response goes.
    response_.reset();
    co_return 0;
  }
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), left_));
  const std::size_t n = co_await response_->read(boost::asio::buffer(buf.data(), want), ec);
  if (ec) co_return 0;
  if (n == 0) {
    ec = boost::system::errc::make_error_code(boost::system::errc::io_error);
    co_return 0;
  }
  left_ -= n;
  if (left_ == 0) {
    // A Content-Length body is complete with its last byte, so its keep-alive connection is
    // back in the pool already; anything else (trailing chunk framing) is simply closed.
    response_.reset();
  }
  co_return n;
}

}  // namespace s3gw::storage
