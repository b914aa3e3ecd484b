#include "util/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/encoding.h"

namespace s3gw::util {
namespace {

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class KeyFile {
 public:
  KeyFile(const std::string& content, mode_t mode) {
    path_ =
        std::filesystem::temp_directory_path() /
        ("s3gw-master-key-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::ofstream(path_) << content;
    ::chmod(path_.c_str(), mode);
  }
  ~KeyFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(MasterKey, NoneConfigured) {
  EXPECT_FALSE(load_master_key(std::nullopt, std::nullopt).has_value());
  EXPECT_FALSE(load_master_key(std::string(), std::string()).has_value());
}

TEST(MasterKey, FromHex) {
  auto k = load_master_key(kHex, std::nullopt);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(hex_encode(*k), kHex);
  EXPECT_EQ(load_master_key("  " + kHex + "\n", std::nullopt), k);
}

TEST(MasterKey, BadHexNeverQuotedInTheError) {
  for (const std::string& bad :
       {kHex.substr(2), kHex + "00", "zz" + kHex.substr(2), std::string("secret")}) {
    try {
      load_master_key(bad, std::nullopt);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(MasterKey, FromPrivateFile) {
  KeyFile f(kHex + "\n", 0600);
  auto k = load_master_key(std::nullopt, f.path());
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(hex_encode(*k), kHex);
  KeyFile r(kHex, 0400);
  EXPECT_EQ(load_master_key(std::nullopt, r.path()), k);
}

TEST(MasterKey, RefusesFilesOthersCanReach) {
  for (mode_t mode : {0644, 0640, 0604, 0660, 0606}) {
    KeyFile f(kHex, mode);
    EXPECT_THROW(load_master_key(std::nullopt, f.path()), std::runtime_error) << std::oct << mode;
  }
}

TEST(MasterKey, RefusesMissingFileAndBothSettings) {
  EXPECT_THROW(load_master_key(std::nullopt, "/nonexistent/s3gw-key"), std::runtime_error);
  KeyFile f(kHex, 0600);
  EXPECT_THROW(load_master_key(kHex, f.path()), std::runtime_error);
  KeyFile bad("not a key", 0600);
  EXPECT_THROW(load_master_key(std::nullopt, bad.path()), std::runtime_error);
}

}  // namespace
}  // namespace s3gw::util
