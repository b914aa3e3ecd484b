#pragma once
// The AWS shared-credentials file (~/.aws/credentials): INI sections named for profiles, each
// with aws_access_key_id, aws_secret_access_key and, for temporary credentials,
// aws_session_token. Parsed as botocore reads it: '#' and ';' comment lines, "key = value" or
// "key: value", key names case-insensitive, blanks around names and values ignored; a section
// or a key given twice is refused (botocore's strict parser refuses them too), and so is a
// line that is none of these. Error messages name the file, the line, the profile and the key,
// never a value: a secret never reaches a message or a log.
#include <string>
#include <string_view>

namespace s3gw::util {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term credentials
};

// The keys of `profile` in `text`; `source` names the file in messages. Throws
// std::runtime_error when the text is malformed, the profile is missing or lacks a key.
AwsCredentials parse_aws_credentials(std::string_view text, std::string_view profile,
                                     std::string_view source);

// Reads and parses the file. It must be a regular file of at most 1 MiB that others (neither
// owner nor group) can neither read nor write and that the group cannot write: chmod 600, or
// 640 for a group the gateway's user shares. Group-readable is accepted with a warning in the
// log; anything looser is refused with std::runtime_error.
AwsCredentials load_aws_credentials_file(const std::string& path, std::string_view profile);

}  // namespace s3gw::util
