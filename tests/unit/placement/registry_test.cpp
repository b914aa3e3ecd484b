#include "placement/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "placement/csv_config_loader.h"
#include "placement/json_config_loader.h"
#include "placement/registry_loader.h"

namespace s3gw::placement {
namespace {

const std::filesystem::path kConfigDir =
    std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "config";

// One provider entry as JSON, with `extra` fields spliced in.
std::string entry(const std::string& extra = {}) {
  std::string e = R"({"id": "st", "name": "storj", "type": "filesystem", "country": "fi",
                      "city": "hel", "zones": ["fi-hel-st-1"])";
  if (!extra.empty()) e += ", " + extra;
  return e + "}";
}

std::string doc(const std::string& providers) {
  return R"({"providers": [)" + providers + "]}";
}

const char* kCsvHeader =
    "id,name,type,endpoint,region,country,city,zones,addressing_style,access_key_env,"
    "secret_key_env,credentials_file,capabilities,priority,status\n";

TEST(JsonConfigLoader, ReadsEveryField) {
  const auto r = JsonConfigLoader::parse(R"({
    "comment": "test",
    "regions": [{"id": "de-fra", "strict": true}],
    "providers": [{"id": "st", "name": "storj", "type": "s3", "country": "de", "city": "fra",
      "zones": ["de-fra-st-1", "de-fra-st-2"], "endpoint": "https://s3.example.com:9000/",
      "region": "eu-central-1", "addressing_style": "virtual",
      "credentials": {"access_key_env": "S3GW_A", "secret_key_env": "S3GW_B"},
      "capabilities": ["multipart", "versioning"], "priority": 7, "status": "degraded"}]})",
                                         "b.json");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->providers.size(), 1u);
  const Provider& p = r->providers[0];
  EXPECT_EQ(p.key(), "de-fra-st");
  EXPECT_EQ(p.type, ProviderType::kS3);
  EXPECT_EQ(p.endpoint, "https://s3.example.com:9000/");
  EXPECT_EQ(p.region, "eu-central-1");
  EXPECT_EQ(p.addressing_style, AddressingStyle::kVirtual);
  EXPECT_EQ(p.credentials.access_key_env, "S3GW_A");
  EXPECT_EQ(p.credentials.secret_key_env, "S3GW_B");
  EXPECT_EQ(p.zones, (std::vector<std::string>{"de-fra-st-1", "de-fra-st-2"}));
  EXPECT_EQ(p.capabilities, (std::vector<std::string>{"multipart", "versioning"}));
  EXPECT_EQ(p.priority, 7);
  EXPECT_EQ(p.status, ProviderStatus::kDegraded);
  EXPECT_EQ(p.source, "b.json providers[0]");
  ASSERT_EQ(r->regions.size(), 1u);
  EXPECT_TRUE(r->regions[0].strict);
  EXPECT_EQ(r->regions[0].country, "de");
}

TEST(JsonConfigLoader, Defaults) {
  const auto r = JsonConfigLoader::parse(doc(R"({"id": "st", "type": "filesystem",
      "country": "fi", "city": "hel", "zones": ["fi-hel-st-1"]})"),
                                         "a.json");
  ASSERT_TRUE(r) << r.error().message;
  const Provider& p = r->providers[0];
  EXPECT_EQ(p.name, "st");
  EXPECT_EQ(p.priority, 100);
  EXPECT_EQ(p.status, ProviderStatus::kAvailable);
  EXPECT_EQ(p.addressing_style, AddressingStyle::kPath);
}

