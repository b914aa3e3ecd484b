#pragma once
// A HeaderLookup that owns its fields: requests the signer builds, and tests.
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/header_lookup.h"

namespace s3gw::auth {

class HeaderList final : public HeaderLookup {
 public:
  using Field = std::pair<std::string, std::string>;

  HeaderList() = default;
  HeaderList(std::initializer_list<Field> fields) : fields_(fields) {}

  std::vector<std::string_view> all(std::string_view name) const override;
  void for_each(const std::function<void(std::string_view, std::string_view)>& fn) const override;

  // Appends a field, keeping any earlier ones of the same name.
  void add(std::string name, std::string value);
  // Replaces every field called `name` with one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);
  bool contains(std::string_view name) const;

  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

// ASCII case-insensitive equality, for header names.
bool iequals(std::string_view a, std::string_view b);

}  // namespace s3gw::auth
