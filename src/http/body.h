#pragma once
// Streaming body interfaces: a request body is read in pieces, a response body is produced in
// pieces, so no object is ever held whole in memory (DESIGN.md invariant 3).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>

namespace s3gw::http {

using boost::asio::awaitable;

// What read_some reports for a chunked body that ends with trailer fields. They would join the
// request's header fields after authentication has looked at them (a chunked body's trailer
// could add x-amz-bypass-governance-retention to a signed request), so no request may carry
// any; S3's own trailers travel inside aws-chunked bodies, not as HTTP trailers.
inline boost::system::error_code trailer_fields_refused() {
  return make_error_code(boost::system::errc::not_supported);
}

class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Reads up to buf.size() bytes; 0 means the body has ended (or ec is set: a socket error, a
  // timeout, trailer_fields_refused()).
  virtual awaitable<std::size_t> read_some(boost::asio::mutable_buffer buf,
                                           boost::system::error_code& ec) = 0;
  // True once the whole body has been consumed, so the connection may be reused.
  virtual bool complete() const = 0;
  // The Content-Length the client declared, if any (none for chunked bodies).
  virtual std::optional<std::uint64_t> declared_length() const = 0;
};

class BodySource {
 public:
  virtual ~BodySource() = default;
  // Produces up to buf.size() bytes; 0 means the source is exhausted.
  virtual awaitable<std::size_t> read(boost::asio::mutable_buffer buf,
                                      boost::system::error_code& ec) = 0;
};

}  // namespace s3gw::http