TEST(JsonConfigLoader, Refusals) {
  const std::string s3 = R"("type": "s3", "endpoint": "https://e.example")";
  struct Case {
    std::string text;
    std::string message;  // the whole message must contain this
  };
  const Case cases[] = {
      {"{\"providers\": [\n  {,}]}", "a.json line 2: not valid JSON"},
      {"[]", "a.json: the top level must be an object"},
      {"{}", "a.json: 'providers' is required"},
      {R"({"providers": [], "zones": []})", "unknown top-level field 'zones'"},
      {R"({"providers": {}})", "'providers' must be an array"},
      {doc("1"), "a.json providers[0]: a provider must be an object"},
      {doc(entry() + "," + entry(R"("colour": "red")")),
       "a.json providers[1] (id 'st'): unknown field 'colour'"},
      {doc(R"({"type": "filesystem", "country": "fi", "city": "hel", "zones": ["fi-hel-x-1"]})"),
       "providers[0]: 'id' is required"},
      {doc(R"({"id": "st", "country": "fi", "city": "hel", "zones": ["fi-hel-st-1"]})"),
       "'type' is required"},
      {doc(entry(R"("type": "ftp")")), "type 'ftp' must be \"s3\" or \"filesystem\""},
      {doc(entry(R"("priority": "high")")), "'priority' must be an integer"},
      {doc(entry(R"("priority": 1.5)")), "'priority' must be an integer"},
      {doc(entry(R"("priority": 1000001)")), "priority 1000001 must be between 0 and 1000000"},
      {doc(entry(R"("priority": -1)")), "must be between 0 and 1000000"},
      {doc(entry(R"("priority": 99999999999)")), "'priority' must be between 0 and 1000000"},
      {doc(entry(R"("status": "sleepy")")), "status 'sleepy' must be"},
      {doc(entry(R"("addressing_style": "dns")")), "addressing_style 'dns' must be"},
      {doc(entry(R"("zones": "fi-hel-st-1")")), "'zones' must be an array of strings"},
      {doc(entry(R"("zones": [])")), "a provider needs at least one zone"},
      {doc(entry(R"("zones": ["fi-hel-st-1", "fi-hel-st-1"])")), "'fi-hel-st-1' is listed twice"},
      {doc(entry(R"("zones": ["fi-hel-st"])")), "zone 'fi-hel-st' is not named {country}-{city}"},
      {doc(entry(R"("zones": ["fi-hel-st-01"])")), "zone 'fi-hel-st-01' is not named"},
      {doc(entry(R"("zones": ["FI-hel-st-1"])")), "zone 'FI-hel-st-1' is not named"},
      {doc(entry(R"("zones": ["de-fra-st-1"])")),
       "zone 'de-fra-st-1' does not belong to provider 'st' in fi-hel (expected fi-hel-st-<n>)"},
      {doc(entry(R"("zones": ["fi-hel-uc-1"])")), "zone 'fi-hel-uc-1' does not belong"},
      {doc(entry(R"("country": "FI")")), "country 'FI' is not an ISO 3166-1 alpha-2 code"},
      {doc(entry(R"("country": "xx")")), "country 'xx' is not an ISO 3166-1 alpha-2 code"},
      {doc(entry(R"("country": "uk")")), "country 'uk' is not"},
      {doc(entry(R"("city": "hel-1")")), "city 'hel-1' must be 1-16 characters of [a-z0-9]"},
      {doc(entry(R"("id": "s-t")")), "provider id 's-t' must be 1-16 characters"},
      {doc(entry(R"("endpoint": "http://x")")), "a filesystem provider has no endpoint"},
      {doc(entry(R"("credentials": {"file": "/etc/creds"})")),
       "a filesystem provider takes no credentials"},
      {doc(entry(R"("type": "s3")")), "an s3 provider needs an endpoint"},
      {doc(entry(R"("type": "s3", "endpoint": "ftp://x")")), "must start with http:// or https://"},
      {doc(entry(R"("type": "s3", "endpoint": "https://")")), "has no host"},
      {doc(entry(R"("type": "s3", "endpoint": "https://key:secret@x")")),
       "endpoint must not carry user info"},
      {doc(entry(s3)), "an s3 provider needs credentials"},
      {doc(entry(s3 + R"(, "credentials": {"access_key_env": "A"})")),
       "credentials need both access_key_env and secret_key_env"},
      {doc(entry(s3 + R"(, "credentials": {"access_key_env": "A", "secret_key_env": "B",
                                            "file": "f"})")),
       "environment variables or a file, not both"},
      {doc(entry(s3 + R"(, "credentials": {"access_key_env": "a-b", "secret_key_env": "B"})")),
       "environment variable 'a-b' is not a name"},
      {doc(entry(s3 + R"(, "credentials": {"secret_access_key": "wJalr"})")),
       "credentials.secret_access_key: secrets never go into the configuration"},
      {doc(entry(s3 + R"(, "credentials": {"user": "x"})")), "unknown credentials field 'user'"},
      {doc(entry(R"("secret_key": "wJalr")")), "secrets never go into the configuration"},
      {doc(entry(R"("capabilities": ["teleport"])")), "unknown capability 'teleport'"},
      {doc(entry(R"("capabilities": ["multipart", "multipart"])")),
       "capability 'multipart' is listed twice"},
      {doc(entry(R"("region": "EU CENTRAL")")), "region 'EU CENTRAL' must be [a-z0-9-]"},
      {R"({"providers": [], "regions": [{"id": "fi"}]})",
       "a.json regions[0]: region 'fi' is not named {country}-{city}"},
      {R"({"providers": [], "regions": [{"id": "fi-hel", "strict": "yes"}]})",
       "'strict' must be true or false"},
      {R"({"providers": [], "regions": [{"id": "fi-hel", "zones": 1}]})", "unknown field 'zones'"},
  };
  for (const Case& c : cases) {
    const auto r = JsonConfigLoader::parse(c.text, "a.json");
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, PlacementErrc::kInvalidConfig);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << "wanted: " << c.message << "\n   got: " << r.error().message;
  }
}

TEST(CsvConfigLoader, ReadsRowsAnyColumnOrderAndQuoting) {
  const std::string text = std::string("# providers\n") + kCsvHeader +
                           "st,storj,filesystem,,,fi,hel,fi-hel-st-1,,,,,,10,\n"
                           "# a real one\n"
                           "uc,\"UpCloud, Inc. \"\"Object\"\"\",s3,https://u.example,fi-hel-1,fi,"
                           "hel,\"fi-hel-uc-1; fi-hel-uc-2\",virtual,S3GW_UC_A,S3GW_UC_B,,"
                           "multipart;versioning,20,down\n";
  const auto r = CsvConfigLoader::parse(text, "p.csv");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->providers.size(), 2u);
  EXPECT_EQ(r->providers[0].source, "p.csv line 3");
  EXPECT_EQ(r->providers[0].name, "storj");
  EXPECT_EQ(r->providers[0].priority, 10);
  const Provider& uc = r->providers[1];
  EXPECT_EQ(uc.source, "p.csv line 5");
  EXPECT_EQ(uc.name, "UpCloud, Inc. \"Object\"");
  EXPECT_EQ(uc.zones, (std::vector<std::string>{"fi-hel-uc-1", "fi-hel-uc-2"}));
  EXPECT_EQ(uc.capabilities, (std::vector<std::string>{"multipart", "versioning"}));
  EXPECT_EQ(uc.status, ProviderStatus::kDown);
  EXPECT_EQ(uc.addressing_style, AddressingStyle::kVirtual);
  EXPECT_EQ(uc.credentials.secret_key_env, "S3GW_UC_B");

  const auto reordered = CsvConfigLoader::parse(
      "ZONES,city,country,type,id\n\"fi-hel-st-1\",hel,fi,filesystem,st\n", "p.csv");
  ASSERT_TRUE(reordered) << reordered.error().message;
  EXPECT_EQ(reordered->providers[0].key(), "fi-hel-st");
}

TEST(CsvConfigLoader, Refusals) {
  const std::string h = kCsvHeader;
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"# nothing\n", "p.csv: a header line is required"},
      {"st,storj,filesystem\n", "p.csv line 1: unknown column 'st'"},
      {"id,type,country,city\n", "lacks the required column 'zones'"},
      {"id,type,country,city,zones,id\n", "column 'id' appears twice"},
      {"id,type,country,city,zones,secret_key\n", "secrets never go into the configuration"},
      {h + "st,storj,filesystem\n", "p.csv line 2: 3 fields, the header has 15"},
      {h + ",storj,filesystem,,,fi,hel,fi-hel-st-1,,,,,,,\n", "line 2: 'id' is required"},
      {h + "st,storj,filesystem,,,fi,hel,fi-hel-st-1,,,,,,ten,\n",
       "line 2: priority 'ten' must be an integer"},
      {h + "st,storj,filesystem,,,fi,hel,fi-hel-st-1;;fi-hel-st-2,,,,,,,\n",
       "line 2: zones 'fi-hel-st-1;;fi-hel-st-2' has an empty item"},
      {h + "st,storj,filesystem,,,fi,hel,fi-hel-xx-1,,,,,,,\n",
       "p.csv line 2 (id 'st'): zone 'fi-hel-xx-1' does not belong"},
      {h + "st,storj,cloud,,,fi,hel,fi-hel-st-1,,,,,,,\n", "type 'cloud' must be s3 or filesystem"},
      {h + "st,storj,filesystem,,,fi,hel,fi-hel-st-1,,,,,,,gone\n", "status 'gone' must be"},
      {h + "st,storj,filesystem,,,fi,hel,fi-hel-st-1,sideways,,,,,,\n", "addressing_style"},
      {h + "st,storj,filesystem,,,fi,hel,\"fi-hel-st-1\n", "p.csv line 2: quoted field is not"},
  };
  for (const Case& c : cases) {
    const auto r = CsvConfigLoader::parse(c.text, "p.csv");
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, PlacementErrc::kInvalidConfig);
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << "wanted: " << c.message << "\n   got: " << r.error().message;
  }
}

RegistryConfig json_config(const std::string& text, const std::string& name = "a.json") {
  auto r = JsonConfigLoader::parse(text, name);
  EXPECT_TRUE(r) << r.error().message;
  return r ? std::move(r.value()) : RegistryConfig{};
}

TEST(Registry, DuplicatesAcrossFilesAreRefused) {
  const auto a = json_config(doc(entry()));
  {
    auto csv = CsvConfigLoader::parse(
        std::string(kCsvHeader) + "st,storj,filesystem,,,fi,hel,fi-hel-st-2,,,,,,,\n", "p.csv");
    ASSERT_TRUE(csv);
    const auto r = Registry::create({a, csv.value()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "p.csv line 2: provider 'st' in fi-hel is already defined in a.json providers[0]");
  }
  {
    const auto r = Registry::create({a, json_config(doc(entry(R"("name": "other")")), "b.json")});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("b.json providers[0]: provider 'st' in fi-hel is already"),
              std::string::npos)
        << r.error().message;
  }
  {
    const auto r = Registry::create({a, json_config(doc(R"({"id": "st", "name": "Storj2",
        "type": "filesystem", "country": "de", "city": "fra", "zones": ["de-fra-st-1"]})"),
                                                    "b.json")});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "b.json providers[0]: provider 'st' is named 'Storj2' but 'storj' in a.json "
              "providers[0] (backend bucket names use the name)");
  }
  {
    const auto r = Registry::create({json_config(R"({"providers": [],
        "regions": [{"id": "fi-hel"}, {"id": "fi-hel", "strict": true}]})")});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "a.json regions[1]: region 'fi-hel' is already declared in a.json regions[0]");
  }
}

const char* kThree = R"({"regions": [{"id": "de-fra", "strict": true}, {"id": "se-sto"}],
  "providers": [
  {"id": "uc", "type": "filesystem", "country": "fi", "city": "hel", "zones": ["fi-hel-uc-1"],
   "priority": 20},
  {"id": "st", "type": "filesystem", "country": "fi", "city": "hel",
   "zones": ["fi-hel-st-2", "fi-hel-st-1"], "priority": 10},
  {"id": "st", "type": "filesystem", "country": "de", "city": "fra", "zones": ["de-fra-st-1"],
   "priority": 10, "status": "down"}]})";

TEST(Registry, ListsAndFinds) {
  auto r = Registry::create({json_config(kThree)});
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> ids;
  for (const Zone& z : r->zones()) ids.push_back(z.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"de-fra-st-1", "fi-hel-st-1", "fi-hel-st-2", "fi-hel-uc-1"}));
  ids.clear();
  for (const Zone* z : r->zones_in_country("fi")) ids.push_back(z->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"fi-hel-st-1", "fi-hel-st-2", "fi-hel-uc-1"}));
  EXPECT_EQ(r->zones_in_region("fi-hel").size(), 3u);
  EXPECT_TRUE(r->zones_in_region("fi-tku").empty());
  EXPECT_EQ(r->countries(), (std::vector<std::string>{"de", "fi"}));
  EXPECT_TRUE(r->has_country("de"));
  EXPECT_FALSE(r->has_country("se"));

  const Zone* z = r->find_zone("fi-hel-uc-1");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->provider, "uc");
  EXPECT_EQ(z->provider_key, "fi-hel-uc");
  EXPECT_EQ(z->region, "fi-hel");
  EXPECT_EQ(z->priority, 20);
  EXPECT_EQ(r->find_zone("fi-hel-uc-9"), nullptr);
  ASSERT_NE(r->find_provider("de-fra-st"), nullptr);
  EXPECT_EQ(r->find_provider("st"), nullptr);

  // Declared regions keep their flag; the providers imply the others; se-sto has no zones.
  ASSERT_EQ(r->regions().size(), 3u);
  EXPECT_TRUE(r->find_region("de-fra")->strict);
  EXPECT_FALSE(r->find_region("fi-hel")->strict);
  EXPECT_EQ(r->find_region("fi-hel")->source, "");
  ASSERT_NE(r->find_region("se-sto"), nullptr);
}

