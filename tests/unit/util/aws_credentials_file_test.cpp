#include "util/aws_credentials_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace s3gw::util {
namespace {

const char* kFile = R"(# written by aws configure
[default]
aws_access_key_id = AKIDEFAULT
aws_secret_access_key = default/secret+key

; another profile, with odd but valid spacing and a ':' delimiter
[storj]
AWS_Access_Key_Id:AKISTORJ
aws_secret_access_key   =   st0rj=secret:with/separators   
region = eu-north-1
s3 =
    addressing_style = path

[temp]
aws_access_key_id=ASIATEMP
aws_secret_access_key=tempsecret
aws_session_token=FQoGZXIvYXdzEJr//////////wEaDM+token=
)";

// The message of the runtime_error that parsing throws; empty when it does not throw.
std::string error_of(std::string_view text, std::string_view profile = "default") {
  try {
    parse_aws_credentials(text, profile, "creds");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

TEST(AwsCredentialsFile, ReadsTheNamedProfile) {
  auto c = parse_aws_credentials(kFile, "default", "f");
  EXPECT_EQ(c.access_key_id, "AKIDEFAULT");
  EXPECT_EQ(c.secret_access_key, "default/secret+key");
  EXPECT_EQ(c.session_token, "");
  c = parse_aws_credentials(kFile, "storj", "f");
  EXPECT_EQ(c.access_key_id, "AKISTORJ");                          // key names are case-insensitive
  EXPECT_EQ(c.secret_access_key, "st0rj=secret:with/separators");  // split at the first only
  c = parse_aws_credentials(kFile, "temp", "f");
  EXPECT_EQ(c.session_token, "FQoGZXIvYXdzEJr//////////wEaDM+token=");
}

TEST(AwsCredentialsFile, CrLfAndByteOrderMark) {
  const auto c = parse_aws_credentials(
      "\xEF\xBB\xBF[default]\r\naws_access_key_id = A\r\naws_secret_access_key = S\r\n", "default",
      "f");
  EXPECT_EQ(c.access_key_id, "A");
  EXPECT_EQ(c.secret_access_key, "S");
}

TEST(AwsCredentialsFile, OtherProfilesMayBeIncompleteOrOdd) {
  // Only the wanted profile must be complete; duplicate keys elsewhere are not its problem.
  const auto c = parse_aws_credentials(
      "[other]\nregion = x\nregion = y\n[default]\naws_access_key_id=A\naws_secret_access_key=S\n",
      "default", "f");
  EXPECT_EQ(c.access_key_id, "A");
}

TEST(AwsCredentialsFile, Refusals) {
  struct Case {
    std::string text;
    std::string profile;
    std::string expect;  // in the message
  };
  const std::vector<Case> cases = {
      {"", "default", "no profile [default] (the file has no sections)"},
      {"[a]\n[b]\n", "default", "no profile [default] (sections: a, b)"},
      {"[default]\naws_secret_access_key = S\n", "default", "aws_access_key_id is missing"},
      {"[default]\naws_access_key_id = A\n", "default", "aws_secret_access_key is missing"},
      {"[default]\naws_access_key_id =\naws_secret_access_key = S\n", "default",
       "aws_access_key_id is missing or empty in profile [default]"},
      {"aws_access_key_id = A\n[default]\n", "default", "line 1: a setting before any"},
      {"[default]\njust words\n", "default", "line 2: expected [profile], key = value"},
      {"[default\n", "default", "line 1: a section header must end with ']'"},
      {"[]\n", "default", "line 1: empty section name"},
      {"[default]\n[x]\n[default]\n", "default", "line 3: section [default] appears twice"},
      {"[default]\naws_access_key_id=A\nAWS_ACCESS_KEY_ID=B\naws_secret_access_key=S\n", "default",
       "line 3: 'aws_access_key_id' appears twice in [default]"},
      {"[default]\naws_access_key_id=A\naws_secret_access_key=\n  S\n", "default",
       "aws_secret_access_key in profile [default] continues on the next line"},
      {"[default]\naws_access_key_id=A B\naws_secret_access_key=S\n", "default",
       "aws_access_key_id in profile [default] has blanks"},
      {"[p]\naws_access_key_id=A\naws_secret_access_key=S\n", "default", "sections: p"},
  };
  for (const Case& c : cases) {
    const std::string msg = error_of(c.text, c.profile);
    EXPECT_NE(msg.find(c.expect), std::string::npos) << c.text << " -> " << msg;
    EXPECT_EQ(msg.rfind("credentials file creds", 0), 0u) << msg;
  }
}

TEST(AwsCredentialsFile, MessagesNeverQuoteAValue) {
  const std::string secret = "VERY-SECRET-VALUE";
  for (const std::string& text : {
           "[default]\naws_access_key_id=A\naws_secret_access_key=" + secret + " x\n",
           "[default]\naws_access_key_id=A\naws_secret_access_key=" + secret + "\n" + secret + "\n",
           "[default]\naws_access_key_id=" + secret + "\naws_access_key_id=" + secret + "\n",
       }) {
    const std::string msg = error_of(text);
    ASSERT_FALSE(msg.empty()) << text;
    EXPECT_EQ(msg.find(secret), std::string::npos) << msg;
  }
}

class CredentialsFile {
 public:
  CredentialsFile(const std::string& content, mode_t mode) {
    path_ =
        std::filesystem::temp_directory_path() /
        ("s3gw-credentials-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::ofstream(path_) << content;
    ::chmod(path_.c_str(), mode);
  }
  ~CredentialsFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(AwsCredentialsFile, LoadsAPrivateFile) {
  const CredentialsFile f(kFile, 0600);
  EXPECT_EQ(load_aws_credentials_file(f.path(), "storj").access_key_id, "AKISTORJ");
  const CredentialsFile group_readable(kFile, 0640);  // accepted, with a warning in the log
  EXPECT_EQ(load_aws_credentials_file(group_readable.path(), "default").access_key_id,
            "AKIDEFAULT");
}

TEST(AwsCredentialsFile, RefusesAnOpenFile) {
  for (mode_t mode : {0644, 0604, 0660, 0602}) {
    const CredentialsFile f(kFile, mode);
    try {
      load_aws_credentials_file(f.path(), "default");
      ADD_FAILURE() << "mode " << std::oct << mode << " accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos) << e.what();
    }
  }
}

TEST(AwsCredentialsFile, MissingFileOrDirectory) {
  EXPECT_THROW(load_aws_credentials_file("/nonexistent/s3gw/credentials", "default"),
               std::runtime_error);
  EXPECT_THROW(
      load_aws_credentials_file(std::filesystem::temp_directory_path().string(), "default"),
      std::runtime_error);
}

}  // namespace
}  // namespace s3gw::util
