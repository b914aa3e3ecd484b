#include "util/aws_credentials_file.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "util/log.h"
#include "util/strings.h"

namespace s3gw::util {

namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

// A value that goes into a request header: printable ASCII, no blanks.
bool header_token(std::string_view v) {
  return !v.empty() &&
         std::all_of(v.begin(), v.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

// Overwrites a string that held a secret before its memory goes back to the allocator.
struct Cleansed {
  std::string& s;
  ~Cleansed() { OPENSSL_cleanse(s.data(), s.size()); }
};

}  // namespace

AwsCredentials parse_aws_credentials(std::string_view text, std::string_view profile,
                                     std::string_view source) {
  const std::string file(source);
  const auto fail = [&](std::size_t line, const std::string& why) -> std::runtime_error {
    return std::runtime_error("credentials file " + file +
                              (line > 0 ? " line " + std::to_string(line) : std::string()) + ": " +
                              why);
  };
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark

  std::vector<std::string> sections;   // in file order, for the "not found" message
  std::optional<std::string> current;  // the section being read
  std::string last_key;                // for continuation lines
  bool in_profile = false;
  std::vector<std::string> seen_keys;  // of the wanted profile
  AwsCredentials out;
  std::vector<std::string> multi_line;  // keys of the wanted profile continued on a next line

  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const bool indented = !line.empty() && is_ows(line.front());
    const std::string_view t = trim_ows(line);
    if (t.empty() || t.front() == '#' || t.front() == ';') continue;
    if (indented && !last_key.empty()) {
      // A continuation of the previous value (botocore's nested settings, "s3 =\n  x = y").
      if (in_profile) multi_line.push_back(last_key);
      continue;
    }
    if (t.front() == '[') {
      if (t.back() != ']') throw fail(line_no, "a section header must end with ']'");
      const std::string name(trim_ows(t.substr(1, t.size() - 2)));
      if (name.empty()) throw fail(line_no, "empty section name");
      if (std::find(sections.begin(), sections.end(), name) != sections.end()) {
        throw fail(line_no, "section [" + name + "] appears twice");
      }
      sections.push_back(name);
      current = name;
      in_profile = name == profile;
      last_key.clear();
      continue;
    }
    const std::size_t sep = t.find_first_of("=:");
    if (sep == std::string_view::npos || sep == 0) {
      throw fail(line_no, "expected [profile], key = value or a comment");
    }
    if (!current) throw fail(line_no, "a setting before any [profile] section");
    const std::string key = ascii_lower(trim_ows(t.substr(0, sep)));
    if (key.empty()) throw fail(line_no, "expected [profile], key = value or a comment");
    last_key = key;
    if (!in_profile) continue;
    if (std::find(seen_keys.begin(), seen_keys.end(), key) != seen_keys.end()) {
      throw fail(line_no, "'" + key + "' appears twice in [" + *current + "]");
    }
    seen_keys.push_back(key);
    const std::string_view value = trim_ows(t.substr(sep + 1));
    if (key == "aws_access_key_id") {
      out.access_key_id = std::string(value);
    } else if (key == "aws_secret_access_key") {
      out.secret_access_key = std::string(value);
    } else if (key == "aws_session_token") {
      out.session_token = std::string(value);
    }
  }

  if (std::find(sections.begin(), sections.end(), profile) == sections.end()) {
    std::string known;
    for (const auto& s : sections) known += (known.empty() ? "" : ", ") + s;
    throw fail(0, "no profile [" + std::string(profile) + "]" +
                      (known.empty() ? std::string(" (the file has no sections)")
                                     : " (sections: " + known + ")"));
  }
  const std::string where = " in profile [" + std::string(profile) + "]";
  for (const char* key : {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"}) {
    if (std::find(multi_line.begin(), multi_line.end(), key) != multi_line.end()) {
      throw fail(0, std::string(key) + where + " continues on the next line (an indented line)");
    }
  }
  if (out.access_key_id.empty()) throw fail(0, "aws_access_key_id is missing or empty" + where);
  if (out.secret_access_key.empty()) {
    throw fail(0, "aws_secret_access_key is missing or empty" + where);
  }
  if (!header_token(out.access_key_id)) {
    throw fail(0, "aws_access_key_id" + where + " has blanks or non-ASCII characters");
  }
  if (!header_token(out.secret_access_key)) {
    throw fail(0, "aws_secret_access_key" + where + " has blanks or non-ASCII characters");
  }
  if (!out.session_token.empty() && !header_token(out.session_token)) {
    throw fail(0, "aws_session_token" + where + " has blanks or non-ASCII characters");
  }
  return out;
}

AwsCredentials load_aws_credentials_file(const std::string& path, std::string_view profile) {
  const std::string what = "credentials file " + path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error(what + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(what + " is not a regular file");
  if ((st.st_mode & (S_IRWXO | S_IWGRP)) != 0) {
    throw std::runtime_error(what +
                             " is accessible to others or writable by its group; chmod 600 it "
                             "(or 640 for a group the gateway's user shares)");
  }
  if ((st.st_mode & S_IRGRP) != 0) {
    log_warn("config", what + " is readable by its group; chmod 600 it unless that is meant");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxFileBytes) {
    throw std::runtime_error(what + " is larger than 1 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(what + ": cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  const Cleansed cleanse{text};
  return parse_aws_credentials(text, profile, path);
}

}  // namespace s3gw::util
