#include "placement/provider.h"

namespace s3gw::placement {

std::string_view to_string(ProviderType type) {
  return type == ProviderType::kS3 ? "s3" : "filesystem";
}

std::optional<ProviderType> parse_provider_type(std::string_view text) {
  if (text == "s3") return ProviderType::kS3;
  if (text == "filesystem") return ProviderType::kFilesystem;
  return std::nullopt;
}

std::string_view to_string(AddressingStyle style) {
  return style == AddressingStyle::kPath ? "path" : "virtual";
}

std::optional<AddressingStyle> parse_addressing_style(std::string_view text) {
  if (text == "path") return AddressingStyle::kPath;
  if (text == "virtual") return AddressingStyle::kVirtual;
  return std::nullopt;
}

}  // namespace s3gw::placement
