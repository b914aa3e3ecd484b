#include "placement/location_constraint.h"

#include <algorithm>

#include "placement/location_names.h"
#include "util/strings.h"

namespace s3gw::placement {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Printable in messages: a constraint may carry anything.
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f) ? '?' : c;
  }
  if (s.size() > 64) out += "...";
  return out;
}

PlacementError refuse(std::string message, std::string item) {
  return PlacementError(PlacementErrc::kInvalidLocationConstraint, std::move(message), shown(item));
}

PlacementResult<LocationItem> classify(const std::string& item) {
  const std::size_t dashes = static_cast<std::size_t>(std::count(item.begin(), item.end(), '-'));
  const std::string country = item.substr(0, item.find('-'));
  const bool country_shaped =
      country.size() == 2 &&
      std::all_of(country.begin(), country.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (country_shaped && !is_country_code(country) && (dashes == 0 || dashes == 1 || dashes == 3)) {
    return refuse("location '" + shown(item) + "': '" + country +
                      "' is not an ISO 3166-1 alpha-2 country code",
                  item);
  }
  if (dashes == 0 && is_country_code(item)) {
    return LocationItem{LocationKind::kCountry, item, item};
  }
  if (dashes == 1 && parse_region_id(item)) {
    return LocationItem{LocationKind::kRegion, item, country};
  }
  if (dashes == 3 && parse_zone_id(item)) {
    return LocationItem{LocationKind::kZone, item, country};
  }
  return refuse("location '" + shown(item) +
                    "' is not a country (e.g. 'fi'), a region (e.g. 'fi-hel') or a zone "
                    "(e.g. 'fi-hel-st-1')",
                item);
}

}  // namespace

std::string_view to_string(LocationKind kind) {
  switch (kind) {
    case LocationKind::kCountry:
      return "country";
    case LocationKind::kRegion:
      return "region";
    case LocationKind::kZone:
      return "zone";
  }
  return "zone";
}

PlacementResult<LocationConstraint> LocationConstraint::parse(std::string_view text) {
  if (text.size() > kMaxLength) {
    return refuse("LocationConstraint is longer than 1024 characters", {});
  }
  LocationConstraint constraint;
  text = trim(text);
  if (text.empty()) return constraint;
  std::size_t start = 0;
  std::size_t position = 1;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view raw =
        trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (raw.empty()) {
      return refuse("LocationConstraint '" + shown(text) + "': item " + std::to_string(position) +
                        " is empty",
                    {});
    }
    if (constraint.items_.size() == kMaxItems) {
      return refuse("LocationConstraint lists more than 32 locations", {});
    }
    const std::string item = util::ascii_lower(raw);
    auto parsed = classify(item);
    if (!parsed) return parsed.error();
    const bool duplicate = std::any_of(constraint.items_.begin(), constraint.items_.end(),
                                       [&](const LocationItem& seen) { return seen.id == item; });
    if (duplicate) {
      return refuse("LocationConstraint lists '" + item + "' twice", item);
    }
    constraint.items_.push_back(std::move(parsed.value()));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
    ++position;
  }
  return constraint;
}

std::vector<std::string> LocationConstraint::countries() const {
  std::vector<std::string> out;
  for (const LocationItem& item : items_) {
    if (std::find(out.begin(), out.end(), item.country) == out.end()) out.push_back(item.country);
  }
  return out;
}

std::string LocationConstraint::to_string() const {
  std::string out;
  for (const LocationItem& item : items_) {
    if (!out.empty()) out += ',';
    out += item.id;
  }
  return out;
}

}  // namespace s3gw::placement
