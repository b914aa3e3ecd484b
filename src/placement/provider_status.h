#pragma once
// A provider's health as the health checker last saw it. Placement prefers available zones,
// uses degraded ones only after every available one, and never picks a zone that is down.
#include <optional>
#include <string_view>

namespace s3gw::placement {

enum class ProviderStatus { kAvailable, kDegraded, kDown };

// "available", "degraded", "down": the configuration files and the admin API use these words.
std::string_view to_string(ProviderStatus status);
std::optional<ProviderStatus> parse_provider_status(std::string_view text);

}  // namespace s3gw::placement
