#include "placement/placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "placement/available_locations.h"
#include "placement/json_config_loader.h"

namespace s3gw::placement {
namespace {

// The dev stack's zones: fi (st 10, uc 20), de (st 10, uc 20, hz 30; strict), fr (st 10, hz 20).
const char* kDev = R"({"regions": [{"id": "de-fra", "strict": true}], "providers": [
  {"id": "st", "type": "filesystem", "country": "fi", "city": "hel", "zones": ["fi-hel-st-1"],
   "priority": 10},
  {"id": "uc", "type": "filesystem", "country": "fi", "city": "hel", "zones": ["fi-hel-uc-1"],
   "priority": 20},
  {"id": "st", "type": "filesystem", "country": "de", "city": "fra", "zones": ["de-fra-st-1"],
   "priority": 10},
  {"id": "uc", "type": "filesystem", "country": "de", "city": "fra", "zones": ["de-fra-uc-1"],
   "priority": 20},
  {"id": "hz", "type": "filesystem", "country": "de", "city": "fra", "zones": ["de-fra-hz-1"],
   "priority": 30},
  {"id": "st", "type": "filesystem", "country": "fr", "city": "par", "zones": ["fr-par-st-1"],
   "priority": 10},
  {"id": "hz", "type": "filesystem", "country": "fr", "city": "par", "zones": ["fr-par-hz-1"],
   "priority": 20}]})";

Registry make_registry(const char* json = kDev) {
  auto config = JsonConfigLoader::parse(json, "test.json");
  EXPECT_TRUE(config) << config.error().message;
  auto r = Registry::create({std::move(config.value())});
  EXPECT_TRUE(r) << r.error().message;
  return std::move(r.value());
}

using Zones = std::vector<std::string>;

Zones zones_of(const Registry& reg, std::string_view constraint, unsigned k = 1,
               std::string home = "fi-hel", std::vector<std::string> extra = {}) {
  auto r = place(reg, constraint, k, std::move(home), std::move(extra));
  EXPECT_TRUE(r) << constraint << ": " << r.error().message;
  return r ? r->zones : Zones{};
}

TEST(Placement, CountryRegionZoneAndMixedLists) {
  const Registry reg = make_registry();
  struct Case {
    std::string constraint;
    unsigned k;
    Zones zones;
  };
  const Case cases[] = {
      {"fi", 1, {"fi-hel-st-1"}},
      {"fi-hel", 1, {"fi-hel-st-1"}},
      {"de-fra", 1, {"de-fra-st-1"}},
      {"de-fra-hz-1", 1, {"de-fra-hz-1"}},
      {"fi,de", 2, {"fi-hel-st-1", "de-fra-st-1"}},
      {"fi,de", 1, {"fi-hel-st-1"}},                 // the first k resolved locations
      {"de,fi", 2, {"de-fra-st-1", "fi-hel-st-1"}},  // the order is the priority
      {"fr-par-hz-1,de,fi-hel", 3, {"fr-par-hz-1", "de-fra-st-1", "fi-hel-st-1"}},
      // An item never resolves to a zone already chosen.
      {"fi-hel-st-1,fi", 2, {"fi-hel-st-1", "fi-hel-uc-1"}},
      {"de,de-fra", 2, {"de-fra-st-1", "de-fra-uc-1"}},
      {"de,de-fra,de-fra-st-1", 3, {"de-fra-st-1", "de-fra-uc-1", "de-fra-hz-1"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(zones_of(reg, c.constraint, c.k), c.zones) << c.constraint << " k=" << c.k;
  }
}

TEST(Placement, DecisionCarriesCountriesAndTheRule) {
  const Registry reg = make_registry();
  const auto r = place(reg, " FI , de ", 2, "fi-hel");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->primary(), "fi-hel-st-1");
  EXPECT_EQ(r->constraint, "fi,de");
  EXPECT_EQ(r->countries, (std::vector<std::string>{"fi", "de"}));
  EXPECT_EQ(r->allowed_countries, (std::vector<std::string>{"fi", "de"}));
  EXPECT_NE(r->rule.find("LocationConstraint 'fi,de', 2 replicas"), std::string::npos) << r->rule;
  EXPECT_NE(r->rule.find("fi -> fi-hel-st-1"), std::string::npos) << r->rule;
  EXPECT_NE(r->rule.find("Primary: fi-hel-st-1"), std::string::npos) << r->rule;
  EXPECT_NE(r->rule.find("cross-border replication allowed"), std::string::npos) << r->rule;

  const auto one = place(reg, "fi", 2, "fi-hel");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->countries, (std::vector<std::string>{"fi"}));
  EXPECT_NE(one->rule.find("no cross-border replication"), std::string::npos) << one->rule;
  EXPECT_NE(one->rule.find("fi-hel-uc-1 (another provider)"), std::string::npos) << one->rule;
}

