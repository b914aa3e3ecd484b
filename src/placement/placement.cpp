#include "placement/placement.h"

#include <algorithm>
#include <tuple>

namespace s3gw::placement {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

int health_rank(ProviderStatus s) {
  return s == ProviderStatus::kAvailable ? 0 : s == ProviderStatus::kDegraded ? 1 : 2;
}

PlacementError refuse(std::string message, std::string item = {}) {
  return PlacementError(PlacementErrc::kInvalidLocationConstraint, std::move(message),
                        std::move(item));
}

// One placement: the registry's zones seen through one health snapshot.
class Resolver {
 public:
  explicit Resolver(const Registry& registry)
      : registry_(registry), health_(registry.status_snapshot()) {}

  ProviderStatus status(const Zone& z) const { return health_[z.provider_index]; }
  bool chosen(const Zone& z) const { return contains(chosen_, z.id); }
  const std::vector<std::string>& zones() const { return chosen_; }

  std::vector<const Zone*> candidates(const LocationItem& item) const {
    switch (item.kind) {
      case LocationKind::kZone:
        if (const Zone* z = registry_.find_zone(item.id)) return {z};
        return {};
      case LocationKind::kRegion:
        return registry_.zones_in_region(item.id);
      case LocationKind::kCountry:
        return registry_.zones_in_country(item.id);
    }
    return {};
  }

  // Rule 4. Returns the explanation of this item.
  std::string resolve(const LocationItem& item) {
    std::vector<const Zone*> usable;
    for (const Zone* z : candidates(item)) {
      if (!chosen(*z) && status(*z) != ProviderStatus::kDown) usable.push_back(z);
    }
    // Candidates come by priority, then id; a stable sort keeps that within a health rank.
    std::stable_sort(usable.begin(), usable.end(), [&](const Zone* a, const Zone* b) {
      return health_rank(status(*a)) < health_rank(status(*b));
    });
    if (usable.empty()) {
      return item.id + " skipped (" +
             (item.kind == LocationKind::kZone ? std::string("zone is down or already chosen")
                                               : "no zone left that is up and not chosen") +
             ")";
    }
    const Zone& z = *usable.front();
    take(z);
    std::string why = item.id + " -> " + z.id;
    if (item.kind != LocationKind::kZone) {
      why += " (best zone of " + std::string(to_string(item.kind)) + " " + item.id +
             " by health and priority";
      if (status(z) == ProviderStatus::kDegraded) why += "; degraded, none available";
      why += ")";
    } else if (status(z) == ProviderStatus::kDegraded) {
      why += " (degraded)";
    }
    return why;
  }

  // Rule 5: one more zone inside `countries`, or nullptr.
  const Zone* extend(const std::vector<std::string>& countries) {
    const Zone* best = nullptr;
    auto score = [&](const Zone& z) {
      const auto listed = std::find(countries.begin(), countries.end(), z.country);
      return std::make_tuple(contains(providers_, z.provider) ? 1 : 0, health_rank(status(z)),
                             listed - countries.begin(), z.priority, std::string_view(z.id));
    };
    for (const Zone& z : registry_.zones()) {
      if (!contains(countries, z.country) || chosen(z) || status(z) == ProviderStatus::kDown) {
        continue;
      }
      if (best == nullptr || score(z) < score(*best)) best = &z;
    }
    if (best != nullptr) take(*best);
    return best;
  }

  bool new_provider(const Zone& z) const {
    // Called after take(): the code is new if only this zone uses it.
    return std::count_if(chosen_zones_.begin(), chosen_zones_.end(),
                         [&](const Zone* c) { return c->provider == z.provider; }) == 1;
  }

 private:
  void take(const Zone& z) {
    chosen_.push_back(z.id);
    chosen_zones_.push_back(&z);
    if (!contains(providers_, z.provider)) providers_.push_back(z.provider);
  }

  const Registry& registry_;
  std::vector<ProviderStatus> health_;
  std::vector<std::string> chosen_;
  std::vector<const Zone*> chosen_zones_;
  std::vector<std::string> providers_;
};

// Rule 2: the item names something the registry has.
std::optional<PlacementError> check_exists(const Registry& registry, const LocationItem& item) {
  switch (item.kind) {
    case LocationKind::kZone:
      if (registry.find_zone(item.id) != nullptr) return std::nullopt;
      {
        std::vector<std::string> known;
        for (const Zone* z : registry.zones_in_country(item.country)) known.push_back(z->id);
        std::sort(known.begin(), known.end());
        return refuse(
            "unknown zone '" + item.id + "'" +
                (known.empty() ? std::string(" (there are no zones in " + item.country + ")")
                               : " (zones in " + item.country + ": " + join(known) + ")"),
            item.id);
      }
    case LocationKind::kRegion:
      if (!registry.zones_in_region(item.id).empty()) return std::nullopt;
      {
        std::vector<std::string> known;
        for (const Region& r : registry.regions()) {
          if (!registry.zones_in_region(r.id).empty()) known.push_back(r.id);
        }
        return refuse("unknown location '" + item.id + "': no region with zones has that name " +
                          "(regions: " + join(known) + ")",
                      item.id);
      }
    case LocationKind::kCountry:
      if (registry.has_country(item.id)) return std::nullopt;
      return refuse("unknown location '" + item.id + "': there are no zones in that country " +
                        "(countries: " + join(registry.countries()) + ")",
                    item.id);
  }
  return std::nullopt;
}

}  // namespace

