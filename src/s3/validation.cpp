#include "s3/validation.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace s3gw::s3 {
namespace {

constexpr std::size_t kMinBucketName = 3;
constexpr std::size_t kMaxBucketName = 63;
constexpr std::size_t kMaxKeyBytes = 1024;
constexpr std::size_t kMaxCustomerId = 64;

constexpr std::array kReservedBucketPrefixes = {
    std::string_view("xn--"), std::string_view("sthree-"), std::string_view("amzn-s3-demo-")};
// AWS reserves these for access point aliases, Object Lambda, Multi-Region Access Points,
// directory buckets and table buckets; a bucket so named would be mistaken for one of them.
constexpr std::array kReservedBucketSuffixes = {
    std::string_view("-s3alias"), std::string_view("--ol-s3"), std::string_view(".mrap"),
    std::string_view("--x-s3"), std::string_view("--table-s3")};

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "Formatted as an IP address": four dot-separated groups of 1-3 digits. Out-of-range
// octets (999.1.1.1) still look like an address to resolvers and users, so they count too.
bool looks_like_ipv4(std::string_view name) {
  int groups = 0;
  std::size_t digits = 0;
  for (char c : name) {
    if (is_digit(c)) {
      if (++digits > 3) return false;
    } else if (c == '.') {
      if (digits == 0) return false;
      ++groups;
      digits = 0;
    } else {
      return false;
    }
  }
  return digits > 0 && groups == 3;
}

}  // namespace

Validation validate_bucket_name(std::string_view name) {
  const auto bad = [](std::string why) {
    return Validation::invalid(ErrorCode::kInvalidBucketName, std::move(why));
  };
  if (name.size() < kMinBucketName || name.size() > kMaxBucketName) {
    return bad("bucket name must be between 3 and 63 characters long");
  }
  for (char c : name) {
    if (!is_lower_alnum(c) && c != '-' && c != '.') {
      return bad(
          "bucket name can contain only lowercase letters, digits, hyphens (-) and dots (.)");
    }
  }
  if (!is_lower_alnum(name.front()) || !is_lower_alnum(name.back())) {
    return bad("bucket name must begin and end with a lowercase letter or a digit");
  }
  if (name.find("..") != std::string_view::npos) {
    return bad("bucket name must not contain two adjacent dots");
  }
  if (looks_like_ipv4(name)) {
    return bad("bucket name must not be formatted as an IP address");
  }
  for (std::string_view prefix : kReservedBucketPrefixes) {
    if (name.starts_with(prefix)) {
      return bad("bucket name must not start with the reserved prefix '" + std::string(prefix) +
                 "'");
    }
  }
  for (std::string_view suffix : kReservedBucketSuffixes) {
    if (name.ends_with(suffix)) {
      return bad("bucket name must not end with the reserved suffix '" + std::string(suffix) + "'");
    }
  }
  return Validation::valid();
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<std::uint8_t>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    // Lead byte -> sequence length and the range the second byte may take (RFC 3629 table),
    // which excludes overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
    // code points above U+10FFFF (F4 90..BF, F5..FF).
    std::size_t len = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 == 0xE0) {
      len = 3;
      lo = 0xA0;
    } else if (b0 == 0xED) {
      len = 3;
      hi = 0x9F;
    } else if (b0 >= 0xE1 && b0 <= 0xEF) {
      len = 3;
    } else if (b0 == 0xF0) {
      len = 4;
      lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      len = 4;
    } else if (b0 == 0xF4) {
      len = 4;
      hi = 0x8F;
    } else {
      return false;  // continuation byte, C0/C1 (overlong ASCII) or F5..FF
    }
    if (n - i < len) return false;
    const auto b1 = static_cast<std::uint8_t>(text[i + 1]);
    if (b1 < lo || b1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto b = static_cast<std::uint8_t>(text[i + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

Validation validate_object_key(std::string_view key) {
  if (key.empty()) {
    return Validation::invalid(ErrorCode::kInvalidArgument, "object key must not be empty");
  }
  if (key.size() > kMaxKeyBytes) {
    return Validation::invalid(ErrorCode::kKeyTooLongError,
                               "object key must be at most 1024 bytes long");
  }
  if (key.find('\0') != std::string_view::npos) {
    return Validation::invalid(ErrorCode::kInvalidArgument,
                               "object key must not contain a NUL character");
  }
  if (!is_valid_utf8(key)) {
    return Validation::invalid(ErrorCode::kInvalidArgument, "object key must be valid UTF-8");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment == "." || segment == "..") {
      return Validation::invalid(
          ErrorCode::kInvalidArgument,
          "object key must not contain '.' or '..' as a path segment: clients that normalize "
          "paths would not reach the object");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return Validation::valid();
}

Validation validate_customer_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxCustomerId) {
    return Validation::invalid(ErrorCode::kInvalidArgument,
                               "customer id must be between 1 and 64 characters long");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) {
      return Validation::invalid(
          ErrorCode::kInvalidArgument,
          "customer id can contain only letters, digits, underscores, dots and hyphens");
    }
  }
  return Validation::valid();
}

}  // namespace s3gw::s3
