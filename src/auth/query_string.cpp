#include "auth/query_string.h"

#include "s3/uri_encode.h"

namespace s3gw::auth {

std::vector<QueryParam> split_query(std::string_view raw_query) {
  std::vector<QueryParam> out;
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    std::size_t amp = raw_query.find('&', start);
    if (amp == std::string_view::npos) {
      amp = raw_query.size();
    }
    const std::string_view part = raw_query.substr(start, amp - start);
    if (!part.empty()) {
      QueryParam p;
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        p.raw_key = part;
      } else {
        p.raw_key = part.substr(0, eq);
        p.raw_value = part.substr(eq + 1);
        p.has_equals = true;
      }
      out.push_back(p);
    }
    start = amp + 1;
  }
  return out;
}

std::optional<std::string> decode_query_component(std::string_view raw) {
  return s3::uri_decode(raw, /*plus_as_space=*/true);
}

std::vector<std::string> find_query_values(const std::vector<QueryParam>& params,
                                           std::string_view key) {
  std::vector<std::string> out;
  for (const auto& p : params) {
    // Cheap pre-filter: an encoded key is never shorter than its decoded form.
    if (p.raw_key.size() < key.size()) {
      continue;
    }
    auto k = decode_query_component(p.raw_key);
    if (!k || *k != key) {
      continue;
    }
    auto v = decode_query_component(p.raw_value);
    out.push_back(v ? std::move(*v) : std::string(p.raw_value));
  }
  return out;
}

}  // namespace s3gw::auth
