#include "util/random.h"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "util/encoding.h"

namespace s3gw::util {

std::string random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return hex_encode(buf);
}

}  // namespace s3gw::util
