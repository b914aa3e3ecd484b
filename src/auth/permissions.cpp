#include "auth/permissions.h"

#include <boost/json.hpp>

#include "util/strings.h"

namespace s3gw::auth {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxActions = 100;
constexpr std::size_t kMaxActionLength = 64;
constexpr std::size_t kMaxPatterns = 1000;
// A bucket name (63), a slash and a whole key (1024).
constexpr std::size_t kMaxPatternLength = 1088;

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool valid_action(std::string_view action) {
  if (!action.starts_with("s3:") || action.size() <= 3 || action.size() > kMaxActionLength) {
    return false;
  }
  for (char c : action.substr(3)) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '*')) return false;
  }
  return true;
}

// "a**b" matches what "a*b" matches; one star keeps the glob's backtracking short.
std::string collapse_stars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '*' || out.empty() || out.back() != '*') out.push_back(c);
  }
  return out;
}

// The greedy two-pointer glob: on a mismatch, resume after the last `*`, which now swallows
// one more character. Earlier stars never need revisiting, so the cost is O(|pat| * |text|)
// at worst instead of exponential. `fold` lowercases the text (the pattern is lowercase).
bool glob(std::string_view pat, std::string_view text, bool fold) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      resume = t;
      continue;
    }
    const char c = fold ? util::ascii_lower(text[t]) : text[t];
    if (p < pat.size() && pat[p] == c) {
      ++p;
      ++t;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

}  // namespace

std::variant<Permissions, std::string> Permissions::parse(std::string_view json_text) {
  boost::system::error_code ec;
  const json::value v = json::parse(json_text, ec);
  if (ec) return std::string("permissions are not valid JSON");
  // The messages below are the admin API's answers: keep them stable.
  if (!v.is_object()) return std::string("permissions must be a JSON object");
  const auto& o = v.as_object();
  if (o.size() > kMaxActions) return std::string("permissions may name at most 100 actions");

  Permissions out;
  for (const auto& [key, patterns] : o) {
    const std::string_view action = key;
    if (!valid_action(action)) {
      return std::string("permission keys must be actions such as \"s3:GetObject\" or \"s3:*\"");
    }
    if (!patterns.is_array()) return "the patterns of " + std::string(action) + " must be an array";
    const auto& a = patterns.as_array();
    if (a.size() > kMaxPatterns) return std::string("at most 1000 patterns per action");

    Grant grant{util::ascii_lower(collapse_stars(action)), {}};
    grant.resources.reserve(a.size());
    for (const auto& p : a) {
      if (!p.is_string() || p.as_string().empty() || p.as_string().size() > kMaxPatternLength ||
          !printable(p.as_string())) {
        return "the patterns of " + std::string(action) + " must be non-empty strings";
      }
      const std::string pattern = collapse_stars(p.as_string());
      const auto slash = pattern.find('/');
      Resource r;
      r.bucket = pattern.substr(0, slash);
      if (slash != std::string::npos) {
        r.has_key = true;
        r.key = pattern.substr(slash + 1);
        r.key_is_prefix = !r.key.empty() && r.key.find('*') == r.key.size() - 1;
      }
      grant.resources.push_back(std::move(r));
    }
    // An action without patterns grants nothing; dropping it keeps empty() honest.
    if (!grant.resources.empty()) out.grants_.push_back(std::move(grant));
  }
  return out;
}

template <typename Pred>
bool Permissions::any_resource(std::string_view action, Pred pred) const {
  for (const auto& g : grants_) {
    if (!glob(g.action, action, true)) continue;
    for (const auto& r : g.resources) {
      if (pred(r)) return true;
    }
  }
  return false;
}

bool Permissions::allows(std::string_view action, std::string_view bucket) const {
  return any_resource(action, [&](const Resource& r) {
    return glob(r.bucket, bucket, false) && (!r.has_key || r.key == "*");
  });
}

bool Permissions::allows(std::string_view action, std::string_view bucket,
                         std::string_view key) const {
  return any_resource(action, [&](const Resource& r) {
    return glob(r.bucket, bucket, false) && (!r.has_key || glob(r.key, key, false));
  });
}

bool Permissions::allows_some(std::string_view action, std::string_view bucket) const {
  return any_resource(action, [&](const Resource& r) { return glob(r.bucket, bucket, false); });
}

bool Permissions::allows_prefix(std::string_view action, std::string_view bucket,
                                std::string_view prefix) const {
  return any_resource(action, [&](const Resource& r) {
    if (!glob(r.bucket, bucket, false)) return false;
    if (!r.has_key) return true;
    if (!r.key_is_prefix) return false;
    const std::string_view literal = std::string_view(r.key).substr(0, r.key.size() - 1);
    return prefix.starts_with(literal);
  });
}

}  // namespace s3gw::auth
