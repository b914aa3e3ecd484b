#include "placement/placement_error.h"

namespace s3gw::placement {

std::string_view placement_errc_name(PlacementErrc code) {
  switch (code) {
    case PlacementErrc::kInvalidConfig:
      return "InvalidConfig";
    case PlacementErrc::kInvalidLocationConstraint:
      return "InvalidLocationConstraint";
    case PlacementErrc::kStrictRegion:
      return "StrictRegion";
    case PlacementErrc::kNotEnoughZones:
      return "NotEnoughZones";
    case PlacementErrc::kZonesUnavailable:
      return "ZonesUnavailable";
  }
  return "Unknown";
}

s3::S3Error to_s3_error(const PlacementError& error) {
  switch (error.code) {
    case PlacementErrc::kInvalidLocationConstraint:
    case PlacementErrc::kStrictRegion:
    case PlacementErrc::kNotEnoughZones:
      return s3::S3Error(s3::ErrorCode::kInvalidLocationConstraint, error.message);
    case PlacementErrc::kZonesUnavailable:
      return s3::S3Error(s3::ErrorCode::kServiceUnavailable, error.message);
    case PlacementErrc::kInvalidConfig:
      break;
  }
  return s3::S3Error(s3::ErrorCode::kInternalError);
}

}  // namespace s3gw::placement
