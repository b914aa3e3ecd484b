#pragma once
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "http/body.h"

namespace s3gw::http {

// A response: status and headers, then either a small in-memory body or a streamed one.
struct Response {
  unsigned status = 200;
  boost::beast::http::fields headers;
  std::string body;                    // used when stream is null
  std::unique_ptr<BodySource> stream;  // streamed body of exactly stream_length bytes
  std::uint64_t stream_length = 0;
  // HEAD: send the headers (Content-Length included) and no body.
  bool head_only = false;
  // Close the connection after this response (e.g. a request body was left unread).
  bool close = false;

  static Response text(unsigned status, std::string body, std::string_view content_type);
};

}  // namespace s3gw::http
