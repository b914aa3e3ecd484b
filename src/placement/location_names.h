#pragma once
// The shapes of location names. Countries are ISO 3166-1 alpha-2 codes in lower case ("fi"),
// regions are "{country}-{city}" ("fi-hel"), zones "{country}-{city}-{provider}-{n}"
// ("fi-hel-st-1"). Cities and provider codes are [a-z0-9], at most 16 characters, so '-'
// always separates the parts and a name splits one way only.
#include <optional>
#include <string>
#include <string_view>

namespace s3gw::placement {

inline constexpr std::size_t kMaxNameToken = 16;

// An officially assigned ISO 3166-1 alpha-2 code, lower case ("fi", "de"; not "FI", "eu", "uk").
bool is_country_code(std::string_view code);

// [a-z0-9]{1,16}: a city or a provider code.
bool is_name_token(std::string_view token);

struct RegionName {
  std::string country;
  std::string city;
  std::string id() const { return country + "-" + city; }
};

struct ZoneName {
  std::string country;
  std::string city;
  std::string provider;
  unsigned number = 0;  // 1..999999, written without leading zeros
  std::string region() const { return country + "-" + city; }
};

// nullopt unless `id` has exactly the shape (and the country is a real code).
std::optional<RegionName> parse_region_id(std::string_view id);
std::optional<ZoneName> parse_zone_id(std::string_view id);

}  // namespace s3gw::placement
