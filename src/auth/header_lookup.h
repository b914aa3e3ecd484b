#pragma once
// Read access to a request's header fields, whatever holds them (Beast's fields in the server,
// a plain list in tests and in the signer). Names match case-insensitively.
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace s3gw::auth {

class HeaderLookup {
 public:
  virtual ~HeaderLookup() = default;

  // Values of every field called `name`, in the order they arrived; empty when there is none.
  // SigV4 signs repeated fields joined with ',', so all of them are needed, not just the first.
  virtual std::vector<std::string_view> all(std::string_view name) const = 0;

  // Every field in arrival order (SigV2 signs all x-amz-* fields, whatever their names).
  virtual void for_each(
      const std::function<void(std::string_view name, std::string_view value)>& fn) const = 0;

  std::optional<std::string_view> first(std::string_view name) const {
    auto values = all(name);
    if (values.empty()) {
      return std::nullopt;
    }
    return values.front();
  }
};

}  // namespace s3gw::auth
