#pragma once
// A value or the PlacementError saying why there is none (std::expected is C++23; this is the
// part of it we need, as auth::AuthResult).
#include <utility>
#include <variant>

#include "placement/placement_error.h"

namespace s3gw::placement {

template <class T>
class PlacementResult {
 public:
  PlacementResult(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  PlacementResult(PlacementError error)               // NOLINT(google-explicit-constructor)
      : v_(std::move(error)) {}
  PlacementResult(PlacementErrc code, std::string message, std::string item = {})
      : v_(PlacementError(code, std::move(message), std::move(item))) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const PlacementError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, PlacementError> v_;
};

}  // namespace s3gw::placement