TEST(Placement, HealthDegradedAfterAvailableDownNever) {
  Registry reg = make_registry();
  reg.set_status("de-fra-st", ProviderStatus::kDegraded);
  EXPECT_EQ(zones_of(reg, "de"), Zones{"de-fra-uc-1"});
  EXPECT_EQ(zones_of(reg, "de", 3), (Zones{"de-fra-uc-1", "de-fra-hz-1", "de-fra-st-1"}));
  reg.set_status("de-fra-uc", ProviderStatus::kDown);
  EXPECT_EQ(zones_of(reg, "de-fra", 2), (Zones{"de-fra-hz-1", "de-fra-st-1"}));
  reg.set_status("de-fra-hz", ProviderStatus::kDegraded);
  const auto r = place(reg, "de", 1, "fi-hel");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->zones, Zones{"de-fra-st-1"});  // both degraded: priority decides
  EXPECT_NE(r->rule.find("degraded, none available"), std::string::npos) << r->rule;

  // A listed zone that is down is skipped; the next item becomes the primary.
  reg.set_status("fi-hel-st", ProviderStatus::kDown);
  const auto skipped = place(reg, "fi-hel-st-1,fi-hel-uc-1", 1, "fi-hel");
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->zones, Zones{"fi-hel-uc-1"});
  EXPECT_NE(skipped->rule.find("fi-hel-st-1 skipped"), std::string::npos) << skipped->rule;
}

TEST(Placement, MoreReplicasThanItemsPrefersAnotherProvider) {
  // st has two zones of better priority than uc: the second replica still goes to uc.
  const Registry reg = make_registry(R"({"providers": [
    {"id": "st", "type": "filesystem", "country": "fi", "city": "hel",
     "zones": ["fi-hel-st-1", "fi-hel-st-2"], "priority": 10},
    {"id": "uc", "type": "filesystem", "country": "fi", "city": "tku", "zones": ["fi-tku-uc-1"],
     "priority": 50},
    {"id": "st", "type": "filesystem", "country": "se", "city": "sto", "zones": ["se-sto-st-1"],
     "priority": 1}]})");
  EXPECT_EQ(zones_of(reg, "fi", 2), (Zones{"fi-hel-st-1", "fi-tku-uc-1"}));
  EXPECT_EQ(zones_of(reg, "fi", 3), (Zones{"fi-hel-st-1", "fi-tku-uc-1", "fi-hel-st-2"}));
  // A region item extends to the whole country, never beyond it.
  EXPECT_EQ(zones_of(reg, "fi-hel", 2), (Zones{"fi-hel-st-1", "fi-tku-uc-1"}));
  // Ties between countries go to the one listed first; then a new provider beats priority.
  const Registry dev = make_registry();
  EXPECT_EQ(zones_of(dev, "fi,de", 4),
            (Zones{"fi-hel-st-1", "de-fra-st-1", "fi-hel-uc-1", "de-fra-hz-1"}));
  EXPECT_EQ(zones_of(dev, "de,fi", 3), (Zones{"de-fra-st-1", "fi-hel-st-1", "de-fra-uc-1"}));
  const auto too_many = place(reg, "fi", 4, "fi-hel");
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().code, PlacementErrc::kNotEnoughZones);
}

