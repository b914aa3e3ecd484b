#pragma once
// Where a bucket's data goes: the one place a zone is chosen (DESIGN.md invariant 5).
//
// Rules, in order:
//  1. An empty constraint means the home region (the gateway's region, "fi-hel").
//  2. Every item must exist: a zone in the registry, a region or country with zones;
//     otherwise kInvalidLocationConstraint naming the item.
//  3. Strict home region (de-fra): every listed country must be the region's country or one of
//     the customer's extra allowed countries; otherwise kStrictRegion naming the rule.
//  4. Each item, in the order listed, resolves to one zone not chosen yet: a zone to itself, a
//     country or region to its best zone: available before degraded, then priority, then id;
//     down never. An item with nothing left is skipped (the explanation says so).
//  5. The first k resolved zones are the replicas; the first is the primary. If fewer than k
//     resolved, other zones inside the listed countries follow: a provider code not used yet
//     first, then available before degraded, then the country listed first, then priority,
//     then id.
//  6. Still fewer than k: kNotEnoughZones when the listed countries have fewer than k zones at
//     all (the message says how many are possible), else kZonesUnavailable (too many down).
// No zone outside the listed countries is ever chosen, so data crosses a border only when the
// constraint lists several countries.
#include <string>
#include <string_view>
#include <vector>

#include "placement/location_constraint.h"
#include "placement/placement_result.h"
#include "placement/registry.h"

namespace s3gw::placement {

struct PlacementRequest {
  LocationConstraint constraint;
  unsigned replicas = 1;    // k >= 1
  std::string home_region;  // the customer's home region, "fi-hel"
  // Countries an operator allows this customer beyond a strict home region's own country
  // (the admin API stores them). Ignored for regions that are not strict.
  std::vector<std::string> extra_countries;
};

struct PlacementDecision {
  std::vector<std::string> zones;              // primary first; exactly `replicas` of them
  std::vector<std::string> countries;          // of the chosen zones, in order of first appearance
  std::vector<std::string> allowed_countries;  // the countries the constraint lists
  std::string constraint;  // normalized ("fi,de-fra"); "" for the home region's default
  std::string rule;        // the explanation, for the compliance event and the test endpoint

  const std::string& primary() const { return zones.front(); }
};

PlacementResult<PlacementDecision> place(const Registry& registry, const PlacementRequest& request);

// Parses `constraint` first (LocationConstraint::parse) then places.
PlacementResult<PlacementDecision> place(const Registry& registry, std::string_view constraint,
                                         unsigned replicas, std::string home_region,
                                         std::vector<std::string> extra_countries = {});

}  // namespace s3gw::placement
