#pragma once
// Parsing of S3 request bodies (pugixml). The caller bounds the body (64 KiB); the parser
// rejects DOCTYPE outright, so no entity tricks reach it, and never fetches anything.
//
// Documents are accepted with the S3 namespace (xmlns="http://s3.amazonaws.com/doc/2006-03-01/",
// also through a prefix) or with none; another namespace, a second root element, text outside
// the root, or a malformed document is MalformedXML.
#include <string>
#include <string_view>
#include <variant>

#include "s3/error.h"

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

}  // namespace s3gw::s3