PlacementResult<PlacementDecision> place(const Registry& registry,
                                         const PlacementRequest& request) {
  const unsigned k = request.replicas;
  if (k == 0) return refuse("the replica count must be at least 1");
  const Region* home = registry.find_region(request.home_region);
  if (home == nullptr) {
    return PlacementError(PlacementErrc::kInvalidConfig,
                          "home region '" + request.home_region + "' is not configured");
  }

  PlacementDecision decision;
  decision.constraint = request.constraint.to_string();
  std::vector<LocationItem> items = request.constraint.items();
  std::string rule;
  if (items.empty()) {
    if (registry.zones_in_region(home->id).empty()) {
      return PlacementError(PlacementErrc::kInvalidConfig,
                            "home region '" + home->id + "' has no zones for the default");
    }
    items.push_back(LocationItem{LocationKind::kRegion, home->id, home->country});
    rule = "empty LocationConstraint: the default of home region " + home->id;
  } else {
    rule = "LocationConstraint '" + decision.constraint + "'";
  }
  rule += ", " + std::to_string(k) + (k == 1 ? " replica" : " replicas") + ". ";

  for (const LocationItem& item : items) {
    if (auto bad = check_exists(registry, item)) return *bad;
  }
  for (const LocationItem& item : items) {
    if (!contains(decision.allowed_countries, item.country)) {
      decision.allowed_countries.push_back(item.country);
    }
  }

  if (home->strict) {
    std::vector<std::string> allowed = {home->country};
    for (const std::string& c : request.extra_countries) {
      if (!contains(allowed, c)) allowed.push_back(c);
    }
    for (const std::string& c : decision.allowed_countries) {
      if (contains(allowed, c)) continue;
      std::string msg = "strict region " + home->id + ": customers homed there may only place " +
                        "data in " + home->country;
      if (allowed.size() > 1) {
        msg += " (and, allowed by an operator for this customer, " +
               join(std::vector<std::string>(allowed.begin() + 1, allowed.end())) + ")";
      }
      msg += "; " + c + " is not allowed for this customer";
      return PlacementError(PlacementErrc::kStrictRegion, std::move(msg), c);
    }
    rule += "Strict home region " + home->id + " allows " + join(allowed) + ". ";
  }

  Resolver resolver(registry);
  std::vector<std::string> steps;
  for (const LocationItem& item : items) steps.push_back(resolver.resolve(item));
  rule += "Resolved in the order listed: " + join(steps, "; ") + ".";

  std::vector<std::string> zones = resolver.zones();
  if (zones.size() < k) {
    std::vector<std::string> extra;
    while (zones.size() < k) {
      const Zone* z = resolver.extend(decision.allowed_countries);
      if (z == nullptr) break;
      zones.push_back(z->id);
      extra.push_back(z->id + (resolver.new_provider(*z) ? " (another provider)"
                                                         : " (no other provider left)"));
    }
    if (!extra.empty()) {
      rule += " More replicas than resolved locations: other zones in " +
              join(decision.allowed_countries) + ": " + join(extra) + ".";
    }
  }
  if (zones.size() < k) {
    // The extension took every zone up in the listed countries: zones.size() is how many are.
    std::vector<std::string> all;
    for (const Zone& z : registry.zones()) {
      if (contains(decision.allowed_countries, z.country)) all.push_back(z.id);
    }
    const std::string wanted = std::to_string(k) + " replicas requested";
    if (all.size() < k) {
      std::sort(all.begin(), all.end());
      return PlacementError(
          PlacementErrc::kNotEnoughZones,
          wanted + " but " + join(decision.allowed_countries) + " " +
              (all.size() == 1 ? "has 1 zone" : "have " + std::to_string(all.size()) + " zones") +
              " (" + join(all) + "): at most " + std::to_string(all.size()) +
              (all.size() == 1 ? " replica is" : " replicas are") + " possible",
          decision.constraint);
    }
    return PlacementError(PlacementErrc::kZonesUnavailable,
                          wanted + " but only " + std::to_string(zones.size()) + " of the " +
                              std::to_string(all.size()) + " zones in " +
                              join(decision.allowed_countries) + " are up",
                          decision.constraint);
  }
  zones.resize(k);

  decision.zones = std::move(zones);
  for (const std::string& id : decision.zones) {
    const Zone* z = registry.find_zone(id);
    if (!contains(decision.countries, z->country)) decision.countries.push_back(z->country);
  }
  rule += " Primary: " + decision.zones.front() + "; replicas: " + join(decision.zones) +
          ". Data stays in " + join(decision.countries) +
          (decision.allowed_countries.size() > 1
               ? "; cross-border replication allowed: the constraint lists " +
                     join(decision.allowed_countries) + "."
               : "; no cross-border replication: the constraint lists one country.");
  decision.rule = std::move(rule);
  return decision;
}

PlacementResult<PlacementDecision> place(const Registry& registry, std::string_view constraint,
                                         unsigned replicas, std::string home_region,
                                         std::vector<std::string> extra_countries) {
  auto parsed = LocationConstraint::parse(constraint);
  if (!parsed) return parsed.error();
  return place(registry, PlacementRequest{std::move(parsed.value()), replicas,
                                          std::move(home_region), std::move(extra_countries)});
}

}  // namespace s3gw::placement
