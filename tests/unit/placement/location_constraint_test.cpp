#include "placement/location_constraint.h"

#include <gtest/gtest.h>

namespace s3gw::placement {
namespace {

TEST(LocationConstraint, ParsesAndNormalizes) {
  struct Case {
    std::string text;
    std::string normalized;
    std::vector<LocationKind> kinds;
  };
  using K = LocationKind;
  const Case cases[] = {
      {"fi", "fi", {K::kCountry}},
      {"fi-hel", "fi-hel", {K::kRegion}},
      {"fi-hel-st-1", "fi-hel-st-1", {K::kZone}},
      {"FI , De-Fra ,\tfr-PAR-hz-12 ",
       "fi,de-fra,fr-par-hz-12",
       {K::kCountry, K::kRegion, K::kZone}},
      {"fi,fi-hel,fi-hel-st-1", "fi,fi-hel,fi-hel-st-1", {K::kCountry, K::kRegion, K::kZone}},
      {"\n  de \r\n", "de", {K::kCountry}},
      {"", "", {}},
      {"   ", "", {}},
  };
  for (const Case& c : cases) {
    const auto r = LocationConstraint::parse(c.text);
    ASSERT_TRUE(r) << c.text << ": " << r.error().message;
    EXPECT_EQ(r->to_string(), c.normalized);
    std::vector<LocationKind> kinds;
    for (const auto& item : r->items()) kinds.push_back(item.kind);
    EXPECT_EQ(kinds, c.kinds) << c.text;
    EXPECT_EQ(r->empty(), c.kinds.empty());
  }
}

TEST(LocationConstraint, CountriesInOrderOfFirstAppearance) {
  const auto r = LocationConstraint::parse("de-fra-st-1, fi, de, fr-par");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->countries(), (std::vector<std::string>{"de", "fi", "fr"}));
  EXPECT_EQ(r->items()[0].country, "de");
}

TEST(LocationConstraint, Refusals) {
  struct Case {
    std::string text;
    std::string message;
    std::string item;
  };
  const Case cases[] = {
      {"fi,,de", "LocationConstraint 'fi,,de': item 2 is empty", ""},
      {"fi,", "LocationConstraint 'fi,': item 2 is empty", ""},
      {",fi", "item 1 is empty", ""},
      {"fi, ,de", "item 2 is empty", ""},
      {"fi,FI", "LocationConstraint lists 'fi' twice", "fi"},
      {"de-fra, DE-FRA", "lists 'de-fra' twice", "de-fra"},
      {"xx", "location 'xx': 'xx' is not an ISO 3166-1 alpha-2 country code", "xx"},
      {"uk-lon", "'uk' is not an ISO 3166-1 alpha-2 country code", "uk-lon"},
      {"eu", "'eu' is not an ISO", "eu"},
      {"us-east-1", "location 'us-east-1' is not a country (e.g. 'fi'), a region", "us-east-1"},
      {"finland", "location 'finland' is not a country", "finland"},
      {"fi hel", "location 'fi hel' is not a country", "fi hel"},
      {"fi-hel-st-0", "location 'fi-hel-st-0' is not", "fi-hel-st-0"},
      {"fi-hel-st-x", "is not a country", "fi-hel-st-x"},
      {"fi-hel-", "is not a country", "fi-hel-"},
      {"fi_hel", "is not a country", "fi_hel"},
      {"fi;de", "is not a country", "fi;de"},
      {std::string("f\x01"), "location 'f?' is not", "f?"},
      {std::string(1025, 'a'), "longer than 1024 characters", ""},
  };
  for (const Case& c : cases) {
    const auto r = LocationConstraint::parse(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, PlacementErrc::kInvalidLocationConstraint);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << "wanted: " << c.message << "\n   got: " << r.error().message;
    EXPECT_EQ(r.error().item, c.item) << c.text;
  }
}

TEST(LocationConstraint, AtMost32Items) {
  std::string text;
  for (int i = 1; i <= 33; ++i)
    text += (i > 1 ? "," : "") + std::string("fi-hel-st-") + std::to_string(i);
  EXPECT_FALSE(LocationConstraint::parse(text));
  text = text.substr(0, text.rfind(','));
  EXPECT_TRUE(LocationConstraint::parse(text));
}

}  // namespace
}  // namespace s3gw::placement
