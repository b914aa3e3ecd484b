#include "placement/provider_status.h"

namespace s3gw::placement {

std::string_view to_string(ProviderStatus status) {
  switch (status) {
    case ProviderStatus::kAvailable:
      return "available";
    case ProviderStatus::kDegraded:
      return "degraded";
    case ProviderStatus::kDown:
      return "down";
  }
  return "down";
}

std::optional<ProviderStatus> parse_provider_status(std::string_view text) {
  if (text == "available") return ProviderStatus::kAvailable;
  if (text == "degraded") return ProviderStatus::kDegraded;
  if (text == "down") return ProviderStatus::kDown;
  return std::nullopt;
}

}  // namespace s3gw::placement
