#pragma once
// The body of a ranged GET, handed out as it arrives: exactly `length` bytes, never the whole
// object in memory. A body that ends short is an io_error, never a silently shorter blob.
#include <memory>

#include "http/body.h"
#include "http/client_response.h"
#include "storage/provider.h"

namespace s3gw::storage {

class S3BlobReader final : public http::BodySource {
 public:
  S3BlobReader(std::unique_ptr<http::ClientResponse> response, std::uint64_t length)
      : response_(std::move(response)), left_(length) {}

  awaitable<std::size_t> read(boost::asio::mutable_buffer buf,
                              boost::system::error_code& ec) override;

 private:
  std::unique_ptr<http::ClientResponse> response_;  // null for an empty range
  std::uint64_t left_;
};

}  // namespace s3gw::storage
