// The TLS and credentials-file settings of a provider entry: both file formats, every refusal,
// and relative file names resolved against the configuration file's directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "placement/csv_config_loader.h"
#include "placement/json_config_loader.h"
#include "placement/registry_loader.h"

namespace s3gw::placement {
namespace {

std::string s3_entry(const std::string& extra) {
  return R"({"providers": [{"id": "st", "type": "s3", "country": "fi", "city": "hel",
             "zones": ["fi-hel-st-1"], "endpoint": "https://s3.example.com", )" +
         extra + "}]}";
}

const std::string kEnvCredentials =
    R"("credentials": {"access_key_env": "S3GW_A", "secret_key_env": "S3GW_B"})";

TEST(ProviderTlsConfig, JsonReadsTlsAndCredentialsFile) {
  auto r = JsonConfigLoader::parse(
      s3_entry(R"("tls": {"ca_file": "/etc/s3gw/ca.pem", "comment": "private CA"},
                  "credentials": {"file": "/etc/s3gw/credentials", "profile": "storj"})"),
      "a.json");
  ASSERT_TRUE(r) << r.error().message;
  const Provider& p = r->providers[0];
  EXPECT_EQ(p.tls.ca_file, "/etc/s3gw/ca.pem");
  EXPECT_FALSE(p.tls.insecure_skip_verify);
  EXPECT_EQ(p.credentials.file, "/etc/s3gw/credentials");
  EXPECT_EQ(p.credentials.profile, "storj");

  r = JsonConfigLoader::parse(
      s3_entry(R"("tls": {"insecure_skip_verify": true}, "credentials": {"file": "c"})"), "a.json");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->providers[0].tls.insecure_skip_verify);
  EXPECT_EQ(r->providers[0].credentials.profile, "");  // "default" when the zone is built

  // Verification is the default: no tls field at all.
  r = JsonConfigLoader::parse(s3_entry(kEnvCredentials), "a.json");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->providers[0].tls.empty());
}

TEST(ProviderTlsConfig, JsonRefusals) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string fs = R"({"providers": [{"id": "st", "type": "filesystem", "country": "fi",
                             "city": "hel", "zones": ["fi-hel-st-1"], )";
  const Case cases[] = {
      {s3_entry(kEnvCredentials + R"(, "tls": {"verify": false})"),
       "unknown tls field 'verify' (known: ca_file, insecure_skip_verify, comment)"},
      {s3_entry(kEnvCredentials + R"(, "tls": {"insecure_skip_verify": "yes"})"),
       "'insecure_skip_verify' must be true or false"},
      {s3_entry(kEnvCredentials + R"(, "tls": "off")"), "'tls' must be an object"},
      {s3_entry(kEnvCredentials + R"(, "tls": {"ca_file": 3})"), "'ca_file' must be a string"},
      {s3_entry(kEnvCredentials +
                R"(, "tls": {"ca_file": "ca.pem", "insecure_skip_verify": true})"),
       "tls.ca_file and tls.insecure_skip_verify contradict each other"},
      {R"({"providers": [{"id": "st", "type": "s3", "country": "fi", "city": "hel",
           "zones": ["fi-hel-st-1"], "endpoint": "http://s3.example.com", )" +
           kEnvCredentials + R"(, "tls": {"ca_file": "ca.pem"}}]})",
       "tls settings need an https:// endpoint"},
      {fs + R"("tls": {"insecure_skip_verify": true}}]})", "tls settings are for s3 providers"},
      {s3_entry(R"("credentials": {"access_key_env": "S3GW_A", "secret_key_env": "S3GW_B",
                                   "profile": "x"})"),
       "a credentials profile needs a credentials file"},
      {s3_entry(R"("credentials": {"file": "c", "profile": "[x]"})"),
       "credentials profile '[x]' must be"},
      {s3_entry(R"("credentials": {"file": "c", "profile": 1})"), "'profile' must be a string"},
      {s3_entry(R"("credentials": {"file": "c", "aws_secret_access_key": "x"})"),
       "secrets never go into the configuration"},
  };
  for (const Case& c : cases) {
    const auto r = JsonConfigLoader::parse(c.text, "a.json");
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos)
        << r.error().message << "\n  expected: " << c.message;
  }
}

const char* kCsvHeader =
    "id,type,endpoint,country,city,zones,credentials_file,credentials_profile,tls_ca_file,"
    "tls_insecure_skip_verify\n";

TEST(ProviderTlsConfig, CsvColumns) {
  auto r = CsvConfigLoader::parse(
      std::string(kCsvHeader) +
          "st,s3,https://s3.example.com,fi,hel,fi-hel-st-1,creds.ini,storj,ca.pem,\n"
          "uc,s3,https://s3.example.com,fi,hel,fi-hel-uc-1,creds.ini,,,true\n"
          "hz,s3,https://s3.example.com,fi,hel,fi-hel-hz-1,creds.ini,,,false\n",
      "p.csv");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->providers[0].credentials.file, "creds.ini");
  EXPECT_EQ(r->providers[0].credentials.profile, "storj");
  EXPECT_EQ(r->providers[0].tls.ca_file, "ca.pem");
  EXPECT_TRUE(r->providers[1].tls.insecure_skip_verify);
  EXPECT_FALSE(r->providers[2].tls.insecure_skip_verify);

  r = CsvConfigLoader::parse(
      std::string(kCsvHeader) + "st,s3,https://s3.example.com,fi,hel,fi-hel-st-1,c,,,yes\n",
      "p.csv");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("p.csv line 2: tls_insecure_skip_verify 'yes' must be true "
                                   "or false"),
            std::string::npos)
      << r.error().message;

  r = CsvConfigLoader::parse(
      std::string(kCsvHeader) + "st,s3,http://s3.example.com,fi,hel,fi-hel-st-1,c,,ca.pem,\n",
      "p.csv");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("tls settings need an https:// endpoint"), std::string::npos)
      << r.error().message;
}

TEST(ProviderTlsConfig, RelativeFilesResolveAgainstTheConfigurationDirectory) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("s3gw-tls-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "sub");
  const auto json = dir / "sub" / "s3_backends.json";
  std::ofstream(json) << s3_entry(
      R"("tls": {"ca_file": "certs/../ca.pem"}, "credentials": {"file": "/abs/credentials"})");
  const auto csv = dir / "providers.csv";
  std::ofstream(csv) << kCsvHeader
                     << "uc,s3,https://s3.example.com,fi,hel,fi-hel-uc-1,creds.ini,,,true\n";

  auto r = load_config_file(json.string());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->providers[0].tls.ca_file, (dir / "sub" / "ca.pem").string());
  EXPECT_EQ(r->providers[0].credentials.file, "/abs/credentials");  // absolute: kept
  r = load_config_file(csv.string());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->providers[0].credentials.file, (dir / "creds.ini").string());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace s3gw::placement
