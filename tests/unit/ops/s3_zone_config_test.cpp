#include "ops/s3_zone_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace s3gw::ops {
namespace {

placement::Provider s3_provider() {
  placement::Provider p;
  p.id = "st";
  p.name = "storj";
  p.type = placement::ProviderType::kS3;
  p.endpoint = "https://s3.example.com";
  p.region = "eu-north-1";
  p.country = "fi";
  p.city = "hel";
  p.zones = {"fi-hel-st-1"};
  p.addressing_style = placement::AddressingStyle::kVirtual;
  return p;
}

std::string error_of(const placement::Provider& p) {
  try {
    s3_provider_config(p, "fi-hel-st-1");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

TEST(S3ZoneConfig, KeysFromEnvironmentVariables) {
  ::setenv("S3GW_TEST_ZONE_AK", "AKIDENV", 1);
  ::setenv("S3GW_TEST_ZONE_SK", "envsecret", 1);
  auto p = s3_provider();
  p.credentials.access_key_env = "S3GW_TEST_ZONE_AK";
  p.credentials.secret_key_env = "S3GW_TEST_ZONE_SK";
  p.tls.ca_file = "/etc/ssl/private-ca.pem";
  const auto c = s3_provider_config(p, "fi-hel-st-1");
  EXPECT_EQ(c.zone_id, "fi-hel-st-1");
  EXPECT_EQ(c.endpoint, "https://s3.example.com");
  EXPECT_EQ(c.region, "eu-north-1");
  EXPECT_EQ(c.addressing, storage::S3AddressingStyle::kVirtualHost);
  EXPECT_EQ(c.access_key_id, "AKIDENV");
  EXPECT_EQ(c.secret_access_key, "envsecret");
  EXPECT_EQ(c.tls.ca_file, "/etc/ssl/private-ca.pem");
  EXPECT_FALSE(c.tls.insecure_skip_verify);

  p.credentials.secret_key_env = "S3GW_TEST_ZONE_UNSET";
  ::unsetenv("S3GW_TEST_ZONE_UNSET");
  EXPECT_EQ(error_of(p), "zone fi-hel-st-1: S3GW_TEST_ZONE_UNSET is not set");
}

class ZoneCredentialsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("s3gw-zone-credentials-" + std::to_string(::getpid()));
    std::ofstream(path_) << "[default]\naws_access_key_id = AKIDEF\naws_secret_access_key = d\n"
                            "[storj]\naws_access_key_id = AKISTORJ\n"
                            "aws_secret_access_key = storjsecret\naws_session_token = TOKEN\n";
    ::chmod(path_.c_str(), 0600);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::filesystem::path path_;
};

TEST_F(ZoneCredentialsFile, DefaultAndNamedProfiles) {
  auto p = s3_provider();
  p.credentials.file = path_.string();
  p.tls.insecure_skip_verify = true;
  auto c = s3_provider_config(p, "fi-hel-st-1");
  EXPECT_EQ(c.access_key_id, "AKIDEF");
  EXPECT_EQ(c.secret_access_key, "d");
  EXPECT_TRUE(c.tls.insecure_skip_verify);
  p.credentials.profile = "storj";
  c = s3_provider_config(p, "fi-hel-st-1");
  EXPECT_EQ(c.access_key_id, "AKISTORJ");
  EXPECT_EQ(c.secret_access_key, "storjsecret");
  EXPECT_EQ(c.session_token, "TOKEN");
}

TEST_F(ZoneCredentialsFile, ErrorsNameTheZoneAndNeverTheSecret) {
  auto p = s3_provider();
  p.credentials.file = path_.string();
  p.credentials.profile = "missing";
  std::string msg = error_of(p);
  EXPECT_EQ(msg.rfind("zone fi-hel-st-1: credentials file " + path_.string(), 0), 0u) << msg;
  EXPECT_NE(msg.find("no profile [missing] (sections: default, storj)"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("storjsecret"), std::string::npos) << msg;

  ::chmod(path_.c_str(), 0644);
  p.credentials.profile = "storj";
  msg = error_of(p);
  EXPECT_NE(msg.find("chmod 600"), std::string::npos) << msg;

  p.credentials.file = "/nonexistent/credentials";
  msg = error_of(p);
  EXPECT_NE(msg.find("zone fi-hel-st-1: credentials file /nonexistent/credentials"),
            std::string::npos)
      << msg;
}

}  // namespace
}  // namespace s3gw::ops