TEST(Registry, HealthIsSettableAndSurvivesAReload) {
  auto r = Registry::create({json_config(kThree)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status("de-fra-st"), ProviderStatus::kDown);  // from the file
  EXPECT_EQ(r->status("fi-hel-st"), ProviderStatus::kAvailable);
  EXPECT_EQ(r->status("nope"), ProviderStatus::kDown);
  EXPECT_FALSE(r->set_status("nope", ProviderStatus::kAvailable));
  EXPECT_TRUE(r->set_status("fi-hel-st", ProviderStatus::kDegraded));
  EXPECT_EQ(r->zone_status(*r->find_zone("fi-hel-st-2")), ProviderStatus::kDegraded);

  auto reloaded = Registry::create({json_config(kThree)});
  ASSERT_TRUE(reloaded);
  reloaded->copy_statuses_from(r.value());
  EXPECT_EQ(reloaded->status("fi-hel-st"), ProviderStatus::kDegraded);
}

TEST(Registry, HealthFromManyThreads) {
  auto r = Registry::create({json_config(kThree)});
  ASSERT_TRUE(r);
  Registry& reg = r.value();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&reg, t] {
      for (int i = 0; i < 2000; ++i) {
        reg.set_status("fi-hel-uc",
                       (i + t) % 2 ? ProviderStatus::kDown : ProviderStatus::kDegraded);
        (void)reg.status_snapshot();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_NE(reg.status("fi-hel-uc"), ProviderStatus::kAvailable);
}

TEST(RegistryLoader, DevConfigurationLoads) {
  const auto r = load_registry(
      {(kConfigDir / "s3_backends.json").string(), (kConfigDir / "providers.csv").string()});
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> ids;
  for (const Zone& z : r->zones()) ids.push_back(z.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids,
            (std::vector<std::string>{"de-fra-hz-1", "de-fra-st-1", "de-fra-uc-1", "fi-hel-st-1",
                                      "fi-hel-uc-1", "fr-par-hz-1", "fr-par-st-1"}));
  for (const Provider& p : r->providers()) EXPECT_EQ(p.type, ProviderType::kFilesystem);
  EXPECT_TRUE(r->find_region("de-fra")->strict);
  EXPECT_FALSE(r->find_region("fi-hel")->strict);
}

TEST(RegistryLoader, TheCsvExampleRowIsValid) {
  // The commented example in config/providers.csv must load once uncommented.
  std::ifstream in(kConfigDir / "providers.csv");
  std::string line;
  std::string text;
  while (std::getline(in, line)) {
    if (line.starts_with("# se,")) line = line.substr(2);
    text += line + "\n";
  }
  const auto r = CsvConfigLoader::parse(text, "providers.csv");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->providers.size(), 2u);
  EXPECT_EQ(r->providers[0].type, ProviderType::kS3);
  EXPECT_EQ(r->providers[0].zones, (std::vector<std::string>{"se-sto-ex-1"}));
  // The second: a credentials file with a profile, and a private CA.
  EXPECT_EQ(r->providers[1].credentials.file, "credentials");
  EXPECT_EQ(r->providers[1].credentials.profile, "example");
  EXPECT_EQ(r->providers[1].tls.ca_file, "example-ca.pem");
}

TEST(RegistryLoader, FileErrors) {
  const auto missing = load_registry({"/nonexistent/x.json"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/nonexistent/x.json: cannot be read");
  const auto format = load_registry({"providers.yaml"});
  ASSERT_FALSE(format);
  EXPECT_NE(format.error().message.find("unknown configuration format"), std::string::npos);
  EXPECT_FALSE(load_registry({}));
}

}  // namespace
}  // namespace s3gw::placement