TEST(Placement, TooFewZones) {
  Registry reg = make_registry();
  const auto r = place(reg, "fi", 3, "fi-hel");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, PlacementErrc::kNotEnoughZones);
  EXPECT_EQ(r.error().message,
            "3 replicas requested but fi have 2 zones (fi-hel-st-1, fi-hel-uc-1): at most 2 "
            "replicas are possible");
  const auto fr_de = place(reg, "fr,de", 6, "fi-hel");
  ASSERT_FALSE(fr_de);
  EXPECT_NE(fr_de.error().message.find("at most 5 replicas are possible"), std::string::npos);
  EXPECT_EQ(to_s3_error(r.error()).code, s3::ErrorCode::kInvalidLocationConstraint);

  // Enough zones exist but one is down: 503, not the client's fault.
  reg.set_status("fi-hel-uc", ProviderStatus::kDown);
  const auto down = place(reg, "fi", 2, "fi-hel");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, PlacementErrc::kZonesUnavailable);
  EXPECT_EQ(down.error().message, "2 replicas requested but only 1 of the 2 zones in fi are up");
  EXPECT_EQ(to_s3_error(down.error()).http_status(), 503);
  reg.set_status("fi-hel-st", ProviderStatus::kDown);
  const auto all_down = place(reg, "fi", 1, "fi-hel");
  ASSERT_FALSE(all_down);
  EXPECT_EQ(all_down.error().code, PlacementErrc::kZonesUnavailable);
}

TEST(Placement, EmptyConstraintIsTheHomeRegionsDefault) {
  Registry reg = make_registry();
  const auto r = place(reg, "", 1, "fi-hel");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->zones, Zones{"fi-hel-st-1"});
  EXPECT_EQ(r->constraint, "");
  EXPECT_NE(r->rule.find("empty LocationConstraint: the default of home region fi-hel"),
            std::string::npos)
      << r->rule;
  EXPECT_EQ(zones_of(reg, "", 2), (Zones{"fi-hel-st-1", "fi-hel-uc-1"}));
  EXPECT_EQ(zones_of(reg, " ", 1, "de-fra"), Zones{"de-fra-st-1"});
  reg.set_status("fi-hel-st", ProviderStatus::kDown);
  EXPECT_EQ(zones_of(reg, "", 1), Zones{"fi-hel-uc-1"});
}

TEST(Placement, UnknownLocations) {
  const Registry reg = make_registry();
  struct Case {
    std::string constraint;
    std::string message;
    std::string item;
  };
  const Case cases[] = {
      {"se", "unknown location 'se': there are no zones in that country (countries: de, fi, fr)",
       "se"},
      {"fi,fi-tku", "unknown location 'fi-tku': no region with zones has that name", "fi-tku"},
      {"fi-hel-xx-1", "unknown zone 'fi-hel-xx-1' (zones in fi: fi-hel-st-1, fi-hel-uc-1)",
       "fi-hel-xx-1"},
      {"se-sto-st-1", "unknown zone 'se-sto-st-1' (there are no zones in se)", "se-sto-st-1"},
      {"xx", "'xx' is not an ISO 3166-1 alpha-2 country code", "xx"},
      {"fi,,de", "item 2 is empty", ""},
  };
  for (const Case& c : cases) {
    const auto r = place(reg, c.constraint, 1, "fi-hel");
    ASSERT_FALSE(r) << c.constraint;
    EXPECT_EQ(r.error().code, PlacementErrc::kInvalidLocationConstraint);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << "wanted: " << c.message << "\n   got: " << r.error().message;
    EXPECT_EQ(r.error().item, c.item);
    const s3::S3Error e = to_s3_error(r.error());
    EXPECT_EQ(e.code, s3::ErrorCode::kInvalidLocationConstraint);
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_EQ(e.effective_message(), r.error().message);
  }
}

