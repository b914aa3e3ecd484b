#include "util/master_key.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/config.h"
#include "util/encoding.h"

namespace s3gw::util {

namespace {

std::string decode_key(std::string text, const std::string& source) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  const std::string_view trimmed = first == std::string::npos
                                       ? std::string_view()
                                       : std::string_view(text).substr(first, last - first + 1);
  std::optional<std::string> key;
  if (trimmed.size() == 64) key = hex_decode(trimmed);
  OPENSSL_cleanse(text.data(), text.size());
  if (!key) throw std::runtime_error(source + " must hold exactly 64 hex characters (32 bytes)");
  return *key;
}

std::string read_key_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("S3GW_MASTER_KEY_FILE " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw std::runtime_error("S3GW_MASTER_KEY_FILE " + path + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw std::runtime_error("S3GW_MASTER_KEY_FILE " + path +
                             " is accessible to group or others; chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("S3GW_MASTER_KEY_FILE " + path + ": cannot be read");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

std::optional<std::string> load_master_key(const std::optional<std::string>& key_hex,
                                           const std::optional<std::string>& key_file) {
  const bool have_hex = key_hex && !key_hex->empty();
  const bool have_file = key_file && !key_file->empty();
  if (have_hex && have_file) {
    throw std::runtime_error("set S3GW_MASTER_KEY or S3GW_MASTER_KEY_FILE, not both");
  }
  if (have_hex) return decode_key(*key_hex, "S3GW_MASTER_KEY");
  if (have_file) return decode_key(read_key_file(*key_file), "S3GW_MASTER_KEY_FILE " + *key_file);
  return std::nullopt;
}

std::optional<std::string> load_master_key_from_env() {
  return load_master_key(env("S3GW_MASTER_KEY"), env("S3GW_MASTER_KEY_FILE"));
}

}  // namespace s3gw::util
