#include "auth/header_list.h"

#include <algorithm>

#include "util/strings.h"

namespace s3gw::auth {

bool iequals(std::string_view a, std::string_view b) {
  return util::iequals_ascii(a, b);
}

std::vector<std::string_view> HeaderList::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) {
      out.emplace_back(v);
    }
  }
  return out;
}

void HeaderList::for_each(const std::function<void(std::string_view, std::string_view)>& fn) const {
  for (const auto& [n, v] : fields_) {
    fn(n, v);
  }
}

void HeaderList::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HeaderList::set(std::string_view name, std::string value) {
  remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void HeaderList::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

bool HeaderList::contains(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const Field& f) { return iequals(f.first, name); });
}

}  // namespace s3gw::auth
