#include "auth/canonical_request.h"

#include <algorithm>
#include <utility>

#include "auth/query_string.h"
#include "s3/uri_encode.h"
#include "util/strings.h"

namespace s3gw::auth {
namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_upper_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

bool is_canonical_segment(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_unreserved(s[i])) {
      continue;
    }
    if (s[i] == '%' && i + 2 < s.size() && is_upper_hex(s[i + 1]) && is_upper_hex(s[i + 2])) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

void append_segment(std::string& out, std::string_view segment) {
  if (is_canonical_segment(segment)) {
    out += segment;
    return;
  }
  // '/' inside a segment can only come from %2F, which must stay encoded: encode_slash = true.
  if (auto decoded = s3::uri_decode(segment, /*plus_as_space=*/false)) {
    out += s3::uri_encode(*decoded, true);
  } else {
    out += s3::uri_encode(segment, true);  // a stray '%' is data: it becomes %25
  }
}

std::string encode_component(std::string_view raw) {
  if (auto decoded = decode_query_component(raw)) {
    return s3::uri_encode(*decoded, true);
  }
  return s3::uri_encode(raw, true);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void append_trimmed_collapsed(std::string& out, std::string_view value) {
  bool pending_space = false;
  bool any = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) {
      out += ' ';
    }
    pending_space = false;
    any = true;
    out += c;
  }
}

}  // namespace

std::string canonical_uri(std::string_view raw_path) {
  if (raw_path.empty()) {
    return "/";
  }
  std::string out;
  out.reserve(raw_path.size() + 16);
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = raw_path.find('/', start);
    if (slash == std::string_view::npos) {
      append_segment(out, raw_path.substr(start));
      break;
    }
    append_segment(out, raw_path.substr(start, slash - start));
    out += '/';
    start = slash + 1;
  }
  return out;
}

std::string canonical_query_string(std::string_view raw_query, bool skip_signature) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& p : split_query(raw_query)) {
    if (skip_signature) {
      auto key = decode_query_component(p.raw_key);
      if (key && *key == "X-Amz-Signature") {
        continue;
      }
    }
    pairs.emplace_back(encode_component(p.raw_key), encode_component(p.raw_value));
  }
  // std::string compares bytes as unsigned char, which is the byte order SigV4 asks for.
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) {
      out += '&';
    }
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

std::string canonical_header_value(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    append_trimmed_collapsed(out, values[i]);
  }
  return out;
}

std::vector<std::string> normalize_signed_headers(std::span<const std::string> names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const auto& n : names) {
    out.push_back(util::ascii_lower(n));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string build_canonical_request(const CanonicalRequestInput& in) {
  const std::vector<std::string> names = normalize_signed_headers(in.signed_headers);
  std::string out;
  out.reserve(256 + in.raw_path.size() + in.raw_query.size());
  out += in.method;
  out += '\n';
  out += canonical_uri(in.raw_path);
  out += '\n';
  out += canonical_query_string(in.raw_query, in.presigned);
  out += '\n';
  for (const auto& name : names) {
    out += name;
    out += ':';
    out += canonical_header_value(in.headers.all(name));
    out += '\n';
  }
  out += '\n';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += ';';
    }
    out += names[i];
  }
  out += '\n';
  out += in.payload_hash;
  return out;
}

}  // namespace s3gw::auth