TEST(Placement, StrictRegion) {
  const Registry reg = make_registry();
  EXPECT_EQ(zones_of(reg, "de", 2, "de-fra"), (Zones{"de-fra-st-1", "de-fra-uc-1"}));
  const auto r = place(reg, "de,fr", 2, "de-fra");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, PlacementErrc::kStrictRegion);
  EXPECT_EQ(r.error().message,
            "strict region de-fra: customers homed there may only place data in de; fr is not "
            "allowed for this customer");
  EXPECT_EQ(r.error().item, "fr");
  EXPECT_EQ(to_s3_error(r.error()).code, s3::ErrorCode::kInvalidLocationConstraint);

  // An operator's allow-list opens more countries, and only those.
  const auto allowed = place(reg, "de,fr", 2, "de-fra", {"fr"});
  ASSERT_TRUE(allowed) << allowed.error().message;
  EXPECT_EQ(allowed->zones, (Zones{"de-fra-st-1", "fr-par-st-1"}));
  EXPECT_NE(allowed->rule.find("Strict home region de-fra allows de, fr"), std::string::npos);
  const auto fi = place(reg, "de,fi-hel", 2, "de-fra", {"fr"});
  ASSERT_FALSE(fi);
  EXPECT_EQ(fi.error().message,
            "strict region de-fra: customers homed there may only place data in de (and, "
            "allowed by an operator for this customer, fr); fi is not allowed for this customer");

  // A region that is not strict lists anything; the allow-list does not matter there.
  EXPECT_EQ(zones_of(reg, "de,fr", 2, "fi-hel"), (Zones{"de-fra-st-1", "fr-par-st-1"}));
}

TEST(Placement, CallerMistakes) {
  const Registry reg = make_registry();
  const auto no_home = place(reg, "fi", 1, "se-sto");
  ASSERT_FALSE(no_home);
  EXPECT_EQ(no_home.error().code, PlacementErrc::kInvalidConfig);
  EXPECT_EQ(to_s3_error(no_home.error()).code, s3::ErrorCode::kInternalError);
  EXPECT_TRUE(to_s3_error(no_home.error()).message.empty());  // no config detail to clients
  const auto zero = place(reg, "fi", 0, "fi-hel");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, PlacementErrc::kInvalidLocationConstraint);
}

