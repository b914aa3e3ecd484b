#pragma once
// A gateway region ("fi-hel"). Regions come from the providers' country and city; a
// configuration file may also declare one to mark it strict: customers homed in a strict region
// may only place data in the region's country (plus countries an operator allows them).
#include <string>

namespace s3gw::placement {

struct Region {
  std::string id;  // "{country}-{city}"
  std::string country;
  std::string city;
  bool strict = false;
  std::string source;  // where it was declared; empty when implied by providers
};

}  // namespace s3gw::placement
