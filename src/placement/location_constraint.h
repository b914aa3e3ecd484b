#pragma once
// A bucket's LocationConstraint: a comma-separated list of countries ("fi"), regions ("fi-hel")
// and zones ("fi-hel-st-1"), most wanted first. Blanks around items are ignored and input is
// case-insensitive ("FI, de-Fra" reads as "fi,de-fra"). Refused: an empty item ("fi,,de",
// "fi,"), an item of no known shape, a country code ISO 3166 does not assign, the same item
// twice (after normalization: "fi,FI"; refused rather than ignored, because a list that says
// something twice usually meant something else). Overlapping items ("fi,fi-hel") are fine.
// Whether the locations exist is placement's question, not the parser's.
#include <string>
#include <string_view>
#include <vector>

#include "placement/placement_result.h"

namespace s3gw::placement {

enum class LocationKind { kCountry, kRegion, kZone };

std::string_view to_string(LocationKind kind);  // "country", "region", "zone"

struct LocationItem {
  LocationKind kind = LocationKind::kCountry;
  std::string id;       // normalized: "fi", "fi-hel", "fi-hel-st-1"
  std::string country;  // "fi"
};

class LocationConstraint {
 public:
  static constexpr std::size_t kMaxLength = 1024;
  static constexpr std::size_t kMaxItems = 32;

  LocationConstraint() = default;  // the empty constraint: the home region's default

  // Errors are kInvalidLocationConstraint with the offending item.
  static PlacementResult<LocationConstraint> parse(std::string_view text);

  const std::vector<LocationItem>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  // The countries the items name, in order of first appearance.
  std::vector<std::string> countries() const;
  // The normalized text, "fi,de-fra"; "" when empty.
  std::string to_string() const;

 private:
  std::vector<LocationItem> items_;
};

}  // namespace s3gw::placement
