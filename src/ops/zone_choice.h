#pragma once
// Where a bucket's data goes, through placement (DESIGN.md invariant 5): the one place ops
// turns a bucket's LocationConstraint into a zone, and records the decision.
#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>
#include <vector>

#include "meta/types.h"
#include "ops/context.h"
#include "ops/s3_request.h"
#include "placement/placement.h"
#include "s3/error.h"

namespace s3gw::ops {

// The backend bucket in that zone comes from BackendBuckets::resolve (the hash mapping).
struct ZoneChoice {
  storage::ZoneHandle zone;
  placement::PlacementDecision decision;
};

// The countries the operator allowed `customer` besides a strict home region's own; empty (and
// no query) when the home region is not strict.
boost::asio::awaitable<std::vector<std::string>> extra_countries(const OpContext& ctx,
                                                                 std::string_view customer);

// The placement of `constraint` for a customer of this gateway's home region (replicas: 1, the
// primary), or the S3 error (InvalidLocationConstraint, ServiceUnavailable when its zones are
// down or not served here).
std::variant<placement::PlacementDecision, s3::S3Error> decide(
    const OpContext& ctx, std::string_view constraint, std::vector<std::string> extra_countries);

// The zone a new version of `bucket` is written to: its placement's primary. `extra_countries`
// from extra_countries(), asked again on every write: an allowance the operator revoked stops
// new data at once. (Not a coroutine: g++ 12 miscompiles a co_returned variant of this type.)
std::variant<ZoneChoice, s3::S3Error> primary_zone(const OpContext& ctx, const meta::Bucket& bucket,
                                                   std::vector<std::string> extra_countries);

// A "placement" compliance event: which zones were chosen for what, and by which rule.
void record_placement(OpContext& ctx, const S3Request& req,
                      const placement::PlacementDecision& decision);

}  // namespace s3gw::ops
