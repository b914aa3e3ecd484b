#pragma once
// auth's view of a request's header fields, over Beast's fields (which keep repeats and order).
#include <boost/beast/http/fields.hpp>

#include "auth/header_lookup.h"
#include "util/strings.h"

namespace s3gw::ops {

class BeastHeaderLookup final : public auth::HeaderLookup {
 public:
  explicit BeastHeaderLookup(const boost::beast::http::fields& fields) : fields_(fields) {}

  std::vector<std::string_view> all(std::string_view name) const override {
    std::vector<std::string_view> out;
    auto [first, last] = fields_.equal_range(name);
    for (auto it = first; it != last; ++it) out.push_back(it->value());
    return out;
  }

  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override {
    for (const auto& f : fields_) fn(f.name_string(), f.value());
  }

 private:
  const boost::beast::http::fields& fields_;
};

}  // namespace s3gw::ops
