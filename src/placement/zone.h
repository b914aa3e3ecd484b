#pragma once
// A zone: one place data can be written, on one provider entry. Its health is its provider's.
#include <cstddef>
#include <string>

namespace s3gw::placement {

struct Zone {
  std::string id;                  // "fi-hel-st-1"
  std::string country;             // "fi"
  std::string region;              // "fi-hel"
  std::string provider;            // the provider code, "st": replicas prefer distinct codes
  std::string provider_key;        // the provider entry, "fi-hel-st"
  int priority = 100;              // the provider entry's; lower is preferred
  std::size_t provider_index = 0;  // into Registry::providers()
};

}  // namespace s3gw::placement
