#pragma once
// Parsing of S3 request bodies (pugixml). The caller bounds the body (64 KiB); the parser
// rejects DOCTYPE outright, so no entity tricks reach it, and never fetches anything.
//
// Documents are accepted with the S3 namespace (xmlns="http://s3.amazonaws.com/doc/2006-03-01/",
// also through a prefix) or with none; another namespace, a second root element, text outside
// the root, or a malformed document is MalformedXML.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "s3/error.h"
#include "s3/tagging.h"
#include "util/checksum.h"

namespace s3gw::s3 {

struct CreateBucketConfiguration {
  std::string location_constraint;  // empty: none given (an empty body is valid)
};

// The body of CreateBucket. Whitespace around the constraint is trimmed. Errors:
// MalformedXML (not XML, wrong root, unknown or repeated element, element inside the
// constraint); NotImplemented for the directory-bucket elements <Location> and <Bucket> and for
// <Tags>, which AWS defines but this gateway does not support.
std::variant<CreateBucketConfiguration, S3Error> parse_create_bucket_configuration(
    std::string_view body);

// One <Part> of a CompleteMultipartUpload body.
struct CompletedPart {
  long long number = 0;  // as sent; the handler checks the range
  std::string etag;      // as sent (quotes kept)
  std::vector<std::pair<util::ChecksumAlgorithm, std::string>> checksums;  // <ChecksumCRC32>...
};

struct CompleteMultipartUpload {
  std::vector<CompletedPart> parts;  // in the order sent
};

// The body of CompleteMultipartUpload. MalformedXML: not XML, wrong root, no <Part>, a part
// without exactly one <PartNumber> (an integer) and one <ETag>, an unknown or repeated element.
std::variant<CompleteMultipartUpload, S3Error> parse_complete_multipart_upload(
    std::string_view body);

// PutBucketVersioning. Status "Enabled" or "Suspended" (absent: nullopt, which changes
// nothing); MfaDelete "Disabled" is accepted, "Enabled" is NotImplemented (no MFA here).
struct VersioningConfiguration {
  std::optional<std::string> status;
};
std::variant<VersioningConfiguration, S3Error> parse_versioning_configuration(
    std::string_view body);

// Put{Object,Bucket}Tagging: <Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>.
// MalformedXML for a wrong shape; the tag rules are validate_tags' (tagging.h).
std::variant<TagSet, S3Error> parse_tagging(std::string_view body);

// DeleteObjects: <Delete><Quiet/>?<Object><Key/><VersionId/>?</Object>...</Delete>. MalformedXML
// for none or more than kMaxDeleteObjects objects, as S3 answers.
inline constexpr std::size_t kMaxDeleteObjects = 1000;
struct ObjectIdentifier {
  std::string key;
  std::optional<std::string> version_id;
};
struct DeleteRequest {
  bool quiet = false;
  std::vector<ObjectIdentifier> objects;
};
std::variant<DeleteRequest, S3Error> parse_delete(std::string_view body);

// PutObjectLockConfiguration: ObjectLockEnabled "Enabled" and an optional default retention
// (mode GOVERNANCE or COMPLIANCE, Days or Years, exactly one, positive).
struct DefaultRetention {
  std::string mode;
  std::optional<long long> days;
  std::optional<long long> years;
};
struct ObjectLockConfiguration {
  bool enabled = false;
  std::optional<DefaultRetention> rule;
};
std::variant<ObjectLockConfiguration, S3Error> parse_object_lock_configuration(
    std::string_view body);

// PutObjectRetention: Mode and RetainUntilDate (ISO 8601, as sent). An empty <Retention/>
// removes a GOVERNANCE retention (with the bypass).
struct Retention {
  std::optional<std::string> mode;
  std::optional<std::string> retain_until;
};
std::variant<Retention, S3Error> parse_retention(std::string_view body);

// PutObjectLegalHold: Status ON or OFF.
std::variant<bool, S3Error> parse_legal_hold(std::string_view body);

}  // namespace s3gw::s3
