#pragma once
// Why placement could not answer, as a value. Placement knows nothing of HTTP: to_s3_error maps
// a refusal to the S3 error a client receives (README.md lists the mapping).
#include <string>
#include <string_view>
#include <utility>

#include "s3/error.h"

namespace s3gw::placement {

enum class PlacementErrc {
  kInvalidConfig,              // a configuration file breaks a rule (an operator's mistake)
  kInvalidLocationConstraint,  // bad syntax, duplicate or empty item, unknown location
  kStrictRegion,               // the customer's strict home region forbids a listed country
  kNotEnoughZones,             // the listed countries hold fewer zones than replicas requested
  kZonesUnavailable,           // enough zones exist, but too many of them are down
};

// Stable name for logs and tests, e.g. "StrictRegion".
std::string_view placement_errc_name(PlacementErrc code);

struct PlacementError {
  PlacementErrc code = PlacementErrc::kInvalidLocationConstraint;
  std::string message;  // a sentence naming the rule, e.g. "unknown location 'se'"
  std::string item;     // the offending constraint item or config entry; may be empty

  PlacementError() = default;
  PlacementError(PlacementErrc c, std::string msg, std::string offending = {})
      : code(c), message(std::move(msg)), item(std::move(offending)) {}
};

// kInvalidLocationConstraint, kStrictRegion, kNotEnoughZones -> InvalidLocationConstraint (400,
// with our message); kZonesUnavailable -> ServiceUnavailable (503); kInvalidConfig ->
// InternalError (500, default message: file names are not the client's business).
s3::S3Error to_s3_error(const PlacementError& error);

}  // namespace s3gw::placement