// Never a zone outside the listed countries, whatever the list, the health and the count; the
// primary comes from the first item that has a zone up.
TEST(Placement, PropertyNeverOutsideTheListedCountries) {
  Registry reg = make_registry();
  const std::vector<std::string> universe = {
      "fi",          "de",          "fr",          "fi-hel",      "de-fra",
      "fr-par",      "fi-hel-st-1", "fi-hel-uc-1", "de-fra-st-1", "de-fra-uc-1",
      "de-fra-hz-1", "fr-par-st-1", "fr-par-hz-1"};
  const std::vector<std::string> keys = {"fi-hel-st", "fi-hel-uc", "de-fra-st", "de-fra-uc",
                                         "de-fra-hz", "fr-par-st", "fr-par-hz"};
  const ProviderStatus statuses[] = {ProviderStatus::kAvailable, ProviderStatus::kAvailable,
                                     ProviderStatus::kDegraded, ProviderStatus::kDown};
  std::mt19937 rng(20260105);
  int placed = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    for (const std::string& key : keys) reg.set_status(key, statuses[rng() % 4]);
    std::vector<std::string> items = universe;
    std::shuffle(items.begin(), items.end(), rng);
    items.resize(1 + rng() % 4);
    std::string constraint;
    for (const std::string& item : items) constraint += (constraint.empty() ? "" : ",") + item;
    const unsigned k = 1 + static_cast<unsigned>(rng() % 5);
    const std::string home = (rng() % 2) ? "fi-hel" : "de-fra";
    const auto parsed = LocationConstraint::parse(constraint);
    ASSERT_TRUE(parsed);
    const std::vector<std::string> listed = parsed->countries();

    const auto r = place(reg, constraint, k, home, {"fi", "fr"});
    SCOPED_TRACE(constraint + " k=" + std::to_string(k) + " home=" + home);
    std::set<std::string> up_in_listed;
    for (const Zone& z : reg.zones()) {
      if (std::find(listed.begin(), listed.end(), z.country) != listed.end() &&
          reg.zone_status(z) != ProviderStatus::kDown) {
        up_in_listed.insert(z.id);
      }
    }
    if (!r) {
      ASSERT_TRUE(r.error().code == PlacementErrc::kNotEnoughZones ||
                  r.error().code == PlacementErrc::kZonesUnavailable)
          << r.error().message;
      EXPECT_LT(up_in_listed.size(), k);
      continue;
    }
    ++placed;
    ASSERT_EQ(r->zones.size(), k);
    EXPECT_EQ(std::set<std::string>(r->zones.begin(), r->zones.end()).size(), k);
    for (const std::string& id : r->zones) {
      const Zone* z = reg.find_zone(id);
      ASSERT_NE(z, nullptr);
      EXPECT_NE(std::find(listed.begin(), listed.end(), z->country), listed.end()) << id;
      EXPECT_NE(reg.zone_status(*z), ProviderStatus::kDown) << id;
    }
    // The primary: the first item with a zone up, resolved to its best zone.
    for (const LocationItem& item : parsed->items()) {
      std::vector<const Zone*> up;
      for (const Zone& z : reg.zones()) {
        const bool in = item.kind == LocationKind::kZone     ? z.id == item.id
                        : item.kind == LocationKind::kRegion ? z.region == item.id
                                                             : z.country == item.id;
        if (in && reg.zone_status(z) != ProviderStatus::kDown) up.push_back(&z);
      }
      if (up.empty()) continue;
      std::stable_sort(up.begin(), up.end(), [&](const Zone* a, const Zone* b) {
        return reg.zone_status(*a) == ProviderStatus::kAvailable &&
               reg.zone_status(*b) != ProviderStatus::kAvailable;
      });
      EXPECT_EQ(r->primary(), up.front()->id);
      break;
    }
  }
  EXPECT_GT(placed, 1000);  // the loop exercised success, not only refusals
}

TEST(AvailableLocations, AggregatesHealth) {
  Registry reg = make_registry();
  reg.set_status("fi-hel-st", ProviderStatus::kDown);
  reg.set_status("fi-hel-uc", ProviderStatus::kDegraded);
  reg.set_status("fr-par-st", ProviderStatus::kDown);
  reg.set_status("fr-par-hz", ProviderStatus::kDown);
  const AvailableLocations a = available_locations(reg);
  ASSERT_EQ(a.countries.size(), 3u);
  EXPECT_EQ(a.countries[0].code, "de");
  EXPECT_EQ(a.countries[0].status, ProviderStatus::kAvailable);
  EXPECT_EQ(a.countries[0].zones, 3u);
  EXPECT_EQ(a.countries[1].code, "fi");
  EXPECT_EQ(a.countries[1].status, ProviderStatus::kDegraded);
  EXPECT_EQ(a.countries[1].zones_up, 1u);
  EXPECT_EQ(a.countries[1].regions, (std::vector<std::string>{"fi-hel"}));
  EXPECT_EQ(a.countries[2].status, ProviderStatus::kDown);
  ASSERT_EQ(a.regions.size(), 3u);
  EXPECT_EQ(a.regions[0].id, "de-fra");
  EXPECT_TRUE(a.regions[0].strict);
  EXPECT_EQ(a.zones.size(), 7u);
  const std::string json = a.to_json();
  EXPECT_NE(json.find(R"({"code":"fi","status":"degraded","zones":2,"zones_up":1,)"
                      R"("regions":["fi-hel"]})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("id":"fi-hel-st-1","region":"fi-hel","country":"fi","provider":"st")"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace s3gw::placement
