#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include "http/body.h"

namespace s3gw::http {

// Reads a small body (an XML request document) whole; nullopt when it exceeds `limit` bytes
// or reading fails (then `*error`, if given, says why). Only for bodies whose size S3 itself
// bounds.
awaitable<std::optional<std::string>> read_body_to_string(
    BodyReader& body, std::size_t limit, boost::system::error_code* error = nullptr);

}  // namespace s3gw::http
